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
reach in both views. A few negators appear in one view only (``text`` / ``tokens`` in the table),
where the two views have always differed: "hard to name" on raw text, "cannot" as a token.
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
)
"""Every negator the analysis knows (see the module docstring)."""

WORDING_KINDS = frozenset({"negation", "negation-other"})
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
