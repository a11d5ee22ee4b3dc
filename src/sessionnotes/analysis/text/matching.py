"""Fast, explainable matching for the analysis vocabularies (no third-party code).

A regex alternation of hundreds of words is tried at every position of a text, which costs
milliseconds per note, while the flags must run in a few milliseconds for a whole client. So:

* :func:`expand` turns a simple fragment (``dizz(?:y|iness)``) into the word sequences it
  matches; :class:`TokenVocab` and :class:`WordMatcher` then look words up in sets, token by
  token, longest phrase first. Fragments that cannot be expanded stay a regex.
* :func:`derive_gate` reads a regex and lists the word sequences every match must contain (a
  :class:`Gate`); :class:`TextInfo` reads a text's words once, and a :class:`GateIndex` inverts
  many gates so one set intersection says which patterns could match the text at all; the rest
  are never run. (:func:`derive_anchors` and :class:`PhraseIndex` are the earlier, coarser form
  of the same idea, kept for callers.) :class:`LazyPattern` compiles a regex on first use, so
  importing the analysis modules compiles nothing.

All of this is optimisation only: the tests (``tests/test_flags_speed.py``) check it never
changes what is found.
"""

from __future__ import annotations

import bisect
import re
import re._parser as _sre_parse  # stdlib; used only to read simple patterns
from collections.abc import Iterable
from functools import cache, reduce
from itertools import compress
from operator import or_
from typing import Any

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


_TOKEN_BYTES = bytes(
    32 if chr(c) in _SEPARATORS else 1 if chr(c) in _BREAKS else c for c in range(128)
) + bytes(range(128, 256))
"""``_TOKEN_TABLE`` for ASCII text, as a byte table (``bytes.translate`` is much faster)."""


def tokens(text: str) -> tuple[str, ...]:
    """Lower-case word tokens with "." standing for every sentence or clause break. Fast (no
    regex), for counting words; positions are not kept."""
    if text.isascii():
        low = text.lower().encode("ascii").translate(_TOKEN_BYTES).decode("ascii")
    else:
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
    """A regex that only runs on texts that could hold a match. Nothing is compiled or derived
    until first use. ``possible`` takes either the lower-cased text (checked against the derived
    ``anchors``) or a :class:`TextInfo` (checked against the pattern's :class:`Gate`, which is
    far more selective)."""

    __slots__ = ("_anchors", "_flags", "_gate", "_pattern")

    _UNSET = object()

    def __init__(self, pattern: str | re.Pattern[str] | LazyPattern, flags: int = re.IGNORECASE) -> None:
        if isinstance(pattern, re.Pattern):
            self._pattern: re.Pattern[str] | LazyPattern = pattern
            self._flags = pattern.flags
        elif isinstance(pattern, LazyPattern):
            self._pattern = pattern
            self._flags = pattern.source_flags
        else:
            self._pattern = LazyPattern(pattern, flags)
            self._flags = flags
        self._anchors: object = Phrase._UNSET
        self._gate: object = Phrase._UNSET

    @property
    def pattern(self) -> re.Pattern[str] | LazyPattern:
        return self._pattern

    @property
    def anchors(self) -> tuple[str, ...] | None:
        if self._anchors is Phrase._UNSET:
            self._anchors = derive_anchors(self._pattern.pattern)
        return self._anchors  # type: ignore[return-value]

    @property
    def gate(self) -> Gate | None:
        if self._gate is Phrase._UNSET:
            self._gate = derive_gate(self._pattern.pattern, self._flags)
        return self._gate  # type: ignore[return-value]

    def possible(self, low: str | TextInfo) -> bool:
        """Whether the text could hold a match (``low``: the lower-cased text, or its TextInfo)."""
        if isinstance(low, TextInfo):
            gate = self.gate
            return gate is None or gate.test(low)
        anchors = self.anchors
        return anchors is None or any(map(low.__contains__, anchors))

    def finditer(self, text: str, low: str | None = None) -> Iterable[re.Match[str]]:
        if not self.possible(text.lower() if low is None else low):
            return ()
        return self._pattern.finditer(text)

    def search(self, text: str, low: str | None = None) -> re.Match[str] | None:
        if not self.possible(text.lower() if low is None else low):
            return None
        return self._pattern.search(text)


