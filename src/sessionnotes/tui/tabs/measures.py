"""The Measures tab (placeholder until its issue lands)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from .base import ClientTab


class MeasuresTab(ClientTab):
    def compose(self) -> ComposeResult:
        yield Static("Measures: coming with its issue.", classes="placeholder-tab")
