"""Where a vault lives: the default folder and the file that marks a folder as a vault.

Kept apart from ``vault.py`` and ``meta.py`` (which load the crypto and storage modules) so that
starting the app can find the vault, and tell first run from unlock, before it imports them.
"""

from __future__ import annotations

import os
from pathlib import Path

META_NAME = "vault.json"


def default_vault_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("sessionnotes", appauthor=False)) / "vault"


def has_vault_file(path: str | os.PathLike[str]) -> bool:
    """True when the folder holds a vault.json (whatever its state); False for first run.

    Only a missing file (or folder) counts as no vault: a folder that cannot be read is taken as
    a vault, so that reading it (``Vault.read_meta``) says what is wrong instead of offering to
    create a new vault over it."""
    try:
        os.stat(Path(path) / META_NAME)
    except (FileNotFoundError, NotADirectoryError):
        return False
    except OSError:
        return True
    return True