# =============================================================================================
# Gates: exact necessary conditions read from a pattern, checked on a text's word tokens
# =============================================================================================
#
# A regex tried on every note costs tens of microseconds even when it finds nothing, and the flags
# run a few hundred phrase patterns over every session. :func:`derive_gate` reads a pattern once
# and lists the word sequences every match must contain (``(?:is|are) not real`` needs " is not
# real " or " are not real "); :class:`TextInfo` lower-cases a text once and joins its words with
# single spaces, so each requirement is one substring test in C. A :class:`GateIndex` inverts the
# gates' key words, so a set intersection says which patterns could match a text and the others
# are never run. Gates only ever say "cannot match": whatever they let through still runs as the
# original regex, so results are unchanged (the tests compare both ways on the corpora).

_ALNUM = re.compile(r"[a-z0-9]+")
_UNSAFE = frozenset("\u0130\u0131\u017f")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
_SEPARATE = bytes(c if chr(c).isalnum() else 32 for c in range(128)) + b" " * 128
"""Byte table: ASCII letters and digits stay, everything else becomes a space (the same words as
``[a-z0-9]+`` on lower-case text, several times faster than the regex)."""
"""The only characters that a case-insensitive regex matches against an ASCII letter but whose
``str.lower()`` is not that letter (İ, dotless ı, long ſ): texts holding one skip every gate."""


_PAIR_FIRSTS: set[bytes] = set()
"""First words of the word-pair keys of every gate derived so far (only those pairs are kept)."""
_PAIRS_VERSION = [0]
"""Bumped when ``_PAIR_FIRSTS`` grows, so a :class:`TextInfo` read before re-reads its pairs."""


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
        self.version = _PAIRS_VERSION[0]
        if not self.ok:
            self.words: set[bytes] = set()
            self.norm = b""
            return
        low = self.low if self.low.isascii() else _NON_ASCII.sub(" ", self.low)
        found = low.encode("ascii").translate(_SEPARATE).split()
        words = set(found)
        firsts = _PAIR_FIRSTS
        if not firsts.isdisjoint(words):
            starts = compress(range(len(found) - 1), map(firsts.__contains__, found))
            words.update([found[i] + b" " + found[i + 1] for i in starts])
        self.words = words
        self.norm = b" " + b" ".join(found) + b" "

    def fresh(self) -> TextInfo:
        if self.version != _PAIRS_VERSION[0]:
            self.read()
        return self


_INFO: dict[str, TextInfo] = {}
_INFO_MAX = 2048


def text_info(text: str) -> TextInfo:
    """The :class:`TextInfo` of ``text``, built once and kept while the text keeps coming back."""
    info = _INFO.get(text)
    if info is None:
        if len(_INFO) >= _INFO_MAX:
            _INFO.clear()
        info = _INFO[text] = TextInfo(text)
    return info


def _word_quality(word: str) -> int:
    return 1 if word in _COMMON or len(word) < 3 else len(word)


def _whole_words(lit: str) -> list[str]:
    """The words of a literal that must be whole words of the text (spaces on both sides)."""
    parts = lit.strip(" ").split(" ")
    left, right = lit.startswith(" "), lit.endswith(" ")
    if len(parts) == 1:
        return parts if left and right else []
    out = parts[1:-1]
    if left:
        out.insert(0, parts[0])
    if right:
        out.append(parts[-1])
    return out


@cache
def _literal_strength(lit: str) -> int:
    words = lit.split()
    whole = _whole_words(lit)
    best = max((_word_quality(w) for w in whole), default=0)
    if not whole:  # part of a word: a substring test only
        best = max(_word_quality(w) for w in words) // 2
    return best + 2 * (len(words) - 1)


_PAIR_STOP = frozenset(
    """a an and are at be but by for from he her him his i in is it its me my of on or our s she so t that
    the their them then there they this to was we were with you your""".split()
)
"""Words too frequent to start a word-pair key."""

Key = bytes
"""An index key: a whole word, or two neighbouring whole words joined by a space (ASCII bytes)."""


