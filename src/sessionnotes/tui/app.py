"""Placeholder app until the TUI issue lands."""

from __future__ import annotations

from pathlib import Path

from textual.app import App, ComposeResult
from textual.widgets import Footer, Header, Static


class SessionNotesApp(App):
    TITLE = "sessionnotes"
    BINDINGS = [("q", "quit", "Quit")]

    def __init__(self, vault_path: Path, demo: bool = False) -> None:
        super().__init__()
        self.vault_path = vault_path
        self.demo = demo

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(f"Vault: {self.vault_path}\n\nThe session editor arrives with the TUI issue. Press q to quit.")
        yield Footer()
