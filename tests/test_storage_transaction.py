"""EncryptedStorage.transaction(): tinydb's writes inside one block become one durable write."""

from __future__ import annotations

import errno
import threading

import pytest
from tinydb import Query, TinyDB

from sessionnotes.vault import VaultError, WriteFailed, fileformat, fsio
from sessionnotes.vault import storage as storage_mod
from sessionnotes.vault.storage import EncryptedStorage

KEY = bytes(range(32))


@pytest.fixture
def writes(monkeypatch):
    """Every durable write, as the path written (counted where the sealed bytes go to disk)."""
    done: list[str] = []
    real = storage_mod.atomic_write

    def counting(path, data):
        real(path, data)
        done.append(path.name)

    monkeypatch.setattr(storage_mod, "atomic_write", counting)
    return done


def _db(st: EncryptedStorage) -> TinyDB:
    return TinyDB(storage=lambda: st)


def test_tinydb_writes_to_several_tables_in_a_transaction_are_one_write(tmp_path, writes):
    st = EncryptedStorage(tmp_path / "d.snv", key=KEY)
    st.write({"notes": {}, "audit": {}})
    writes.clear()
    with st.transaction() as tx:
        db = _db(st)
        db.table("notes").insert({"id": "a", "text": "first"})
        db.table("audit").insert({"seq": 1, "what": "created a"})
        db.table("notes").update({"text": "changed"}, Query().id == "a")
        assert db.table("notes").get(Query().id == "a")["text"] == "changed"  # reads see the change
        assert writes == [] and tx.writes == 3
    assert writes == ["d.snv"]
    assert st.read() == {"notes": {"1": {"id": "a", "text": "changed"}}, "audit": {"1": {"seq": 1, "what": "created a"}}}
    assert fileformat.read_header((tmp_path / "d.snv").read_bytes(), "d").counter == 2


def test_a_block_that_raises_writes_nothing_and_memory_stays_as_before(tmp_path, writes):
    path = tmp_path / "d.snv"
    st = EncryptedStorage(path, key=KEY)
    st.write({"notes": {"1": {"text": "kept"}}})
    before, writes[:] = path.read_bytes(), []
    with pytest.raises(RuntimeError):
        with st.transaction():
            db = _db(st)
            db.table("notes").insert({"text": "half"})
            db.table("audit").insert({"seq": 1})
            raise RuntimeError("the second half of the change failed")
    assert writes == [] and path.read_bytes() == before
    assert st.read() == {"notes": {"1": {"text": "kept"}}}
    assert _db(st).table("notes").all() == [{"text": "kept"}]


def test_a_failed_commit_leaves_file_and_memory_as_before_and_the_next_save_works(tmp_path, monkeypatch):
    path = tmp_path / "d.snv"
    st = EncryptedStorage(path, key=KEY)
    st.write({"notes": {"1": {"text": "kept"}}})
    before, counter = path.read_bytes(), st.counter

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage_mod, "atomic_write", full)
    with pytest.raises(WriteFailed, match="nothing was saved"):
        with st.transaction():
            _db(st).table("notes").insert({"text": "lost"})
            _db(st).table("audit").insert({"seq": 1})
    monkeypatch.undo()
    assert path.read_bytes() == before and st.counter == counter
    assert st.read() == {"notes": {"1": {"text": "kept"}}}
    with st.transaction():  # no ConcurrentModification, no stale working copy
        _db(st).table("notes").insert({"text": "saved"})
    assert [d["text"] for d in _db(st).table("notes").all()] == ["kept", "saved"]
    assert st.read()["notes"]["2"] == {"text": "saved"}


def test_a_block_that_writes_nothing_saves_nothing(tmp_path, writes):
    st = EncryptedStorage(tmp_path / "d.snv", key=KEY)
    st.write({"notes": {"1": {"text": "x"}}})
    writes.clear()
    with st.transaction():
        db = _db(st)
        assert db.table("notes").search(Query().text == "x") == [{"text": "x"}]
        assert db.table("other").all() == []
    assert writes == []


