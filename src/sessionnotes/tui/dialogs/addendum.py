"""The addendum dialog: a dated addition to a signed session (kept as a draft if the vault locks)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Static, TextArea

from ..context import ResumePoint, context_of
from .base import Dialog


class AddendumDialog(Dialog):
    """A dated addendum to a signed session. ctrl+s adds it."""

    CONFIRM_DISCARD = True

    CSS_PATH = ["base.tcss", "addendum.tcss"]
    AUTO_FOCUS = "#addendum-text"
    BINDINGS = [Binding("ctrl+s", "add", "Add addendum", id="addendum.add")]

    def __init__(self, session_label: str, text: str = "", client_id: str = "", session_id: str = "") -> None:
        super().__init__()
        self.session_label, self.text = session_label, text
        self.client_id, self.session_id = client_id, session_id

    def prepare_lock(self) -> ResumePoint | None:
        """Keep the half-written addendum (encrypted) so it comes back after unlocking."""
        repo = context_of(self).repo
        if repo is not None and self.client_id and self.current_text().strip():
            repo.save_draft(self.client_id, f"addendum:{self.session_id}", {"text": self.current_text()})
        return None

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        with Vertical(classes="dialog -wide"):
            yield Static(f"Addendum to {self.session_label}", classes="dialog-title")
            yield Static(
                "The signed note stays as it is; this is added below it with today's date and time.", classes="dialog-body"
            )
            yield TextArea(self.text, id="addendum-text")
            yield Static("", id="addendum-error", classes="error-text")
            yield Static("ctrl+s adds the addendum. Escape cancels.", classes="hint-text")

    def current_text(self) -> str:
        return self.query_one("#addendum-text", TextArea).text

    def action_add(self) -> None:
        text = self.current_text()
        if not text.strip():
            self.query_one("#addendum-error", Static).update("Write the addendum first.")
            return
        self.dismiss(text)
