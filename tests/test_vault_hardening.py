"""Vault hardening: a passphrase change rotates the master key, so old key material opens nothing new."""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import NEWPASS, PASS, TEST_LIMITS, cheap_params, open_vault

from sessionnotes.domain.models import Attendance, Client, Session
from sessionnotes.vault import Vault, VaultError, WrongPassphrase, fileformat, rotation
from sessionnotes.vault import meta as vmeta
from sessionnotes.vault.repository import Repository


def _cli_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SESSIONNOTES_")}
    env.update(SESSIONNOTES_VAULT=str(tmp_path / "vault"), SESSIONNOTES_PASSPHRASE=PASS, HOME=str(tmp_path))
    return env


def _sn(env: dict[str, str], *args: str, expect: int | None = 0, **extra: str) -> subprocess.CompletedProcess[str]:
    p = subprocess.run([sys.executable, "-m", "sessionnotes", *args], capture_output=True, text=True, env={**env, **extra})
    assert "Traceback" not in p.stdout + p.stderr, p.stderr
    if expect is not None:
        assert p.returncode == expect, (p.returncode, p.stdout, p.stderr)
    return p


def _add_session(env: dict[str, str], cid: str, note_file: Path, text: str) -> None:
    note_file.write_text(text + "\n", encoding="utf-8")
    _sn(
        env,
        "session",
        "add",
        "--client",
        cid,
        "--date",
        "2026-03-02",
        "--stage",
        "meeting",
        "--attendance",
        "attended",
        "--file",
        str(note_file),
    )


def _all_notes(env: dict[str, str], cid: str, **extra: str) -> str:
    listed = json.loads(_sn(env, "session", "list", "--client", cid, "--json", **extra).stdout)["sessions"]
    shown = [_sn(env, "session", "show", "--client", cid, "--session", s["id"], **extra).stdout for s in listed]
    return "\n".join(shown)


def _snv_files(path: Path) -> list[Path]:
    return sorted(p for p in path.rglob("*.snv"))


def test_after_passwd_an_old_vault_json_and_old_passphrase_open_nothing_written_after(tmp_path):
    env = _cli_env(tmp_path)
    vault = tmp_path / "vault"
    _sn(env, "init", "--kdf-memory-mib", "64")
    cid = _sn(env, "client", "add", "--name", "Wren Oakley-Testfield").stdout.strip()
    note = tmp_path / "note.md"
    _add_session(env, cid, note, "Before the change: BEFOREMARKER")
    _add_session(env, cid, note, "Still before: BEFOREMARKER2")
    old_meta_raw = (vault / "vault.json").read_bytes()
    old_meta = json.loads(old_meta_raw)
    old_key = vmeta.unwrap_passphrase(old_meta, PASS, TEST_LIMITS, "old vault.json")

    out = _sn(env, "passwd", SESSIONNOTES_NEW_PASSPHRASE=NEWPASS).stdout
    assert "NEW RECOVERY KEY" in out and "OLD passphrase" in out
    after = {"SESSIONNOTES_PASSPHRASE": NEWPASS}
    _add_session({**env, **after}, cid, note, "After the change: AFTERMARKER")
    notes = _all_notes(env, cid, **after)
    assert "AFTERMARKER" in notes and "BEFOREMARKER2" in notes

    # no copy of the old key slots is left in the folder
    assert not list((vault / "backups").glob("vault.*.json"))
    assert not (vault / rotation.JOURNAL_NAME).exists()
    # the old master key authenticates no file in the folder, backups included
    files = _snv_files(vault)
    assert len(files) >= 4
    for p in files:
        logical = "index.snv" if p.name.startswith("index") else f"clients/{cid}.snv"
        with pytest.raises(VaultError):
            fileformat.decode(old_key, p.read_bytes(), logical, str(p))

    # outside check: put the old vault.json back and try the old passphrase from the CLI
    sid = json.loads(_sn(env, "session", "list", "--client", cid, "--json", **after).stdout)["sessions"][-1]["id"]
    current = (vault / "vault.json").read_bytes()
    (vault / "vault.json").write_bytes(old_meta_raw)
    before = {p: p.read_bytes() for p in vault.rglob("*") if p.is_file() and p.name != ".lock"}
    for verb in (["session", "show", "--client", cid, "--session", sid], ["verify"], ["client", "list"]):
        p = _sn(env, *verb, expect=None)
        assert p.returncode != 0 and "AFTERMARKER" not in p.stdout + p.stderr
        assert "older copy of vault.json" in p.stderr
    after_files = {p: p.read_bytes() for p in vault.rglob("*") if p.is_file() and p.name != ".lock"}
    assert after_files == before  # nothing was repaired, rebuilt or set aside with the old key
    (vault / "vault.json").write_bytes(current)
    assert "AFTERMARKER" in _all_notes(env, cid, **after)
    assert _sn(env, "client", "list", expect=None).returncode != 0  # old passphrase on the current file


