"""The Letters tab (placeholder until its issue lands)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from .base import ClientTab


class LettersTab(ClientTab):
    def compose(self) -> ComposeResult:
        yield Static("Letters: coming with its issue.", classes="placeholder-tab")
