"""Client-level patterns: 'untreatable' labelling, goals that point different ways, treatment burden.

What a clinician checks about the client as a whole rather than about a run of sessions: the
therapist's own text calling the patient or the work "untreatable" (anywhere: notes, client record,
formulation; Balabanovic 2017, sub-category 7.5); a referrer's goal about health-care use against a
patient's hope for relief from the symptoms (Balabanovic 2017; Wortman et al. 2022); and the load of
other services and appointments the patient is carrying (Jackson 2023, “Treatment burden”).
"""

from __future__ import annotations

import re
from functools import partial
from typing import Any

from ..cache import AnalysisCache
from ..language import untreatable_labels
from ..text import matching
from ..text.negation import negated
from ..textfacts import text_fact
from .attendance import absence_reason
from .facts import (
    ABSENT,
    CLIENT_TEXT_FIELDS,
    DetectorInput,
    SessionFacts,
    as_date,
    as_text,
    make_flag,
    read_field,
    versions,
)
from .model import Evidence, Flag
from .phrases import hits, words

# ---------------------------------------------------------------------------------------------
# 'Untreatable' labelling
# ---------------------------------------------------------------------------------------------

R_UNTREATABLE = (
    "Labelling a patient 'untreatable' is over-generalised: it ignores the fit between patient and approach and "
    "a readiness that can change over time, and it can be a sign of the therapist's own exhaustion acting out "
    "(Balabanovic 2017, sub-categories 5.3 and 7.5)."
)
S_UNTREATABLE = (
    "It may help to take this to supervision and to describe instead what has and has not helped so far and what might "
    "fit better now, e.g. a more practical, self-management focus (Balabanovic 2017, sub-category 7.5 “Managing "
    "therapeutic impasse”)."
)


class UntreatableGate:
    """A cheap substring pre-check: only texts holding one of these stems can carry an
    'untreatable' label (every alternative of the language checker's untreatable rule contains
    one; a test checks it). Nothing is remembered."""

    STEMS = ("treat", "beyond", "hopeless", "lost cause", "helpable", "reachable", "helped", "impossible", "be done", "no point")

    def possible_any(self, texts: list[str]) -> bool:
        """``any(self.possible(t) for t in texts)`` in one pass (no stem spans a separator)."""
        low = "\x00".join(texts).lower()
        return any(map(low.__contains__, self.STEMS))

    def possible(self, text: str) -> bool:
        """Whether ``text`` could hold an 'untreatable' label."""
        if not text:
            return False
        low = text.lower()
        return any(map(low.__contains__, self.STEMS))


UNTREATABLE_GATE = UntreatableGate()


def _labels(text: str, cache: AnalysisCache) -> list[str]:
    """'Untreatable' labels in a text, not counting quoted words (a fact of the text)."""
    if not text or not text.strip():
        return []
    return text_fact(cache.facts, "untreatable-labels", text, lambda: _read_labels(text, cache))


def _read_labels(text: str, cache: AnalysisCache) -> list[str]:
    return [finding.matched for finding in untreatable_labels(text, cache) if not finding.quoted]


def _note_labels(text: str, cache: AnalysisCache) -> list[str]:
    """:func:`_labels` of a session's note, the gate included in the fact: a note without any of
    the gate's stems is known to hold no label from the stored facts, without reading it again."""
    if not text or not text.strip():
        return []
    return text_fact(
        cache.facts,
        "untreatable-labels",
        text,
        lambda: _read_labels(text, cache) if UNTREATABLE_GATE.possible(text) else [],
    )


_SHORT_NAMES = ("private_note", "plan", "homework", "feelings_other", "addenda", "themes")
"""The session texts read for labels beside the note (short, so gated by a substring check)."""


