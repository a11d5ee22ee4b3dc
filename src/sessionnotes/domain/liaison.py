"""Drawing in: the log of contacts with the GP and practice (000 sub-categories 5.1-5.3).

Engaging the referrer is part of the work, not admin: how the referral was positioned, joint
consultations and supporting the GP shape whether the patient ever comes through the door.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .models import _DATE, _OPT_DATETIME, _TEXT, _choice, _Codec, _Record

CONTACT_KINDS: dict[str, str] = {
    "letter": "Letter",
    "call": "Phone call",
    "joint-consultation": "Joint consultation",
    "corridor": "Corridor conversation",
    "consultation-only": "Consultation-only request",
    "email": "Email / message",
    "meeting": "Practice meeting",
}


@dataclass(kw_only=True)
class GPContact(_Record):
    _KIND: ClassVar[str] = "GP contact"
    _CODECS: ClassVar[dict[str, _Codec]] = {
        "id": _TEXT,
        "date": _DATE,
        "kind": _choice(tuple(CONTACT_KINDS)),
        "with_whom": _TEXT,
        "discussed": _TEXT,
        "agreed": _TEXT,
        "created": _OPT_DATETIME,
    }
    _LABELS: ClassVar[dict[str, str]] = {"with_whom": "With"}

    id: str = ""
    date: dt.date
    kind: str
    with_whom: str = ""
    discussed: str = ""
    agreed: str = ""
    created: dt.datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)
