"""Process-issue flags (analysis/flags/) against a labelled corpus of fictional clients.

``tests/fixtures/flags_corpus.json`` holds fictional clients, each with a series of sessions
(built with ``Session.from_dict``), optional formulation items and the flag kinds a clinician
would expect, including early-stage body talk that must not flag. The suite asserts every case,
prints precision and recall per flag kind, and fails below 0.9 on either.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from collections import Counter
from pathlib import Path

import pytest

from sessionnotes.analysis.cache import AnalysisCache
from sessionnotes.analysis.flags import (
    FLAG_KINDS,
    Evidence,
    Flag,
    Thresholds,
    body_talk,
    body_talk_estimate,
    client_level,
    detect,
    model,
    positive_signs,
    process,
)
from sessionnotes.analysis.flags.phrases import Phrases
from sessionnotes.analysis.language import RULES
from sessionnotes.domain.formulation import FormulationItem, ItemVersion
from sessionnotes.domain.models import Attendance, Client, Feeling, Session

CORPUS = json.loads((Path(__file__).parent / "fixtures" / "flags_corpus.json").read_text(encoding="utf-8"))
CITATION = re.compile(
    r"\((?:[^()]*; )?(?:Balabanovic 2017|Wortman et al\. 2022|Scope et al\. 2021|Jackson 2023|"
    r"Joint Commissioning Panel for Mental Health 2017)\b"
)


def _case(case: dict) -> tuple[Client, list[Session], list[dict]]:
    client = Client.from_dict(case["client"])
    sessions = [Session.from_dict(s) for s in case["sessions"]]
    return client, sessions, case["formulation"]


def _run(case: dict, **kwargs) -> list[Flag]:
    client, sessions, formulation = _case(case)
    return detect(client, sessions, formulation, **kwargs)


@pytest.mark.parametrize("case", CORPUS, ids=[c["id"] for c in CORPUS])
def test_corpus_case(case):
    flags = _run(case)
    assert sorted({f.kind for f in flags}) == case["expected"], case["description"]


def test_corpus_precision_and_recall_per_kind():
    tp, fp, fn = Counter(), Counter(), Counter()
    for case in CORPUS:
        got = {f.kind for f in _run(case)}
        expected = set(case["expected"])
        tp.update(got & expected)
        fp.update(got - expected)
        fn.update(expected - got)
    lines = [f"{'flag kind':30s} precision recall  (tp/fp/fn)"]
    failing = []
    for kind in (k for k in FLAG_KINDS if k != "measure-risk"):  # measure-risk: exact rule, tests/test_flags_risk.py
        t, p, n = tp[kind], fp[kind], fn[kind]
        precision = t / (t + p) if t + p else 1.0
        recall = t / (t + n) if t + n else 1.0
        lines.append(f"{kind:30s} {precision:9.2f} {recall:6.2f}  ({t}/{p}/{n})")
        assert t + n > 0, f"the corpus has no client with {kind!r}"
        if precision < 0.9 or recall < 0.9:
            failing.append(kind)
    print("\n" + "\n".join(lines))
    assert not failing, "below 0.9:\n" + "\n".join(lines)


def test_corpus_shape():
    assert len(CORPUS) >= 12
    for kind in FLAG_KINDS:
        without = [c for c in CORPUS if kind not in c["expected"]]
        assert without, kind
    early = next(c for c in CORPUS if c["id"] == "c01")
    assert early["expected"] == [] and all(s.get("body_talk") == 3 or s.get("body_talk") == 2 for s in early["sessions"])


# --------------------------------------------------------------------------------------------
# What every flag must say
# --------------------------------------------------------------------------------------------


def _all_flags() -> list[Flag]:
    return [f for case in CORPUS for f in _run(case)]


def test_every_flag_explains_itself():
    for flag in _all_flags():
        assert flag.kind in FLAG_KINDS and flag.title == FLAG_KINDS[flag.kind]
        assert flag.severity in ("high", "medium", "low") and flag.source == "rule"
        assert CITATION.search(flag.rationale), flag.rationale
        assert flag.suggestion and flag.summary and flag.evidence and flag.key.startswith(flag.kind + ":")
        assert all(isinstance(e, Evidence) and e.phrase for e in flag.evidence)
        assert set(flag.sessions) <= {e.session_id for e in flag.evidence} | set(flag.sessions)


def test_evidence_points_at_real_sessions():
    for case in CORPUS:
        ids = {s["id"] for s in case["sessions"]}
        for flag in _run(case):
            assert set(flag.sessions) <= ids
            assert {e.session_id for e in flag.evidence} - {""} <= ids


def test_no_flag_suggests_ending_therapy_or_labels_the_person():
    for flag in _all_flags():
        text = " ".join((flag.summary, flag.rationale, flag.suggestion)).lower()
        assert "discharg" not in text
        for label in ("non-compliant", "resistant patient", "difficult patient", "hypochondriac", "somatiser"):
            assert label not in text


def test_suggestions_are_tentative():
    tentative = re.compile(r"\b(?:may|might|perhaps|consider|could|can help|it may help)\b", re.IGNORECASE)
    for flag in _all_flags():
        assert tentative.search(flag.suggestion), flag.suggestion


def test_flag_to_dict_is_json():
    for flag in _all_flags():
        data = json.loads(json.dumps(flag.to_dict()))
        assert data["kind"] == flag.kind and len(data["evidence"]) == len(flag.evidence)


# --------------------------------------------------------------------------------------------
# Repetitive body talk
# --------------------------------------------------------------------------------------------


def _session(n: int, stage: str, *, body_talk=None, note="", attendance="attended", **extra) -> Session:
    return Session.from_dict(
        {
            "id": f"s{n}",
            "date": (dt.date(2025, 3, 3) + dt.timedelta(days=7 * n)).isoformat(),
            "number": n,
            "attendance": attendance,
            "stage": stage,
            "body_talk": body_talk,
            "note": note,
            **extra,
        }
    )


BODY_NOTE = "Went over the scan results and the new pain in her knees; tablets not helping; wants a referral to neurology."


def test_body_talk_estimate_shows_the_words_and_respects_negation():
    score, body, feeling = body_talk_estimate(BODY_NOTE + " No talk of feelings or family.")
    assert score == 1.0 and {"scan results", "pain", "tablets", "neurology"} <= set(body) and feeling == []
    score, body, feeling = body_talk_estimate("She cried talking about her mother and felt guilty; the pain eased.")
    assert score < 0.5 and {"cried", "mother", "guilty"} <= set(feeling)
    assert body_talk_estimate("") == (0.0, [], [])
    assert body_talk_estimate("Another long stretch of body talk.")[0] == 1.0


def test_body_talk_at_meeting_is_silent_early_but_flags_when_it_persists():
    # issue 16 changed this rule: persistent body talk is a process issue at any stage (was: silent at meeting however long)
    sessions = [_session(n, "meeting", body_talk=3, note=BODY_NOTE) for n in range(1, 15)]
    assert "repetitive-body-talk" not in {f.kind for f in detect(Client(name="A"), sessions[:6])}
    (flag,) = [f for f in detect(Client(name="A"), sessions) if f.kind == "repetitive-body-talk"]
    assert flag.sessions == [s.id for s in sessions] and "stuck in meeting" in flag.summary


def test_body_talk_is_silent_in_the_first_sessions_even_when_nudging():
    sessions = [_session(n, "nudging-forward", body_talk=3, note=BODY_NOTE) for n in range(1, 4)]
    assert detect(Client(name="A"), sessions) == []


def test_body_talk_flags_after_the_early_sessions_and_shows_both_signals():
    # issue 16: the first sessions rated 1, else seven body-talk sessions in a row are the persistent (any-stage) pattern
    sessions = [_session(n, "meeting", body_talk=1, note=BODY_NOTE) for n in range(1, 4)]
    sessions += [_session(n, "nudging-forward", body_talk=3, note=BODY_NOTE) for n in range(4, 8)]
    (flag,) = [f for f in detect(Client(name="A"), sessions) if f.kind == "repetitive-body-talk"]
    assert flag.sessions == ["s4", "s5", "s6", "s7"] and flag.severity == "medium"
    fields = {e.field for e in flag.evidence}
    assert fields == {"body_talk", "note"}
    assert any("scan results" in e.phrase for e in flag.evidence)


def test_body_talk_threshold_is_adjustable():
    case = next(c for c in CORPUS if c["id"] == "c03")
    assert "repetitive-body-talk" in {f.kind for f in _run(case)}
    assert "repetitive-body-talk" not in {f.kind for f in _run(case, thresholds=Thresholds(body_talk_run=6))}


def test_low_rating_overrules_a_body_heavy_note():
    sessions = [_session(n, "nudging-forward", body_talk=1, note=BODY_NOTE) for n in range(1, 10)]
    assert "repetitive-body-talk" not in {f.kind for f in detect(Client(name="A"), sessions)}


# --------------------------------------------------------------------------------------------
# Attendance
# --------------------------------------------------------------------------------------------


def test_dna_pattern_reports_reasons_and_is_high_for_early_dna():
    sessions = [
        _session(1, "drawing-in", attendance="dna"),
        _session(2, "meeting", note="Talked about her son."),
        _session(3, "meeting", attendance="cancelled-by-patient", attendance_reason="migraine"),
        _session(4, "meeting", note="Talked about her son."),
    ]
    (flag,) = [f for f in detect(Client(name="A"), sessions) if f.kind == "dna-pattern"]
    assert flag.severity == "high"
    assert any("symptom flare" in e.phrase for e in flag.evidence)
    assert any("not recorded" in e.phrase for e in flag.evidence)
    assert "video" in flag.suggestion and "GP" in flag.suggestion


def test_therapist_cancellations_never_count():
    sessions = [_session(n, "meeting", attendance="cancelled-by-therapist") for n in range(1, 6)]
    assert detect(Client(name="A"), sessions) == []


# --------------------------------------------------------------------------------------------
# Countertransference and the tacit-dualism self-check
# --------------------------------------------------------------------------------------------


def test_negative_countertransference_carries_a_tacit_dualism_check():
    sessions = [
        _session(n, "nudging-forward", body_talk=1, note="We talked about her sister.", feelings=["irritated"])
        for n in range(1, 4)
    ]
    flags = detect(Client(name="A"), sessions)
    (flag,) = [f for f in flags if f.kind == "negative-countertransference"]
    assert flag.severity == "medium" and "supervision" in flag.suggestion.lower() and "tacit" in flag.suggestion.lower()
    sessions[-1] = _session(
        3, "nudging-forward", body_talk=1, feelings=["bored"], private_note="Honestly I think her pain is purely psychological."
    )
    (flag,) = [f for f in detect(Client(name="A"), sessions) if f.kind == "negative-countertransference"]
    assert flag.severity == "high" and any("tacit-dualism" in e.phrase for e in flag.evidence)


def test_warm_or_curious_feelings_do_not_count():
    sessions = [
        _session(n, "nudging-forward", body_talk=1, note="Talked about her son.", feelings=["warm", "curious"])
        for n in range(1, 8)
    ]
    assert "negative-countertransference" not in {f.kind for f in detect(Client(name="A"), sessions)}


# --------------------------------------------------------------------------------------------
# Pushing too hard, with the real formulation model
# --------------------------------------------------------------------------------------------


def _version(day: dt.date, layer: str, status: str, response: str, shared: dt.date | None) -> ItemVersion:
    return ItemVersion(
        at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC),
        text="Perhaps the flare-ups follow rows at home.",
        layer=layer,
        status=status,
        date_shared=shared,
        response=response,
    )


def test_pushing_too_hard_after_a_disputed_idea_with_formulation_items():
    start = dt.date(2025, 3, 3)
    sessions = [
        _session(n, "nudging-forward", body_talk=1, note="We talked about her marriage and she felt sad.") for n in range(1, 9)
    ]
    sessions.append(_session(9, "nudging-forward", attendance="dna"))
    d4, d8 = start + dt.timedelta(days=28), start + dt.timedelta(days=56)
    item = FormulationItem(
        id="f1",
        created=d4,
        versions=[
            _version(d4, "L4", "shared", "not-yet", d4),
            _version(d4 + dt.timedelta(days=7), "L4", "shared", "disputed", d4),
            _version(d8, "L4", "shared", "not-yet", d8),
        ],
    )
    (flag,) = [f for f in detect(Client(name="A"), sessions, [item]) if f.kind == "pushing-too-hard"]
    assert "disputed" in flag.evidence[0].phrase and any(e.phrase == "did not attend" for e in flag.evidence)
    # the same idea shared once, well into the work, with no reaction: nothing to flag
    calm = FormulationItem(id="f2", created=d4, versions=[_version(d4, "L4", "shared", "resonated", d4)])
    assert "pushing-too-hard" not in {f.kind for f in detect(Client(name="A"), sessions[:8], [calm])}


def test_deep_item_shared_early_without_a_reaction_is_not_flagged():
    sessions = [_session(n, "meeting", body_talk=1, note="Talked about her week.") for n in range(1, 4)]
    item = {"layer": "L5", "status": "shared", "date_shared": sessions[0].date.isoformat(), "response": "neutral"}
    assert "pushing-too-hard" not in {f.kind for f in detect(Client(name="A"), sessions, [item])}


# --------------------------------------------------------------------------------------------
# Goals, burden, labels, dismissals, defensive reading
# --------------------------------------------------------------------------------------------


def test_goal_conflict_reads_goal_fields_from_extra_too():
    client = Client.from_dict({"name": "A", "referrer_goal": "Fewer GP visits and scan requests", "patient_goal": "A diagnosis"})
    assert [f.kind for f in detect(client, [])] == ["goal-conflict"]
    aligned = Client.from_dict({"name": "A", "referrer_goal": "Help with coping", "patient_goal": "Cope with the pain better"})
    assert detect(aligned, []) == []


def test_treatment_burden_counts_services_once():
    client = Client.from_dict(
        {
            "name": "A",
            "concurrent_appointments": "weekly physio; monthly pain clinic",
            "other_professionals": "physiotherapy, pain clinic",
        }
    )
    assert detect(client, []) == []
    busy = Client.from_dict({"name": "A", "other_professionals": "cardiology, neurology, pain clinic, physio"})
    (flag,) = detect(busy, [])
    assert flag.kind == "treatment-burden" and "4 other services" in flag.evidence[0].phrase


def test_untreatable_in_any_therapist_text_but_not_when_quoted():
    sessions = [_session(1, "meeting", note="Talked about her week.", plan="Review; I fear she may be beyond help.")]
    (flag,) = detect(Client(name="A"), sessions)
    assert flag.kind == "untreatable-label" and flag.evidence[0].field == "plan"
    quoted = [_session(1, "meeting", note='Her GP told her she was "untreatable".')]
    assert detect(Client(name="A"), quoted) == []


def test_untreatable_gate_covers_the_rule():
    rule = next(r for r in RULES if r.id == "untreatable")
    for text in [
        "untreatable",
        "un-treatable",
        "not treatable",
        "beyond help",
        "hopeless case",
        "a lost cause",
        "unhelpable",
        "unreachable",
        "she cannot be helped",
        "impossible to treat",
        "nothing more can be done for her",
        "no point in seeing her",
    ]:
        assert rule.pattern.search(text), text
        assert client_level.UNTREATABLE_GATE.possible(text), text


def test_dismissed_flags_stay_visible_with_their_reason():
    case = next(c for c in CORPUS if c["id"] == "c05")
    (flag,) = _run(case)
    (again,) = _run(case, dismissed={flag.key: "Discussed with the GP; transport now arranged."})
    assert again.dismissed and not again.is_open and again.dismissed_reason.startswith("Discussed")
    (by_kind,) = _run(case, dismissed=["dna-pattern"])
    assert by_kind.dismissed


def test_sessions_may_be_plain_objects_with_missing_fields():
    class Bare:
        def __init__(self, n):
            self.date = dt.date(2025, 1, 1) + dt.timedelta(days=7 * n)
            self.attendance = "attended"
            self.stage = "nudging-forward"
            self.note = "I had to lead the session again; she brought nothing."

    flags = detect(object(), [Bare(n) for n in range(1, 6)])
    assert [f.kind for f in flags] == ["passivity"] and flags[0].sessions[0].startswith("session-")


def test_ticks_stored_in_extra_are_read():
    sessions = [
        Session.from_dict({"date": f"2025-01-0{n}", "attendance": "attended", "stage": "meeting", "token_agreement": True})
        for n in range(1, 4)
    ]
    assert "token-agreement" in {f.kind for f in detect(Client(name="A"), sessions)}


def test_thresholds_from_settings():
    th = Thresholds.from_mapping({"body_talk_run": 5, "unknown": 1, "body_talk_text_share": 0.7})
    assert th.body_talk_run == 5 and th.body_talk_text_share == 0.7
    assert Thresholds.from_mapping(None) == Thresholds()
    with pytest.raises(ValueError, match="body_talk_run"):
        Thresholds.from_mapping({"body_talk_run": "three"})
    with pytest.raises(ValueError, match="whole number"):
        Thresholds.from_mapping({"body_talk_run": 2.5})
    assert set(Thresholds().to_dict()) == {f for f in Thresholds.__dataclass_fields__}


def test_thresholds_document_their_clinical_basis():
    source = Path(model.__file__).read_text(encoding="utf-8")
    block = source[source.index("class Thresholds") : source.index("def from_mapping")]
    for name in Thresholds.__dataclass_fields__:
        after = block[block.index(f"    {name}:") :]
        assert '"""' in after.split("\n", 2)[1] or '"""' in after.split("\n", 3)[2], name


def test_positive_signs_are_found():
    sessions = [
        _session(1, "nudging-forward", note="She made a link between the flare and her sister's visit, and cried."),
        _session(2, "nudging-forward", note="Talked about the weather."),
    ]
    signs = positive_signs(sessions)
    assert {e.session_id for e in signs} == {"s1"}


def test_vocabularies_do_not_overlap():
    labels = body_talk.vocabulary().labels
    for group in ("marker", "body", "worry", "feeling"):
        assert any(v == group for v in labels.values())
    from sessionnotes.analysis.text import lexicon as lx
    from sessionnotes.analysis.text import matching as mt

    body = mt.TokenVocab(lx.BODY_WORDS).phrases
    feeling = mt.TokenVocab(lx.FEELING_WORDS + lx.HEALTH_WORRY_WORDS).phrases
    assert not body & feeling


def test_phrase_anchors_never_change_results():
    """The anchor index and the lower-case fast path are optimisations only: every phrase set
    finds exactly what its plain case-insensitive regex finds, on every note in the corpora."""
    texts = {s.get(k, "") for c in CORPUS for s in c["sessions"] for k in ("note", "private_note", "attendance_reason")}
    texts |= {"I SUGGESTED her pain was linked to her Childhood.", "Token YES again; nodded ALONG.", "Non-compliant."}
    every_set = [((family, n), phrases) for family, sets in Phrases.registry.items() for n, phrases in enumerate(sets)]
    for name, phrases in every_set:
        for text in texts:
            plain = []
            for _ident, full, _fast, _check in phrases.parts:
                plain += [m.span() for m in full.finditer(text)]
            got = {(m.start(), m.end()) for m in phrases.finditer(text)}
            assert got <= set(plain), (name, text)
            for start, _end in plain:  # every plain match is found, or lies inside a longer one that was
                assert any(a <= start < b for a, b in got), (name, text, start)


# --------------------------------------------------------------------------------------------
# Speed
# --------------------------------------------------------------------------------------------


def _demo_client(seed: int) -> tuple[Client, list[Session]]:
    from sessionnotes import demo

    rng = random.Random(seed)
    client = demo.fictional_client(rng, seed)
    start = dt.date(2024, 1, 1)
    return client, [demo.fictional_session(rng, client, i, start) for i in range(40)]


def test_repeat_detect_on_unchanged_data_gives_identical_flags():
    """Speed is measured by benchmarks/run_all.py, never asserted here; this checks the results cache
    returns the same flags as a fresh computation and is not fooled by an edit."""
    client, sessions = _demo_client(7)
    cache = AnalysisCache()
    first = [f.to_dict() for f in detect(client, sessions, cache=cache)]
    assert len(cache.flags) == 1
    assert [f.to_dict() for f in detect(client, sessions, cache=cache)] == first
    sessions[-1].note += " This presentation is probably untreatable."
    assert [f.to_dict() for f in detect(client, sessions, cache=cache)] != first


def test_detect_is_deterministic():
    case = next(c for c in CORPUS if c["id"] == "c04")
    assert [f.to_dict() for f in _run(case)] == [f.to_dict() for f in _run(case)]


def test_attendance_and_feelings_enums_are_understood():
    s = Session(date=dt.date(2025, 1, 1), attendance=Attendance.DNA, stage="drawing-in")
    assert [f.kind for f in detect(Client(name="A"), [s])] == ["dna-pattern"]
    assert Feeling.BORED.value in process.NEGATIVE_FEELINGS


# The product never pastes the seeds' sentences: see test_no_seed_text.py (works without the seeds).


def test_an_interpretation_found_in_the_private_note_is_labelled_as_private():
    """Evidence names the field it came from, so a supervision summary can withhold private-note words."""

    sessions = [
        Session(
            date=dt.date(2025, 1, 6),
            attendance=Attendance.ATTENDED,
            stage="meeting",
            body_talk=2,
            private_note="I suggested her pain was really about her unresolved grief for her father.",
        ),
        Session(
            date=dt.date(2025, 1, 13),
            attendance=Attendance.ATTENDED,
            stage="meeting",
            rupture=True,
            note="She was angry and said I was not listening.",
        ),
    ]
    flags = [f for f in detect(Client(name="A Fictional"), sessions) if f.kind == "pushing-too-hard"]
    evidence: list[Evidence] = [e for f in flags for e in f.evidence if e.phrase.startswith("interpretation offered")]
    assert evidence and all(e.field == "private_note" for e in evidence)