def untreatable(case: DetectorInput) -> list[Flag]:
    """'Untreatable' and its variants in the therapist's own text (not when quoted)."""
    client, facts, formulation = case.client, case.sessions, case.formulation
    evidence: list[Evidence] = []
    involved: dict[int, SessionFacts] = {}
    for f in facts:
        texts = f.texts
        in_note = _note_labels(texts.get("note", ""), case.cache)
        if not in_note and not UNTREATABLE_GATE.possible_any([texts.get(n, "") for n in _SHORT_NAMES]):
            continue
        for matched in in_note:
            evidence.append(Evidence(f.session_id, f.date, "note", matched))
            involved[f.index] = f
        for name in _SHORT_NAMES:
            for matched in _labels(texts.get(name, ""), case.cache):
                evidence.append(Evidence(f.session_id, f.date, name, matched))
                involved[f.index] = f
    for name in CLIENT_TEXT_FIELDS:
        for matched in _labels(as_text(read_field(client, name, "")), case.cache):
            evidence.append(Evidence("", None, f"client.{name}", matched))
    for item in formulation or []:
        current = versions(item)[-1]
        for matched in _labels(as_text(read_field(current, "text", "")), case.cache):
            evidence.append(Evidence("", as_date(read_field(current, "at", None)), "formulation", matched))
    if not evidence:
        return []
    sessions = sorted(involved.values(), key=lambda f: f.index)
    words = ", ".join(dict.fromkeys(f"'{e.phrase}'" for e in evidence))
    summary = f"The therapist's own text calls the work or the patient {words}."
    return [make_flag("untreatable-label", "high", sessions, evidence, R_UNTREATABLE, S_UNTREATABLE, summary, anchor="client")]


# ---------------------------------------------------------------------------------------------
# Goal conflict
# ---------------------------------------------------------------------------------------------

_REF_UTILISATION = words(
    r"(?:reduc\w*|fewer|less|cut(?:ting)?\s+down|stop\w*|decreas\w*|lower\w*|limit\w*|manag\w*|curb\w*)\b[^.;\n]{0,40}?"
    r"\b(?:attendance|attending|attends|appointments|consultations|visits|a&e|gp\s+use|use\s+of\s+(?:services|the\s+gp|a&e|the\s+practice)|"
    r"requests?|investigations|tests|scans|referrals|presentations|calls|contacts?|health[- ]?care\s+use|utili[sz]ation|"
    r"demands?|help[- ]seeking|reassurance[- ]seeking)",
    r"health[- ]seeking\s+behaviou?rs?",
    r"frequent(?:ly)?\s+attend\w*",
    r"reassurance[- ]seeking",
    r"stop\s+(?:asking|requesting|seeking)",
    r"no\s+(?:further|more)\s+(?:tests|investigations|referrals)",
    r"(?:accept\w*|understand\w*|come\s+to\s+terms\s+with)\b[^.;\n]{0,40}?\b(?:no\s+(?:further|more)\s+(?:tests|investigations)|"
    r"(?:there\s+is\s+)?no\s+(?:physical|organic|medical|underlying)\s+(?:cause|explanation|disease)|psychological|emotional|"
    r"stress|anxiety|(?:results|tests)\s+(?:are|were)\s+normal|nothing\s+(?:is\s+)?(?:physically\s+)?wrong)",
    family="client",
)
_REF_PSYCH = words(
    r"low\s+mood",
    r"depress\w*",
    r"anxi\w*",
    r"health\s+anxiety",
    r"coping",
    r"cope",
    r"mood",
    r"emotional\w*",
    r"psycholog\w*",
    r"stress\w*",
    r"trauma\w*",
    r"grief",
    r"bereavement",
    r"adjustment",
    r"mental\s+health",
    r"worry",
    family="client",
)
_PAT_RELIEF = words(
    r"pain[- ]free",
    r"symptom[- ]free",
    r"get\s+rid\s+of",
    r"(?:make|get)\s+(?:the\s+|my\s+|her\s+|his\s+)?(?:pain|symptoms?|it|them)\s+(?:to\s+)?(?:go\s+away|stop|disappear)",
    r"(?:pain|symptoms?|seizures|attacks|dizziness|fatigue)\s+(?:to\s+)?(?:go\s+away|stop|"
    r"disappear|gone|ease)",
    r"cure\w*",
    r"fix(?:ed)?",
    r"(?:get\s+)?back\s+to\s+normal",
    r"(?:be\s+)?better\s+again",
    r"(?:less|no\s+more|no|reduce\w*|relief\s+from|relieve|ease)\s+(?:the\s+|my\s+|her\s+|his\s+)?(?:pain|symptoms?|fatigue|dizziness|"
    r"seizures|attacks|headaches?|migraines?)",
    r"stop\s+the\s+(?:pain|seizures|attacks|symptoms)",
    r"pain\s+relief",
    r"feel\s+(?:physically\s+)?well\s+again",
    r"(?:get|be)\s+well",
    family="client",
)
_PAT_DIAGNOSIS = words(
    r"diagnos\w*",
    r"find\s+out\s+what(?:'s|\s+is)\s+(?:wrong|causing)",
    r"what(?:'s|\s+is)\s+(?:wrong|causing)",
    r"the\s+cause",
    r"more\s+tests",
    r"further\s+(?:tests|investigations)",
    r"(?:another|a\s+second)\s+opinion",
    r"(?:a|another|new)\s+(?:scan|referral|specialist)",
    r"answers",
    r"to\s+be\s+(?:believed|taken\s+seriously)",
    family="client",
)
_PAT_COPING = words(
    r"cope",
    r"coping",
    r"manage",
    r"managing",
    r"live\s+with",
    r"living\s+with",
    r"quality\s+of\s+life",
    r"understand\w*",
    r"make\s+sense",
    r"get\s+back\s+to\s+(?!normal)\w+",
    r"return\s+to",
    r"do\s+more",
    r"enjoy\w*",
    r"feel\s+less\s+(?:low|anxious|down|worried)",
    r"mood",
    r"confidence",
    r"worry\s+less",
    r"sleep",
    r"pacing",
    r"relationship",
    r"family",
    r"work",
    family="client",
)
_PAT_NOT_PSYCH = words(
    r"(?:not|nothing)\s+(?:psychological|in\s+(?:my|her|his)\s+head|mental)",
    r"(?:don't|do\s+not|doesn't)\s+need\s+(?:a\s+)?(?:psycholog\w*|therap\w*|counsell\w*)",
    r"(?:not|isn't)\s+(?:a\s+)?mental\s+health",
    r"talking\s+(?:won't|will\s+not|can't|cannot)\s+(?:help|change)",
    family="client",
)
R_GOALS = (
    "GPs often refer because of health-care use (frequent attendance, requests for tests) while patients come hoping "
    "for relief from their symptoms; this goal conflict shapes engagement and is worth naming early "
    "(Balabanovic 2017, category 1; Wortman et al. 2022)."
)
S_GOALS = (
    "It may help to talk openly about what each hopes for and to agree goals in the patient's own words, for example "
    "living better with the symptoms, while being honest that therapy is not a cure (Balabanovic 2017; Wortman et al. "
    "2022); the agreed goals can then be shared with the GP."
)


