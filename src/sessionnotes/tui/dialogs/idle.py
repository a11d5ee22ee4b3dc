"""How many idle minutes before the vault locks itself."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from .base import Dialog


class IdleMinutesDialog(Dialog):
    CSS_PATH = "base.tcss"
    AUTO_FOCUS = "#idle-minutes"

    def __init__(self, minutes: int) -> None:
        super().__init__()
        self.minutes = minutes

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        with Vertical(classes="dialog"):
            yield Static("Lock after how many minutes without a key press?", classes="dialog-title")
            yield Input(str(self.minutes), id="idle-minutes", type="integer")
            yield Static("", id="idle-error", classes="error-text")
            yield Static("Between 1 and 120. Enter saves; Escape cancels.", classes="hint-text")

    @on(Input.Submitted, "#idle-minutes")
    def _done(self, event: Input.Submitted) -> None:
        try:
            minutes = int(event.value)
        except ValueError:
            minutes = 0
        if not 1 <= minutes <= 120:
            self.query_one("#idle-error", Static).update("Type a whole number of minutes from 1 to 120.")
            return
        self.dismiss(minutes)