@cache
def _literal_keys(lit: str) -> tuple[str, ...]:
    """Keys every text holding the literal has, most selective first: neighbouring word pairs
    (rarest first), then single words; a pair's words are not offered again on their own."""
    whole = _whole_words(lit)
    # a pair only when its first word is not one of the most frequent: texts keep just the pairs
    # that start with a known first word, so those would make every text keep most of its pairs
    pairs = sorted(((a, b) for a, b in zip(whole, whole[1:], strict=False) if a not in _PAIR_STOP and len(a) > 1),
                   key=lambda p: (_word_quality(p[0]) + _word_quality(p[1]), p), reverse=True)
    out: list[str] = []
    used: set[str] = set()
    for a, b in pairs:
        if a not in used and b not in used:
            out.append(f"{a} {b}")
            used.update((a, b))
    out += sorted((w for w in set(whole) if w not in used), key=lambda w: (_word_quality(w), w), reverse=True)
    return tuple(out)


def _key(word_or_pair: str) -> Key:
    key = word_or_pair.encode("ascii")
    if b" " in key:
        first = key.split(b" ", 1)[0]
        if first not in _PAIR_FIRSTS:
            _PAIR_FIRSTS.add(first)
            _PAIRS_VERSION[0] += 1
    return key


class _Clause:
    """Literals at least one of which occurs in ``TextInfo.norm`` of every matching text."""

    __slots__ = ("by_key", "free", "free_lits", "heads", "keys", "keys2", "keyset", "lits", "score")

    def __init__(self, lits: Iterable[str]) -> None:
        self.lits = tuple(sorted(set(lits)))
        self.score = (min(map(_literal_strength, self.lits)), -len(self.lits))
        # the rest is worked out on first use (see __getattr__): most clauses made while reading
        # a pattern are only compared by score and never used by a gate

    def __getattr__(self, name: str) -> Any:
        if name in _Clause.__slots__ and name not in ("lits", "score"):
            self._finish()
            return object.__getattribute__(self, name)
        raise AttributeError(name)

    def _finish(self) -> None:
        by_key: dict[Key, list[bytes]] = {}
        free: list[bytes] = []
        second: set[Key] | None = set()
        for lit in self.lits:
            keys = _literal_keys(lit)
            blit = lit.encode("ascii")
            if keys:
                by_key.setdefault(_key(keys[0]), []).append(blit)
                if second is not None and len(keys) > 1:
                    second.add(_key(keys[1]))
                else:
                    second = None
            else:
                free.append(blit)
        heads = _grouped([lit.encode("ascii") for lit in self.lits], limit=4)
        self.heads = heads
        """With few distinct first-two-words, test those first (a few substring tests in all)."""
        self.by_key = {k: _grouped(v) for k, v in by_key.items()}  # type: ignore[misc]
        self.keyset = frozenset(by_key)
        self.free = _grouped(free)  # type: ignore[assignment]
        self.free_lits = tuple(free)
        """The literals without a whole word (" malinger" for ``malinger\\w*``): substring tests."""
        self.keys = frozenset(by_key) if not free else None
        """Keys one of which every match holds (``None`` if some literal is part of a word)."""
        self.keys2 = frozenset(second) if second is not None and self.keys is not None else None
        """A second such set, from each literal's next key (``None`` if some literal has none)."""

    def test(self, info: TextInfo) -> bool:
        norm = info.norm
        if self.heads is not None:
            for head, lits in self.heads:
                if head in norm:
                    for lit in lits:
                        if lit in norm:
                            return True
            return False
        for head, lits in self.free:
            if head in norm:
                for lit in lits:
                    if lit in norm:
                        return True
        by_key = self.by_key
        for key in info.words.intersection(self.keyset):
            for head, lits in by_key[key]:
                if head in norm:
                    for lit in lits:
                        if lit in norm:
                            return True
        return False


def _grouped(lits: list[bytes], limit: int = 0) -> Any:
    """Literals grouped under their first two words (" as if " for " as if she ", " as if he "...):
    one substring test then rules out a whole group. With ``limit``, ``None`` once there are
    more groups than that."""
    groups: dict[bytes, list[bytes]] = {}
    for lit in lits:
        words = lit.split(b" ")
        # words[0] is b"" when the literal starts at a word boundary
        n = 3 if lit.startswith(b" ") else 2
        head = b" ".join(words[:n]) + b" " if len(words) > n else lit
        group = groups.get(head)
        if group is None:
            if limit and len(groups) >= limit:
                return None
            group = groups[head] = []
        group.append(lit)
    return tuple((head, tuple(group)) for head, group in groups.items())


def _all_hold(branch: tuple[_Clause, ...], info: TextInfo) -> bool:
    for clause in branch:
        if not clause.test(info):
            return False
    return True


