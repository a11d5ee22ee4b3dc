"""Fast, explainable matching for the analysis vocabularies (no third-party code).

A regex alternation of hundreds of words is tried at every position of a text, which costs
milliseconds per note, while the flags must run in a few milliseconds for a whole client. The
machinery lives in small modules, and this one gathers their public names:

* :mod:`.pattern_tree` reads the project's regular expressions into a tree (without Python's
  private regex parser) and expands simple fragments (``dizz(?:y|iness)``) into word sequences;
* :mod:`.vocab` matches such vocabularies token by token (:class:`TokenVocab`,
  :class:`WordMatcher`, :func:`tokens`);
* :mod:`.gate_reading` reads from a pattern's tree the word sequences every match must contain (a
  :class:`Gate`, :mod:`.gates`); :class:`TextInfo` (:mod:`.textinfo`) reads a text's words once,
  and a :class:`GateIndex` inverts many gates so one set intersection says which patterns could
  match the text at all; the rest are never run;
* here, :class:`LazyPattern` compiles a regex on first use (importing the analysis modules
  compiles nothing) and :class:`Phrase` is a pattern that runs only on texts its gate lets
  through.

All of this is optimisation only: the tests (``tests/test_flags_speed.py``) check it never
changes what is found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from .gate_reading import derive_gate
from .gates import Gate, GateIndex
from .pattern_tree import expand
from .textinfo import TextInfo, text_info
from .vocab import TOKEN_TABLE, Spans, TokenVocab, WordMatcher, tokens

__all__ = [
    "Gate",
    "GateIndex",
    "LazyPattern",
    "Phrase",
    "Spans",
    "TextInfo",
    "TokenVocab",
    "WordMatcher",
    "derive_gate",
    "expand",
    "text_info",
    "tokens",
]

_TOKEN_TABLE = TOKEN_TABLE
"""The tokeniser's translation table (kept under its old name for the tests)."""


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


class Phrase:
    """A regex that only runs on texts that could hold a match: ``possible(info)`` checks the
    text's :class:`TextInfo` against the pattern's :class:`Gate` (derived on first use)."""

    __slots__ = ("_flags", "_gate", "_pattern")

    _UNSET: Any = object()

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
        self._gate: Gate | None = Phrase._UNSET

    @property
    def pattern(self) -> re.Pattern[str] | LazyPattern:
        return self._pattern

    @property
    def gate(self) -> Gate | None:
        if self._gate is Phrase._UNSET:
            self._gate = derive_gate(self._pattern.pattern, self._flags)
        return self._gate

    def possible(self, info: TextInfo) -> bool:
        """Whether the text could hold a match (``False`` only when its gate rules it out)."""
        gate = self.gate
        return gate is None or gate.test(info)
