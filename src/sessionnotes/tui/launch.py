"""Start the Textual app (imported lazily so CLI verbs stay fast)."""

from __future__ import annotations

from pathlib import Path

DEMO_PASSPHRASE = "demo-only-Fictional-Lantern-Vault-2026"


def demo_vault_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("sessionnotes", appauthor=False)) / "demo-vault"


def ensure_demo_vault(path: Path) -> Path:
    """Create (once) a vault of fictional clients. Its passphrase is public: it holds no real data."""
    from ..demo import generate
    from ..vault import Vault
    from ..vault.crypto import new_params

    if not (path / "vault.json").exists():
        vault, _ = Vault.create(path, DEMO_PASSPHRASE, params=new_params())
        with vault:
            generate(vault, clients=12, sessions=140, seed=2026)
    return path


def run_app(vault_path: Path | None, demo: bool = False, passphrase_file: str | None = None) -> int:
    from .app import SessionNotesApp

    if demo:
        vault_path = ensure_demo_vault(demo_vault_path())
    assert vault_path is not None
    passphrase = None
    if passphrase_file:
        try:
            with open(passphrase_file, encoding="utf-8") as f:
                passphrase = f.readline().rstrip("\r\n") or None
        except OSError as e:
            print(f"Could not read the passphrase file {passphrase_file}: {e.strerror}. The app will ask for it.")
    app = SessionNotesApp(vault_path, demo=demo, passphrase=passphrase)
    app.run()
    return app.return_code or 0
