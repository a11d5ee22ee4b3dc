"""Fixture clients for the rules that follow the clinical model (Balabanovic 2017): pushing too hard at
any stage, persistent body talk, treatment burden, and a client engaging well who raises none of the
process flags. Every person, place and detail here is fictional.
"""

from __future__ import annotations

import datetime as dt

from sessionnotes.analysis.flags import Thresholds, detect
from sessionnotes.analysis.flags.process import ruptures_and_repairs
from sessionnotes.domain.formulation import FormulationItem, ItemVersion
from sessionnotes.domain.models import Client, Session

START = dt.date(2026, 1, 5)
BODY_NOTE = "Went over the scan results and the new pain in her knees; tablets not helping; wants a referral to neurology."
WARM_NOTE = "She linked the tiredness to worry about her sister and cried; she noticed she felt calmer after the walk."
PROCESS = {
    "repetitive-body-talk",
    "pushing-too-hard",
    "token-agreement",
    "passivity",
    "impasse",
    "unrepaired-rupture",
    "collusion-confrontation",
}


def _day(n: int) -> dt.date:
    return START + dt.timedelta(days=7 * (n - 1))


def _session(n: int, stage: str, *, note: str = WARM_NOTE, attendance: str = "attended", **extra) -> Session:
    return Session.from_dict(
        {"id": f"s{n}", "date": _day(n).isoformat(), "number": n, "attendance": attendance, "stage": stage, "note": note, **extra}
    )


def _item(
    layer: str, shared_session: int, response: str, *, text: str = "Perhaps the flare-ups follow rows at home."
) -> FormulationItem:
    day = _day(shared_session)
    version = ItemVersion(
        at=dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC),
        text=text,
        layer=layer,
        status="shared",
        date_shared=day,
        channel="spoken",
        response=response,
    )
    return FormulationItem(id=f"f{shared_session}", created=day, versions=[version])


def _kinds(client: Client, sessions: list[Session], formulation=(), **kw) -> set[str]:
    return {f.kind for f in detect(client, sessions, list(formulation), **kw)}


def _pushing(client, sessions, formulation):
    return [f for f in detect(client, sessions, formulation) if f.kind == "pushing-too-hard"]


# --------------------------------------------------------------------------------------------
# Pushing too hard at any stage
# --------------------------------------------------------------------------------------------


def _nudging_client(reaction: dict, agreement: str = "not-yet", sessions: int = 8) -> list[Session]:
    out = [_session(n, "meeting" if n <= 3 else "nudging-forward", body_talk=1) for n in range(1, sessions + 1)]
    out[6] = _session(7, "nudging-forward", body_talk=1, **reaction)
    return out


def test_deep_idea_before_agreement_and_disputed_then_rupture_and_dna_is_flagged_at_nudging():
    client = Client(name="Fictional Pushed", emotional_agreement="not-yet")
    sessions = [_session(n, "meeting" if n <= 3 else "nudging-forward", body_talk=1) for n in range(1, 9)]
    sessions[5] = _session(6, "nudging-forward", body_talk=1, rupture=True)
    sessions[6] = _session(7, "nudging-forward", note="", attendance="dna")
    item = _item("L5", 6, "disputed", text="Possibly the pain carries anger at her father that was never voiced.")
    (flag,) = _pushing(client, sessions, [item])
    first = flag.evidence[0].phrase
    assert "anger at her father" in first and "agreed emotional factors" in first and "disputed" in first
    assert flag.sessions == ["s6", "s7"]
    assert "session 6" in flag.summary and "session 7" in flag.summary
    assert {e.field for e in flag.evidence} >= {"formulation", "rupture", "attendance"}


def test_gate_alone_then_a_cancellation_is_flagged_and_any_channel_counts():
    client = Client(name="Fictional Gate", emotional_agreement="partly")
    sessions = _nudging_client({"attendance": "cancelled-by-patient", "note": ""})
    item = _item("L4", 6, "neutral")
    item.versions[0].channel = "letter"
    (flag,) = _pushing(client, sessions, [item])
    assert "cancelled by the patient" in {e.phrase for e in flag.evidence} and "(letter)" in flag.evidence[0].phrase


