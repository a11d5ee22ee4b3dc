"""Certainty about cause stated as a causal claim: "X is caused by Y", "Y is causing X",
"X is psychological". Found clause by clause from connectors and predicates; silenced by a hedge,
by negation and by comparatives ("worse because of stress")."""

from __future__ import annotations

import re

from ..text import lexicon, matching, negation
from .document import Document
from .guards import HEDGE_STRONG, HEDGE_WEAK, NEGATED_BEFORE, STRONG_CERTAIN
from .model import CERTAINTY, RawFinding
from .rules import S_CERTAIN, W_CERTAIN

# =============================================================================================
# Causal claims (certainty about cause): "X is caused by Y", "Y is causing X", "X is psychological"
# =============================================================================================

_CONNECT_STRONG = matching.Phrase(r"(?<![\w-])" + lexicon.alternation(lexicon.CAUSAL_CONNECTORS_STRONG) + r"(?![\w-])")
_CONNECT_WEAK = matching.Phrase(r"(?<![\w-])" + lexicon.alternation(lexicon.CAUSAL_CONNECTORS_WEAK) + r"(?![\w-])")
_CAUSING = matching.Phrase(r"(?<![\w-])" + lexicon.alternation(lexicon.CAUSING_VERBS) + r"(?![\w-])")
_PRONOUN_SUBJECT = matching.LazyPattern(
    r"(?:^|\W)(?:it|this|these|they|that|which)\s+(?:(?:is|are|was|were|'s|'re|has|have|had|been|being|seems?|must|be|"
    r"all|not|clearly|obviously|definitely|certainly|simply|just|only|purely|entirely|really|most|mainly|largely)\s+)*$",
    re.IGNORECASE,
)
_COPULA_BEFORE = matching.LazyPattern(
    r"\b(?:is|are|was|were|has\s+been|have\s+been|must\s+be|'s|'re)\s+(?:(?:all|simply|just|only|purely|entirely|"
    r"clearly|obviously|definitely|certainly|undoubtedly|directly|really|mainly|largely|mostly|solely)\s+)*$",
    re.IGNORECASE,
)
_CERTAIN_BEFORE = matching.LazyPattern(
    r"(?<![\w-])(?:clearly|obviously|definitely|certainly|undoubtedly|unquestionably|evidently|plainly|surely|absolutely|"
    r"directly|entirely|purely|solely|wholly|simply|just|only|all|completely|really|must\s+be)\s+(?:\w+\s+){0,1}$",
    re.IGNORECASE,
)
_PREDICATE_HEAD = (
    r"(?P<subj>(?<![\w-])" + lexicon.alternation(lexicon.EFFECT_WORDS) + r"|\b(?:it|this|these|they|that))(?![\w-])"
    r"(?P<mid>\s+(?:[\w'-]+\s+){0,3}?)"
)
_PREDICATE_TAIL = (
    r"(?P<cop>is|are|was|were|'s|'re|must\s+be|has\s+been|have\s+been|seems?|appears?)\s+"
    r"(?P<cert>" + lexicon.alternation(lexicon.CERTAINTY_MARKERS) + r"\s+)?(?:(?:a|an|mostly|mainly|largely|really)\s+)?"
    r"(?P<pred>" + lexicon.alternation(lexicon.PSYCH_PREDICATES) + r")(?![\w-])"
    r"(?!\s+(?:impact|effects?|toll|side|health|support|therap\w+|distress|wellbeing|needs|difficulties|factors?|aspects?|"
    r"component|part|care|services?|problems|symptoms|response|reaction|management|fracture|test|levels?|"
    r"for|to|when|about|at|and\s+physical|as\s+well))"
)
_PREDICATE_RE = matching.LazyPattern(_PREDICATE_HEAD + _PREDICATE_TAIL, re.IGNORECASE)
_PREDICATE = matching.Phrase(_PREDICATE_RE)
_PREDICATE_TAIL_RE = matching.LazyPattern(_PREDICATE_TAIL, re.IGNORECASE)
"""The end of ``_PREDICATE_RE`` from the copula on, alone. Every match of the whole pattern
contains a match of this one (same text, same bounds, same look-aheads), and it is far cheaper
than trying every symptom word at every position, so a clause without it is skipped."""
CAUSAL_PHRASES = (_CONNECT_STRONG, _CONNECT_WEAK, _CAUSING, _PREDICATE)
PHRASE_POSSIBLE = matching.Phrase.possible
"""The gate check in force at import; the no-findings shortcut is skipped if it is replaced."""
_PRONOUNS = frozenset({"it", "this", "these", "they", "that"})
_NOT_IN_MID = matching.LazyPattern(negation.negator_anywhere({"negation"}), re.IGNORECASE)
"""Not / n't / never as a word (\"n't\" only on its own, as it always has been here)."""
_COMPARATIVE_BEFORE = matching.LazyPattern(
    r"\b(?:worse|better|more|less|exacerbated|aggravated|heightened|increased|intensified|put|partly|partially|"
    r"sometimes|often|occasionally)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
"""'Worse because of stress' describes a pattern the patient notices, not a cause; 'put down to'
reports someone else's attribution."""


def _effect_context(doc: Document, pos: int) -> bool:
    """A pronoun subject ("it is clearly caused by stress") needs a symptom named just before."""
    return doc.effect.first(max(0, pos - 300), pos) is not None


def _cause_finding(start: int, end: int, certain: bool, rule: str, replacement: str = "") -> RawFinding:
    severity = "high" if certain else "medium"
    return (rule, CERTAINTY, severity, start, end, W_CERTAIN, S_CERTAIN, True, replacement, "")


def causal_claims(doc: Document, known: int | None = None) -> list[RawFinding]:
    """Certainty-about-cause findings from causal connectors and predicates, clause by clause.

    Three shapes: a symptom *is caused by / due to / a manifestation of* a psychological cause;
    a psychological cause *is causing / lies behind / manifests as* a symptom; a symptom *is
    psychological / stress-related / down to nerves*. Each is silenced by a hedge in its clause,
    by negation ("is not caused by stress") and by comparatives ("worse because of stress").
    """
    text = doc.text
    info = doc.info
    # Each shape needs its words somewhere in the text (the gates, worked out once per text); the
    # predicate shape also needs its tail in the clause. Clauses that can hold none of them are
    # skipped before any per-clause regex runs: the same findings, far fewer regex runs.
    if known is None or matching.Phrase.possible is not PHRASE_POSSIBLE:
        known = 0b1111
    # ``known``: bit k clear means CAUSAL_PHRASES[k] lacks its key words (see rule_set)
    strong_ok = bool(known & 1) and _CONNECT_STRONG.possible(info)
    weak_ok = bool(known & 2) and _CONNECT_WEAK.possible(info)
    causing_ok = bool(known & 4) and _CAUSING.possible(info)
    predicate_ok = bool(known & 8) and _PREDICATE.possible(info)
    connectors_possible = strong_ok or weak_ok or causing_ok
    if not connectors_possible and not predicate_ok:
        return []
    out: list[RawFinding] = []
    for cs, ce in doc.clauses():
        has_psych = connectors_possible and doc.psych.first(cs, ce) is not None
        tail_ok = predicate_ok and _PREDICATE_TAIL_RE.search(text, cs, ce) is not None
        if not has_psych and not tail_ok:
            continue
        clause = text[cs:ce]
        if HEDGE_STRONG.search(clause):
            continue
        hedge_weak = bool(HEDGE_WEAK.search(clause))
        # 1. effect ... connector ... cause   ("her pain is clearly caused by stress")
        for weak, rx, rx_ok in ((False, _CONNECT_STRONG, strong_ok), (True, _CONNECT_WEAK, weak_ok)):
            for m in rx.pattern.finditer(text, cs, ce) if has_psych and rx_ok else ():
                before = text[cs : m.start()]
                cause = doc.psych.first(m.end(), min(ce, m.end() + 60))
                if cause is None or cause[0] - m.end() > 40:
                    continue
                if NEGATED_BEFORE.search(before[-30:]) or _COMPARATIVE_BEFORE.search(before[-30:]):
                    continue
                unanchored = False  # "it is clearly caused by stress" with no symptom named before
                if doc.effect.first(max(cs, m.start() - 110), m.start()) is None:
                    if not _PRONOUN_SUBJECT.search(before[-110:]):
                        continue
                    unanchored = not _effect_context(doc, m.start())
                tail = before[-30:]
                cert = _CERTAIN_BEFORE.search(tail)
                certain = bool(cert) or bool(STRONG_CERTAIN.search(before[-40:]))
                if (weak or hedge_weak or unanchored) and not certain:
                    continue
                start = m.start() - len(tail) + cert.start() if cert else m.start()
                replacement = ""
                cop = _COPULA_BEFORE.search(before)
                if cop:
                    start = min(start, cs + cop.start())
                    replacement = "may be partly connected with " + text[m.end() : cause[1]].strip()  # keeps "her", "the"
                # unanchored: still a psychological cause stated as certain, but "it" may not be the
                # symptoms, so it is reported at medium severity (it does not hold a letter back)
                out.append(_cause_finding(start, cause[1], certain and not unanchored, "causal-claim", replacement))
        # 2. cause ... causing-verb ... effect   ("stress is causing her palpitations")
        for m in _CAUSING.pattern.finditer(text, cs, ce) if has_psych and causing_ok else ():
            causes = doc.psych.in_range(max(cs, m.start() - 70), m.start())
            if not causes:
                continue
            hit = doc.effect.first(m.end(), min(ce, m.end() + 60))
            if hit is None:
                continue
            if NEGATED_BEFORE.search(text[max(cs, m.start() - 25) : m.start()]) or doc.effect.first(causes[-1][1], m.start()):
                continue
            certain = bool(STRONG_CERTAIN.search(text, cs, hit[1]))
            if hedge_weak and not certain:
                continue
            out.append(_cause_finding(causes[0][0], hit[1], certain, "causal-claim"))
        # 3. effect is (clearly) psychological / stress-related / down to nerves
        for m in _PREDICATE.pattern.finditer(text, cs, ce) if tail_ok else ():
            unanchored = m.group("subj").lower() in _PRONOUNS and not _effect_context(doc, m.start())
            mid = m.group("mid") or ""
            if _NOT_IN_MID.search(mid):
                continue
            certain = bool(m.group("cert")) or m.group("cop").lower().startswith("must")
            if (hedge_weak or unanchored) and not certain:
                continue
            start = m.start("cert") if m.group("cert") else m.start("pred")
            if m.group("cop").lower().startswith("must"):
                start = m.start("cop")
            out.append(_cause_finding(start, m.end("pred"), certain and not unanchored, "psychological-predicate"))
    return out
