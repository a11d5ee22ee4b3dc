"""The therapeutic process: the therapist's own difficult feelings, pushing too hard, ruptures, impasse.

The patterns a clinician takes to supervision about how the work itself is going (Balabanovic
2017, sub-categories 7.3 “Balancing and pacing” and 7.5 “Managing therapeutic impasse”): boredom,
irritation or hopelessness in the therapist recurring (with a tacit-dualism self-check); deeper
ideas offered before the alliance can hold them and followed by rupture, anger or a missed session;
and runs of sessions at one stage with no sign of engagement. A rupture with no repair recorded after
it is in :mod:`.ruptures` (the one place ruptures are paired with their repairs), re-exported here.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from ..cache import AnalysisCache
from ..language import tacit_dualism_markers
from ..text import matching
from ..text.negation import negated
from ..textfacts import text_fact
from .attendance import absence_reason
from .engagement import is_positive
from .facts import (
    ABSENT,
    EARLY_STAGES,
    NUDGING,
    DetectorInput,
    SessionFacts,
    as_date,
    as_text,
    enum_value,
    make_flag,
    read_field,
    session_label,
    span_label,
    versions,
    window_counts,
)
from .model import Evidence, Flag, Thresholds
from .phrases import Phrases, hits, phrase_evidence, words
from .ruptures import RuptureRepair as RuptureRepair  # re-exported: the flags package's API
from .ruptures import ruptures_and_repairs as ruptures_and_repairs
from .ruptures import unrepaired_rupture as unrepaired_rupture

# ---------------------------------------------------------------------------------------------
# Negative countertransference (with the tacit-dualism self-check)
# ---------------------------------------------------------------------------------------------

NEGATIVE_FEELINGS = frozenset({"bored", "irritated", "hopeless", "helpless", "overwhelmed"})
"""The ticked feelings (values of the session's ``feelings``) that count as difficult."""
_NEG_WORDS = (
    r"bored", r"boredom", r"irritat(?:ed|ion|able)", r"frustrat(?:ed|ion)", r"hopeless(?:ness)?", r"helpless(?:ness)?",
    r"overwhelm(?:ed)?", r"drained", r"exhausted", r"dread(?:ed|ing)?", r"fed\s+up", r"switched\s+off", r"disengaged",
    r"disconnected", r"sleepy", r"clock[- ]watching", r"resent(?:ful|ment)", r"angry", r"annoyed", r"impatient",
    r"de-?skilled", r"useless", r"inadequate", r"powerless", r"heart[- ]?sink", r"stuck", r"weary", r"numb",
)  # fmt: skip
_NEG_OTHER = words(*_NEG_WORDS)
NEGATIVE_FIRST_PERSON = Phrases(
    r"(?:\b(?:I|I'm|I've|I\s+was|myself|me)\b[^.;\n]{0,50}?|\bin\s+me\b[^.;\n]{0,10}?|^\s*(?:feeling|felt)\s+)"
    r"(?<![\w-])(?:" + "|".join(_NEG_WORDS) + r")(?![\w-])",
    r"(?<![\w-])(?:" + "|".join(_NEG_WORDS) + r")(?![\w-])\s+(?:feeling\s+)?in\s+me\b",
    whole_words=False,
    flags=re.IGNORECASE | re.MULTILINE,
)
"""Negative feelings in the therapist's private note, only where the note is about the therapist
("I felt bored", "a heart-sink feeling in me"), not the patient."""
NEGATIVE_FIRST_PERSON.accelerate(0, r"(?<![\w-])(?:" + "|".join(_NEG_WORDS) + r")(?![\w-])", reach=60, flags=re.MULTILINE)
"""Every match of the first pattern ends with one of the words, which starts at most 56 characters
after the match does ("myself" and 50 more) unless the text has a run of spaces: the regex is only
tried from shortly before each such word instead of at every "I" and "me" of the note."""


def first_person_feelings(private: str, cache: AnalysisCache | None = None) -> tuple[str, ...]:
    """The therapist's own negative feelings in a private note (negated ones dropped), kept in
    ``cache.text`` (keyed by the note) when a cache is given."""
    if not private:
        return ()
    found = text_fact(
        cache.facts if cache is not None else None,
        "first-person-feelings",
        private,
        lambda: [
            private[a:b].strip()
            for a, b in NEGATIVE_FIRST_PERSON.spans(private, matching.text_info(private, cache))
            if not negated(private, b - len(private[a:b].split()[-1]))
        ],
    )
    return tuple(found)


R_CT = (
    "Boredom, irritation, hopelessness, helplessness or overwhelm recurring over sessions are common when the "
    "work is repeatedly thwarted; under that strain clinicians can slip into tacit dualism, psychologising the "
    "symptoms and losing sight of the physical suffering (Balabanovic 2017, sub-categories 4.5 “Holism versus tacit "
    "dualism” and 7.5 “Managing therapeutic impasse”)."
)
S_CT = (
    "Consider taking this to supervision. Tacit-dualism self-check: in recent notes, letters or formulation, "
    "have the symptoms started to sound less real, or purely psychological? Is the physical suffering still in "
    "view, and is the pace still the patient's? (Balabanovic 2017, sub-category 4.5 “Holism versus tacit dualism”)"
)


def _tacit_markers(text: str, cache: AnalysisCache) -> list[str]:
    """The tacit-dualism wording in a text, not counting quoted words (a fact of the text)."""
    if not text or not text.strip():
        return []
    return text_fact(
        cache.facts,
        "tacit-dualism-markers",
        text,
        lambda: [finding.matched for finding in tacit_dualism_markers(text, cache) if not finding.quoted],
    )


def negative_countertransference(case: DetectorInput) -> list[Flag]:
    """The therapist's own difficult feelings recurring, with a tacit-dualism self-check."""
    thresholds = case.thresholds
    held = case.held
    evidence: dict[int, list[Evidence]] = {}
    for f in held:
        ev = []
        feelings = [enum_value(x) for x in (read_field(f.session, "feelings", []) or [])]
        negative = [x for x in feelings if x in NEGATIVE_FEELINGS]
        if negative:
            ev.append(Evidence(f.session_id, f.date, "feelings", ", ".join(negative)))
        other = f.texts.get("feelings_other", "")
        ev += [Evidence(f.session_id, f.date, "feelings_other", p) for p in hits(_NEG_OTHER, other, case.cache)]
        private = f.texts.get("private_note", "")
        ev += [Evidence(f.session_id, f.date, "private_note", p) for p in first_person_feelings(private, case.cache)]
        if ev:
            evidence[f.index] = ev
    group = window_counts(held, set(evidence), thresholds.countertransference_window, thresholds.countertransference_count)
    if not group:
        return []
    ev = [e for f in group for e in evidence[f.index]]
    tacit = []
    for f in group:
        for name in ("note", "private_note", "plan"):
            for matched in _tacit_markers(f.texts.get(name, ""), case.cache):
                tacit.append(Evidence(f.session_id, f.date, name, f"tacit-dualism marker: '{matched}'"))
    ev += tacit
    severity = "high" if tacit else "medium"
    named = ", ".join(sorted({w for e in ev if e.field == "feelings" for w in e.phrase.split(", ")})) or "difficult feelings"
    summary = f"Therapist's own difficult feelings recorded in {len(group)} sessions ({span_label(group)}): {named}."
    if tacit:
        summary += f" {len(tacit)} possible tacit-dualism wording(s) in the notes of those sessions."
    return [make_flag("negative-countertransference", severity, group, ev, R_CT, S_CT, summary)]


# ---------------------------------------------------------------------------------------------
# Pushing too hard / premature interpretation
# ---------------------------------------------------------------------------------------------

_DEEP_LAYERS = frozenset({"L4", "L5"})
_SHARED = frozenset({"shared", "shared-in-part"})
_INTERPRETATION = words(
    r"(?:suggested|offered|proposed|wondered\s+aloud|interpreted|linked|made\s+(?:a|the)\s+link|"
    r"shared\s+(?:my|a|the|an)\s+(?:formulation|hypothesis|idea|interpretation|thought)|put\s+(?:it\s+)?to\s+(?:her|him|them)|"
    r"pointed\s+out|named|raised\s+the\s+(?:idea|possibility)|explained|told\s+(?:her|him|them))\b[^.;\n]{0,140}?"
    r"\b(?:childhood|mother|father|parents?|abuse|trauma\w*|grief|griev\w+|loss|anger|angry|unconscious|repressed|unexpressed|"
    r"buried|emotions?|emotional|feelings|stress\w*|anxiety|psychological|early\s+(?:life|experiences)|marriage|relationship|"
    r"divorce|bereavement|death)",
    r"(?:offered|made|gave|shared)\s+(?:an?\s+)?(?:deeper\s+|psychodynamic\s+|causal\s+)?(?:interpretation|formulation|hypothesis)\s+"
    r"(?:about|linking|that|of|connecting|around)",
)
"""The therapist offering a causal or developmental link. The offer must be the therapist's own:
see :func:`_interpretations` (first person within two words before the verb)."""
_FIRST_PERSON_BEFORE = matching.LazyPattern(r"\b(?:i|we)\s+(?:[\w'-]+\s+){0,2}$", re.IGNORECASE)


def _interpretations(text: str, cache: AnalysisCache) -> list[str]:
    """The therapist's own interpretations offered in a text (a fact of the text)."""
    if not text:
        return []
    return text_fact(cache.facts, "interpretations", text, lambda: _read_interpretations(text, cache))


def _read_interpretations(text: str, cache: AnalysisCache) -> list[str]:
    out = []
    for start, end in _INTERPRETATION.spans(text, matching.text_info(text, cache)) if text else ():
        group = text[start:end]
        before = text[max(0, start - 40) : start]
        if group.lower().startswith(("offered", "made", "gave", "shared")) and "interpretation" in group.lower():
            pass
        elif not _FIRST_PERSON_BEFORE.search(before):
            continue
        if not negated(text, start):
            out.append(group.strip())
    return out


_REACTION = words(
    r"angry",
    r"anger",
    r"furious",
    r"cross\s+with\s+me",
    r"annoyed",
    r"upset\s+with\s+me",
    r"offended",
    r"insulted",
    r"stormed\s+out",
    r"walked\s+out",
    r"left\s+(?:the\s+session\s+)?early",
    r"ended\s+the\s+session",
    r"rupture\w*",
    r"felt\s+(?:blamed|judged|accused|attacked|dismissed|disbelieved|not\s+believed|misunderstood|criticised|patronised)",
    r"(?:you|we)\s+(?:think|thought)\s+(?:it'?s|it\s+is|it\s+was|I'?m|I\s+am|she'?s|he'?s)\s+(?:all\s+)?(?:in\s+(?:my|her|his)\s+head|"
    r"mad|mental|making\s+it\s+up|imagining)",
    r"are\s+you\s+saying\s+(?:I'?m|it'?s|I\s+am|it\s+is)",
    r"rejected\s+the\s+(?:idea|link|interpretation|suggestion)",
    r"disagreed",
    r"disputed",
    r"withdr(?:ew|awn)",
    r"went\s+(?:quiet|silent|cold)",
    r"shut\s+down",
    r"wants?\s+to\s+stop\s+(?:therapy|coming|the\s+sessions)",
    r"wanted\s+to\s+(?:stop|end)\s+(?:therapy|the\s+sessions|coming)",
    r"(?:won't|will\s+not)\s+be\s+coming\s+back",
    r"hostile",
    r"defensive",
    r"guarded",
    r"closed\s+(?:off|down)",
    r"(?:more\s+)?distant\s+(?:with|from)\s+me",
    r"(?:frustrated|irritated|irritable|angry|furious)\s+with\s+me",
    r"felt\s+(?:pushed|pressured|rushed)",
    r"too\s+much\s+too\s+soon",
)
DISPUTED = words(
    r"rejected\s+the\s+(?:idea|link|interpretation|suggestion)", r"disagreed", r"disputed",
    r"dismissed\s+the\s+(?:idea|link)", r"(?:did\s+not|didn't)\s+(?:agree|accept)", r"not\s+in\s+my\s+head",
    r"nothing\s+to\s+do\s+with\s+(?:stress|feelings|my\s+\w+)",
)  # fmt: skip
R_PUSH = (
    "Deeper, causal or developmental ideas offered before the alliance can hold them, or pressed again after "
    "the patient has disputed them, can trigger strong reactions that are hard to contain; clinicians describe "
    "losing patients by being 'too analytic' too early (Balabanovic 2017, sub-categories 4.3, 7.3 and 7.5)."
)
S_PUSH = (
    "A repair conversation may help: acknowledge that something landed badly and ask what it was (Balabanovic 2017, "
    "sub-category 6.5 “Addressing initial barriers”). For now it may be safer to return to validation, impact and "
    "coping (L0-L1) and to hold the deeper idea privately until the patient brings something close to it (Balabanovic "
    "2017, sub-category 6.6 “Sensitive formulation”)."
)


def _stage_at(facts: list[SessionFacts], day: dt.date) -> tuple[str, int]:
    """The stage in force on ``day`` (latest session on or before it) and held sessions so far."""
    stage = facts[0].stage if facts else ""
    held = 0
    for f in facts:
        if f.date is not None and f.date <= day:
            stage = f.stage or stage
            if f.held:
                held += 1
    return stage, held


_PRACTICAL = frozenset({"clashing medical appointment", "access"})
"""Reasons that explain a missed session without it being a reaction (a clash, transport, access)."""
_UNEXPLAINED = frozenset({"ambivalence", "reason not known"})
"""A patient's cancellation counts as a possible reaction only with no reason or an ambivalent one:
a cancellation for a flare, a clash or access is ordinary life with persistent symptoms."""
_REASON_NOTE = {"ambivalence": " (reason suggests ambivalence)"}


def _reaction(f: SessionFacts, cache: AnalysisCache) -> list[Evidence]:
    ev = []
    if read_field(f.session, "rupture", False) is True:
        ev.append(Evidence(f.session_id, f.date, "rupture", "ticked: rupture in the alliance"))
    reason = absence_reason(f.texts.get("attendance_reason", ""), cache) if f.attendance in ABSENT else ""
    if f.attendance == "dna" and reason not in _PRACTICAL:
        ev.append(Evidence(f.session_id, f.date, "attendance", "did not attend"))
    elif f.attendance == "cancelled-by-patient" and reason in _UNEXPLAINED:
        ev.append(Evidence(f.session_id, f.date, "attendance", "cancelled by the patient" + _REASON_NOTE.get(reason, "")))
    ev += phrase_evidence(f, _REACTION, cache)
    return ev


def _followed_by(
    facts: list[SessionFacts],
    day: dt.date,
    thresholds: Thresholds,
    cache: AnalysisCache,
    *,
    after_index: int | None = None,
    reactions: dict[int, list[Evidence]] | None = None,
) -> list[SessionFacts]:
    """The sessions soon after ``day`` (or after position ``after_index``) that show a reaction
    (each session's reaction kept in ``reactions``, by position, when given)."""
    if after_index is not None:
        window = facts[after_index : after_index + 1 + thresholds.rupture_followup_sessions]
    else:
        same_day = [f for f in facts if f.date == day]
        later = [f for f in facts if f.date is not None and f.date > day][: thresholds.rupture_followup_sessions]
        window = same_day + later
    if reactions is None:
        return [f for f in window if _reaction(f, cache)]
    out = []
    for f in window:
        found = reactions.get(f.index)
        if found is None:
            found = reactions[f.index] = _reaction(f, cache)
        if found:
            out.append(f)
    return out


_GATE_WARNING = "emotional factors may be relevant"
"""Words of the formulation check's warning, kept on a version saved before the gate was met."""


def _item_triggers(case: DetectorInput) -> list[tuple[dt.date, Any, list[str]]]:
    """Formulation versions that offered too much: (the day it was offered, the version, why).

    Two triggers, at any stage (Balabanovic 2017, sub-categories 6.6 and 7.3; the gate is the Joint
    Commissioning Panel for Mental Health 2017): an L4-L5 idea shared, by any channel, while the
    patient has not agreed that emotional factors may be relevant, or while the work was early or
    after an earlier deep idea was disputed; and any item the patient disputed. The day is the
    version's ``date_shared``, else the latest session it cites as evidence.
    """
    facts, thresholds = case.sessions, case.thresholds
    agreement = as_text(read_field(case.client, "emotional_agreement", "")) if case.client is not None else ""
    dates = {f.session_id: f.date for f in facts}
    raw: list[tuple[int, dt.date, Any, str, bool]] = []
    for n, item in enumerate(case.formulation or []):
        for v in versions(item):
            layer = as_text(read_field(v, "layer", ""))
            shared = as_text(read_field(v, "status", "")) in _SHARED
            disputed = as_text(read_field(v, "response", "")) == "disputed"
            day = as_date(read_field(v, "date_shared", None))
            if day is None:
                cited = [dates.get(str(sid)) for sid in (read_field(v, "evidence", []) or [])]
                day = max((d for d in cited if d is not None), default=None)
            if day is not None and ((shared and layer in _DEEP_LAYERS) or disputed):
                raw.append((n, day, v, layer, disputed))
    disputed_deep = [day for _, day, _, layer, disputed in raw if disputed and layer in _DEEP_LAYERS]
    out: dict[tuple[int, dt.date], tuple[dt.date, Any, list[str]]] = {}
    for n, day, v, layer, disputed in sorted(raw, key=lambda r: r[1]):
        why: list[str] = []
        if layer in _DEEP_LAYERS and as_text(read_field(v, "status", "")) in _SHARED:
            # the gate as it stood when the version was saved: its own warnings record it (the client's
            # agreement may have moved on to "yes" since)
            warned = any(_GATE_WARNING in as_text(w) for w in (read_field(v, "warnings", []) or []))
            if agreement and agreement != "yes":
                why.append(f"before the patient agreed emotional factors may be relevant (agreement: {agreement})")
            elif warned:
                why.append("before the patient agreed emotional factors may be relevant (as recorded when it was shared)")
            stage, held_before = _stage_at(facts, day)
            if stage in EARLY_STAGES:
                why.append(f"while the work was at the {stage} stage")
            elif held_before < thresholds.early_sessions:
                why.append(f"after only {held_before} session(s)")
            if any(d < day for d in disputed_deep):
                why.append("after an earlier deep idea had been disputed")
        if disputed:
            why.append("disputed by the patient")
        if why:
            known = out.get((n, day))
            merged = list(dict.fromkeys([*(known[2] if known else []), *why]))
            out[(n, day)] = (day, v, merged)
    return sorted(out.values(), key=lambda e: e[0])


def pushing_too_hard(case: DetectorInput) -> list[Flag]:
    """Deep ideas offered before the patient could take them (formulation layers L4-L5 shared before
    the emotional-agreement gate, early, or after a dispute; interpretations in the notes), or any
    idea the patient disputed, followed by a rupture, anger or withdrawal, a DNA or a cancellation
    within the next few sessions."""
    facts, thresholds = case.sessions, case.thresholds
    involved: dict[int, SessionFacts] = {}
    evidence: list[Evidence] = []
    reasons: list[str] = []
    reactions: dict[int, list[Evidence]] = {}  # each session's reaction, worked out once
    seen: set[Evidence] = set()  # what ``evidence`` holds (a reaction's evidence is added once)

    def add_reaction(f: SessionFacts) -> None:
        new = [e for e in reactions[f.index] if e not in seen]
        evidence.extend(new)
        seen.update(new)

    # --- from the formulation ----------------------------------------------------------------
    for shared_on, v, why in _item_triggers(case):
        reacted = _followed_by(facts, shared_on, thresholds, case.cache, reactions=reactions)
        if not reacted:
            continue
        layer = as_text(read_field(v, "layer", ""))
        text = as_text(read_field(v, "text", ""))
        snippet = (text[:70] + "…") if len(text) > 70 else text
        channel = as_text(read_field(v, "channel", ""))
        on_day = next((f for f in facts if f.date == shared_on), None)
        offered = f"{layer} item '{snippet}' offered on {shared_on.isoformat()}" + (f" ({channel})" if channel else "")
        evidence.append(Evidence(on_day.session_id if on_day else "", shared_on, "formulation", f"{offered}: " + "; ".join(why)))
        seen.add(evidence[-1])
        if on_day:
            involved[on_day.index] = on_day
        for f in reacted:
            involved[f.index] = f
            add_reaction(f)
        then = ", ".join(session_label(f) for f in reacted)
        reasons.append(f"the {layer} item '{snippet}', " + "; ".join(why) + f"; then {then}")
    # --- from the session notes: an interpretation offered early, then a reaction ------------
    disputed_before = False
    for pos, f in enumerate(facts):
        if not f.held:
            continue
        texts = (f.texts.get("note", ""), f.texts.get("private_note", ""))
        interp = [
            (name, phrase)
            for name, text in zip(("note", "private_note"), texts, strict=True)
            for phrase in _interpretations(text, case.cache)
        ]
        subs = [str(c) for c in (read_field(f.session, "substrategies", []) or [])]
        early = f.stage in EARLY_STAGES or (f.held_index or 0) < thresholds.early_sessions
        if "7.2" in subs and early and not interp:
            interp = [("substrategies", "sub-strategy 7.2 (digging deeper) ticked")]
        if interp and (early or disputed_before):
            reacted = _followed_by(facts, f.date or dt.date.min, thresholds, case.cache, after_index=pos, reactions=reactions)
            if reacted:
                offered = (
                    f"at the {f.stage} stage"
                    if f.stage in EARLY_STAGES
                    else ("early in the work" if early else "after the patient had disputed a link")
                )
                evidence.append(
                    Evidence(f.session_id, f.date, interp[0][0], f"interpretation offered {offered}: '{interp[0][1][:90]}'")
                )
                seen.add(evidence[-1])
                involved[f.index] = f
                for r in reacted:
                    involved[r.index] = r
                    add_reaction(r)
                reasons.append(f"an interpretation offered {offered}")
        if any(hits(DISPUTED, text, case.cache) for text in texts):
            disputed_before = True
    if not evidence:
        return []
    sessions = sorted(involved.values(), key=lambda f: f.index)
    summary = (
        "Something was offered before it could be taken in (" + "; ".join(dict.fromkeys(reasons)) + ") and was "
        "followed by rupture, anger, withdrawal or a missed session."
    )
    return [make_flag("pushing-too-hard", "high", sessions, evidence, R_PUSH, S_PUSH, summary)]


# ---------------------------------------------------------------------------------------------
# Impasse
# ---------------------------------------------------------------------------------------------

_STUCK = words(
    r"stuck", r"going\s+(?:round|around)\s+in\s+circles", r"round\s+in\s+circles",
    r"no\s+(?:movement|change|progress|shift)", r"nothing\s+(?:has\s+)?(?:changed|changing|shifting|moving|shifted)",
    r"same\s+as\s+(?:ever|always|last\s+(?:week|time|session))", r"impasse", r"getting\s+nowhere", r"going\s+nowhere",
    r"groundhog", r"(?:going|went)\s+over\s+(?:the\s+)?same\s+ground", r"thwarted", r"at\s+a\s+standstill",
    r"repeat(?:ing|ed)\s+(?:the\s+)?same", r"treading\s+water", r"not\s+moving\s+forward",
)  # fmt: skip
R_IMPASSE = (
    "Several sessions with no movement in stage and no sign of engagement in the process can mark a therapeutic "
    "impasse; clinicians manage it with restraint and by changing approach, not by pushing harder "
    "(Balabanovic 2017, sub-categories 7.4 and 7.5)."
)
S_IMPASSE = (
    "Consider changing the focus rather than the intensity: more active coping and self-management work, systemic "
    "or GP-linked work, or reviewing the goals with the patient. Coping and quality of life count as outcomes too, "
    "and supervision can help hold the frustration (Balabanovic 2017, sub-category 7.5 “Managing therapeutic "
    "impasse”)."
)


def impasse(case: DetectorInput) -> list[Flag]:
    """Runs of held sessions at one stage with no positive sign of engagement (or notes saying "stuck")."""
    facts, thresholds = case.sessions, case.thresholds
    held = [f for f in facts if f.held and (f.held_index or 0) >= thresholds.impasse_skip_first]
    runs: list[list[SessionFacts]] = []
    run: list[SessionFacts] = []
    for f in held:
        positive = is_positive(f, case.cache)
        if run and (f.stage != run[-1].stage or positive):
            runs.append(run)
            run = []
        if not positive:
            run.append(f)
    if run:
        runs.append(run)
    flags = []
    for run in runs:
        stuck = {f.index: phrase_evidence(f, _STUCK, case.cache) for f in run}
        stuck = {k: v for k, v in stuck.items() if v}
        need = thresholds.impasse_sessions if run[0].stage == NUDGING else thresholds.impasse_sessions_early_stage
        by_length = len(run) >= need
        by_notes = len(run) >= thresholds.impasse_stuck_sessions and len(stuck) >= thresholds.impasse_stuck_mentions
        if not (by_length or by_notes):
            continue
        ev = [Evidence(f.session_id, f.date, "stage", f"{f.stage}; no sign of engagement noted") for f in run]
        ev += [e for v in stuck.values() for e in v]
        ongoing = run[-1] is held[-1]
        summary = (
            f"{len(run)} sessions in a row ({span_label(run)}) at the {run[0].stage} stage with no movement and no "
            f"positive sign of engagement in the notes" + (", and the notes say the work feels stuck." if stuck else ".")
        )
        flags.append(make_flag("impasse", "medium" if ongoing else "low", run, ev, R_IMPASSE, S_IMPASSE, summary))
    return flags
