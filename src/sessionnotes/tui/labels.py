"""Short display texts for domain values (stages, attendance, dates, score changes), shared by the TUI."""

from __future__ import annotations

import datetime as dt

from ..domain.measures import Change, Instrument, format_total
from ..domain.models import Attendance
from ..domain.stages import STAGES

STAGE_SHORT = {"drawing-in": "Drawing in", "meeting": "Meeting", "nudging-forward": "Nudging forward"}
STAGE_NAMES = {s.code: s.name for s in STAGES}
ATTENDANCE = {
    Attendance.ATTENDED: "Attended",
    Attendance.LATE: "Late",
    Attendance.DNA: "Did not attend",
    Attendance.CANCELLED_BY_PATIENT: "Cancelled by client",
    Attendance.CANCELLED_BY_THERAPIST: "Cancelled by me",
}
BODY_TALK = {None: "not rated", 0: "0 none", 1: "1 some", 2: "2 much", 3: "3 almost all"}


def day(d: dt.date | None) -> str:
    return d.isoformat() if d else "-"


def parse_day(text: str) -> dt.date | None:
    """'' -> None; 'YYYY-MM-DD' -> date; otherwise ValueError with a sentence for the therapist."""
    text = text.strip()
    if not text:
        return None
    from ..domain.models import parse_iso_date

    return parse_iso_date(text)


def signed(delta: float | int) -> str:
    if delta == 0:
        return "±0"
    return ("+" if delta > 0 else "−") + format_total(abs(delta))


def change_words(ins: Instrument, delta: float | int | None, change: Change | None) -> tuple[str, str]:
    """('−7 reliable improvement', 'improved') etc.; the second value names the kind for styling."""
    if delta is None:
        return "–", "none"
    if change == "improved":
        return f"{signed(delta)} reliable improvement", "improved"
    if change == "deteriorated":
        return f"{signed(delta)} reliable deterioration", "deteriorated"
    if change == "no reliable change":
        return f"{signed(delta)} no reliable change", "plain"
    return f"{signed(delta)} (raw change only)", "muted"
