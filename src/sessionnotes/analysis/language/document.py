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
from ..text import lexicon, matching

# =============================================================================================
# Text structure: sentences, clauses, quotations and reported speech
# =============================================================================================

_ABBREVIATIONS = frozenset(
    "dr mr mrs ms mx prof st e.g i.e etc vs approx no nos fig ref tel dept rd ave "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_SENTENCE_END = matching.LazyPattern(r"[.!?]+(?=[\s\"'”’)\]]|$)|\n[ \t]*\n|\n(?=[ \t]*(?:[-*+#>]|\d+[.)])\s)")
_CLAUSE_BREAK = matching.LazyPattern(r";|:(?=\s)|,?\s+(?:but|however|whereas|although|though|yet)\b|\s[–—-]\s")
_DQUOTE = matching.LazyPattern(r"\"[^\"\n]{1,400}\"|“[^”]{1,400}”|‘(?:[^’]|’(?=\w)){1,400}’|«[^»]{1,400}»")
_SQUOTE = matching.LazyPattern(r"(?<![\w'])'(?=\S)((?:[^'\n]|(?<=\w)'(?=\w)){1,300}?)(?<=\S)'(?![\w])")

_FIRST_PERSON = frozenset({"i", "we", "us", "team", "mdt", "myself", "ourselves", "me"})
_SUBJECT_WORDS = frozenset(
    """she he they someone somebody everyone everybody anyone people others nobody patient client gp gps
    doctor doctors consultant consultants neurologist neurologists specialist specialists surgeon nurse
    nurses staff family husband wife partner mother father mum dad son daughter sister brother friend
    friends parents relatives colleagues employer boss manager clinician clinicians therapist therapists
    physio physiotherapist cardiologist rheumatologist gastroenterologist paramedic paramedics receptionist
    practice hospital service services psychiatrist psychologist counsellor""".split()
)
_AUXILIARIES = frozenset(
    """has have had was were is are be been being also often always then never once repeatedly previously
    sometimes would will had still later even already apparently clearly really once again""".split()
)
_REPORTING_RE = matching.LazyPattern(r"(?<![\w-])" + lexicon.alternation(lexicon.REPORTING_VERBS) + r"(?![\w-])", re.IGNORECASE)
_FRAME_RE = matching.LazyPattern(r"(?<![\w-])" + lexicon.alternation(lexicon.REPORTING_FRAMES) + r"(?![\w-])", re.IGNORECASE)
_TRAILING_ATTRIBUTION = matching.LazyPattern(
    r",\s*(?:(?:she|he|they)|[A-Z][a-z]+(?:\s[A-Z][a-z'-]+)?)\s+"
    r"(?:said|says|asked|asks|added|explained|insisted|told\s+(?:me|us)|shouted|cried|wondered)\s*[.!?]*\s*$"
)
_WORD = matching.LazyPattern(r"[A-Za-z][A-Za-z'’-]*")
_REPORTED_END = matching.LazyPattern(r";|,\s+(?:but|however|whereas|and\s+(?:I|we))\b")


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
    def psych(self) -> matching.Spans:
        return matching.Spans(word_matcher("psych").finditer(self.text))

    @cached_property
    def effect(self) -> matching.Spans:
        return matching.Spans(word_matcher("effect").finditer(self.text))

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
        text = self.text
        regions = [(m.start(), m.end()) for m in _DQUOTE.finditer(text)]
        regions += [(m.start(), m.end()) for m in _SQUOTE.finditer(text)]
        for start, end in zip(self.sentence_starts, self.sentence_ends, strict=True):
            sentence = text[start:end]
            if _TRAILING_ATTRIBUTION.search(sentence):
                regions.append((start, end))
                continue
            for m in _FRAME_RE.finditer(sentence):
                regions.append((start + m.start(), self._reported_end(start + m.end(), end)))
            for m in _REPORTING_RE.finditer(sentence):
                if self._reported_subject(sentence[: m.start()], m.group()):
                    regions.append((start + m.end(), self._reported_end(start + m.end(), end)))
        return regions

    def _reported_end(self, pos: int, sentence_end: int) -> int:
        m = _REPORTED_END.search(self.text, pos, sentence_end)
        return m.start() if m else sentence_end

    @staticmethod
    def _reported_subject(before: str, verb: str = "") -> bool:
        """Whether the words before a reporting verb name someone other than the clinician."""
        if verb.lower().endswith("ing") and " " not in verb:
            # "... discharged her saying there was nothing wrong": the subject is further back
            return not re.search(r"(?:^|[\s(])(?:I|we|We)\b", before)
        words = _WORD.findall(before[-80:])
        while words and words[-1].lower() in _AUXILIARIES:
            words.pop()
        if not words:
            return False
        head = words[-1].rstrip("'’s").rstrip("'’")
        low = words[-1].lower()
        if low in _FIRST_PERSON or head.lower() in _FIRST_PERSON:
            return False
        if low in _SUBJECT_WORDS or head.lower() in _SUBJECT_WORDS:
            return True
        if low.endswith(("'s", "’s")) and head.lower() in _SUBJECT_WORDS:
            return True
        # a name ("Mr Bhatt said", "Aisha worried"), but not an ordinary capitalised first word
        return head[:1].isupper() and head.lower() not in {"it", "this", "that", "there", "the", "a", "an", "as", "in"}

    def is_quoted(self, start: int, end: int) -> bool:
        return any(qs <= start and end <= qe for qs, qe in self.quoted)


_MATCHERS: dict[str, matching.WordMatcher] = {}


def word_matcher(kind: str) -> matching.WordMatcher:
    """The symptom ("effect") or psychological-cause ("psych") word matcher, built on first use."""
    matcher = _MATCHERS.get(kind)
    if matcher is None:
        matcher = _MATCHERS[kind] = matching.WordMatcher(lexicon.EFFECT_WORDS if kind == "effect" else lexicon.PSYCH_CAUSES)
    return matcher