class Gate:
    """A necessary condition for a pattern to match: any of ``branches`` holds, where a branch
    holds when every one of its clauses does. ``keys`` are whole words one of which every match
    contains, ``keys2`` a second such set from another clause (``None`` when there is no such
    set); :class:`GateIndex` looks them up. Branches are themselves indexed by their best
    clause's words, so a pattern of many alternatives tests only the ones a text could hold."""

    __slots__ = ("_by_key", "_free", "_keyset", "branches", "keys", "keys2", "subs", "subs2", "trivial")

    def __init__(self, branches: list[list[_Clause]]) -> None:
        ordered = []
        for b in branches:
            clauses = sorted(b, key=lambda c: c.score, reverse=True)
            ordered.append(tuple(clauses))
        self.branches = tuple(ordered)
        by_key: dict[Key, list[tuple[_Clause, ...]]] = {}
        free: list[tuple[_Clause, ...]] = []
        keys: set[Key] = set()
        subs: set[bytes] = set()
        keys2: set[Key] | None = set()
        subs2: set[bytes] = set()
        for branch in self.branches:
            indexable = [c for c in branch if c.keys is not None]  # best first
            if not indexable:
                free.append(branch)
            else:
                for key in indexable[0].keys:  # type: ignore[union-attr]
                    by_key.setdefault(key, []).append(branch)
            # for the index: the best clause, preferring one with whole words only; the
            # literals without a whole word are looked for as substrings
            ranked = sorted(branch, key=lambda c: (c.keys is not None, c.score), reverse=True)
            keys |= ranked[0].keyset
            subs.update(ranked[0].free_lits)
            if keys2 is not None:
                if len(ranked) > 1:
                    keys2 |= ranked[1].keyset
                    subs2.update(ranked[1].free_lits)
                elif ranked[0].keys2 is not None:
                    keys2 |= ranked[0].keys2
                else:
                    keys2 = None
        self._by_key = {k: tuple(v) for k, v in by_key.items()}
        self._keyset = frozenset(by_key)
        self._free = tuple(free)
        self.keys: frozenset[Key] | None = frozenset(keys)
        """Words one of which every match holds, or (see ``subs``)..."""
        self.subs = tuple(sorted(subs))
        """...literals (parts of words) one of which occurs in ``TextInfo.norm``."""
        self.keys2 = frozenset(keys2) if keys2 is not None else None
        """A second such pair of sets, from another clause (``None``: there is none)."""
        self.subs2 = tuple(sorted(subs2))
        only = self.branches[0][0] if len(self.branches) == 1 and len(self.branches[0]) == 1 else None
        self.trivial = only is not None and only.keys is not None and all(
            lit == f" {key.decode()} " for key, group in only.by_key.items() for _, lits in group for lit in
            (x.decode() for x in lits)
        )
        """The gate is one clause of single whole words, its ``keys``: holding a key is passing."""

    def test(self, info: TextInfo) -> bool:
        """Whether the pattern could match the text (``True`` when unsure)."""
        if not info.ok:
            return True
        if info.version != _PAIRS_VERSION[0]:
            info.read()
        for branch in self._free:
            if _all_hold(branch, info):
                return True
        hits = info.words.intersection(self._keyset)
        if not hits:
            return False
        by_key = self._by_key
        if len(self.branches) == 1:  # the usual case: one branch, tested once
            return _all_hold(self.branches[0], info) if not self._free else False
        tried: set[int] = set()
        for key in hits:
            for branch in by_key[key]:
                if id(branch) not in tried:
                    tried.add(id(branch))
                    if _all_hold(branch, info):
                        return True
        return False

    def literals(self) -> tuple[str, ...]:
        return tuple(sorted({lit for b in self.branches for c in b for lit in c.lits}))


_MAX_RUN = 32
_WORD_CATEGORIES = frozenset({"CATEGORY_WORD"})
_NON_WORD_ITEMS = frozenset({"CATEGORY_SPACE", "CATEGORY_NOT_WORD", "CATEGORY_LINEBREAK"})


def _zero_width(node: tuple) -> bool:
    return str(node[0]) in _ZERO_WIDTH


