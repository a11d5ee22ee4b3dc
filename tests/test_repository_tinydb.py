"""The repository on TinyDB: one durable write per logical change, nothing half-applied when a write
fails, files written by the hand-written repository open unchanged and read back as the same objects."""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
from pathlib import Path

import pytest
from conftest import open_vault

from sessionnotes.domain.formulation import ItemVersion
from sessionnotes.domain.letters import Letter
from sessionnotes.domain.liaison import CONTACT_KINDS, GPContact
from sessionnotes.domain.models import Attendance, AuditEntry, Client, Session
from sessionnotes.vault import WriteFailed, fsio
from sessionnotes.vault import storage as storage_mod
from sessionnotes.vault.repository import GENESIS, RecordError, Repository


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


def tree(path: Path) -> dict[str, str]:
    return {
        str(p.relative_to(path)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(path.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


KIND = next(iter(CONTACT_KINDS))


def data_files(path: Path) -> dict[str, str]:
    """The vault's data files; backups/ is left out (a save links the current version there before
    it writes, whether or not the write then succeeds: that version is still the current one)."""
    return {k: h for k, h in tree(path).items() if not k.startswith("backups/")}


@pytest.fixture
def repo(vault):
    return Repository(vault, clock=Clock())


@pytest.fixture
def writes(monkeypatch):
    """Durable writes, as file names, counted where the sealed bytes reach the disk."""
    done: list[str] = []
    real = storage_mod.atomic_write

    def counting(path, data):
        real(path, data)
        done.append(path.name)

    monkeypatch.setattr(storage_mod, "atomic_write", counting)
    return done


# -- one write per logical change ------------------------------------------------------------------


def test_every_change_that_touches_two_tables_is_one_write_to_the_client_file(repo, writes):
    cid = repo.add_client(Client(name="Alder Fictive"))
    client_file = f"{cid}.snv"
    repo.vault.after_save.flush()
    assert writes == [client_file, "index.snv"]
    sid = repo.add_session(cid, session())
    s = repo.get_session(cid, sid)
    s.note = "edited"
    letter = Letter(title="To the GP", created=dt.datetime(2026, 3, 3, tzinfo=dt.UTC))
    version = ItemVersion(
        at=dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC), layer="L1", lens="intra-psychic", status="shared", text="Walks matter"
    )
    changes = {
        "update_session": lambda: repo.update_session(cid, s),
        "sign_session": lambda: repo.sign_session(cid, sid),
        "add_addendum": lambda: repo.add_addendum(cid, sid, "Corrected date."),
        "save_letter (new)": lambda: repo.save_letter(cid, letter),
        "save_letter (edit)": lambda: repo.save_letter(cid, letter),
        "new_letter_version": lambda: repo.new_letter_version(cid, letter.id),
        "add_formulation_item": lambda: repo.add_formulation_item(cid, version),
        "dismiss_flag": lambda: repo.dismiss_flag(cid, "dna", "k", "Fictional reason"),
        "add_gp_contact": lambda: repo.add_gp_contact(
            cid, GPContact(date=dt.date(2026, 3, 4), kind=KIND, discussed="Fictional contact")
        ),
        "record_event": lambda: repo.record_event(cid, "exported", "record", "md"),
        "discharge_client": lambda: repo.discharge_client(cid, dt.date(2026, 6, 1), "goals met"),
    }
    for name, change in changes.items():
        trail = len(repo.audit_trail(cid))
        repo.vault.after_save.flush()
        writes.clear()
        change()
        assert writes[:1] == [client_file], name  # the change is saved: one sealed write of the client file
        repo.vault.after_save.flush()  # its caseload row (derived) is written after the save returns
        assert writes == [client_file, "index.snv"], name
        assert len(repo.audit_trail(cid)) > trail, name  # ... and it held the audit entry too
    assert repo.check_integrity(cid) == []


def test_reading_writes_nothing_and_a_refused_or_empty_change_writes_nothing(repo, vault_path, writes):
    cid = repo.add_client(Client(name="Birch Notreal"))
    sid = repo.add_session(cid, session())
    repo.sign_session(cid, sid)
    repo.vault.after_save.flush()  # the last save's backup copy and caseload row are written
    writes.clear()
    before = tree(vault_path)
    repo.record(cid), repo.list_sessions(cid), repo.get_session(cid, sid), repo.audit_trail(cid), repo.check_integrity(cid)
    repo.list_formulation(cid), repo.list_measures(cid), repo.list_letters(cid), repo.flag_dismissals(cid)
    repo.list_gp_contacts(cid), repo.get_client(cid), repo.drafts(), repo.settings(), repo.vault_audit_trail()
    repo.list_clients(include_discharged=True)
    with pytest.raises(RecordError):
        repo.update_session(cid, repo.get_session(cid, sid))  # signed: refused
    repo.update_client(repo.get_client(cid))  # nothing changed
    repo.discard_draft(cid, "no such draft")
    assert writes == [] and tree(vault_path) == before


def test_erasure_is_one_index_write_before_the_files_go(repo, writes):
    cid = repo.add_client(Client(name="Cedar Pretendly"))
    repo.save_draft(cid, "new", {"note": "draft"})
    repo.vault.after_save.flush()
    writes.clear()
    repo.erase_client(cid, dt.date(2026, 7, 1), reason="Fictional: made in error")
    assert writes == ["index.snv"]
    assert repo.drafts() == [] and repo.list_clients(include_discharged=True) == []


# -- a failed write ----------------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["atomic_write", "write_new_file"])
def test_a_failed_write_leaves_memory_and_disk_as_before_with_nothing_half_applied(vault, vault_path, monkeypatch, where):
    repo = Repository(vault, clock=Clock())
    told: list[str] = []
    repo.listeners.append(told.append)
    cid = repo.add_client(Client(name="Damson Fictional"))
    sid = repo.add_session(cid, session())
    repo.save_letter(cid, Letter(title="To the GP", created=dt.datetime(2026, 3, 3, tzinfo=dt.UTC)))
    st = vault.client_storage(cid)
    vault.after_save.flush()
    doc_before, files_before, counter_before = st.read(), data_files(vault_path), st.counter
    sessions_before, trail_before = repo.list_sessions(cid), repo.audit_trail(cid)
    (row_before,) = repo.list_clients()
    told.clear()

    def full(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(*{"atomic_write": (storage_mod, "atomic_write"), "write_new_file": (fsio, "write_new_file")}[where], full)
    attempts = [
        lambda: repo.add_session(cid, session(date=dt.date(2026, 3, 9), note="never saved")),
        lambda: repo.save_letter(cid, Letter(title="Never saved", created=dt.datetime(2026, 3, 4, tzinfo=dt.UTC))),
        lambda: repo.sign_session(cid, sid),
        lambda: repo.record_event(cid, "exported", "record", "md"),
    ]
    for attempt in attempts:
        with pytest.raises((OSError, WriteFailed)):
            attempt()
    monkeypatch.undo()
    # in memory: exactly as before (no session without its audit entry, nor the reverse)
    assert st.read() == doc_before and st.counter == counter_before
    assert repo.list_sessions(cid) == sessions_before and repo.audit_trail(cid) == trail_before
    assert [x.title for x in repo.list_letters(cid)] == ["To the GP"]
    assert not repo.get_session(cid, sid).is_signed
    assert repo.list_clients() == [row_before] and told == []
    # on disk: the same files, byte for byte, and no temp files left
    assert data_files(vault_path) == files_before
    assert not list(vault_path.rglob(".*.tmp"))
    # the next save works and takes the next ids as if the failures had never happened
    sid2 = repo.add_session(cid, session(date=dt.date(2026, 3, 9), note="saved"))
    assert told == [cid]
    doc = vault.client_storage(cid).read()
    assert doc["sessions"]["2"]["id"] == sid2 and sorted(doc["sessions"]) == ["1", "2"]
    assert [e.seq for e in repo.audit_trail(cid)] == list(range(1, len(trail_before) + 2))
    assert repo.check_integrity(cid) == []
    vault.close()
    v = open_vault(vault_path)
    r = Repository(v)
    assert [s.note for s in r.list_sessions(cid)] == ["Fictional note.", "saved"]
    assert r.check_integrity(cid) == []
    v.close()


# -- files of the hand-written repository ------------------------------------------------------------


def _audit(entries: list[dict], action: str, target: str, at: str) -> None:
    last = entries[-1] if entries else None
    entries.append(
        AuditEntry.make(
            seq=(last["seq"] + 1) if last else 1,
            at=dt.datetime.fromisoformat(at),
            action=action,
            target=target,
            detail="",
            prev_hash=last["hash"] if last else GENESIS,
        ).to_dict()
    )


def _legacy_client(vault, cid: str) -> dict:
    """A client file as the hand-written repository laid it out, with gaps in the doc ids."""
    client = Client(name="Elder Fictive", created=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    client.id = cid
    s1 = session(date=dt.date(2026, 3, 9), note="second by date")
    s1.id, s1.created = "aaaa0001", dt.datetime(2026, 3, 9, 10, tzinfo=dt.UTC)
    s2 = session(date=dt.date(2026, 3, 2), note="first by date")
    s2.id, s2.created = "bbbb0002", dt.datetime(2026, 3, 2, 10, tzinfo=dt.UTC)
    s3 = session(date=dt.date(2026, 3, 16), attendance=Attendance.DNA, note="")
    s3.id, s3.created = "cccc0003", dt.datetime(2026, 3, 16, 10, tzinfo=dt.UTC)
    letter = Letter(title="To the GP", created=dt.datetime(2026, 3, 10, tzinfo=dt.UTC))
    letter.id = "1e7701"
    audit: list[dict] = []
    for target, at in [("client", "2026-01-01T09:00:00+00:00"), ("session:aaaa0001", "2026-03-09T10:00:00+00:00")]:
        _audit(audit, "created", target, at)
    _audit(audit, "created", "session:bbbb0002", "2026-03-02T10:00:00+00:00")
    _audit(audit, "created", "session:cccc0003", "2026-03-16T10:00:00+00:00")
    _audit(audit, "created", "letter:1e7701", "2026-03-10T10:00:00+00:00")
    doc = {
        "client": {"1": client.to_dict()},
        "sessions": {"2": s1.to_dict(), "3": s2.to_dict(), "7": s3.to_dict()},  # "1" and "4".."6" were never used
        "audit": {str(n): e for n, e in enumerate(audit, 1)},
        "letters": {"1": letter.to_dict()},
        "flag_dismissals": {"1": {"kind": "dna", "key": "k", "reason": "Fictional", "at": "2026-03-20T09:00:00+00:00"}},
        "meta": {"1": {"schema": 1}},
    }
    vault.client_storage(cid).write(doc)
    return doc


def test_a_file_of_the_hand_written_repository_opens_unchanged_and_reads_as_the_same_objects(vault, vault_path, writes):
    cid = "e1de7f1c71"
    doc = _legacy_client(vault, cid)
    vault.close()
    before = tree(vault_path)
    v = open_vault(vault_path)
    repo = Repository(v, clock=Clock())
    writes.clear()
    # the same objects the hand-written lookups returned: parsed from the stored dicts, numbered by date
    sessions = repo.list_sessions(cid)
    assert [s.id for s in sessions] == ["bbbb0002", "aaaa0001", "cccc0003"] and [s.number for s in sessions] == [1, 2, 3]
    expected = Session.from_dict(doc["sessions"]["2"])
    expected.number = 2
    assert repo.get_session(cid, "aaaa0001") == expected
    assert repo.get_letter(cid, "1e7701") == Letter.from_dict(doc["letters"]["1"])
    assert repo.get_client(cid) == Client.from_dict(doc["client"]["1"])
    assert repo.flag_dismissals(cid) == list(doc["flag_dismissals"].values())
    assert [e.to_dict() for e in repo.audit_trail(cid)] == list(doc["audit"].values())
    rec = repo.record(cid)
    assert rec.sessions == sessions and rec.letters == [repo.get_letter(cid, "1e7701")]
    with pytest.raises(RecordError):
        repo.get_session(cid, "nope")
    with pytest.raises(RecordError):
        repo.get_letter(cid, "nope")
    (row,) = repo.list_clients()  # no caseload row yet: computed from the file, not written
    assert (row.sessions, row.dnas, row.last_session) == (3, 1, dt.date(2026, 3, 16))
    assert writes == [] and tree(vault_path) == before
    # changes keep the layout: the same keys for what is edited, the next id after the highest
    s = repo.get_session(cid, "aaaa0001")
    s.note = "edited"
    repo.update_session(cid, s)
    new_sid = repo.add_session(cid, session(date=dt.date(2026, 3, 23)))
    stored = v.client_storage(cid).read()
    assert sorted(stored["sessions"], key=int) == ["2", "3", "7", "8"]
    assert stored["sessions"]["2"]["note"] == "edited" and stored["sessions"]["8"]["id"] == new_sid
    assert sorted(stored["audit"], key=int) == ["1", "2", "3", "4", "5", "6", "7"]
    assert stored["client"] == doc["client"] and stored["letters"] == doc["letters"] and stored["meta"] == doc["meta"]
    assert repo.check_integrity(cid) == []
    v.close()


def test_index_rows_drafts_and_settings_keep_their_doc_ids(repo, vault):
    a = repo.add_client(Client(name="Fig Imaginary"))
    b = repo.add_client(Client(name="Gorse Imaginary"))
    repo.save_draft(a, "new", {"note": "one"})
    repo.save_draft(b, "new", {"note": "two"})
    repo.save_draft(a, "new", {"note": "one, later"})  # the same draft: replaced in place
    repo.set_setting("theme", "paper")
    repo.set_setting("wrap", 80)
    repo.add_session(a, session())  # rewrites a's caseload row in place (after the save returns)
    vault.after_save.flush()
    idx = vault.index_storage().read()
    assert {k: r["id"] for k, r in idx["clients"].items()} == {"1": a, "2": b}
    assert {k: (d["client"], d["draft"]["note"]) for k, d in idx["drafts"].items()} == {"1": (a, "one, later"), "2": (b, "two")}
    assert idx["settings"] == {"1": {"theme": "paper", "wrap": 80}} and idx["meta"] == {"1": {"schema": 1}}
    assert repo.settings() == {"theme": "paper", "wrap": 80}
    repo.discard_draft(a, "new")
    assert [d["draft"]["note"] for d in repo.drafts()] == ["two"]
    assert idx["clients"]["1"]["sessions"] == 1


def test_a_new_client_file_has_the_layout_of_before(repo, vault):
    cid = repo.add_client(Client(name="Hazel Fictive"))
    doc = vault.client_storage(cid).read()
    assert sorted(doc) == ["audit", "client", "meta", "sessions"]
    assert doc["sessions"] == {} and doc["meta"] == {"1": {"schema": 1}} and list(doc["client"]) == ["1"]
    assert list(doc["audit"]) == ["1"] and doc["audit"]["1"]["prev_hash"] == GENESIS
