"""The stage timeline: where each session sat in the three stages, and how it moved.

Moving back a stage is ordinary (meeting and nudging recur throughout therapy: Balabanovic 2017,
section 9.2); it is labelled plainly ("back to meeting") and never scored. Attendance is shown beside the stage but is
not engagement (Balabanovic 2017, appendix 11).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..domain.models import Attendance, Session
from ..domain.stages import STAGE_CODES, stage_by_code

_ORDER = {code: i for i, code in enumerate(STAGE_CODES)}
ATTENDANCE_MARK = {
    Attendance.ATTENDED: "",
    Attendance.LATE: "late",
    Attendance.DNA: "DNA",
    Attendance.CANCELLED_BY_PATIENT: "cancelled (patient)",
    Attendance.CANCELLED_BY_THERAPIST: "cancelled (therapist)",
}


@dataclass(frozen=True)
class TimelineEntry:
    session_id: str
    number: int
    date: dt.date
    stage: str
    stage_name: str
    attendance: str
    attendance_mark: str
    attendance_reason: str
    substrategies: tuple[str, ...]
    body_talk: int | None
    movement: str
    """'start', 'same', 'forward' or 'back'."""
    movement_label: str
    """Plain words: '', 'moved on to nudging forward', 'back to meeting'."""
    rupture: bool = False
    """The rupture tick: a rupture in the alliance happened in this session."""
    repair: bool = False
    """The repair tick: a rupture was talked about and repaired in this session."""

    @property
    def alliance_mark(self) -> str:
        """'rupture', 'repair', 'rupture, repaired' or ''."""
        if self.rupture and self.repair:
            return "rupture, repaired"
        return "rupture" if self.rupture else ("repair" if self.repair else "")

    def to_dict(self) -> dict[str, object]:
        return {
            "session_id": self.session_id,
            "number": self.number,
            "date": self.date.isoformat(),
            "stage": self.stage,
            "attendance": self.attendance,
            "attendance_reason": self.attendance_reason,
            "substrategies": list(self.substrategies),
            "body_talk": self.body_talk,
            "movement": self.movement,
            "movement_label": self.movement_label,
            "rupture": self.rupture,
            "repair": self.repair,
        }


def timeline(sessions: list[Session]) -> list[TimelineEntry]:
    """Entries in date order. Movement compares with the previous session's stage."""
    out: list[TimelineEntry] = []
    prev: str | None = None
    for s in sorted(sessions, key=lambda s: (s.date, s.number)):
        if prev is None:
            movement, label = "start", ""
        elif s.stage == prev:
            movement, label = "same", ""
        elif _ORDER[s.stage] > _ORDER[prev]:
            movement, label = "forward", f"moved on to {stage_by_code(s.stage).name.lower()}"
        else:
            movement, label = "back", f"back to {stage_by_code(s.stage).name.lower()}"
        out.append(
            TimelineEntry(
                session_id=s.id,
                number=s.number,
                date=s.date,
                stage=s.stage,
                stage_name=stage_by_code(s.stage).name,
                attendance=s.attendance.value,
                attendance_mark=ATTENDANCE_MARK[s.attendance],
                attendance_reason=s.attendance_reason,
                substrategies=tuple(s.substrategies),
                body_talk=s.body_talk,
                movement=movement,
                movement_label=label,
                rupture=s.rupture,
                repair=s.repair,
            )
        )
        prev = s.stage
    return out


def current_stage(sessions: list[Session]) -> str:
    """The stage of the latest session, or '' before any session."""
    entries = timeline(sessions)
    return entries[-1].stage if entries else ""
