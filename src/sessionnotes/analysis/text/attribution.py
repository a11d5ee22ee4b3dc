"""Attribution: which words of a note or letter are someone else's (quoted or reported speech).

Recording what the patient fears or was told ("she worried we would think it was all in her
mind") is good practice, not the clinician's claim. So text inside quotation marks, text after a
reporting verb whose subject is not the clinician ("she said", "her GP told her", "Aisha
worried"), after a reporting frame ("in her words", "according to her") and a sentence ending in
an attribution (", she said.") count as *attributed*. The wording checker marks findings there as
``quoted``; the process flags read that mark from the checker's findings, so there is one rule set.
The reporting verbs and frames are data in :mod:`.lexicon`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from . import lexicon, matching

__all__ = ["attributed_regions", "reported_subject"]

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


def attributed_regions(text: str, sentences: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """``(start, end)`` of every quoted or reported stretch of ``text``, given its sentences."""
    regions = [(m.start(), m.end()) for m in _DQUOTE.finditer(text)]
    regions += [(m.start(), m.end()) for m in _SQUOTE.finditer(text)]
    for start, end in sentences:
        sentence = text[start:end]
        if _TRAILING_ATTRIBUTION.search(sentence):
            regions.append((start, end))
            continue
        for m in _FRAME_RE.finditer(sentence):
            regions.append((start + m.start(), _reported_end(text, start + m.end(), end)))
        for m in _REPORTING_RE.finditer(sentence):
            if reported_subject(sentence[: m.start()], m.group()):
                regions.append((start + m.end(), _reported_end(text, start + m.end(), end)))
    return regions


def _reported_end(text: str, pos: int, sentence_end: int) -> int:
    """Reported speech runs to the end of its sentence, or to a "; " / ", but" before it."""
    m = _REPORTED_END.search(text, pos, sentence_end)
    return m.start() if m else sentence_end


def reported_subject(before: str, verb: str = "") -> bool:
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
