"""Word vocabularies matched token by token: the tokeniser, :class:`TokenVocab` and :class:`WordMatcher`.

A regex alternation of hundreds of words is tried at every position of a text, which costs
milliseconds per note. Simple fragments (``dizz(?:y|iness)``) are instead expanded into the word
sequences they match (:func:`.pattern_tree.expand`) and looked up in sets, token by token, longest
phrase first. :class:`Spans` answers "which matches lie in this range" by bisection.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from itertools import compress

from .lexicon import compile_words
from .pattern_tree import expand

__all__ = ["Spans", "TokenVocab", "WordMatcher", "tokens"]

_TOKEN = re.compile(r"[a-z0-9&]+(?:['.-][a-z0-9&]+)*")


def _lower(text: str) -> str:
    low = text.lower().replace("\u2019", "'")
    return low if len(low) == len(text) else ""


class WordMatcher:
    """Whole-word matching of many fragments, fast: expanded fragments are looked up token by
    token in sets (longest phrase first); the rest run as one case-insensitive regex.

    ``finditer(text)`` returns ``(start, end)`` spans into ``text``, non-overlapping, in order.
    """

    def __init__(self, fragments: Iterable[str]) -> None:
        fragments = list(fragments)
        self._fragments = fragments
        self._full: re.Pattern[str] | None = None
        phrases: set[str] = set()
        leftovers: list[str] = []
        for fragment in fragments:
            words = expand(fragment)
            if words is None:
                leftovers.append(fragment)
            else:
                phrases.update(words)
        self._phrases = phrases
        self._longest: dict[str, int] = {}
        for phrase in phrases:
            tokens = phrase.split(" ")
            self._longest[tokens[0]] = max(self._longest.get(tokens[0], 1), len(tokens))
        self._regex = compile_words(leftovers) if leftovers else None

    def finditer(self, text: str, toks: Tokens | None = None) -> list[tuple[int, int]]:
        """``toks``: :func:`positioned_tokens` of ``text``, when the caller has them already."""
        low = _lower(text)
        if not low:  # lower-casing changed the length (rare Unicode): fall back to the regex
            return self._slow(text)
        found, words = positioned_tokens(text) if toks is None else toks
        spans: list[tuple[int, int]] = []
        n = len(words)
        longest_of = self._longest
        # Only a token that starts some phrase (itself, or the word before its apostrophe) can
        # start a match; the others would only be stepped over one by one.
        starts = list(compress(range(n), map(longest_of.__contains__, words)))
        if "'" in low:
            extra = [i for i, w in enumerate(words) if "'" in w and w not in longest_of and w.split("'", 1)[0] in longest_of]
            if extra:
                starts = sorted(starts + extra)
        free = 0  # the first token not yet inside a match
        for i in starts:
            if i < free:
                continue
            word = words[i]
            base = word.split("'", 1)[0]  # "mother's" -> "mother"
            longest = longest_of.get(word) or longest_of.get(base)
            matched = 0
            match_end = 0
            if longest:
                for k in range(min(longest, n - i), 0, -1):
                    last = words[i + k - 1]
                    head = " ".join(words[i : i + k - 1])
                    last_base = last.split("'", 1)[0]
                    full = f"{head} {last}" if head else last
                    if full in self._phrases:
                        matched, match_end = k, found[i + k - 1].end()
                        break
                    stripped = f"{head} {last_base}" if head else last_base
                    if last_base != last and stripped in self._phrases:
                        matched, match_end = k, found[i + k - 1].start() + len(last_base)
                        break
            if matched:
                spans.append((found[i].start(), match_end))
                free = i + matched
        if self._regex is not None:
            extra_spans = [m.span() for m in self._regex.finditer(text)]
            if extra_spans:
                spans = _merge(spans, extra_spans)
        return spans

    def _slow(self, text: str) -> list[tuple[int, int]]:
        if self._full is None:
            self._full = compile_words(self._fragments)
        return [m.span() for m in self._full.finditer(text)]


Tokens = tuple[list[re.Match[str]], list[str]]


def positioned_tokens(text: str) -> Tokens:
    """The word tokens of the lower-cased text: their matches (for positions) and the words, what
    :meth:`WordMatcher.finditer` reads (both lists built in C: nothing per token in Python)."""
    low = _lower(text)
    return list(_TOKEN.finditer(low)), _TOKEN.findall(low)


def _merge(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Non-overlapping union of two span lists, the longer span winning an overlap."""
    out: list[tuple[int, int]] = []
    for span in sorted(a + b, key=lambda s: (s[0], -(s[1] - s[0]))):
        if out and span[0] < out[-1][1]:
            continue
        out.append(span)
    return out


_SEPARATORS = '",()[]{}<>*_#~`“”/\\+=|%$£@^\t'
_BREAKS = ".;:!?\n\r"
TOKEN_TABLE = str.maketrans({**{c: " " for c in _SEPARATORS}, **{c: "\x01" for c in _BREAKS}})


