"""The base of every screen that shows clinical data: access to the open vault through the app's
context, the idle-lock banner, and what to save before the vault locks."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen

from ..context import ResumePoint, SessionContext, context_of
from ..widgets.blink import no_blink
from ..widgets.idle_banner import IdleBanner

if TYPE_CHECKING:
    from ...vault.repository import Repository

__all__ = ["ResumePoint", "VaultScreen"]


class VaultScreen(Screen[None]):
    """A screen that shows clinical data. It is removed when the vault locks."""

    BINDINGS = [Binding("escape", "back", "Back", id="back")]

    @property
    def ctx(self) -> SessionContext:
        """The app, as far as a screen may use it (see ``context.SessionContext``)."""
        return context_of(self)

    @property
    def repo(self) -> Repository:
        repo = self.ctx.repo
        assert repo is not None, "screen used while the vault is locked"
        return repo

    @property
    def unlocked(self) -> bool:
        return self.ctx.repo is not None

    def compose_banner(self) -> ComposeResult:
        yield IdleBanner()

    def on_mount(self) -> None:
        no_blink(self)

    def prepare_lock(self) -> ResumePoint | None:
        """Save any unsaved typing (encrypted, as a draft) before the vault locks."""
        return None

    def palette_actions(self) -> list[tuple[str, str, str]]:
        """(title, help, action) for the command palette, from this screen's bindings."""
        out = []
        for binding in self.BINDINGS:
            if isinstance(binding, Binding) and binding.description and binding.action != "back":
                if self.check_action(binding.action, ()) is True:
                    out.append((binding.description, binding.tooltip or binding.description, binding.action))
        return out

    def action_back(self) -> None:
        self.dismiss()
