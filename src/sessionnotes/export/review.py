"""The review step before a supervision summary leaves: words that may still be names.

Scrubbing removes what was declared and what has a known shape. What nobody declared (a
neighbour's name, a rare place) can only be caught by a person, so after scrubbing the free text is
read for capitalised words that are neither ordinary English (:mod:`.wordlist`), nor clinical
vocabulary, nor a placeholder or the pseudonym, and each is listed with its context for the
therapist to confirm, or to add to the client's "keep out" list.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..vault.errors import VaultError
from .wordlist import CALENDAR_WORDS, GRAMMAR_WORDS, is_known_word, is_proper_noun

_TOKEN = re.compile(r"[^\W\d_][\w'\u2019\-]*")
_PLACEHOLDER = re.compile(r"\[[^\[\]\n]{1,40}\]")
_TITLE_WORDS = {
    "dr",
    "doctor",
    "mr",
    "mrs",
    "ms",
    "mx",
    "miss",
    "prof",
    "professor",
    "sir",
    "dame",
    "nurse",
    "sister",
    "rev",
    "revd",
}
_TITLE = re.compile(r"(?<![\w])(?:Dr|Doctor|Mr|Mrs|Ms|Mx|Miss|Prof|Professor|Sir|Dame|Nurse|Sister|Revd?)\.?\s+$")


@dataclass(frozen=True)
class ReviewItem:
    """A word left in the summary that may be a name: the word, how often, one context."""

    word: str
    count: int
    context: str

    def line(self) -> str:
        times = f" ({self.count} times)" if self.count > 1 else ""
        return f"{self.word}{times}: \u2026{self.context}\u2026"


class NeedsReview(VaultError):
    code = 2

    def __init__(self, items: list[ReviewItem]) -> None:
        self.items = items
        listed = "\n".join("    " + i.line() for i in items)
        super().__init__(
            f"The supervision summary was not written: {len(items)} word(s) left after scrubbing may be names.\n{listed}",
            "Add any real name to the client's keep-out list (client update --keep-out ...); when none is, "
            "export again with --reviewed.",
        )


def _context(text: str, start: int, end: int, width: int = 40) -> str:
    left = text[max(0, start - width) : start]
    right = text[end : end + width]
    return " ".join((left + text[start:end] + right).split())


# Words after which a capitalised word is someone's name ("her daughter Rose", "his boss Baker").
_RELATIONS = frozenset(
    """daughter son wife husband partner girlfriend boyfriend fiance fiancee friend neighbour neighbor mum mother
    dad father sister brother aunt auntie uncle cousin niece nephew nan nana gran granny grandma grandad grandpa
    grandmother grandfather grandson granddaughter stepson stepdaughter stepmum stepdad boss manager colleague
    supervisor foreman landlord landlady carer vicar priest rabbi imam teacher physio consultant nurse therapist
    counsellor called named""".split()
)
# Words after which a capitalised word names a place or an employer ("lives in Reading", "works at Boots").
_PLACE_CUES = (
    r"(?:lives?|lived|living|moved|works?|worked|working|employed|job|grew\s+up|studies|studying|school|shops?|"
    r"stays?|stayed|staying|born)\s+(?:in|at|on|near|off|to|from|for|by|with)(?:\s+the)?"
)
_RELATION = re.compile(
    r"(?<![\w])(?:(?:" + "|".join(sorted(_RELATIONS)) + r")(?:'s|\u2019s)?,?|" + _PLACE_CUES + r")\s+$", re.IGNORECASE
)
# A capital here marks the start of a sentence, line, list item or quotation, not a name.
_SENTENCE_START = re.compile(r"(?:^|[.!?:;\n]\s*|[\"'(\u2018\u201c\u2026\-\u2022*]\s*)$")


@dataclass
class _Word:
    text: str
    start: int
    end: int
    listed: bool  # name-like on its own
    mid: bool  # capitalised in the middle of a sentence (may join a name: "Rose Quockerwodger")


def _words_of(blanked: str, ignored: set[str], lower_seen: set[str]) -> list[_Word]:
    out: list[_Word] = []
    for m in _TOKEN.finditer(blanked):
        word = m.group(0).rstrip("'\u2019-")
        if not word[0].isupper():
            continue
        plain = word.lower().removesuffix("'s").removesuffix("\u2019s")
        if len(word) == 1 or plain in ignored or plain in _TITLE_WORDS or plain.removesuffix("s") in CALENDAR_WORDS:
            continue
        before = blanked[max(0, m.start() - 32) : m.start()]
        mid = not _SENTENCE_START.search(before)
        named = bool(_TITLE.search(before[-16:]) or (mid and _RELATION.search(before)))
        known = plain in lower_seen or is_known_word(word, inflections=not mid)
        # an ordinary word that is also a proper noun ("Will", "Grace"), capitalised mid-sentence
        proper = mid and is_proper_noun(word)
        out.append(_Word(word, m.start(), m.start() + len(word), named or proper or not known, mid))
    return out


def candidates(texts: Iterable[str], *, ignore: Iterable[str] = (), lower_from: Iterable[str] = ()) -> list[ReviewItem]:
    """Capitalised, name-like words in ``texts`` that no word list knows, in order of first use.

    A word written in lower case somewhere in the texts (or in ``lower_from``) is an ordinary word
    the list lacks; words of ``ignore`` are never listed. However ordinary, a word is a name right
    after a title ("Dr Brown") or a relation ("her daughter Rose"), and so is a word the word list
    also knows as a proper noun ("Will") when it is capitalised mid-sentence. Capitalised words
    next to a listed one are listed with it, as one name ("Rose Quockerwodger"), so keeping it out
    keeps out every part.
    """
    texts = [t for t in texts if t]
    ignored = {w.lower() for value in ignore for w in _TOKEN.findall(value)}
    lower_seen = {m.group(0) for t in [*texts, *lower_from] for m in _TOKEN.finditer(t) if m.group(0).islower()}
    found: dict[str, tuple[int, str]] = {}

    def note(word: str, text: str, start: int, end: int) -> None:
        count, context = found.get(word, (0, _context(text, start, end)))
        found[word] = (count + 1, context)

    for text in texts:
        blanked = _PLACEHOLDER.sub(lambda m: " " * len(m.group(0)), text)
        words = _words_of(blanked, ignored, lower_seen)
        runs: list[list[_Word]] = []
        for w in words:
            joined = runs and re.fullmatch(r"[ \t]|[ \t]?-[ \t]?", blanked[runs[-1][-1].end : w.start])
            if joined and (w.mid or w.listed):
                runs[-1].append(w)
            else:
                runs.append([w])
        for run in runs:
            if not any(w.listed for w in run):
                continue
            # a sentence's first word joins a name ("Rose Quockerwodger") unless it is a grammar word
            # ("Yesterday Zebulon ...")
            while len(run) > 1 and not run[0].listed and run[0].text.lower() in GRAMMAR_WORDS:
                run = run[1:]
            note(blanked[run[0].start : run[-1].end], text, run[0].start, run[-1].end)
        # a lone initial after a title ("Dr K.") is a name too
        for m in re.finditer(r"(?<=\s)[A-Z]\.(?=\s|$)", blanked):
            if _TITLE.search(blanked[max(0, m.start() - 16) : m.start()]):
                note(m.group(0), text, m.start(), m.end())
    return [ReviewItem(w, n, c) for w, (n, c) in found.items()]