_TOKEN_BYTES = bytes(32 if chr(c) in _SEPARATORS else 1 if chr(c) in _BREAKS else c for c in range(128)) + bytes(range(128, 256))
"""``_TOKEN_TABLE`` for ASCII text, as a byte table (``bytes.translate`` is much faster)."""


def tokens(text: str) -> tuple[str, ...]:
    """Lower-case word tokens with "." standing for every sentence or clause break. Fast (no
    regex), for counting words; positions are not kept."""
    if text.isascii():
        low = text.lower().encode("ascii").translate(_TOKEN_BYTES).decode("ascii")
    else:
        low = text.lower().replace("\u2019", "'").replace("\u2018", "'").translate(TOKEN_TABLE)
    return tuple(low.replace("\x01", " . ").split())


class TokenVocab:
    """A vocabulary of simple fragments, matched against :func:`tokens` output by set look-up
    (longest phrase first). Every fragment must be expandable (see :func:`expand`)."""

    def __init__(self, fragments: Iterable[str] = (), **labelled: Iterable[str]) -> None:
        self.phrases: set[str] = set()
        self.labels: dict[str, str] = {}
        """Phrase -> label, for vocabularies built from labelled groups (``TokenVocab(body=...,
        feeling=...)``) so one scan serves several word lists."""
        self._longest: dict[str, int] = {}
        self._lengths: dict[tuple[str, str], tuple[int, ...]] | None = None
        groups = [("", fragments), *labelled.items()]
        for label, group in groups:
            for fragment in group:
                words = expand(fragment)
                if words is None:
                    raise ValueError(f"vocabulary fragment too complex to expand: {fragment!r}")
                for phrase in words:
                    toks = tokens(phrase)
                    key = " ".join(toks)
                    self.phrases.add(key)
                    self.labels.setdefault(key, label)
                    self._longest[toks[0]] = max(self._longest.get(toks[0], 1), len(toks))

    def scan(self, toks: tuple[str, ...]) -> list[tuple[int, int, str]]:
        """``(index, length, phrase)`` for each match, left to right, non-overlapping."""
        out: list[tuple[int, int, str]] = []
        n = len(toks)
        phrases, longest_of = self.phrases, self._longest
        lengths = self._lengths
        if lengths is None:
            found_lengths: dict[tuple[str, str], set[int]] = {}
            for p in phrases:
                words = p.split(" ")
                if len(words) > 1:
                    found_lengths.setdefault((words[0], words[1]), set()).add(len(words))
            lengths = self._lengths = {k: tuple(sorted(v, reverse=True)) for k, v in found_lengths.items()}
        # Only words that start some phrase (directly or before an apostrophe) can start a match;
        # the others would just be stepped over one by one. And only the lengths of the phrases
        # that start with a token's two first words are tried, longest first, as before.
        starts = list(compress(range(n), map(longest_of.__contains__, toks)))
        if "'" in "".join(toks):  # "mother's": the word before the apostrophe may start a phrase
            extra = [i for i, w in enumerate(toks) if "'" in w and w not in longest_of and w.split("'", 1)[0] in longest_of]
            if extra:
                starts = sorted(starts + extra)
        free = 0  # the first token not yet inside a match
        for i in starts:
            if i < free:
                continue
            first = word = toks[i]
            if word not in longest_of:
                word = word.split("'", 1)[0]
            found = 0
            if i + 1 < n:
                nxt = toks[i + 1]
                ks = lengths.get((first, nxt), ())
                if "'" in nxt and 2 not in ks and 2 in lengths.get((first, nxt.split("'", 1)[0]), ()):
                    ks = tuple(sorted({*ks, 2}, reverse=True))
                for k in ks:
                    if k > n - i:
                        continue
                    last = toks[i + k - 1]
                    head = " ".join(toks[i : i + k - 1])
                    candidate = head + " " + last
                    if candidate not in phrases and "'" in last:
                        candidate = head + " " + last.split("'", 1)[0]
                    if candidate in phrases:
                        found = k
                        out.append((i, k, candidate))
                        break
            if not found and word in phrases:
                found = 1
                out.append((i, 1, word))
            if found:
                free = i + found
        return out


class Spans:
    """Sorted spans with range queries (``in_range``) by bisection."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        self.spans = spans
        self.starts = [s for s, _ in spans]

    def in_range(self, start: int, end: int) -> list[tuple[int, int]]:
        i = bisect.bisect_left(self.starts, start)
        out = []
        while i < len(self.spans) and self.spans[i][0] < end:
            if self.spans[i][1] <= end:
                out.append(self.spans[i])
            i += 1
        return out

    def first(self, start: int, end: int) -> tuple[int, int] | None:
        found = self.in_range(start, end)
        return found[0] if found else None
