"""Reading a document's sentences for structural claims: :func:`structural_claims`.

Each sentence is read only by the claim detectors of :mod:`.claims` whose trigger words it holds
(:func:`_detectors_for`: a verb of causing for a cause, a reality word for a denial of the body, an
obligation and a verb of accepting for coercion...), read with the same words and dictionary forms
the detectors use, so skipping a sentence never loses a finding; the therapist's private notes are
read only for the claims that are tacit-dualism markers.
"""

from __future__ import annotations

import re
from functools import lru_cache, reduce
from operator import or_

from .claims import (
    _ABSENCE,
    _KIND_TRIGGERS,
    _WORD,
    ACCEPT,
    ADVICE,
    IGNORE,
    LABELS,
    MIND_PLACE,
    MIND_PRED,
    NOUN_CAUSE,
    NOUN_RESULT,
    OBLIGE,
    REAL,
    REFLEXIVE,
    REFUSE,
    SABOTAGE,
    SUFFIX_CAUSE,
    VERB_CAUSE,
    VERB_FROM,
    _blame,
    _causes,
    _coercion,
    _denials,
    _forms,
    _labels,
    _Sentence,
    _set,
)
from .document import Document
from .model import RawFinding

_CAUSES, _DENIALS, _COERCION, _BLAME, _LABELS, _FEIGN = 1, 2, 4, 8, 16, 32
_ACCEPT, _OBLIGE, _IGNORE, _ADVICE, _AT = 64, 128, 256, 512, 1024
_CAUSE_WORDS = VERB_CAUSE | VERB_FROM | NOUN_RESULT | NOUN_CAUSE
_DENIAL_WORDS = REAL | MIND_PRED | MIND_PLACE
_DENIAL_LOW = frozenset({"non-organic", "nonorganic", "inorganic", "overlay", "overlays"})
_AT_LOW = frozenset({"no", "without", "lack", "lacks", "absence", "nothing", "anything"})
_FEIGN_WORDS = _set("malinger malingerer")
_NOTHING_WRONG = re.compile(r"\s+(?:\w+ly\s+)?(?:the\s+matter|wrong)\s+with\s+(?!\w+ing\b)")
_INFER_LEADS = ("therefore", "thus", "hence", "so", "must")
_INFER_TAILS = (
    "psychological", "emotional", "mental", "psychiatric", "psychosomatic", "functional", "stress", "anxiety",
    "nerves", "mind", "head",
)  # fmt: skip
_CASE_FOLDS = frozenset("\u0130\u0131\u017f\u212a")
"""Characters a case-insensitive pattern matches against an ASCII letter though ``str.lower()``
keeps them apart (İ, ı, ſ, the Kelvin sign): a text holding one is read in full, ungated."""


@lru_cache(maxsize=16384)
def _word_bits(word: str) -> int:
    """What a word (as written) can start: bit per detector whose trigger words include it
    (``_AT``: a word whose trigger depends on what follows it, checked in place)."""
    lem, low = _forms(word), word.lower()
    bits = 0
    if not lem.isdisjoint(_CAUSE_WORDS) or low == "behind" or SUFFIX_CAUSE.match(low):
        bits |= _CAUSES
    if not lem.isdisjoint(_DENIAL_WORDS) or low in _DENIAL_LOW:
        bits |= _DENIALS
    if low in _AT_LOW:
        bits |= _AT
    if not lem.isdisjoint(ACCEPT):
        bits |= _ACCEPT
    if not lem.isdisjoint(OBLIGE):
        bits |= _OBLIGE
    if not lem.isdisjoint(REFLEXIVE | REFUSE | SABOTAGE) or low == "responsibility":
        bits |= _BLAME
    if not lem.isdisjoint(IGNORE):
        bits |= _IGNORE
    if not lem.isdisjoint(ADVICE):
        bits |= _ADVICE
    if not lem.isdisjoint(LABELS):
        bits |= _LABELS | (_FEIGN if not lem.isdisjoint(_FEIGN_WORDS) else 0)
    return bits


def _detectors_for(doc: Document, start: int, end: int, tacit_only: bool) -> int:
    """The detectors that could find something in the sentence ``start..end``: each needs one of
    its trigger words there (a verb of causing for a cause, a reality word for a denial, an
    obligation and a verb of accepting for coercion...), read with the same words and dictionary
    forms the detectors use. A necessary condition only: the detectors decide."""
    text = doc.text
    bits = reduce(or_, map(_word_bits, _WORD.findall(text, start, end)), 0)
    if bits & _AT:  # "no physical cause", "nothing the matter with": read in place
        for m in _WORD.finditer(text, start, end):
            low = m.group().lower()
            if low in ("nothing", "anything"):
                if _NOTHING_WRONG.match(text[m.end() : m.end() + 50]):
                    bits |= _DENIALS
            elif low in _AT_LOW and _ABSENCE.match(text, m.start()):
                bits |= _DENIALS
    low = doc.low[start:end]
    if any(w in low for w in _INFER_LEADS) and any(w in low for w in _INFER_TAILS) or "conversion" in low:
        bits |= _CAUSES  # "therefore psychological", "conversion symptoms": found by their patterns
    if "drama" in low or "put" in low:
        bits |= _LABELS | _FEIGN  # "drama queen", "put on": the phrase labels (always tacit)
    wanted = bits & (_CAUSES | _DENIALS)
    wanted |= bits & _FEIGN if tacit_only else bits & _LABELS
    if not tacit_only:
        if bits & _ACCEPT and bits & _OBLIGE:
            wanted |= _COERCION
        if bits & _BLAME or (bits & _IGNORE and bits & _ADVICE):
            wanted |= _BLAME
    return wanted


def structural_claims(doc: Document, tacit_only: bool = False) -> list[RawFinding]:
    """Every structural claim in ``doc`` (see the module docstring), sentence by sentence.

    ``tacit_only``: only the claims that are tacit-dualism markers (causes, denials of the body,
    feigning labels), which is all the therapist's private notes are checked for; coercion, blame
    and the other labels are not read at all. A sentence is read only when some detector's trigger
    words are in it (:func:`_detectors_for`), and only by those detectors."""
    out: list[RawFinding] = []
    text = doc.text
    gated = _CASE_FOLDS.isdisjoint(text)
    for start, end in zip(doc.sentence_starts, doc.sentence_ends, strict=True):
        if end <= start:
            continue
        wanted = _detectors_for(doc, start, end, tacit_only) if gated else (_CAUSES | _DENIALS | _COERCION | _BLAME | _LABELS)
        if not wanted or not _KIND_TRIGGERS.search(text, start, end):
            continue
        s = _Sentence(doc, start, end)
        if wanted & _CAUSES:
            out += _causes(s)
        if wanted & _DENIALS:
            out += _denials(s)
        if wanted & _COERCION and not tacit_only:
            out += _coercion(s)
        if wanted & _BLAME and not tacit_only:
            out += _blame(s)
        if wanted & (_LABELS | _FEIGN):
            out += [f for f in _labels(s) if f[7]] if tacit_only else _labels(s)
    return out
