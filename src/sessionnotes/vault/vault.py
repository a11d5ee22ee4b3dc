"""The vault: a directory of encrypted files opened with one passphrase.

    vault.json          plaintext metadata, no clinical data (KDF parameters, wrapped master key)
    index.snv           caseload summary + settings (encrypted tinydb)
    clients/<id>.snv    one encrypted tinydb per client
    backups/            previous versions, same encrypted format
    .lock               single-instance lock (flock), holds the pid

A random 256-bit master key encrypts every .snv file. It is stored only wrapped: by a key derived
from the passphrase (Argon2id) and by a one-time recovery key.
"""

from __future__ import annotations

import base64
import datetime as dt
import fcntl
import hashlib
import json
import os
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import archive, crypto, fileformat, rotation
from .crypto import KdfLimits, KdfParams
from .errors import (
    BadName,
    UnsupportedVersion,
    VaultCorrupted,
    VaultError,
    VaultExists,
    VaultLocked,
    VaultNotFound,
    WriteFailed,
    WrongPassphrase,
    WrongRecoveryKey,
)
from .fileformat import FileKind
from .fsio import (
    atomic_write,
    ensure_private_dir,
    fsync_dir,
    human_os_error,
    remove_stale_temp_files,
)
from .manifest import MANIFEST_NAME, Manifest, digest
from .passphrase import check_strength
from .storage import BackupPolicy, EncryptedStorage, dumps

META_NAME = "vault.json"
INDEX_NAME = "index.snv"
CLIENTS_DIR = "clients"
BACKUPS_DIR = "backups"
LOCK_NAME = ".lock"
META_FORMAT = "sessionnotes-vault"
META_VERSION = 1
_CLIENT_ID = re.compile(r"^[a-z0-9]{6,32}$")


def default_vault_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("sessionnotes", appauthor=False)) / "vault"


def _checksum(meta: dict[str, Any]) -> str:
    body = {k: v for k, v in meta.items() if k != "checksum"}
    return hashlib.sha256(dumps(body).encode()).hexdigest()


def _slot_aad(slot: str, vault_id: str, kdf: dict[str, Any] | None) -> bytes:
    return f"sessionnotes {slot} slot v1|{vault_id}|".encode() + (dumps(kdf).encode() if kdf else b"")


class _Lock:
    """Exclusive flock on `.lock` for the life of an open vault. Released by the OS if we die."""

    def __init__(self, path: Path) -> None:
        self.path = path
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        try:
            self.fd = os.open(path, flags, 0o600)
        except OSError as e:
            raise VaultError(f"Could not open the vault lock file: {human_os_error(e)}.") from e
        os.fchmod(self.fd, 0o600)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = self._read_pid()
            os.close(self.fd)
            raise VaultLocked(pid) from None
        # we hold it: any pid written here before belonged to a process that has gone
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, str(os.getpid()).encode(), 0)

    def _read_pid(self) -> int | None:
        try:
            return int(os.pread(self.fd, 32, 0).decode().strip() or 0) or None
        except (OSError, ValueError):
            return None

    def release(self) -> None:
        if self.fd >= 0:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
            finally:
                os.close(self.fd)
                self.fd = -1