def test_nested_blocks_join_and_an_inner_failure_drops_the_whole_change(tmp_path, writes):
    path = tmp_path / "d.snv"
    st = EncryptedStorage(path, key=KEY)
    st.write({"notes": {}})
    before, writes[:] = path.read_bytes(), []
    with st.transaction():
        _db(st).table("notes").insert({"text": "outer"})
        with st.transaction():
            _db(st).table("notes").insert({"text": "inner"})
    assert writes == ["d.snv"] and len(st.read()["notes"]) == 2
    before, writes[:] = path.read_bytes(), []
    with pytest.raises(VaultError, match="Nothing was saved"):
        with st.transaction():
            _db(st).table("notes").insert({"text": "outer again"})
            try:
                with st.transaction():
                    _db(st).table("notes").insert({"text": "half"})
                    raise ValueError("inner failure, caught by the caller")
            except ValueError:
                pass
    assert writes == [] and path.read_bytes() == before


def test_non_json_values_in_a_transaction_fail_before_the_disk_is_touched(tmp_path, writes):
    path = tmp_path / "d.snv"
    st = EncryptedStorage(path, key=KEY)
    st.write({"t": {}})
    before, writes[:] = path.read_bytes(), []
    with pytest.raises(ValueError):
        with st.transaction():
            _db(st).table("t").insert({"x": float("nan")})
    assert writes == [] and path.read_bytes() == before and st.read() == {"t": {}}


def test_a_write_failure_reported_as_write_failed_inside_a_transaction(tmp_path, monkeypatch):
    """The real atomic write turns ENOSPC into WriteFailed; inside a transaction it still does."""
    path = tmp_path / "d.snv"
    st = EncryptedStorage(path, key=KEY)
    st.write({"t": {}})
    before = path.read_bytes()

    def full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(fsio, "write_new_file", full)
    with pytest.raises(WriteFailed, match="disk is full"):
        with st.transaction():
            _db(st).table("t").insert({"x": 1})
    assert path.read_bytes() == before and st.read() == {"t": {}}
    assert not list(tmp_path.glob(".*.tmp"))


def test_a_reader_in_another_thread_sees_the_last_saved_document_never_a_change_half_made(tmp_path, writes):
    st = EncryptedStorage(tmp_path / "d.snv", key=KEY)
    st.write({"notes": {"1": {"text": "saved"}}})
    writes.clear()
    inside, done = threading.Event(), threading.Event()
    seen: list[object] = []

    def reader() -> None:
        inside.wait(5)
        seen.append(st.read())  # no transaction: the committed document
        seen.append(_db(st).table("notes").all())
        done.set()

    t = threading.Thread(target=reader)
    t.start()
    with st.transaction():
        _db(st).table("notes").insert({"text": "half made"})
        inside.set()
        assert done.wait(5)
    t.join(5)
    assert seen == [{"notes": {"1": {"text": "saved"}}}, [{"text": "saved"}]]
    assert writes == ["d.snv"] and len(st.read()["notes"]) == 2


def test_transactions_in_two_threads_do_not_interleave(tmp_path, writes):
    st = EncryptedStorage(tmp_path / "d.snv", key=KEY)
    st.write({"n": {}})
    writes.clear()
    started = threading.Event()
    order: list[str] = []

    def other() -> None:
        started.wait(5)
        with st.transaction():  # waits for the first transaction to be saved, then builds on it
            order.append("other begins")
            _db(st).table("n").insert({"by": "other"})

    t = threading.Thread(target=other)
    t.start()
    with st.transaction():
        _db(st).table("n").insert({"by": "first"})
        started.set()
        t.join(0.2)  # the other thread is blocked meanwhile
        order.append("first ends")
    t.join(5)
    assert order == ["first ends", "other begins"]
    assert writes == ["d.snv", "d.snv"]
    assert [d["by"] for d in _db(st).table("n").all()] == ["first", "other"]  # nothing lost