def test_a_disputed_item_at_any_layer_then_withdrawal_in_the_note_is_flagged():
    client = Client(name="Fictional Dispute", emotional_agreement="yes")
    sessions = _nudging_client({"note": "She went quiet and withdrew for most of the hour."})
    (flag,) = _pushing(client, sessions, [_item("L2", 6, "disputed")])
    assert any("disputed by the patient" in e.phrase for e in flag.evidence)


def test_no_flag_after_agreement_when_the_idea_landed_or_when_nothing_followed():
    agreed = Client(name="Fictional Agreed", emotional_agreement="yes")
    sessions = _nudging_client({"rupture": True})
    assert not _pushing(agreed, sessions, [_item("L4", 6, "resonated")])
    calm = [_session(n, "meeting" if n <= 3 else "nudging-forward", body_talk=1) for n in range(1, 9)]
    assert not _pushing(Client(name="Fictional Calm", emotional_agreement="not-yet"), calm, [_item("L5", 6, "neutral")])
    # a reaction long after the sharing is not "following" it
    late = [_session(n, "meeting" if n <= 3 else "nudging-forward", body_talk=1) for n in range(1, 13)]
    late[11] = _session(12, "nudging-forward", rupture=True)
    assert not _pushing(Client(name="Fictional Late", emotional_agreement="not-yet"), late, [_item("L5", 4, "neutral")])


def test_followup_window_is_a_named_threshold():
    client = Client(name="Fictional Window", emotional_agreement="not-yet")
    sessions = _nudging_client({"rupture": True})
    item = _item("L5", 4, "neutral")  # shared at session 4; the rupture is three sessions later
    assert _pushing(client, sessions, [item])
    assert not [
        f
        for f in detect(client, sessions, [item], thresholds=Thresholds(rupture_followup_sessions=2))
        if f.kind == "pushing-too-hard"
    ]


# --------------------------------------------------------------------------------------------
# Body talk, duration-aware
# --------------------------------------------------------------------------------------------


def test_persistent_body_talk_while_meeting_flags_as_possibly_stuck_in_meeting():
    sessions = [_session(n, "meeting", note=BODY_NOTE, body_talk=3) for n in range(1, 9)]
    (flag,) = [f for f in detect(Client(name="Fictional Stuck"), sessions) if f.kind == "repetitive-body-talk"]
    assert flag.sessions == [f"s{n}" for n in range(1, 9)] and "stuck in meeting" in flag.summary
    assert flag.severity == "medium"


def test_body_talk_is_silent_for_the_first_sessions_at_any_stage():
    for stage in ("drawing-in", "meeting", "nudging-forward"):
        sessions = [_session(n, stage, note=BODY_NOTE, body_talk=3) for n in range(1, 4)]
        assert "repetitive-body-talk" not in _kinds(Client(name="Fictional Early"), sessions)
    meeting = [_session(n, "meeting", note=BODY_NOTE, body_talk=3) for n in range(1, 7)]
    assert "repetitive-body-talk" not in _kinds(Client(name="Fictional Early"), meeting)


def test_persistent_run_threshold_is_adjustable_and_broken_by_a_different_session():
    sessions = [_session(n, "meeting", note=BODY_NOTE, body_talk=3) for n in range(1, 9)]
    assert "repetitive-body-talk" not in _kinds(Client(name="A"), sessions, thresholds=Thresholds(body_talk_persistent_run=9))
    sessions[4] = _session(5, "meeting", body_talk=1)
    assert "repetitive-body-talk" not in _kinds(Client(name="A"), sessions)


