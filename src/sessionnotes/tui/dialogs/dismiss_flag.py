"""Dismissing a process flag: the reason is required, and kept with the flag in its history."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Static

from ...analysis.flags import Flag
from .base import Dialog


class DismissFlagDialog(Dialog):
    """Asks why a flag does not need attention now. The reason is required and kept."""

    CONFIRM_DISCARD = True

    CSS_PATH = "base.tcss"
    AUTO_FOCUS = "#dismiss-reason"

    def __init__(self, flag: Flag) -> None:
        super().__init__()
        self.flag = flag

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        with Vertical(classes="dialog"):
            yield Static(f"Dismiss \u201c{self.flag.title or self.flag.kind}\u201d?", classes="dialog-title")
            yield Static(
                "Say briefly why this pattern does not need attention now (for example, it was taken to "
                "supervision, or it is explained by something the rules cannot see). The flag stays in the "
                "history with your reason, and in supervision summaries.",
                classes="dialog-body",
            )
            yield Input(id="dismiss-reason", placeholder="Reason, e.g. discussed in supervision on 2 March")
            yield Static("", id="dismiss-error", classes="error-text")
            yield Static("Enter dismisses the flag. Escape leaves it open.", classes="hint-text")

    @on(Input.Submitted, "#dismiss-reason")
    def _done(self, event: Input.Submitted) -> None:
        reason = event.value.strip()
        if not reason:
            self.query_one("#dismiss-error", Static).update(
                "Type a reason first: a dismissed flag keeps the reason so you and your supervisor can see why."
            )
            return
        self.dismiss(reason)
