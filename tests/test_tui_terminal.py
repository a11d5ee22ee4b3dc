"""The bytes a terminal sends, read as keys: Escape followed by a character is never lost or turned
into text, and every other sequence reads as Textual reads it."""

from __future__ import annotations

import pytest
from textual._xterm_parser import XTermParser

from sessionnotes.tui.terminal import KeyParser

ESC = "\x1b"


def keys(data: str, parser: XTermParser | None = None) -> list[str]:
    parser = parser or KeyParser()
    events = [*parser.feed(data), *parser.feed("")]  # "" is the end of input: nothing is left waiting
    return [e.key for e in events if hasattr(e, "key")]


@pytest.mark.parametrize(("letter"), ["b", "f", "a", "n", "z", "B"])
def test_escape_and_a_letter_read_as_alt_letter(letter: str) -> None:
    expected = f"alt+shift+{letter.lower()}" if letter.isupper() else f"alt+{letter}"
    assert keys(ESC + letter) == [expected]


def test_escape_then_fast_typing_is_never_turned_into_a_caret() -> None:
    """Textual reads ESC and up to 32 quick characters as one guess, then gives it up as text with the
    Escape shown as "^"."""
    typed = "wrennotrealandsomemorefastwordsfortheburst"  # 42 letters, each within 100 ms of the last
    assert keys(ESC + typed) == ["alt+w", *typed[1:]]
    assert keys(ESC + typed, XTermParser())[0] == "circumflex_accent"  # what Textual alone reads


@pytest.mark.parametrize(
    ("data", "key"),
    [
        (ESC + "[1;5D", "ctrl+left"),
        (ESC + "[1;5C", "ctrl+right"),
        (ESC + "[A", "up"),
        (ESC + "OP", "f1"),
        (ESC + "[15~", "f5"),
        (ESC + "3", "pound_sign"),  # option+3 on a Mac terminal that sends ESC 3 (WezTerm): "£"
        (ESC + "\x7f", "ctrl+w"),
        (ESC, "escape"),
    ],
)
def test_every_other_sequence_reads_as_textual_reads_it(data: str, key: str) -> None:
    assert keys(data) == keys(data, XTermParser()) == [key]


def test_the_app_reads_the_terminal_with_this_parser() -> None:
    import sys

    from textual.drivers import linux_driver

    from sessionnotes.tui.terminal import driver_class

    driver = driver_class()
    if sys.platform == "win32":
        assert driver is None
        return
    assert driver is not None and issubclass(driver, linux_driver.LinuxDriver)
