"""Where this vault's backup archives were written, so a key change can name the ones it cannot reach.

A passphrase change re-encrypts everything inside the vault folder, but an archive written with
`sessionnotes backup` lives wherever the user put it (a USB stick, another disk, a cloud folder),
often out of reach, so it keeps opening with the passphrase it was made under. Re-encrypting only
the archives that happen to be reachable would suggest every copy is safe when some are not, so
the vault reports instead: ``archives.json`` (in the vault folder, readable only by the owner)
records each archive's absolute path and when it was made, and after a key change every recorded
archive that still exists is named with the passphrase it needs. Nothing secret is in the log; the
archives themselves are encrypted.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from .errors import VaultError
from .fsio import atomic_write

LOG_NAME = "archives.json"


def _read(vault_path: Path) -> list[dict[str, str]]:
    try:
        doc = json.loads((vault_path / LOG_NAME).read_text(encoding="utf-8"))
        return [{"path": str(e["path"]), "made": str(e["made"])} for e in doc["archives"]]
    except (OSError, ValueError, KeyError, TypeError):
        return []  # no log (or a damaged one): nothing to name, the general warning still stands


def remember(vault_path: Path, archive: Path, when: dt.datetime) -> None:
    """Record an archive just written (best effort: a failed log write never fails the backup)."""
    where = str(archive.resolve())
    entries = [e for e in _read(vault_path) if e["path"] != where and Path(e["path"]).exists()]
    entries.append({"path": where, "made": when.strftime("%Y-%m-%d %H:%M UTC")})
    try:
        atomic_write(vault_path / LOG_NAME, (json.dumps({"archives": entries}, indent=1) + "\n").encode())
    except (OSError, VaultError):
        pass


def still_present(vault_path: Path) -> list[tuple[str, str]]:
    """(path, when made) of every recorded archive that still exists, oldest first."""
    return [(e["path"], e["made"]) for e in _read(vault_path) if Path(e["path"]).exists()]
