"""The idle-lock warning shown at the top of every vault screen and dialog in the last seconds."""

from __future__ import annotations

from textual.widgets import Static


class IdleBanner(Static):
    """'Locking in 25 s' shown at the top of the screen in the last seconds before auto-lock."""

    DEFAULT_CSS = """
    IdleBanner {
        dock: top;
        height: 1;
        width: 100%;
        display: none;
        background: $warning;
        color: $background;
        text-style: bold;
        padding: 0 1;
    }
    IdleBanner.-show { display: block; }
    """

    def show_remaining(self, seconds: float | None) -> None:
        if seconds is None:
            self.remove_class("-show")
            return
        whole = max(1, int(seconds + 0.999))
        self.update(f"Locking in {whole} s to protect your notes. Press any key to stay unlocked.")
        self.add_class("-show")
