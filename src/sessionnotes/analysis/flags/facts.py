"""The facts the detectors read: each session once, in date order, plus the client and thresholds.

A client's record arrives as domain models (or any objects, or plain mappings, with the same
fields; fields not yet on the model are read from ``extra``). :func:`read_sessions` turns the
sessions into :class:`SessionFacts` once per :func:`.detect.detect` call, and
:class:`DetectorInput` bundles them with the client, the formulation, the thresholds and the memo
for per-text results, so every detector has the same one-argument signature. The helpers at the
end group sessions into windows, label them for summaries and build a :class:`.model.Flag`.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from ..cache import AnalysisCache
from .model import FLAG_KINDS, Evidence, Flag, Thresholds

# ---------------------------------------------------------------------------------------------
# Reading fields defensively
# ---------------------------------------------------------------------------------------------


def read_field(obj: Any, name: str, default: Any = None) -> Any:
    """A field that may not exist yet on the model: attribute, else ``extra``, else default."""
    value = getattr(obj, name, None)
    if value is None or value == "":
        extra = getattr(obj, "extra", None)
        if isinstance(extra, Mapping):
            value = extra.get(name)
        elif isinstance(obj, Mapping):
            value = obj.get(name)
    return default if value is None else value


def as_text(value: Any) -> str:
    """A field's value as text (lists joined with "; ", ``None`` as "")."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return str(value)


def enum_value(x: Any) -> str:
    """The string value of an enum member (or of a plain value)."""
    if x.__class__ is str:
        return x
    if isinstance(x, Enum):  # ``_value_`` is what ``.value`` returns, without the descriptor
        return str(x._value_ or "")
    return str(getattr(x, "value", x) or "")


def as_date(value: Any) -> dt.date | None:
    """A date from a date, a datetime or an ISO string; ``None`` otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


HELD = frozenset({"attended", "late"})
ABSENT = frozenset({"dna", "cancelled-by-patient"})
EARLY_STAGES = frozenset({"drawing-in", "meeting"})
NUDGING = "nudging-forward"
"""Attendance values of held sessions, of absences, the early stages and the nudging stage."""


@dataclass(slots=True)
class SessionFacts:
    """One session with what the detectors need, computed once per :func:`.detect.detect` call:
    the session object itself, its id, date, position among all booked sessions (``index``) and
    among held ones (``held_index``, ``None`` when not held), attendance, stage and its texts."""

    session: Any
    session_id: str
    date: dt.date | None
    index: int
    held_index: int | None
    attendance: str
    stage: str
    texts: dict[str, str]

    @property
    def held(self) -> bool:
        return self.held_index is not None

    @property
    def content(self) -> str:
        """The note plus themes: the text the body-talk estimate reads."""
        return "\n".join(t for t in (self.texts.get("note", ""), self.texts.get("themes", "")) if t)


TEXT_FIELDS = ("note", "private_note", "plan", "homework", "feelings_other", "attendance_reason")


_FACT_FIELDS: tuple[tuple[str, Any], ...] = (
    ("date", None),
    ("number", 0),
    ("attendance", "attended"),
    ("id", ""),
    ("stage", ""),
    ("themes", []),
    ("addenda", []),
    *((name, "") for name in TEXT_FIELDS),
)
_FACT_GETTER = operator.attrgetter(*(name for name, _ in _FACT_FIELDS))


def _read(obj: Any, getter: Callable[[Any], tuple[Any, ...]], names: Sequence[tuple[str, Any]]) -> list[Any]:
    """``[read_field(obj, name, default) for name, default in names]``, fetched in one go for the
    usual model objects (a missing, ``None`` or empty value still goes through :func:`_get`,
    unless the object has an empty ``extra`` and so the default is the answer)."""
    try:
        values = getter(obj)
    except AttributeError:
        return [read_field(obj, name, default) for name, default in names]
    extra = getattr(obj, "extra", None)
    if isinstance(extra, dict) and not extra:
        return [default if v is None or v == "" else v for v, (_, default) in zip(values, names, strict=True)]
    return [
        read_field(obj, name, default) if v is None or v == "" else v for v, (name, default) in zip(values, names, strict=True)
    ]


def read_sessions(sessions: Iterable[Any]) -> list[SessionFacts]:
    """The sessions as :class:`SessionFacts`, in date (then number) order."""
    rows = [(s, _read(s, _FACT_GETTER, _FACT_FIELDS)) for s in sessions]
    rows.sort(key=lambda row: (as_date(row[1][0]) or dt.date.min, row[1][1] or 0))
    out: list[SessionFacts] = []
    held = 0
    text_names = [name for name, _ in _FACT_FIELDS[7:]]
    for i, (s, values) in enumerate(rows):
        date, number, attendance, sid, stage, themes, addenda = values[:7]
        attendance = enum_value(attendance)
        texts = {name: v if v.__class__ is str else as_text(v) for name, v in zip(text_names, values[7:], strict=True)}
        texts["themes"] = as_text(themes)
        texts["addenda"] = "\n".join(as_text(getattr(a, "text", a)) for a in addenda) if addenda else ""
        number = number or (i + 1)
        sid = (sid if sid.__class__ is str else as_text(sid)) or f"session-{number}"
        is_held = attendance in HELD
        out.append(
            SessionFacts(
                session=s,
                session_id=sid,
                date=as_date(date),
                index=i,
                held_index=held if is_held else None,
                attendance=attendance,
                stage=stage if stage.__class__ is str else as_text(stage),
                texts=texts,
            )
        )
        if is_held:
            held += 1
    return out


def versions(item: Any) -> list[Any]:
    """Every version of a formulation item, oldest first (``versions``, else ``history`` + item)."""
    versions = getattr(item, "versions", None)
    if isinstance(versions, list | tuple) and versions:
        return list(versions)
    history = read_field(item, "history", None)
    if isinstance(history, list | tuple):
        return [*history, item]
    return [item]


CLIENT_TEXT_FIELDS = (
    "referral_positioning", "referral_reaction", "presenting_symptoms", "investigations", "risk_notes",
    "referrer_goal", "patient_goal", "explanatory_model", "other_professionals",
)  # fmt: skip
"""The client's free-text fields the therapist writes (read for 'untreatable' labels)."""


