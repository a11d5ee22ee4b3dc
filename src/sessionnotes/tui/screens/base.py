"""Shared pieces of every screen: the idle-lock warning banner and access to the open vault."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Static, TextArea

if TYPE_CHECKING:
    from ...vault.repository import Repository
    from ..app import SessionNotesApp


@dataclass(frozen=True)
class ResumePoint:
    """Where the therapist was when the vault locked, to go back there after unlocking.

    ``session_key`` is a session id, "new" for an unsaved new session, or None (client screen).
    """

    client_id: str
    session_key: str | None = None
    tab: str | None = None


class IdleBanner(Static):
    """'Locking in 25 s' shown at the top of the screen in the last seconds before auto-lock."""

    DEFAULT_CSS = """
    IdleBanner {
        dock: top;
        height: 1;
        width: 100%;
        display: none;
        background: $warning;
        color: $background;
        text-style: bold;
        padding: 0 1;
    }
    IdleBanner.-show { display: block; }
    """

    def show_remaining(self, seconds: float | None) -> None:
        if seconds is None:
            self.remove_class("-show")
            return
        whole = max(1, int(seconds + 0.999))
        self.update(f"Locking in {whole} s to protect your notes. Press any key to stay unlocked.")
        self.add_class("-show")


def _no_blink(screen: Screen[Any]) -> None:
    if not getattr(screen.app, "cursor_blink", True):
        for widget in screen.query("Input, TextArea"):
            if isinstance(widget, Input | TextArea):
                widget.cursor_blink = False


class VaultScreen(Screen[None]):
    """A screen that shows clinical data. It is removed when the vault locks."""

    BINDINGS = [Binding("escape", "back", "Back", id="back")]

    @property
    def snapp(self) -> SessionNotesApp:
        return self.app  # type: ignore[return-value]

    @property
    def repo(self) -> Repository:
        repo = self.snapp.repo
        assert repo is not None, "screen used while the vault is locked"
        return repo

    @property
    def unlocked(self) -> bool:
        return self.snapp.repo is not None

    def compose_banner(self) -> ComposeResult:
        yield IdleBanner()

    def on_mount(self) -> None:
        _no_blink(self)

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


class Dialog(ModalScreen[Any]):
    """A modal question. Escape cancels (dismisses with None).

    Dialogs where the therapist writes something set ``CONFIRM_DISCARD``: then Escape after typing
    asks before throwing the words away (the text boxes are compared with how the dialog opened).
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]
    CONFIRM_DISCARD = False

    def compose_banner(self) -> ComposeResult:
        yield IdleBanner()

    def on_mount(self) -> None:
        _no_blink(self)
        if self.CONFIRM_DISCARD:
            self.call_after_refresh(self._remember_text)

    def _typed(self) -> dict[int, str]:
        return {id(w): (w.text if isinstance(w, TextArea) else w.value) for w in self.query("Input, TextArea")}

    def _remember_text(self) -> None:
        self._opened_with = self._typed()

    def has_unsaved_text(self) -> bool:
        opened = getattr(self, "_opened_with", None)
        if opened is None:
            return False
        return any(text.strip() != opened.get(key, "").strip() for key, text in self._typed().items())

    def prepare_lock(self) -> ResumePoint | None:
        return None

    def action_cancel(self) -> None:
        if not (self.CONFIRM_DISCARD and self.has_unsaved_text()):
            self.dismiss(None)
            return
        from .dialogs import ConfirmDialog

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog("Discard what you typed?", "What you typed here has not been saved.", yes="Discard",
                          no="Keep writing", danger=True),
            answered,
        )
