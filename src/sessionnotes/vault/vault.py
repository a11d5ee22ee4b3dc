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

import datetime as dt
import json
import os
import re
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import archive, archive_log, crypto, fileformat, rotation
from . import meta as vmeta
from .crypto import KdfLimits, KdfParams
from .errors import (
    BadName,
    BadPath,
    StaleKey,
    VaultCorrupted,
    VaultError,
    VaultExists,
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
    vault_folder_holding,
)
from .location import META_NAME
from .lockfile import VaultLock
from .manifest import MANIFEST_NAME, Manifest, digest
from .meta import META_FORMAT, META_VERSION
from .passphrase import check_strength
from .storage import AfterSave, BackupPolicy, EncryptedStorage

INDEX_NAME = "index.snv"
CLIENTS_DIR = "clients"
BACKUPS_DIR = "backups"
LOCK_NAME = ".lock"
DERIVED = {"search": "search-index.snv", "facts": "analysis-facts.snv"}
"""Caches made from the records alone (name -> file): encrypted like every file, left out of the
manifest, backups and archives (anything in them can be made again), deleted with a client's files."""
_CLIENT_ID = re.compile(r"^[a-z0-9]{6,32}$")


class Vault:
    """An unlocked vault. Create with `Vault.create`, open with `Vault.open`; `close()` locks it."""

    def __init__(
        self, path: Path, master_key: bytes, meta: dict[str, Any], lock: VaultLock, today: Callable[[], dt.date]
    ) -> None:
        self.path = path
        self._key = master_key
        self.meta = meta
        self._lock = lock
        self._today = today
        self._storages: dict[str, EncryptedStorage] = {}
        self.after_save = AfterSave()  # backup copies, manifest entries, caseload rows: after a save returns
        self.manifest = Manifest(path, master_key)
        self.manifest_problem: str | None = None  # manifest.json failed authentication (see verify)
        self.repair_note: str | None = None  # what was done at unlock about a damaged index
        self.rotation_report: rotation.RotationReport | None = None  # an interrupted passphrase change finished at unlock
        self.derived_epoch = 0  # bumped when the derived files are deleted (erasure, new key): caches made before are stale

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
            check_strength(passphrase, (path.name,))
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
        lock = VaultLock(path / LOCK_NAME)
        try:
            master = crypto.random_key()
            recovery = crypto.new_recovery_key()
            vault_id = secrets.token_hex(8)
            doc = {
                "format": META_FORMAT,
                "version": META_VERSION,
                "vault_id": vault_id,
                "created": now().isoformat(timespec="seconds"),
                "cipher": "aes-256-gcm",
                **vmeta.new_slots(vault_id, master, passphrase, params, recovery),
            }
            sealed = vmeta.seal(doc, master)
            vault = cls(path, master, sealed, lock, today)
            atomic_write(path / META_NAME, vmeta.encode(sealed))
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
        return vmeta.parse(raw, str(meta_path))

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
        where = str(path / META_NAME)
        return cls._open(path, lambda m: vmeta.unwrap_passphrase(m, passphrase, limits, where), today)

    @classmethod
    def open_with_recovery_key(
        cls, path: str | os.PathLike[str], recovery_key: str, *, today: Callable[[], dt.date] = dt.date.today
    ) -> Vault:
        path = Path(path)
        raw = crypto.parse_recovery_key(recovery_key)
        if raw is None:
            raise WrongRecoveryKey("That is not a recovery key: it should be 32 letters and digits in groups of four.")
        where = str(path / META_NAME)
        return cls._open(path, lambda m: vmeta.unwrap_recovery(m, raw, where), today)

    @classmethod
    def _open(cls, path: Path, unwrap: Callable[[dict[str, Any]], bytes], today: Callable[[], dt.date]) -> Vault:
        doc = cls.read_meta(path)
        lock = VaultLock(path / LOCK_NAME)
        try:
            master, doc, report = cls._unlock(path, doc, unwrap)
            vault = cls(path, master, doc, lock, today)
            vault.rotation_report = report
            vault._load_manifest()  # refuses a key that opens none of the files (an old vault.json)
            if vmeta.needs_mac(doc):  # written before vault.json had a MAC: give it one now
                vault.meta = vmeta.seal(doc, master)
                atomic_write(path / META_NAME, vmeta.encode(vault.meta))
            remove_stale_temp_files(path)
            remove_stale_temp_files(path / CLIENTS_DIR)
            vault._open_index()  # authenticate the index now, not at first use
        except BaseException:
            lock.release()
            raise
        return vault

    @classmethod
    def _unlock(
        cls, path: Path, doc: dict[str, Any], unwrap: Callable[[dict[str, Any]], bytes]
    ) -> tuple[bytes, dict[str, Any], rotation.RotationReport | None]:
        """(master key, vault description, report of a rotation finished now). Call with the lock held."""
        journal = rotation.read_journal(path)
        if journal is None:
            return unwrap(doc), doc, None
        where = str(path / rotation.JOURNAL_NAME)
        new_meta = vmeta.parse(json.dumps(journal["new_meta"]).encode(), where)
        try:
            key = unwrap(doc)
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
        """The manifest, or a new one for a vault made before manifests (trust on first use).

        A key that authenticates neither the manifest nor any data file is not this folder's key:
        vault.json is an older copy (from before a passphrase change) or was swapped. Nothing is
        repaired or rebuilt with such a key; the vault is refused untouched."""
        try:
            if self.manifest.load():
                return
            problem = None
        except VaultCorrupted as e:
            problem = e.reason
        if not self._key_opens_a_file():
            raise StaleKey(str(self.path / META_NAME))
        if problem:
            self.manifest_problem = problem  # reported by verify; files are still authenticated
        else:
            self.manifest.rebuild(self._live_files(self.path))

    def _key_opens_a_file(self) -> bool:
        present = [(n, p) for n, p in self._live_files(self.path) if p.exists()]
        for logical, p in present:
            try:
                fileformat.decode(self._key, p.read_bytes(), logical, str(p))
                return True
            except (OSError, VaultError):
                continue
        return not present

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
            atomic_write(path / META_NAME, vmeta.encode(journal["new_meta"]))
            rotation.clear_journal(path)
        except OSError as e:
            raise WriteFailed(
                f"The key change could not be finished: {human_os_error(e)}. Every file still opens.",
                "Fix the problem and unlock again (with the old or the new passphrase) to finish it.",
            ) from e
        return report

    def change_passphrase(
        self,
        new_passphrase: str,
        *,
        params: KdfParams | None = None,
        enforce_strength: bool = True,
        limits: KdfLimits = crypto.PRODUCTION_LIMITS,
        announce: Callable[[str], None] | None = None,
        user_inputs: tuple[str, ...] = (),
    ) -> tuple[str, rotation.RotationReport]:
        """Set a new passphrase AND a new master key and recovery key (see rotation.py).

        Every file and backup is re-encrypted under the new key, and old key slots and vault.json
        copies are destroyed, so an old vault.json with the old passphrase (or the old recovery
        key) opens nothing. `announce` gets the new recovery key as soon as the change is certain
        to finish (even after a crash), before the files are rewritten. Returns (recovery key,
        report). Archives made with `backup` before now still open with the old passphrase."""
        self._check_open()
        if enforce_strength:
            check_strength(new_passphrase, (*user_inputs, self.path.name))
        params = params or crypto.calibrate()
        problem = limits.check(params)
        if problem:
            raise ValueError(f"refusing weak key derivation parameters: {problem}")
        return self._rotate(new_passphrase, params, announce)

    def rotate_recovery_key(
        self, passphrase: str, *, announce: Callable[[str], None] | None = None
    ) -> tuple[str, rotation.RotationReport]:
        """A new recovery key; the old one is revoked. The passphrase stays (it must be the current
        one), but the master key is rotated too, so the old recovery key opens nothing written from
        now on, even with an old copy of vault.json."""
        self._check_open()
        vmeta.unwrap_passphrase(self.meta, passphrase, crypto.KdfLimits(min_memory_kib=0, min_iterations=0), "vault.json")
        old = KdfParams.from_json(self.meta["kdf"])
        params = crypto.new_params(memory_kib=old.memory_kib, iterations=old.iterations, lanes=old.lanes)
        return self._rotate(passphrase, params, announce)

    def _rotate(
        self, passphrase: str, params: KdfParams, announce: Callable[[str], None] | None
    ) -> tuple[str, rotation.RotationReport]:
        self.after_save.flush()
        self.drop_derived()  # made again under the new key; none is left readable with the old one
        new_key = crypto.random_key()
        recovery = crypto.new_recovery_key()
        doc = json.loads(json.dumps(self.meta))
        doc.update(vmeta.new_slots(doc["vault_id"], new_key, passphrase, params, recovery))
        doc = vmeta.seal(doc, new_key)
        journal = rotation.journal_doc(doc, self._key, new_key)
        for st in self._storages.values():  # saves in progress finish first; documents are re-read
            st.close()
        self._storages.clear()
        rotation.write_journal(self.path, journal)
        text = crypto.format_recovery_key(recovery)
        if announce is not None:
            announce(text)
        report = self._finish_rotation(self.path, journal, self._key, new_key)
        self._key, self.meta = new_key, doc
        self.manifest, self.manifest_problem = Manifest(self.path, new_key), None
        self.manifest.load()
        return text, report

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
                after=self.after_save,
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
        self.after_save.flush()  # no backup copy of it is written after this
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
        self.drop_derived()
        fsync_dir(self.path / CLIENTS_DIR)
        self.manifest.forget(logical)
        return removed

    def client_stamp(self, client_id: str) -> str:
        """Which version of the client's file is on disk (save counter and nonce, read from the header
        without decryption); "" when it cannot be read. Every save gives a new stamp."""
        try:
            with open(self.path / CLIENTS_DIR / f"{client_id}.snv", "rb") as f:
                header = fileformat.read_header(f.read(1024), client_id)
        except (OSError, VaultError):
            return ""
        return f"{header.counter}:{header.nonce.hex()}"

    def read_derived(self, name: str) -> bytes | None:
        """A cache made from the records (see ``DERIVED``), or None when there is none or it cannot be
        authenticated (the caller makes it again)."""
        self._check_open()
        logical = DERIVED[name]
        try:
            data = (self.path / logical).read_bytes()
            return fileformat.decode(self._key, data, logical, logical)[1]
        except (OSError, VaultError):
            return None

    def write_derived(self, name: str, payload: bytes) -> None:
        """Store a cache made from the records, encrypted with the master key, in one atomic write."""
        self._check_open()
        logical = DERIVED[name]
        data, _ = fileformat.encode(self._key, FileKind.STANDALONE, name, 0, logical, payload)
        atomic_write(self.path / logical, data)

    def derived_key(self, purpose: str) -> bytes:
        """A key derived from the master key for one purpose (e.g. keyed hashes in a derived file)."""
        self._check_open()
        return crypto.subkey(self._key, purpose)

    def drop_derived(self) -> None:
        """Delete every cache made from the records (a client's text may be in them)."""
        self.derived_epoch += 1
        for logical in DERIVED.values():
            try:
                (self.path / logical).unlink()
            except FileNotFoundError:
                pass

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
        self.after_save.flush()
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
        self.after_save.flush()
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
        inside = vault_folder_holding(Path(out).expanduser().resolve())
        if inside is not None:
            raise BadPath(
                f"{out} is inside the vault folder {inside}; a backup kept there is lost with the vault.",
                "Write the archive somewhere else, e.g. a USB stick or another disk. Nothing was written.",
            )
        self.after_save.flush()
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
        archive_log.remember(self.path, out, dt.datetime.now(dt.UTC))  # named after a key change
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
        doc = vmeta.parse(meta_raw, str(src))
        master = vmeta.unwrap_passphrase(doc, passphrase, limits, str(src))
        listed = archive.entries(master, magic, meta_raw, rest, str(src))
        good = [(name, blob) for name, blob, _ in listed if blob is not None]
        damaged = [(name, why) for name, blob, why in listed if blob is None]
        if not good:
            raise VaultCorrupted(str(src), "no file in it is intact")
        ensure_private_dir(path)
        ensure_private_dir(path / CLIENTS_DIR)
        ensure_private_dir(path / BACKUPS_DIR)
        lock = VaultLock(path / LOCK_NAME)
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
        self.after_save.flush()  # what follows the last saves (backup copies, manifest, caseload rows) first
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
