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
from .wordlist import is_known_word

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


def candidates(texts: Iterable[str], *, ignore: Iterable[str] = (), lower_from: Iterable[str] = ()) -> list[ReviewItem]:
    """Capitalised, name-like words in ``texts`` that no word list knows, in order of first use.

    A word written in lower case somewhere in the texts (or in ``lower_from``) is an ordinary word
    the list lacks; words of ``ignore`` are never listed; a word right after a title ("Dr Brown")
    is a name however ordinary it is.
    """
    texts = [t for t in texts if t]
    ignored = {w.lower() for value in ignore for w in _TOKEN.findall(value)}
    lower_seen = {m.group(0) for t in [*texts, *lower_from] for m in _TOKEN.finditer(t) if m.group(0).islower()}
    found: dict[str, tuple[int, str]] = {}
    for text in texts:
        blanked = _PLACEHOLDER.sub(lambda m: " " * len(m.group(0)), text)
        for m in _TOKEN.finditer(blanked):
            word = m.group(0).rstrip("'\u2019-")
            if not word[0].isupper():
                continue
            plain = word.lower().removesuffix("'s").removesuffix("\u2019s")
            if len(word) == 1 or plain in ignored or plain in _TITLE_WORDS:
                continue
            after_title = bool(_TITLE.search(blanked[max(0, m.start() - 16) : m.start()]))
            if not after_title and (plain in lower_seen or is_known_word(word)):
                continue
            count, context = found.get(word, (0, _context(text, m.start(), m.end())))
            found[word] = (count + 1, context)
        # a lone initial after a title ("Dr K.") is a name too
        for m in re.finditer(r"(?<=\s)[A-Z]\.(?=\s|$)", blanked):
            if _TITLE.search(blanked[max(0, m.start() - 16) : m.start()]):
                word = m.group(0)
                count, context = found.get(word, (0, _context(text, m.start(), m.end())))
                found[word] = (count + 1, context)
    return [ReviewItem(w, n, c) for w, (n, c) in found.items()]