class _Crash(Exception):
    pass


@pytest.mark.parametrize("crash_after", [0, 1, 3, 6, 100])
@pytest.mark.parametrize("reopen_with", [PASS, NEWPASS])
def test_an_interrupted_rotation_is_finished_at_the_next_unlock(tmp_path, monkeypatch, crash_after, reopen_with):
    path = tmp_path / "vault"
    v, _ = Vault.create(path, PASS, params=cheap_params(), limits=TEST_LIMITS)
    repo = Repository(v)
    cids = [repo.add_client(Client(name=f"Rotation Probe Fictional {i}")) for i in range(2)]
    for cid in cids:
        for n in range(3):
            repo.add_session(
                cid, Session(date=dt.date(2026, 1, 5), attendance=Attendance.ATTENDED, stage="meeting", note=f"{cid} {n}")
            )
    before = {cid: sorted(s.note for s in repo.list_sessions(cid)) for cid in cids}
    real = rotation._rekey
    calls = 0

    def flaky(*a: object) -> str:
        nonlocal calls
        calls += 1
        if calls > crash_after:
            raise _Crash
        return real(*a)  # type: ignore[arg-type]  # passes the real arguments through unchanged

    monkeypatch.setattr(rotation, "_rekey", flaky)
    finished = False
    try:
        v.change_passphrase(NEWPASS, params=cheap_params(), limits=TEST_LIMITS)
        finished = True
    except _Crash:
        pass
    v._lock.release()  # what the OS does when the process dies
    monkeypatch.setattr(rotation, "_rekey", real)
    assert (path / rotation.JOURNAL_NAME).exists() != finished
    if finished and reopen_with == PASS:
        with pytest.raises(WrongPassphrase):
            open_vault(path, PASS)
        return
    v = open_vault(path, reopen_with)
    try:
        assert (v.rotation_report is not None) != finished
        assert v.verify() == []
        assert {cid: sorted(s.note for s in Repository(v).list_sessions(cid)) for cid in cids} == before
    finally:
        v.close()
    assert not (path / rotation.JOURNAL_NAME).exists()
    with pytest.raises(WrongPassphrase):
        open_vault(path, PASS)
    open_vault(path, NEWPASS).close()


def test_a_copy_of_the_old_folder_stays_on_the_old_key(tmp_path):
    """What rotation cannot reach (a copy made before) is reported, not silently assumed safe."""
    path = tmp_path / "vault"
    v, _ = Vault.create(path, PASS, params=cheap_params(), limits=TEST_LIMITS)
    Repository(v).add_client(Client(name="Copy Probe Fictional"))
    v.after_save.flush()  # the folder as it stands between saves
    shutil.copytree(path, tmp_path / "copy", ignore=shutil.ignore_patterns(".lock"))
    _, report = v.change_passphrase(NEWPASS, params=cheap_params(), limits=TEST_LIMITS)
    v.close()
    assert any("OLD passphrase" in line for line in rotation.describe(report))
    open_vault(tmp_path / "copy", PASS).close()


# -- rollback and deletion ----------------------------------------------------------------------


def _cli_vault_with_two_saves(tmp_path: Path) -> tuple[dict[str, str], Path, str, str]:
    env = _cli_env(tmp_path)
    _sn(env, "init", "--kdf-memory-mib", "64")
    cid = _sn(env, "client", "add", "--name", "Wren Oakley-Testfield").stdout.strip()
    other = _sn(env, "client", "add", "--name", "Ash Tumblewick-Example").stdout.strip()
    _add_session(env, cid, tmp_path / "note.md", "First session: OLDMARKER")
    return env, tmp_path / "vault", cid, other


def test_a_rolled_back_client_file_fails_verify_naming_it_and_restore_file_repairs(tmp_path):
    env, vault, cid, other = _cli_vault_with_two_saves(tmp_path)
    name = f"clients/{cid}.snv"
    older = (vault / name).read_bytes()
    _add_session(env, cid, tmp_path / "note.md", "Second session: NEWMARKER")
    assert _sn(env, "verify").returncode == 0
    (vault / name).write_bytes(older)  # an older copy of the file, which authenticates on its own

    p = _sn(env, "verify", expect=None)
    assert p.returncode != 0 and name in p.stdout and "rolled back" in p.stdout
    assert f"clients/{other}.snv" not in p.stdout
    # no save can be built on the old copy, and nothing was written
    p = _sn(env, "session", "list", "--client", cid, expect=None)
    assert p.returncode != 0 and name in p.stderr and "Traceback" not in p.stderr
    assert (vault / name).read_bytes() == older
    # the hint's name is accepted by restore-file; afterwards the vault verifies again
    _sn(env, "restore-file", name)
    assert _sn(env, "verify").returncode == 0


