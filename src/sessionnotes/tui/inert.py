"""Every line the app draws is made inert before it reaches the terminal (see sessionnotes.terminal).

A client name, a note, a letter or a file name can hold escape sequences that retitle the terminal
window or wipe the screen. Rather than every widget remembering to clean what it shows, the app adds
this filter to Textual's line filters, which run on every rendered line of every widget, after
layout. Each removed sequence is replaced by the number of cells Textual counted for it, so the
line keeps its width and nothing after it shifts.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.segment import Segment
from textual.color import Color
from textual.filter import LineFilter

from ..terminal import inert_keeping_width


class InertText(LineFilter):
    """A line filter that takes control characters and escape sequences out of segment text."""

    def apply(self, segments: list[Segment], background: Color) -> list[Segment]:
        out = segments
        for i, seg in enumerate(segments):
            clean = inert_keeping_width(seg.text, cell_len)
            if clean is not seg.text:
                if out is segments:
                    out = list(segments)
                out[i] = Segment(clean, seg.style, seg.control)
        return out
