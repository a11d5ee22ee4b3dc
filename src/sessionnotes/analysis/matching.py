"""Fast, explainable matching for the analysis vocabularies (no third-party code).

A regex alternation of hundreds of words is tried at every position of a text, which costs
milliseconds per note, while the flags must run in a few milliseconds for a whole client. So:

* :func:`expand` turns a simple fragment (``dizz(?:y|iness)``) into the word sequences it
  matches; :class:`TokenVocab` and :class:`WordMatcher` then look words up in sets, token by
  token, longest phrase first. Fragments that cannot be expanded stay a regex.
* :func:`derive_anchors` reads a regex and finds literal words at least one of which every match
  must contain; :class:`PhraseIndex` inverts them so one pass over a text's words says which
  phrase patterns could match it at all, and the rest are never run.

Both are optimisations only: the tests check they never change what is found.
"""

from __future__ import annotations

import bisect
import re
import re._parser as _sre_parse  # stdlib; used only to read simple patterns
from collections.abc import Iterable

from .lexicon import compile_words

__all__ = [
    "Phrase",
    "PhraseIndex",
    "Spans",
    "TextIndex",
    "TokenVocab",
    "WordMatcher",
    "derive_anchors",
    "expand",
    "tokens",
]

_MAX_EXPANSIONS = 512
_ZERO_WIDTH = frozenset({"ASSERT", "ASSERT_NOT", "AT"})


def _expand_nodes(nodes: list, zero_width_ok: bool = False) -> list[str] | None:
    results = [""]
    for op, arg in nodes:
        name = str(op)
        if name in _ZERO_WIDTH and zero_width_ok:
            continue
        if name == "LITERAL":
            options = [chr(arg)]
        elif name == "IN":
            options = []
            for kind, value in arg:
                if str(kind) == "LITERAL":
                    options.append(chr(value))
                elif str(kind) == "CATEGORY" and str(value) == "CATEGORY_SPACE":
                    options.append(" ")
                else:
                    return None
        elif name == "BRANCH":
            options = []
            for branch in arg[1]:
                sub = _expand_nodes(list(branch), zero_width_ok)
                if sub is None:
                    return None
                options += sub
        elif name == "SUBPATTERN":
            sub = _expand_nodes(list(arg[3]), zero_width_ok)
            if sub is None:
                return None
            options = sub
        elif name in ("MAX_REPEAT", "MIN_REPEAT"):
            low, high, body = arg
            sub = _expand_nodes(list(body), zero_width_ok)
            if sub is None:
                return None
            if sub == [" "] and low >= 1:  # \s+ : one space in normalised text
                options = [" "]
            elif (low, high) == (0, 1):
                options = ["", *sub]
            elif (low, high) == (1, 1):
                options = sub
            else:
                return None
        else:
            return None
        results = [r + o for r in results for o in options]
        if len(results) > _MAX_EXPANSIONS:
            return None
    return results


def expand(fragment: str) -> list[str] | None:
    """Every lower-case word sequence a simple fragment matches (``dizz(?:y|iness)`` ->
    ``["dizzy", "dizziness"]``), or ``None`` if it is not simple enough to list."""
    try:
        tree = _sre_parse.parse(fragment)
    except re.error:
        return None
    out = _expand_nodes(list(tree))
    if out is None:
        return None
    return sorted({" ".join(o.split()) for o in out if o.strip()})


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

    def finditer(self, text: str) -> list[tuple[int, int]]:
        low = _lower(text)
        if not low:  # lower-casing changed the length (rare Unicode): fall back to the regex
            return self._slow(text)
        tokens = [(m.start(), m.end(), m.group()) for m in _TOKEN.finditer(low)]
        spans: list[tuple[int, int]] = []
        i = 0
        n = len(tokens)
        while i < n:
            start, end, word = tokens[i]
            base = word.split("'", 1)[0]  # "mother's" -> "mother"
            longest = self._longest.get(word) or self._longest.get(base)
            matched = 0
            match_end = end
            if longest:
                for k in range(min(longest, n - i), 0, -1):
                    last = tokens[i + k - 1]
                    head = " ".join(t[2] for t in tokens[i : i + k - 1])
                    last_base = last[2].split("'", 1)[0]
                    full = f"{head} {last[2]}" if head else last[2]
                    if full in self._phrases:
                        matched, match_end = k, last[1]
                        break
                    stripped = f"{head} {last_base}" if head else last_base
                    if last_base != last[2] and stripped in self._phrases:
                        matched, match_end = k, last[0] + len(last_base)
                        break
            if matched:
                spans.append((start, match_end))
                i += matched
            else:
                i += 1
        if self._regex is not None:
            extra = [m.span() for m in self._regex.finditer(text)]
            if extra:
                spans = _merge(spans, extra)
        return spans

    def _slow(self, text: str) -> list[tuple[int, int]]:
        if self._full is None:
            self._full = compile_words(self._fragments)
        return [m.span() for m in self._full.finditer(text)]


