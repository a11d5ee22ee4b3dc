"""The wording checker's entry points: :func:`check`, :func:`untreatable_labels`,
:func:`tacit_dualism_markers` and :func:`with_replacement`.

A check gathers the rule findings (only rules whose gate lets the text through run), the causal
claims and the preferred-term findings, marks quoted ones low, keeps one finding per overlap and
remembers the result in the :class:`~sessionnotes.analysis.cache.AnalysisCache` it is given.
"""

from __future__ import annotations

import re

from ..cache import AnalysisCache
from ..text import matching, negation
from .causal import PHRASE_POSSIBLE, causal_claims
from .claims import might_claim
from .document import Document
from .guards import STRONG_CERTAIN, hedged, negated
from .model import (
    BLAMING,
    CERTAINTY,
    COERCIVE,
    CONTEXTS,
    DUALISTIC,
    JARGON,
    NORMALISING,
    PREFERRED_TERM,
    STIGMATISING,
    UNTREATABLE,
    Finding,
    RawFinding,
)
from .reword import reword
from .rules import S_NEGATED_FEIGN, S_PRIVATE, S_QUOTED, W_FEIGN, W_PREFERRED
from .ruleset import rule_set
from .structural import structural_claims

# =============================================================================================
# The checker
# =============================================================================================

_PREFERRED_MUS = matching.LazyPattern(r"(?<![\w-])MUP?S(?![\w-])")
_PREFERRED_UNEXPLAINED = matching.LazyPattern(
    r"\bmedically[- ]unexplained(?:\s+(?:physical\s+)?(?:symptoms?|illness(?:es)?|conditions?|pain))?\b", re.IGNORECASE
)
_MUS_TERMS = frozenset(
    {"mus", "mups", "medically unexplained symptoms", "medically unexplained", "medically unexplained physical symptoms"}
)


def _rule_findings(doc: Document, kind: str, mask: int | None = None) -> list[RawFinding]:
    out = []
    rules, index, rule_bits = rule_set(kind)
    if mask is None:
        mask = index.mask(doc.info)
    for k in index.test(doc.info, mask & rule_bits):
        rule = rules[k]
        for m in rule.pattern.finditer(doc.text):
            hit = m.groupdict().get("hit")
            start, end = m.span("hit") if hit else (m.start(), m.end())
            if rule.guard is not None:
                moved = rule.guard(doc, start, end)
                if moved is None:
                    continue
                start, end = moved
            if rule.negatable and negated(doc, start):
                continue
            certain = False
            if rule.hedged_ok:
                cs, _ = doc.clause(start)
                certain = bool(STRONG_CERTAIN.search(doc.text[max(cs, start - 30) : end]))
                if hedged(doc, start, end) and not certain:
                    continue
            severity = "high" if (rule.category == CERTAINTY and certain) else rule.severity
            out.append(
                (
                    rule.id,
                    rule.category,
                    severity,
                    start,
                    end,
                    rule.why,
                    rule.suggestion,
                    rule.tacit,
                    rule.replacement,
                    rule.group,
                )
            )
    return out


def _preferred_term_findings(doc: Document, preferred_term: str) -> list[RawFinding]:
    term = preferred_term.strip()
    if not term or term.lower() in _MUS_TERMS:
        return []
    why = W_PREFERRED
    suggestion = f"Use the patient's preferred term: '{term}'."
    out = []
    for rx in (_PREFERRED_MUS, _PREFERRED_UNEXPLAINED):
        for m in rx.finditer(doc.text):
            out.append(("preferred-term", PREFERRED_TERM, "medium", m.start(), m.end(), why, suggestion, False, term, ""))
    return out


_RANK = {"high": 0, "medium": 1, "low": 2}
_CATEGORY_PRIORITY = {
    DUALISTIC: 0,
    STIGMATISING: 1,
    BLAMING: 2,
    COERCIVE: 3,
    NORMALISING: 4,
    PREFERRED_TERM: 5,
    JARGON: 6,
    CERTAINTY: 7,
}


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """Drop a finding that overlaps a same-category finding already kept (the longer wins), and a
    certainty finding that overlaps a dualistic or stigmatising one (the stronger concern covers it)."""
    ordered = sorted(findings, key=lambda f: (_CATEGORY_PRIORITY[f.category], -(f.end - f.start), f.start))
    kept: list[Finding] = []
    for f in ordered:
        clash = False
        for k in kept:
            if f.start < k.end and k.start < f.end:
                if k.category == f.category:
                    clash = True
                elif f.category == CERTAINTY and k.category in (DUALISTIC, STIGMATISING):
                    clash = True
            if clash:
                break
        if not clash:
            kept.append(f)
    return sorted(kept, key=lambda f: (f.start, f.end, f.category))


_REWORD_LOW: frozenset[str] = frozenset()
"""Rules whose low-severity findings still get a rewording (none so far)."""


def _check_cached(text: str, context: str, preferred_term: str, only: str, cache: AnalysisCache | None) -> tuple[Finding, ...]:
    """The findings, remembered in ``cache.language`` when a cache is given."""
    if cache is None:
        return _check_text(text, context, preferred_term, only, None)
    key = ("findings", text, context, preferred_term, only)
    found = cache.language.get(key)
    if isinstance(found, tuple):
        return found
    findings = _check_text(text, context, preferred_term, only, cache)
    cache.language.put(key, findings)
    return findings


