"""Start the Textual app (imported lazily so CLI verbs stay fast)."""

from __future__ import annotations

import gc
from pathlib import Path

from .demo_vault import DEMO_PASSPHRASE, demo_vault_path, ensure_demo_vault, reset_demo_vault

__all__ = ["DEMO_PASSPHRASE", "demo_vault_path", "ensure_demo_vault", "run_app"]


def run_app(vault_path: Path | None, demo: bool = False, passphrase_file: str | None = None, reset: bool = False) -> int:
    if demo and reset:
        reset_demo_vault(demo_vault_path())
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
    # Python's cycle collector runs hundreds of times while Textual and the app are imported and the
    # unlock screen is built, and frees next to nothing: it waits until that screen is drawn (the
    # app turns it back on after its first frame; here too, whatever happens)
    gc.disable()
    try:
        from .app import SessionNotesApp

        app = SessionNotesApp(vault_path, demo=demo, passphrase=passphrase)
        app.run()
    finally:
        gc.enable()
    return app.return_code or 0