def test_a_deleted_client_file_fails_verify_naming_it(tmp_path):
    env, vault, cid, _ = _cli_vault_with_two_saves(tmp_path)
    name = f"clients/{cid}.snv"
    (vault / name).unlink()
    p = _sn(env, "verify", expect=None)
    assert p.returncode != 0 and name in p.stdout and "missing" in p.stdout
    assert name in _sn(env, "client", "list", expect=None).stderr  # warned at every opening
    _sn(env, "restore-file", name)
    assert _sn(env, "verify").returncode == 0
    assert "OLDMARKER" in _all_notes(env, cid)


def test_a_forged_manifest_is_reported(tmp_path):
    env, vault, cid, _ = _cli_vault_with_two_saves(tmp_path)
    doc = json.loads((vault / "manifest.json").read_text())
    doc["files"][f"clients/{cid}.snv"][0] = 1
    (vault / "manifest.json").write_text(json.dumps(doc))
    p = _sn(env, "verify", expect=None)
    assert p.returncode != 0 and "manifest.json" in p.stdout


# -- backups with damaged files -------------------------------------------------------------------


def test_backup_leaves_out_a_damaged_file_and_restore_brings_back_every_other_client(tmp_path):
    env, vault, cid, other = _cli_vault_with_two_saves(tmp_path)
    third = _sn(env, "client", "add", "--name", "Rook Pemberly-Sample").stdout.strip()
    name = f"clients/{cid}.snv"
    data = bytearray((vault / name).read_bytes())
    data[-5] ^= 1  # one bit flip in one client file
    (vault / name).write_bytes(bytes(data))
    archive = tmp_path / "backup.snarchive"
    p = _sn(env, "backup", "--out", str(archive), expect=None)
    assert p.returncode == 1 and f"LEFT OUT  {name}" in p.stdout
    restored = {**env, "SESSIONNOTES_VAULT": str(tmp_path / "restored")}
    assert _sn(restored, "restore", str(archive)).returncode == 0
    listed = _sn(restored, "client", "list").stdout
    assert other in listed and third in listed

    # damage inside the archive itself: the damaged entry is named, every other client restored
    _sn(env, "restore-file", name)
    _sn(env, "backup", "--out", str(archive))
    blob = bytearray(archive.read_bytes())
    blob[-5] ^= 1  # the last entry
    archive.write_bytes(bytes(blob))
    again = {**env, "SESSIONNOTES_VAULT": str(tmp_path / "restored2")}
    p = _sn(again, "restore", str(archive), expect=None)
    assert p.returncode == 1 and "NOT RESTORED" in p.stdout
    lost = next(line.split()[2].rstrip(":") for line in p.stdout.splitlines() if line.startswith("NOT RESTORED"))
    kept = {f"clients/{c}.snv" for c in (cid, other, third)} - {lost}
    assert len(kept) == 2 and all((tmp_path / "restored2" / k).exists() for k in kept)


def test_a_failed_backup_leaves_no_partial_archive(tmp_path):
    env, vault, cid, _ = _cli_vault_with_two_saves(tmp_path)
    target = tmp_path / "no-such-folder" / "backup.snarchive"
    p = _sn(env, "backup", "--out", str(target), expect=None)
    assert p.returncode != 0 and not target.exists()


def test_passwd_names_each_archive_made_before_that_still_opens_with_the_old_passphrase(tmp_path):
    env, vault, cid, _ = _cli_vault_with_two_saves(tmp_path)
    kept, gone = tmp_path / "kept.snarchive", tmp_path / "gone.snarchive"
    _sn(env, "backup", "--out", str(kept))
    _sn(env, "backup", "--out", str(gone))
    gone.unlink()  # the user deleted this one: it is not named
    out = _sn(env, "passwd", SESSIONNOTES_NEW_PASSPHRASE=NEWPASS).stdout
    assert "NOT re-encrypted" in out and str(kept.resolve()) in out and str(gone) not in out
    # what it says is true: the archive still opens with the old passphrase, not the new one
    old_restore = {**env, "SESSIONNOTES_VAULT": str(tmp_path / "from-old")}
    assert cid in _sn(old_restore, "restore", str(kept)).stdout + _sn(old_restore, "client", "list").stdout
    new_restore = {**env, "SESSIONNOTES_VAULT": str(tmp_path / "from-new"), "SESSIONNOTES_PASSPHRASE": NEWPASS}
    assert _sn(new_restore, "restore", str(kept), expect=None).returncode != 0


