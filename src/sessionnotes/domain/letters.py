"""GP assessment letters: a draft the patient can read, then shown, agreed and sent.

Workflow: draft -> shown (to the patient: date, their comments, changes made) -> agreed -> sent
(date, to whom). A sent letter is frozen; changing it makes a new version (a new draft that points
back to it). Acknowledged language findings are kept with the letter.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .models import _DATETIME, _OPT_DATE, _OPT_DATETIME, _TEXT, _choice, _Codec, _ints, _Record, _records

LETTER_STATUSES = ("draft", "shown", "agreed", "sent")
ADDRESSEES = ("patient", "gp")


@dataclass(kw_only=True)
class Acknowledgement(_Record):
    """The therapist read a language finding and chose to keep the wording."""

    _KIND: ClassVar[str] = "acknowledgement"
    _CODECS: ClassVar[dict[str, _Codec]] = {"matched": _TEXT, "category": _TEXT, "at": _DATETIME, "note": _TEXT}

    matched: str
    category: str
    at: dt.datetime
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(kw_only=True)
class Letter(_Record):
    _KIND: ClassVar[str] = "letter"
    _CODECS: ClassVar[dict[str, _Codec]] = {
        "id": _TEXT,
        "created": _DATETIME,
        "updated": _OPT_DATETIME,
        "title": _TEXT,
        "addressee": _choice(ADDRESSEES),
        "body": _TEXT,
        "status": _choice(LETTER_STATUSES),
        "version": _ints(1),
        "parent_id": _TEXT,
        "shown_date": _OPT_DATE,
        "patient_comments": _TEXT,
        "changes_made": _TEXT,
        "agreed_date": _OPT_DATE,
        "sent_date": _OPT_DATE,
        "sent_to": _TEXT,
        "acknowledgements": _records(Acknowledgement),
    }

    id: str = ""
    created: dt.datetime
    updated: dt.datetime | None = None
    title: str = "Assessment letter"
    addressee: str = "patient"
    """Who the letter is written to: the patient (GP copied, the default) or the GP (patient copied)."""
    body: str = ""
    status: str = "draft"
    version: int = 1
    parent_id: str = ""
    shown_date: dt.date | None = None
    patient_comments: str = ""
    changes_made: str = ""
    agreed_date: dt.date | None = None
    sent_date: dt.date | None = None
    sent_to: str = ""
    acknowledgements: list[Acknowledgement] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def frozen(self) -> bool:
        return self.status == "sent"

    def acknowledged(self, matched: str, category: str) -> bool:
        """Whether this wording is kept with a reason (an acknowledgement without one does not count)."""
        return any(a.matched == matched and a.category == category and a.note.strip() for a in self.acknowledgements)


# -- the workflow ----------------------------------------------------------------------------------

STEP_DATES = {"shown": "shown_date", "agreed": "agreed_date", "sent": "sent_date"}
"""The date each step after the draft records."""
_STEP_PAST = {"draft": "drafted", "shown": "shown to the patient", "agreed": "agreed with the patient", "sent": "sent"}


def step_date(letter: Letter, status: str) -> dt.date:
    """The date the letter reached ``status`` (the draft's is the day it was created)."""
    if status == "draft":
        return letter.created.date()
    value = getattr(letter, STEP_DATES[status])
    return value if isinstance(value, dt.date) else letter.created.date()


def step_problem(letter: Letter, step: str, on: dt.date) -> str | None:
    """Why ``letter`` cannot move to ``step`` on ``on``, or None when it can.

    Steps go draft -> shown -> agreed -> sent, one at a time, never back; each date is on or after
    the previous step's date (and so never before the draft).
    """
    if step not in STEP_DATES:
        return f"'{step}' is not a step of a letter; the steps are: shown, agreed, sent."
    if letter.frozen:
        return "This letter has been sent and is frozen; edit it to make a new version."
    here = LETTER_STATUSES.index(letter.status)
    there = LETTER_STATUSES.index(step)
    if there <= here:
        return (
            f"This letter is already {_STEP_PAST[letter.status]}; a letter's steps go forward only "
            f"(draft, shown, agreed, sent), so it cannot be marked {step} again."
        )
    if there > here + 1:
        missing = LETTER_STATUSES[here + 1]
        return (
            f"This letter cannot be marked {step} yet: it has not been {_STEP_PAST[missing]}. "
            "The steps go draft, shown, agreed, sent, in that order."
        )
    before = step_date(letter, letter.status)
    if on < before:
        what = "drafted" if letter.status == "draft" else _STEP_PAST[letter.status]
        return f"The date {on.isoformat()} is before the letter was {what} ({before.isoformat()})."
    return None