def test_persistent_body_talk_across_stages_is_one_flag():
    sessions = [_session(n, "meeting", note=BODY_NOTE, body_talk=3) for n in range(1, 5)]
    sessions += [_session(n, "nudging-forward", note=BODY_NOTE, body_talk=3) for n in range(5, 10)]
    flags = [f for f in detect(Client(name="A"), sessions) if f.kind == "repetitive-body-talk"]
    assert len(flags) == 1 and len(flags[0].sessions) == 9 and "stuck in" not in flags[0].summary


# --------------------------------------------------------------------------------------------
# A client engaging well
# --------------------------------------------------------------------------------------------


def test_a_client_engaging_well_raises_no_process_flag():
    client = Client(name="Fictional Engaged", emotional_agreement="yes", patient_goal="walk the dog again")
    sessions = [_session(1, "drawing-in", note=BODY_NOTE, body_talk=3)]
    sessions += [_session(n, "meeting", note=BODY_NOTE, body_talk=3 if n < 4 else 2, substrategies=["6.1"]) for n in range(2, 6)]
    sessions[-1] = _session(5, "meeting", body_talk=2, substrategies=["6.2"])
    sessions += [
        _session(n, "nudging-forward", body_talk=1, substrategies=["7.1"], homework="diary of tension", feelings=["warm"])
        for n in range(6, 13)
    ]
    formulation = [_item("L1", 3, "resonated", text="The pain has taken away the walks she loved."), _item("L4", 8, "resonated")]
    assert not (_kinds(client, sessions, formulation) & PROCESS)


# --------------------------------------------------------------------------------------------
# Treatment burden: current services only, never the therapist's own offers
# --------------------------------------------------------------------------------------------


def _burden(client: Client, sessions: list[Session]):
    return [f for f in detect(client, sessions) if f.kind == "treatment-burden"]


def test_discharged_and_past_services_do_not_count():
    past = Client(
        name="Fictional Discharged",
        other_professionals="rheumatology (discharged 2025); pain clinic - discharged last spring; used to see a physio",
        concurrent_appointments="GP review",
    )
    sessions = [_session(n, "meeting", body_talk=1) for n in range(1, 4)]
    assert not _burden(past, sessions)
    current = Client(
        name="Fictional Busy",
        other_professionals="rheumatology; pain clinic; physiotherapy; cardiology",
        concurrent_appointments="GP review",
    )
    (flag,) = _burden(current, sessions)
    assert "rheumatology" in flag.evidence[0].phrase and "discharged" not in flag.evidence[0].phrase


def test_the_therapists_own_offer_of_another_appointment_is_not_a_burden():
    own = [
        _session(1, "meeting", note="I offered another appointment with me next week.", body_talk=1),
        _session(2, "meeting", note="Booked another appointment here for Thursday.", body_talk=1),
        _session(3, "meeting", note="We arranged another session; she agreed.", body_talk=1),
    ]
    assert not _burden(Client(name="Fictional Offer"), own)
    theirs = [
        _session(
            1, "meeting", note="She has another hospital appointment on Friday and felt tired of the appointments.", body_talk=1
        ),
        _session(2, "meeting", note="Yet another referral came through from cardiology.", body_talk=1),
        _session(3, "meeting", body_talk=1),
    ]
    (flag,) = _burden(Client(name="Fictional Load"), theirs)
    assert {e.session_id for e in flag.evidence} == {"s1", "s2"}


def test_a_practical_cancellation_after_a_deep_idea_is_not_a_reaction():
    client = Client(name="Fictional Practical", emotional_agreement="not-yet")
    clash = _nudging_client(
        {"attendance": "cancelled-by-patient", "note": "", "attendance_reason": "clashing hospital appointment"}
    )
    assert not _pushing(client, clash, [_item("L4", 6, "neutral")])
    bus = _nudging_client({"attendance": "dna", "note": "", "attendance_reason": "bus strike, no transport"})
    assert not _pushing(client, bus, [_item("L4", 6, "neutral")])
    unexplained = _nudging_client({"attendance": "cancelled-by-patient", "note": "", "attendance_reason": "did not want to come"})
    (flag,) = _pushing(client, unexplained, [_item("L4", 6, "neutral")])
    assert any("ambivalence" in e.phrase for e in flag.evidence)