def _check_text(text: str, context: str, preferred_term: str, only: str, cache: AnalysisCache | None) -> tuple[Finding, ...]:
    kind = UNTREATABLE if only == UNTREATABLE else "private" if context == "private" else "all"
    rules, index, _bits = rule_set(kind)
    mask = index.mask(matching.text_info(text, cache))
    if not mask and kind != "all" and matching.Phrase.possible is PHRASE_POSSIBLE and not might_claim(text):
        # No rule and no causal phrase holds this text's key words: nothing can be found (the
        # "all" context also reports the preferred term, which is not gated).
        return ()
    doc = Document(text, cache)
    if only == UNTREATABLE:
        raw = _rule_findings(doc, UNTREATABLE, mask)
    else:
        raw = _rule_findings(doc, kind, mask)
        raw += causal_claims(doc, mask >> len(rules))
        raw += structural_claims(doc, tacit_only=context == "private")
        if context != "private":
            raw += _preferred_term_findings(doc, preferred_term)
    if not raw:
        return ()
    findings = []
    for rule_id, category, severity, start, end, why, suggestion, tacit, replacement, group in raw:
        if context == "private" and not (tacit or group == UNTREATABLE):
            continue
        quoted = doc.is_quoted(start, end)
        if not quoted and negation.scope_negated(text, start, doc.sentence(start)[0], ignore=(start, end)):
            if why != W_FEIGN:
                continue  # "nobody is suggesting that...", "I do not think it would be right to call...": not a claim
            # "no evidence that he is malingering": denied, but the word still plants the idea
            severity, replacement, suggestion = "low", "", S_NEGATED_FEIGN
        if context == "private" and group != UNTREATABLE:
            severity = "medium" if severity == "high" else severity
            why = why + S_PRIVATE
        if quoted:
            severity = "low"
            suggestion = S_QUOTED
            replacement = ""
        elif replacement and _NEGATED_JUST_BEFORE.search(text, max(0, start - 24), start):
            replacement = ""  # "it is not all in her mind": a drop-in would turn it round
        alternatives: tuple[str, ...] = ()
        if not quoted and severity != "low" or rule_id in _REWORD_LOW:
            worded = reword(rule_id, text[start:end], text[slice(*doc.sentence(start))]) if not quoted else None
            if worded is not None and not (replacement and not worded[0]):
                replacement, alternatives, advice = worded
                suggestion = f"{advice} {suggestion}" if advice else suggestion
        findings.append(
            Finding(
                alternatives=alternatives,
                category=category,
                severity=severity,
                start=start,
                end=end,
                matched=text[start:end],
                why=why,
                suggestion=suggestion,
                quoted=quoted,
                rule=rule_id,
                replacement=replacement,
            )
        )
    return tuple(_dedupe(findings))


def check(text: str, context: str = "letter", *, preferred_term: str = "", cache: AnalysisCache | None = None) -> list[Finding]:
    """Findings on wording in ``text`` that may harm, stigmatise or confuse the reader.

    ``context`` is ``"letter"`` (anything the GP or patient may read), ``"shared"`` (formulation
    items shared with the patient) or ``"private"`` (the therapist's own notes: only "untreatable"
    and tacit-dualism markers are reported). ``preferred_term`` is the patient's own term for their
    symptoms; "MUS" / "medically unexplained" are reported when it differs.

    Findings come in text order; each span indexes ``text`` exactly. Quoted or reported speech is
    marked ``quoted=True`` with low severity.

    ``cache`` (the unlocked vault's :class:`~sessionnotes.analysis.cache.AnalysisCache`) remembers
    the findings and the text's word tables until it is cleared; without one nothing is kept.
    """
    if context not in CONTEXTS:
        raise ValueError(f"context must be one of: {', '.join(CONTEXTS)} (got {context!r})")
    if not isinstance(text, str):
        raise TypeError("text must be a string")
    if not text.strip():
        return []
    return list(_check_cached(text, context, preferred_term or "", "", cache))


def untreatable_labels(text: str, cache: AnalysisCache | None = None) -> list[Finding]:
    """Only the "untreatable" labelling findings (any context; quoted ones are marked)."""
    if not text or not text.strip():
        return []
    return list(_check_cached(text, "private", "", UNTREATABLE, cache))


def tacit_dualism_markers(text: str, cache: AnalysisCache | None = None) -> list[Finding]:
    """Tacit-dualism markers in the therapist's own text (the private-context findings other than
    "untreatable"): wording that makes the symptoms unreal, imagined or purely psychological."""
    if not text or not text.strip():
        return []
    return [f for f in _check_cached(text, "private", "", "", cache) if f.rule != "untreatable"]


_NEGATED_JUST_BEFORE = matching.LazyPattern(
    negation.negator_before({"negation"}, reach=2, word=r"\w+", commas=False, word_start_only=True), re.IGNORECASE
)
"""Not / never / n't one or two words before a match: its drop-in rewording would turn it round.
("n't" only on its own, as it always has been here: "don't" does not count.)"""


def with_replacement(text: str, finding: Finding) -> str:
    """``text`` with the finding's drop-in replacement applied (unchanged when it has none)."""
    if not finding.replacement or text[finding.start : finding.end] != finding.matched:
        return text
    return text[: finding.start] + finding.replacement + text[finding.end :]