def goal_conflict(case: DetectorInput) -> list[Flag]:
    """The referrer's goal (or the referral) and the patient's goal pointing different ways."""
    client = case.client
    referrer = as_text(read_field(client, "referrer_goal", "")).strip()
    patient = as_text(read_field(client, "patient_goal", "")).strip()
    if not patient:
        return []
    fallback = " ".join(as_text(read_field(client, n, "")) for n in ("referral_positioning", "referral_source"))
    ref_util = hits(_REF_UTILISATION, referrer, case.cache, negatable=False) or (
        not referrer and hits(_REF_UTILISATION, fallback, case.cache, negatable=False)
    )
    ref_psych = hits(_REF_PSYCH, referrer, case.cache, negatable=False)
    relief = hits(_PAT_RELIEF, patient, case.cache, negatable=False) + hits(_PAT_DIAGNOSIS, patient, case.cache, negatable=False)
    coping = hits(_PAT_COPING, patient, case.cache, negatable=False)
    not_psych = hits(_PAT_NOT_PSYCH, patient, case.cache, negatable=False)
    reasons = []
    if ref_util and relief:
        reasons.append("the referral is about use of health care, the patient's hope is about the symptoms themselves")
    elif ref_psych and relief and not coping:
        reasons.append("the referral names psychological goals, the patient's goal is about the symptoms themselves")
    if not_psych and (ref_util or ref_psych or referrer):
        reasons.append("the patient does not see a psychological side to the problem")
    if not reasons:
        return []
    evidence = []
    if referrer:
        evidence.append(Evidence("", as_date(read_field(client, "referral_date", None)), "referrer_goal", referrer))
    elif ref_util:
        evidence.append(
            Evidence("", as_date(read_field(client, "referral_date", None)), "referral_positioning", fallback.strip())
        )
    evidence.append(Evidence("", None, "patient_goal", patient))
    summary = "The referrer's and the patient's goals point different ways: " + "; ".join(reasons) + "."
    return [make_flag("goal-conflict", "medium", [], evidence, R_GOALS, S_GOALS, summary, anchor="client")]


# ---------------------------------------------------------------------------------------------
# Treatment burden
# ---------------------------------------------------------------------------------------------

