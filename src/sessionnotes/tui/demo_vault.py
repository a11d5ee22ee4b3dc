"""The demo vault: fictional clients in a vault whose passphrase is public (it holds no real data)."""

from __future__ import annotations

from pathlib import Path

DEMO_PASSPHRASE = "demo-only-Fictional-Lantern-Vault-2026"


def demo_vault_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("sessionnotes", appauthor=False)) / "demo-vault"


def ensure_demo_vault(path: Path) -> Path:
    """Create (once) a vault of fictional clients. Its passphrase is public: it holds no real data."""
    from ..vault.location import has_vault_file

    if has_vault_file(path):
        return path  # the usual case: start without loading the generator or the vault modules
    from ..demo import generate
    from ..vault import Vault
    from ..vault.crypto import new_params

    vault, _ = Vault.create(path, DEMO_PASSPHRASE, params=new_params())
    with vault:
        generate(vault, clients=12, sessions=140, seed=2026)
    return path


def reset_demo_vault(path: Path) -> None:
    """Delete the demo vault (only a folder named demo-vault holding a vault, and not while another
    copy of the app has it open) so ``ensure_demo_vault`` makes it afresh. Raises VaultError."""
    import shutil

    from ..vault.errors import VaultError
    from ..vault.lockfile import VaultLock

    if path.name != "demo-vault" or not path.is_dir():
        return  # nothing to reset: the first run makes it
    if not (path / "vault.json").exists():
        raise VaultError(f"{path} does not hold a vault; it was left as it is.")
    lock = VaultLock(path / ".lock")  # VaultLocked when the app has the demo vault open
    try:
        shutil.rmtree(path)
    finally:
        lock.release()
