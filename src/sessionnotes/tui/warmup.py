"""The modules needed after unlock, loaded while the unlock screen waits for the passphrase.

Starting the app imports only what the unlock screen needs (``app.py`` imports the other screens,
the vault, the repository and the analysis inside the methods that use them): about three
quarters of the import time. Once the unlock screen is drawn, its worker thread calls ``load``,
so by the time the therapist has typed the passphrase they are in memory.

Everything that needs these modules before the vault is open calls ``load`` first (the unlock
itself, the help, the command palette): it returns at once when they are loaded, waits when
another thread is loading them, and loads them otherwise. One thread at a time imports them: a
package whose ``__init__`` imports its own submodules, imported from two threads at once, can
deadlock in Python's import system.

``tests/test_startup.py`` checks that this list covers every module ``app.py`` imports lazily.
"""

from __future__ import annotations

import threading
from importlib import import_module

MODULES = (
    "sessionnotes.vault.vault",
    "sessionnotes.vault.repository",
    "sessionnotes.services",
    "sessionnotes.analysis.search",
    "sessionnotes.tui.measure_drafts",
    "sessionnotes.tui.screens.base",
    "sessionnotes.tui.screens.caseload",
    "sessionnotes.tui.screens.client",
    "sessionnotes.tui.screens.session_editor",
    "sessionnotes.tui.screens.letter_editor",
    "sessionnotes.tui.screens.search",
    "sessionnotes.tui.screens.recovery_key",
    "sessionnotes.tui.tabs.measures",
    "sessionnotes.tui.dialogs.drafts",
    "sessionnotes.tui.dialogs.help",
    "sessionnotes.tui.dialogs.idle",
    "sessionnotes.tui.dialogs.measure_entry",
)
"""In the order they are needed: the vault layer first (the unlock uses it), then the screens."""

_lock = threading.Lock()
_done = False


def load() -> None:
    """Import ``MODULES`` (once; a second call returns at once, or waits for the first)."""
    global _done
    if _done:
        return
    with _lock:
        if not _done:
            for name in MODULES:
                import_module(name)
            _done = True
