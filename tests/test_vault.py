"""The encrypted vault: format, authentication, atomic writes, backups, locking, keys."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import stat
from pathlib import Path

import pytest
from conftest import NEWPASS, PASS, TEST_LIMITS, cheap_params, open_vault
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tinydb import Query, TinyDB

from sessionnotes.vault import (
    ConcurrentModification,
    DurabilityUnknown,
    EncryptedStorage,
    Vault,
    VaultCorrupted,
    VaultLocked,
    WeakPassphrase,
    WriteFailed,
    WrongPassphrase,
    WrongRecoveryKey,
    fileformat,
    fsio,
)
from sessionnotes.vault.crypto import KdfLimits, KdfParams, new_params

KEY = bytes(range(32))


def tree_hash(path: Path) -> str:
    h = hashlib.sha256()
    for p in sorted(path.rglob("*")):
        if p.is_file() and p.name != ".lock":
            h.update(str(p.relative_to(path)).encode())
            h.update(p.read_bytes())
            h.update(str(p.stat().st_mtime_ns).encode())
    return h.hexdigest()


def write_doc(vault: Vault, cid: str, doc: dict) -> None:
    vault.client_storage(cid).write(doc)


# -- storage against tinydb's own behaviour -------------------------------------------------------


def test_tinydb_round_trip_insert_update_remove_query(tmp_path):
    path = tmp_path / "db.snv"
    db = TinyDB(path, storage=EncryptedStorage, key=KEY)
    db.insert_multiple([{"n": i, "who": f"Fictional {i}"} for i in range(5)])
    db.update({"who": "Renamed"}, Query().n == 2)
    db.remove(Query().n == 4)
    db.table("other").insert({"x": "ü"})
    db.close()
    db = TinyDB(path, storage=EncryptedStorage, key=KEY)
    assert sorted(d["n"] for d in db.all()) == [0, 1, 2, 3]
    assert db.get(Query().n == 2)["who"] == "Renamed"
    assert db.table("other").all() == [{"x": "ü"}]
    assert b"Fictional" not in path.read_bytes()


def test_storage_read_returns_a_fresh_copy(tmp_path):
    st_ = EncryptedStorage(tmp_path / "d.snv", key=KEY)
    st_.write({"t": {"1": {"a": 1}}})
    first = st_.read()
    first["t"]["1"]["a"] = 99
    assert st_.read() == {"t": {"1": {"a": 1}}}


def test_non_json_values_fail_before_disk_is_touched(tmp_path):
    path = tmp_path / "d.snv"
    st_ = EncryptedStorage(path, key=KEY)
    st_.write({"t": {}})
    before = path.read_bytes()
    for bad in ({"t": float("nan")}, {"t": {1, 2}}, {"t": b"bytes"}):
        with pytest.raises((ValueError, TypeError)):
            st_.write(bad)
    assert path.read_bytes() == before


def test_fresh_nonce_every_write(tmp_path):
    path = tmp_path / "d.snv"
    st_ = EncryptedStorage(path, key=KEY)
    nonces = set()
    for _ in range(20):
        st_.write({"same": "content"})
        nonces.add(fileformat.read_header(path.read_bytes(), "d").nonce)
    assert len(nonces) == 20


# -- domain round trip through the vault -----------------------------------------------------------


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=40)
@given(note=st.text(), private=st.text(), name=st.text(min_size=1).filter(lambda s: s.strip()))
def test_arbitrary_unicode_round_trips_through_the_vault(vault, note, private, name):
    import datetime as dt

    from sessionnotes.domain.models import Attendance, Client, Session
    from sessionnotes.vault.repository import Repository

    repo = Repository(vault)
    cid = repo.add_client(Client(name=name))
    sid = repo.add_session(
        cid, Session(date=dt.date(2026, 3, 2), attendance=Attendance.ATTENDED, stage="meeting", note=note, private_note=private)
    )
    s = Repository(vault).get_session(cid, sid)
    assert (s.note, s.private_note) == (note, private)
    assert repo.get_client(cid).name == name


# -- passphrase, recovery key, KDF bounds ----------------------------------------------------------


def test_wrong_passphrase_is_reported_and_nothing_is_modified(vault, vault_path):
    write_doc(vault, "abcdef0001", {"t": {"1": {"x": 1}}})
    vault.close()
    before = tree_hash(vault_path)
    with pytest.raises(WrongPassphrase) as e:
        open_vault(vault_path, "not-the-right-passphrase")
    assert "passphrase" in str(e.value).lower()
    assert tree_hash(vault_path) == before
    open_vault(vault_path).close()  # and the lock was released


def test_passphrase_change_and_recovery_key(vault_path):
    v, recovery = Vault.create(vault_path, PASS, params=cheap_params(), limits=TEST_LIMITS)
    write_doc(v, "abcdef0001", {"t": {"1": {"note": "kept"}}})
    new_recovery, _ = v.change_passphrase(NEWPASS, params=cheap_params(), limits=TEST_LIMITS)
    v.close()
    with pytest.raises(WrongPassphrase):
        open_vault(vault_path, PASS)
    v = open_vault(vault_path, NEWPASS)
    assert v.client_storage("abcdef0001").read() == {"t": {"1": {"note": "kept"}}}
    v.close()
    with pytest.raises(WrongRecoveryKey):
        Vault.open_with_recovery_key(vault_path, "AAAA-" * 7 + "AAAA")
    with pytest.raises(WrongRecoveryKey):  # a passphrase change revokes the old recovery key
        Vault.open_with_recovery_key(vault_path, recovery)
    v = Vault.open_with_recovery_key(vault_path, new_recovery.lower().replace("-", " "))
    v.change_passphrase("Quiet-Meadow-Lantern-Orbit-5521", params=cheap_params(), limits=TEST_LIMITS)
    v.close()
    with pytest.raises(WrongPassphrase):
        open_vault(vault_path, NEWPASS)
    v = open_vault(vault_path, "Quiet-Meadow-Lantern-Orbit-5521")
    assert v.client_storage("abcdef0001").read()["t"]["1"]["note"] == "kept"
    v.close()


def test_weak_passphrase_refused_with_reason_and_suggestion(vault_path):
    with pytest.raises(WeakPassphrase) as e:
        Vault.create(vault_path, "password1", params=cheap_params(), limits=TEST_LIMITS)
    assert "guess" in str(e.value)
    assert len(e.value.suggestion.split("-")) == 6
    assert not (vault_path / "vault.json").exists()


def test_kdf_parameters_outside_bounds_are_rejected_before_derivation(vault, vault_path):
    vault.close()
    meta = json.loads((vault_path / "vault.json").read_text())
    for field, value in (("memory_kib", 10 * 1024 * 1024 * 1024), ("iterations", 10**6), ("lanes", 0)):
        m = json.loads(json.dumps(meta))
        m["kdf"][field] = value
        from sessionnotes.vault.meta import checksum

        m["checksum"] = checksum(m)  # a deliberate edit, not damage
        (vault_path / "vault.json").write_text(json.dumps(m))
        with pytest.raises(VaultCorrupted) as e:
            open_vault(vault_path)
        assert "key derivation" in str(e.value)
    (vault_path / "vault.json").write_text(json.dumps(meta))


def test_production_floor_rejects_cheap_parameters():
    p = KdfParams(memory_kib=1024, iterations=1, lanes=1, salt=b"x" * 16)
    assert KdfLimits().check(p) is not None
    assert KdfLimits().check(new_params()) is None


def test_created_vault_records_argon2id_parameters_at_or_above_floor(tmp_path):
    v, _ = Vault.create(tmp_path / "v", PASS, params=new_params())
    v.close()
    kdf = json.loads((tmp_path / "v" / "vault.json").read_text())["kdf"]
    assert kdf["name"] == "argon2id" and kdf["memory_kib"] >= 65536 and kdf["iterations"] >= 3


def test_argon2id_known_answer_rfc9106():
    """RFC 9106 §5.3 test vector, through the same library call the vault uses."""
    from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

    kdf = Argon2id(salt=b"\x02" * 16, length=32, iterations=3, lanes=4, memory_cost=32, ad=b"\x04" * 12, secret=b"\x03" * 8)
    assert kdf.derive(b"\x01" * 32).hex() == "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659"


# -- damage and tampering --------------------------------------------------------------------------


def test_every_single_byte_corruption_and_truncation_is_detected_as_damage(vault, vault_path):
    write_doc(vault, "abcdef0001", {"t": {"1": {"x": "short note"}}})
    vault.close()
    path = vault_path / "clients" / "abcdef0001.snv"
    original = path.read_bytes()
    v = open_vault(vault_path)
    try:
        for i in range(len(original)):
            for flip in (0x01, 0x80, 0xFF):
                data = bytearray(original)
                data[i] ^= flip
                with pytest.raises(VaultCorrupted):
                    fileformat.decode(v._key, bytes(data), "clients/abcdef0001.snv", str(path))
        for n in range(len(original)):
            with pytest.raises(VaultCorrupted):
                fileformat.decode(v._key, original[:n], "clients/abcdef0001.snv", str(path))
        with pytest.raises(VaultCorrupted):
            fileformat.decode(v._key, original + b"\x00", "clients/abcdef0001.snv", str(path))
    finally:
        v.close()
    # and through the real open path: a damaged file names itself, the passphrase is not blamed
    data = bytearray(original)
    data[len(data) // 2] ^= 1
    path.write_bytes(bytes(data))
    v = open_vault(vault_path)
    with pytest.raises(VaultCorrupted) as e:
        v.client_storage("abcdef0001").read()
    assert "abcdef0001" in str(e.value)
    assert [name for name, _ in v.verify() if not name.startswith("backups")] == ["clients/abcdef0001.snv"]
    v.close()


def test_client_file_copied_over_another_is_rejected(vault, vault_path):
    write_doc(vault, "aaaaaa0001", {"t": {"1": {"who": "A"}}})
    write_doc(vault, "bbbbbb0002", {"t": {"1": {"who": "B"}}})
    vault.close()
    shutil.copy(vault_path / "clients/aaaaaa0001.snv", vault_path / "clients/bbbbbb0002.snv")
    v = open_vault(vault_path)
    with pytest.raises(VaultCorrupted):
        v.client_storage("bbbbbb0002").read()
    assert v.client_storage("aaaaaa0001").read()["t"]["1"]["who"] == "A"
    v.close()


def test_edited_header_fails_even_with_recomputed_checksum(vault, vault_path):
    import struct
    import zlib

    write_doc(vault, "aaaaaa0001", {"t": {}})
    vault.close()
    p = vault_path / "clients/aaaaaa0001.snv"
    data = bytearray(p.read_bytes())
    data[18:26] = struct.pack(">Q", 999)  # save counter
    hlen = struct.unpack_from(">H", data, 10)[0]
    struct.pack_into(">I", data, 12, zlib.crc32(bytes(data[:12] + data[16:hlen])))
    p.write_bytes(bytes(data))
    v = open_vault(vault_path)
    with pytest.raises(VaultCorrupted) as e:
        v.client_storage("aaaaaa0001").read()
    assert "authentication" in str(e.value)
    v.close()


@pytest.mark.parametrize(
    "damage",
    [
        lambda b: b[: len(b) // 2],
        lambda b: b.replace(b'"memory_kib"', b'"memory_kiX"'),
        lambda b: b.replace(b'"iterations": 1', b'"iterations": 2'),
        lambda b: b"",
        lambda b: b"\xff\xfe" + b,
    ],
)
def test_damaged_vault_json_is_reported_as_damage_not_wrong_passphrase(vault, vault_path, damage):
    vault.close()
    meta = vault_path / "vault.json"
    meta.write_bytes(damage(meta.read_bytes()))
    with pytest.raises(VaultCorrupted) as e:
        open_vault(vault_path)
    assert "vault.json" in str(e.value)


# -- crash safety and faults -----------------------------------------------------------------------


def test_disk_full_keeps_previous_data_and_reports(vault, vault_path, monkeypatch):
    write_doc(vault, "aaaaaa0001", {"t": {"1": {"v": "old"}}})
    real_write = os.write

    def full(fd, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    st_ = vault.client_storage("aaaaaa0001")
    with pytest.raises(WriteFailed) as e:
        st_.write({"t": {"1": {"v": "new"}}})
    monkeypatch.setattr(os, "write", real_write)
    assert "disk is full" in str(e.value)
    assert st_.read() == {"t": {"1": {"v": "old"}}}  # the in-memory view still equals the disk
    assert not list((vault_path / "clients").glob(".*.tmp"))
    vault.close()
    v = open_vault(vault_path)
    assert v.client_storage("aaaaaa0001").read() == {"t": {"1": {"v": "old"}}}
    v.client_storage("aaaaaa0001").write({"t": {"1": {"v": "after"}}})  # and saving works again
    v.close()


@pytest.mark.parametrize("step", ["fsync", "replace"])
def test_failure_before_rename_leaves_old_file(vault, vault_path, monkeypatch, step):
    write_doc(vault, "aaaaaa0001", {"v": "old"})
    target = {"fsync": (os, "fsync"), "replace": (os, "replace")}[step]

    def boom(*a, **k):
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(*target, boom)
    with pytest.raises(WriteFailed):
        vault.client_storage("aaaaaa0001").write({"v": "new"})
    monkeypatch.undo()
    vault.close()
    v = open_vault(vault_path)
    assert v.client_storage("aaaaaa0001").read() == {"v": "old"}
    v.close()


def test_directory_fsync_failure_says_saved_and_a_retry_saves_again(vault, vault_path, monkeypatch):
    write_doc(vault, "aaaaaa0001", {"v": "old"})

    def boom(path):
        raise OSError(errno.EIO, "I/O error")

    monkeypatch.setattr(fsio, "fsync_dir", boom)
    st_ = vault.client_storage("aaaaaa0001")
    with pytest.raises(DurabilityUnknown):
        st_.write({"v": "new"})
    assert st_.read() == {"v": "new"}  # memory follows the disk
    monkeypatch.undo()
    st_.write({"v": "newer"})  # the file on disk is the one we wrote: the next save goes ahead
    vault.close()
    v = open_vault(vault_path)
    assert v.client_storage("aaaaaa0001").read() == {"v": "newer"}
    v.close()


def test_update_made_behind_our_back_is_detected_not_overwritten(vault, vault_path):
    write_doc(vault, "aaaaaa0001", {"v": 1})
    ours = vault.client_storage("aaaaaa0001")
    ours.read()
    # a second writer (a sync tool restoring another copy, a second process bypassing the lock)
    other = EncryptedStorage(
        vault_path / "clients/aaaaaa0001.snv", vault._key, logical_name="clients/aaaaaa0001.snv", kind=2, file_id="aaaaaa0001"
    )
    other.read()
    other.write({"v": "theirs"})
    with pytest.raises(ConcurrentModification):
        ours.write({"v": "ours"})
    vault.close()
    v = open_vault(vault_path)
    assert v.client_storage("aaaaaa0001").read() == {"v": "theirs"}
    v.close()


def test_files_are_private_whatever_the_umask(tmp_path):
    old = os.umask(0)
    try:
        v, _ = Vault.create(tmp_path / "v", PASS, params=cheap_params(), limits=TEST_LIMITS)
        for i in range(3):
            write_doc(v, "aaaaaa0001", {"v": i})
        v.close()
    finally:
        os.umask(old)
    for p in (tmp_path / "v").rglob("*"):
        mode = stat.S_IMODE(p.stat().st_mode)
        assert mode & 0o077 == 0, (p, oct(mode))


def test_backups_are_bounded_and_restorable(vault, vault_path):
    for i in range(25):
        write_doc(vault, "aaaaaa0001", {"v": i})
    saves = sorted((vault_path / "backups").glob("client-aaaaaa0001.*.snv"))
    assert len(saves) == 10
    dailies = list((vault_path / "backups/daily").glob("client-aaaaaa0001.*.snv"))
    assert len(dailies) == 1
    vault.close()
    p = vault_path / "clients/aaaaaa0001.snv"
    p.write_bytes(p.read_bytes()[:-5])  # damaged in place: the newest backup is a copy, not this inode
    v = open_vault(vault_path)
    used = v.restore_file_from_backup("clients/aaaaaa0001.snv")
    assert used.name.endswith(".snv")
    assert v.client_storage("aaaaaa0001").read() == {"v": 24}  # the last save itself comes back
    assert not v.verify()
    v.close()


def test_no_plaintext_anywhere_in_the_vault(vault, vault_path):
    marker = "ZEBRAMARKER-ünïcode-42"
    for i in range(3):
        write_doc(vault, "aaaaaa0001", {"note": f"{marker} {i}"})
    vault.close()
    for p in vault_path.rglob("*"):
        if p.is_file():
            data = p.read_bytes()
            assert marker.encode() not in data and marker.encode("utf-16-le") not in data


# -- locking ---------------------------------------------------------------------------------------


def test_second_instance_is_refused_and_stale_lock_recovered(vault, vault_path):
    import subprocess
    import sys

    code = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from conftest import open_vault; from sessionnotes.vault import VaultLocked;"
        "from pathlib import Path\n"
        "try:\n open_vault(Path(sys.argv[2])); print('opened')\n"
        "except VaultLocked as e:\n print('locked', e.pid)"
    )
    here = str(Path(__file__).parent)
    out = subprocess.run([sys.executable, "-c", code, here, str(vault_path)], capture_output=True, text=True)
    assert out.stdout.strip() == f"locked {os.getpid()}"
    with pytest.raises(VaultLocked) as e:
        open_vault(vault_path)
    assert "already open" in str(e.value)
    vault.close()
    # a lock file left by a process that died (its pid no longer exists) does not block
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    (vault_path / ".lock").write_text(dead.stdout.strip())
    out = subprocess.run([sys.executable, "-c", code, here, str(vault_path)], capture_output=True, text=True)
    assert out.stdout.strip() == "opened"


def test_archive_backup_and_restore(vault, vault_path, tmp_path):
    write_doc(vault, "aaaaaa0001", {"note": "in the archive"})
    out = tmp_path / "backup.snarchive"
    assert vault.write_archive(out) == (2, [])
    vault.close()
    assert b"in the archive" not in out.read_bytes()
    with pytest.raises(WrongPassphrase):
        Vault.restore_archive(out, tmp_path / "restored", "wrong passphrase here", limits=TEST_LIMITS)
    Vault.restore_archive(out, tmp_path / "restored", PASS, limits=TEST_LIMITS)
    v = open_vault(tmp_path / "restored")
    assert v.client_storage("aaaaaa0001").read() == {"note": "in the archive"}
    assert v.verify() == []
    v.close()
    damaged = bytearray(out.read_bytes())
    damaged[-3] ^= 1  # inside the last entry: that entry alone is lost
    out.write_bytes(bytes(damaged))
    assert Vault.restore_archive(out, tmp_path / "restored2", PASS, limits=TEST_LIMITS) == (
        1,
        [("clients/aaaaaa0001.snv", "damaged in the archive")],
    )
    damaged[20] ^= 1  # inside vault.json: nothing can be trusted
    out.write_bytes(bytes(damaged))
    with pytest.raises(VaultCorrupted):
        Vault.restore_archive(out, tmp_path / "restored3", PASS, limits=TEST_LIMITS)
    assert not (tmp_path / "restored3" / "vault.json").exists()


@pytest.mark.parametrize(
    "weak",
    [
        "correct horse battery staple",
        "Tr0ub4dor&3xyz",
        "C0rrect-Horse_Battery staple!",
        "the quick brown fox jumps",
        "sessionnotes-vault-2026",
    ],
)
def test_known_example_and_dictionary_phrases_are_refused_with_a_reason(tmp_path, weak):
    from sessionnotes.vault.passphrase import strength

    ok, reason = strength(weak, ("Wren Notreal",))
    assert not ok and reason
    with pytest.raises(WeakPassphrase) as e:
        Vault.create(tmp_path / "v", weak, params=cheap_params(), limits=TEST_LIMITS)
    assert "too easy to guess" in str(e.value) and e.value.suggestion in e.value.hint
    assert not (tmp_path / "v" / "vault.json").exists()


def test_generated_and_random_word_passphrases_pass():
    from sessionnotes.vault.passphrase import generate_passphrase, strength

    assert strength(PASS)[0] and strength(NEWPASS)[0]
    assert not strength("Wren Notreal therapy notes", ("Wren Notreal",))[0]  # the user's own name
    assert all(strength(generate_passphrase())[0] for _ in range(20))
