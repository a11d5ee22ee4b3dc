"""Saves that fail part-way: the message says truthfully whether the data reached the disk, a retry
of the same session updates it instead of adding a copy, and nothing partial is left behind."""

from __future__ import annotations

import datetime as dt
import errno
import os
from pathlib import Path

import pytest
from conftest import open_vault

from sessionnotes.domain.models import Attendance, Client, Session
from sessionnotes.vault import DurabilityUnknown, WriteFailed, fsio
from sessionnotes.vault.repository import Repository


def _session(note: str) -> Session:
    return Session(date=dt.date(2026, 3, 2), stage="meeting", attendance=Attendance.ATTENDED, note=note)


def _on_disk(vault_path: Path, cid: str) -> list[str]:
    with open_vault(vault_path) as v:
        return [s.note for s in Repository(v).list_sessions(cid)]


def _leftovers(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.name.endswith(".tmp")]


def _fail_nth(monkeypatch, owner, name, *, after: bool, n: int):
    """Make the n-th call of owner.name raise EIO (after doing its work, when `after`)."""
    real = getattr(owner, name)
    calls = {"n": 0}

    def flaky(*a, **k):
        calls["n"] += 1
        if calls["n"] == n:
            if after:
                real(*a, **k)
            raise OSError(errno.EIO, "I/O error")
        return real(*a, **k)

    monkeypatch.setattr(owner, name, flaky)
    return calls


# (what fails, whether it did its work first, which call): every step of one session save
STEPS = [
    (os, "write", False, 1),
    (os, "fsync", False, 1),
    (os, "fsync", True, 1),
    (os, "replace", False, 1),
    (os, "replace", True, 1),  # the rename happened, then an error was reported
    (fsio, "fsync_dir", False, 1),
    (os, "link", False, 1),
    (os, "fsync", False, 2),
    (os, "replace", False, 2),
    (os, "replace", True, 2),
    (os, "replace", False, 3),
    (os, "fsync", False, 3),
]


@pytest.mark.parametrize(("owner", "name", "after", "n"), STEPS)
def test_a_failed_save_says_truthfully_whether_it_was_saved_and_a_retry_never_duplicates(
    vault, vault_path, monkeypatch, owner, name, after, n
):
    repo = Repository(vault)
    cid = repo.add_client(Client(name="Wren Notreal"))
    repo.add_session(cid, _session("first"))
    session = _session("second")
    _fail_nth(monkeypatch, owner, name, after=after, n=n)
    try:
        repo.add_session(cid, session)
        outcome = "saved"
    except DurabilityUnknown:
        outcome = "written, unconfirmed"
    except WriteFailed:
        outcome = "not saved"
    monkeypatch.undo()
    sid = session.id
    assert sid, "the id is fixed before writing"
    vault.close()
    notes = _on_disk(vault_path, cid)
    if outcome == "not saved":
        assert notes == ["first"], "a save reported as not saved must not be on disk"
    else:
        assert notes == ["first", "second"], f"a save reported as {outcome!r} must be on disk"
    assert not _leftovers(vault_path)

    # the user presses save again with the same session (the app keeps the id it fixed)
    with open_vault(vault_path) as v:
        again = Repository(v)
        session.note = "second, saved again"
        assert again.add_session(cid, session) == sid
        sessions = again.list_sessions(cid)
    assert [s.note for s in sessions] == ["first", "second, saved again"]
    assert sum(1 for s in sessions if s.id == sid) == 1


def test_a_failed_caseload_update_does_not_report_a_saved_session_as_lost(vault, vault_path, monkeypatch):
    repo = Repository(vault)
    cid = repo.add_client(Client(name="Wren Notreal"))
    real = fsio.write_new_file

    def full_for_the_index(path, data):
        if "index" in path.name:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(path, data)

    monkeypatch.setattr(fsio, "write_new_file", full_for_the_index)
    sid = repo.add_session(cid, _session("kept"))  # the client file holds it: that is the save
    monkeypatch.undo()
    assert [s.id for s in repo.list_sessions(cid)] == [sid]
    assert repo.list_clients()[0].sessions == 1  # the caseload row is recomputed from the client file
    vault.close()
    assert _on_disk(vault_path, cid) == ["kept"]


def test_a_retry_of_a_signed_session_is_refused_not_duplicated(vault):
    repo = Repository(vault)
    cid = repo.add_client(Client(name="Wren Notreal"))
    s = _session("signed")
    sid = repo.add_session(cid, s)
    repo.sign_session(cid, sid)
    with pytest.raises(Exception, match="signed"):
        repo.add_session(cid, s)
    assert len(repo.list_sessions(cid)) == 1