def _is_word_class(nodes: list) -> bool:
    """``[\\w...]`` / ``\\w``: a class that holds every word character."""
    if len(nodes) != 1 or str(nodes[0][0]) != "IN":
        return False
    items = nodes[0][1]
    return not any(str(k) == "NEGATE" for k, _ in items) and any(
        str(k) == "CATEGORY" and str(v) in _WORD_CATEGORIES for k, v in items
    )


def _guard(node: tuple, side: int) -> bool:
    """Whether a zero-width node guarantees that the character on ``side`` (-1 before, 1 after)
    of its position is not a letter or digit (or is the edge of the text)."""
    name, arg = str(node[0]), node[1]
    if name == "AT":
        code = str(arg)
        if code == "AT_BOUNDARY":  # only relevant next to a letter or digit, where it means this
            return True
        if side < 0:
            return code in ("AT_BEGINNING", "AT_BEGINNING_LINE", "AT_BEGINNING_STRING")
        return code in ("AT_END", "AT_END_LINE", "AT_END_STRING")
    if name == "ASSERT_NOT":
        direction, body = arg
        return (direction < 0) == (side < 0) and _is_word_class(list(body))
    return False


_YES, _NO, _MAYBE = 1, 0, 2
"""Edge kinds: the edge character is never a letter or digit / may be one / the node may match
nothing at all, and when it matches something the edge character is never a letter or digit."""


def _edge(node: tuple, last: bool) -> int:
    """The kind of a consuming node's last (or first) character, see ``_YES`` / ``_NO`` / ``_MAYBE``."""
    name, arg = str(node[0]), node[1]
    if name == "LITERAL":
        return _NO if chr(arg).lower().isalnum() else _YES
    if name == "IN":
        for kind, value in arg:
            kind = str(kind)
            if kind == "LITERAL":
                if chr(value).lower().isalnum():
                    return _NO
            elif kind == "CATEGORY":
                if str(value) not in _NON_WORD_ITEMS:
                    return _NO
            else:
                return _NO
        return _YES
    if name in ("MAX_REPEAT", "MIN_REPEAT"):
        low, _high, body = arg
        kind = _seq_edge(list(body), last)
        if kind == _NO:
            return _NO
        return kind if low >= 1 else _MAYBE
    if name == "SUBPATTERN":
        return _seq_edge(list(arg[3]), last)
    if name == "BRANCH":
        kinds = {_seq_edge(list(b), last) for b in arg[1]}
        if _NO in kinds or not kinds:
            return _NO
        return _YES if kinds == {_YES} else _MAYBE
    return _NO


def _seq_edge(nodes: list, last: bool) -> int:
    for node in reversed(nodes) if last else nodes:
        if _zero_width(node):
            continue
        kind = _edge(node, last)
        if kind != _MAYBE:
            return kind
    return _MAYBE


def _bounded(nodes: list, index: int, side: int, outer: bool) -> bool:
    """Whether the character just outside ``nodes[index]`` on ``side`` is never a letter or digit
    in a match (a word boundary, a space, the edge of the text...)."""
    j = index + side
    while 0 <= j < len(nodes):
        node = nodes[j]
        if _zero_width(node):
            if _guard(node, side):
                return True
        else:
            kind = _edge(node, side < 0)
            if kind != _MAYBE:
                return kind == _YES
        j += side
    return outer


def _literal(text: str, left: bool, right: bool) -> str | None:
    """The words of one expansion as a ``norm`` literal (" is not real "), spaces marking the
    ends that are word boundaries; ``None`` when it holds no letter or digit."""
    if not text.isascii():
        return None
    low = text.lower()
    spans = [m.span() for m in _ALNUM.finditer(low)]
    if not spans:
        return None
    left = left or spans[0][0] > 0
    right = right or spans[-1][1] < len(low)
    body = " ".join(low[a:b] for a, b in spans)
    return (" " if left else "") + body + (" " if right else "")


def _run_clause(strings: list[str], left: bool, right: bool) -> _Clause | None:
    lits = []
    for s in strings:
        lit = _literal(s, left, right)
        if lit is None:
            return None  # this way through needs no word at all
        lits.append(lit)
    return _Clause(lits)


_EXPANDED: dict[int, tuple[tuple, list[str] | None]] = {}
"""Expansions of the nodes of the pattern being read (by node identity; cleared after each)."""