class Vault:
    """An unlocked vault. Create with `Vault.create`, open with `Vault.open`; `close()` locks it."""

    def __init__(self, path: Path, master_key: bytes, meta: dict[str, Any], lock: _Lock, today: Callable[[], dt.date]) -> None:
        self.path = path
        self._key = master_key
        self.meta = meta
        self._lock = lock
        self._today = today
        self._storages: dict[str, EncryptedStorage] = {}
        self.manifest = Manifest(path, master_key)
        self.manifest_problem: str | None = None  # manifest.json failed authentication (see verify)
        self.repair_note: str | None = None  # what was done at unlock about a damaged index
        self.rotation_report: rotation.RotationReport | None = None  # an interrupted passphrase change finished at unlock

    # -- create / open ---------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        passphrase: str,
        *,
        params: KdfParams | None = None,
        limits: KdfLimits = crypto.PRODUCTION_LIMITS,
        enforce_strength: bool = True,
        today: Callable[[], dt.date] = dt.date.today,
        now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC),
    ) -> tuple[Vault, str]:
        """Create a new vault; returns it (open, locked to this process) and the recovery key text."""
        path = Path(path)
        if (path / META_NAME).exists():
            raise VaultExists(str(path))
        if enforce_strength:
            check_strength(passphrase)
        params = params or crypto.calibrate()
        problem = limits.check(params)
        if problem:
            raise ValueError(f"refusing weak key derivation parameters: {problem}")
        try:
            ensure_private_dir(path)
            ensure_private_dir(path / CLIENTS_DIR)
            ensure_private_dir(path / BACKUPS_DIR)
        except OSError as e:
            raise VaultError(f"Could not create the vault folder {path}: {human_os_error(e)}.") from e
        lock = _Lock(path / LOCK_NAME)
        try:
            master = crypto.random_key()
            recovery = crypto.new_recovery_key()
            vault_id = secrets.token_hex(8)
            kdf = params.to_json()
            meta = {
                "format": META_FORMAT,
                "version": META_VERSION,
                "vault_id": vault_id,
                "created": now().isoformat(timespec="seconds"),
                "cipher": "aes-256-gcm",
                "kdf": kdf,
                "slots": {
                    "passphrase": crypto.wrap(
                        crypto.derive_key(passphrase, params), master, _slot_aad("passphrase", vault_id, kdf)
                    ),
                    "recovery": crypto.wrap(
                        crypto.recovery_kek(recovery, vault_id), master, _slot_aad("recovery", vault_id, None)
                    ),
                },
            }
            meta["checksum"] = _checksum(meta)
            vault = cls(path, master, meta, lock, today)
            vault._write_meta(meta)
            vault.manifest.rebuild([])
            vault.index_storage().write({})
        except BaseException:
            lock.release()
            raise
        return vault, crypto.format_recovery_key(recovery)

    @staticmethod
    def read_meta(path: str | os.PathLike[str]) -> dict[str, Any]:
        """vault.json, checked for damage (JSON, fields, checksum). Never needs a key."""
        path = Path(path)
        meta_path = path / META_NAME
        try:
            raw = meta_path.read_bytes()
        except FileNotFoundError:
            raise VaultNotFound(str(path)) from None
        except OSError as e:
            raise VaultError(f"Could not read {meta_path}: {human_os_error(e)}.") from e
        return Vault._parse_meta(raw, str(meta_path))

    @staticmethod
    def _parse_meta(raw: bytes, where: str) -> dict[str, Any]:
        try:
            meta = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise VaultCorrupted(where, "it is not valid JSON") from None
        if not isinstance(meta, dict) or meta.get("format") != META_FORMAT:
            raise VaultCorrupted(where, "it is not a sessionnotes vault description")
        if meta.get("checksum") != _checksum(meta):
            raise VaultCorrupted(where, "its checksum does not match")
        if meta.get("version") != META_VERSION:
            raise UnsupportedVersion(where, meta.get("version"))
        try:
            KdfParams.from_json(meta["kdf"])
            for slot in ("passphrase", "recovery"):
                w = meta["slots"][slot]
                base64.b64decode(w["nonce"], validate=True), base64.b64decode(w["ct"], validate=True)
            str(meta["vault_id"])
        except (KeyError, TypeError, ValueError):
            raise VaultCorrupted(where, "required fields are missing") from None
        return meta

    @classmethod
    def open(
        cls,
        path: str | os.PathLike[str],
        passphrase: str,
        *,
        limits: KdfLimits = crypto.PRODUCTION_LIMITS,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> Vault:
        """Unlock with the passphrase. Raises WrongPassphrase, VaultCorrupted, VaultLocked, ...

        An interrupted passphrase change is finished first (with the old or the new passphrase)."""
        path = Path(path)
        meta = cls.read_meta(path)
        lock = _Lock(path / LOCK_NAME)
        try:
            where = str(path / META_NAME)
            master, meta, report = cls._unlock(path, meta, lambda m: cls._unwrap_passphrase(m, passphrase, limits, where))
            vault = cls(path, master, meta, lock, today)
            vault.rotation_report = report
            vault._load_manifest()
            remove_stale_temp_files(path)
            remove_stale_temp_files(path / CLIENTS_DIR)
            vault._open_index()  # authenticate the index now, not at first use
        except BaseException:
            lock.release()
            raise
        return vault

    @classmethod
    def _unlock(
        cls, path: Path, meta: dict[str, Any], unwrap: Callable[[dict[str, Any]], bytes]
    ) -> tuple[bytes, dict[str, Any], rotation.RotationReport | None]:
        """(master key, vault description, report of a rotation finished now). Call with the lock held."""
        journal = rotation.read_journal(path)
        if journal is None:
            return unwrap(meta), meta, None
        where = str(path / rotation.JOURNAL_NAME)
        new_meta = cls._parse_meta(json.dumps(journal["new_meta"]).encode(), where)
        try:
            key = unwrap(meta)
        except (WrongPassphrase, WrongRecoveryKey):
            key = unwrap(new_meta)  # the new passphrase (or recovery key) of the interrupted change
        pair = rotation.keys_from_journal(journal, key)
        if pair is None:
            raise VaultCorrupted(where, "it does not belong to this vault")
        report = cls._finish_rotation(path, journal, *pair)
        return pair[1], new_meta, report

    def _open_index(self) -> None:
        """Authenticate index.snv; a damaged or rolled-back one is set aside (kept) and replaced by
        its newest intact backup, or else rebuilt empty (caseload rows come back from the client
        files), so a damaged index never locks the user out of the client files."""
        try:
            self.index_storage().read()
            return
        except VaultCorrupted as e:
            reason = e.reason
        st = self._storages.pop(INDEX_NAME, None)
        if st is not None:
            st.close()
        stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%f")
        kept = self.path / BACKUPS_DIR / f"damaged-index.{stamp}.snv"
        os.replace(self.path / INDEX_NAME, kept)
        fsync_dir(self.path)
        aside = f"The damaged copy is kept as {kept.relative_to(self.path)}."
        try:
            used = self.restore_file_from_backup(INDEX_NAME)
            self.repair_note = f"index.snv was damaged ({reason}); it was replaced by its backup {used.name}. {aside}"
        except VaultError:
            self.index_storage().write({})
            self.repair_note = (
                f"index.snv was damaged ({reason}) and no intact backup of it was found: it was rebuilt. "
                "The caseload is recomputed from the client files; settings, autosaved drafts and the "
                f"vault-level audit trail it held are gone. {aside}"
            )
        self.index_storage().read()

    def _load_manifest(self) -> None:
        """The manifest, or a new one for a vault made before manifests (trust on first use)."""
        try:
            if not self.manifest.load():
                self.manifest.rebuild(self._live_files(self.path))
        except VaultCorrupted as e:
            self.manifest_problem = e.reason  # reported by verify; files are still authenticated

    def integrity_warnings(self) -> list[tuple[str, str]]:
        """Rolled-back, replaced or deleted files, and a damaged manifest (cheap: no decryption)."""
        out = [(MANIFEST_NAME, self.manifest_problem)] if self.manifest_problem else []
        return out + self.manifest.problems(self._live_files(self.path))

    @staticmethod
    def _live_files(path: Path) -> list[tuple[str, Path]]:
        files = [(INDEX_NAME, path / INDEX_NAME)]
        files += [(f"{CLIENTS_DIR}/{p.name}", p) for p in sorted((path / CLIENTS_DIR).glob("*.snv"))]
        return files

    @classmethod
    def _finish_rotation(cls, path: Path, journal: dict[str, Any], old: bytes, new: bytes) -> rotation.RotationReport:
        try:
            report = rotation.rekey_tree(path, old, new)
            Manifest(path, new).rebuild(cls._live_files(path))  # re-encrypted files, new key
            atomic_write(path / META_NAME, (json.dumps(journal["new_meta"], indent=2, sort_keys=True) + "\n").encode())
            rotation.clear_journal(path)
        except OSError as e:
            raise WriteFailed(
                f"The passphrase change could not be finished: {human_os_error(e)}. Every file still opens.",
                "Fix the problem and unlock again (with the old or the new passphrase) to finish it.",
            ) from e
        return report

    @staticmethod
    def _unwrap_passphrase(meta: dict[str, Any], passphrase: str, limits: KdfLimits, where: str) -> bytes:
        params = KdfParams.from_json(meta["kdf"])
        problem = limits.check(params)
        if problem:
            raise VaultCorrupted(where, problem)
        kek = crypto.derive_key(passphrase, params)
        master = crypto.unwrap(kek, meta["slots"]["passphrase"], _slot_aad("passphrase", meta["vault_id"], meta["kdf"]))
        if master is None:
            raise WrongPassphrase()
        return master

    @classmethod
    def open_with_recovery_key(
        cls, path: str | os.PathLike[str], recovery_key: str, *, today: Callable[[], dt.date] = dt.date.today
    ) -> Vault:
        path = Path(path)
        meta = cls.read_meta(path)
        raw = crypto.parse_recovery_key(recovery_key)
        if raw is None:
            raise WrongRecoveryKey("That is not a recovery key: it should be 32 letters and digits in groups of four.")

        def unwrap(m: dict[str, Any]) -> bytes:
            kek = crypto.recovery_kek(raw, m["vault_id"])
            master = crypto.unwrap(kek, m["slots"]["recovery"], _slot_aad("recovery", m["vault_id"], None))
            if master is None:
                raise WrongRecoveryKey()
            return master

        lock = _Lock(path / LOCK_NAME)
        try:
            master, meta, report = cls._unlock(path, meta, unwrap)
            vault = cls(path, master, meta, lock, today)
            vault.rotation_report = report
            vault._load_manifest()
            vault._open_index()
        except BaseException:
            lock.release()
            raise
        return vault

    def change_passphrase(
        self,
        new_passphrase: str,
        *,
        params: KdfParams | None = None,
        enforce_strength: bool = True,
        limits: KdfLimits = crypto.PRODUCTION_LIMITS,
        announce: Callable[[str], None] | None = None,
    ) -> tuple[str, rotation.RotationReport]:
        """Set a new passphrase AND a new master key and recovery key (see rotation.py).

        Every file and backup is re-encrypted under the new key, and old key slots and vault.json
        copies are destroyed, so an old vault.json with the old passphrase (or the old recovery
        key) opens nothing. `announce` gets the new recovery key as soon as the change is certain
        to finish (even after a crash), before the files are rewritten. Returns (recovery key,
        report). Archives made with `backup` before now still open with the old passphrase."""
        self._check_open()
        if enforce_strength:
            check_strength(new_passphrase)
        params = params or crypto.calibrate()
        problem = limits.check(params)
        if problem:
            raise ValueError(f"refusing weak key derivation parameters: {problem}")
        new_key = crypto.random_key()
        recovery = crypto.new_recovery_key()
        meta = json.loads(json.dumps(self.meta))
        vault_id = meta["vault_id"]
        meta["kdf"] = kdf = params.to_json()
        meta["slots"] = {
            "passphrase": crypto.wrap(crypto.derive_key(new_passphrase, params), new_key, _slot_aad("passphrase", vault_id, kdf)),
            "recovery": crypto.wrap(crypto.recovery_kek(recovery, vault_id), new_key, _slot_aad("recovery", vault_id, None)),
        }
        meta["checksum"] = _checksum(meta)
        journal = rotation.journal_doc(meta, self._key, new_key)
        for st in self._storages.values():  # saves in progress finish first; documents are re-read
            st.close()
        self._storages.clear()
        rotation.write_journal(self.path, journal)
        text = crypto.format_recovery_key(recovery)
        if announce is not None:
            announce(text)
        report = self._finish_rotation(self.path, journal, self._key, new_key)
        self._key, self.meta = new_key, meta
        self.manifest, self.manifest_problem = Manifest(self.path, new_key), None
        self.manifest.load()
        return text, report

    def _write_meta(self, meta: dict[str, Any]) -> None:
        atomic_write(self.path / META_NAME, (json.dumps(meta, indent=2, sort_keys=True) + "\n").encode())

    # -- files -----------------------------------------------------------------------------------

    def _check_open(self) -> None:
        if not self._key:
            raise VaultError("The vault is locked.", "Unlock it again with your passphrase.")

    def _storage(self, logical: str, kind: int, file_id: str, stem: str) -> EncryptedStorage:
        self._check_open()
        st = self._storages.get(logical)
        if st is None:
            st = EncryptedStorage(
                self.path / logical,
                self._key,
                logical_name=logical,
                kind=kind,
                file_id=file_id,
                backups=BackupPolicy(self.path / BACKUPS_DIR, stem, today=self._today),
                guard=self.manifest,
            )
            self._storages[logical] = st
        return st

    def index_storage(self) -> EncryptedStorage:
        return self._storage(INDEX_NAME, FileKind.INDEX, "index", "index")

    def client_storage(self, client_id: str) -> EncryptedStorage:
        if not _CLIENT_ID.match(client_id):
            raise VaultError(f"'{client_id}' is not a client id.", "List clients with: sessionnotes client list")
        return self._storage(f"{CLIENTS_DIR}/{client_id}.snv", FileKind.CLIENT, client_id, f"client-{client_id}")

    def has_client(self, client_id: str) -> bool:
        return bool(_CLIENT_ID.match(client_id)) and (self.path / CLIENTS_DIR / f"{client_id}.snv").exists()

    def new_client_id(self) -> str:
        while True:
            cid = secrets.token_hex(5)
            if not (self.path / CLIENTS_DIR / f"{cid}.snv").exists() and f"{CLIENTS_DIR}/{cid}.snv" not in self._storages:
                return cid

    def client_ids(self) -> list[str]:
        return sorted(p.stem for p in (self.path / CLIENTS_DIR).glob("*.snv") if _CLIENT_ID.match(p.stem))

    def erase_client_files(self, client_id: str) -> int:
        """Delete a client's file and every backup of it. Returns the number of files removed."""
        self._check_open()
        if not _CLIENT_ID.match(client_id):
            raise VaultError(f"'{client_id}' is not a client id.")
        logical = f"{CLIENTS_DIR}/{client_id}.snv"
        st = self._storages.pop(logical, None)
        if st is not None:
            st.close()
        victims = [self.path / logical] + BackupPolicy(self.path / BACKUPS_DIR, f"client-{client_id}").candidates()
        removed = 0
        for p in victims:
            try:
                p.unlink()
                removed += 1
            except FileNotFoundError:
                pass
        fsync_dir(self.path / CLIENTS_DIR)
        self.manifest.forget(logical)
        return removed

    def client_counter_on_disk(self, client_id: str) -> int | None:
        """The save counter in a client file's header (no decryption), or None if unreadable."""
        try:
            with open(self.path / CLIENTS_DIR / f"{client_id}.snv", "rb") as f:
                return fileformat.read_header(f.read(1024), client_id).counter
        except (OSError, VaultError):
            return None

    def _all_files(self) -> list[tuple[str, Path]]:
        return self._live_files(self.path)

    def verify(self) -> list[tuple[str, str]]:
        """Authenticate every file, backups included. Returns (file, reason) for each bad one."""
        self._check_open()
        bad: list[tuple[str, str]] = []
        for logical, p in self._all_files():
            try:
                fileformat.decode(self._key, p.read_bytes(), logical, str(p))
            except FileNotFoundError:
                bad.append((logical, "missing"))
            except VaultError as e:
                bad.append((logical, getattr(e, "reason", str(e))))
        for logical, p in self._backup_files():
            try:
                fileformat.decode(self._key, p.read_bytes(), logical, str(p))
            except (OSError, VaultError) as e:
                bad.append((str(p.relative_to(self.path)), getattr(e, "reason", str(e))))
        named = {name for name, _ in bad}
        bad += [(name, why) for name, why in self.integrity_warnings() if name not in named]
        return bad

    def _backup_files(self) -> list[tuple[str, Path]]:
        out = []
        for p in sorted((self.path / BACKUPS_DIR).rglob("*.snv")):
            stem = p.name.split(".")[0]
            if stem == "index":
                out.append((INDEX_NAME, p))
            elif stem.startswith("client-"):
                out.append((f"{CLIENTS_DIR}/{stem[len('client-') :]}.snv", p))
        return out

    def _logical_name(self, name: str) -> str:
        """A vault file's name as verify prints it, from that name or from a path to the file."""
        p = Path(name).expanduser()
        if p.is_absolute() or p.exists():
            try:
                return p.resolve().relative_to(self.path.resolve()).as_posix()
            except (OSError, ValueError):
                return name
        return p.as_posix()

    def restore_file_from_backup(self, logical: str) -> Path:
        """Replace a damaged file with its newest backup that authenticates. Returns the backup used."""
        self._check_open()
        logical = self._logical_name(logical)
        if logical == INDEX_NAME:
            stem, target = "index", self.path / INDEX_NAME
        else:
            m = re.fullmatch(rf"{CLIENTS_DIR}/([a-z0-9]{{6,32}})\.snv", logical)
            if not m:
                raise BadName(
                    f"'{logical}' is not a vault file name.",
                    "Use a name as printed by sessionnotes verify, e.g. index.snv or clients/1a2b3c4d5e.snv.",
                )
            stem, target = f"client-{m.group(1)}", self.path / logical
        intact: list[tuple[Path, bytes, int]] = []
        for cand in BackupPolicy(self.path / BACKUPS_DIR, stem).candidates():
            data = cand.read_bytes()
            try:
                header, _ = fileformat.decode(self._key, data, logical, str(cand))
            except VaultError:
                # damaged too (often the same inode as the damaged file): set aside, kept, so that
                # verify speaks of the live files again once they are repaired
                os.replace(cand, self.path / BACKUPS_DIR / f"damaged-{cand.name}")
                continue
            intact.append((cand, data, header.counter))
        if intact:
            # the version the manifest last recorded, if a backup holds it; else the newest intact one
            expected = self.manifest.expected(logical)
            matching = [c for c in intact if expected and (c[2], digest(c[1])) == expected]
            cand, data, counter = matching[0] if matching else max(intact, key=lambda c: c[2])
            atomic_write(target, data)
            st = self._storages.pop(logical, None)
            if st is not None:
                st.close()
            self.manifest.record(logical, counter, digest(data))  # the user chose this version
            return cand
        raise VaultError(
            f"No intact backup of {logical} was found.",
            "Restore a backup archive with: sessionnotes restore FILE --vault NEWPATH",
        )

    # -- archive ---------------------------------------------------------------------------------

    def write_archive(self, out: str | os.PathLike[str]) -> tuple[int, list[tuple[str, str]]]:
        """One archive of the vault (see archive.py). Every file is authenticated first; damaged
        ones are left out. Returns (files archived, [(file left out, why)]). Written atomically:
        a failed write leaves no partial archive (and an existing one intact)."""
        self._check_open()
        files: list[tuple[str, bytes]] = []
        left_out: list[tuple[str, str]] = []
        for logical, p in self._all_files():
            try:
                data = p.read_bytes()
                fileformat.decode(self._key, data, logical, logical)
            except FileNotFoundError:
                left_out.append((logical, "missing"))
                continue
            except (OSError, VaultError) as e:
                left_out.append((logical, getattr(e, "reason", str(e))))
                continue
            files.append((logical, data))
        meta_raw = (self.path / META_NAME).read_bytes()
        data = archive.pack(self._key, self.meta["vault_id"], meta_raw, files)
        out = Path(out)
        try:
            atomic_write(out, data)
        except VaultError as e:
            raise WriteFailed(f"Could not write the backup archive {out}: {e}", "Nothing was written there.") from e
        return len(files), left_out

    @classmethod
    def restore_archive(
        cls,
        archive_path: str | os.PathLike[str],
        path: str | os.PathLike[str],
        passphrase: str,
        *,
        limits: KdfLimits = crypto.PRODUCTION_LIMITS,
    ) -> tuple[int, list[tuple[str, str]]]:
        """Recreate a vault at `path` (must not hold a vault) from an archive: every intact file is
        restored, damaged entries are named. Returns (files restored, [(file, why)])."""
        src, path = Path(archive_path), Path(path)
        if (path / META_NAME).exists():
            raise VaultExists(str(path))
        try:
            data = src.read_bytes()
        except OSError as e:
            raise VaultError(f"Could not read {src}: {human_os_error(e)}.") from e
        magic, meta_raw, rest = archive.split(data, str(src))
        meta = cls._parse_meta(meta_raw, str(src))
        master = cls._unwrap_passphrase(meta, passphrase, limits, str(src))
        listed = archive.entries(master, magic, meta_raw, rest, str(src))
        good = [(name, blob) for name, blob, _ in listed if blob is not None]
        damaged = [(name, why) for name, blob, why in listed if blob is None]
        if not good:
            raise VaultCorrupted(str(src), "no file in it is intact")
        ensure_private_dir(path)
        ensure_private_dir(path / CLIENTS_DIR)
        ensure_private_dir(path / BACKUPS_DIR)
        lock = _Lock(path / LOCK_NAME)
        try:
            for logical, blob in good:
                atomic_write(path / logical, blob)
            atomic_write(path / META_NAME, meta_raw)
        finally:
            lock.release()
        return len(good), damaged

    # -- lock ------------------------------------------------------------------------------------

    def close(self) -> None:
        """Lock the vault: drop the key and every decrypted document, release the lock file."""
        for st in self._storages.values():
            st.close()
        self._storages.clear()
        self._key = b""
        self._lock.release()

    @property
    def is_open(self) -> bool:
        return bool(self._key)

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.is_open:
            self.close()
