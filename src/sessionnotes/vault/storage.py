"""A tinydb `Storage` that keeps one document in one encrypted `.snv` file.

Usable on its own::

    TinyDB(path, storage=EncryptedStorage, key=key32)

The file is decrypted once, when first read; the plaintext JSON is kept in memory and every
`read()` hands tinydb a fresh copy (tinydb mutates what it reads). `write()` serialises in memory,
seals with a fresh nonce, checks the file on disk is still the one this process last saw (save
counter + nonce), keeps the previous version in the backup folder, and replaces the file
atomically. The in-memory copy changes only after the new file is in place.

tinydb writes the whole document after every table operation. One logical change that touches
several tables (a session and its audit entry) is made inside `transaction()`: the document is
parsed once, tinydb's writes go to that working copy, and when the block ends they become ONE
durable write. If the block raises, or the write fails, the working copy is dropped: the file and
the next `read()` are exactly as before. A transaction belongs to the thread that opened it and
holds the storage's lock until it ends, so a reader in another thread (the search index, flags,
an export) sees the last saved document, never a change half made, and two changes to one file
cannot interleave.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import json
import os
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Protocol

from tinydb.storages import Storage

from . import fileformat
from .errors import ConcurrentModification, DurabilityUnknown, VaultCorrupted, VaultError, WriteFailed
from .fileformat import FileKind
from .fsio import atomic_write, ensure_private_dir, human_os_error

DEFAULT_KEEP_BACKUPS = 10
DEFAULT_KEEP_DAILY = 14
_HEADER_PEEK = 1024


def dumps(doc: Any) -> str:
    """Canonical, strict JSON (no NaN/Infinity; fails before anything touches the disk)."""
    return json.dumps(doc, ensure_ascii=False, allow_nan=False, separators=(",", ":"), sort_keys=True)


def _reject_constant(name: str) -> Any:
    raise ValueError(f"non-standard JSON constant {name}")


def loads(text: str) -> Any:
    return json.loads(text, parse_constant=_reject_constant)


class SaveGuard(Protocol):
    """Checks a file against the vault manifest when it is opened, and records each save."""

    def check(self, logical: str, counter: int, sha: str) -> str | None: ...

    def record(self, logical: str, counter: int, sha: str, later: AfterSave | None = None) -> None: ...


class AfterSave:
    """Work that follows a save but need not delay it: the backup copy of the version just saved,
    the manifest entry, the caseload row. Done in order by one thread, started when work arrives
    (not a daemon: the interpreter waits for it at exit). Work submitted under a key that is still
    waiting replaces it (only the newest manifest or backup copy matters). `flush()` waits until
    everything submitted is done; the vault calls it before it locks, erases, rotates or verifies.

    Nothing acknowledged depends on it: the client file itself is written and fsynced before a save
    returns. A crash before this work runs leaves a manifest one save behind (reads as "newer than
    recorded": fine), a caseload row recomputed from the client file at the next listing, and the
    newest backup made by the next save (which links the live file as a backup before replacing it).
    """

    def __init__(self) -> None:
        self._cond = threading.Condition()
        self._jobs: dict[object, Callable[[], None]] = {}
        self._thread: threading.Thread | None = None

    def submit(self, key: object, job: Callable[[], None]) -> None:
        with self._cond:
            self._jobs.pop(key, None)
            self._jobs[key] = job
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="sessionnotes-after-save")
                self._thread.start()

    def _run(self) -> None:
        while True:
            with self._cond:
                if not self._jobs:
                    self._thread = None
                    self._cond.notify_all()
                    return
                key = next(iter(self._jobs))
                job = self._jobs.pop(key)
            try:
                job()
            except Exception:  # noqa: BLE001 - each job is best effort, as it was when done in line
                pass

    def flush(self) -> None:
        """Wait until every submitted job has run (at once when called from the worker itself)."""
        with self._cond:
            if self._thread is threading.current_thread():
                return
            while self._thread is not None:
                self._cond.wait()


class BackupPolicy:
    """Where and how many previous versions to keep: the last `keep` saves plus one per day."""

    def __init__(
        self,
        directory: Path,
        stem: str,
        keep: int = DEFAULT_KEEP_BACKUPS,
        keep_daily: int = DEFAULT_KEEP_DAILY,
        today: Callable[[], dt.date] = dt.date.today,
    ) -> None:
        self.directory = directory
        self.stem = stem
        self.keep = keep
        self.keep_daily = keep_daily
        self.today = today

    def save_previous(self, current: Path, counter: int) -> None:
        """Hard-link the current file (cheap; copy when links are not supported). Best effort:
        a failed backup never blocks a save, but is remembered for `verify`. It may run while
        `keep_copy` of the same version runs after the previous save: each puts its file in place
        with one rename, and both hold the same version."""
        ensure_private_dir(self.directory)
        target = self.directory / f"{self.stem}.{counter:010d}.snv"
        self._link(current, target)
        old = self.directory / f"{self.stem}.{counter - self.keep:010d}.snv"
        if counter - self.keep >= 0:
            old.unlink(missing_ok=True)
        daily_dir = self.directory / "daily"
        day = self.today().isoformat()
        daily = daily_dir / f"{self.stem}.{day}.snv"
        if not daily.exists():
            ensure_private_dir(daily_dir)
            self._link(current, daily)
            dailies = sorted(daily_dir.glob(f"{self.stem}.????-??-??.snv"))
            for stale in dailies[: max(0, len(dailies) - self.keep_daily)]:
                stale.unlink(missing_ok=True)

    def keep_copy(self, data: bytes, counter: int) -> None:
        """The version just saved, as a file of its own: not a hard link to the live file, which
        an old copy written over it in place (``cp old.snv clients/...``) would change too."""
        from .fsio import write_new_file

        ensure_private_dir(self.directory)
        target = self.directory / f"{self.stem}.{counter:010d}.snv"
        tmp = self.directory / f".{target.name}.tmp"
        if tmp.exists():
            tmp.unlink()
        write_new_file(tmp, data)
        try:
            os.replace(tmp, target)
        except OSError:
            tmp.unlink(missing_ok=True)
            raise
        old = self.directory / f"{self.stem}.{counter - self.keep:010d}.snv"
        if counter - self.keep >= 0:
            old.unlink(missing_ok=True)

    @staticmethod
    def _link(src: Path, dst: Path) -> None:
        """`dst` becomes a hard link to `src`, put in place by one rename (never absent meanwhile)."""
        tmp = dst.parent / f".{dst.name}.{secrets.token_hex(4)}.tmp"
        try:
            os.link(src, tmp)
        except OSError:
            from .fsio import write_new_file

            write_new_file(tmp, src.read_bytes())
        try:
            os.replace(tmp, dst)
        finally:
            # also after success: renaming a link onto another link of the same file (the same
            # version linked again after a failed save) leaves both names in place
            tmp.unlink(missing_ok=True)

    def candidates(self) -> list[Path]:
        """Backups of this file, newest first (per-save ones, then daily ones)."""
        saves = sorted(self.directory.glob(f"{self.stem}.??????????.snv"), reverse=True)
        daily = sorted((self.directory / "daily").glob(f"{self.stem}.????-??-??.snv"), reverse=True)
        return saves + daily


class Transaction:
    """The writes of one logical change, held in memory until the outermost block ends."""

    __slots__ = ("doc", "loaded", "writes", "failed")

    def __init__(self) -> None:
        self.doc: dict[str, Any] | None = None  # the working copy tinydb reads and writes
        self.loaded = False
        self.writes = 0  # tinydb writes collected; 0 means there is nothing to save
        self.failed = False  # an inner block raised: the whole change is dropped


class EncryptedStorage(Storage):
    """tinydb storage over one AES-256-GCM sealed file. See the module docstring."""

    def __init__(
        self,
        path: str | os.PathLike[str],
        key: bytes,
        *,
        logical_name: str | None = None,
        kind: int = FileKind.STANDALONE,
        file_id: str | None = None,
        backups: BackupPolicy | None = None,
        guard: SaveGuard | None = None,
        create_dirs: bool = False,
        access_mode: str = "r+",
        after: AfterSave | None = None,
    ) -> None:
        super().__init__()
        if not isinstance(key, bytes | bytearray) or len(key) != 32:
            raise ValueError("EncryptedStorage needs a 32-byte key")
        if access_mode not in ("r+", "rb+"):
            raise ValueError("EncryptedStorage only supports read-write access")
        self.path = Path(path)
        self._key = bytes(key)
        self.logical_name = logical_name or self.path.name
        self.kind = int(kind)
        self.file_id = file_id if file_id is not None else self.path.stem
        self.backups = backups
        self.guard = guard
        self.after = after  # with it, the backup copy and the manifest entry are written after the save returns
        if create_dirs:
            ensure_private_dir(self.path.parent)
        self._plain: str | None = None  # decrypted JSON document, or None when not loaded
        self._loaded = False
        self._seen: tuple[int, bytes] | None = None  # (counter, nonce) of the file we last read/wrote
        self._closed = False
        self._lock = threading.RLock()  # held by a transaction, and by a write made outside one
        self._local = threading.local()  # .tx: this thread's open transaction

    # -- tinydb Storage API ------------------------------------------------------------------------

    def read(self) -> dict[str, Any] | None:
        self._check_open()
        tx = self._current()
        if tx is not None:
            # Inside a transaction tinydb gets the working copy itself (parsed once), so a chain of
            # table operations costs one parse; whatever it changes there is kept only by the commit.
            if not tx.loaded:
                tx.doc, tx.loaded = self._fresh_copy(), True
            return tx.doc
        return self._fresh_copy()

    def write(self, data: dict[str, Any]) -> None:
        self._check_open()
        tx = self._current()
        if tx is not None:
            tx.doc, tx.loaded = data, True
            tx.writes += 1
            return
        with self._lock:
            self._write_now(data)

    @contextmanager
    def transaction(self) -> Iterator[Transaction]:
        """Collect every write made inside the block into one durable write when it ends.

        Nested blocks join the outermost one. If the block raises, nothing is written and the
        in-memory document is unchanged; an exception that left an inner block (even if the outer
        code caught it) drops the whole change, and the outer block then raises `VaultError`.
        """
        self._check_open()
        tx = self._current()
        if tx is not None:  # joining this thread's open transaction
            try:
                yield tx
            except BaseException:
                tx.failed = True
                raise
            return
        with self._lock:
            tx = self._local.tx = Transaction()
            try:
                yield tx
            finally:
                self._local.tx = None
            if tx.failed:
                raise VaultError("Nothing was saved: part of this change failed.", "Try the change again.")
            if tx.writes and tx.doc is not None:
                self._write_now(tx.doc)

    def _current(self) -> Transaction | None:
        tx: Transaction | None = getattr(self._local, "tx", None)
        return tx

    def _fresh_copy(self) -> dict[str, Any] | None:
        if not self._loaded:
            self._load()
        if self._plain is None:
            return None
        doc: dict[str, Any] = loads(self._plain)  # a dict: checked when the file was loaded
        return doc

    def _write_now(self, data: dict[str, Any]) -> None:
        if not self._loaded:
            self._load()
        plain = dumps(data)  # raises before the disk is touched
        counter = self._check_unchanged_on_disk()
        blob, header = fileformat.encode(
            self._key, self.kind, self.file_id, counter + 1, self.logical_name, plain.encode("utf-8")
        )
        # read-back check: what we are about to write must open with our key
        fileformat.decode(self._key, blob, self.logical_name, str(self.path))
        try:
            if self._seen is not None and self.backups is not None:
                try:
                    self.backups.save_previous(self.path, counter)
                except OSError as e:
                    if e.errno in (errno.ENOSPC, errno.EDQUOT):
                        raise WriteFailed(
                            f"Could not save {self.path.name}: {human_os_error(e)}. "
                            "Nothing was lost: the previous version is intact.",
                            "Free some disk space and save again; your change is still on screen.",
                        ) from e
            atomic_write(self.path, blob)
        except (VaultError, OSError) as e:
            # Whatever step failed, the file itself says whether the save happened: read it back.
            if not self._on_disk_is(header):
                if isinstance(e, WriteFailed):
                    raise
                why = human_os_error(e) if isinstance(e, OSError) else str(e)
                raise WriteFailed(
                    f"Could not save {self.path.name}: {why}. The file on disk is the previous version: nothing was saved.",
                    "Fix the problem and save again; your change is still on screen.",
                ) from e
            self._saved(plain, blob, header)
            if isinstance(e, DurabilityUnknown):
                raise
            reason = human_os_error(e.__cause__) if isinstance(e.__cause__, OSError) else str(e)
            raise DurabilityUnknown(str(self.path), reason) from e
        self._saved(plain, blob, header)

    def _on_disk_is(self, header: fileformat.Header) -> bool:
        """True when the file on disk now is the version with this header (read back and
        authenticated), i.e. a save that reported a failure did reach the file."""
        try:
            data = self.path.read_bytes()
            found, _ = fileformat.decode(self._key, data, self.logical_name, str(self.path))
        except (OSError, VaultError):
            return False
        return (found.counter, found.nonce) == (header.counter, header.nonce)

    def _saved(self, plain: str, blob: bytes, header: fileformat.Header) -> None:
        """The new version is the file on disk: remember it, back it up, record it."""
        self._plain, self._seen = plain, (header.counter, header.nonce)
        backups = self.backups
        if backups is not None:  # the new version too, so a deleted or rolled-back file loses nothing

            def keep() -> None:
                try:
                    backups.keep_copy(blob, header.counter)
                except OSError:
                    pass  # best effort, as for the previous version

            if self.after is not None:
                self.after.submit(("backup", self.logical_name), keep)
            else:
                keep()
        if self.guard is not None:
            self.guard.record(self.logical_name, header.counter, hashlib.sha256(blob).hexdigest(), self.after)

    def close(self) -> None:
        with self._lock:  # a save in progress in another thread finishes first
            self._close()

    def _close(self) -> None:
        self._local.tx = None
        self._plain = None
        self._loaded = False
        self._key = b""
        self._closed = True

    # -- helpers ---------------------------------------------------------------------------------

    @property
    def counter(self) -> int:
        """The save counter of the file this storage last read or wrote (0 when none yet)."""
        if not self._loaded:
            self._load()
        return self._seen[0] if self._seen else 0

    def _check_open(self) -> None:
        if self._closed:
            raise VaultError("This vault file has been closed (the vault was locked).")

    def _load(self) -> None:
        try:
            data = self.path.read_bytes()
        except FileNotFoundError:
            self._plain, self._seen, self._loaded = None, None, True
            return
        except OSError as e:
            raise VaultError(f"Could not read {self.path}: {human_os_error(e)}.") from e
        header, payload = fileformat.decode(self._key, data, self.logical_name, str(self.path))
        if header.file_id != self.file_id or header.kind != self.kind:
            raise VaultCorrupted(str(self.path), "it belongs to another record")
        if self.guard is not None:  # an older copy authenticates too: the manifest tells
            problem = self.guard.check(self.logical_name, header.counter, hashlib.sha256(data).hexdigest())
            if problem:
                raise VaultCorrupted(self.logical_name, problem)
        try:
            text = payload.decode("utf-8")
            doc = loads(text)
        except ValueError:
            raise VaultCorrupted(str(self.path), "the decrypted document is not valid") from None
        if not isinstance(doc, dict):
            raise VaultCorrupted(str(self.path), "the decrypted document is not valid")
        self._plain, self._seen, self._loaded = text, (header.counter, header.nonce), True

    def _check_unchanged_on_disk(self) -> int:
        """The counter on disk, after checking it is the file we last saw. Refuses lost updates."""
        try:
            with open(self.path, "rb") as f:
                head = f.read(_HEADER_PEEK)
        except FileNotFoundError:
            if self._seen is not None:
                raise ConcurrentModification(str(self.path)) from None
            return 0
        except OSError as e:
            raise WriteFailed(f"Could not check {self.path.name} before saving: {human_os_error(e)}.") from e
        if self._seen is None:
            raise ConcurrentModification(str(self.path))
        try:
            header = fileformat.read_header(head, str(self.path))
        except VaultCorrupted:
            raise ConcurrentModification(str(self.path)) from None
        if (header.counter, header.nonce) != self._seen:
            raise ConcurrentModification(str(self.path))
        return header.counter
