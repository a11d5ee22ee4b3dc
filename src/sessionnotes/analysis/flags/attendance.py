"""Missed and cancelled appointments: a DNA at the start of the work, or absences that repeat.

Attendance is never turned into an engagement score and no suggestion proposes ending therapy
because of absences (Balabanovic 2017). Each absence's recorded reason is classified (a clashing
medical appointment, a symptom flare, access, forgetting, ambivalence) so the suggestion fits it;
the same classifier tells the treatment-burden detector which absences were clashes.
"""

from __future__ import annotations

from collections import Counter

from ..cache import AnalysisCache
from ..text import matching
from ..textfacts import text_fact
from .facts import ABSENT, DetectorInput, make_flag, session_label, span_label, window_counts
from .model import Evidence, Flag
from .phrases import Phrases, words

_REASONS: tuple[tuple[str, Phrases], ...] = (
    (
        "clashing medical appointment",
        words(
            r"hospital",
            r"(?:gp|medical|clinic|outpatient|consultant|hospital|physio\w*|dental|dentist|specialist)\s+appointments?",
            r"appointments?\s+(?:at|with)\s+\w+",
            r"clinic",
            r"consultant",
            r"scan",
            r"mri",
            r"x-?ray",
            r"physio\w*",
            r"blood\s+tests?",
            r"a&e",
            r"procedure",
            r"operation",
            r"surgery",
            r"clash\w*",
            r"another\s+appointment",
            r"rheumatology",
            r"neurology",
            r"cardiology",
            r"gastro\w*",
            r"pain\s+clinic",
            r"endoscopy",
            r"colonoscopy",
            family="reasons",
        ),
    ),
    (
        "symptom flare",
        words(
            r"flare\w*",
            r"pain",
            r"painful",
            r"unwell",
            r"ill",
            r"sick",
            r"migraine",
            r"headache",
            r"fatigue",
            r"exhausted",
            r"too\s+tired",
            r"bad\s+day",
            r"symptoms?",
            r"poorly",
            r"bed",
            r"dizzy",
            r"dizziness",
            r"vomiting",
            r"nausea",
            r"seizures?",
            r"couldn't\s+get\s+up",
            r"could\s+not\s+get\s+up",
            r"bad\s+night",
            r"infection",
            r"covid",
            r"virus",
            family="reasons",
        ),
    ),
    (
        "access",
        words(
            r"transport",
            r"bus",
            r"train",
            r"taxi",
            r"car",
            r"parking",
            r"travel\w*",
            r"childcare",
            r"school",
            r"work",
            r"weather",
            r"snow",
            r"mobility",
            r"stairs",
            r"lift",
            r"carer",
            r"caring",
            r"money",
            r"cost",
            family="reasons",
        ),
    ),
    (
        "forgot",
        words(
            r"forgot",
            r"forgotten",
            r"overslept",
            r"wrong\s+(?:day|time)",
            r"mix-?up",
            r"confused\s+about",
            r"double[- ]booked",
            family="reasons",
        ),
    ),
    (
        "ambivalence",
        words(
            r"(?:didn't|did\s+not)\s+(?:want|feel\s+like)",
            r"not\s+sure",
            r"ambivalen\w*",
            r"pointless",
            r"no\s+point",
            r"not\s+ready",
            r"changed\s+(?:her|his|their)\s+mind",
            r"not\s+helping",
            r"doesn't\s+help",
            r"too\s+much",
            family="reasons",
        ),
    ),
)


def absence_reason(text: str, cache: AnalysisCache | None = None) -> str:
    """The kind of reason recorded for an absence ("symptom flare", ...; "other", or "reason not known")."""
    text = text.strip()
    if not text:
        return "reason not known"
    return text_fact(cache.facts if cache is not None else None, "absence-reason", text, lambda: _read_reason(text, cache))


def _read_reason(text: str, cache: AnalysisCache | None) -> str:
    info = matching.text_info(text, cache)
    for name, rx in _REASONS:
        if rx.spans(text, info):
            return name
    return "other"


R_DNA = (
    "Attendance is not the same as engagement (Balabanovic 2017), but the risk of losing contact is highest at the "
    "first appointment and the one after (Balabanovic 2017, sub-category 4.1.1 “Initial attendance”), and clinicians "
    "raise absences that happen more than once rather than leave them unspoken (Balabanovic 2017)."
)


def _dna_suggestion(early: bool, reasons: Counter[str]) -> str:
    parts = []
    if early:
        parts.append(
            "Early on, a phone call or an opt-in letter can help, and so can asking the GP to support the "
            "referral or to offer a joint appointment (Balabanovic 2017, sub-category 5.2 “Collaboration about referrals”)."
        )
    if reasons.get("symptom flare"):
        parts.append(
            "Where symptoms kept the patient away, consider phone or video on bad days (Jackson 2023, “The treatment plan”), and "
            "talk openly about how a bad day can make coming harder, and sometimes more worthwhile (Balabanovic 2017)."
        )
    if reasons.get("clashing medical appointment"):
        parts.append(
            "Where medical appointments clashed, it may help to look at scheduling and the overall treatment burden "
            "together (Jackson 2023, “Treatment burden”)."
        )
    if reasons.get("reason not known") or reasons.get("forgot") or reasons.get("ambivalence") or reasons.get("other"):
        parts.append(
            "Perhaps name the pattern warmly and be curious about it together: the reason given may sit "
            "beside a harder one, such as difficulty leaving the house or worry about therapy itself (Balabanovic 2017)."
        )
    parts.append(
        "Recording the reason for each absence keeps the picture fair; absences are something to explore, not to count "
        "against the patient."
    )
    return " ".join(parts)


def dna_pattern(case: DetectorInput) -> list[Flag]:
    """A DNA among the first appointments, or absences (DNA or cancelled by the patient) close together."""
    facts, thresholds = case.sessions, case.thresholds
    if not facts:
        return []
    early = [f for f in facts[: thresholds.dna_early_appointments] if f.attendance == "dna"]
    absent_idx = {f.index for f in facts if f.attendance in ABSENT}
    repeated = window_counts(facts, absent_idx, thresholds.absence_window, thresholds.absence_repeat)
    if not early and not repeated:
        return []
    involved = sorted({f.index: f for f in early + (repeated or [])}.values(), key=lambda f: f.index)
    # show every absence, not only the window, so the reasons are all in view
    all_absences = [f for f in facts if f.attendance in ABSENT]
    evidence = []
    reasons: Counter[str] = Counter()
    for f in all_absences:
        reason_text = f.texts.get("attendance_reason", "")
        reason = absence_reason(reason_text, case.cache)
        reasons[reason] += 1
        what = "did not attend" if f.attendance == "dna" else "cancelled by the patient"
        detail = f"{what}; reason: {reason_text.strip() or 'not recorded'} ({reason})"
        evidence.append(Evidence(f.session_id, f.date, "attendance", detail))
    parts = []
    if early:
        missed = " and ".join(session_label(f) for f in early)
        parts.append(f"did not attend {missed}, among the first {thresholds.dna_early_appointments} appointments")
    if repeated:
        parts.append(f"{len(all_absences)} absences in all, {len(repeated)} of them close together ({span_label(repeated)})")
    summary = "Attendance pattern: " + "; ".join(parts) + "."
    severity = "high" if early else "medium"
    return [
        make_flag(
            "dna-pattern",
            severity,
            involved,
            evidence,
            R_DNA,
            _dna_suggestion(bool(early), reasons),
            summary,
            anchor=involved[0].session_id,
        )
    ]
