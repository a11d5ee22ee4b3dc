"""The audit trail, read-only: a client's (what was created, changed, signed, exported, and when) or
the vault's own events (erasures). Nothing here can be edited; Escape or Enter closes it."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Static

from ...domain.models import AuditEntry
from .base import Dialog


def audit_rows(entries: Sequence[AuditEntry]) -> list[tuple[str, str, str, str]]:
    """(when, what, which record, detail) for each entry, newest first."""
    out = []
    for e in sorted(entries, key=lambda e: e.seq, reverse=True):
        target = e.target.replace(":", " ", 1)
        out.append((e.at.astimezone().strftime("%Y-%m-%d %H:%M"), e.action.replace("-", " "), target, e.detail))
    return out


class AuditDialog(Dialog):
    CSS_PATH = "base.tcss"
    AUTO_FOCUS = "#audit-list"
    BINDINGS = [Binding("escape,enter", "cancel", "Close", id="audit.close")]

    def __init__(self, title: str, entries: Sequence[AuditEntry], intact: bool | None = None) -> None:
        super().__init__()
        self.title_text = title
        self.entries = list(entries)
        self.intact = intact

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            lines = [
                f"{when}  {what:<16} {record}" + (f": {detail}" if detail else "")
                for when, what, record, detail in audit_rows(self.entries)
            ]
            with VerticalScroll(id="audit-list"):
                yield Static("\n".join(lines) or "No entries yet.")
            chain = ""
            if self.intact is True:
                chain = "The chain of entries is intact. "
            elif self.intact is False:
                chain = "The chain of entries does not check out: run `sessionnotes verify`. "
            yield Static(f"{chain}Read-only: entries cannot be changed. Escape closes.", classes="hint-text")

    def on_mount(self) -> None:
        super().on_mount()
        box = self.query_one("#audit-list", VerticalScroll)
        box.styles.height = "auto"
        box.styles.max_height = 18
        box.styles.width = "100%"

    def action_cancel(self) -> None:
        self.dismiss(None)
