"""Behaviour of the pure domain: stages, NHS numbers, record round trips, validation, audit."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import random
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sessionnotes.domain import (
    AUDIT_ACTIONS,
    GENESIS_HASH,
    SCHEMA_VERSION,
    STAGE_CODES,
    STAGE_PROMPTS,
    STAGES,
    SUBSTRATEGIES,
    WHAT_GOOD_LOOKS_LIKE,
    Addendum,
    Attendance,
    AuditEntry,
    Client,
    ClientStatus,
    ClientSummary,
    Feeling,
    Session,
    format_nhs_number,
    is_valid_nhs_number,
    make_fictional_nhs_number,
    next_audit_entry,
    normalise_nhs_number,
    stage_by_code,
    substrategy_by_code,
    summarise,
    verify_chain,
)

UTC = dt.UTC
TODAY = dt.date(2026, 3, 2)
T0 = dt.datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def json_round_trip(record: Any) -> Any:
    """to_dict -> real JSON text -> from_dict, as storage will do it."""
    data = json.loads(json.dumps(record.to_dict(), ensure_ascii=False))
    return type(record).from_dict(data)


def a_session(**changes: Any) -> Session:
    base: dict[str, Any] = {
        "id": "s1",
        "date": dt.date(2026, 3, 2),
        "number": 1,
        "attendance": Attendance.ATTENDED,
        "stage": "meeting",
        "substrategies": ["6.1", "6.2"],
        "body_talk": 2,
        "feelings": [Feeling.CURIOUS],
        "themes": ["walking", "sleep"],
        "note": "Spoke about the pain in her back and her walks.",
        "private_note": "I felt pulled to reassure.",
        "created": T0,
        "updated": T0,
    }
    base.update(changes)
    return Session(**base)


def a_client(**changes: Any) -> Client:
    base: dict[str, Any] = {
        "id": "c1",
        "name": "Rowan Fictive",
        "pseudonym": "Client R",
        "dob": dt.date(1971, 4, 9),
        "nhs_number": "9434765919",
        "referral_date": dt.date(2026, 1, 5),
        "referral_positioning": "GP said therapy might help with coping.",
        "created": T0,
    }
    base.update(changes)
    return Client(**base)


# ------------------------------------------------------------------------------------ stages


def test_stages_in_order_with_goals() -> None:
    assert STAGE_CODES == ("drawing-in", "meeting", "nudging-forward")
    assert [s.goal for s in STAGES] == ["initial attendance", "initial engagement", "real engagement"]
    assert stage_by_code("meeting").name == "Meeting patients where they're at"
    assert all(s.reminder for s in STAGES)


def test_fourteen_substrategies_mapped_to_the_right_stages() -> None:
    # 5.1-5.3, 6.1-6.6, 7.1-7.5 as in DOMAIN.md and the study: 3 + 6 + 5 = 14.
    assert len(SUBSTRATEGIES) == 14
    expected_prefix = {"drawing-in": "5.", "meeting": "6.", "nudging-forward": "7."}
    for sub in SUBSTRATEGIES:
        assert sub.code.startswith(expected_prefix[sub.stage])
    assert [len(s.substrategies) for s in STAGES] == [3, 6, 5]
    for stage in STAGES:
        assert all(sub.stage == stage.code for sub in stage.substrategies)
    assert substrategy_by_code("6.6").name == "Sensitive formulation"
    assert substrategy_by_code("7.5").stage == "nudging-forward"
    assert substrategy_by_code("5.1").name == "GP–clinician relationship"


def test_unknown_stage_message_lists_valid_codes() -> None:
    with pytest.raises(ValueError, match="drawing-in, meeting, nudging-forward"):
        stage_by_code("engaged")
    with pytest.raises(ValueError, match="5.1"):
        substrategy_by_code("8.1")


def test_prompts_and_good_practice_cover_every_stage() -> None:
    for table in (STAGE_PROMPTS, WHAT_GOOD_LOOKS_LIKE):
        assert set(table) == set(STAGE_CODES)
        assert all(3 <= len(items) <= 5 for items in table.values())


# ------------------------------------------------------------------------------- NHS numbers


@pytest.mark.parametrize("number", ["9434765919", "943 476 5919", "943-476-5919", " 9434765919 "])
def test_valid_nhs_numbers(number: str) -> None:
    assert is_valid_nhs_number(number)


@pytest.mark.parametrize("number", ["9434765918", "943476591", "94347659190", "943476591X", "", "１２３４５６７８９０"])
def test_invalid_nhs_numbers(number: str) -> None:
    assert not is_valid_nhs_number(number)


def test_check_digit_of_ten_is_never_valid() -> None:
    # 6 * 2 = 12; 12 % 11 = 1; 11 - 1 = 10, so no tenth digit can complete these nine.
    first_nine = "000000006"
    for last in "0123456789":
        assert not is_valid_nhs_number(first_nine + last)


def test_normalise_and_format() -> None:
    assert normalise_nhs_number("943 476-5919") == "9434765919"
    assert format_nhs_number("9434765919") == "943 476 5919"
    with pytest.raises(ValueError, match="10 digits"):
        normalise_nhs_number("12345")


def test_fictional_numbers_are_valid_and_in_the_test_range() -> None:
    rng = random.Random(7)
    numbers = {make_fictional_nhs_number(rng) for _ in range(500)}
    assert len(numbers) > 450
    for number in numbers:
        assert number.startswith("999") and len(number) == 10
        assert is_valid_nhs_number(number)


# ----------------------------------------------------------------------------- round trips


def test_client_round_trip_and_json_safe() -> None:
    client = a_client(status=ClientStatus.DISCHARGED, discharge_date=dt.date(2026, 2, 1))
    data = client.to_dict()
    assert data["schema"] == SCHEMA_VERSION == 1
    assert data["status"] == "discharged" and data["dob"] == "1971-04-09"
    assert data["created"] == "2026-03-02T14:00:00+00:00"
    json.dumps(data)
    assert Client.from_dict(data) == client
    assert json_round_trip(client) == client


def test_session_round_trip_with_addenda() -> None:
    session = a_session(feelings=[Feeling.OTHER, Feeling.WARM], feelings_other="protective")
    session.sign(T0)
    session.addenda.append(Addendum(id="a1", created=T0 + dt.timedelta(days=1), text="Phoned GP."))
    data = session.to_dict()
    assert data["attendance"] == "attended"
    assert data["feelings"] == ["other", "warm"]
    assert data["addenda"][0]["created"] == "2026-03-03T14:00:00+00:00"
    assert json_round_trip(session) == session
    assert json_round_trip(session).signature_intact()


def test_summary_and_audit_round_trip() -> None:
    summary = ClientSummary(id="c1", name="R", stage="meeting", last_session=TODAY, sessions=3, dnas=1)
    assert json_round_trip(summary) == summary
    entry = AuditEntry.make(1, T0, "created", "client", "first save")
    assert json_round_trip(entry) == entry


def test_datetimes_are_written_in_utc() -> None:
    plus_one = dt.timezone(dt.timedelta(hours=1))
    session = a_session(created=dt.datetime(2026, 6, 1, 10, 30, tzinfo=plus_one))
    assert session.to_dict()["created"] == "2026-06-01T09:30:00+00:00"
    assert json_round_trip(session) == session


def test_naive_datetimes_are_refused() -> None:
    naive = a_session(created=dt.datetime(2026, 6, 1, 10, 30))  # noqa: DTZ001 - the point of the test
    with pytest.raises(ValueError, match="time zone"):
        naive.to_dict()
    assert any(e.field == "created" for e in naive.validate())
    data = a_session().to_dict() | {"created": "2026-06-01T10:30:00"}
    with pytest.raises(ValueError, match="created"):
        Session.from_dict(data)


def test_unknown_keys_are_preserved() -> None:
    data = a_session().to_dict() | {"mood_score": 4, "nested": {"a": [1, 2, None]}}
    session = Session.from_dict(data)
    assert session.extra == {"mood_score": 4, "nested": {"a": [1, 2, None]}}
    assert session.to_dict() == data
    client_data = a_client().to_dict() | {"preferred_term": "functional symptoms"}
    assert Client.from_dict(client_data).to_dict() == client_data


def test_missing_optional_keys_take_defaults_and_schema_newer_is_refused() -> None:
    session = Session.from_dict({"date": "2026-03-02", "attendance": "dna", "stage": "drawing-in"})
    assert session.duration_minutes == 50 and session.substrategies == []
    with pytest.raises(ValueError, match="required field 'stage'"):
        Session.from_dict({"date": "2026-03-02", "attendance": "dna"})
    with pytest.raises(ValueError, match="newer version"):
        Client.from_dict(a_client().to_dict() | {"schema": SCHEMA_VERSION + 1})


@pytest.mark.parametrize(
    ("key", "value", "fragment"),
    [
        ("attendance", "no-show", "attended, late, dna"),
        ("stage", "engaged", "drawing-in, meeting, nudging-forward"),
        ("substrategies", ["6.1", "9.9"], "9.9"),
        ("body_talk", 4, "from 0 to 3"),
        ("body_talk", -1, "from 0 to 3"),
        ("body_talk", True, "whole number"),
        ("feelings", ["sad"], "bored"),
        ("date", "2026-13-01", "YYYY-MM-DD"),
        ("note", None, "must be text"),
        ("no_recollection", "yes", "true or false"),
        ("themes", "sleep", "must be a list"),
    ],
)
def test_invalid_session_values_raise(key: str, value: Any, fragment: str) -> None:
    data = a_session().to_dict() | {key: value}
    with pytest.raises(ValueError, match=fragment) as info:
        Session.from_dict(data)
    assert key in str(info.value)


def test_invalid_client_values_raise() -> None:
    with pytest.raises(ValueError, match="open, discharged"):
        Client.from_dict(a_client().to_dict() | {"status": "closed"})
    with pytest.raises(ValueError, match="JSON object"):
        Client.from_dict(["not", "a", "dict"])  # type: ignore[arg-type]


def test_invalid_values_in_code_give_field_errors() -> None:
    session = a_session(stage="engaged", body_talk=5, attendance="no-show", substrategies=["6.1", "6.1"])
    fields_with_errors = {e.field for e in session.validate()}
    assert {"stage", "body_talk", "attendance", "substrategies"} <= fields_with_errors
    with pytest.raises(ValueError, match="Cannot save this session"):
        session.to_dict()
    assert a_session().validate() == []


def test_other_feeling_needs_a_description() -> None:
    errors = a_session(feelings=[Feeling.OTHER]).validate()
    assert [e.field for e in errors] == ["feelings_other"]


# --------------------------------------------------------------------------- property tests

json_scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text()
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)


def extras(known: set[str]) -> st.SearchStrategy[dict[str, Any]]:
    keys = st.text(min_size=1, max_size=12).filter(lambda k: k not in known and k != "schema")
    return st.dictionaries(keys, json_values, max_size=3)


offsets = st.builds(dt.timezone, st.timedeltas(min_value=dt.timedelta(hours=-23), max_value=dt.timedelta(hours=23)))
# hypothesis takes naive bounds and attaches the time zones itself.
aware = st.datetimes(
    min_value=dt.datetime(1900, 1, 2),  # noqa: DTZ001
    max_value=dt.datetime(2200, 1, 1),  # noqa: DTZ001
    timezones=offsets,
)
dates = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 1, 1))
text = st.text()

addenda = st.builds(Addendum, id=text, created=aware, text=text, extra=extras({"id", "created", "text"}))

sessions = st.builds(
    Session,
    id=text,
    date=dates,
    number=st.integers(min_value=0, max_value=10_000),
    duration_minutes=st.integers(min_value=0, max_value=480),
    attendance=st.sampled_from(Attendance),
    attendance_reason=text,
    stage=st.sampled_from(STAGE_CODES),
    substrategies=st.lists(st.sampled_from([s.code for s in SUBSTRATEGIES]), max_size=4),
    body_talk=st.none() | st.integers(min_value=0, max_value=3),
    feelings=st.lists(st.sampled_from(Feeling), max_size=3),
    feelings_other=text,
    themes=st.lists(text, max_size=3),
    homework=text,
    plan=text,
    note=text,
    private_note=text,
    no_recollection=st.booleans(),
    signed_at=st.none() | aware,
    content_hash=st.just("") | st.text("0123456789abcdef", min_size=64, max_size=64),
    addenda=st.lists(addenda, max_size=2),
    created=st.none() | aware,
    updated=st.none() | aware,
    extra=extras({f.name for f in dataclasses.fields(Session)}),
)

clients = st.builds(
    Client,
    id=text,
    name=text,
    pseudonym=text,
    dob=st.none() | dates,
    nhs_number=st.just("") | st.text("0123456789", min_size=10, max_size=10),
    gp_name=text,
    practice=text,
    practice_address=text,
    referral_date=st.none() | dates,
    referral_source=text,
    referral_positioning=text,
    referral_reaction=text,
    presenting_symptoms=text,
    investigations=text,
    long_term_conditions=text,
    risk_notes=text,
    status=st.sampled_from(ClientStatus),
    discharge_date=st.none() | dates,
    retention_until=st.none() | dates,
    created=st.none() | aware,
    extra=extras({f.name for f in dataclasses.fields(Client)}),
)


@settings(max_examples=150)
@given(sessions)
def test_any_session_round_trips(session: Session) -> None:
    assert Session.from_dict(session.to_dict()) == session
    assert json_round_trip(session) == session


@settings(max_examples=150)
@given(clients)
def test_any_client_round_trips(client: Client) -> None:
    assert Client.from_dict(client.to_dict()) == client
    assert json_round_trip(client) == client


@given(st.text(), st.text())
def test_unicode_notes_hash_stably(note: str, private_note: str) -> None:
    session = a_session(note=note, private_note=private_note)
    session.sign(T0)
    assert json_round_trip(session).signature_intact()


def test_every_field_is_serialised() -> None:
    audit = AuditEntry.make(1, T0, "created", "client", "")
    for record in (a_client(), a_session(), Addendum(created=T0, text="x"), audit):
        names = {f.name for f in dataclasses.fields(record)} - {"extra"}
        assert set(record.to_dict()) == names | {"schema"}


# ------------------------------------------------------------------------------- signing


def test_signing_fixes_the_content() -> None:
    session = a_session()
    assert not session.is_signed
    session.sign(T0)
    assert session.is_signed and len(session.content_hash) == 64
    assert session.validate() == []
    session.addenda.append(Addendum(id="a1", created=T0, text="Later thought."))
    session.updated = T0 + dt.timedelta(hours=1)
    assert session.signature_intact(), "addenda and updated are outside the signature"
    session.note += " Edited."
    assert not session.signature_intact()
    assert any("changed after it was signed" in e.message for e in session.validate())
    with pytest.raises(ValueError, match="already signed"):
        session.sign(T0)


def test_signable_content_excludes_signature_fields() -> None:
    content = a_session().signable_content()
    for key in ("signed_at", "content_hash", "addenda", "updated", "schema"):
        assert key not in content
    assert {"note", "private_note", "stage", "date"} <= set(content)


# ------------------------------------------------------------------------------- validation


def test_client_validation_messages() -> None:
    assert a_client().validate(TODAY) == []
    errors = a_client(
        name="  ",
        nhs_number="9434765918",
        dob=dt.date(2027, 1, 1),
        status=ClientStatus.DISCHARGED,
    ).validate(TODAY)
    by_field = {e.field: e.message for e in errors}
    assert by_field["name"] == "Enter the client's name."
    assert "check-digit" in by_field["nhs_number"]
    assert "future" in by_field["dob"]
    assert "discharge date" in by_field["discharge_date"]


def test_client_nhs_number_length_and_discharge_order() -> None:
    errors = a_client(
        nhs_number="12345",
        status=ClientStatus.DISCHARGED,
        discharge_date=dt.date(2025, 12, 1),
    ).validate(TODAY)
    by_field = {e.field: e.message for e in errors}
    assert "10 digits" in by_field["nhs_number"]
    assert "before the referral date" in by_field["discharge_date"]


def test_nhs_number_is_stored_without_spaces() -> None:
    assert a_client(nhs_number="943 476 5919").nhs_number == "9434765919"


# -------------------------------------------------------------------------------- retention


def test_retention_twenty_years_after_discharge() -> None:
    client = a_client(status=ClientStatus.DISCHARGED, discharge_date=dt.date(2026, 5, 14))
    assert client.retention_date() == dt.date(2046, 5, 14)
    assert a_client().retention_date() is None
    override = dataclasses.replace(client, retention_until=dt.date(2060, 1, 1))
    assert override.retention_date() == dt.date(2060, 1, 1)


def test_retention_from_29_february() -> None:
    leap_to_leap = a_client(status=ClientStatus.DISCHARGED, discharge_date=dt.date(2024, 2, 29))
    assert leap_to_leap.retention_date() == dt.date(2044, 2, 29)
    # 2100 is not a leap year: keep until 1 March so the period is never cut short.
    leap_to_common = a_client(status=ClientStatus.DISCHARGED, discharge_date=dt.date(2080, 2, 29))
    assert leap_to_common.retention_date() == dt.date(2100, 3, 1)


# ------------------------------------------------------------------------------ audit chain


def a_chain(length: int = 5) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    actions = ["created", "edited", "signed", "addendum", "exported"]
    for i in range(length):
        entries.append(next_audit_entry(entries, T0 + dt.timedelta(minutes=i), actions[i % 5], f"session:s{i}", f"step {i}"))
    return entries


def test_intact_chain_has_no_problems() -> None:
    chain = a_chain()
    assert chain[0].prev_hash == GENESIS_HASH and chain[0].seq == 1
    assert verify_chain(chain) == []
    assert verify_chain([]) == []
    assert verify_chain(chain, expected_last_hash=chain[-1].hash) == []
    assert set(AUDIT_ACTIONS) >= {"created", "viewed-in-export", "restored"}


def test_chain_detects_an_edited_entry() -> None:
    chain = a_chain()
    chain[2] = dataclasses.replace(chain[2], detail="something else")
    problems = verify_chain(chain)
    assert len(problems) == 1 and "Audit entry 3" in problems[0] and "edited" in problems[0]


def test_chain_detects_an_edited_entry_with_recomputed_hash() -> None:
    chain = a_chain()
    old = chain[2]
    chain[2] = AuditEntry.make(old.seq, old.at, old.action, old.target, "forged", old.prev_hash)
    problems = verify_chain(chain)
    assert problems and "Audit entry 4" in problems[0]


def test_chain_detects_a_removed_entry() -> None:
    chain = a_chain()
    del chain[1]
    problems = verify_chain(chain)
    assert any("sequence number 3 where 2" in p for p in problems)
    assert any("does not follow on" in p for p in problems)


def test_chain_detects_reordered_entries() -> None:
    chain = a_chain()
    chain[1], chain[2] = chain[2], chain[1]
    assert len(verify_chain(chain)) >= 2


def test_chain_detects_truncation_only_with_expected_head() -> None:
    chain = a_chain()
    assert verify_chain(chain[:-1]) == []
    assert verify_chain(chain[:-1], expected_last_hash=chain[-1].hash)


def test_audit_actions_are_checked() -> None:
    with pytest.raises(ValueError, match="created, edited"):
        AuditEntry.make(1, T0, "deleted", "client", "")
    data = AuditEntry.make(1, T0, "created", "client", "").to_dict() | {"action": "deleted"}
    with pytest.raises(ValueError, match="action"):
        AuditEntry.from_dict(data)


def test_audit_hash_independent_of_time_zone_spelling() -> None:
    plus_two = dt.timezone(dt.timedelta(hours=2))
    entry = AuditEntry.make(1, T0.astimezone(plus_two), "created", "client", "")
    assert entry.hash == AuditEntry.make(1, T0, "created", "client", "").hash
    assert verify_chain([json_round_trip(entry)]) == []


# ---------------------------------------------------------------------------------- summary


def test_summarise_counts_and_latest_stage() -> None:
    client = a_client()
    sessions = [
        a_session(id="s2", date=dt.date(2026, 1, 12), number=2, stage="meeting", attendance=Attendance.DNA),
        a_session(id="s3", date=dt.date(2026, 1, 19), number=3, stage="nudging-forward"),
        a_session(id="s1", date=dt.date(2026, 1, 5), number=1, stage="drawing-in"),
        a_session(id="s4", date=dt.date(2026, 1, 26), number=4, stage="meeting", attendance=Attendance.DNA),
    ]
    summary = summarise(client, sessions, open_flags=2, source_counter=9)
    assert summary.id == "c1" and summary.name == "Rowan Fictive" and summary.pseudonym == "Client R"
    assert summary.stage == "meeting" and summary.last_session == dt.date(2026, 1, 26)
    assert (summary.sessions, summary.dnas, summary.open_flags, summary.source_counter) == (4, 2, 2, 9)
    assert summary.status == ClientStatus.OPEN


def test_summarise_without_sessions() -> None:
    summary = summarise(a_client(), [])
    assert (summary.stage, summary.last_session, summary.sessions, summary.dnas) == ("", None, 0, 0)


def test_domain_does_not_read_the_clock() -> None:
    import inspect

    import sessionnotes.domain.models as models
    import sessionnotes.domain.nhs as nhs
    import sessionnotes.domain.stages as stages

    for module in (models, nhs, stages):
        source = inspect.getsource(module)
        assert ".now(" not in source and ".today(" not in source and "utcnow" not in source
