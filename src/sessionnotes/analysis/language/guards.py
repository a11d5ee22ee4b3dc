"""What silences or reshapes a match: hedges, certainty, negation and the per-rule guards.

Hedged wording ("it may be that stress plays a part") is the recommended tentative formulation,
so a hedge in the clause silences the certainty rules unless a certainty marker is also there; a
negated phrase ("it is not all in her mind") is not a claim. Guards veto a match by what comes
before or after it, or move its span ("tests were normal so ..." runs to the conclusion drawn).
"""

from __future__ import annotations

import re

from ..text import lexicon, matching, negation
from .document import Document
from .model import Guard

# =============================================================================================
# Hedges, certainty and negation
# =============================================================================================

HEDGE_STRONG = matching.LazyPattern(r"(?<![\w-])" + lexicon.alternation(lexicon.HEDGES_STRONG) + r"(?![\w-])", re.IGNORECASE)
HEDGE_WEAK = matching.LazyPattern(r"(?<![\w-])" + lexicon.alternation(lexicon.HEDGES_WEAK) + r"(?![\w-])", re.IGNORECASE)
_CERTAIN = matching.LazyPattern(r"(?<![\w-])" + lexicon.alternation(lexicon.CERTAINTY_MARKERS) + r"(?![\w-])", re.IGNORECASE)
STRONG_CERTAIN = matching.LazyPattern(
    r"(?<![\w-])(?:clearly|obviously|definitely|certainly|undoubtedly|unquestionably|evidently|plainly|"
    r"of course|without (?:a |any )?doubt|no doubt|beyond doubt|it is (?:clear|obvious|evident)|must be|"
    r"must have been|surely|absolutely|purely|solely|entirely|wholly|simply|just|only|all|completely|100%)(?![\w-])",
    re.IGNORECASE,
)
NEGATED_BEFORE = matching.LazyPattern(
    negation.negator_before(negation.WORDING_KINDS, reach=3, word=r"\w+", gap=" ", commas=False), re.IGNORECASE
)
"""Not / n't / never / no longer / nor with at most two words before the end of the text ("it is
not all in her mind"), from the negator table the flags use too (the wording kinds only)."""


def hedged(doc: Document, start: int, end: int) -> bool:
    """Whether the clause holding ``start..end`` qualifies what it says.

    A strong hedge (may, might, possibly, one way of understanding...) always counts; a weak one
    (seems, probably, I think) counts unless a certainty marker (clearly, definitely, must be...)
    is also there.
    """
    cs, ce = doc.clause(start)
    ce = max(ce, doc.clause(max(end - 1, start))[1])
    clause = doc.text[cs:ce]
    if HEDGE_STRONG.search(clause):
        return True
    return bool(HEDGE_WEAK.search(clause)) and not STRONG_CERTAIN.search(clause)


def negated(doc: Document, start: int) -> bool:
    cs, _ = doc.clause(start)
    return bool(NEGATED_BEFORE.search(doc.text[max(cs, start - 30) : start]))


def not_before(pattern: str) -> Guard:
    rx = matching.LazyPattern(pattern + r"$", re.IGNORECASE)

    def guard(doc: Document, start: int, end: int) -> tuple[int, int] | None:
        cs, _ = doc.clause(start)
        return None if rx.search(doc.text[max(cs, start - 40) : start]) else (start, end)

    return guard


def not_after(pattern: str) -> Guard:
    rx = matching.LazyPattern(r"^(?:" + pattern + ")", re.IGNORECASE)  # anchor every alternative, not just the first

    def guard(doc: Document, start: int, end: int) -> tuple[int, int] | None:
        return None if rx.search(doc.text[end : end + 40]) else (start, end)

    return guard


def both_guards(*guards: Guard) -> Guard:
    def guard(doc: Document, start: int, end: int) -> tuple[int, int] | None:
        span = (start, end)
        for g in guards:
            moved = g(doc, *span)
            if moved is None:
                return None
            span = moved
        return span

    return guard


_TESTS_CONSEQUENCE = matching.LazyPattern(
    r"\b(?:nothing|no\s+(?:real\s+|physical\s+|medical\s+|actual\s+)?(?:problem|illness|disease|cause|reason|damage)|"
    r"must\s+be|must\s+have|(?:is|are|was|were)\s+(?:just\s+|only\s+|probably\s+)?(?:psychological|emotional|stress|anxiety|mental|"
    r"psychosomatic|in\s+(?:her|his|their|your|the)\s+(?:head|mind))|not\s+(?:real|physical|medical|genuine)|"
    r"(?:physically|medically)\s+(?:fine|well|healthy)|(?:she|he|they|you)\s+(?:is|are)\s+(?:fine|well|healthy)|"
    r"psychological|emotional|all\s+in)",
    re.IGNORECASE,
)


def tests_guard(doc: Document, start: int, end: int) -> tuple[int, int] | None:
    """'tests were normal so ...' only counts when what follows denies the symptoms or makes them
    psychological; the span then runs to the end of that conclusion."""
    _, se = doc.sentence(start)
    tail = _TESTS_CONSEQUENCE.search(doc.text, end, min(se, end + 110))
    if tail is None:
        return None
    end = tail.end()
    # run on to the end of the conclusion's key phrase ("...nothing physically wrong")
    rest = re.match(
        r"(?:\s+(?:is|was|physically|medically|really|wrong|with\s+(?:her|him|them|you)|"
        r"psychological|emotional|stress|anxiety|mental))+",
        doc.text[end:se],
    )
    if rest:
        end += rest.end()
    return start, end


PSYCHOSOMATIC_OK = r"\s+(?:therap\w+|medicine|physio\w*|approach\w*|services?|clinic|programmes?|treatment|practitioners?|model)"