_SPLIT_SERVICES = matching.LazyPattern(r"[,;\n/+•·]|\s+(?:and|&|plus)\s+|\s+-\s+", re.IGNORECASE)
_NOT_A_SERVICE = matching.LazyPattern(r"^\s*(?:none|n/?a|nil|no|not\s+known|unknown|-|—)?\s*[.]?\s*$", re.IGNORECASE)
_BURDEN = words(
    r"(?:so\s+many|too\s+many|lots\s+of|a\s+lot\s+of|endless|constant|back-to-back|multiple|several)\s+(?:hospital\s+|medical\s+|health\s+)?"
    r"(?:appointments|clinics|professionals|specialists|referrals|investigations|services)",
    r"tired\s+of\s+(?:the\s+|all\s+the\s+)?(?:appointments|hospitals?|clinics|the\s+system|being\s+(?:poked|prodded|referred|tested|passed))",
    r"exhausted\s+by\s+(?:the\s+|all\s+the\s+)?(?:appointments|hospital|system|clinics|tests)",
    r"(?:another|yet\s+another)\s+(?:hospital\s+)?(?:appointment|referral|clinic)",
    r"back\s+and\s+forth\s+(?:to|between)",
    r"confus(?:ed|es|ing)\s+(?:me\s+with|who|about\s+who|which\s+(?:professional|clinician|service))",
    r"clash(?:es|ed|ing)?\s+with\s+(?:a|her|his|their|another)",
    r"juggl(?:e|es|ing)\s+(?:appointments|clinics)",
    r"poked\s+and\s+prodded",
    r"passed\s+(?:from|between)\s+(?:service|clinic|department)s?",
)
R_BURDEN = (
    "People living with persistent and long-term symptoms often have many medical appointments that take priority and "
    "can clash with therapy; many professionals can be confusing, and patients can be tired of the system (Jackson "
    "2023, “Treatment burden”)."
)
S_BURDEN = (
    "Consider whether now is the right time and which format fits: fewer or shorter sessions, phone or video, or "
    "timing around other appointments; liaising with the other services and introducing yourself each time can "
    "help (Jackson 2023, “Treatment burden”)."
)


_FREQUENCY = matching.LazyPattern(
    r"\b(?:weekly|monthly|fortnightly|daily|yearly|annual(?:ly)?|regular(?:ly)?|every\s+\w+(?:\s+weeks?|\s+months?)?|"
    r"twice|once|a\s+(?:week|month)|per\s+(?:week|month)|\d+\s*x|appointments?\s+(?:with|at)|the|her|his|their|with|at)\b",
    re.IGNORECASE,
)


_ENTRIES = matching.LazyPattern(r"[,;\n•·]")
_ENDED = matching.LazyPattern(
    r"\b(?:discharged|ended|finished|completed|stopped|closed|former(?:ly)?|previous(?:ly)?|past|used\s+to|"
    r"no\s+longer|not\s+(?:any\s+more|anymore|now|currently)|until\s+(?:\d|last|early|mid|late|jan|feb|mar|apr|may|jun|"
    r"jul|aug|sep|oct|nov|dec)|in\s+the\s+past|(?:was|were)\s+(?:under|seeing|seen|referred|attending)|saw\s+\w+\s+in\s+\d{4}|"
    r"declined|waiting\s+list\s+closed|signed\s+off|awaiting\s+discharge\s+letter)\b",
    re.IGNORECASE,
)
"""An entry about a service that is over (discharged, finished, "used to see"): not a current load."""


def _current_parts(text: str) -> list[str]:
    """The parts of a services field that are current: each entry (split at commas, semicolons and
    lines) is dropped whole when it says the service has ended, then split into single services."""
    parts: list[str] = []
    for entry in _ENTRIES.split(text):
        if _ENDED.search(entry):
            continue
        parts += _SPLIT_SERVICES.split(entry)
    return parts


def _services(client: Any) -> list[str]:
    """Current other services or appointment streams listed on the client, de-duplicated loosely
    ("weekly physio" and "physiotherapy" count once); ones the patient was discharged from or no
    longer attends are left out."""
    items: list[str] = []
    keys: set[str] = set()
    for name in ("concurrent_appointments", "other_professionals"):
        for part in _current_parts(as_text(read_field(client, name, ""))):
            part = part.strip(" .:-\t")
            if not part or _NOT_A_SERVICE.match(part):
                continue
            key = re.sub(r"[^a-z]", "", _FREQUENCY.sub(" ", part.lower()))[:6]
            if key and key not in keys:
                keys.add(key)
                items.append(part)
    return items


