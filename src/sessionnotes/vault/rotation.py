"""Master-key rotation: every file re-encrypted under a new random key, crash-safe and resumable.

A passphrase change (or a recovery) must lock out the old passphrase for good, so re-wrapping the
old master key is not enough: an old copy of vault.json plus the old passphrase would still open
every file. Rotation therefore works in four steps:

1. ``rotation.json`` is written atomically beside vault.json. It holds the new vault description
   (new key slots) and the two keys wrapped under each other (AES-256-GCM), so whichever key the
   next unlock yields, both are known and the rotation can be finished.
2. Every data file and every backup is re-encrypted in place, one atomic replace per file. A file
   is only ever under the old key or under the new one; a file already under the new key is skipped.
3. vault.json is replaced by the new description (old key slots gone), and old vault.json
   copies in ``backups/`` are deleted.
4. ``rotation.json`` is deleted.

A crash at any point leaves a vault that opens: before step 1 nothing changed; after it, the next
unlock (with the old or the new passphrase) finds the journal and finishes the rotation forward.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import archive_log, crypto, fileformat
from .errors import VaultCorrupted, VaultError
from .fsio import atomic_write, fsync_dir, human_os_error, remove_stale_temp_files

JOURNAL_NAME = "rotation.json"
JOURNAL_FORMAT = "sessionnotes-key-rotation"


@dataclass
class RotationReport:
    """What a finished rotation did, for the user."""

    reencrypted: int = 0  # data files and backups now under the new key
    backups_reencrypted: int = 0
    removed_damaged_backups: list[str] = field(default_factory=list)  # unreadable, were under the old key
    damaged_files: list[str] = field(default_factory=list)  # live files that failed authentication (kept)
    removed_key_copies: int = 0  # old vault.json copies deleted
    old_archives: list[tuple[str, str]] = field(default_factory=list)  # (path, made): still open with the old key


def _aad(direction: str, vault_id: str) -> bytes:
    return f"sessionnotes key rotation {direction} v1|{vault_id}".encode()


def journal_doc(new_meta: dict[str, Any], old_key: bytes, new_key: bytes) -> dict[str, Any]:
    vid = str(new_meta["vault_id"])
    return {
        "format": JOURNAL_FORMAT,
        "version": 1,
        "new_meta": new_meta,
        "new_by_old": crypto.wrap(old_key, new_key, _aad("new", vid)),
        "old_by_new": crypto.wrap(new_key, old_key, _aad("old", vid)),
    }


def write_journal(path: Path, doc: dict[str, Any]) -> None:
    atomic_write(path / JOURNAL_NAME, (json.dumps(doc, indent=2, sort_keys=True) + "\n").encode())


def read_journal(path: Path) -> dict[str, Any] | None:
    """The journal of an unfinished rotation, or None. It is written atomically, so it is whole."""
    where = path / JOURNAL_NAME
    try:
        raw = where.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as e:
        raise VaultError(f"Could not read {where}: {human_os_error(e)}.") from e
    try:
        doc = json.loads(raw.decode("utf-8"))
        if not isinstance(doc, dict) or doc.get("format") != JOURNAL_FORMAT:
            raise ValueError
        for k in ("new_by_old", "old_by_new"):
            str(doc[k]["nonce"]), str(doc[k]["ct"])
        if not isinstance(doc["new_meta"], dict):
            raise ValueError
    except (UnicodeDecodeError, ValueError, KeyError, TypeError):
        raise VaultCorrupted(str(where), "the record of an interrupted passphrase change is damaged") from None
    return doc


def keys_from_journal(doc: dict[str, Any], key: bytes) -> tuple[bytes, bytes] | None:
    """(old key, new key) given either of them, or None when `key` is neither."""
    vid = str(doc["new_meta"]["vault_id"])
    old = crypto.unwrap(key, doc["old_by_new"], _aad("old", vid))
    if old is not None:
        return old, key
    new = crypto.unwrap(key, doc["new_by_old"], _aad("new", vid))
    if new is not None:
        return key, new
    return None


def _logical_for_backup(p: Path) -> str | None:
    stem = p.name.split(".")[0]
    if stem == "index":
        return "index.snv"
    if stem.startswith("client-"):
        return f"clients/{stem[len('client-') :]}.snv"
    return None


def _rekey(p: Path, logical: str, old: bytes, new: bytes) -> str:
    """'done' (already new), 'rekeyed', or 'damaged' (opens under neither key)."""
    data = p.read_bytes()
    try:
        fileformat.decode(new, data, logical, str(p))
        return "done"
    except VaultError:
        pass
    try:
        header, payload = fileformat.decode(old, data, logical, str(p))
    except VaultError:
        return "damaged"
    blob, _ = fileformat.encode(new, header.kind, header.file_id, header.counter, logical, payload)
    fileformat.decode(new, blob, logical, str(p))  # read-back check before replacing
    atomic_write(p, blob)
    return "rekeyed"


def rekey_tree(path: Path, old: bytes, new: bytes) -> RotationReport:
    """Step 2 and the backup part of step 3. Idempotent: safe to run again after a crash."""
    report = RotationReport()
    backups = path / "backups"
    for d in (path, path / "clients", backups, backups / "daily"):
        remove_stale_temp_files(d)
    live = [("index.snv", path / "index.snv")]
    live += [(f"clients/{p.name}", p) for p in sorted((path / "clients").glob("*.snv"))]
    for logical, p in live:
        if not p.exists():
            continue
        outcome = _rekey(p, logical, old, new)
        if outcome == "damaged":
            report.damaged_files.append(logical)
        elif outcome == "rekeyed":
            report.reencrypted += 1
    for p in sorted(backups.rglob("*.snv")) if backups.exists() else []:
        backup_of = _logical_for_backup(p)
        outcome = _rekey(p, backup_of, old, new) if backup_of else "damaged"
        if outcome == "damaged":
            p.unlink()
            report.removed_damaged_backups.append(str(p.relative_to(path)))
        elif outcome == "rekeyed":
            report.reencrypted += 1
            report.backups_reencrypted += 1
    for p in sorted(backups.glob("vault.*.json")) if backups.exists() else []:
        p.unlink()
        report.removed_key_copies += 1
    if backups.exists():
        fsync_dir(backups)
    report.old_archives = archive_log.still_present(path)
    return report


def clear_journal(path: Path) -> None:
    try:
        (path / JOURNAL_NAME).unlink()
    except FileNotFoundError:
        return
    fsync_dir(path)


def describe(report: RotationReport) -> list[str]:
    """Plain sentences about what a finished rotation did and what it could not reach."""
    lines = [
        f"Every vault file was re-encrypted under a new key ({report.reencrypted} files, "
        f"{report.backups_reencrypted} of them backups in the vault folder). The old passphrase and the "
        "old recovery key open nothing in this vault, nor any earlier copy of vault.json."
    ]
    if report.removed_key_copies:
        lines.append(f"{report.removed_key_copies} old copies of vault.json (the old key slots) were deleted.")
    if report.removed_damaged_backups:
        names = ", ".join(report.removed_damaged_backups)
        lines.append(f"Deleted backups that were already damaged and could not be re-encrypted: {names}.")
    if report.damaged_files:
        names = ", ".join(report.damaged_files)
        lines.append(
            f"Damaged files left as they were (still under the old key): {names}. "
            "Replace each with its newest intact backup: sessionnotes restore-file NAME"
        )
    if report.old_archives:
        lines.append(
            "These backup archives were made before this change and were NOT re-encrypted: they still open "
            "with the OLD passphrase and the old recovery key, and hold the notes as they were then:"
        )
        lines += [f"    {where}  (made {made})" for where, made in report.old_archives]
        lines.append("Make a new archive (sessionnotes backup --out FILE), check it, then delete the old ones.")
    lines.append(
        "Any other copy of a backup archive made before now (moved, copied or on another disk) also still "
        "opens with the OLD passphrase: delete it once you have a new one."
    )
    return lines
