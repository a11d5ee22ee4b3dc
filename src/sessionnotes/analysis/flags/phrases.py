"""Phrase sets: the note phrases the detectors look for, kept as data and matched fast.

A detector module declares its phrase tables with :func:`words` beside the detector that uses them
and asks :func:`hits` (negated phrases dropped) or :func:`phrase_evidence` about a session's texts.
:class:`Phrases` does the matching: every fragment has a gate (the words any match must contain),
one gate index per family of phrase sets is consulted once per text, and a regex only runs on a
text that could hold a match. Nothing here remembers note text: a text's gate mask and the phrases
found in it are kept on its :class:`.matching.TextInfo`, kept in the
:class:`.AnalysisCache` given (or only for the call).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from typing import Protocol

from ..cache import AnalysisCache
from ..text import matching
from ..text.negation import negated
from .facts import SessionFacts
from .model import Evidence

NO_HITS: tuple[str, ...] = ()


def _ident(source: str) -> str:
    """A short stable name for a phrase set or a family's index, from what it matches."""
    return hashlib.blake2b(source.encode(), digest_size=8).hexdigest()


def hits(rx: Phrases, text: str, cache: AnalysisCache | None = None, *, negatable: bool = True) -> tuple[str, ...]:
    """The phrases of ``rx`` found in ``text`` (negated ones dropped). With a cache they are facts
    of the text (:func:`.textfacts.text_fact`): the family's gate mask first (most phrase sets stop
    there), then the phrases found, each kept in the cache's fact store so a text is read once per
    phrase set, whoever asks, and not again after the next unlock."""
    if not text:
        return NO_HITS
    if cache is None:
        info = matching.text_info(text)
        if not rx.could_match(info):
            return NO_HITS
        return tuple(text[a:b].strip() for a, b in rx.spans(text, info) if not (negatable and negated(text, a)))
    store = cache.facts
    entry = store.entry(text)
    if rx._index is None:
        rx.shared_index()  # names the family's gate mask (``_mask_kind``)
    mask: int | None = entry.get(rx._mask_kind)
    if mask is None:
        mask = rx.text_mask(matching.text_info(text, cache))
        store.put(entry, rx._mask_kind, mask)
    if not (mask >> rx._offset) & rx._bits:
        return NO_HITS
    kind = rx.kind if negatable else rx.kind + ":as-written"
    found = entry.get(kind)
    if found is None:
        info = matching.text_info(text, cache)
        found = [text[a:b].strip() for a, b in rx.spans(text, info) if not (negatable and negated(text, a))]
        store.put(entry, kind, found)
    return tuple(found) if found else NO_HITS


def phrase_evidence(
    f: SessionFacts, rx: Phrases, cache: AnalysisCache | None, names: Sequence[str] = ("note", "private_note")
) -> list[Evidence]:
    """One :class:`.model.Evidence` per phrase of ``rx`` found in the session's texts ``names``."""
    ev = []
    for name in names:
        for phrase in hits(rx, f.texts.get(name, ""), cache):
            ev.append(Evidence(f.session_id, f.date, name, phrase))
    return ev


class Match:
    """A found phrase: the same ``start()`` / ``end()`` / ``group()`` as a regex match."""

    __slots__ = ("_end", "_start", "_text")

    def __init__(self, text: str, start: int, end: int) -> None:
        self._text, self._start, self._end = text, start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self) -> str:
        return self._text[self._start : self._end]


def lower_pattern(source: str) -> str:
    """Lower-case a regex source without touching escapes (``\\W`` must stay ``\\W``)."""
    out, i = [], 0
    while i < len(source):
        if source[i] == "\\" and i + 1 < len(source):
            out.append(source[i : i + 2])
            i += 2
        else:
            out.append(source[i].lower())
            i += 1
    return "".join(out)


_WORDLIKE = re.compile(r"[\w-]")


class _Finder(Protocol):
    """What runs a fragment on a lower-cased text: a compiled regex or a :class:`TailAnchored`."""

    def finditer(self, low: str, /) -> Iterable[re.Match[str]]: ...


