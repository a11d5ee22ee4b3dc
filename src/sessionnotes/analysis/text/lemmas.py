"""Words to lemmas: inflections and British/US spellings read by a library, not listed by hand.

The wording checker recognises a label or a verb in any of its forms ("somatisers", "somatized",
"refused", "refusing", "behaviours") by reducing each word to its dictionary form with
lemminflect (a well-kept English lemmatiser that needs no downloaded model), after folding the
regular British spellings onto the US ones lemminflect knows (-ise/-isation/-iser, -our, -ae-/-oe-,
-ence/-ense, -tre). Everything loads on first use: importing this module imports nothing heavy, so
the app starts as fast as before; the per-word answers are cached.
"""

from __future__ import annotations

import re
from functools import lru_cache
from types import ModuleType

__all__ = ["lemma", "lemmas", "inflect", "tag_of", "us_spelling"]

_LIB: ModuleType | None = None


def _lib() -> ModuleType:
    global _LIB
    if _LIB is None:
        import lemminflect  # deferred: about 0.1 s to import, and only the wording checker needs it

        _LIB = lemminflect
    return _LIB


_US_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(a), b)
    for a, b in (
        (r"is(e|es|ed|ing|er|ers|ation|ations)$", r"iz\1"),
        (r"(?<=[a-z]{2})our(s|ed|ing|al|ite|ites|ful)?$", r"or\1"),
        (r"yse(s|d)?$", r"yze\1"),
        (r"ae(?=[a-z]{2})", "e"),
        (r"oe(?=[a-z]{3})", "e"),
        (r"(?<=[a-z]{3})tre(s)?$", r"ter\1"),
        (r"(?<=def|off|lic)ence(s)?$", r"ense\1"),
        (r"(?<=[a-z]{3})ogue(s)?$", r"og\1"),
    )
)
_US_KEEP = frozenset("rise raise arise advise advertise exercise promise precise concise wise otherwise noise poise".split())


@lru_cache(maxsize=4096)
def us_spelling(word: str) -> str:
    """The US spelling of a lower-case British form ("somatisers" -> "somatizers",
    "behaviour" -> "behavior"); other words come back unchanged."""
    if word in _US_KEEP or len(word) < 5:
        return word
    for rx, repl in _US_RULES:
        word = rx.sub(repl, word, count=1)
    return word


@lru_cache(maxsize=8192)
def lemmas(word: str) -> frozenset[str]:
    """Every dictionary form ``word`` may be (lower case, US spelling), the word itself included:
    "refused" -> {"refused", "refuse"}, "somatisers" -> {"somatizers", "somatizer"}."""
    low = us_spelling(word.lower().replace("’", "'"))
    out = {low}
    if not low.isalpha():
        return frozenset(out)
    lib = _lib()
    for forms in lib.getAllLemmas(low).values():
        out.update(forms)
    if len(out) == 1:
        for upos in ("NOUN", "VERB", "ADJ"):
            out.update(lib.getAllLemmasOOV(low, upos).get(upos, ()))
    return frozenset(f.lower() for f in out)


def lemma(word: str) -> str:
    """One dictionary form of ``word`` (the shortest), for display and grouping."""
    return min(lemmas(word), key=lambda f: (len(f), f))


@lru_cache(maxsize=4096)
def tag_of(word: str, base: str) -> str:
    """The Penn tag of ``word`` as an inflection of verb ``base`` ("refused" -> "VBD"); "VB" when
    it is none of them."""
    low = word.lower()
    for tag, forms in _lib().getAllInflections(base, upos="VERB").items():
        if low in forms and tag in ("VBD", "VBZ", "VBG", "VBN"):
            return str(tag)
    return "VB"


def inflect(base: str, tag: str) -> str:
    """``base`` inflected for ``tag`` ("feel", "VBD" -> "felt"); the base when it has no such form."""
    forms = _lib().getInflection(base, tag=tag)
    return str(forms[0]) if forms else base