def _expand_one(node: tuple) -> list[str] | None:
    """:func:`_expand_nodes` for one node, reading ``\\s*`` as "nothing or a space" (for words,
    any run of spaces is one space)."""
    found = _EXPANDED.get(id(node))
    if found is not None and found[0] is node:
        return found[1]
    name, arg = str(node[0]), node[1]
    if name in ("MAX_REPEAT", "MIN_REPEAT") and arg[0] == 0 and _expand_nodes(list(arg[2])) == [" "]:
        out: list[str] | None = ["", " "]
    else:
        out = _expand_nodes([node], zero_width_ok=True)
    _EXPANDED[id(node)] = (node, out)
    return out


def _seq_clauses(nodes: list, left: bool, right: bool) -> list[_Clause]:
    """Clauses every match of the sequence satisfies (all of them: a conjunction)."""
    clauses: list[_Clause] = []
    n = len(nodes)
    i = 0
    while i < n:
        node = nodes[i]
        if _zero_width(node):
            i += 1
            continue
        strings = _expand_one(node)
        if strings is not None and len(strings) <= _MAX_RUN:
            first = last = i
            j = i + 1
            while j < n:
                if _zero_width(nodes[j]):
                    j += 1
                    continue
                more = _expand_one(nodes[j])
                if more is None or len(strings) * len(more) > _MAX_RUN:
                    break
                strings = [a + b for a in strings for b in more]
                last = j
                j += 1
            clause = _run_clause(strings, _bounded(nodes, first, -1, left), _bounded(nodes, last, 1, right))
            if clause is not None:
                clauses.append(clause)
            i = last + 1
            continue
        clauses += _node_clauses(node, _bounded(nodes, i, -1, left), _bounded(nodes, i, 1, right))
        i += 1
    return clauses


_BIG_BRANCHES: dict[tuple[str, bool, bool], list[_Clause]] = {}
"""Clauses of long alternations already read, by their parsed form (clauses are not changed
once made, so patterns sharing a word list share them)."""


def _node_clauses(node: tuple, left: bool, right: bool) -> list[_Clause]:
    name, arg = str(node[0]), node[1]
    if name == "SUBPATTERN":
        return _seq_clauses(list(arg[3]), left, right)
    if name == "BRANCH":
        key = None
        if len(arg[1]) > 40:  # a long word list (symptoms, causes...) recurs in several patterns
            key = (repr(arg[1]), left, right)
            if key in _BIG_BRANCHES:
                return _BIG_BRANCHES[key]
        alternatives = [_seq_clauses(list(b), left, right) for b in arg[1]]
        if not alternatives or any(not a for a in alternatives):
            out: list[_Clause] = []
        else:
            best = [max(a, key=lambda c: c.score) for a in alternatives]
            out = [_Clause(lit for c in best for lit in c.lits)]
        if key is not None:
            _BIG_BRANCHES[key] = out
        return out
    if name in ("MAX_REPEAT", "MIN_REPEAT"):
        low, high, body = arg
        if low >= 1:
            return _seq_clauses(list(body), left, right and high == 1)
    return []


def _top_branches(nodes: list, left: bool, right: bool) -> list[list[_Clause]]:
    """The pattern's top-level alternatives, each with its clauses (a disjunction of conjunctions)."""
    consuming = [k for k, nd in enumerate(nodes) if not _zero_width(nd)]
    if len(consuming) == 1:
        k = consuming[0]
        name, arg = str(nodes[k][0]), nodes[k][1]
        lb, rb = _bounded(nodes, k, -1, left), _bounded(nodes, k, 1, right)
        if name == "SUBPATTERN":
            return _top_branches(list(arg[3]), lb, rb)
        if name == "BRANCH":
            out: list[list[_Clause]] = []
            for b in arg[1]:
                out += _top_branches(list(b), lb, rb)
            return out
    return [_seq_clauses(nodes, left, right)]


_GATES: dict[tuple[str, int], Gate | None] = {}


def derive_gate(pattern: str, flags: int = re.IGNORECASE) -> Gate | None:
    """A :class:`Gate` for ``pattern`` (``None``: no useful condition; always run it)."""
    key = (pattern, flags)
    if key in _GATES:
        return _GATES[key]
    gate: Gate | None = None
    if not flags & (re.ASCII | re.LOCALE | re.VERBOSE):
        try:
            tree = _sre_parse.parse(pattern, flags)
            branches = _top_branches(list(tree), False, False)
            if branches and all(branches):
                gate = Gate(branches)
        except (re.error, RecursionError, TypeError, ValueError):
            gate = None
        finally:
            _EXPANDED.clear()
    _GATES[key] = gate
    return gate


