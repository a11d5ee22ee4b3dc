"""The text being checked: its sentences, clauses, quotations and reported speech.

The patient's own words are treated differently from the clinician's claims: text inside
quotation marks, or reported after "she said / worried / feared / was told ...", is *quoted*. A
:class:`Document` works these regions out once per check, with the symptom and
psychological-cause word matches the causal-claim shapes need.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from functools import cached_property

from ..cache import AnalysisCache
from ..text import attribution, lexicon, matching, vocab

# =============================================================================================
# Text structure: sentences, clauses, quotations and reported speech
# =============================================================================================

_ABBREVIATIONS = frozenset(
    "dr mr mrs ms mx prof st e.g i.e etc vs approx no nos fig ref tel dept rd ave "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_SENTENCE_END = matching.LazyPattern(r"[.!?]+(?=[\s\"'”’)\]]|$)|\n[ \t]*\n|\n(?=[ \t]*(?:[-*+#>]|\d+[.)])\s)")
_CLAUSE_BREAK = matching.LazyPattern(r";|:(?=\s)|,?\s+(?:but|however|whereas|although|though|yet)\b|\s[–—-]\s")


class Document:
    """The text with its sentence and clause boundaries and its quoted regions."""

    def __init__(self, text: str, cache: AnalysisCache | None = None) -> None:
        self.text = text
        self.low = text.lower()
        self.cache = cache

    @cached_property
    def info(self) -> matching.TextInfo:
        """The text's words, for the gates (shared with the flags engine through the cache)."""
        return matching.text_info(self.text, self.cache)

    @cached_property
    def _sentence_bounds(self) -> tuple[list[int], list[int]]:
        return self._sentences(self.text)

    @property
    def sentence_starts(self) -> list[int]:
        return self._sentence_bounds[0]

    @property
    def sentence_ends(self) -> list[int]:
        return self._sentence_bounds[1]

    @cached_property
    def clause_bounds(self) -> list[int]:
        return self._clause_bounds()

    @cached_property
    def quoted(self) -> list[tuple[int, int]]:
        return self._quoted_regions()

    @cached_property
    def _tokens(self) -> vocab.Tokens:
        return vocab.positioned_tokens(self.text)  # read once for both word matchers

    @cached_property
    def psych(self) -> matching.Spans:
        return matching.Spans(word_matcher("psych").finditer(self.text, self._tokens))

    @cached_property
    def effect(self) -> matching.Spans:
        return matching.Spans(word_matcher("effect").finditer(self.text, self._tokens))

    # -- boundaries --------------------------------------------------------------------------

    @staticmethod
    def _sentences(text: str) -> tuple[list[int], list[int]]:
        starts, ends = [0], []
        for m in _SENTENCE_END.finditer(text):
            if m.group().startswith("."):
                before = text[max(0, m.start() - 6) : m.start()]
                word = re.search(r"([A-Za-z.]+)$", before)
                if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
                    continue
                if word and len(word.group(1)) == 1 and word.group(1).isupper():  # an initial: "J. Smith"
                    continue
            ends.append(m.end())
            starts.append(m.end())
        ends.append(len(text))
        return starts, ends

    def _clause_bounds(self) -> list[int]:
        bounds = set(self.sentence_starts)
        bounds.add(len(self.text))
        for m in _CLAUSE_BREAK.finditer(self.text):
            bounds.add(m.start())
        return sorted(bounds)

    def sentence(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.sentence_starts, pos) - 1
        return self.sentence_starts[i], self.sentence_ends[i]

    def clause(self, pos: int) -> tuple[int, int]:
        i = bisect.bisect_right(self.clause_bounds, pos) - 1
        start = self.clause_bounds[max(i, 0)]
        end = self.clause_bounds[i + 1] if i + 1 < len(self.clause_bounds) else len(self.text)
        return start, end

    def clauses(self) -> Iterator[tuple[int, int]]:
        b = self.clause_bounds
        for i in range(len(b) - 1):
            if b[i + 1] > b[i]:
                yield b[i], b[i + 1]

    # -- quotation and reported speech -------------------------------------------------------

    def _quoted_regions(self) -> list[tuple[int, int]]:
        sentences = zip(self.sentence_starts, self.sentence_ends, strict=True)
        return attribution.attributed_regions(self.text, sentences)

    def is_quoted(self, start: int, end: int) -> bool:
        return any(qs <= start and end <= qe for qs, qe in self.quoted)


_MATCHERS: dict[str, matching.WordMatcher] = {}


def word_matcher(kind: str) -> matching.WordMatcher:
    """The symptom ("effect") or psychological-cause ("psych") word matcher, built on first use."""
    matcher = _MATCHERS.get(kind)
    if matcher is None:
        matcher = _MATCHERS[kind] = matching.WordMatcher(lexicon.EFFECT_WORDS if kind == "effect" else lexicon.PSYCH_CAUSES)
    return matcher
