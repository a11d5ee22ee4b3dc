"""Common base of the client screen's tabs: the client id, and the open vault through the app's context."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from textual.containers import Vertical

from ..context import SessionContext, context_of

if TYPE_CHECKING:
    from ...vault.repository import Repository


class ClientTab(Vertical):
    """A tab about one client. Subclasses compose their widgets and implement `reload()`."""

    DEFAULT_CSS = """
    ClientTab { height: 1fr; }
    """

    def __init__(self, client_id: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.client_id = client_id

    @property
    def ctx(self) -> SessionContext:
        """The app, as far as a tab may use it (see ``context.SessionContext``)."""
        return context_of(self)

    @property
    def repo(self) -> Repository:
        repo = self.ctx.repo
        assert repo is not None, "tab used while the vault is locked"
        return repo

    @property
    def unlocked(self) -> bool:
        return self.ctx.repo is not None

    def reload(self) -> None:
        """Read the client's data again and redraw (called when the tab is shown)."""
