"""The recovery key, shown once after the vault is created, until it is written down."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Checkbox, Footer, Static


class RecoveryKeyScreen(Screen[None]):
    """The recovery key, shown once, until the therapist confirms it is written down."""

    CSS_PATH = "unlock.tcss"
    AUTO_FOCUS = "#written"
    BINDINGS: ClassVar[list[BindingType]] = []

    def __init__(self, recovery_key: str) -> None:
        super().__init__()
        self.recovery_key = recovery_key

    def compose(self) -> ComposeResult:
        with Vertical(id="unlock-box"):
            yield Static("Your vault is ready", id="unlock-title")
            yield Static(
                "This is your RECOVERY KEY. It is shown only this once.\n\n"
                "Write it on paper and keep it somewhere safe, away from this computer. "
                "If you ever forget your passphrase, it is the only way back into your notes.",
            )
            yield Static(self.recovery_key, id="recovery-key")
            yield Static("Press Space to tick the box once it is written down, then Enter to continue.", classes="hint-text")
            yield Checkbox("I have written it down", id="written")
            yield Button("Continue", id="continue", variant="primary", disabled=True)
        yield Footer()

    @on(Checkbox.Changed, "#written")
    def _written(self, event: Checkbox.Changed) -> None:
        button = self.query_one("#continue", Button)
        button.disabled = not event.value
        if event.value:
            button.focus()

    @on(Button.Pressed, "#continue")
    def _continue(self) -> None:
        self.dismiss(None)