# -- a damaged index ------------------------------------------------------------------------------


def _flip(p: Path, at: int = -5) -> None:
    data = bytearray(p.read_bytes())
    data[at] ^= 1
    p.write_bytes(bytes(data))


def test_a_damaged_index_is_replaced_by_its_backup_at_unlock(tmp_path):
    env, vault, cid, other = _cli_vault_with_two_saves(tmp_path)
    _flip(vault / "index.snv")
    p = _sn(env, "verify")
    assert "index.snv was damaged" in p.stderr and "replaced by its backup" in p.stderr
    listed = _sn(env, "client", "list").stdout
    assert cid in listed and other in listed
    assert any(p.name.startswith("damaged-index.") for p in (vault / "backups").iterdir())  # kept, not deleted


def test_a_damaged_index_without_backups_is_rebuilt_from_the_client_files(tmp_path):
    env, vault, cid, other = _cli_vault_with_two_saves(tmp_path)
    for p in (vault / "backups").rglob("index.*.snv"):
        p.unlink()
    _flip(vault / "index.snv")
    p = _sn(env, "client", "list")
    assert "rebuilt" in p.stderr and cid in p.stdout and other in p.stdout
    assert _sn(env, "verify").returncode == 0


def test_restore_file_accepts_the_path_a_damage_message_prints(tmp_path):
    env, vault, cid, _ = _cli_vault_with_two_saves(tmp_path)
    name = f"clients/{cid}.snv"
    _add_session(env, cid, tmp_path / "note.md", "Second session: NEWMARKER")
    _flip(vault / name)
    p = _sn(env, "session", "list", "--client", cid, expect=None)
    assert p.returncode != 0
    hinted = p.stderr.split("sessionnotes restore-file ")[1].split()[0]
    _sn(env, "restore-file", hinted)
    assert _sn(env, "verify").returncode == 0
    p = _sn(env, "restore-file", "vault.json", expect=None)
    assert p.returncode == 2 and "not a vault file name" in p.stderr


# -- inert terminal text, exports outside the vault --------------------------------------------------


def test_inert_removes_escape_sequences_and_control_characters():
    from sessionnotes.terminal import inert

    assert inert("Wren\x1b]2;pwned\x07 Oakley") == "Wren Oakley"  # window title (OSC)
    assert inert("a\x1b[2J\x1b[1;1Hb\x1b[31mc") == "abc"  # clear screen, cursor, colour (CSI)
    assert inert("x\x9b2Jy\rz\x08\x00") == "xyz"  # 8-bit CSI, carriage return, backspace, NUL
    assert inert("left\u202eright") == "leftright"  # bidirectional override
    assert inert("line one\n\tline two — café") == "line one\n\tline two — café"


def test_a_client_named_with_an_escape_sequence_prints_inert_text(tmp_path):
    env = _cli_env(tmp_path)
    _sn(env, "init", "--kdf-memory-mib", "64")
    cid = _sn(env, "client", "add", "--name", "Wren\x1b]2;TITLE\x07\x1b[2J Oakley-Testfield").stdout.strip()
    for verb in (["client", "list"], ["client", "list", "--json"], ["session", "list", "--client", cid]):
        p = _sn(env, *verb, expect=None)
        assert "\x1b" not in p.stdout + p.stderr and "\x07" not in p.stdout + p.stderr
    assert "Oakley-Testfield" in _sn(env, "client", "list").stdout


def test_exports_refuse_any_path_inside_the_vault_folder(tmp_path):
    env, vault, cid, _ = _cli_vault_with_two_saves(tmp_path)
    before = {p: p.read_bytes() for p in vault.rglob("*") if p.is_file() and p.name != ".lock"}
    for target in (vault / "index.snv", vault / "clients" / "summary.md", vault / "notes.md"):
        p = _sn(env, "export", "record", "--client", cid, "--format", "md", "--out", str(target), "--force", expect=None)
        assert p.returncode == 2 and "inside the vault folder" in p.stderr, p.stderr
    after = {p: p.read_bytes() for p in vault.rglob("*") if p.is_file() and p.name != ".lock"}
    assert after == before
    out = tmp_path / "summary.md"
    _sn(env, "export", "record", "--client", cid, "--format", "md", "--out", str(out))
    assert out.exists()


