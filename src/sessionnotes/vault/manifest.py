"""The vault manifest: each data file's save counter and SHA-256, authenticated with the master key.

Every `.snv` file is authenticated on its own, so an OLDER copy of a file (or a deleted file) is
not damage that AES-GCM can see. ``manifest.json`` records, after every save, the counter and the
hash of the file just written; an HMAC-SHA256 under a key derived with HKDF from the master key
makes it unforgeable without the key. A file is then:

- as recorded: fine;
- newer than recorded (higher counter): fine, a crash fell between the save and the manifest
  update (that save was never acknowledged as complete, and the next save records it);
- older than recorded, or the recorded save number with other content: rolled back or replaced;
- absent although recorded: deleted.

Opening a rolled-back file is refused (so no save can be built on it), and `verify` reports both.
A copy of the WHOLE folder taken earlier (manifest included) is consistent and cannot be told
from the real thing without a record kept outside the folder.
"""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from . import fileformat
from .errors import VaultCorrupted, VaultError
from .fsio import atomic_write, human_os_error

if TYPE_CHECKING:
    from .storage import AfterSave

MANIFEST_NAME = "manifest.json"
FORMAT = "sessionnotes-manifest"


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _mac_key(master: bytes) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"sessionnotes manifest v1").derive(master)


def _mac(key: bytes, body: bytes) -> hmac.HMAC:
    h = hmac.HMAC(key, hashes.SHA256())
    h.update(body)
    return h


def _body(files: dict[str, list[Any]]) -> bytes:
    return json.dumps({"format": FORMAT, "version": 1, "files": files}, sort_keys=True, separators=(",", ":")).encode()


class Manifest:
    """The in-memory manifest of one open vault (thread-safe; saves are atomic)."""

    def __init__(self, vault_path: Path, master_key: bytes) -> None:
        self.path = vault_path / MANIFEST_NAME
        self._key = _mac_key(master_key)
        self._files: dict[str, list[Any]] = {}  # logical name -> [counter, sha256 hex]
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()  # one manifest write at a time (a later one never overtaken)

    # -- load / save -----------------------------------------------------------------------------

    def load(self) -> bool:
        """Read and authenticate the manifest. False when there is none yet (an older vault)."""
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return False
        except OSError as e:
            raise VaultError(f"Could not read {self.path}: {human_os_error(e)}.") from e
        try:
            doc = json.loads(raw.decode("utf-8"))
            files = doc["files"]
            mac = bytes.fromhex(doc["mac"])
            if not isinstance(files, dict):
                raise ValueError
            _mac(self._key, _body(files)).verify(mac)
            self._files = {str(k): [int(v[0]), str(v[1])] for k, v in files.items()}
        except InvalidSignature:
            raise VaultCorrupted(MANIFEST_NAME, "its authentication code does not match") from None
        except (UnicodeDecodeError, ValueError, KeyError, TypeError, IndexError):
            raise VaultCorrupted(MANIFEST_NAME, "it is not a valid vault manifest") from None
        return True

    def _save(self, files: dict[str, list[Any]] | None = None) -> None:
        files = dict(sorted((self._files if files is None else files).items()))
        mac = _mac(self._key, _body(files)).finalize().hex()
        atomic_write(self.path, (json.dumps({"files": files, "mac": mac}, indent=1, sort_keys=True) + "\n").encode())

    def rebuild(self, live: list[tuple[str, Path]]) -> None:
        """Record the files as they are now (a new manifest, or after a key rotation)."""
        with self._lock:
            self._files = {}
            for logical, p in live:
                try:
                    data = p.read_bytes()
                    header = fileformat.read_header(data, logical)
                except (OSError, VaultError):
                    continue  # damaged files are reported by verify, not recorded
                self._files[logical] = [header.counter, digest(data)]
            with self._write_lock:
                self._save()

    # -- the storage's guard ---------------------------------------------------------------------

    def check(self, logical: str, counter: int, sha: str) -> str | None:
        """Why this version of `logical` must not be used (rolled back, replaced), or None."""
        with self._lock:
            rec = self._files.get(logical)
        if rec is None or counter > rec[0]:
            return None
        if counter < rec[0]:
            return f"it was rolled back: it holds save {counter}, but save {rec[0]} was made since"
        if sha != rec[1]:
            return f"it was replaced by another version of save {counter}"
        return None

    def record(self, logical: str, counter: int, sha: str, later: AfterSave | None = None) -> None:
        """After a save. Best effort: a failed manifest write never undoes a save (see module doc).
        With `later` the entry is kept in memory now and the file written after the save returns
        (saves in quick succession then share one manifest write)."""
        with self._lock:
            self._files[logical] = [counter, sha]
        if later is not None:
            later.submit(("manifest", id(self)), self._save_quietly)
        else:
            self._save_quietly()

    def _save_quietly(self) -> None:
        with self._lock:
            files = dict(self._files)  # the save in progress never waits for this write
        with self._write_lock:
            try:
                self._save(files)
            except (OSError, VaultError):
                pass

    def forget(self, logical: str) -> None:
        with self._lock:
            if self._files.pop(logical, None) is not None:
                with self._write_lock:
                    self._save()

    def recorded(self) -> dict[str, int]:
        """Logical name -> last recorded save counter."""
        with self._lock:
            return {k: int(v[0]) for k, v in self._files.items()}

    def expected(self, logical: str) -> tuple[int, str] | None:
        with self._lock:
            rec = self._files.get(logical)
        return (int(rec[0]), str(rec[1])) if rec else None

    def problems(self, live: list[tuple[str, Path]]) -> list[tuple[str, str]]:
        """(file, reason) for every rolled-back, replaced or deleted data file (headers only)."""
        out: list[tuple[str, str]] = []
        present = set()
        for logical, p in live:
            try:
                data = p.read_bytes()
            except FileNotFoundError:
                continue
            except OSError:
                continue
            present.add(logical)
            try:
                header = fileformat.read_header(data, logical)
            except VaultError:
                continue  # damage: reported by authentication
            problem = self.check(logical, header.counter, digest(data))
            if problem:
                out.append((logical, problem))
        for logical, counter in sorted(self.recorded().items()):
            if logical not in present:
                out.append((logical, f"it is missing: the vault saved it (save {counter}) and it has been deleted since"))
        return out
