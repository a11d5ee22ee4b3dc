"""Claims, not phrases: the structures behind each kind of harmful wording, read from lemmas.

Each sentence is split into words, and every word is reduced to its dictionary forms
(:mod:`sessionnotes.analysis.text.lemmas`, so "refused", "refuses" and "refusing", "somatisers"
and "somatizer" are one word each). The detectors then look for structures rather than phrases:

* **cause** (:data:`CAUSE_RULE`): a psychological cause and a symptom joined by a causal relation
  in any voice: passive ("were shown to be caused by grief"), intransitive ("stems from trauma"),
  active ("anxiety produces her symptoms"), nominal ("is the product of low mood", "the root of
  her pain is psychological"), a "-related / -induced" predicate; and "conversion symptom"
  stated as fact. Certainty is read from markers (clearly, only, must, no doubt, shown to...) and
  a hedge (may, might, perhaps, wondered...) silences the claim;
* **denial of the body**: a reality predicate (real, genuine, organic, physical...) under
  negation with a symptom as subject, "nothing the matter with", the mind as the symptoms' only
  place or source, restrictive "purely functional", "non-organic", "functional overlay";
* **coercion**: an obligation (need to, must, have to, should) on the patient to accept, admit,
  face or stop something;
* **blame**: bringing it on oneself, making oneself ill, refusing or failing to do what was
  asked, ignoring advice, not helping oneself, sabotaging one's own progress;
* **labels** in any inflection (histrionic, somatiser, hypochondriac, malingerer...).

A claim whose words are negated in clause scope (:func:`.negation.scope_negated`: "nobody is
suggesting that...", "I do not believe...") is not the writer's claim and is dropped; reported
speech and quotation are marked by the caller as usual.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..text import negation
from ..text.lemmas import lemmas
from .document import Document
from .guards import HEDGE_STRONG, HEDGE_WEAK
from .model import BLAMING, CERTAINTY, COERCIVE, DUALISTIC, STIGMATISING, RawFinding
from .rules import (
    S_BLAME,
    S_CERTAIN,
    S_COERCE,
    S_FEIGN,
    S_LABEL,
    S_MIND,
    S_NOTHING_WRONG,
    W_BLAME,
    W_CERTAIN,
    W_COERCE,
    W_CONVERSION,
    W_DUAL,
    W_FEIGN,
    W_LABEL,
    W_MIND,
)

# =============================================================================================
# Words, with their lemmas
# =============================================================================================

_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*[A-Za-z]|[A-Za-z]")


@dataclass(frozen=True)
class Word:
    """One word of a sentence: its text (lower case), its dictionary forms and where it is."""

    low: str
    lem: frozenset[str]
    start: int
    end: int

    def is_(self, words: frozenset[str]) -> bool:
        return not self.lem.isdisjoint(words)


@lru_cache(maxsize=8192)
def _forms(word: str) -> frozenset[str]:
    low = word.lower().replace("’", "'")
    if low.endswith("'s"):
        low = low[:-2]
    out = set(lemmas(low)) if low.replace("-", "").isalpha() else {low}
    if "-" in low:  # "attention-seeking", "non-organic": the whole and its parts' lemmas joined
        parts = low.split("-")
        out.add("".join(parts))
        out.add(parts[0] + "-" + min(lemmas(parts[-1]), key=len) if parts[-1].isalpha() else low)
    return frozenset(out)


def words_of(text: str, start: int, end: int) -> list[Word]:
    return [Word(m.group().lower(), _forms(m.group()), m.start(), m.end()) for m in _WORD.finditer(text, start, end)]


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


# --- word classes (dictionary forms, US spelling) ---------------------------------------------

BE = _set("be is are was were been being 's 're am")
CERTAIN = _set(
    "clearly obviously definitely certainly undoubtedly unquestionably evidently plainly surely absolutely "
    "only purely solely simply entirely wholly completely must therefore thus hence proven prove proved "
    "show demonstrate confirm definitively undeniably indisputably inevitably essentially basically fundamentally "
    "ultimately inherently intrinsically"
)
CERTAIN_PHRASES = re.compile(
    r"\b(?:no|without(?:\s+(?:a|any))?)\s+(?:doubt|question)\b|\bplain\s+and\s+simple\b|\bit\s+is\s+(?:clear|obvious|evident|certain)\b|"
    r"\bthere\s+is\s+no\s+other\s+explanation\b|\bof\s+course\b|\bin\s+fact\b|\bno\s+other\b|"
    r"\bat\s+(?:heart|root|bottom)\b|\bin\s+essence\b",
    re.IGNORECASE,
)
_CAN_ONLY = re.compile(r"\b(?:can|could)(?:\s+\w+ly)?\s+only\b|\bonly\s+(?:can|could)\b", re.IGNORECASE)
VERB_CAUSE = _set(
    "cause drive trigger produce generate explain fuel induce provoke precipitate create underlie bring "
    "account manifest perpetuate maintain spark fuel worsen"
)
VERB_FROM = _set("stem result arise originate come spring derive flow")
NOUN_CAUSE = _set("cause root origin source driver trigger basis")
NOUN_RESULT = _set("product result consequence manifestation expression outcome")
SUFFIX_CAUSE = re.compile(
    r"^(?:stress|anxiety|emotion|emotionally|psychologically|mentally|trauma|grief|worry|panic|mood|nerve|nerves|"
    r"depression|distress|tension|anger|fear|psychology|mind|emotional|psychological)-"
    r"(?:related|induced|driven|based|mediated|triggered|caused|led|fuelled|fueled)$"
)
PSYCH_EXTRA = _set("psychological emotional mental psychiatric panic psyche mind worry anxiety stress psychosomatic")
PRONOUNS = _set("it this these they that which")

REAL = _set("real genuine true physical organic authentic legitimate bodily structural neurological medical")
FINDING_VERBS = _set(
    "find show identify reveal detect explain confirm rule exclude see look investigate test scan say mean suggest "
    "claim think believe suppose assume imply"
)
RESTRICT = _set("purely entirely wholly solely completely totally just only simply merely basically all exclusively")
MIND_PRED = _set("psychological emotional mental functional psychiatric psychosomatic behavioral nerve nerves mind")
MIND_PLACE = _set("mind head imagination psyche")
MIND_SOURCE_VERBS = _set("come stem originate exist live generate start arise lie sit reside")
REFLEXIVE = _set("herself himself themselves themself yourself yourselves myself oneself")
LABELS = _set(
    "histrionic somatizer somatize somatization hypochondriac hypochondria hypochondriasis hypochondriacal malinger malingerer "
    "heartsink hysteric hysterical hysteria manipulative manipulator neurotic attention-seeker attention-seeking attentionseeker "
    "attentionseeking timewaster time-waster whinger moaner melodramatic theatrical supratentorial crock"
)
LABEL_PHRASES = re.compile(r"\bdrama\s+queens?\b|\bput\s+on\b(?=\s*(?:[.,;!?]|$|\s+(?:for|to|when)\b))", re.IGNORECASE)
ACCEPT = _set("accept admit acknowledge face realize recognize stop quit concede")
OBLIGE = _set("need must should ought have has had got")
CLINICIAN = _set("i we us")
REFUSE = _set("refuse fail neglect decline")
REFUSE_OK_NEXT = _set("let give be allow quit stop surrender respond improve resolve settle show find reveal help work accept")
IGNORE = _set("ignore disregard flout reject dismiss")
ADVICE = _set("advice recommendation instruction plan guidance suggestion programme program exercise")
MAKE_ILL = _set("ill sick unwell worse poorly")
SABOTAGE = _set("sabotage undermine")


def _hedged(clause: str) -> bool:
    """A hedge in the clause ("may", "perhaps", "we wondered"), not counting "can only" (a
    certainty) or a weak hedge next to a certainty marker."""
    clause = _CAN_ONLY.sub(" only ", clause)
    if HEDGE_STRONG.search(clause):
        return True
    return bool(HEDGE_WEAK.search(clause)) and not _certain_text(clause)


def _certain_text(clause: str) -> bool:
    if CERTAIN_PHRASES.search(clause):
        return True
    return any(not _forms(w.group()).isdisjoint(CERTAIN) for w in _WORD.finditer(clause))


# =============================================================================================
# The detectors
# =============================================================================================

CAUSE_RULE = "cause-structure"


class _Sentence:
    """One sentence with its words and the symptom / psychological-cause spans in it."""

    def __init__(self, doc: Document, start: int, end: int) -> None:
        self.doc = doc
        self.start = start
        self.end = end
        self.words = words_of(doc.text, start, end)
        effects = list(doc.effect.in_range(start, end))
        for m in _POSSESSED.finditer(doc.text, start, end):  # "his chest tightness": the patient's own complaint
            if not doc.psych.first(m.start(), m.end()) and not any(s <= m.start() < e for s, e in effects):
                effects.append((m.start(), m.end()))
        self.effects = sorted(effects)
        psych = list(doc.psych.in_range(start, end))
        for w in self.words:
            if w.is_(PSYCH_EXTRA) or SUFFIX_CAUSE.match(w.low):
                if not any(s <= w.start < e for s, e in psych):
                    psych.append((w.start, w.end))
        self.psych = sorted(psych)

    def effect_between(self, a: int, b: int) -> tuple[int, int] | None:
        return next(((s, e) for s, e in self.effects if a <= s and e <= b), None)

    def psych_between(self, a: int, b: int) -> tuple[int, int] | None:
        return next(((s, e) for s, e in self.psych if a <= s and e <= b), None)

    def negated(self, pos: int, own: tuple[int, int] | None = None) -> bool:
        return negation.scope_negated(self.doc.text, pos, self.start, ignore=own)

    def clause_text(self, pos: int) -> str:
        begin = negation.scope_start(self.doc.text, pos, self.start)
        _, ce = self.doc.clause(pos)
        return self.doc.text[begin : min(max(ce, pos), self.end)]


_POSSESSED = re.compile(
    r"\b(?:(?i:her|his|their|your)|[A-Z][a-z]+'s)\s+(?!(?:own|past|life|lives|mind|mood|husband|wife|partner|job|work|family|"
    r"mother|father|mum|dad|son|daughter|children|child|sister|brother|friends?|home|house|finances|money|relationships?|marriage|"
    r"childhood|GP|doctor|consultant|feelings?|emotions?|thoughts?|anxiety|stress|worry|grief|view|views|understanding|"
    r"divorce|bereavement|loss|trauma|anger|fears?|depression|panic|nerves|upbringing|experience|experiences|way|wish|choice)\b)"
    r"(?:[a-z]+\s+){0,2}?[a-z]+\b(?=\s*(?:[.,;:!?]|$|\s+(?:is|are|was|were|has|have|had|must|can|could|will|would|may|might|"
    r"and|or|stems?|results?|arises?|comes?|came|originates?)\b))"
)


def _raw(rule: str, category: str, severity: str, start: int, end: int, why: str, suggestion: str, tacit: bool) -> RawFinding:
    return (rule, category, severity, start, end, why, suggestion, tacit, "", "")


def _causes(s: _Sentence) -> list[RawFinding]:
    """A psychological cause linked to a symptom by a causal relation, in any voice."""
    text, out, ws = s.doc.text, [], s.words
    for i, w in enumerate(ws):
        shape = None
        if w.is_(VERB_CAUSE) or w.is_(VERB_FROM):
            nxt = ws[i + 1].low if i + 1 < len(ws) else ""
            passive = w.low.endswith(("ed", "en")) or w.low in ("brought", "driven", "shown")
            if w.is_(VERB_FROM) and nxt in ("from", "out"):
                shape = "effect-cause"
            elif w.is_(VERB_CAUSE) and passive and nxt in ("by", "on"):
                shape = "effect-cause"
                if nxt == "on" and i + 2 < len(ws) and ws[i + 2].low == "by":
                    pass
            elif w.is_(VERB_CAUSE) and not passive and nxt not in ("by",) and not w.low.endswith("ed"):
                shape = "cause-effect"
            elif w.is_(VERB_CAUSE) and w.low.endswith("ed") and i > 0 and not ws[i - 1].is_(BE):
                shape = "cause-effect"
        if (
            shape is None
            and w.low == "behind"
            and i > 0
            and (ws[i - 1].is_(BE) or ws[i - 1].is_(_set("lie lies")) or ws[i - 1].low.endswith("ly"))
        ):
            shape = "cause-effect"
        elif shape is None and (w.is_(NOUN_RESULT) or w.is_(NOUN_CAUSE)) and i + 1 < len(ws) and ws[i + 1].low == "of":
            shape = "effect-cause" if w.is_(NOUN_RESULT) else "cause-of"
        elif SUFFIX_CAUSE.match(w.low):
            eff = s.effect_between(max(s.start, w.start - 90), w.start) or s.effect_between(w.end, min(s.end, w.end + 40))
            if eff is not None:
                out.append(_cause(s, w.start, w.end, w.start, w.end))
            continue
        if shape is None:
            continue
        if shape == "effect-cause":
            eff = s.effect_between(max(s.start, w.start - 90), w.start)
            cause = s.psych_between(w.end, min(s.end, w.end + 60))
            if eff and cause:
                out.append(_cause(s, w.start, w.end, eff[1], cause[1]))
        elif shape == "cause-effect":
            cause = s.psych_between(max(s.start, w.start - 70), w.start)
            eff = s.effect_between(w.end, min(s.end, w.end + 60))
            if cause and eff and not s.effect_between(cause[1], w.start):
                out.append(_cause(s, w.start, w.end, cause[0], eff[1]))
        else:  # "the root of her pain is psychological" / "grief is the cause of her pain"
            eff = s.effect_between(w.end, min(s.end, w.end + 50))
            before = s.psych_between(max(s.start, w.start - 50), w.start)
            after = s.psych_between(eff[1], min(s.end, eff[1] + 40)) if eff else None
            if eff and (before or after):
                out.append(_cause(s, w.start, w.end, before[0] if before else w.start, after[1] if after else eff[1]))
    for m in _INFERENCE.finditer(text, s.start, s.end):
        if s.effects and s.effects[0][0] < m.start():
            out.append(_cause(s, m.start(), m.end(), m.start(), m.end(), inference=True))
    low = text.lower()
    for m in re.finditer(
        r"\bconversion\s+(?:symptoms?|disorders?|reactions?|hysteria|syndrome|seizures?|paralysis)\b", low[s.start : s.end]
    ):
        a, b = s.start + m.start(), s.start + m.end()
        lead_text = low[s.start : a]
        if re.search(
            r"\b(?:diagnos\w+|neurologist|consultant|psychiatrist|previously|formerly|old term|called|known as|term)\b", lead_text
        ):
            continue
        out.append(_cause(s, a, b, a, b, rule="conversion", why=W_CONVERSION))
    return [f for f in out if f is not None]


_INFERENCE = re.compile(
    r"\b(?:therefore|thus|hence|so|must\s+be|must\s+have\s+been)\s+(?:\w+ly\s+)?(?:all\s+)?"
    r"(?:psychological|emotional|mental|psychiatric|psychosomatic|functional|stress|anxiety|nerves|in\s+(?:her|his|the|their|your)\s+(?:mind|head))\b"
    r"(?!\s+(?:health|support|impact|distress|needs|wellbeing|factors?|neurological|disorder|symptoms?|seizures?))",
    re.IGNORECASE,
)
_ABSENCE = re.compile(
    r"\b(?:no|without\s+(?:any|an?)?|lacks?\s+(?:any|an?)?|absence\s+of\s+(?:any|an?)?)\s*(?:[a-z]+\s+){0,2}?"
    r"(?:physical|organic|medical|bodily|structural|somatic)\s+(?:cause|basis|reason|explanation|illness|disease|problem|origin|"
    r"pathology|component|foundation)s?\b",
    re.IGNORECASE,
)
_FOUND_AFTER = re.compile(
    r"\s+(?:has|have|had|was|were|is|could|can|yet|so\s+far|at\s+present|to\s+date|been|found|identified|on)\b", re.IGNORECASE
)
_FOUND_BEFORE = re.compile(
    r"\b(?:found|identified|shown|showed|revealed|detected|find|identify|show|reveal|there\s+is\s+still)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)


def _cause(
    s: _Sentence, rs: int, re_: int, a: int, b: int, rule: str = CAUSE_RULE, why: str = W_CERTAIN, inference: bool = False
) -> RawFinding | None:
    """A cause claim over ``a..b`` with its relation at ``rs..re_``, unless hedged or negated."""
    clause = s.clause_text(rs)
    if inference:
        clause = s.doc.text[s.start : re_]
    if _hedged(clause):
        return None
    if s.negated(rs):
        return None
    before = s.doc.text[max(s.start, a - 60) : a]
    certain = _certain_text(clause) or _certain_text(before)
    start = min(a, rs)
    while start < rs and s.doc.text[start].isspace():
        start += 1
    return _raw(rule, CERTAINTY, "high" if certain else "medium", start, max(b, re_), why, S_CERTAIN, True)


def _denials(s: _Sentence) -> list[RawFinding]:
    """Denial of the body: "not genuine seizures", "nothing the matter", "only in her mind"."""
    text, ws, out = s.doc.text, s.words, []
    for i, w in enumerate(ws):
        # a reality predicate under negation, a symptom (or a pronoun for one) its subject
        if w.is_(REAL) and not (i + 1 < len(ws) and ws[i + 1].low in ("or", "and")):
            triggers = negation.scope_triggers(text, w.start, s.start)
            if len(triggers) == 1:
                t0 = triggers[0]
                between = words_of(text, t0[1], w.start)
                subject = s.effect_between(s.start, w.start + 60) or any(x.is_(PRONOUNS) for x in words_of(text, s.start, t0[0]))
                lead = words_of(text, max(s.start, t0[0] - 24), t0[0])[-3:]
                predicative = any(x.is_(BE) for x in lead + between)  # "are not genuine", "cannot be real"
                hedge = _hedged(s.clause_text(w.start)) or not predicative
                if subject and not hedge and not any(x.is_(FINDING_VERBS) for x in between) and len(between) <= 5:
                    if not re.match(r"\s+(?:only|just|simply|merely|purely)\b", text[t0[1] : t0[1] + 9]):
                        end = w.end
                        if i + 1 < len(ws) and s.effect_between(ws[i + 1].start, ws[i + 1].end + 12):
                            end = s.effect_between(ws[i + 1].start, ws[i + 1].end + 12)[1]  # type: ignore[index]
                        out.append(_raw("denial-real", DUALISTIC, "high", t0[0], end, W_MIND, S_MIND, True))
        # "no identifiable physical cause", "without any organic basis" (not "none has been found yet")
        if w.low in ("no", "without", "lack", "lacks", "absence"):
            m = _ABSENCE.match(text, w.start)
            if m and not _FOUND_AFTER.match(text, m.end()) and not _FOUND_BEFORE.search(text, s.start, w.start):
                if not s.negated(w.start) and not _hedged(s.clause_text(w.start)):
                    out.append(_raw("no-organic-basis", DUALISTIC, "medium", m.start(), m.end(), W_DUAL, S_NOTHING_WRONG, True))
        # "nothing (physically) the matter with", "not anything physically wrong"
        if w.low in ("nothing", "anything") and re.match(
            r"\s+(?:\w+ly\s+)?(?:the\s+matter|wrong)\s+with\s+(?!\w+ing\b)", text[w.end : w.end + 50]
        ):
            if w.low == "nothing" or negation.scope_negated(text, w.start, s.start):
                m = re.match(r"\s+(?:\w+ly\s+)?(?:the\s+matter|wrong)\s+with", text[w.end :])
                assert m is not None
                if not s.negated(w.start):
                    out.append(
                        _raw("nothing-the-matter", DUALISTIC, "high", w.start, w.end + m.end(), W_MIND, S_NOTHING_WRONG, True)
                    )
        # restrictive + psychological predicate: "purely functional", "just emotional"
        if w.is_(RESTRICT) and i + 1 < len(ws) and ws[i + 1].is_(MIND_PRED):
            nxt = ws[i + 1]
            after = text[nxt.end : nxt.end + 30]
            if not re.match(
                r"\s+(?:and|or|as\s+well|impact|health|support|distress|well-?being|needs|side|effects?|toll|"
                r"aspects?|factors?|neurological|disorder|symptoms?|seizures?|reasons|terms|level)\b",
                after,
            ):
                if not s.negated(w.start) and not re.search(r"\bnot\s*$", text[max(s.start, w.start - 8) : w.start]):
                    out.append(_raw("restrict-psych", DUALISTIC, "medium", w.start, nxt.end, W_DUAL, S_MIND, True))
        # the mind as the only place or source: "exist only in her mind", "coming from his mind"
        if (
            w.is_(MIND_PLACE)
            and i >= 1
            and ws[i - 1].low in ("in", "from", "inside")
            or (w.is_(MIND_PLACE) and i >= 2 and ws[i - 2].low in ("in", "from", "inside"))
        ):
            prep = ws[i - 1] if ws[i - 1].low in ("in", "from", "inside") else ws[i - 2]
            lead = words_of(text, max(s.start, prep.start - 45), prep.start)
            restrictive = any(x.is_(RESTRICT) for x in lead[-3:])
            source = any(x.is_(MIND_SOURCE_VERBS) for x in lead[-3:]) and prep.low in ("from", "in")
            body = w.low == "head" and s.effect_between(max(s.start, prep.start - 20), prep.start)
            if (restrictive or source) and not body and not s.negated(prep.start):
                first = next((x for x in lead[-3:] if x.is_(RESTRICT) or x.is_(MIND_SOURCE_VERBS)), prep)
                out.append(_raw("mind-only", DUALISTIC, "high", first.start, w.end, W_MIND, S_MIND, True))
        # "non-organic", "functional / psychological overlay"
        if w.low in ("non-organic", "nonorganic", "inorganic") or (
            w.low in ("overlay", "overlays") and i > 0 and ws[i - 1].is_(MIND_PRED | _set("hysterical"))
        ):
            start = ws[i - 1].start if w.low.startswith("overlay") else w.start
            if not s.negated(start):
                out.append(_raw("non-organic", DUALISTIC, "medium", start, w.end, W_DUAL, S_MIND, True))
    return out


def _coercion(s: _Sentence) -> list[RawFinding]:
    """An obligation laid on the patient to accept, admit or stop: "you need to accept that"."""
    text, ws, out = s.doc.text, s.words, []
    for i, w in enumerate(ws):
        if not w.is_(ACCEPT) or i == 0:
            continue
        j = i - 1
        if ws[j].low == "to":
            j -= 1
        while j >= 0 and ws[j].low.endswith("ly") or (j >= 0 and ws[j].low in ("just", "now", "really", "simply")):
            j -= 1
        if j < 0:
            continue
        modal = ws[j]
        if not (modal.is_(OBLIGE) and (modal.low in ("must", "should") or ws[j + 1].low == "to" or modal.low == "got")):
            continue
        if modal.low in ("have", "has", "had") and ws[j + 1].low != "to":
            continue
        k = j - 1
        while k >= 0 and ws[k].low in ("will", "would", "just", "really", "therefore", "now", "simply", "also", "got"):
            k -= 1
        subject = ws[k] if k >= 0 else None
        if subject is not None and subject.is_(CLINICIAN):
            continue
        start = ws[k + 1].start if k + 1 < j else modal.start
        if s.negated(start) or _hedged(text[s.start : w.end]):
            continue
        out.append(_raw("coercion", COERCIVE, "medium", start, w.end, W_COERCE, S_COERCE, False))
    return out


def _blame(s: _Sentence) -> list[RawFinding]:
    """Blame: "brought this on herself", "making yourself ill", "refuses to engage", "ignored advice"."""
    text, ws, out = s.doc.text, s.words, []
    n = len(ws)
    for i, w in enumerate(ws):
        hit: tuple[str, int, int] | None = None
        if w.is_(_set("bring")):  # bring X on herself
            for j in range(i + 1, min(n, i + 6)):
                if ws[j].low == "on" and j + 1 < n and ws[j + 1].is_(REFLEXIVE):
                    hit = ("brought-on-self", w.start, ws[j + 1].end)
                    break
        elif w.is_(_set("make keep work talk worry")) and i + 1 < n and ws[i + 1].is_(REFLEXIVE):
            nxt = ws[i + 2] if i + 2 < n else None
            if nxt is not None and (nxt.is_(MAKE_ILL) or nxt.low in ("up", "into")):
                hit = ("making-self-ill", w.start, nxt.end)
        elif w.is_(REFUSE) and i + 2 < n and ws[i + 1].low == "to" and not ws[i + 2].is_(REFUSE_OK_NEXT):
            if not (w.is_(_set("decline")) or s.effect_between(max(s.start, w.start - 25), w.start)):
                hit = ("fails-to" if "fail" in w.lem else "refuses-to", w.start, ws[i + 2].end)
        elif w.is_(IGNORE) and any(x.is_(ADVICE) for x in ws[i + 1 : i + 4]):
            last = next(x for x in ws[i + 1 : i + 4] if x.is_(ADVICE))
            hit = ("ignores-advice", w.start, last.end)
        elif w.low == "help" and i + 1 < n and ws[i + 1].is_(REFLEXIVE) and i > 0:
            lead = text[max(s.start, w.start - 24) : w.start].lower()
            neg = re.search(
                r"(?:rather\s+than|instead\s+of|won't|will\s+not|doesn't|does\s+not|refus\w*\s+to)\s+(?:\w+\s+)?$", lead
            )
            if neg:
                hit = ("not-helping-self", w.start - len(lead) + neg.start(), ws[i + 1].end)
        elif w.low == "responsibility" and i > 0 and ws[i - 1].is_(_set("take")):
            lead = text[max(s.start, ws[i - 1].start - 24) : ws[i - 1].start].lower()
            neg = re.search(
                r"(?:won't|will\s+not|doesn't|does\s+not|refus\w*\s+to|not|never|unwilling\s+to)\s+(?:\w+\s+)?$", lead
            )
            if neg:
                hit = ("no-responsibility", ws[i - 1].start - len(lead) + neg.start(), w.end)
        elif w.is_(SABOTAGE) and any(x.low == "own" for x in ws[i + 1 : i + 3]):
            hit = ("sabotage", w.start, ws[min(n - 1, i + 3)].end)
        if hit is None:
            continue
        rule, a, b = hit
        if s.negated(a, (a, b)):
            continue
        out.append(_raw(rule, BLAMING, "medium", a, b, W_BLAME, S_BLAME, False))
    return out


def _labels(s: _Sentence) -> list[RawFinding]:
    """Pejorative labels in any inflection or spelling ("histrionic", "somatizers")."""
    out = []
    for w in s.words:
        if w.is_(LABELS) and not s.negated(w.start):
            feign = w.is_(_set("malinger malingerer"))
            out.append(
                _raw(
                    "label",
                    STIGMATISING,
                    "high",
                    w.start,
                    w.end,
                    W_FEIGN if feign else W_LABEL,
                    S_FEIGN if feign else S_LABEL,
                    feign,
                )
            )
    for m in LABEL_PHRASES.finditer(s.doc.text, s.start, s.end):
        if m.group().lower().startswith("put") and not s.effect_between(s.start, m.start()):
            continue
        if not s.negated(m.start()):
            out.append(_raw("label", STIGMATISING, "high", m.start(), m.end(), W_FEIGN, S_FEIGN, True))
    return out


_KIND_TRIGGERS = re.compile(
    r"caus|driv|trigg|produc|generat|explain|fuel|induc|provok|precipit|creat|underl|brought|bring|account|manifest|perpetu|"
    r"therefore|thus|hence|so\s|must|stem|result|aris|arose|origin|come|came|spring|sprang|deriv|behind|root|source|product|consequen|expression|outcome|"
    r"related|based|mediated|conversion|real|genuine|true|physical|organic|authentic|legitimate|bodily|structural|neurolog|"
    r"medical|matter|wrong|pure|entire|whol|sole|complete|total|just|only|simpl|mere|basic|all|mind|head|imagin|psyche|overlay|"
    r"accept|admit|acknowledg|face|realis|realiz|recogni|stop|quit|concede|refus|fail|neglect|ignor|disregard|flout|reject|"
    r"dismiss|help|responsib|sabotag|undermin|histrion|somati|hypochondri|maling|heart|hyster|manipul|neuroti|attention|"
    r"waster|whing|moan|drama|theatric|supratent|crock|put\s+on|no\s|without|lack|absence|herself|himself|themsel|yoursel|oursel|myself|oneself",
    re.IGNORECASE,
)


def might_claim(text: str) -> bool:
    """Whether ``text`` holds any word a structural claim needs (else none can be found)."""
    return _KIND_TRIGGERS.search(text) is not None
