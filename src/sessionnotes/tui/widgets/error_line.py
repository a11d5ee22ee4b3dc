"""A one-line error sentence inside a dialog, taking no room while there is nothing to say."""

from __future__ import annotations

from textual.visual import VisualType
from textual.widgets import Static


class ErrorLine(Static):
    """A sentence about what to fix; takes no room while there is nothing to say."""

    DEFAULT_CSS = """
    ErrorLine { display: none; height: auto; }
    ErrorLine.-show { display: block; }
    """

    def update(self, content: VisualType = "", *, layout: bool = True) -> None:
        super().update(content, layout=layout)
        self.set_class(bool(str(content).strip()), "-show")