_OWN_AFTER = matching.LazyPattern(
    r"^[^.;\n]{0,25}?\b(?:with\s+(?:me|us|myself|the\s+therapist)|here|in\s+(?:this|our|my)\s+(?:service|clinic|team)|"
    r"for\s+(?:therapy|our\s+work|our\s+sessions))\b",
    re.IGNORECASE,
)
_OWN_BEFORE = matching.LazyPattern(
    r"(?:\b(?:I|we)\s+(?:[\w'-]+\s+){0,3}?(?:offered|booked|arranged|made|gave|scheduled|suggested|agreed|set\s+up)|"
    r"(?:^|[.;\n])\s*(?:offered|booked|arranged|scheduled|agreed)(?:\s+(?:her|him|them))?)\b[^.;\n]{0,20}$",
    re.IGNORECASE,
)


def _burden_evidence(f: SessionFacts, cache: AnalysisCache | None) -> list[Evidence]:
    """Notes on the load of appointments, leaving out the therapist's own offer of another session
    ("offered another appointment with me") and the reason for a cancellation by the therapist."""
    out = []
    for name in ("note", "private_note", "attendance_reason"):
        if name == "attendance_reason" and f.attendance == "cancelled-by-therapist":
            continue
        text = f.texts.get(name, "")
        if not text or not hits(_BURDEN, text, cache):
            continue
        found: list[str] = text_fact(
            cache.facts if cache else None, "treatment-burden", text, partial(_burden_phrases, text, cache)
        )
        for phrase in found:
            out.append(Evidence(f.session_id, f.date, name, phrase))
    return out


def _burden_phrases(text: str, cache: AnalysisCache | None) -> list[str]:
    out = []
    for a, b in _BURDEN.spans(text, matching.text_info(text, cache)):
        if negated(text, a):
            continue
        before = ("\x00" if a > 60 else "") + text[max(0, a - 60) : a]  # \x00: not a sentence start
        if _OWN_AFTER.search(text[b : b + 60]) or _OWN_BEFORE.search(before):
            continue
        out.append(text[a:b].strip())
    return out


def treatment_burden(case: DetectorInput) -> list[Flag]:
    """Many other services, absences for clashing appointments, or notes on the load of appointments."""
    client, facts, thresholds = case.client, case.sessions, case.thresholds
    services = _services(client)
    clashes = [
        f
        for f in facts
        if f.attendance in ABSENT
        and absence_reason(f.texts.get("attendance_reason", ""), case.cache) == "clashing medical appointment"
    ]
    phrase_sessions: dict[int, list[Evidence]] = {}
    for f in facts:
        ev = _burden_evidence(f, case.cache)
        if ev:
            phrase_sessions[f.index] = ev
    n_services, n_clash, n_phrase = len(services), len(clashes), len(phrase_sessions)
    triggered = (
        (thresholds.burden_services and n_services >= thresholds.burden_services)
        or (thresholds.burden_clashes and n_clash >= thresholds.burden_clashes)
        or (thresholds.burden_phrase_sessions and n_phrase >= thresholds.burden_phrase_sessions)
        or ((n_clash + n_phrase) >= 1 and n_services >= max(thresholds.burden_services - 2, 1))
    )
    if not triggered:
        return []
    evidence = []
    if services:
        listed = "; ".join(services)
        evidence.append(Evidence("", None, "client.services", f"{n_services} other services or appointment streams: {listed}"))
    for f in clashes:
        evidence.append(Evidence(f.session_id, f.date, "attendance", f"missed: {f.texts.get('attendance_reason', '').strip()}"))
    for k in sorted(phrase_sessions):
        evidence += phrase_sessions[k]
    involved = sorted({f.index: f for f in clashes + [facts[k] for k in phrase_sessions]}.values(), key=lambda f: f.index)
    bits = []
    if services:
        bits.append(f"{n_services} other services involved")
    if clashes:
        bits.append(f"{n_clash} session(s) missed for clashing medical appointments")
    if phrase_sessions:
        bits.append(f"the load of appointments mentioned in {n_phrase} session note(s)")
    summary = "Treatment burden: " + ", ".join(bits) + "."
    return [
        make_flag(
            "treatment-burden",
            "low" if not clashes else "medium",
            involved,
            evidence,
            R_BURDEN,
            S_BURDEN,
            summary,
            anchor="client",
        )
    ]