def _merge(a: list[tuple[int, int]], b: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Non-overlapping union of two span lists, the longer span winning an overlap."""
    out: list[tuple[int, int]] = []
    for span in sorted(a + b, key=lambda s: (s[0], -(s[1] - s[0]))):
        if out and span[0] < out[-1][1]:
            continue
        out.append(span)
    return out


_SEPARATORS = "\",()[]{}<>*_#~`“”/\\+=|%$£@^\t"
_BREAKS = ".;:!?\n\r"
_TOKEN_TABLE = str.maketrans({**{c: " " for c in _SEPARATORS}, **{c: "\x01" for c in _BREAKS}})
_ALL_SEPARATORS = str.maketrans({c: " " for c in _SEPARATORS + _BREAKS + "-'&\u2019\u2018"})


def tokens(text: str) -> tuple[str, ...]:
    """Lower-case word tokens with "." standing for every sentence or clause break. Fast (no
    regex), for counting words; positions are not kept."""
    low = text.lower().replace("\u2019", "'").replace("\u2018", "'").translate(_TOKEN_TABLE)
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
        out = []
        i, n = 0, len(toks)
        phrases, longest_of = self.phrases, self._longest
        while i < n:
            word = toks[i]
            longest = longest_of.get(word)
            if longest is None and "'" in word:
                word = word.split("'", 1)[0]
                longest = longest_of.get(word)
            if longest is None:
                i += 1
                continue
            found = 0
            for k in range(min(longest, n - i), 1, -1):
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
            i += found or 1
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

    def last(self, start: int, end: int) -> tuple[int, int] | None:
        found = self.in_range(start, end)
        return found[-1] if found else None


_ANCHOR_LIMIT = 64
_ANCHOR_SET_LIMIT = 250


_TOKEN_CHARS = re.compile(r"[a-z0-9'&-]+")
_COMMON = frozenset(
    """a about after again all also am an and any are as at be been before being but by can could did do does
    doing done each even every felt feel feeling feels for from get gets go going got had has have he her here
    him his how i i'm if in into is it it's its just last like made make me more most much my no not now of on
    once one only or our out over quite really said say says saying see seemed seems session sessions she so
    some still such than that the their them then there these they thing things think this those though thought
    time to told too two up us very was we week well went were what when where which while who will with would
    you your pain""".split()
)
"""Words too common in notes to be useful anchors (a phrase anchored only on "she" runs on
everything)."""


def _anchor_quality(word: str) -> int:
    return 1 if word in _COMMON else len(word)


def _chunks(strings: Iterable[str], run_safe: bool) -> set[tuple[str, bool]] | None:
    """One word from each string, reusing words already chosen (so optional tails such as
    "heart sink patients" do not add "patients" once "heart" is in). Each word is paired with
    whether it must start a token in the text (preceded by a space in the pattern, or first in a
    run that starts at a word boundary)."""
    chosen: dict[str, bool] = {}
    for text in sorted(set(strings), key=lambda t: (len(t.split()), len(t))):
        words = text.split()
        if not words:
            return None
        if any(w in chosen for w in words):
            continue
        word = max(words, key=lambda w: (w not in _COMMON, len(w)))
        pos = text.find(word)
        safe = (pos > 0 and text[pos - 1] == " ") or (pos == 0 and run_safe)
        safe = safe and bool(_TOKEN_CHARS.fullmatch(word))
        chosen[word] = safe
    return set(chosen.items())


def _starts_token(node: tuple) -> bool:
    """Whether a zero-width node guarantees that what follows starts a word."""
    name, arg = str(node[0]), node[1]
    if name == "AT":
        return str(arg) in ("AT_BOUNDARY", "AT_BEGINNING", "AT_BEGINNING_LINE", "AT_BEGINNING_STRING")
    if name == "ASSERT_NOT" and arg[0] < 0:  # (?<![\w...]) : no word character just before
        return "CATEGORY_WORD" in str(arg[1])
    return False


def _anchor_set(nodes: list, safe_start: bool = False) -> set[tuple[str, bool]] | None:
    """``(literal, starts_token)`` pairs of which every match of ``nodes`` contains at least one,
    or ``None`` when no selective set exists."""
    candidates: list[set[tuple[str, bool]]] = []
    run = [""]
    run_safe = safe_start

    def flush() -> None:
        if run != [""]:
            chunks = _chunks(run, run_safe)
            if chunks:
                candidates.append(chunks)

    for node in nodes:
        name = str(node[0])
        if name in _ZERO_WIDTH:
            if run == [""] and _starts_token(node):
                run_safe = True
            continue
        here_safe = (run == [""] and run_safe) or all(r.endswith(" ") for r in run if r) and run != [""]
        sub = _expand_nodes([node], zero_width_ok=True)
        if sub is not None and len(run) * len(sub) <= _ANCHOR_LIMIT:
            run = [r + x for r in run for x in sub]
            continue
        flush()
        if sub is not None and len(sub) <= _ANCHOR_LIMIT:
            run, run_safe = sub, here_safe
            continue
        run, run_safe = [""], False
        inner = _anchor_of(node, here_safe)
        if inner:
            candidates.append(inner)
    flush()
    best: set[tuple[str, bool]] | None = None
    best_score = 0
    for c in candidates:
        if len(c) > _ANCHOR_SET_LIMIT:
            continue
        score = min(_anchor_quality(a) for a, _ in c)
        if score > best_score or (score == best_score and best is not None and len(c) < len(best)):
            best, best_score = c, score
    return best


def _anchor_of(node: tuple, safe_start: bool) -> set[tuple[str, bool]] | None:
    name, arg = str(node[0]), node[1]
    if name == "BRANCH":
        out: set[tuple[str, bool]] = set()
        for branch in arg[1]:
            sub = _anchor_set(list(branch), safe_start)
            if not sub:
                return None
            out |= sub
        return out
    if name == "SUBPATTERN":
        return _anchor_set(list(arg[3]), safe_start)
    if name in ("MAX_REPEAT", "MIN_REPEAT") and arg[0] >= 1:
        return _anchor_set(list(arg[2]), safe_start)
    return None


def _derive(pattern: str) -> set[tuple[str, bool]] | None:
    try:
        tree = _sre_parse.parse(pattern, re.IGNORECASE)
    except re.error:
        return None
    found = _anchor_set(list(tree))
    if not found or len(found) > _ANCHOR_SET_LIMIT:
        return None
    return {(a.lower(), safe) for a, safe in found}


def derive_anchors(pattern: str) -> tuple[str, ...] | None:
    """Lower-case substrings at least one of which occurs in every match of ``pattern``, so the
    pattern need not run on a text that contains none of them (``None``: always run)."""
    found = _derive(pattern)
    return None if found is None else tuple(sorted({a for a, _ in found}))


_NON_WORD = re.compile(r"[\W_]+")


class TextIndex:
    """The start-of-word prefixes of a text, for anchor look-ups. Splits at every non-word
    character (hyphens and apostrophes too), so any word start a regex ``\b`` can see is a
    token start here."""

    __slots__ = ("low", "words")

    def __init__(self, text: str) -> None:
        self.low = text.lower()
        words = set(tokens(text))
        words.update(self.low.translate(_ALL_SEPARATORS).split())
        for tok in [w for w in words if not w.isalnum()]:  # rare: other non-word characters
            words.update(w for w in _NON_WORD.split(tok) if w)
        self.words = words

    def has_prefix(self, prefix: str) -> bool:
        return any(w.startswith(prefix) for w in self.words)


class PhraseIndex:
    """All registered phrases' anchors, inverted: one pass over a text's words says which
    phrases could match it. Word-start anchors are looked up by prefix; the few anchors that may
    sit inside a word fall back to a substring test."""

    def __init__(self) -> None:
        self._by_prefix: dict[str, list[tuple[str, int]]] = {}
        self._inner: list[tuple[str, int]] = []
        self._always: set[int] = set()
        self._count = 0
        self._cache: dict[str, frozenset[int]] = {}

    def add(self, pattern: str) -> int:
        ident = self._count
        self._count += 1
        found = _derive(pattern)
        if found is None:
            self._always.add(ident)
            return ident
        for anchor, safe in found:
            if safe and len(anchor) >= 3:
                self._by_prefix.setdefault(anchor[:3], []).append((anchor, ident))
            else:
                self._inner.append((anchor, ident))
        self._cache.clear()
        return ident

    def possible(self, text: str) -> frozenset[int]:
        """Ids of the phrases that could match ``text``."""
        got = self._cache.get(text)
        if got is not None:
            return got
        index = TextIndex(text)
        hits = set(self._always)
        by_prefix = self._by_prefix
        for tok in index.words:
            for anchor, ident in by_prefix.get(tok[:3], ()):
                if ident not in hits and tok.startswith(anchor):
                    hits.add(ident)
        low = index.low
        for anchor, ident in self._inner:
            if ident not in hits and anchor in low:
                hits.add(ident)
        got = frozenset(hits)
        if len(self._cache) > 8192:
            self._cache.clear()
        self._cache[text] = got
        return got


class Phrase:
    """A compiled regex that only runs on texts containing one of its derived anchors."""

    __slots__ = ("anchors", "pattern")

    def __init__(self, pattern: str | re.Pattern[str], flags: int = re.IGNORECASE) -> None:
        self.pattern = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, flags)
        self.anchors = derive_anchors(self.pattern.pattern)

    def possible(self, low: str) -> bool:
        """Whether the lower-cased text could hold a match."""
        return self.anchors is None or any(map(low.__contains__, self.anchors))

    def finditer(self, text: str, low: str | None = None) -> Iterable[re.Match[str]]:
        if not self.possible(text.lower() if low is None else low):
            return ()
        return self.pattern.finditer(text)

    def search(self, text: str, low: str | None = None) -> re.Match[str] | None:
        if not self.possible(text.lower() if low is None else low):
            return None
        return self.pattern.search(text)
