"""Gates: exact necessary conditions for a pattern to match, checked on a text's words.

A regex tried on every note costs tens of microseconds even when it finds nothing, and the flags
run a few hundred phrase patterns over every session. A :class:`Gate` (read from a pattern by
:func:`.gate_reading.derive_gate`) lists the word sequences every match must contain
(``(?:is|are) not real`` needs " is not real " or " are not real "); each is one substring test
on :attr:`.TextInfo.norm`. A :class:`GateIndex` inverts many gates' key words, so one set
intersection says which patterns could match a text and the others are never run.

Gates only ever say "cannot match": whatever they let through still runs as the original regex,
so results are unchanged (``tests/test_flags_speed.py`` compares both ways on the corpora).
"""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache, reduce
from operator import or_
from typing import Any

from .textinfo import PAIRS_VERSION, Key, TextInfo, pair_key

__all__ = ["Clause", "Gate", "GateIndex"]

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


@cache
def _literal_keys(lit: str) -> tuple[str, ...]:
    """Keys every text holding the literal has, most selective first: neighbouring word pairs
    (rarest first), then single words; a pair's words are not offered again on their own."""
    whole = _whole_words(lit)
    # a pair only when its first word is not one of the most frequent: texts keep just the pairs
    # that start with a known first word, so those would make every text keep most of its pairs
    pairs = sorted(
        ((a, b) for a, b in zip(whole, whole[1:], strict=False) if a not in _PAIR_STOP and len(a) > 1),
        key=lambda p: (_word_quality(p[0]) + _word_quality(p[1]), p),
        reverse=True,
    )
    out: list[str] = []
    used: set[str] = set()
    for a, b in pairs:
        if a not in used and b not in used:
            out.append(f"{a} {b}")
            used.update((a, b))
    out += sorted((w for w in set(whole) if w not in used), key=lambda w: (_word_quality(w), w), reverse=True)
    return tuple(out)


class Clause:
    """Literals at least one of which occurs in ``TextInfo.norm`` of every matching text."""

    __slots__ = ("by_key", "free", "free_lits", "heads", "keys", "keys2", "keyset", "lits", "score")

    def __init__(self, lits: Iterable[str]) -> None:
        self.lits = tuple(sorted(set(lits)))
        self.score = (min(map(_literal_strength, self.lits)), -len(self.lits))
        # the rest is worked out on first use (see __getattr__): most clauses made while reading
        # a pattern are only compared by score and never used by a gate

    def __getattr__(self, name: str) -> Any:
        if name in Clause.__slots__ and name not in ("lits", "score"):
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
                by_key.setdefault(pair_key(keys[0]), []).append(blit)
                if second is not None and len(keys) > 1:
                    second.add(pair_key(keys[1]))
                else:
                    second = None
            else:
                free.append(blit)
        heads = _grouped([lit.encode("ascii") for lit in self.lits], limit=4)
        self.heads = heads
        """With few distinct first-two-words, test those first (a few substring tests in all)."""
        self.by_key = {k: _grouped(v) for k, v in by_key.items()}
        self.keyset = frozenset(by_key)
        self.free = _grouped(free)
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


def _all_hold(branch: tuple[Clause, ...], info: TextInfo) -> bool:
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

    def __init__(self, branches: list[list[Clause]]) -> None:
        ordered = []
        for b in branches:
            clauses = sorted(b, key=lambda c: c.score, reverse=True)
            ordered.append(tuple(clauses))
        self.branches = tuple(ordered)
        by_key: dict[Key, list[tuple[Clause, ...]]] = {}
        free: list[tuple[Clause, ...]] = []
        keys: set[Key] = set()
        subs: set[bytes] = set()
        keys2: set[Key] | None = set()
        subs2: set[bytes] = set()
        for branch in self.branches:
            indexable = [c for c in branch if c.keys is not None]  # best first
            if not indexable:
                free.append(branch)
            else:
                for key in indexable[0].keys or ():  # kept only where keys is not None (above)
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
        self.trivial = (
            only is not None
            and only.keys is not None
            and all(
                lit == f" {key.decode()} "
                for key, group in only.by_key.items()
                for _, lits in group
                for lit in (x.decode() for x in lits)
            )
        )
        """The gate is one clause of single whole words, its ``keys``: holding a key is passing."""

    def test(self, info: TextInfo) -> bool:
        """Whether the pattern could match the text (``True`` when unsure)."""
        if not info.ok:
            return True
        if info.version != PAIRS_VERSION[0]:
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
        if info.version != PAIRS_VERSION[0]:
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