class GateIndex:
    """Many gates, inverted: ``mask(info)`` has bit ``i`` set when gate ``i`` holds one of its
    ``keys`` (or ``subs``) and one of its ``keys2`` (or ``subs2``); only those can let the text
    through, and ``test`` checks them properly."""

    __slots__ = ("_always", "_always2", "_gates", "_keys", "_keys2", "_masks", "_masks2", "_subs", "_subs2", "size")

    def __init__(self, gates: Iterable[Gate | None]) -> None:
        self._gates = list(gates)
        self.size = len(self._gates)
        masks: dict[Key, int] = {}
        masks2: dict[Key, int] = {}
        subs: dict[bytes, int] = {}
        subs2: dict[bytes, int] = {}
        always = always2 = 0
        for i, gate in enumerate(self._gates):
            bit = 1 << i
            if gate is None or gate.keys is None:
                always |= bit
                always2 |= bit
                continue
            for key in gate.keys:
                masks[key] = masks.get(key, 0) | bit
            for lit in gate.subs:
                subs[lit] = subs.get(lit, 0) | bit
            if gate.keys2 is None:
                always2 |= bit
            else:
                for key in gate.keys2:
                    masks2[key] = masks2.get(key, 0) | bit
                for lit in gate.subs2:
                    subs2[lit] = subs2.get(lit, 0) | bit
        self._masks, self._masks2 = masks, masks2
        self._keys, self._keys2 = frozenset(masks), frozenset(masks2)
        self._subs, self._subs2 = tuple(subs.items()), tuple(subs2.items())
        self._always, self._always2 = always, always2

    def mask(self, info: TextInfo) -> int:
        """Bit ``i`` set: gate ``i`` holds the text's key words (it may still turn the text away)."""
        if not info.ok:
            return (1 << self.size) - 1
        if info.version != _PAIRS_VERSION[0]:
            info.read()
        words = info.words
        mask = reduce(or_, map(self._masks.__getitem__, self._keys.intersection(words)), self._always)
        norm = info.norm
        for lit, bits in self._subs:
            if lit in norm:
                mask |= bits
        if not mask:
            return 0
        second = reduce(or_, map(self._masks2.__getitem__, self._keys2.intersection(words)), self._always2)
        for lit, bits in self._subs2:
            if lit in norm:
                second |= bits
        return mask & second

    def test(self, info: TextInfo, mask: int, offset: int = 0) -> list[int]:
        """The positions (minus ``offset``) of the gates in ``mask`` (shifted by ``offset``) that let
        the text through, in order."""
        out = []
        gates = self._gates
        while mask:
            bit = mask & -mask
            i = bit.bit_length() - 1
            gate = gates[i + offset]
            if gate is None or not info.ok or gate.trivial or gate.test(info):
                out.append(i)
            mask ^= bit
        return out

    def candidates(self, info: TextInfo) -> list[int]:
        """The positions of the gates that let the text through, in order."""
        mask = self.mask(info)
        return self.test(info, mask) if mask else []


class LazyPattern:
    """A regex compiled on first use (importing the analysis modules compiles nothing). Behaves
    like the compiled pattern; ``pattern`` gives the source without compiling."""

    __slots__ = ("_flags", "_rx", "_source")

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source = source
        self._flags = flags
        self._rx: re.Pattern[str] | None = None

    @property
    def pattern(self) -> str:
        return self._source

    @property
    def source_flags(self) -> int:
        """The flags given (``flags`` is the compiled pattern's, which compiles it)."""
        return self._flags

    @property
    def compiled(self) -> re.Pattern[str]:
        rx = self._rx
        if rx is None:
            rx = self._rx = re.compile(self._source, self._flags)
        return rx

    def finditer(self, *args: Any) -> Iterable[re.Match[str]]:
        return self.compiled.finditer(*args)

    def search(self, *args: Any) -> re.Match[str] | None:
        return self.compiled.search(*args)

    def match(self, *args: Any) -> re.Match[str] | None:
        return self.compiled.match(*args)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.compiled, name)

    def __repr__(self) -> str:
        return f"LazyPattern({self._source[:60]!r}...)"
