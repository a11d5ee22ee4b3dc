"""A measure entry kept as an encrypted draft when the vault locks mid-entry.

The draft lives with the other drafts (``Repository.save_draft``) under the key ``measure:<code>``
(one per measure and client). Its payload is plain JSON::

    {"instrument": "phq9", "date": "2026-03-02", "answers": [1, null, "na", ...],
     "decided": [true, true, true, false, ...], "prorate": false}

``answers`` holds the raw responses so far; ``decided`` tells an item left unanswered on purpose
(``-``, stored as ``None``) from one not reached yet. Unanswered is never turned into 0.

Reading is forgiving: a payload this version cannot use (unknown measure, wrong length, a value out
of range) never raises; the unusable parts are treated as not reached yet, or the whole draft as
unknown (``None``) when its measure is not known.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ..domain.measures import INSTRUMENTS, NA, Instrument, Response

PREFIX = "measure:"


def draft_key(code: str) -> str:
    return f"{PREFIX}{code}"


def is_measure_key(key: Any) -> bool:
    return isinstance(key, str) and key.startswith(PREFIX)


def _valid(ins: Instrument, index: int, value: Any) -> bool:
    if value is None:
        return True
    if value == NA:
        return ins.items[index].na_allowed
    return isinstance(value, int) and not isinstance(value, bool) and ins.item_min <= value <= ins.item_max


@dataclass
class MeasureDraft:
    ins: Instrument
    date_text: str
    answers: list[Response]
    decided: list[bool]
    prorate: bool = False
    saved: str = ""

    @property
    def key(self) -> str:
        return draft_key(self.ins.code)

    @classmethod
    def from_record(cls, record: Mapping[str, Any]) -> MeasureDraft | None:
        """From one entry of ``Repository.drafts()``; None when it is not a measure draft this
        version knows (another kind of key, an unknown measure)."""
        if not isinstance(record, Mapping) or not is_measure_key(record.get("key")):
            return None
        ins = INSTRUMENTS.get(str(record["key"])[len(PREFIX) :])
        if ins is None:
            return None
        payload = record.get("draft")
        if not isinstance(payload, Mapping):  # unreadable: nothing usable, but still a draft of this measure
            payload = {}
        n = ins.n_items
        raw_answers = payload.get("answers")
        raw_decided = payload.get("decided")
        answers: list[Response] = [None] * n
        decided = [False] * n
        if isinstance(raw_answers, list) and len(raw_answers) == n:
            for i, value in enumerate(raw_answers):
                if not _valid(ins, i, value):
                    continue
                answers[i] = value
                if isinstance(raw_decided, list) and len(raw_decided) == n:
                    decided[i] = raw_decided[i] is True
                else:  # no usable record of what was decided: an answer given is decided
                    decided[i] = value is not None
        date_text = payload.get("date")
        return cls(
            ins=ins,
            date_text=date_text if isinstance(date_text, str) else "",
            answers=answers,
            decided=decided,
            prorate=payload.get("prorate") is True,
            saved=str(record.get("saved", "")),
        )

    def payload(self) -> dict[str, Any]:
        return {
            "instrument": self.ins.code,
            "date": self.date_text,
            "answers": list(self.answers),
            "decided": list(self.decided),
            "prorate": self.prorate,
        }

    @property
    def answered(self) -> int:
        """Items with an answer (a number or not applicable)."""
        return sum(1 for a, d in zip(self.answers, self.decided, strict=True) if d and a is not None)

    @property
    def left_unanswered(self) -> int:
        """Items deliberately left unanswered (``-``)."""
        return sum(1 for a, d in zip(self.answers, self.decided, strict=True) if d and a is None)

    def first_open(self) -> int | None:
        """The index of the first item not reached yet (None when every item is decided)."""
        return next((i for i, d in enumerate(self.decided) if not d), None)

    def progress(self) -> str:
        """'4 of 9 answered' (', 1 left unanswered' when some were skipped with -)."""
        text = f"{self.answered} of {self.ins.n_items} answered"
        if self.left_unanswered:
            text += f", {self.left_unanswered} left unanswered"
        return text

    def describe(self) -> str:
        """'a PHQ-9 in progress (4 of 9 answered)'."""
        return f"a {self.ins.name} in progress ({self.progress()})"


def measure_drafts(records: list[dict], client_id: str) -> list[MeasureDraft]:
    """The usable measure drafts of one client, most recently saved first."""
    out = []
    for record in records:
        if isinstance(record, Mapping) and record.get("client") == client_id:
            draft = MeasureDraft.from_record(record)
            if draft is not None:
                out.append(draft)
    out.sort(key=lambda d: d.saved, reverse=True)
    return out
