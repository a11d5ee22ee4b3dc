"""Negation and clause scope: does a negator govern the words at a given place in a note?

The flag detectors look for phrases and vocabulary words in therapists' notes, and must not count
them when the note says the opposite ("no talk of feelings or family", "rather than the tests");
the wording checker must not report "it is not all in her mind" as a claim. Both read their
negators from one table, :data:`NEGATORS`: each negator's words, its kind, how many words after
it it governs, and whether commas may come between. The kinds say what a negator does:

* ``negation``: not, n't, never; ``negation-other``: no longer, nor;
* ``absence``: no, without, nothing about, unable to, hard to name...;
* ``refusal``: avoided, declined, refused, deflected...;
* ``contrast``: the softer less, little, fewer, rather than, instead of, unlike.

The flags consider every kind (a topic avoided or declined was not talked about); the wording
checker only ``negation`` and ``negation-other`` (:data:`WORDING_KINDS`), within three words.

Two views of the same table serve the flags:

* on raw text (:func:`negated`): a negator a few words back, within the same clause
  (:data:`NEGATION_BEFORE`, built from the table by :func:`negator_before`);
* on tokens (:func:`token_negated`), for vocabulary scans over :func:`.matching.tokens`.

Clause breaks (punctuation, "but", "and", "then", "although", "though", "so") stop a negator's
reach in both views. A few negators appear in one view only (``text`` / ``tokens`` in the
table), where the two views have always differed.

The wording checker reads a third view, with clause scope in the manner of NegEx and ConText
(Chapman et al. 2001; Harkema et al. 2009), :func:`scope_negated`: a negation trigger governs
everything after it up to the end of its clause, however far ("nobody is suggesting that your
symptoms are imagined", "I do not think it would be right to call this untreatable"). Triggers
are the ``negation`` kinds of the table plus the ``negation-frame`` kind (nobody, no one, none
of us, no suggestion that...), which only this view reads; pseudo-negations that strengthen
rather than deny ("no doubt", "without question", "not only") are not triggers; and a
termination ("but", "however", "because", a semicolon, ", and she ...") ends the scope.
Examples of the one-view negators: "hard to name" on raw text, "cannot" as a token.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from .matching import LazyPattern

__all__ = [
    "CLAUSE_BREAK",
    "NEGATION_BEFORE",
    "NEGATORS",
    "NEGATOR_STEMS",
    "NEGATOR_WORDS",
    "STRONG_NEGATORS",
    "TOKEN_BREAKS",
    "WEAK_NEGATORS",
    "WORDING_KINDS",
    "Negator",
    "negated",
    "negator_anywhere",
    "negator_before",
    "scope_negated",
    "scope_triggers",
    "token_negated",
]


@dataclass(frozen=True)
class Negator:
    """One negator: its words as written, its kind, how many words after it it governs (counted
    from its last word: 5 reaches "not [a b c d] topic"), whether commas may come between
    (``strong``), whether it is the end of a word (``ending``: "n't" in "don't") and which views
    hold it (raw ``text``, ``tokens``)."""

    words: str
    kind: str
    reach: int = 5
    strong: bool = True
    ending: bool = False
    text: bool = True
    tokens: bool = True


NEGATORS: tuple[Negator, ...] = (
    Negator("not", "negation"),
    Negator("n't", "negation", ending=True),
    Negator("never", "negation"),
    Negator("no longer", "negation-other", tokens=False),  # tokens: "no" covers it
    Negator("nor", "negation-other"),
    Negator("no", "absence"),
    Negator("without", "absence"),
    Negator("nothing about", "absence", tokens=False),
    Negator("nothing", "absence", text=False),
    Negator("unable to", "absence", tokens=False),
    Negator("unable", "absence", text=False),
    Negator("cannot", "absence", text=False),
    Negator("could not name", "absence", tokens=False),
    Negator("couldn't name", "absence", tokens=False),
    Negator("hard to name", "absence", tokens=False),
    *(Negator(word, "refusal") for word in ("avoided", "avoids", "avoiding", "declined", "refused", "deflected")),
    *(
        Negator(word, "contrast", reach=2, strong=False)
        for word in ("less", "little", "fewer", "rather than", "instead of", "unlike")
    ),
    *(
        Negator(words, "negation-frame", reach=99, text=False, tokens=False)
        for words in (
            "nobody",
            "no one",
            "no-one",
            "noone",
            "none of us",
            "none of them",
            "neither",
            "no suggestion",
            "no evidence",
            "no question of",
            "no reason to",
            "no implication",
            "no intention",
            "no sense in which",
            "far from",
            "nothing to suggest",
            "nothing suggests",
            "cannot",
            "can not",
            "doubt",
            "doubts",
            "doubted",
            "deny",
            "denies",
            "denied",
            "dispute",
            "disputes",
            "wrong to say",
            "wrong to suggest",
            "wrong to call",
            "unfair to say",
            "unfair to call",
            "a mistake to",
        )
    ),
)
"""Every negator the analysis knows (see the module docstring)."""

WORDING_KINDS = frozenset({"negation", "negation-other"})
SCOPE_KINDS = WORDING_KINDS | {"negation-frame"}
"""The kinds :func:`scope_negated` counts as clause-scope negation triggers."""
"""The kinds the wording checker counts (it does not read "avoided the topic" as denying it)."""
ALL_KINDS = frozenset(n.kind for n in NEGATORS)


def _alternative(negator: Negator, gap: str, word_start_only: bool) -> str:
    body = gap.join(re.escape(w) for w in negator.words.split(" "))
    return (r"\b" if word_start_only or not negator.ending else "") + body


def negator_before(
    kinds: Iterable[str] = ALL_KINDS,
    *,
    reach: int | None = None,
    word: str = r"[\w'-]+",
    gap: str = r"\s+",
    commas: bool = True,
    word_start_only: bool = False,
) -> str:
    """A regex that matches at the end of a text when a negator of ``kinds`` governs what comes
    next: the negator, then fewer words than its reach (``reach`` caps every negator's). Each
    caller says how it reads the words between: ``word`` (one word), ``gap`` (between a
    negator's own words), ``commas`` (whether a strong negator reaches across commas) and
    ``word_start_only`` (every negator, "n't" too, must start a word)."""
    chosen = [n for n in NEGATORS if n.text and n.kind in set(kinds)]
    groups: dict[tuple[int, bool], list[str]] = {}
    for negator in chosen:
        span = min(negator.reach, reach) if reach is not None else negator.reach
        key = (span, negator.strong and commas)
        groups.setdefault(key, []).append(_alternative(negator, gap, word_start_only))
    out = []
    for (span, with_commas), alternatives in groups.items():
        separator = r"[\s,]+" if with_commas else r"\s+"
        between = "" if span <= 1 else f"(?:{word}{separator}){{0,{span - 1}}}"
        out.append("(?:" + "|".join(alternatives) + ")" + separator + between + "$")
    return "|".join(out)


def negator_anywhere(kinds: Iterable[str], *, word_start_only: bool = True) -> str:
    """A regex for a negator of ``kinds`` as a whole word anywhere ("is not really")."""
    chosen = [n for n in NEGATORS if n.text and n.kind in set(kinds)]
    return "(?:" + "|".join(_alternative(n, r"\s+", word_start_only) for n in chosen) + r")\b"


# ---------------------------------------------------------------------------------------------
# On raw text (the flags)
# ---------------------------------------------------------------------------------------------

NEGATION_BEFORE = LazyPattern(negator_before(), re.IGNORECASE)
"""A negator a few words back, at the end of the text before a phrase ("no talk of feelings or
family"); the softer ones ("less", "rather than") only govern the next word or two."""

CLAUSE_BREAK = LazyPattern(r"[.;:!?\n]|\b(?:but|and|then|although|though|so)\b", re.IGNORECASE)
"""Where a clause starts: a negator before the last of these does not reach past it."""

NEGATOR_STEMS: tuple[str, ...] = tuple(sorted({n.words.split(" ")[0] for n in NEGATORS if n.text} - {"not", "nothing", "nor"}))
"""Each alternative of :data:`NEGATION_BEFORE` contains one of these (lower case; ASCII text
only: a negator's first word, "no" standing for "not", "nothing" and "nor"), so a window holding
none of them cannot be negated and the regex need not run."""


def negated(text: str, start: int) -> bool:
    """Whether a negator governs the words at ``start`` (within its clause, a few words back)."""
    window = text[max(0, start - 50) : start]
    last = None
    for last in CLAUSE_BREAK.finditer(window):  # noqa: B007 - we want the last clause break
        pass
    if last is not None:
        window = window[last.end() :]
    if window.isascii():  # every negator holds one of these: without any, no need to search
        low = window.lower()
        if not any(map(low.__contains__, NEGATOR_STEMS)):
            return False
    return bool(NEGATION_BEFORE.search(window))


# ---------------------------------------------------------------------------------------------
# On tokens (the flags' vocabulary scans)
# ---------------------------------------------------------------------------------------------

TOKEN_BREAKS = frozenset({".", "and", "but", "then", "although", "though", "so"})
"""Tokens that end a clause: a negator before one does not reach past it."""

_TOKEN_NEGATORS = [n for n in NEGATORS if n.tokens]
STRONG_NEGATORS = frozenset(n.words for n in _TOKEN_NEGATORS if n.strong and not n.ending)
"""Negators that reach up to five tokens ahead (as do words ending in "n't")."""
_SUFFIXES = tuple(n.words for n in _TOKEN_NEGATORS if n.ending)
"""Negators that end a word ("n't")."""
WEAK_NEGATORS = frozenset(n.words for n in _TOKEN_NEGATORS if not n.strong and " " not in n.words)
"""Negators that reach only the next token or two (as do "rather than" and "instead of")."""
_WEAK_PAIRS = [n.words.split(" ") for n in _TOKEN_NEGATORS if not n.strong and " " in n.words]
_PAIR_FIRSTS = tuple(first for first, _ in _WEAK_PAIRS)
_PAIR_LASTS = tuple(last for _, last in _WEAK_PAIRS)
_STRONG_REACH = max(n.reach for n in _TOKEN_NEGATORS if n.strong)
_WEAK_REACH = max(n.reach for n in _TOKEN_NEGATORS if not n.strong)


def token_negated(tokens: tuple[str, ...], i: int) -> bool:
    """Whether a negator a few tokens back (same clause) governs token ``i``: "no talk of
    feelings or family"; the softer "less" / "rather than" only reach one or two tokens."""
    for back in range(1, _STRONG_REACH + 1):
        j = i - back
        if j < 0:
            return False
        word = tokens[j]
        if word in TOKEN_BREAKS:
            return False
        if word in STRONG_NEGATORS or word.endswith(_SUFFIXES):
            return True
        if back <= _WEAK_REACH and (word in WEAK_NEGATORS or (word in _PAIR_LASTS and j > 0 and tokens[j - 1] in _PAIR_FIRSTS)):
            return True
    return False


NEGATOR_WORDS = STRONG_NEGATORS | WEAK_NEGATORS | frozenset(_PAIR_LASTS)
"""Every token :func:`token_negated` can answer ``True`` on (besides words ending in "n't"): a
window holding none of them (and no "n't") is not negated."""


# ---------------------------------------------------------------------------------------------
# Clause scope (the wording checker): NegEx / ConText style
# ---------------------------------------------------------------------------------------------

PSEUDO_NEGATIONS: tuple[str, ...] = (
    r"no\s+doubt",
    r"without\s+(?:a\s+|any\s+)?(?:doubt|question)",
    r"not\s+only",
    r"no\s+wonder",
    r"not\s+least",
    r"nothing\s+but",
    r"nothing\s+more\s+than",
    r"no\s+more\s+than",
    r"not\s+(?:be\s+)?surprising",
    r"can(?:not|'t)\s+(?:be\s+)?(?:anything|explained|accounted)\s+(?:other|else|except)",
    r"no\s+other",
    r"nothing\s+else",
    r"(?:did|does|do|has|have|had|was|were|is|are)(?:\s+not|n't)\s+(?:\w+\s+)?(?:find|found|show|shown|reveal|revealed|identify|identified|detect|detected)",
)
"""Words that look like negation but strengthen or merely report a test ("no doubt that",
"nothing but stress", "the scan did not show"): they trigger nothing."""

SCOPE_TERMINATIONS = (
    r"[;:!?]|\.(?=\s|$)|\s[–—-]\s|\b(?:but|however|although|though|whereas|yet|except|because|since|so\s+that|which|while)\b|"
    r",\s*(?=(?:and|so|then|she|he|they|we|i|you|her|his|their|it|this|there)\b)|\band\s+(?=(?:she|he|they|we|i|you|her|his|their|it|this|there)\b)"
)
"""Where a trigger's scope ends (ConText's termination terms)."""


def _scope_trigger_pattern() -> str:
    alternatives = []
    for n in NEGATORS:
        if n.kind in SCOPE_KINDS:
            words = r"\s+".join(re.escape(w) for w in n.words.split(" "))
            alternatives.append(words if n.ending else r"\b" + words + r"\b")
    return "|".join(sorted(alternatives, key=len, reverse=True))


_SCOPE_TRIGGER = LazyPattern(r"(?:" + _scope_trigger_pattern() + r")", re.IGNORECASE)
_PSEUDO = LazyPattern(r"\b(?:" + "|".join(PSEUDO_NEGATIONS) + r")", re.IGNORECASE)
_TERMINATION = LazyPattern(SCOPE_TERMINATIONS, re.IGNORECASE)


def scope_start(text: str, pos: int, sentence_start: int = 0) -> int:
    """Where the scope region holding ``pos`` starts: after the last termination before it."""
    last = sentence_start
    for m in _TERMINATION.finditer(text, sentence_start, pos):
        last = m.end()
    return last


def scope_triggers(
    text: str, pos: int, sentence_start: int = 0, *, ignore: tuple[int, int] | None = None
) -> list[tuple[int, int]]:
    """The negation triggers before ``pos`` whose scope reaches it (same scope region, see
    :data:`SCOPE_TERMINATIONS`), in text order. Triggers inside ``ignore`` (the claim's own
    words, as in "no organic basis") and pseudo-negations ("no doubt that", "the scan did not
    show") do not count."""
    begin = scope_start(text, pos, sentence_start)
    pseudo = [(m.start(), m.end()) for m in _PSEUDO.finditer(text, begin, pos)]
    out = []
    for m in _SCOPE_TRIGGER.finditer(text, begin, pos):
        if ignore is not None and ignore[0] <= m.start() < ignore[1]:
            continue
        if any(ps <= m.start() < pe for ps, pe in pseudo):
            continue
        out.append((m.start(), m.end()))
    return out


def scope_negated(text: str, pos: int, sentence_start: int = 0, *, ignore: tuple[int, int] | None = None) -> bool:
    """Whether a negation trigger before ``pos`` governs it (see :func:`scope_triggers`)."""
    return bool(scope_triggers(text, pos, sentence_start, ignore=ignore))
