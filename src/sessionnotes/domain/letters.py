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
        return any(a.matched == matched and a.category == category for a in self.acknowledgements)
