"""The multi-level formulation: items held at six layers, shared tentatively, never overwritten.

Layers (a design distilled from Balabanovic 2017, sub-categories 6.6 and 7.2, which do not number them):
L0 validation, L1 impact and coping, L2 meaning, L3 maintaining cycles, L4 possible contributions
(stress, emotion, relationships), L5 deep / developmental (usually private).

Every change to an item is a new `ItemVersion`; the item keeps them all, so "the formulation as it
stood on date D" is always answerable. Warnings are advisory, computed by the caller (analysis
layer) when a version is made, and stored with that version.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, ClassVar

from .models import (
    _DATE,
    _DATETIME,
    _OPT_DATE,
    _TEXT,
    _TEXT_LIST,
    _choice,
    _Codec,
    _Record,
    _records,
)

LAYERS: dict[str, tuple[str, str]] = {
    "L0": ("Validation", "what the patient is going through; the distress of uncertainty and fruitless tests"),
    "L1": ("Impact and coping", "how the symptoms affect life, how the patient copes, what has been lost"),
    "L2": ("Meaning", "what being ill means to this person; their relationship to the symptoms"),
    "L3": ("Maintaining cycles", "what keeps things going: avoidance, rumination, boom-bust, system and family patterns"),
    "L4": ("Possible contributions", "stress, emotions or relationships that may be contributing: hypotheses only"),
    "L5": ("Deep / developmental", "early relationships, trauma, unconscious processes: usually kept private"),
}
LAYER_CODES = tuple(LAYERS)
DEEP_LAYERS = ("L4", "L5")

LENSES: dict[str, str] = {
    "structural": "between physical and mental health services",
    "relational": "patient-GP, patient-clinician, clinician-GP",
    "intra-psychic": "emotions, body sensations not linked with feelings",
}
LENS_CODES = tuple(LENSES)

CONFIDENCE = ("hunch", "working-hypothesis", "supported")
STATUSES = ("private", "shared-in-part", "shared")
SHARED_STATUSES = ("shared-in-part", "shared")
CHANNELS = ("spoken", "written", "letter")
RESPONSES = ("not-yet", "resonated", "neutral", "disputed")

# Optional structured views over the same items: the 5 Ps and the thought-emotion-body-behaviour cycle
FIVE_P = ("predisposing", "precipitating", "perpetuating", "protective")
CYCLE = ("thought", "emotion", "body", "behaviour")


@dataclass(kw_only=True)
class ItemVersion(_Record):
    """One state of a formulation item, as recorded at `at`."""

    _KIND: ClassVar[str] = "formulation version"
    _CODECS: ClassVar[dict[str, _Codec]] = {
        "at": _DATETIME,
        "text": _TEXT,
        "layer": _choice(LAYER_CODES),
        "lens": _choice(LENS_CODES, allow_empty=True),
        "confidence": _choice(CONFIDENCE),
        "status": _choice(STATUSES),
        "date_shared": _OPT_DATE,
        "channel": _choice(CHANNELS, allow_empty=True),
        "response": _choice(RESPONSES),
        "evidence": _TEXT_LIST,
        "five_p": _choice(FIVE_P, allow_empty=True),
        "cycle": _choice(CYCLE, allow_empty=True),
        "warnings": _TEXT_LIST,
        "note": _TEXT,
    }

    at: dt.datetime
    text: str
    layer: str
    lens: str = ""
    confidence: str = "hunch"
    status: str = "private"
    date_shared: dt.date | None = None
    channel: str = ""
    response: str = "not-yet"
    evidence: list[str] = field(default_factory=list)
    """Session ids that support (or prompted) this item."""
    five_p: str = ""
    cycle: str = ""
    warnings: list[str] = field(default_factory=list)
    """Advisory warnings raised when this version was made; kept with it."""
    note: str = ""
    """Why this change was made (optional)."""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_shared(self) -> bool:
        return self.status in SHARED_STATUSES

    def validate(self) -> list[str]:
        problems = []
        if not self.text.strip():
            problems.append("The item needs some text.")
        if self.is_shared and self.date_shared is None:
            problems.append("A shared item needs the date it was shared.")
        return problems


@dataclass(kw_only=True)
class FormulationItem(_Record):
    """A formulation item and its whole history (oldest version first)."""

    _KIND: ClassVar[str] = "formulation item"
    _CODECS: ClassVar[dict[str, _Codec]] = {
        "id": _TEXT,
        "created": _DATE,
        "versions": _records(ItemVersion),
    }

    id: str
    created: dt.date
    versions: list[ItemVersion]
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def current(self) -> ItemVersion:
        return self.versions[-1]

    def as_of(self, day: dt.date) -> ItemVersion | None:
        """The version in force at the end of `day`, or None if the item did not exist yet."""
        found = None
        for v in self.versions:
            if v.at.date() <= day:
                found = v
        return found

    def ever_disputed(self) -> bool:
        return any(v.response == "disputed" for v in self.versions)


def formulation_as_of(items: list[FormulationItem], day: dt.date) -> list[tuple[FormulationItem, ItemVersion]]:
    """The formulation as it stood at the end of `day`: each existing item with its version then."""
    out = []
    for item in items:
        v = item.as_of(day)
        if v is not None:
            out.append((item, v))
    return out


def shared_as_of(items: list[FormulationItem], day: dt.date) -> list[tuple[FormulationItem, ItemVersion]]:
    """Only what had been shared with the patient by the end of `day`."""
    return [
        (i, v) for i, v in formulation_as_of(items, day) if v.is_shared and v.date_shared is not None and v.date_shared <= day
    ]
