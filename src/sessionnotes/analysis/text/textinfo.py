"""A text's words read once for the gates: :class:`TextInfo` and :func:`text_info`.

A gate (:mod:`.gates`) asks whether a text holds certain whole words or word sequences.
:class:`TextInfo` lower-cases a text once, keeps its words (and the neighbouring word pairs some
gate uses as a key) in a set and joins them with single spaces, so each question is one set
look-up or one substring test.

A :class:`TextInfo` is made of note text, so none is kept in a global: :func:`text_info` remembers
them only in the :class:`~sessionnotes.analysis.cache.AnalysisCache` it is given (cleared when the
vault locks); without one it builds a fresh one each call.
"""

from __future__ import annotations

import re
from itertools import compress

from ..cache import AnalysisCache

__all__ = ["PAIRS_VERSION", "Key", "TextInfo", "pair_key", "text_info"]

Key = bytes
"""An index key: a whole word, or two neighbouring whole words joined by a space (ASCII bytes)."""

_UNSAFE = frozenset("\u0130\u0131\u017f")
"""The only characters that a case-insensitive regex matches against an ASCII letter but whose
``str.lower()`` is not that letter (İ, dotless ı, long ſ): texts holding one skip every gate."""
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_SEPARATE = bytes(c if chr(c).isalnum() else 32 for c in range(128)) + b" " * 128
"""Byte table: ASCII letters and digits stay, everything else becomes a space (the same words as
``[a-z0-9]+`` on lower-case text, several times faster than the regex)."""


PAIR_FIRSTS: set[bytes] = set()
"""First words of the word-pair keys of every gate derived so far (only those pairs are kept).
Derived from the patterns, never from a text."""
PAIRS_VERSION = [0]
"""Bumped when ``PAIR_FIRSTS`` grows, so a :class:`TextInfo` read before re-reads its pairs."""


def pair_key(word_or_pair: str) -> Key:
    """The index key of a word or a word pair (a pair's first word is registered, so texts read
    from then on keep the pairs that start with it)."""
    key = word_or_pair.encode("ascii")
    if b" " in key:
        first = key.split(b" ", 1)[0]
        if first not in PAIR_FIRSTS:
            PAIR_FIRSTS.add(first)
            PAIRS_VERSION[0] += 1
    return key


class TextInfo:
    """A text prepared once for gate checks: ``low`` (lower case), ``words`` (its maximal runs of
    ASCII letters and digits as bytes, plus each neighbouring pair ``b"a b"`` that some gate uses
    as a key, in one set) and ``norm`` (the runs joined by single spaces, with a space at each
    end). ``ok`` is false for the rare texts gates cannot vouch for. ``memo`` keeps callers'
    per-text results."""

    __slots__ = ("low", "memo", "norm", "ok", "text", "version", "words")

    def __init__(self, text: str) -> None:
        self.text = text
        low = text.lower()
        self.low = low
        self.ok = text.isascii() or (len(low) == len(text) and _UNSAFE.isdisjoint(text))
        self.memo: dict[object, object] = {}
        self.read()

    def read(self) -> None:
        """(Re-)read the words; needed again only after new gates brought new pair keys."""
        self.version = PAIRS_VERSION[0]
        if not self.ok:
            self.words: set[bytes] = set()
            self.norm = b""
            return
        low = self.low if self.low.isascii() else _NON_ASCII.sub(" ", self.low)
        found = low.encode("ascii").translate(_SEPARATE).split()
        words = set(found)
        firsts = PAIR_FIRSTS
        if not firsts.isdisjoint(words):
            starts = compress(range(len(found) - 1), map(firsts.__contains__, found))
            words.update([found[i] + b" " + found[i + 1] for i in starts])
        self.words = words
        self.norm = b" " + b" ".join(found) + b" "


_INFO_KEY = "text-info"


def text_info(text: str, cache: AnalysisCache | None = None) -> TextInfo:
    """The :class:`TextInfo` of ``text``: kept in ``cache.text`` (under ``("text-info", text)``)
    while the text keeps coming back, or built afresh when no cache is given."""
    if cache is None:
        return TextInfo(text)
    key = (_INFO_KEY, text)
    found = cache.text.get(key)
    if isinstance(found, TextInfo):
        return found
    info = TextInfo(text)
    cache.text.put(key, info)
    return info
