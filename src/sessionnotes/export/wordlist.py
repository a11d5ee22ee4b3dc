"""Which words are ordinary English or clinical vocabulary, for the review step before export.

The review step lists capitalised words that are *not* known words: those are the ones that may be
names. The larger and better kept the word list, the shorter (and more useful) that list is.

:func:`english_words` is the one place the word list comes from. It uses the ``english-words``
package when it is installed (its lower-case entries only: capitalised entries there are proper
nouns, which must stay unknown here), and otherwise the small word list shipped for passphrases.
"""

from __future__ import annotations

import importlib
import re
from functools import cache
from importlib.resources import files

from ..analysis.text import lexicon
from ..analysis.text.pattern_tree import expand

# Grammar words: pronouns, determiners, prepositions, conjunctions, auxiliaries. Small and closed.
GRAMMAR_WORDS = frozenset(
    """a an the this that these those i me my mine we us our ours you your yours he him his she her hers it its
    they them their theirs who whom whose which what when where why how all any both each every few many more
    most other some such no nor not only own same so than too very can could may might must shall should will
    would is am are was were be been being have has had having do does did doing and but if or because as until
    while of at by for with about against between into through during before after above below to from up down
    in out on off over under again further then once here there also just yet still even ever never always often
    sometimes today yesterday tomorrow yes ok okay please thanks thank dear mum dad""".split()
)
CALENDAR_WORDS = _DAYS_MONTHS = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may june july
    august september october november december jan feb mar apr jun jul aug sep sept oct nov dec""".split()
)
# Clinical and service abbreviations written in capitals in notes.
_ABBREVIATIONS = frozenset(
    """gp nhs a&e ae ed ibs cfs me fnd pnes ct mri ecg eeg bp phq gad core om cbt act emdr dna cpn ot pt
    ssri snri tca ipt iapt ptsd ocd adhd asd ltc mus mups bdd pps tbc nb eg ie etc""".split()
)


def _passphrase_words() -> set[str]:
    text = (files("sessionnotes.vault") / "data" / "words.txt").read_text(encoding="utf-8")
    return {w.strip().lower() for w in text.splitlines() if w.strip() and not w.startswith("#")}


def _package_words() -> set[str] | None:
    try:
        module = importlib.import_module("english_words")
    except ImportError:
        return None
    words: set[str] = module.get_english_words_set(["web2", "gcide"], lower=False, alpha=True)
    return {w for w in words if w.islower()}


@cache
def english_words() -> frozenset[str]:
    """Lower-case English words (the well-kept package when installed, else the passphrase list)."""
    words = _package_words() or _passphrase_words()
    return frozenset(words | GRAMMAR_WORDS | _DAYS_MONTHS)


@cache
def proper_nouns() -> frozenset[str]:
    """Words the package lists capitalised (names of people and places: "Grace", "Will", "Wren"), in
    lower case; empty without the package. Days and months are not names."""
    try:
        module = importlib.import_module("english_words")
    except ImportError:
        return frozenset()
    words: set[str] = module.get_english_words_set(["web2"], lower=False, alpha=True)
    return frozenset(w.lower() for w in words if w[:1].isupper() and w[1:].islower()) - _DAYS_MONTHS


def is_proper_noun(word: str) -> bool:
    """A word the word list knows as a name ("Grace", "Frank"), whatever else it means."""
    w = word.lower().replace("\u2019", "'").removesuffix("'s").strip("'-")
    return w in proper_nouns()


@cache
def clinical_words() -> frozenset[str]:
    """Words of the app's clinical vocabulary (symptoms, investigations, feelings...), lower case."""
    out: set[str] = set(_ABBREVIATIONS)
    for name in dir(lexicon):
        value = getattr(lexicon, name)
        if name.isupper() and isinstance(value, tuple) and all(isinstance(v, str) for v in value):
            for fragment in value:
                for phrase in expand(fragment) or []:
                    out.update(re.findall(r"[a-z][a-z'\-]+", phrase))
    return frozenset(out)


def is_known_word(word: str, *, inflections: bool = True) -> bool:
    """Ordinary English or clinical vocabulary, in any capitalisation ("Pain", "PAIN", "pain's").
    With ``inflections`` (the default), also a simple inflection of a known word ("walks"); the
    review step turns that off for a capitalised word mid-sentence, where "Davies" or "Mills" is a
    surname rather than a plural."""
    w = word.lower().replace("\u2019", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.strip("'-")
    if not w:
        return True
    vocab = english_words()
    clinical = clinical_words()
    if w in vocab or w in clinical:
        return True
    if not inflections:
        return "-" in w and all(is_known_word(p, inflections=False) for p in w.split("-") if p)
    # simple inflections of a known word: "walks", "walked", "walking", "worries"
    for suffix, repl in (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"), ("ly", "")):
        if w.endswith(suffix) and len(w) > len(suffix) + 2:
            stem = w[: -len(suffix)] + repl
            if stem in vocab or stem in clinical:
                return True
    return "-" in w and all(is_known_word(p) for p in w.split("-") if p)
