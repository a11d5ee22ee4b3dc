"""Text on its way to a terminal, made inert: no control characters, no escape sequences.

A client name or a note can hold anything that was typed or pasted, including escape sequences
that retitle the terminal window, move the cursor, wipe lines or hide text. `inert` is the ONE
function that removes them, for both front ends, so no verb or screen has to remember to call it:

- the CLI routes everything it prints through `InertStream`;
- the TUI filters every line it draws with `inert_keeping_width` (tui/inert.py, a Textual line
  filter), after layout and just before the line reaches the terminal.

Newlines and tabs stay; so does every printable character.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, TextIO

# ESC-introduced sequences (CSI, OSC/DCS/APC/PM/SOS strings, two-character escapes), their 8-bit
# C1 forms, then any single control character (C0 except tab and newline, DEL, C1) and the Unicode
# bidirectional overrides that can make text read differently from what it is.
_SEQUENCE = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"  # CSI ... final byte
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, DCS, ... strings
    r"|\x1b[ -/]*[0-~]?"  # other escapes (and a lone ESC)
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"
)


def inert(text: str) -> str:
    """`text` without control characters or terminal escape sequences (newline and tab kept)."""
    return _SEQUENCE.sub("", text)


def inert_keeping_width(text: str, width: Callable[[str], int]) -> str:
    """`inert` for text already laid out on a screen: each removed sequence becomes as many spaces as
    `width` counted for it, so the columns after it do not move. Returns `text` itself when clean."""
    if _SEQUENCE.search(text) is None:
        return text
    return _SEQUENCE.sub(lambda m: " " * width(m.group()), text)


class InertStream:
    """A text stream that passes everything written through `inert` (for sys.stdout/stderr)."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def write(self, text: str) -> int:
        self._stream.write(inert(text))
        return len(text)

    def writelines(self, lines: Any) -> None:
        for line in lines:
            self.write(line)

    def __getattr__(self, name: str) -> Any:  # flush, fileno, isatty, buffer, encoding, ...
        return getattr(self._stream, name)