def test_a_backup_archive_is_never_written_inside_the_vault_folder(tmp_path):
    env, vault, cid, _ = _cli_vault_with_two_saves(tmp_path)
    before = {p: p.read_bytes() for p in vault.rglob("*") if p.is_file() and p.name != ".lock"}
    for target in (vault / "backup.tar", vault / "backups" / "all.tar"):
        p = _sn(env, "backup", "--out", str(target), expect=None)
        assert p.returncode == 2 and "inside the vault folder" in p.stderr, p.stderr
        assert not target.exists()
    after = {p: p.read_bytes() for p in vault.rglob("*") if p.is_file() and p.name != ".lock"}
    assert after == before
    _sn(env, "backup", "--out", str(tmp_path / "elsewhere.tar"))
    assert (tmp_path / "elsewhere.tar").stat().st_size > 0


def test_recovery_key_rotate_revokes_the_old_key_even_with_an_old_vault_json(tmp_path):
    env = _cli_env(tmp_path)
    vault = tmp_path / "vault"
    first = _sn(env, "init", "--kdf-memory-mib", "64").stdout
    old_key = next(line.strip() for line in first.splitlines() if line.strip().count("-") == 7)
    cid = _sn(env, "client", "add", "--name", "Wren Notreal").stdout.strip()
    old_meta_raw = (vault / "vault.json").read_bytes()
    out = _sn(env, "recovery-key", "rotate").stdout
    assert "NEW RECOVERY KEY" in out and old_key not in out
    new_key = next(line.strip() for line in out.splitlines() if line.strip().count("-") == 7)
    _add_session(env, cid, tmp_path / "n.md", "written after the rotation: AFTERMARKER")  # same passphrase
    # the old recovery key opens nothing, with the current vault.json or an old copy
    bad = _sn(env, "recover", "--recovery-key", old_key, expect=None, SESSIONNOTES_NEW_PASSPHRASE=NEWPASS)
    assert bad.returncode != 0
    current = (vault / "vault.json").read_bytes()
    (vault / "vault.json").write_bytes(old_meta_raw)
    bad = _sn(env, "recover", "--recovery-key", old_key, expect=None, SESSIONNOTES_NEW_PASSPHRASE=NEWPASS)
    assert bad.returncode != 0 and "AFTERMARKER" not in bad.stdout
    (vault / "vault.json").write_bytes(current)
    _sn(env, "recover", "--recovery-key", new_key, SESSIONNOTES_NEW_PASSPHRASE=NEWPASS)
    assert "AFTERMARKER" in _all_notes(env, cid, SESSIONNOTES_PASSPHRASE=NEWPASS)
    assert _sn(env, "recovery-key", expect=2).returncode == 2  # no action: bad input
    assert _sn(env, "recovery-key", "spin", expect=2).returncode == 2


def test_an_edited_vault_json_fails_its_mac_and_an_old_one_is_given_a_mac(vault, vault_path):
    vault.close()
    doc = json.loads((vault_path / "vault.json").read_text())
    assert "mac" in doc
    edited = dict(doc, created="2001-01-01T00:00:00+00:00")
    edited["checksum"] = vmeta.checksum(edited)  # a deliberate edit keeps the unkeyed checksum right
    (vault_path / "vault.json").write_text(json.dumps(edited))
    with pytest.raises(VaultError, match="edited"):
        open_vault(vault_path)
    legacy = {k: v for k, v in doc.items() if k != "mac"}
    legacy["checksum"] = vmeta.checksum(legacy)
    (vault_path / "vault.json").write_text(json.dumps(legacy))
    open_vault(vault_path).close()  # a vault.json from before the MAC still opens ...
    assert "mac" in json.loads((vault_path / "vault.json").read_text())  # ... and now has one


def test_kdf_parameters_above_the_ceiling_are_refused_before_any_derivation(vault, vault_path, monkeypatch):
    from sessionnotes.vault import crypto

    vault.close()
    doc = json.loads((vault_path / "vault.json").read_text())
    called = []
    monkeypatch.setattr(crypto, "derive_key", lambda *a: called.append(a))
    for kdf in ({"memory_kib": 2 * 1024 * 1024}, {"iterations": 64}, {"memory_kib": 1024 * 1024, "iterations": 8}):
        m = json.loads(json.dumps(doc))
        m["kdf"].update(kdf)
        m["checksum"] = vmeta.checksum(m)
        (vault_path / "vault.json").write_text(json.dumps(m))
        with pytest.raises(VaultError, match="key derivation"):
            Vault.open(vault_path, PASS)
    assert not called
