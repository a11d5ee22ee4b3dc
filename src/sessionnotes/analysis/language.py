"""Clinical language checker: wording that may harm a patient who reads a letter or formulation.

Patients with persistent physical symptoms have often been told, or have feared being told, that
their symptoms are imagined, "all in the mind", or their own fault (000 L212, L234, L856). The
words a clinician writes can repeat that injury, so letters and shared formulation items are
checked for seven kinds of wording (extraction §4.4-4.5):

* **stigmatising** labels (somatiser, hypochondriac, heart-sink, malingering, "untreatable"...);
* **dualistic** either/or framing (all in the mind, nothing wrong with you, tests were normal so...);
* **certainty about cause**: a psychological cause stated as fact ("is clearly caused by stress",
  "psychological in origin"). Hedged wording does not fire ("it may be that stress plays a part",
  "one way of understanding this"): tentative formulation is the recommended practice (000 L981-983);
* **blaming** (non-compliant, doesn't want to get better, "what does she get out of being ill");
* **unhelpful normalising** of low mood ("no wonder she's depressed"), which can stop anyone
  offering help for it (004 L820, L1088);
* **jargon** that means little to a patient or sounds like a judgement (secondary gain,
  alexithymia, body talk, concrete, hard-to-engage...);
* **preferred term**: "MUS" / "medically unexplained" when the patient prefers another term
  (002 L59; 000 L236).

The patient's own words are treated differently: text inside quotation marks, or reported after
"she said / worried / feared / was told ...", is marked ``quoted`` and given low severity, because
recording what the patient fears ("she worried we would think it was all in her mind") is good
practice, not a claim. In the ``private`` context (the therapist's own process notes) only
"untreatable" labelling and tacit-dualism markers are reported (000 L675, L1028, L2248); jargon
is the clinician's own business there.

Everything is rule-based and explainable: each finding says which words matched, why it matters
(with the seed citation) and a tentative alternative. Lexicons live in :mod:`.lexicon` and in the
rule table below; nothing here imports Textual or reads files.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import cached_property

from .cache import AnalysisCache
from .text import lexicon as lx
from .text import matching as mt

__all__ = [
    "BLAMING",
    "CATEGORIES",
    "CERTAINTY",
    "CONTEXTS",
    "DUALISTIC",
    "JARGON",
    "NORMALISING",
    "PREFERRED_TERM",
    "SEVERITIES",
    "STIGMATISING",
    "Finding",
    "check",
    "tacit_dualism_markers",
    "untreatable_labels",
    "with_replacement",
]

STIGMATISING = "stigmatising"
DUALISTIC = "dualistic"
CERTAINTY = "certainty about cause"
BLAMING = "blaming"
NORMALISING = "unhelpful normalising"
JARGON = "jargon"
PREFERRED_TERM = "preferred term"
CATEGORIES: tuple[str, ...] = (STIGMATISING, DUALISTIC, CERTAINTY, BLAMING, NORMALISING, JARGON, PREFERRED_TERM)

SEVERITIES: tuple[str, ...] = ("high", "medium", "low")
CONTEXTS: tuple[str, ...] = ("letter", "shared", "private")

UNTREATABLE = "untreatable"
"""Rule group for "untreatable" labelling, reported in every context (000 L1028)."""


@dataclass(frozen=True)
class Finding:
    """One piece of wording worth a second look.

    ``start``/``end`` index the original text (``text[start:end] == matched``). ``why`` explains
    the concern and cites the seed; ``suggestion`` is a tentative alternative; ``replacement`` is
    a drop-in rewording for the matched span when one exists ("" otherwise). ``quoted`` means the
    words are the patient's or someone else's (quotation marks or reported speech), so severity
    is lowered. ``rule`` names the rule that fired (stable, for tests and dismissals).
    """

    category: str
    severity: str
    start: int
    end: int
    matched: str
    why: str
    suggestion: str
    quoted: bool = False
    rule: str = ""
    replacement: str = ""

    def to_dict(self) -> dict[str, object]:
        return {
            "category": self.category,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "matched": self.matched,
            "why": self.why,
            "suggestion": self.suggestion,
            "quoted": self.quoted,
            "rule": self.rule,
            "replacement": self.replacement,
        }


# =============================================================================================
# Text structure: sentences, clauses, quotations and reported speech
# =============================================================================================

_ABBREVIATIONS = frozenset(
    "dr mr mrs ms mx prof st e.g i.e etc vs approx no nos fig ref tel dept rd ave "
    "jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_SENTENCE_END = mt.LazyPattern(r"[.!?]+(?=[\s\"'”’)\]]|$)|\n[ \t]*\n|\n(?=[ \t]*(?:[-*+#>]|\d+[.)])\s)")
_CLAUSE_BREAK = mt.LazyPattern(r";|:(?=\s)|,?\s+(?:but|however|whereas|although|though|yet)\b|\s[–—-]\s")
_DQUOTE = mt.LazyPattern(r"\"[^\"\n]{1,400}\"|“[^”]{1,400}”|‘(?:[^’]|’(?=\w)){1,400}’|«[^»]{1,400}»")
_SQUOTE = mt.LazyPattern(r"(?<![\w'])'(?=\S)((?:[^'\n]|(?<=\w)'(?=\w)){1,300}?)(?<=\S)'(?![\w])")

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
_REPORTING_RE = mt.LazyPattern(r"(?<![\w-])" + lx.alternation(lx.REPORTING_VERBS) + r"(?![\w-])", re.IGNORECASE)
_FRAME_RE = mt.LazyPattern(r"(?<![\w-])" + lx.alternation(lx.REPORTING_FRAMES) + r"(?![\w-])", re.IGNORECASE)
_TRAILING_ATTRIBUTION = mt.LazyPattern(
    r",\s*(?:(?:she|he|they)|[A-Z][a-z]+(?:\s[A-Z][a-z'-]+)?)\s+"
    r"(?:said|says|asked|asks|added|explained|insisted|told\s+(?:me|us)|shouted|cried|wondered)\s*[.!?]*\s*$"
)
_WORD = mt.LazyPattern(r"[A-Za-z][A-Za-z'’-]*")
_REPORTED_END = mt.LazyPattern(r";|,\s+(?:but|however|whereas|and\s+(?:I|we))\b")


class _Doc:
    """The text with its sentence and clause boundaries and its quoted regions."""

    def __init__(self, text: str, cache: AnalysisCache | None = None) -> None:
        self.text = text
        self.low = text.lower()
        self.cache = cache

    @cached_property
    def info(self) -> mt.TextInfo:
        """The text's words, for the gates (shared with the flags engine through the cache)."""
        return mt.text_info(self.text, self.cache)

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
    def psych(self) -> mt.Spans:
        return mt.Spans(_word_matcher("psych").finditer(self.text))

    @cached_property
    def effect(self) -> mt.Spans:
        return mt.Spans(_word_matcher("effect").finditer(self.text))

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


# =============================================================================================
# Hedges, certainty and negation
# =============================================================================================

