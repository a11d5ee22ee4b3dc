"""What a screen, tab or dialog may ask of the running app, and where to come back to after a lock.

The app (``app.SessionNotesApp``) satisfies :class:`SessionContext`; nothing under ``screens/``,
``tabs/``, ``dialogs/`` or ``widgets/`` imports the app module. They read what they need through
:func:`context_of` (attributes down) and ask the app to do things, such as opening another screen,
by posting the messages in ``messages.py`` (messages up).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, cast, runtime_checkable

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from ..analysis.cache import AnalysisCache
    from ..analysis.search import SearchIndex
    from ..vault.repository import Repository
    from .services import Clock, VaultOpener


@dataclass(frozen=True)
class ResumePoint:
    """Where the therapist was when the vault locked, to go back there after unlocking.

    ``session_key`` is a session id, "new" for an unsaved new session, or None (client screen).
    """

    client_id: str
    session_key: str | None = None
    tab: str | None = None


@runtime_checkable
class SessionContext(Protocol):
    """The app as the screens see it: the open vault and what goes with it, read-only by convention."""

    vault_path: Path
    demo: bool
    opener: VaultOpener
    initial_passphrase: str | None
    """A passphrase given on the command line (read from a file), tried once at start."""
    clock: Clock
    cursor_blink: bool
    autosave_seconds: float
    repo: Repository | None
    """The open vault's repository; None while locked."""
    search_index: SearchIndex | None
    """The full-text index, built in the background after unlock; None until then."""
    flag_counts: dict[str, int]
    """Open process flags per client (counted in the background after unlock)."""
    risk_clients: set[str]
    """Clients whose latest PHQ-9 or CORE-10 has an open risk answer."""
    analysis_cache: AnalysisCache
    """Memos of the analysis made of note text, cleared when the vault locks."""

    def today(self) -> dt.date: ...

    def show_error(self, error: Exception, title: str = "") -> None: ...


@runtime_checkable
class LockAware(Protocol):
    """A screen or dialog with typing to keep when the vault locks (every vault screen and dialog)."""

    def prepare_lock(self) -> ResumePoint | None:
        """Save unsaved typing (encrypted, as a draft); say where to come back to after unlocking."""
        ...


_CHECKED: set[type] = set()
"""App classes already found to be a SessionContext (the structural check is slow; apps are few)."""


def context_of(node: DOMNode) -> SessionContext:
    """The running app as a :class:`SessionContext` (for any screen or widget attached to it)."""
    app = node.app
    if type(app) not in _CHECKED:
        if not isinstance(app, SessionContext):
            raise RuntimeError(f"{type(node).__name__} runs inside {type(app).__name__}, which is not a sessionnotes app")
        _CHECKED.add(type(app))
    return cast(SessionContext, app)
