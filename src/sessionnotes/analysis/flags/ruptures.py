"""Ruptures in the alliance and their repairs: :func:`ruptures_and_repairs` and the ``unrepaired-rupture`` flag.

The one place a rupture tick is paired with the session that repaired it (for the flag, the
Stages tab and the exports), and the prompt for a rupture with no repair ticked since
(Balabanovic 2017, sub-category 4.5, drawing on the alliance rupture and repair literature).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from .facts import ABSENT, DetectorInput, SessionFacts, make_flag, read_field, read_sessions, session_label
from .model import Evidence, Flag


@dataclass(frozen=True)
class RuptureRepair:
    """A session with the rupture tick and the session where it was repaired (``None``: no repair
    recorded yet), or a repair ticked with no rupture ticked before it (``rupture_number`` 0)."""

    rupture_session: str
    rupture_number: int
    rupture_date: dt.date | None
    repair_session: str = ""
    repair_number: int = 0
    repair_date: dt.date | None = None

    @property
    def repaired(self) -> bool:
        return bool(self.repair_session)

    def describe(self) -> str:
        """Plain words: 'rupture in session 6 (2026-02-09), repaired in session 8 (2026-02-23)'."""

        def when(number: int, day: dt.date | None) -> str:
            return f"session {number}" + (f" ({day.isoformat()})" if day else "")

        if not self.rupture_number:
            return f"repair in {when(self.repair_number, self.repair_date)} (no rupture ticked before it)"
        text = f"rupture in {when(self.rupture_number, self.rupture_date)}"
        if not self.repaired:
            return text + ", no repair recorded since"
        if self.repair_session == self.rupture_session:
            return text + ", talked about and repaired in the same session"
        return text + f", repaired in {when(self.repair_number, self.repair_date)}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "rupture_session": self.rupture_session or None,
            "rupture_date": self.rupture_date.isoformat() if self.rupture_date else None,
            "repair_session": self.repair_session or None,
            "repair_date": self.repair_date.isoformat() if self.repair_date else None,
            "repaired": self.repaired,
        }


def _pairs(facts: list[SessionFacts]) -> list[tuple[SessionFacts | None, SessionFacts | None]]:
    """(rupture, repair) in date order: a repair tick repairs every rupture ticked on or before its
    session and not yet repaired; a repair with no open rupture stands alone."""
    out: list[tuple[SessionFacts | None, SessionFacts | None]] = []
    open_at: list[int] = []
    for f in facts:
        if read_field(f.session, "rupture", False) is True:
            open_at.append(len(out))
            out.append((f, None))
        if read_field(f.session, "repair", False) is True:
            if open_at:
                for k in open_at:
                    out[k] = (out[k][0], f)
                open_at = []
            else:
                out.append((None, f))
    return out


def _number(f: SessionFacts) -> int:
    return int(read_field(f.session, "number", 0) or (f.index + 1))


def ruptures_and_repairs(sessions: Iterable[Any]) -> list[RuptureRepair]:
    """Every rupture ticked, each with the session that repaired it (a later or the same session
    with the repair tick), and any repair ticked with no rupture before it, in date order."""
    out = []
    for rupture, repair in _pairs(read_sessions(sessions)):
        out.append(
            RuptureRepair(
                rupture_session=rupture.session_id if rupture else "",
                rupture_number=_number(rupture) if rupture else 0,
                rupture_date=rupture.date if rupture else None,
                repair_session=repair.session_id if repair else "",
                repair_number=_number(repair) if repair else 0,
                repair_date=repair.date if repair else None,
            )
        )
    return out


R_RUPTURE = (
    "Ruptures in the alliance are common in this work, for instance when a patient feels the symptoms are being "
    "psychologised; if they are not noticed early and talked about, the patient may quietly disengage. Clinicians "
    "who attend closely to the relationship repair them quickly (Balabanovic 2017, sub-category 4.5 “Holism versus "
    "tacit dualism”, drawing on the alliance rupture and repair literature)."
)
S_RUPTURE = (
    "Consider raising it gently at the next meeting: name that something seemed to land badly, ask how it was for "
    "the patient, and take your share of it; then tick the repair on the session where it was talked about. If the "
    "patient has not come back, a short warm letter or call may keep the door open (Balabanovic 2017)."
)


def unrepaired_rupture(case: DetectorInput) -> list[Flag]:
    """A rupture tick with no repair ticked in that session or any later one: a prompt, one per rupture."""
    flags = []
    for rupture, repair in _pairs(case.sessions):
        if rupture is None or repair is not None:
            continue
        after = [f for f in case.sessions if f.index > rupture.index]
        ev = [Evidence(rupture.session_id, rupture.date, "rupture", "ticked: rupture in the alliance")]
        ev += [
            Evidence(f.session_id, f.date, "attendance", ATTENDANCE_PHRASES.get(f.attendance, f.attendance))
            for f in after
            if f.attendance in ABSENT
        ]
        held_after = sum(1 for f in after if f.held)
        if not after:
            since = "it was the latest session, so there has been no chance to repair it yet."
        else:
            missed = len(after) - held_after
            since = f"no repair has been recorded in the {len(after)} booked session(s) since" + (
                f" ({missed} of them missed)." if missed else "."
            )
        summary = f"A rupture in the alliance was ticked in {session_label(rupture)}; {since}"
        severity = "medium" if held_after or len(after) > held_after else "low"
        involved = [rupture, *(f for f in after if f.attendance in ABSENT)]
        flags.append(make_flag("unrepaired-rupture", severity, involved, ev, R_RUPTURE, S_RUPTURE, summary))
    return flags


ATTENDANCE_PHRASES = {"dna": "did not attend", "cancelled-by-patient": "cancelled by the patient"}