class Phrases:
    """Phrase patterns kept as data: each fragment is its own regex, run only on a text that
    could hold a match. Every fragment of every phrase set has a :class:`.matching.Gate` (the word
    sequences each match must contain, read from the pattern); one :class:`.matching.GateIndex`
    over all of them is consulted once per text, after which asking a phrase set about that text
    costs a shift and a mask, and most texts never run a regex at all. For speed the regex runs
    on the lower-cased text without ``IGNORECASE`` and the start-of-word check is done
    afterwards, which lets the regex engine skip ahead to the fragment's first letters. Nothing
    is compiled until first use, and the phrases found in a text are kept with the text's
    :class:`.matching.TextInfo` (see :func:`hits`), so re-running the flags after one note changes
    only re-reads that note."""

    registry: dict[str, list[Phrases]] = {}
    """Every phrase set by family, in creation order. A family's fragments share one gate index;
    families are the kinds of text they are asked about (session notes, reasons for absence,
    the client's goals), so a note is never checked against words only goals can hold."""

    def __init__(self, *fragments: str, whole_words: bool = True, flags: int = re.IGNORECASE, family: str = "notes") -> None:
        self.fragments = fragments
        self._whole_words = whole_words
        self._flags = flags
        self._family = family
        self._parts: list[tuple[int, matching.LazyPattern, matching.LazyPattern, bool]] | None = None
        self._offset = -1
        self._bits = (1 << len(fragments)) - 1
        self._fast: list[_Finder | None] = [None] * len(fragments)
        self._tails: dict[int, tuple[matching.LazyPattern, int]] = {}
        self._index: matching.GateIndex | None = None
        self.kind = "phrases:" + _ident(repr((family, fragments, whole_words, flags)))
        """The stable name of "the phrases of this set found in a text", as a text fact."""
        self._mask_kind = ""
        family_list = Phrases.registry.setdefault(family, [])
        family_list.append(self)
        for other in family_list:  # a new member: the family's index is built again on next use
            other._index = None

    @property
    def parts(self) -> list[tuple[int, matching.LazyPattern, matching.LazyPattern, bool]]:
        """``(ident, full, fast, check_start)`` per fragment: ``full`` is the plain
        case-insensitive pattern, ``fast`` the lower-case one run on the lower-cased text."""
        if self._parts is None:
            parts = []
            flags, whole = self._flags, self._whole_words
            for ident, f in enumerate(self.fragments):
                full = r"(?<![\w-])(?:" + f + r")(?![\w-])" if whole else f
                fast = r"(?:" + f + r")(?![\w-])" if whole else f
                parts.append(
                    (
                        ident,
                        matching.LazyPattern(full, flags),
                        matching.LazyPattern(lower_pattern(fast), flags & ~re.IGNORECASE),
                        whole,
                    )
                )
            self._parts = parts
        return self._parts

    def accelerate(self, k: int, tail: str, *, reach: int, flags: int = 0) -> None:
        """Run fragment ``k`` through :class:`TailAnchored`: ``tail`` (lower-case) must match at
        the end of every match of the fragment, starting at most ``reach`` characters after it."""
        self._tails[k] = (matching.LazyPattern(tail, flags), reach)

    def shared_index(self) -> matching.GateIndex:
        """The gate index of this set's family (built on first use), where this set's fragments
        are bits ``offset`` onwards."""
        if self._index is None:
            gates: list[matching.Gate | None] = []
            family = Phrases.registry[self._family]
            for phrases in family:
                phrases._offset = len(gates)
                gates += [matching.derive_gate(full.pattern, phrases._flags) for _, full, _, _ in phrases.parts]
            index = matching.GateIndex(gates)
            mask_kind = f"gates:{self._family}:" + _ident("|".join(phrases.kind for phrases in family))
            for phrases in family:
                phrases._index = index
                phrases._mask_kind = mask_kind
                phrases._compile()
            return index
        return self._index

    def _compile(self) -> None:
        """Compile the fast patterns now, with the index: compiling one the first time some text
        passes its gate would put the cost on whichever client happens to come first."""
        for k, (_ident, _full, fast, _check) in enumerate(self.parts):
            if self._fast[k] is None:
                rx: _Finder = fast.compiled
                if k in self._tails:
                    tail, reach = self._tails[k]
                    rx = TailAnchored(fast.compiled, tail.compiled, reach)
                self._fast[k] = rx

    @property
    def offset(self) -> int:
        self.shared_index()
        return self._offset

    @property
    def bits(self) -> int:
        return self._bits

    def text_mask(self, info: matching.TextInfo) -> int:
        """Bit ``i``: fragment ``i`` of the family's index holds the text's key words (once per text)."""
        index = self._index or self.shared_index()
        mask = info.memo.get(index)
        if mask is None:
            mask = info.memo[index] = index.mask(info)
        return mask  # type: ignore[return-value]  # the memo holds objects; this entry is the int mask stored above

    def could_match(self, info: matching.TextInfo) -> bool:
        """A cheap first check: ``False`` means :meth:`finditer` finds nothing in this text."""
        return bool((self.text_mask(info) >> self._offset) & self._bits)

    def spans(self, text: str, info: matching.TextInfo | None = None) -> list[tuple[int, int]]:
        """``(start, end)`` of each phrase found, in order, not overlapping (longest first at a
        position)."""
        info = info or matching.text_info(text)
        mask = (self.text_mask(info) >> self._offset) & self._bits
        if not mask:
            return []
        candidates = (self._index or self.shared_index()).test(info, mask, self._offset)
        if not candidates:
            return []
        parts = self.parts
        fast_rx = self._fast
        low = info.low
        spans: list[tuple[int, int]] = []
        for k in candidates:
            if len(low) != len(text):  # lower-casing changed lengths (rare Unicode): slow path
                spans += [m.span() for m in parts[k][1].finditer(text)]
                continue
            rx = fast_rx[k]
            if rx is None:
                rx = parts[k][2].compiled
                if k in self._tails:
                    tail, reach = self._tails[k]
                    rx = TailAnchored(rx, tail.compiled, reach)
                fast_rx[k] = rx
            check_start = parts[k][3]
            for m in rx.finditer(low):
                start = m.start()
                if check_start and start and _WORDLIKE.match(low, start - 1):
                    continue
                spans.append((start, m.end()))
        if len(spans) > 1:
            spans.sort(key=lambda sp: (sp[0], -sp[1]))
            kept, end = [], -1
            for a, b in spans:
                if a >= end:
                    kept.append((a, b))
                    end = b
            return kept
        return spans

    def finditer(self, text: str) -> list[Match]:
        """Every phrase found, as match-like objects (see :meth:`spans`)."""
        return [Match(text, a, b) for a, b in self.spans(text)]

    def search(self, text: str) -> Match | None:
        """The first phrase found, or ``None``."""
        spans = self.spans(text)
        return Match(text, *spans[0]) if spans else None


