"""Messages that screens, tabs and dialogs post up to the app (or the client screen), never calls.

A screen does not push another screen itself: it says where the therapist wants to go, and the app
(which knows every screen) decides what to push. Each message bubbles up the DOM from where it is
posted; ``app.SessionNotesApp`` handles the navigation ones, ``screens.client.ClientScreen`` the
ones about the client it shows.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.message import Message

if TYPE_CHECKING:
    from ..analysis.search import Hit
    from ..domain.models import Client
    from ..vault import Vault


@dataclass
class VaultOpened(Message):
    """The unlock screen opened (or created) the vault; ``recovery_key`` is set on first creation."""

    vault: Vault
    recovery_key: str | None


@dataclass
class OpenClient(Message):
    """Open a client's screen, on ``tab`` (a pane id such as "record") or the default one."""

    client_id: str
    tab: str | None = None


@dataclass
class OpenSession(Message):
    """Open the session editor on a session id, or "new"; ``then`` runs when the editor closes."""

    client_id: str
    session_key: str
    highlight: tuple[str, int, int] | None = None
    """(field, start, end) of a search match to select when the editor opens."""
    then: Callable[[Any], None] | None = None


@dataclass
class OpenLetter(Message):
    """Open the letter editor; ``then`` gets the id of the letter last shown (a new version's, if made)."""

    client_id: str
    letter_id: str
    then: Callable[[str], None] | None = None


@dataclass
class OpenSearchHit(Message):
    """Open a search result where it lives: its session, or the client tab that holds it."""

    hit: Hit


@dataclass
class ShowClientTab(Message):
    """Show one of the client screen's tabs (a pane id), with the keyboard in it unless ``focus`` is False."""

    pane: str
    focus: bool = True


@dataclass
class ClientRecordChanged(Message):
    """A tab saved fields of the client record that the Record tab's form also edits."""

    client: Client
    fields: tuple[str, ...]
