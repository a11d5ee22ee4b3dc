"""Turning the text cursor's blink off in a screen when the app was started without it."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Input, TextArea

from ..context import context_of


def no_blink(screen: Screen[Any]) -> None:
    """Stop the cursor blinking in every text box of ``screen`` (tests and screen readers ask for this)."""
    if not context_of(screen).cursor_blink:
        for widget in screen.query("Input, TextArea"):
            if isinstance(widget, Input | TextArea):
                widget.cursor_blink = False