def test_withdrawal_words_in_the_following_note_count_as_a_reaction():
    client = Client(name="Fictional Guarded", emotional_agreement="not-yet")
    for note in ("She was guarded and said she felt pushed.", "He seemed closed off all session."):
        sessions = _nudging_client({"note": note})
        assert _pushing(client, sessions, [_item("L5", 6, "neutral")]), note
    calm = _nudging_client({"note": "She was not guarded today and spoke warmly about her sister."})
    assert not _pushing(client, calm, [_item("L5", 6, "neutral")])


def test_the_gate_as_recorded_when_shared_counts_after_agreement_moved_on():
    client = Client(name="Fictional Later Yes", emotional_agreement="yes")
    sessions = _nudging_client({"rupture": True})
    item = _item("L5", 6, "neutral")
    assert not _pushing(client, sessions, [item])
    item.versions[0].warnings = [
        "A layer 5 hypothesis is marked shared but the patient has not yet agreed that emotional factors may be relevant."
    ]
    (flag,) = _pushing(client, sessions, [item])
    assert "as recorded when it was shared" in flag.evidence[0].phrase


def test_the_vault_cache_sees_a_change_of_emotional_agreement():
    from sessionnotes.analysis.cache import AnalysisCache

    cache = AnalysisCache()
    sessions = _nudging_client({"rupture": True})
    items = [_item("L5", 6, "neutral")]
    client = Client(name="Fictional Cached", emotional_agreement="yes")
    assert "pushing-too-hard" not in {f.kind for f in detect(client, sessions, items, cache=cache)}
    client.emotional_agreement = "partly"
    assert "pushing-too-hard" in {f.kind for f in detect(client, sessions, items, cache=cache)}


# --------------------------------------------------------------------------------------------
# Ruptures and repairs
# --------------------------------------------------------------------------------------------


def _ruptures(sessions):
    return [f for f in detect(Client(name="Fictional Alliance"), sessions) if f.kind == "unrepaired-rupture"]


def test_a_rupture_without_a_later_repair_is_a_prompt_naming_what_followed():
    sessions = [_session(n, "nudging-forward", body_talk=1, substrategies=["7.1", "7.3"]) for n in range(1, 9)]
    sessions[4] = _session(5, "nudging-forward", body_talk=1, rupture=True)
    sessions[5] = _session(6, "nudging-forward", note="", attendance="dna")
    (flag,) = _ruptures(sessions)
    assert flag.key == "unrepaired-rupture:s5" and flag.sessions == ["s5", "s6"] and flag.severity == "medium"
    assert "session 5" in flag.summary and "3 booked session(s) since (1 of them missed)" in flag.summary
    assert [r.describe() for r in ruptures_and_repairs(sessions)] == [
        "rupture in session 5 (2026-02-02), no repair recorded since"
    ]


def test_a_rupture_in_the_latest_session_is_a_low_prompt():
    sessions = [_session(n, "meeting", body_talk=1) for n in range(1, 4)]
    sessions[2] = _session(3, "meeting", body_talk=1, rupture=True)
    (flag,) = _ruptures(sessions)
    assert flag.severity == "low" and "latest session" in flag.summary


def test_a_repair_later_or_in_the_same_session_answers_the_rupture():
    later = [_session(n, "nudging-forward", body_talk=1) for n in range(1, 8)]
    later[2] = _session(3, "nudging-forward", body_talk=1, rupture=True)
    later[4] = _session(5, "nudging-forward", body_talk=1, rupture=True)
    later[5] = _session(6, "nudging-forward", body_talk=1, repair=True)
    assert not _ruptures(later)
    assert [r.repair_session for r in ruptures_and_repairs(later)] == ["s6", "s6"]
    same = [_session(n, "meeting", body_talk=1) for n in range(1, 5)]
    same[1] = _session(2, "meeting", body_talk=1, rupture=True, repair=True)
    assert not _ruptures(same)
    (pair,) = ruptures_and_repairs(same)
    assert pair.describe().endswith("talked about and repaired in the same session")
    # a repair before the rupture does not answer it
    before = [_session(n, "meeting", body_talk=1) for n in range(1, 5)]
    before[0] = _session(1, "meeting", body_talk=1, repair=True)
    before[2] = _session(3, "meeting", body_talk=1, rupture=True)
    assert len(_ruptures(before)) == 1