_HEDGE_STRONG = mt.LazyPattern(r"(?<![\w-])" + lx.alternation(lx.HEDGES_STRONG) + r"(?![\w-])", re.IGNORECASE)
_HEDGE_WEAK = mt.LazyPattern(r"(?<![\w-])" + lx.alternation(lx.HEDGES_WEAK) + r"(?![\w-])", re.IGNORECASE)
_CERTAIN = mt.LazyPattern(r"(?<![\w-])" + lx.alternation(lx.CERTAINTY_MARKERS) + r"(?![\w-])", re.IGNORECASE)
_STRONG_CERTAIN = mt.LazyPattern(
    r"(?<![\w-])(?:clearly|obviously|definitely|certainly|undoubtedly|unquestionably|evidently|plainly|"
    r"of course|without (?:a |any )?doubt|no doubt|beyond doubt|it is (?:clear|obvious|evident)|must be|"
    r"must have been|surely|absolutely|purely|solely|entirely|wholly|simply|just|only|all|completely|100%)(?![\w-])",
    re.IGNORECASE,
)
_NEGATED_BEFORE = mt.LazyPattern(r"(?:\bnot|n't|\bnever|\bno longer|\bnor)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


def _hedged(doc: _Doc, start: int, end: int) -> bool:
    """Whether the clause holding ``start..end`` qualifies what it says.

    A strong hedge (may, might, possibly, one way of understanding...) always counts; a weak one
    (seems, probably, I think) counts unless a certainty marker (clearly, definitely, must be...)
    is also there.
    """
    cs, ce = doc.clause(start)
    ce = max(ce, doc.clause(max(end - 1, start))[1])
    clause = doc.text[cs:ce]
    if _HEDGE_STRONG.search(clause):
        return True
    return bool(_HEDGE_WEAK.search(clause)) and not _STRONG_CERTAIN.search(clause)


def _negated(doc: _Doc, start: int) -> bool:
    cs, _ = doc.clause(start)
    return bool(_NEGATED_BEFORE.search(doc.text[max(cs, start - 30) : start]))


# =============================================================================================
# Rules
# =============================================================================================

_Guard = Callable[[_Doc, int, int], "tuple[int, int] | None"]


@dataclass(frozen=True)
class _Rule:
    """A wording rule: a compiled pattern plus what to say about a match.

    ``tacit`` marks tacit-dualism markers (reported in private notes too); ``hedged_ok`` means a
    hedge in the same clause silences the rule; ``guard`` may veto a match or move its span.
    """

    id: str
    category: str
    severity: str
    pattern: re.Pattern[str] | mt.LazyPattern
    why: str
    suggestion: str
    tacit: bool = False
    group: str = ""
    hedged_ok: bool = False
    negatable: bool = False
    guard: _Guard | None = None
    replacement: str = ""
    anchors: tuple[str, ...] | None = None
    """``None`` switches the pre-check off and the rule runs on every text; otherwise the rule
    only runs on texts its :class:`.matching.Gate` lets through (the word sequences one of which
    every match contains, derived from the pattern on first use)."""
    gate: mt.Gate | None = None
    """A gate given explicitly (else it is derived from the pattern)."""


def _re(pattern: str, *, case: bool = False) -> mt.LazyPattern:
    pattern = pattern.replace("{EFFECT}", lx.alternation(lx.EFFECT_WORDS))
    pattern = pattern.replace("{PSYCH}", lx.alternation(lx.PSYCH_CAUSES))
    pattern = pattern.replace("{MOODCORE}", _MOOD_CORE)
    pattern = pattern.replace("{MOOD}", _MOOD)
    return mt.LazyPattern(pattern, 0 if case else re.IGNORECASE)


_MOOD_CORE = (
    r"(?:depressed|depression|low\s+mood|low\s+in\s+mood|miserable|hopeless|suicidal|tearful|"
    r"fed\s+up|despairing|in\s+low\s+spirits|mental\s+health\s+(?:problems|difficulties)|"
    r"(?:(?:feel(?:s|ing)?|felt|be|is|was|so|very|quite|been|become|get|gets|getting)\s+(?:low|down))"
    r"(?!\s+(?:back|blood|dose|level|risk|iron|vitamin|platelet|sodium|potassium|to\b)))"
)
"""Low mood and depression: normalising these can stop anyone assessing them (004 L820, L1088)."""
_MOOD = r"(?:anxious|anxiety|" + _MOOD_CORE + ")"
"""Core mood words plus anxiety, for the blunter forms ("no wonder she's anxious")."""

# --- why / suggestion texts (paraphrased from the seeds; cite, do not quote) -----------------

W_MIND = (
    "Patients often hear a referral to psychology as being told their symptoms are imagined or "
    "that they are 'mad'; wording that places the problem in the mind alone confirms that fear and "
    "can end engagement (000 L212, L234, L856, L951)."
)
S_MIND = (
    "Validate the symptoms as real and describe their impact, e.g. 'whatever lies behind these "
    "symptoms, they are real and are taking a heavy toll on daily life'; body and mind can be "
    "described as closely linked rather than either/or (000 L1725-1728)."
)
W_NOTHING_WRONG = (
    "Telling a patient there is nothing wrong with them is remembered as dismissive and hardens an "
    "either/or view of body and mind (000 L302, L2244)."
)
S_NOTHING_WRONG = (
    "Say what the tests have ruled out and that the symptoms are still real, e.g. 'the tests have "
    "not found a disease that explains this, and the symptoms are no less real or distressing' "
    "(003 L113-121)."
)
W_TESTS = (
    "Reading normal results as proof that nothing is wrong is the explanation patients most often "
    "get, and it leaves them feeling disbelieved (003 L188)."
)
S_TESTS = (
    "Separate the two: report what the results rule out, then acknowledge the symptoms continue and "
    "matter, e.g. 'reassuringly the scan did not show X; the pain is still very real and we will "
    "look at how to manage it' (003 L113-121)."
)
W_DUAL = (
    "Either/or framing (physical or psychological) mirrors the dualism of the health system that "
    "leaves these patients unserved (000 L194, L2244)."
)
S_DUAL = (
    "Describe body and mind together, e.g. 'body and mind are closely linked; whatever the cause, "
    "the symptoms are affecting mood and daily life' (000 L1725-1728)."
)
W_CERTAIN = (
    "Stating a psychological cause as fact is risky: formulations about causes alienate patients "
    "who hold their own explanation; hold hypotheses tentatively and don't 'marry' them (000 L981, L983, L1228)."
)
S_CERTAIN = (
    "Offer it as a possibility and keep the patient's own view beside it, e.g. 'one way of "
    "understanding this might be...', 'it may be that stress is one of several things playing a "
    "part' (000 L983, L2533)."
)
W_LABEL = (
    "A pejorative label that services have used about these patients; it carries blame and "
    "disbelief and many patients find it offensive (000 L216, L242, L302)."
)
S_LABEL = (
    "Describe what the person experiences and does instead of a label, e.g. 'has been living with "
    "persistent symptoms and understandably seeks answers' (000 L955; 003 L113-121)."
)
W_FEIGN = (
    "Implies the symptoms are faked or exaggerated; patients with persistent symptoms widely fear "
    "being seen as malingering, and detected scepticism can re-traumatise (000 L234, L719, L898)."
)
S_FEIGN = (
    "Record what was observed without judging genuineness, e.g. 'the pain varies a great deal from "
    "day to day', and take scepticism to supervision (000 L898-900)."
)
W_UNTREATABLE = (
    "Calling a patient 'untreatable' is over-generalised: it ignores fit between patient and "
    "approach and a readiness that can change over time, and can be a sign of the therapist's own "
    "exhaustion (000 L933, L1028)."
)
S_UNTREATABLE = (
    "Describe what has and hasn't helped so far and what might be tried, e.g. 'we have not yet found "
    "an approach that helps; a more practical, self-management focus may suit better for now'; "
    "consider supervision (000 L1028, L2483-2495)."
)
W_BLAME = (
    "Wording that makes the patient responsible for the symptoms or for a lack of progress is "
    "experienced as blame and disbelief (002 L290; 004 L620-622; 000 L1022)."
)
S_BLAME = (
    "Describe the difficulty without blame and with its context, e.g. 'has found it hard to keep up "
    "the exercises while the pain is severe', and what might make it easier (000 L1022; 004 L594-596)."
)
W_GAIN = "Asking what the patient 'gets out of' being ill is too loaded and tends to be heard as an accusation (000 L1866-1868)."
S_GAIN = (
    "If it matters, frame it as safety or comfort, e.g. 'since becoming unwell it has become very "
    "important to have someone close by, and it is hard to imagine managing without that' (000 L1877-1879)."
)
W_NORMALISE = (
    "Treating low mood or anxiety as the expected result of the illness can mean it is never "
    "assessed or treated in its own right (004 L820, L824, L1088)."
)
S_NORMALISE = (
    "Acknowledge the link and keep the door to help open, e.g. 'living with this pain has been very "
    "hard and her mood has been low; that deserves support in its own right' (004 L824)."
)
W_JARGON = (
    "Clinical or service jargon; it means little to a patient and can read as a judgement "
    "(extraction §4.4; 000 L654, L661, L827, L833; 004 L808)."
)
S_JARGON_PLAIN = "Say it in everyday words, describing what happens rather than naming a mechanism."
W_PREFERRED = (
    "Many patients find 'MUS' / 'medically unexplained' offensive or a barrier to care; the patient "
    "has told you the term they prefer (002 L59; 000 L236, L2330-2333)."
)
W_COMPLAIN = (
    "Describing patients as difficult, complaining or time-wasting belongs to a negative discourse "
    "that pathologises them (000 L302, L448; 003 L212)."
)
S_QUOTED = (
    "This reads as the patient's (or someone else's) words, not your claim. It can stay if it "
    "matters; make the attribution clear and, if useful, how it was responded to (000 L805, L955)."
)
S_PRIVATE = " In a private note this is shown only as a self-check for tacit dualism (000 L675, L2248)."


def _not_before(pattern: str) -> _Guard:
    rx = mt.LazyPattern(pattern + r"$", re.IGNORECASE)

    def guard(doc: _Doc, start: int, end: int) -> tuple[int, int] | None:
        cs, _ = doc.clause(start)
        return None if rx.search(doc.text[max(cs, start - 40) : start]) else (start, end)

    return guard


def _not_after(pattern: str) -> _Guard:
    rx = mt.LazyPattern(r"^(?:" + pattern + ")", re.IGNORECASE)  # anchor every alternative, not just the first

    def guard(doc: _Doc, start: int, end: int) -> tuple[int, int] | None:
        return None if rx.search(doc.text[end : end + 40]) else (start, end)

    return guard


def _both(*guards: _Guard) -> _Guard:
    def guard(doc: _Doc, start: int, end: int) -> tuple[int, int] | None:
        span: tuple[int, int] | None = (start, end)
        for g in guards:
            span = g(doc, *span)
            if span is None:
                return None
        return span

    return guard


_TESTS_CONSEQUENCE = mt.LazyPattern(
    r"\b(?:nothing|no\s+(?:real\s+|physical\s+|medical\s+|actual\s+)?(?:problem|illness|disease|cause|reason|damage)|"
    r"must\s+be|must\s+have|(?:is|are|was|were)\s+(?:just\s+|only\s+|probably\s+)?(?:psychological|emotional|stress|anxiety|mental|"
    r"psychosomatic|in\s+(?:her|his|their|your|the)\s+(?:head|mind))|not\s+(?:real|physical|medical|genuine)|"
    r"(?:physically|medically)\s+(?:fine|well|healthy)|(?:she|he|they|you)\s+(?:is|are)\s+(?:fine|well|healthy)|"
    r"psychological|emotional|all\s+in)",
    re.IGNORECASE,
)


def _tests_guard(doc: _Doc, start: int, end: int) -> tuple[int, int] | None:
    """'tests were normal so ...' only counts when what follows denies the symptoms or makes them
    psychological; the span then runs to the end of that conclusion."""
    _, se = doc.sentence(start)
    tail = _TESTS_CONSEQUENCE.search(doc.text, end, min(se, end + 110))
    if tail is None:
        return None
    end = tail.end()
    # run on to the end of the conclusion's key phrase ("...nothing physically wrong")
    rest = re.match(
        r"(?:\s+(?:is|was|physically|medically|really|wrong|with\s+(?:her|him|them|you)|"
        r"psychological|emotional|stress|anxiety|mental))+",
        doc.text[end:se],
    )
    if rest:
        end += rest.end()
    return start, end


_PSYCHOSOMATIC_OK = r"\s+(?:therap\w+|medicine|physio\w*|approach\w*|services?|clinic|programmes?|treatment|practitioners?|model)"


def _rules() -> tuple[_Rule, ...]:
    R = _Rule
    return (
        # ---------------------------------------------------------------- untreatable (any context)
        R(
            "untreatable",
            STIGMATISING,
            "high",
            _re(
                r"\bun-?treatable\b|\bnot\s+treatable\b|\bbeyond\s+(?:help|treatment|hope)\b|\bhopeless\s+cases?\b|"
                r"\blost\s+causes?\b|\bunhelpable\b|\bunreachable\b|"
                r"\b(?:she|he|they|patient|client)\s+(?:cannot|can't|can\s+not|could\s+not|couldn't)\s+be\s+(?:treated|helped)\b|"
                r"\bimpossible\s+to\s+(?:treat|help)\b|\bnothing\s+(?:more\s+)?(?:can|could)\s+be\s+done\s+(?:for|to\s+help)\b|"
                r"\bno\s+point\s+(?:in\s+)?(?:treating|seeing|offering|continuing\s+with)\s+(?:her|him|them)\b"
            ),
            W_UNTREATABLE,
            S_UNTREATABLE,
            group=UNTREATABLE,
        ),
        # ---------------------------------------------------------------- stigmatising labels
        R(
            "somatiser",
            STIGMATISING,
            "high",
            _re(r"\bsomati[sz](?:er|ers|ing|es|ed|e|ation|ations)\b(?:\s+disorder)?"),
            W_LABEL,
            S_LABEL,
        ),
        R("somatoform", STIGMATISING, "medium", _re(r"\bsomatoform\b(?:\s+disorder)?"), W_LABEL, S_LABEL),
        R(
            "hypochondria",
            STIGMATISING,
            "high",
            _re(r"\bhypochondri(?:a|ac|acs|acal|asis)\b"),
            W_LABEL,
            "If worry about health matters, describe it in the patient's terms, e.g. 'understandably very "
            "worried about what the symptoms might mean' (000 L955).",
        ),
        R(
            "heartsink",
            STIGMATISING,
            "high",
            _re(r"\bheart[- ]?sink(?:\s+(?:patients?|clients?|cases?|moments?))?\b"),
            W_LABEL,
            S_LABEL,
        ),
        R(
            "psychogenic",
            STIGMATISING,
            "medium",
            _re(r"\bpsychogenic\b"),
            "'Psychogenic' implies the symptoms come from the mind; the move away from it in diagnosis "
            "was partly to drop that connotation (000 L242).",
            "Describe the symptoms and their impact, and any link to stress only as a possibility (000 L983).",
            tacit=True,
        ),
        R("hysteria", STIGMATISING, "high", _re(r"\bhysteri(?:a|cal|cs)\b"), W_LABEL, S_LABEL),
        R("malingering", STIGMATISING, "high", _re(r"\bmalinger\w*"), W_FEIGN, S_FEIGN, tacit=True),
        R("feigning", STIGMATISING, "high", _re(r"\bfeign(?:s|ed|ing)?\b"), W_FEIGN, S_FEIGN, tacit=True),
        R(
            "faking",
            STIGMATISING,
            "high",
            _re(
                r"\bfak(?:e|es|ed|ing)\s+(?:it|(?:(?:her|his|their|the|these)\s+)?(?:symptoms?|pain|illness|seizures?|"
                r"attacks?|collapses?|disability|weakness|limp))\b|"
                r"\bmak(?:e|es|ing)\s+(?:it|this|(?:(?:her|his|their|the)\s+)?(?:symptoms|pain))\s+(?:all\s+)?up\b|"
                r"\b(?:symptoms|pain|it)\s+(?:is|are|was|were)\s+made[- ]up\b"
            ),
            W_FEIGN,
            S_FEIGN,
            tacit=True,
        ),
        R(
            "putting-it-on",
            STIGMATISING,
            "high",
            _re(
                r"\bputting\s+(?:it|this|(?:(?:her|his|their)\s+)?(?:symptoms|pain|limp))\s+on\b|"
                r"\bput(?:s)?\s+it\s+on\s+(?:for|to|when)\b|\bputting\s+on\s+(?:her|his|their|a)\s+(?:limp|symptoms|pain)\b"
            ),
            W_FEIGN,
            S_FEIGN,
            tacit=True,
        ),
        R(
            "exaggerating",
            STIGMATISING,
            "high",
            _re(
                r"\bexaggerat(?:e|es|ed|ing|ion)\s+(?:of\s+)?(?:(?:her|his|their|the|these)\s+)?(?:symptoms?|pain|disability|"
                r"limp|difficulties|problems|condition|illness|weakness|fatigue)\b|"
                r"\b(?:symptoms?|pain|disability|difficulties|limp|weakness)\s+(?:is\s+|are\s+|was\s+|were\s+|seems?\s+)?"
                r"(?:being\s+|greatly\s+|grossly\s+|wildly\s+|hugely\s+)?exaggerated\b"
            ),
            W_FEIGN,
            S_FEIGN,
            tacit=True,
        ),
        R(
            "attention-seeking",
            STIGMATISING,
            "high",
            _re(
                r"\battention[- ]seek(?:ing|er|ers)?\b|\b(?:doing|does|did)\s+(?:it|this)\s+for\s+(?:the\s+)?attention\b|"
                r"\bwants?\s+(?:the\s+)?attention\b|\bcraves?\s+attention\b"
            ),
            W_LABEL,
            S_LABEL,
        ),
        R(
            "mad",
            STIGMATISING,
            "high",
            _re(r"\b(?:mad|crazy|insane|nuts|loony|loopy|bonkers|psycho|nutter|unhinged)\b"),
            W_MIND,
            S_MIND,
            guard=_both(
                _not_after(r"\s+(?:at|with)\b|\s+about\s+(?:the|her|his)\b"),
                _not_before(r"\b(?:driv\w+|drove)\s+(?:her|him|me|them|you|us)\s+|\blike\s+"),
            ),
        ),
        R(
            "mental",
            STIGMATISING,
            "high",
            _re(
                r"\b(?:i'm|i\s+am|she's|she\s+is|he's|he\s+is|they're|they\s+are|you're|you\s+are|being|am|going|not)\s+mental\b"
                r"(?!\s+(?:health|illness|state|capacity|wellbeing|well-being|energy|effort|load|image|picture|note|block))"
            ),
            W_MIND,
            S_MIND,
        ),
        R(
            "patient-types",
            STIGMATISING,
            "medium",
            _re(
                r"\b(?:difficult|problem|problematic|hateful|frustrating|demanding|challenging|awkward|nightmare|"
                r"revolving[- ]door|heavy)\s+(?:patients?|clients?|cases?|woman|man|lady)\b"
            ),
            W_COMPLAIN,
            S_LABEL,
        ),
        R(
            "time-waster",
            STIGMATISING,
            "medium",
            _re(
                r"\bblack\s+holes?\b|\btime[- ]?wasters?\b|\bwasting\s+(?:our|my|the\s+doctor's|everyone's|the\s+gp's)\s+time\b|"
                r"\bfrequent\s+fl(?:y|i)ers?\b|\bworried\s+well\b"
            ),
            W_COMPLAIN,
            S_LABEL,
        ),
        R(
            "complaining",
            STIGMATISING,
            "medium",
            _re(
                r"\b(?:constantly|always|forever|continually|endlessly|keeps?)\s+(?:complaining|moaning|whing(?:e)?ing|whining)\b|"
                r"\b(?:complains?|moans?)\s+(?:constantly|all\s+the\s+time|endlessly|continually)\b|\b(?:moaner|whinger|complainer)s?\b"
            ),
            W_COMPLAIN,
            S_LABEL,
        ),
        # ---------------------------------------------------------------- dualistic
        R(
            "all-in-the-mind",
            DUALISTIC,
            "high",
            _re(r"\ball\s+in\s+(?:the|her|his|their|your|my|one's|the\s+patient's)\s+(?:mind|head|imagination)\b"),
            W_MIND,
            S_MIND,
            tacit=True,
            replacement="real, and shaped by body and mind together",
        ),
        R(
            "in-her-head",
            DUALISTIC,
            "high",
            _re(
                r"\b(?:it|this|that|they|these|(?:(?:the|her|his|their|your)\s+(?:\w+\s+)?(?:pain|symptoms?|illness|"
                r"problems?|seizures?|fatigue|weakness)))(?:'s|'re|\s+is|\s+are|\s+was|\s+were)\s+"
                r"(?:just\s+|only\s+|simply\s+|purely\s+|really\s+|probably\s+|mostly\s+)?in\s+(?:the|her|his|their|your|my)\s+"
                r"(?:mind|head|imagination)\b|\bsomething\s+in\s+(?:her|his|their|your|my|the)\s+(?:head|mind)\b|"
                r"\bin\s+(?:her|his|their|your|my)\s+imagination\b"
            ),
            W_MIND,
            S_MIND,
            tacit=True,
        ),
        R(
            "imaginary",
            DUALISTIC,
            "high",
            _re(
                r"\b(?:imagin(?:ed|ary)|made[- ]up|not\s+real|unreal|fictitious|non-?existent)\s+(?:symptoms?|pains?|"
                r"illness(?:es)?|problems?|conditions?|disabilit(?:y|ies)|seizures?|weakness)\b|"
                r"\b{EFFECT}\s+(?:is|are|was|were|seems?)\s+(?:just\s+|probably\s+|largely\s+|really\s+)?(?:imagined|imaginary|"
                r"not\s+real|unreal|not\s+genuine|not\s+(?:really\s+)?there)\b|"
                r"\bimagin(?:es|ing)\s+(?:her|his|their|the)\s+(?:symptoms|pain|illness)\b|"
                r"\b(?:{EFFECT}|it|this|they|these)\s+(?:\w+\s+){0,2}?(?:is|are|was|were)(?:\s+not|n't)\s+(?:really\s+|actually\s+)?"
                r"(?:physical|organic|real|genuine)\b"
            ),
            W_MIND,
            S_MIND,
            tacit=True,
        ),
        R(
            "nothing-wrong",
            DUALISTIC,
            "high",
            _re(
                r"\bnothing\s+(?:is\s+)?(?:physically|medically|really|actually|organically|seriously)\s+wrong\b|"
                r"\bnothing\s+(?:(?:is|was)\s+)?(?:physically\s+|medically\s+|really\s+|actually\s+)?wrong\s+with\s+"
                r"(?:you|her|him|them|me|your\s+\w+|her\s+\w+|his\s+\w+|their\s+\w+)\b(?<!ing)|"
                r"\b(?:there(?:'s|\s+is|\s+was)|there's)\s+nothing\s+(?:physically\s+|medically\s+)?wrong\b(?=\s*(?:[.;,!?]|$))"
            ),
            W_NOTHING_WRONG,
            S_NOTHING_WRONG,
            tacit=True,
        ),
        R(
            "tests-normal-so",
            DUALISTIC,
            "high",
            _re(
                r"\b(?:(?:all|the|her|his|their|your|these|those|my)\s+)*(?:(?:blood|scan|test|x-?ray|mri|ct)\s+)?"
                r"(?:tests?|investigations?|scans?|results?|bloods|mri|ct|x-?rays?|endoscopy|colonoscopy|ecg|examination)\s+"
                r"(?:(?:were|was|are|is|have\s+been|has\s+been|came\s+back|come\s+back|all)\s+){1,3}(?:all\s+)?"
                r"(?:normal|clear|negative|fine|unremarkable)\s*,?\s*(?:and\s+)?(?:so|which\s+means|meaning|therefore|this\s+means|"
                r"that\s+means|proving|which\s+proves|which\s+shows|which\s+confirms)\b|"
                r"\b(?:given\s+that|since|as|because|now\s+that)\s+(?:all\s+)?(?:(?:her|his|their|your|the)\s+)?(?:\w+\s+)?"
                r"(?:tests?|investigations?|scans?|results?|bloods|mri|x-?rays?)\s+(?:(?:were|are|have\s+been|has\s+been|was|is|"
                r"came\s+back|all)\s+){1,3}(?:all\s+)?(?:normal|clear|negative|fine|unremarkable)\b"
            ),
            W_TESTS,
            S_TESTS,
            tacit=True,
            guard=_tests_guard,
        ),
        R(
            "no-physical-cause",
            DUALISTIC,
            "medium",
            _re(
                r"\bno\s+(?:real\s+|actual\s+|genuine\s+)?(?:physical|organic|medical|bodily|structural)\s+"
                r"(?:cause|basis|reason|explanation|illness|disease|problem|origin)s?\b|"
                r"\bnot\s+(?:caused\s+by|due\s+to)\s+(?:anything\s+|something\s+)?(?:physical|organic|medical)\b|"
                r"\bnot\s+(?:a\s+)?(?:real|genuine|true|proper)\s+(?:illness|pain|problem|condition|disease|symptoms?)\b"
            ),
            W_DUAL,
            S_NOTHING_WRONG,
            tacit=True,
            guard=_both(
                _not_after(r"\s+(?:has|have|had|was|were|is|could|can|yet|so\s+far|at\s+present|has\s+yet)\b"),
                _not_before(r"\b(?:found|identified|shown|revealed|detected|find|identify|show|reveal)\s+(?:\w+\s+)?"),
            ),
        ),
        R(
            "purely-psychological",
            DUALISTIC,
            "medium",
            _re(
                r"\b(?:purely|entirely|wholly|solely|completely|totally|just|only|simply|merely|all|nothing\s+but|"
                r"nothing\s+more\s+than|basically)\s+(?:psychological|emotional|psychiatric|psychosomatic|mental|stress|anxiety|"
                r"nerves|in\s+the\s+mind)(?![\w-])(?!\s+(?:impact|health|support|distress|wellbeing|needs|side|effects?|toll|"
                r"aspects?|factors?|and\s+physical))"
            ),
            W_DUAL,
            S_DUAL,
            tacit=True,
            guard=_not_before(r"\bnot\s+"),
        ),
        R(
            "either-or",
            DUALISTIC,
            "medium",
            _re(
                r"\b(?:either\s+)?(?:physical|medical|organic|real|bodily|genuine)\s+or\s+(?:psychological|mental|emotional|"
                r"psychiatric|psychosomatic|imagined|in\s+(?:her|his|their|the|your)\s+(?:head|mind))\b|"
                r"\b(?:psychological|mental|emotional|psychiatric)\s+or\s+(?:physical|medical|organic|real|bodily)\b|"
                r"\b(?:psychological|emotional|mental|psychiatric)\s+(?:rather\s+than|not|instead\s+of|as\s+opposed\s+to)\s+"
                r"(?:physical|organic|medical|real|bodily)\b|"
                r"\b(?:physical|organic|medical|bodily)\s+(?:rather\s+than|instead\s+of|as\s+opposed\s+to)\s+"
                r"(?:psychological|emotional|mental|psychiatric)\b|"
                r"\bnot\s+(?:physical|organic|medical|real)\s*,?\s*(?:but|rather)\s+(?:psychological|emotional|mental)\b"
            ),
            W_DUAL,
            S_DUAL,
            tacit=True,
            guard=_not_after(
                r"\s+(?:health|wellbeing|well-being|services?|care|conditions?|illness(?:es)?|problems|"
                r"difficulties|needs|support|professionals?|teams?|symptoms)\b"
            ),
        ),
        R("mind-over-matter", DUALISTIC, "low", _re(r"\bmind\s+over\s+matter\b"), W_DUAL, S_DUAL, tacit=True),
        R(
            "physically-fine",
            DUALISTIC,
            "medium",
            _re(r"(?<!otherwise\s)\b(?:is|are|was|were)\s+(?:physically|medically)\s+(?:fine|healthy|normal)\b"),
            W_NOTHING_WRONG,
            S_NOTHING_WRONG,
            tacit=True,
        ),
        # ---------------------------------------------------------------- certainty about cause
        R(
            "in-origin",
            CERTAINTY,
            "medium",
            _re(
                r"\b(?:psychological(?:ly)?|emotional(?:ly)?|psychogenic|psychiatric|mental)\s+in\s+(?:origin|nature|basis)\b|"
                r"\bof\s+(?:a\s+)?(?:psychological|emotional|psychogenic|psychiatric|mental)\s+(?:origin|nature|cause|basis)\b|"
                r"\b(?:has|have|had)\s+(?:a\s+)?(?:purely\s+)?(?:psychological|emotional|psychiatric|mental)\s+"
                r"(?:cause|basis|origin|root)s?\b"
            ),
            W_CERTAIN,
            S_CERTAIN,
            tacit=True,
            hedged_ok=True,
            negatable=True,
        ),
        R(
            "psychosomatic",
            CERTAINTY,
            "medium",
            _re(r"\bpsychosomatic\b"),
            W_CERTAIN,
            S_CERTAIN,
            tacit=True,
            hedged_ok=True,
            negatable=True,
            guard=_not_after(_PSYCHOSOMATIC_OK),
        ),
        R(
            "real-cause",
            CERTAINTY,
            "medium",
            _re(
                r"\b(?:the\s+)?(?:real|underlying|root|true|actual|main|deeper)\s+(?:cause|reason|driver|source|problem|issue|origin)s?\s+"
                r"(?:(?:of|for|behind)\s+(?:\w+\s+){1,4})?(?:is|are|was|were|lies|lie)\s+(?:in\s+)?(?:\w+\s+){0,3}?{PSYCH}"
            ),
            W_CERTAIN,
            S_CERTAIN,
            tacit=True,
            hedged_ok=True,
        ),
        R(
            "body-expressing",
            CERTAINTY,
            "medium",
            _re(
                r"\b(?:her|his|their|your|the)\s+body\s+(?:is|was|has\s+been)\s+(?:expressing|saying|telling|communicating|"
                r"speaking|voicing|carrying|holding|showing)\b|"
                r"\bconvert(?:s|ed|ing)?\s+(?:(?:her|his|their|your)\s+)?\w+(?:\s+\w+)?\s+into\s+(?:physical\s+|bodily\s+)?"
                r"(?:symptoms|pain|illness)\b|\bsomatic\s+(?:expression|manifestation|conversion)s?\b"
            ),
            W_CERTAIN,
            S_CERTAIN,
            tacit=True,
            hedged_ok=True,
            negatable=True,
        ),
        # ---------------------------------------------------------------- blaming
        R(
            "non-compliant",
            BLAMING,
            "medium",
            _re(
                r"\bnon-?\s?(?:compliant|compliance|adherent|adherence|concordant|concordance)\b|"
                r"\bpoor\s+(?:compliance|adherence|motivation)\b|\bnot\s+complian(?:t|ce)\b"
            ),
            W_BLAME,
            S_BLAME,
        ),
        R(
            "unmotivated",
            BLAMING,
            "medium",
            _re(
                r"\bunmotivated\b|\b(?:lacks?|lacking)\s+(?:the\s+)?motivation\b|\bnot\s+(?:really\s+)?motivated\b|"
                r"\bno\s+motivation\s+to\b"
            ),
            W_BLAME,
            S_BLAME,
        ),
        R(
            "refuses",
            BLAMING,
            "medium",
            _re(
                r"\b(?:refus(?:es|ed|ing)|won't|will\s+not|(?:is|was|seems|remains)\s+unwilling|unwilling)\s+to\s+"
                r"(?:engage|accept|consider|try|take\s+responsibility|change|help\s+(?:herself|himself|themselves|yourself)|"
                r"get\s+better|comply|listen|think\s+about|acknowledge|admit|see\s+that)\b"
            ),
            W_BLAME,
            S_BLAME,
        ),
        R(
            "not-want-better",
            BLAMING,
            "medium",
            _re(
                r"\b(?:doesn't|does\s+not|didn't|did\s+not|don't|do\s+not)\s+(?:really\s+|actually\s+|seem\s+to\s+)?want\s+to\s+"
                r"(?:get\s+better|get\s+well|recover|change|improve|help\s+(?:herself|himself|themselves))\b"
            ),
            W_BLAME,
            S_BLAME,
        ),
        R(
            "own-fault",
            BLAMING,
            "medium",
            _re(
                r"\b(?:her|his|their|your|the\s+patient's|own)\s+(?:own\s+)?fault\b|\bself-?inflicted\b|"
                r"\bbr(?:ought|ings?|inging)\s+(?:it|this|these\s+\w+|(?:her|his|their)\s+\w+)\s+on\s+"
                r"(?:herself|himself|themselves|yourself)\b"
            ),
            W_BLAME,
            S_BLAME,
        ),
        R(
            "manipulative",
            BLAMING,
            "medium",
            _re(r"\bmanipulative\b|\bmanipulat(?:ing|es)\s+(?:her|his|the|their|others|people|staff|me|us)\b"),
            W_BLAME,
            S_BLAME,
        ),
        R(
            "gain",
            BLAMING,
            "medium",
            _re(
                r"\bget(?:s|ting)?\s+(?:something\s+)?out\s+of\s+(?:being\s+(?:ill|unwell|sick)|"
                r"(?:her|his|their|the)\s+(?:illness|symptoms|pain|condition))\b|"
                r"\bbenefits?\s+from\s+(?:being\s+(?:ill|unwell|sick)|(?:her|his|their|the)\s+(?:illness|symptoms|pain|sick\s+role))\b|"
                r"\benjoys?\s+(?:the\s+)?(?:attention|sick\s+role|being\s+(?:ill|looked\s+after))\b|"
                r"\bplay(?:s|ing|ed)?\s+(?:the\s+)?(?:victim|sick\s+role)\b|\bplaying\s+up\b|"
                r"\bus(?:es|e|ing)\s+(?:her|his|their|the)\s+(?:symptoms|pain|illness|condition|seizures)\s+(?:to|as)\b"
            ),
            W_GAIN,
            S_GAIN,
        ),
        R(
            "pull-together",
            BLAMING,
            "medium",
            _re(
                r"\bpull(?:s|ed|ing)?\s+(?:herself|himself|themselves|yourself|myself)\s+together\b|"
                r"\b(?:just|simply)\s+needs?\s+to\s+(?:try\s+harder|get\s+on\s+with|push\s+through|snap\s+out|make\s+more\s+effort)\b|"
                r"\btry\s+harder\b|\bsnap\s+out\s+of\s+it\b|\bnot\s+trying\s+hard\s+enough\b|\bmak(?:es|ing|e)\s+(?:no|little)\s+effort\b"
            ),
            W_BLAME,
            S_BLAME,
        ),
        R(
            "fails-to-engage",
            BLAMING,
            "medium",
            _re(
                r"\bfail(?:s|ed|ing)?\s+to\s+(?:engage|comply|cooperate|co-operate|follow\s+(?:the\s+)?(?:advice|plan|programme))\b|"
                r"\bfailure\s+to\s+(?:engage|comply)\b"
            ),
            W_BLAME,
            S_BLAME,
        ),
        R("lazy", BLAMING, "medium", _re(r"\blaz(?:y|iness)\b"), W_BLAME, S_BLAME),
        R(
            "resistant",
            BLAMING,
            "medium",
            _re(r"\bresistant\s+to\s+(?:therapy|treatment|change|psychological\s+\w+|the\s+idea|exploring|talking|help)\b"),
            W_BLAME,
            S_BLAME,
        ),
        # ---------------------------------------------------------------- unhelpful normalising
        R("no-wonder", NORMALISING, "medium", _re(r"\bno\s+wonder\b[^.;!?\n]{0,40}?\b{MOOD}"), W_NORMALISE, S_NORMALISE),
        R(
            "only-natural",
            NORMALISING,
            "medium",
            _re(
                r"\b(?:it(?:'s|\s+is|\s+was)|that(?:'s|\s+is)|this\s+is)\s+(?:only\s+|quite\s+|perfectly\s+|completely\s+|"
                r"entirely\s+|totally\s+|very\s+)?(?:natural|normal|understandable|to\s+be\s+expected|expected|inevitable|"
                r"hardly\s+surprising|not\s+surprising|unsurprising)\s+(?:that|to|for)\b[^.;!?\n]{0,50}?\b{MOODCORE}|"
                r"\b{MOODCORE}[^.;!?\n]{0,30}?\b(?:is|are|was|seems?)\s+(?:only\s+|quite\s+|perfectly\s+|completely\s+|entirely\s+|"
                r"totally\s+|very\s+)?(?:natural|normal|understandable|to\s+be\s+expected|expected|inevitable|unsurprising|"
                r"hardly\s+surprising|a\s+(?:normal|natural|understandable)\s+(?:reaction|response))\b|"
                r"\b(?:anyone|anybody|everyone|who)\s+would(?:n't|\s+not)?\s+(?:be|feel|get|become)\s+{MOOD}|"
                r"\bof\s+course\s+(?:she|he|they|you)(?:'s|'re|\s+is|\s+are|\s+feels?|\s+felt|\s+was|\s+were|\s+gets?)\s+{MOOD}|"
                r"\bunderstandabl[ey]\s+{MOOD}|"
                r"\b(?:strange|surprising|odd|unusual)\s+if\s+(?:she|he|they|you)\s+(?:were|was|weren't|wasn't)\s+(?:not\s+)?{MOOD}|"
                r"\bunderstandable\s+difficult(?:y|ies)\b"
            ),
            W_NORMALISE,
            S_NORMALISE,
        ),
        # ---------------------------------------------------------------- jargon
        R(
            "secondary-gain",
            JARGON,
            "low",
            _re(r"\b(?:secondary|primary|tertiary)\s+gains?\b"),
            W_JARGON,
            "If it matters, describe what the symptoms may make possible or protect against, gently and "
            "in everyday words (000 L1877-1879).",
        ),
        R(
            "alexithymia",
            JARGON,
            "low",
            _re(r"\balexithymi\w*"),
            W_JARGON,
            "Describe it plainly, e.g. 'finds it hard to put feelings into words'.",
        ),
        R(
            "body-talk",
            JARGON,
            "low",
            _re(r"\bbody[- ]talk\b"),
            W_JARGON,
            "Say 'we have spent much of our time on the symptoms and tests, which matter a great deal to her'.",
        ),
        R("self-sabotage", JARGON, "low", _re(r"\bself[- ]sabotag\w*"), W_JARGON, S_BLAME),
        R(
            "hard-to-engage",
            JARGON,
            "low",
            _re(
                r"\b(?:hard|difficult)-to-engage\b|\b(?:is|was|are|were|very|quite|labelled|seen\s+as|described\s+as|considered|deemed|"
                r"been)\s+(?P<hit>(?:hard|difficult)\s+to\s+engage)\b(?!\s+with)"
            ),
            W_JARGON,
            "Describe what has made it hard to meet, e.g. 'coming to appointments has been difficult while "
            "the pain is bad' (000 L1883-1889).",
        ),
        R("transference", JARGON, "low", _re(r"\b(?:counter-?)?transferen(?:ce|tial)\b"), W_JARGON, S_JARGON_PLAIN),
        R(
            "unconscious",
            JARGON,
            "low",
            _re(
                r"\bunconscious(?:ly)?\s+(?:conflicts?|anger|rage|feelings?|wish(?:es)?|needs?|process(?:es)?|mind|level|"
                r"motivations?|communications?|guilt|fears?|desires?|material|phantas(?:y|ies)|fantas(?:y|ies)|defen[cs]es?|"
                r"aggression|hostility|envy)\b|\bthe\s+unconscious\b|\bunconsciously\b"
            ),
            W_JARGON,
            S_JARGON_PLAIN,
        ),
        R(
            "defences",
            JARGON,
            "low",
            _re(
                r"\b(?:her|his|their|psychological|ego|manic|primitive)\s+defen[cs]es\b|\bdefen[cs]e\s+mechanisms?\b|"
                r"\bdefended\s+against\b|\bas\s+a\s+defen[cs]e\b|\b(?:very|quite|highly|heavily|so|rather)\s+defended\b|"
                r"\bdefen[cs]ive(?:ly)?\s+(?:regression|structure|organi[sz]ation|style|function|position|retreat|manoeuvre)\b"
            ),
            W_JARGON,
            S_JARGON_PLAIN,
        ),
        R(
            "concrete",
            JARGON,
            "low",
            _re(
                r"\b(?:very|quite|rather|extremely|so|too|highly|somewhat)\s+concrete\b|\bconcrete\s+(?:thinker|thinking)\b|"
                r"\bthinks?\s+(?:very\s+|quite\s+|rather\s+)?concretely\b|\b(?:is|was|are|were|seems|seemed|remains)\s+concrete\b"
            ),
            W_JARGON,
            "Describe it, e.g. 'prefers to focus on practical, everyday matters'.",
            guard=_not_after(
                r"\s+(?:plans?|steps?|goals?|examples?|actions?|support|help|floor|wall|terms|ways?|ideas?|tasks?)\b"
            ),
        ),
        R(
            "analytic-jargon",
            JARGON,
            "low",
            _re(
                r"\bin\s+denial\b|\bsplitting\b|\bprojective\s+identification\b|\bprojecting\s+(?:onto|on\s+to)\b|"
                r"\bregress(?:ion|ed|ive)\b|\bacting[- ]out\b|\bact(?:s|ed)?\s+out\s+(?:her|his|their)\b|"
                r"(?<!insulin\s)(?<!antibiotic\s)(?<!drug\s)\bresistance\b|\benactments?\b|\bcontainment\b|"
                r"\bmentali[sz](?:ing|ation|e)\b|\breflective\s+(?:capacity|function(?:ing)?)\b|"
                r"\bpsychologically[- ]minded(?:ness)?\b|\bpsychological[- ]mindedness\b|\bsomatic\s+fixation\b|"
                r"\b(?:abnormal\s+)?illness\s+behaviou?rs?\b|\bsick\s+role\b|\bmedically[- ]modelled\b|\btherapy[- ]light\b|"
                r"\bengagement\s+by\s+stealth\b|\bpsychotic\s+islands?\b|\blatent\s+psychotic\b|"
                r"\bprimitive\s+(?:psychic|functioning|defen[cs]es|states?|anxieties)\b|\banorexic\s+in\s+engagement\b|"
                r"\bcatastrophi[sz](?:ing|es|ed|ation|e)\b|\bmaladaptive\b|\bcognitive\s+distortions?\b|"
                r"\bfrequent\s+attenders?\b|\breattribution\b|\boedipal\b|\bnarcissis\w*"
            ),
            W_JARGON,
            S_JARGON_PLAIN,
        ),
    )


def _build_rules() -> tuple[_Rule, ...]:
    return tuple(replace(r, anchors=()) for r in _rules())


def _rule_gate(rule: _Rule) -> mt.Gate | None:
    """The rule's gate (derived on first use, once per pattern); ``None`` when the rule's
    ``anchors`` is ``None`` (pre-checks off) or the pattern gives no useful condition."""
    if rule.anchors is None:
        return None
    if rule.gate is not None:
        return rule.gate
    return mt.derive_gate(rule.pattern.pattern, getattr(rule.pattern, "source_flags", rule.pattern.flags))


def _current_rules() -> tuple[_Rule, ...]:
    """``RULES``, built on first use (patterns compile only when a text passes their gate)."""
    rules = globals().get("RULES")
    if rules is None:
        rules = globals()["RULES"] = _build_rules()
    return rules


def __getattr__(name: str) -> object:  # PEP 562: ``RULES`` is built on first access
    if name == "RULES":
        return _current_rules()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


_RULE_SETS: dict[int, tuple[tuple[_Rule, ...], dict[str, tuple[tuple[_Rule, ...], mt.GateIndex, int]]]] = {}


def _rule_set(kind: str) -> tuple[tuple[_Rule, ...], mt.GateIndex, int]:
    """The rules of one kind ("all", "private", "untreatable") with a gate index over them (a
    rule whose ``anchors`` is ``None`` is always a candidate) and the index's bits for the rules.
    Except for "untreatable", the index also holds the gates of the causal-claim phrases, after
    the rules, so one look-up can tell that nothing at all can be found in a text."""
    rules = _current_rules()
    entry = _RULE_SETS.get(id(rules))
    if entry is None or entry[0] is not rules:
        _RULE_SETS.clear()
        entry = _RULE_SETS[id(rules)] = (rules, {})
    sets = entry[1]
    found = sets.get(kind)
    if found is None:
        if kind == "private":
            chosen = tuple(r for r in rules if r.tacit or r.group == UNTREATABLE)
        elif kind == UNTREATABLE:
            chosen = tuple(r for r in rules if r.group == UNTREATABLE)
        else:
            chosen = rules
        gates = [_rule_gate(r) for r in chosen]
        if kind != UNTREATABLE:
            gates += [p.gate for p in _CAUSAL_PHRASES]
        for rule in chosen:  # compiled with the index, not on some later text (see flags._Phrases)
            getattr(rule.pattern, "compiled", None)
        found = sets[kind] = (chosen, mt.GateIndex(gates), (1 << len(chosen)) - 1)
    return found


# =============================================================================================
# Causal claims (certainty about cause): "X is caused by Y", "Y is causing X", "X is psychological"
# =============================================================================================

_MATCHERS: dict[str, mt.WordMatcher] = {}


def _word_matcher(kind: str) -> mt.WordMatcher:
    """The symptom ("effect") or psychological-cause ("psych") word matcher, built on first use."""
    matcher = _MATCHERS.get(kind)
    if matcher is None:
        matcher = _MATCHERS[kind] = mt.WordMatcher(lx.EFFECT_WORDS if kind == "effect" else lx.PSYCH_CAUSES)
    return matcher


_CONNECT_STRONG = mt.Phrase(r"(?<![\w-])" + lx.alternation(lx.CAUSAL_CONNECTORS_STRONG) + r"(?![\w-])")
_CONNECT_WEAK = mt.Phrase(r"(?<![\w-])" + lx.alternation(lx.CAUSAL_CONNECTORS_WEAK) + r"(?![\w-])")
_CAUSING = mt.Phrase(r"(?<![\w-])" + lx.alternation(lx.CAUSING_VERBS) + r"(?![\w-])")
_PRONOUN_SUBJECT = mt.LazyPattern(
    r"(?:^|\W)(?:it|this|these|they|that|which)\s+(?:(?:is|are|was|were|'s|'re|has|have|had|been|being|seems?|must|be|"
    r"all|not|clearly|obviously|definitely|certainly|simply|just|only|purely|entirely|really|most|mainly|largely)\s+)*$",
    re.IGNORECASE,
)
_COPULA_BEFORE = mt.LazyPattern(
    r"\b(?:is|are|was|were|has\s+been|have\s+been|must\s+be|'s|'re)\s+(?:(?:all|simply|just|only|purely|entirely|"
    r"clearly|obviously|definitely|certainly|undoubtedly|directly|really|mainly|largely|mostly|solely)\s+)*$",
    re.IGNORECASE,
)
_CERTAIN_BEFORE = mt.LazyPattern(
    r"(?<![\w-])(?:clearly|obviously|definitely|certainly|undoubtedly|unquestionably|evidently|plainly|surely|absolutely|"
    r"directly|entirely|purely|solely|wholly|simply|just|only|all|completely|really|must\s+be)\s+(?:\w+\s+){0,1}$",
    re.IGNORECASE,
)
_PREDICATE_HEAD = (
    r"(?P<subj>(?<![\w-])" + lx.alternation(lx.EFFECT_WORDS) + r"|\b(?:it|this|these|they|that))(?![\w-])"
    r"(?P<mid>\s+(?:[\w'-]+\s+){0,3}?)"
)
_PREDICATE_TAIL = (
    r"(?P<cop>is|are|was|were|'s|'re|must\s+be|has\s+been|have\s+been|seems?|appears?)\s+"
    r"(?P<cert>" + lx.alternation(lx.CERTAINTY_MARKERS) + r"\s+)?(?:(?:a|an|mostly|mainly|largely|really)\s+)?"
    r"(?P<pred>" + lx.alternation(lx.PSYCH_PREDICATES) + r")(?![\w-])"
    r"(?!\s+(?:impact|effects?|toll|side|health|support|therap\w+|distress|wellbeing|needs|difficulties|factors?|aspects?|"
    r"component|part|care|services?|problems|symptoms|response|reaction|management|fracture|test|levels?|"
    r"for|to|when|about|at|and\s+physical|as\s+well))"
)
_PREDICATE_RE = mt.LazyPattern(_PREDICATE_HEAD + _PREDICATE_TAIL, re.IGNORECASE)
_PREDICATE = mt.Phrase(_PREDICATE_RE)
_PREDICATE_TAIL_RE = mt.LazyPattern(_PREDICATE_TAIL, re.IGNORECASE)
"""The end of ``_PREDICATE_RE`` from the copula on, alone. Every match of the whole pattern
contains a match of this one (same text, same bounds, same look-aheads), and it is far cheaper
than trying every symptom word at every position, so a clause without it is skipped."""
_CAUSAL_PHRASES = (_CONNECT_STRONG, _CONNECT_WEAK, _CAUSING, _PREDICATE)
_PHRASE_POSSIBLE = mt.Phrase.possible
"""The gate check in force at import; the no-findings shortcut is skipped if it is replaced."""
_PRONOUNS = frozenset({"it", "this", "these", "they", "that"})
_NOT_IN_MID = mt.LazyPattern(r"\b(?:not|n't|never)\b", re.IGNORECASE)
_COMPARATIVE_BEFORE = mt.LazyPattern(
    r"\b(?:worse|better|more|less|exacerbated|aggravated|heightened|increased|intensified|put|partly|partially|"
    r"sometimes|often|occasionally)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
"""'Worse because of stress' describes a pattern the patient notices, not a cause; 'put down to'
reports someone else's attribution."""


def _effect_context(doc: _Doc, pos: int) -> bool:
    """A pronoun subject ("it is clearly caused by stress") needs a symptom named just before."""
    return doc.effect.first(max(0, pos - 300), pos) is not None


def _cause_finding(doc: _Doc, start: int, end: int, certain: bool, rule: str, replacement: str = "") -> tuple:
    severity = "high" if certain else "medium"
    return (rule, CERTAINTY, severity, start, end, W_CERTAIN, S_CERTAIN, True, replacement)


def _causal_claims(doc: _Doc, known: int | None = None) -> list[tuple]:
    """Certainty-about-cause findings from causal connectors and predicates, clause by clause.

    Three shapes: a symptom *is caused by / due to / a manifestation of* a psychological cause;
    a psychological cause *is causing / lies behind / manifests as* a symptom; a symptom *is
    psychological / stress-related / down to nerves*. Each is silenced by a hedge in its clause,
    by negation ("is not caused by stress") and by comparatives ("worse because of stress").
    """
    text = doc.text
    info = doc.info
    # Each shape needs its words somewhere in the text (the gates, worked out once per text); the
    # predicate shape also needs its tail in the clause. Clauses that can hold none of them are
    # skipped before any per-clause regex runs: the same findings, far fewer regex runs.
    if known is None or mt.Phrase.possible is not _PHRASE_POSSIBLE:
        known = 0b1111
    # ``known``: bit k clear means _CAUSAL_PHRASES[k] lacks its key words (see _rule_set)
    strong_ok = bool(known & 1) and _CONNECT_STRONG.possible(info)
    weak_ok = bool(known & 2) and _CONNECT_WEAK.possible(info)
    causing_ok = bool(known & 4) and _CAUSING.possible(info)
    predicate_ok = bool(known & 8) and _PREDICATE.possible(info)
    connectors_possible = strong_ok or weak_ok or causing_ok
    if not connectors_possible and not predicate_ok:
        return []
    out: list[tuple] = []
    for cs, ce in doc.clauses():
        has_psych = connectors_possible and doc.psych.first(cs, ce) is not None
        tail_ok = predicate_ok and _PREDICATE_TAIL_RE.search(text, cs, ce) is not None
        if not has_psych and not tail_ok:
            continue
        clause = text[cs:ce]
        if _HEDGE_STRONG.search(clause):
            continue
        hedge_weak = bool(_HEDGE_WEAK.search(clause))
        psych, effect = (doc.psych, doc.effect) if has_psych else (None, None)
        # 1. effect ... connector ... cause   ("her pain is clearly caused by stress")
        for weak, rx, rx_ok in ((False, _CONNECT_STRONG, strong_ok), (True, _CONNECT_WEAK, weak_ok)):
            for m in rx.pattern.finditer(text, cs, ce) if has_psych and rx_ok else ():
                before = text[cs : m.start()]
                cause = psych.first(m.end(), min(ce, m.end() + 60))
                if cause is None or cause[0] - m.end() > 40:
                    continue
                if _NEGATED_BEFORE.search(before[-30:]) or _COMPARATIVE_BEFORE.search(before[-30:]):
                    continue
                unanchored = False  # "it is clearly caused by stress" with no symptom named before
                if effect.first(max(cs, m.start() - 110), m.start()) is None:
                    if not _PRONOUN_SUBJECT.search(before[-110:]):
                        continue
                    unanchored = not _effect_context(doc, m.start())
                tail = before[-30:]
                cert = _CERTAIN_BEFORE.search(tail)
                certain = bool(cert) or bool(_STRONG_CERTAIN.search(before[-40:]))
                if (weak or hedge_weak or unanchored) and not certain:
                    continue
                start = m.start() - len(tail) + cert.start() if cert else m.start()
                replacement = ""
                cop = _COPULA_BEFORE.search(before)
                if cop:
                    start = min(start, cs + cop.start())
                    replacement = "may be partly connected with " + text[cause[0] : cause[1]]
                # unanchored: still a psychological cause stated as certain, but "it" may not be the
                # symptoms, so it is reported at medium severity (it does not hold a letter back)
                out.append(_cause_finding(doc, start, cause[1], certain and not unanchored, "causal-claim", replacement))
        # 2. cause ... causing-verb ... effect   ("stress is causing her palpitations")
        for m in _CAUSING.pattern.finditer(text, cs, ce) if has_psych and causing_ok else ():
            causes = psych.in_range(max(cs, m.start() - 70), m.start())
            if not causes:
                continue
            hit = effect.first(m.end(), min(ce, m.end() + 60))
            if hit is None:
                continue
            if _NEGATED_BEFORE.search(text[max(cs, m.start() - 25) : m.start()]) or effect.first(causes[-1][1], m.start()):
                continue
            certain = bool(_STRONG_CERTAIN.search(text, cs, hit[1]))
            if hedge_weak and not certain:
                continue
            out.append(_cause_finding(doc, causes[0][0], hit[1], certain, "causal-claim"))
        # 3. effect is (clearly) psychological / stress-related / down to nerves
        for m in _PREDICATE.pattern.finditer(text, cs, ce) if tail_ok else ():
            unanchored = m.group("subj").lower() in _PRONOUNS and not _effect_context(doc, m.start())
            mid = m.group("mid") or ""
            if _NOT_IN_MID.search(mid):
                continue
            certain = bool(m.group("cert")) or m.group("cop").lower().startswith("must")
            if (hedge_weak or unanchored) and not certain:
                continue
            start = m.start("cert") if m.group("cert") else m.start("pred")
            if m.group("cop").lower().startswith("must"):
                start = m.start("cop")
            out.append(_cause_finding(doc, start, m.end("pred"), certain and not unanchored, "psychological-predicate"))
    return out


# =============================================================================================
# The checker
# =============================================================================================

_PREFERRED_MUS = mt.LazyPattern(r"(?<![\w-])MUP?S(?![\w-])")
_PREFERRED_UNEXPLAINED = mt.LazyPattern(
    r"\bmedically[- ]unexplained(?:\s+(?:physical\s+)?(?:symptoms?|illness(?:es)?|conditions?|pain))?\b", re.IGNORECASE
)
_MUS_TERMS = frozenset(
    {"mus", "mups", "medically unexplained symptoms", "medically unexplained", "medically unexplained physical symptoms"}
)


def _rule_findings(doc: _Doc, kind: str, mask: int | None = None) -> list[tuple]:
    out = []
    rules, index, rule_bits = _rule_set(kind)
    if mask is None:
        mask = index.mask(doc.info)
    for k in index.test(doc.info, mask & rule_bits):
        rule = rules[k]
        for m in rule.pattern.finditer(doc.text):
            hit = m.groupdict().get("hit")
            span: tuple[int, int] | None = m.span("hit") if hit else (m.start(), m.end())
            if rule.guard is not None:
                span = rule.guard(doc, *span)
                if span is None:
                    continue
            start, end = span
            if rule.negatable and _negated(doc, start):
                continue
            certain = False
            if rule.hedged_ok:
                cs, _ = doc.clause(start)
                certain = bool(_STRONG_CERTAIN.search(doc.text[max(cs, start - 30) : end]))
                if _hedged(doc, start, end) and not certain:
                    continue
            severity = "high" if (rule.category == CERTAINTY and certain) else rule.severity
            out.append(
                (
                    rule.id,
                    rule.category,
                    severity,
                    start,
                    end,
                    rule.why,
                    rule.suggestion,
                    rule.tacit,
                    rule.replacement,
                    rule.group,
                )
            )
    return out


def _preferred_term_findings(doc: _Doc, preferred_term: str) -> list[tuple]:
    term = preferred_term.strip()
    if not term or term.lower() in _MUS_TERMS:
        return []
    why = W_PREFERRED
    suggestion = f"Use the patient's preferred term: '{term}'."
    out = []
    for rx in (_PREFERRED_MUS, _PREFERRED_UNEXPLAINED):
        for m in rx.finditer(doc.text):
            out.append(("preferred-term", PREFERRED_TERM, "medium", m.start(), m.end(), why, suggestion, False, term, ""))
    return out


_RANK = {"high": 0, "medium": 1, "low": 2}
_CATEGORY_PRIORITY = {DUALISTIC: 0, STIGMATISING: 1, BLAMING: 2, NORMALISING: 3, PREFERRED_TERM: 4, JARGON: 5, CERTAINTY: 6}


def _dedupe(findings: list[Finding]) -> list[Finding]:
    """Drop a finding that overlaps a same-category finding already kept (the longer wins), and a
    certainty finding that overlaps a dualistic or stigmatising one (the stronger concern covers it)."""
    ordered = sorted(findings, key=lambda f: (_CATEGORY_PRIORITY[f.category], -(f.end - f.start), f.start))
    kept: list[Finding] = []
    for f in ordered:
        clash = False
        for k in kept:
            if f.start < k.end and k.start < f.end:
                if k.category == f.category:
                    clash = True
                elif f.category == CERTAINTY and k.category in (DUALISTIC, STIGMATISING):
                    clash = True
            if clash:
                break
        if not clash:
            kept.append(f)
    return sorted(kept, key=lambda f: (f.start, f.end, f.category))


def _check_cached(text: str, context: str, preferred_term: str, only: str, cache: AnalysisCache | None) -> tuple[Finding, ...]:
    """The findings, remembered in ``cache.language`` when a cache is given."""
    if cache is None:
        return _check_text(text, context, preferred_term, only, None)
    key = ("findings", text, context, preferred_term, only)
    found = cache.language.get(key)
    if isinstance(found, tuple):
        return found
    return cache.language.put(key, _check_text(text, context, preferred_term, only, cache))


def _check_text(text: str, context: str, preferred_term: str, only: str, cache: AnalysisCache | None) -> tuple[Finding, ...]:
    kind = UNTREATABLE if only == UNTREATABLE else "private" if context == "private" else "all"
    _rules, index, _bits = _rule_set(kind)
    mask = index.mask(mt.text_info(text, cache))
    if not mask and kind != "all" and mt.Phrase.possible is _PHRASE_POSSIBLE:
        # No rule and no causal phrase holds this text's key words: nothing can be found (the
        # "all" context also reports the preferred term, which is not gated).
        return ()
    doc = _Doc(text, cache)
    if only == UNTREATABLE:
        raw = _rule_findings(doc, UNTREATABLE, mask)
    else:
        raw = _rule_findings(doc, kind, mask)
        raw += [(*f, "") for f in _causal_claims(doc, mask >> len(_rules))]
        if context != "private":
            raw += _preferred_term_findings(doc, preferred_term)
    if not raw:
        return ()
    findings = []
    for rule_id, category, severity, start, end, why, suggestion, tacit, replacement, group in raw:
        if context == "private" and not (tacit or group == UNTREATABLE):
            continue
        quoted = doc.is_quoted(start, end)
        if context == "private" and group != UNTREATABLE:
            severity = "medium" if severity == "high" else severity
            why = why + S_PRIVATE
        if quoted:
            severity = "low"
            suggestion = S_QUOTED
            replacement = ""
        elif replacement and _NEGATED_JUST_BEFORE.search(text, max(0, start - 24), start):
            replacement = ""  # "it is not all in her mind": a drop-in would turn it round
        findings.append(
            Finding(
                category=category,
                severity=severity,
                start=start,
                end=end,
                matched=text[start:end],
                why=why,
                suggestion=suggestion,
                quoted=quoted,
                rule=rule_id,
                replacement=replacement,
            )
        )
    return tuple(_dedupe(findings))


def check(text: str, context: str = "letter", *, preferred_term: str = "", cache: AnalysisCache | None = None) -> list[Finding]:
    """Findings on wording in ``text`` that may harm, stigmatise or confuse the reader.

    ``context`` is ``"letter"`` (anything the GP or patient may read), ``"shared"`` (formulation
    items shared with the patient) or ``"private"`` (the therapist's own notes: only "untreatable"
    and tacit-dualism markers are reported). ``preferred_term`` is the patient's own term for their
    symptoms; "MUS" / "medically unexplained" are reported when it differs.

    Findings come in text order; each span indexes ``text`` exactly. Quoted or reported speech is
    marked ``quoted=True`` with low severity.

    ``cache`` (the unlocked vault's :class:`~sessionnotes.analysis.cache.AnalysisCache`) remembers
    the findings and the text's word tables until it is cleared; without one nothing is kept.
    """
    if context not in CONTEXTS:
        raise ValueError(f"context must be one of: {', '.join(CONTEXTS)} (got {context!r})")
    if not isinstance(text, str):
        raise TypeError("text must be a string")
    if not text.strip():
        return []
    return list(_check_cached(text, context, preferred_term or "", "", cache))


def untreatable_labels(text: str, cache: AnalysisCache | None = None) -> list[Finding]:
    """Only the "untreatable" labelling findings (any context; quoted ones are marked)."""
    if not text or not text.strip():
        return []
    return list(_check_cached(text, "private", "", UNTREATABLE, cache))


def tacit_dualism_markers(text: str, cache: AnalysisCache | None = None) -> list[Finding]:
    """Tacit-dualism markers in the therapist's own text (the private-context findings other than
    "untreatable"): wording that makes the symptoms unreal, imagined or purely psychological."""
    if not text or not text.strip():
        return []
    return [f for f in _check_cached(text, "private", "", "", cache) if f.rule != "untreatable"]


_NEGATED_JUST_BEFORE = re.compile(r"\b(?:not|never|n't)\s+(?:\w+\s+)?$", re.IGNORECASE)


def with_replacement(text: str, finding: Finding) -> str:
    """``text`` with the finding's drop-in replacement applied (unchanged when it has none)."""
    if not finding.replacement or text[finding.start : finding.end] != finding.matched:
        return text
    return text[: finding.start] + finding.replacement + text[finding.end :]
