"""Common base of the client screen's tabs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.containers import Vertical

if TYPE_CHECKING:
    from ...vault.repository import Repository


class ClientTab(Vertical):
    """A tab about one client. Subclasses compose their widgets and implement `reload()`."""

    DEFAULT_CSS = """
    ClientTab { height: 1fr; }
    """

    def __init__(self, client_id: str, **kwargs) -> None:
        super().__init__(**kwargs)
        self.client_id = client_id

    @property
    def repo(self) -> Repository:
        return self.screen.repo  # type: ignore[attr-defined]

    def reload(self) -> None:
        """Read the client's data again and redraw (called when the tab is shown)."""
