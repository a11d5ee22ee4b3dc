"""The Flags tab (placeholder until its issue lands)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from .base import ClientTab


class FlagsTab(ClientTab):
    def compose(self) -> ComposeResult:
        yield Static("Flags: coming with its issue.", classes="placeholder-tab")
