"""Negation and clause scope: does a negator govern the words at a given place in a note?

The flag detectors look for phrases and vocabulary words in therapists' notes, and must not count
them when the note says the opposite ("no talk of feelings or family", "rather than the tests").
Two views of the same rule live here:

* on raw text (:func:`negated`): a negator a few words back, within the same clause, where the
  strong negators ("not", "never", "without", "declined"...) reach up to five words and the
  softer ones ("less", "rather than", "instead of", "unlike") only the next word or two;
* on tokens (:func:`token_negated`), for vocabulary scans over :func:`.matching.tokens`.

Clause breaks (punctuation, "but", "and", "then", "although", "though", "so") stop a negator's
reach in both views.
"""

from __future__ import annotations

import re

from .matching import LazyPattern

__all__ = [
    "CLAUSE_BREAK",
    "NEGATION_BEFORE",
    "NEGATOR_STEMS",
    "NEGATOR_WORDS",
    "STRONG_NEGATORS",
    "TOKEN_BREAKS",
    "WEAK_NEGATORS",
    "negated",
    "token_negated",
]

# ---------------------------------------------------------------------------------------------
# On raw text
# ---------------------------------------------------------------------------------------------

NEGATION_BEFORE = LazyPattern(
    r"(?:\bnot|n't|\bno|\bnever|\bno\s+longer|\bwithout|\bnothing\s+about|\bavoided|\bavoids|\bavoiding|\bdeclined|"
    r"\brefused|\bdeflected|\bunable\s+to|\bcould\s+not\s+name|\bcouldn't\s+name|\bhard\s+to\s+name|\bnor)"
    r"[\s,]+(?:[\w'-]+[\s,]+){0,4}$"
    r"|(?:\bless|\blittle|\bfewer|\brather\s+than|\binstead\s+of|\bunlike)\s+(?:[\w'-]+\s+)?$",
    re.IGNORECASE,
)
"""A negator a few words back, at the end of the text before a phrase ("no talk of feelings or
family"); the softer ones ("less", "rather than") only govern the next word or two."""

CLAUSE_BREAK = LazyPattern(r"[.;:!?\n]|\b(?:but|and|then|although|though|so)\b", re.IGNORECASE)
"""Where a clause starts: a negator before the last of these does not reach past it."""

NEGATOR_STEMS = (
    "no", "n't", "never", "without", "avoid", "declined", "refused", "deflected", "unable", "could", "hard",
    "less", "little", "fewer", "rather", "instead", "unlike",
)  # fmt: skip
"""Each alternative of :data:`NEGATION_BEFORE` contains one of these (lower case; ASCII text only),
so a window holding none of them cannot be negated and the regex need not run."""


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
# On tokens
# ---------------------------------------------------------------------------------------------

TOKEN_BREAKS = frozenset({".", "and", "but", "then", "although", "though", "so"})
"""Tokens that end a clause: a negator before one does not reach past it."""
STRONG_NEGATORS = frozenset(
    {"no", "not", "never", "without", "nothing", "nor", "avoided", "avoids", "avoiding", "declined", "refused",
     "deflected", "unable", "cannot"}
)  # fmt: skip
"""Negators that reach up to five tokens ahead (as do words ending in "n't")."""
WEAK_NEGATORS = frozenset({"less", "little", "fewer", "unlike"})
"""Negators that reach only the next token or two (as do "rather than" and "instead of")."""


def token_negated(tokens: tuple[str, ...], i: int) -> bool:
    """Whether a negator a few tokens back (same clause) governs token ``i``: "no talk of
    feelings or family"; the softer "less" / "rather than" only reach one or two tokens."""
    for back in range(1, 6):
        j = i - back
        if j < 0:
            return False
        word = tokens[j]
        if word in TOKEN_BREAKS:
            return False
        if word in STRONG_NEGATORS or word.endswith("n't"):
            return True
        if back <= 2 and (word in WEAK_NEGATORS or (word in ("than", "of") and j > 0 and tokens[j - 1] in ("rather", "instead"))):
            return True
    return False


NEGATOR_WORDS = STRONG_NEGATORS | WEAK_NEGATORS | {"than", "of"}
"""Every token :func:`token_negated` can answer ``True`` on (besides words ending in "n't"): a
window holding none of them (and no "n't") is not negated."""
