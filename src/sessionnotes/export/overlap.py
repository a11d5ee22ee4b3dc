"""Text from one place found in another, even after small edits.

Used to keep private text (process notes, private formulation items) and other people's words
(the referral) out of a letter. Both texts are normalised first: case, punctuation, quotation
marks and whitespace are folded, so re-punctuating or re-casing a sentence does not hide it. A
source sentence counts as found when

* a run of :data:`RUN` or more of its words appears unbroken in the letter, or
* most of its words (:data:`CONTAINMENT`) appear in one letter sentence in the same order, in
  pieces of two words or more, so a word changed, added or dropped here and there is still caught.

Turning a private note into a letter usually changes its person ("her legs keep her close" becomes
"your legs keep you close", "she feels" becomes "you feel"), so words are compared in a folded
form: personal pronouns and possessives are one token, and a verb's or noun's final "s" is
dropped. Very short sentences (fewer than :data:`MIN_WORDS` words) are left alone, and a run of
words counts only when at least :data:`CONTENT_WORDS` of them are content words: a few common
words in a row are not evidence of copying.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher

RUN = 6
"""Shared run of words that counts as copied text."""
MIN_WORDS = 5
"""Source sentences shorter than this are not compared."""
CONTAINMENT = 0.6
"""Share of a source sentence's words found, in order, in one letter sentence."""

CONTENT_WORDS = 3
"""Content words (not pronouns or other function words) a shared run must hold to count."""

_WORD = re.compile(r"[a-z0-9]+")
_PERSON = "~"
"""The one token every personal pronoun and possessive is folded to."""
_PRONOUNS = frozenset(
    "i me my mine myself you your yours yourself yourselves he him his himself she her hers herself "
    "they them their theirs themselves we us our ours ourselves".split()
)
_FOLD = {"whether": "if"}
_FUNCTION = frozenset(
    "a an the and or but if so to of in on at by for with from as that this these those it its is are was "
    "were be been being am do does did have has had not no can could will would may might must shall should "
    "who whom which what when where how than then there here about into over up out very just also".split()
) | {_PERSON}
_SENTENCE = re.compile(r"(?<=[.!?;:])\s+|\n+")


def words(text: str) -> list[str]:
    """Lower-case words with punctuation, apostrophes and accents folded away, pronouns folded to
    one token and a final "s" dropped (see the module's docstring)."""
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return [_fold(w) for w in _WORD.findall(folded.replace("'", ""))]


def _fold(word: str) -> str:
    if word in _PRONOUNS:
        return _PERSON
    word = _FOLD.get(word, word)
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _counts(run: tuple[str, ...]) -> bool:
    return sum(w not in _FUNCTION for w in run) >= CONTENT_WORDS


def sentences(text: str) -> list[list[str]]:
    """The text's sentences (and lines) as word lists; empty ones dropped."""
    out = [words(part) for part in _SENTENCE.split(text)]
    return [w for w in out if w]


def _runs(ws: list[str], n: int) -> set[tuple[str, ...]]:
    """The word runs of length ``n`` that are evidence of copying (enough content words)."""
    return {run for i in range(len(ws) - n + 1) if _counts(run := tuple(ws[i : i + n]))}


@dataclass(frozen=True)
class Match:
    """One source sentence found in the target: its words as found there (normalised)."""

    source: str
    how: str


class Target:
    """A text to search in (the letter), prepared once for many sources."""

    def __init__(self, text: str) -> None:
        self.sentences = sentences(text)
        self.words = [w for s in self.sentences for w in s]
        self.run_set = _runs(self.words, RUN)
        self.sets = [set(s) for s in self.sentences]

    def find(self, source_sentence: list[str]) -> str | None:
        """How ``source_sentence`` (a word list) shows in the target, or None."""
        if len(source_sentence) < MIN_WORDS:
            return None
        if len(source_sentence) >= RUN and _runs(source_sentence, RUN) & self.run_set:
            return f"a run of {RUN} or more words in a row"
        wanted = set(source_sentence)
        for sent, present in zip(self.sentences, self.sets, strict=True):
            if len(wanted & present) < CONTAINMENT * len(wanted):
                continue
            blocks = SequenceMatcher(None, source_sentence, sent, autojunk=False).get_matching_blocks()
            matched = sum(b.size for b in blocks if b.size >= 2)
            if matched >= CONTAINMENT * len(source_sentence):
                return "most of a sentence, lightly edited"
        if len(source_sentence) <= len(self.words) and " ".join(source_sentence) in " ".join(self.words):
            return "the same words"
        return None


def found_in(target: Target, source_text: str) -> Match | None:
    """The first sentence of ``source_text`` found in ``target`` (as the source wrote it), or None."""
    for part in _SENTENCE.split(source_text):
        how = target.find(words(part))
        if how:
            return Match(" ".join(part.split()), how)
    whole = words(source_text)
    if len(whole) >= MIN_WORDS:
        how = target.find(whole)
        if how:
            return Match(" ".join(source_text.split()), how)
    return None