@dataclass(frozen=True, slots=True)
class DetectorInput:
    """Everything a detector reads for one client, made once per :func:`.detect.detect` call.

    ``cache`` keeps per-text results (text tables, phrases found, body-talk estimates, wording
    findings): the vault's :class:`.AnalysisCache` when one was given to :func:`.detect.detect`,
    else one that lives for this call only.
    """

    client: Any
    sessions: list[SessionFacts]
    formulation: Sequence[Any]
    thresholds: Thresholds
    cache: AnalysisCache = field(default_factory=AnalysisCache)

    @property
    def held(self) -> list[SessionFacts]:
        """The sessions that were held (attended or late), in order."""
        return [f for f in self.sessions if f.held]


# ---------------------------------------------------------------------------------------------
# Shared helpers for detectors
# ---------------------------------------------------------------------------------------------


def window_counts(items: Sequence[SessionFacts], marked: set[int], window: int, need: int) -> list[SessionFacts] | None:
    """The first window of ``window`` consecutive items holding ``need`` marked ones, extended to
    every marked item it chains into; ``None`` if there is none."""
    if need <= 0 or window <= 0:
        return None
    hits = [k for k, f in enumerate(items) if f.index in marked]
    for a in range(len(hits)):
        b = a + need - 1
        if b < len(hits) and hits[b] - hits[a] < window:
            group = hits[a : b + 1]
            # extend while the next hit still falls within a window of the last
            j = b + 1
            while j < len(hits) and hits[j] - hits[j - need + 1] < window:
                group.append(hits[j])
                j += 1
            return [items[k] for k in group]
    return None


def session_label(f: SessionFacts) -> str:
    """ "session 4 (2025-01-27)": the session's number (or position) and date."""
    number = read_field(f.session, "number", 0) or (f.index + 1)
    return f"session {number}" + (f" ({f.date.isoformat()})" if f.date else "")


def span_label(fs: Sequence[SessionFacts]) -> str:
    """ "sessions 3–7" for a run of sessions, or the one session's label."""
    if not fs:
        return ""
    if len(fs) == 1:
        return session_label(fs[0])
    first = read_field(fs[0].session, "number", 0) or fs[0].index + 1
    last = read_field(fs[-1].session, "number", 0) or fs[-1].index + 1
    return f"sessions {first}–{last}"


def make_flag(
    kind: str,
    severity: str,
    involved: Sequence[SessionFacts],
    evidence: list[Evidence],
    rationale: str,
    suggestion: str,
    summary: str,
    anchor: str = "",
) -> Flag:
    """A rule flag of ``kind`` over the ``involved`` sessions (ids in order, no repeats), keyed by
    kind and ``anchor`` (default: the first session, or "client")."""
    ids: list[str] = []
    for f in involved:
        if f.session_id not in ids:
            ids.append(f.session_id)
    return Flag(
        kind=kind,
        severity=severity,
        sessions=ids,
        evidence=evidence,
        rationale=rationale,
        suggestion=suggestion,
        source="rule",
        title=FLAG_KINDS[kind],
        summary=summary,
        key=f"{kind}:{anchor or (ids[0] if ids else 'client')}",
    )
