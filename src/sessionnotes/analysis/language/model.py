"""What the wording checker reports: the categories, severities and contexts, :class:`Finding`
(one piece of wording worth a second look) and :class:`Rule` (a wording rule of the table)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..text import matching

if TYPE_CHECKING:
    from .document import Document

STIGMATISING = "stigmatising"
DUALISTIC = "dualistic"
CERTAINTY = "certainty about cause"
BLAMING = "blaming"
NORMALISING = "unhelpful normalising"
JARGON = "jargon"
PREFERRED_TERM = "preferred term"
COERCIVE = "coercive"
CATEGORIES: tuple[str, ...] = (STIGMATISING, DUALISTIC, CERTAINTY, BLAMING, COERCIVE, NORMALISING, JARGON, PREFERRED_TERM)

SEVERITIES: tuple[str, ...] = ("high", "medium", "low")
CONTEXTS: tuple[str, ...] = ("letter", "shared", "private")

UNTREATABLE = "untreatable"
"""Rule group for "untreatable" labelling, reported in every context (Balabanovic 2017, sub-category 7.5)."""


RawFinding = tuple[str, str, str, int, int, str, str, bool, str, str]
"""A finding before it is marked quoted and de-duplicated: rule id, category, severity, start,
end, why, suggestion, tacit (reported in private notes too), replacement, rule group."""


@dataclass(frozen=True)
class Finding:
    """One piece of wording worth a second look.

    ``start``/``end`` index the original text (``text[start:end] == matched``). ``why`` explains
    the concern and cites the published source; ``suggestion`` is a tentative alternative; ``replacement`` is
    a drop-in rewording for the matched span when one exists ("" otherwise). ``quoted`` means the
    words are the patient's or someone else's (quotation marks or reported speech), so severity
    is lowered. ``rule`` names the rule that fired (stable, for tests and dismissals).
    """

    category: str
    severity: str
    start: int
    end: int
    matched: str
    why: str
    suggestion: str
    quoted: bool = False
    rule: str = ""
    replacement: str = ""
    alternatives: tuple[str, ...] = ()
    """Other drop-in rewordings for the same span (the first choice is ``replacement``)."""

    def to_dict(self) -> dict[str, object]:
        return {
            "category": self.category,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "matched": self.matched,
            "why": self.why,
            "suggestion": self.suggestion,
            "quoted": self.quoted,
            "rule": self.rule,
            "replacement": self.replacement,
            "alternatives": list(self.alternatives),
        }


Guard = Callable[["Document", int, int], "tuple[int, int] | None"]


@dataclass(frozen=True)
class Rule:
    """A wording rule: a compiled pattern plus what to say about a match.

    ``tacit`` marks tacit-dualism markers (reported in private notes too); ``hedged_ok`` means a
    hedge in the same clause silences the rule; ``guard`` may veto a match or move its span.
    """

    id: str
    category: str
    severity: str
    pattern: re.Pattern[str] | matching.LazyPattern
    why: str
    suggestion: str
    tacit: bool = False
    group: str = ""
    hedged_ok: bool = False
    negatable: bool = False
    guard: Guard | None = None
    replacement: str = ""
    anchors: tuple[str, ...] | None = None
    """``None`` switches the pre-check off and the rule runs on every text; otherwise the rule
    only runs on texts its :class:`.matching.Gate` lets through (the word sequences one of which
    every match contains, derived from the pattern on first use)."""
    gate: matching.Gate | None = None
    """A gate given explicitly (else it is derived from the pattern)."""