_SPACE_RUN = re.compile(r"\s\s")


class TailAnchored:
    """``finditer`` of a pattern whose every match ends with a match of ``tail`` that starts at
    most ``reach`` characters after the match does (when no two whitespace characters are
    adjacent: ``\\s+`` then matches one). Instead of trying the pattern at every position, it
    finds the next ``tail`` and searches from ``reach`` before it: no match can start earlier,
    so each search finds the same leftmost match that ``finditer`` would."""

    __slots__ = ("_reach", "_rx", "_tail")

    def __init__(self, rx: re.Pattern[str], tail: re.Pattern[str], reach: int) -> None:
        self._rx, self._tail, self._reach = rx, tail, reach

    def finditer(self, low: str) -> Iterable[re.Match[str]]:
        rx = self._rx
        if len(low) <= 3 * self._reach or _SPACE_RUN.search(low):  # short: nothing to skip
            return rx.finditer(low)
        out = []
        pos = 0
        tail = self._tail
        while True:
            w = tail.search(low, pos)
            if w is None:
                break
            m = rx.search(low, max(pos, w.start() - self._reach))
            if m is None:
                break
            if m.end() == m.start():  # not expected (the tail is never empty): the plain way
                return rx.finditer(low)
            out.append(m)
            pos = m.end()
        return out


def words(*fragments: str, family: str = "notes") -> Phrases:
    """A phrase set of whole-word, case-insensitive fragments in ``family``."""
    return Phrases(*fragments, family=family)
