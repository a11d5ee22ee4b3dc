"""Record rules on top of the vault: signing, addenda, audit trail, caseload rows, drafts, erasure."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import open_vault

from sessionnotes.domain.models import Attendance, Client, ClientStatus, Feeling, Session, summarise
from sessionnotes.vault.repository import RecordError, Repository


class Clock:
    def __init__(self) -> None:
        self.now = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        self.now += dt.timedelta(minutes=1)
        return self.now


def session(**kw) -> Session:
    base = dict(date=dt.date(2026, 3, 2), attendance=Attendance.ATTENDED, stage="meeting", note="Fictional note.")
    base.update(kw)
    return Session(**base)


@pytest.fixture
def repo(vault):
    return Repository(vault, clock=Clock())


def test_every_domain_type_round_trips_through_the_vault(repo, vault, vault_path):
    client = Client(
        name="Marigold Quenby-Fable",
        pseudonym="Client M",
        dob=dt.date(1971, 4, 9),
        nhs_number="9434765919",
        gp_name="Dr Osric Vantablack",
        practice="Lindenfold Surgery",
        practice_address="14 Quillon Row",
        referral_date=dt.date(2026, 1, 5),
        referral_source="GP",
        referral_positioning="GP suggested coping support",
        referral_reaction="felt dismissed at first",
        presenting_symptoms="headaches",
        investigations="MRI (normal)",
        long_term_conditions="asthma",
        risk_notes="none known",
    )
    cid = repo.add_client(client)
    s = session(
        substrategies=["6.1", "6.2"],
        body_talk=2,
        feelings=[Feeling.WARM, Feeling.CURIOUS],
        themes=["loss"],
        homework="notice the evenings",
        plan="come back to the walks",
        private_note="felt pulled to rescue",
        duration_minutes=50,
        no_recollection=True,
    )
    sid = repo.add_session(cid, s)
    repo.sign_session(cid, sid)
    repo.add_addendum(cid, sid, "Corrected: the scan was in February.")
    vault.close()
    v = open_vault(vault_path)
    r = Repository(v)
    assert r.get_client(cid) == client
    got = r.get_session(cid, sid)
    for f in (
        "date",
        "attendance",
        "stage",
        "substrategies",
        "body_talk",
        "feelings",
        "themes",
        "homework",
        "plan",
        "note",
        "private_note",
        "duration_minutes",
        "no_recollection",
    ):
        assert getattr(got, f) == getattr(s, f), f
    assert got.is_signed and got.addenda[0].text == "Corrected: the scan was in February."
    trail = r.audit_trail(cid)
    assert [e.action for e in trail] == ["created", "created", "signed", "addendum"]
    assert r.check_integrity(cid) == []
    v.close()


def test_signed_session_is_read_only_and_changes_are_addenda(repo):
    cid = repo.add_client(Client(name="Rowan Fictive"))
    sid = repo.add_session(cid, session())
    with pytest.raises(RecordError):
        repo.add_addendum(cid, sid, "too early")
    s = repo.sign_session(cid, sid)
    s.note = "rewritten history"
    with pytest.raises(RecordError) as e:
        repo.update_session(cid, s)
    assert "addendum" in e.value.hint
    with pytest.raises(RecordError):
        repo.sign_session(cid, sid)
    with pytest.raises(RecordError):
        repo.add_addendum(cid, sid, "   ")
    assert repo.get_session(cid, sid).note == "Fictional note."


def test_tampering_with_a_signed_note_or_the_audit_trail_is_detected(repo, vault):
    cid = repo.add_client(Client(name="Hazel Notreal"))
    sid = repo.add_session(cid, session())
    repo.sign_session(cid, sid)
    st = vault.client_storage(cid)
    doc = st.read()
    key = next(k for k, d in doc["sessions"].items() if d["id"] == sid)
    doc["sessions"][key]["note"] = "quietly changed"
    st.write(doc)  # re-sealed with the real key: only the record-level checks can notice
    assert any("changed after signing" in p for p in repo.check_integrity(cid))
    doc["sessions"][key]["note"] = "Fictional note."
    first = next(iter(doc["audit"]))
    doc["audit"][first]["detail"] = "edited history"
    st.write(doc)
    assert repo.check_integrity(cid)


def test_caseload_rows_match_the_sessions_and_are_repaired_when_stale(repo, vault):
    cid = repo.add_client(Client(name="Linden Imaginy"))
    repo.add_session(cid, session(date=dt.date(2026, 3, 9), stage="nudging-forward"))
    repo.add_session(cid, session(date=dt.date(2026, 3, 2), attendance=Attendance.DNA))
    (row,) = repo.list_clients()
    expected = summarise(repo.get_client(cid), repo.list_sessions(cid))
    assert (
        (row.sessions, row.dnas, row.last_session, row.stage)
        == (expected.sessions, expected.dnas, expected.last_session, expected.stage)
        == (2, 1, dt.date(2026, 3, 9), "nudging-forward")
    )
    # simulate a crash between the client write and the index write
    st = vault.client_storage(cid)
    doc = st.read()
    doc["sessions"]["99"] = session(date=dt.date(2026, 4, 1)).to_dict() | {
        "id": "feedbeef",
        "created": "2026-04-01T10:00:00+00:00",
    }
    st.write(doc)
    (row,) = Repository(vault).list_clients()
    assert row.sessions == 3 and row.last_session == dt.date(2026, 4, 1)


def test_discharge_sets_retention_and_hides_from_open_caseload(repo):
    cid = repo.add_client(Client(name="Saffron Mockridge"))
    c = repo.discharge_client(cid, dt.date(2026, 6, 30), "goals met")
    assert c.status == ClientStatus.DISCHARGED and c.retention_date() == dt.date(2046, 6, 30)
    assert repo.list_clients() == [] and len(repo.list_clients(include_discharged=True)) == 1
    assert [e.action for e in repo.audit_trail(cid)][-2:] == ["discharged", "edited"]


def test_erasure_needs_retention_passed_or_a_reason_and_is_audited(repo, vault, vault_path):
    cid = repo.add_client(Client(name="Bramble Sampleton", pseudonym="Client B"))
    repo.add_session(cid, session())
    with pytest.raises(RecordError) as e:
        repo.erase_client(cid, today=dt.date(2026, 7, 1))
    assert "retention" in str(e.value)
    repo.erase_client(cid, today=dt.date(2026, 7, 1), reason="Fictional: record made in error")
    assert not vault.has_client(cid) and repo.list_clients(include_discharged=True) == []
    assert not list((vault_path / "backups").rglob(f"client-{cid}.*"))
    (entry,) = repo.vault_audit_trail()
    assert entry.action == "erased" and "made in error" in entry.detail and "Bramble" not in entry.detail
    cid2 = repo.add_client(Client(name="Tamsin Pretendly"))
    repo.discharge_client(cid2, dt.date(2000, 1, 1))
    repo.erase_client(cid2, today=dt.date(2026, 7, 1))  # retention (2020) has passed: no reason needed
    assert len(repo.vault_audit_trail()) == 2


def test_drafts_and_settings_survive_reopen(repo, vault, vault_path):
    cid = repo.add_client(Client(name="Quill Fablewood"))
    repo.save_draft(cid, "new", {"note": "half-written thought"})
    repo.set_setting("theme", "sessionnotes-paper")
    vault.close()
    v = open_vault(vault_path)
    r = Repository(v)
    (d,) = r.drafts()
    assert d["client"] == cid and d["draft"]["note"] == "half-written thought"
    assert r.settings()["theme"] == "sessionnotes-paper"
    r.discard_draft(cid, "new")
    assert r.drafts() == []
    v.close()