# --------------------------------------------------------------------------------------------
# Collusion / confrontation balance
# --------------------------------------------------------------------------------------------


def _balance(sessions, formulation=(), **kw):
    client = Client(name="Fictional Balance", emotional_agreement="yes")
    return [f for f in detect(client, sessions, list(formulation), **kw) if f.kind == "collusion-confrontation"]


def test_many_sessions_of_validation_only_is_a_collusion_prompt_with_an_adjustable_threshold():
    sessions = [_session(n, "meeting", body_talk=1, substrategies=["6.1", "6.2"]) for n in range(1, 11)]
    (flag,) = _balance(sessions)
    assert "pull to collusion" in flag.summary and flag.sessions == [f"s{n}" for n in range(5, 11)]
    assert flag.key == "collusion-confrontation:collusion:s5" and flag.severity == "low"
    assert not _balance(sessions, thresholds=Thresholds.from_mapping({"collusion_sessions": 7}))
    assert not _balance(sessions, thresholds=Thresholds(collusion_skip_first=5))


def test_validation_with_nudging_or_pacing_now_and_then_is_no_collusion():
    sessions = [_session(n, "meeting", body_talk=1, substrategies=["6.1", "6.2"]) for n in range(1, 11)]
    sessions[7] = _session(8, "meeting", body_talk=1, substrategies=["6.1", "7.3"])
    assert not _balance(sessions)
    sessions[7] = _session(8, "nudging-forward", body_talk=1, substrategies=["7.1"])
    assert not _balance(sessions)
    unticked = [_session(n, "meeting", body_talk=1) for n in range(1, 11)]
    assert not _balance(unticked)


def test_challenge_pressed_after_a_dispute_is_a_confrontation_prompt():
    sessions = [_session(n, "nudging-forward", body_talk=1, substrategies=["6.1", "7.1"]) for n in range(1, 10)]
    for n in (6, 7):
        sessions[n - 1] = _session(n, "nudging-forward", body_talk=1, substrategies=["7.2"])
    disputed = _item("L3", 5, "disputed", text="Perhaps doing too much on good days keeps the tiredness going.")
    (flag,) = _balance(sessions, [disputed])
    assert "confrontation" in flag.summary and flag.sessions == ["s6", "s7"] and flag.severity == "medium"
    assert flag.evidence[0].field == "formulation" and "doing too much" in flag.evidence[0].phrase
    assert not _balance(sessions, [disputed], thresholds=Thresholds(confrontation_count=3))
    pressed = [_session(n, "nudging-forward", body_talk=1, substrategies=["6.1", "7.1"]) for n in range(1, 10)]
    pressed[5] = _session(6, "nudging-forward", body_talk=1, note="I pressed the link with her job again.")
    pressed[6] = _session(7, "nudging-forward", body_talk=1, substrategies=["7.4"])
    assert _balance(pressed, [disputed])


def test_validation_after_a_dispute_is_no_confrontation():
    sessions = [_session(n, "nudging-forward", body_talk=1, substrategies=["6.1", "7.1"]) for n in range(1, 10)]
    for n in (6, 7, 8):
        sessions[n - 1] = _session(n, "nudging-forward", body_talk=1, substrategies=["7.2", "7.3"])
    assert not _balance(sessions, [_item("L3", 5, "disputed")])
    # challenge with nothing disputed before it is ordinary nudging forward
    plain = [_session(n, "nudging-forward", body_talk=1, substrategies=["7.2"]) for n in range(1, 10)]
    assert not _balance(plain)
