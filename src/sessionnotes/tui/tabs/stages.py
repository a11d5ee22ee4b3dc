"""The Stages tab (placeholder until its issue lands)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from .base import ClientTab


class StagesTab(ClientTab):
    def compose(self) -> ComposeResult:
        yield Static("Stages: coming with its issue.", classes="placeholder-tab")
