"""Lists that answer to a digit or a letter, so a write-up needs few keys.

- ``PickList`` (a ``SelectionList``): a digit N ticks or unticks the N-th item; a letter moves the
  highlight to the next item whose words start with it (Space ticks it).
- ``PickSelect`` (a closed ``Select``): a digit picks the option whose label starts with that digit
  ("2 much"), else the N-th option; a letter picks the next option starting with it. No menu needed.
- ``PickRadios`` (a ``RadioSet``): a digit N chooses the N-th button.

Keys with a modifier are left alone, so the screen's and the app's commands still work.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import RadioButton, RadioSet, Select, SelectionList


def _plain(event: events.Key) -> str:
    """The character of a key typed without ctrl or alt, else ''."""
    ch = event.character
    if not ch or not event.is_printable or len(ch) != 1 or event.key.startswith(("ctrl+", "alt+")):
        return ""
    return ch


def _starts(label: str, ch: str) -> bool:
    """Does a word of ``label`` (numbers and codes skipped) start with ``ch``?"""
    words = [w for w in label.split() if w[:1].isalpha()]
    return bool(words) and words[0][:1].casefold() == ch.casefold()


def next_match(labels: list[str], start: int, ch: str) -> int | None:
    """The index of the next label after ``start`` (wrapping) whose first word starts with ``ch``."""
    n = len(labels)
    for step in range(1, n + 1):
        i = (start + step) % n if start >= 0 else step - 1
        if _starts(labels[i], ch):
            return i
    return None


class PickList(SelectionList[str]):
    """A tick list: digit N ticks the N-th item, a letter jumps to the next item starting with it."""

    def labels(self) -> list[str]:
        return [str(self.get_option_at_index(i).prompt) for i in range(self.option_count)]

    def on_key(self, event: events.Key) -> None:
        ch = _plain(event)
        if not ch or ch.isspace():
            return
        if ch.isdigit():
            index = int(ch) - 1
            if 0 <= index < self.option_count:
                event.stop()
                event.prevent_default()
                self.highlighted = index
                self.toggle(self.get_option_at_index(index).value)
            return
        found = next_match(self.labels(), self.highlighted if self.highlighted is not None else -1, ch)
        if found is not None:
            event.stop()
            event.prevent_default()
            self.highlighted = found


class PickSelect(Select[str]):
    """A drop-down that also answers to a digit or a letter while closed."""

    def __init__(self, options: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(options, **kwargs)
        self.pick_options = list(options)

    def on_key(self, event: events.Key) -> None:
        if self.expanded:
            return
        ch = _plain(event)
        if not ch or ch.isspace():
            return
        labels = [label for label, _ in self.pick_options]
        values = [value for _, value in self.pick_options]
        found: int | None = None
        if ch.isdigit():
            found = next((i for i, label in enumerate(labels) if label.startswith(ch)), None)
            if found is None and 1 <= int(ch) <= len(labels):
                found = int(ch) - 1
        else:
            current = values.index(self.value) if self.value in values else -1
            found = next_match(labels, current, ch)
        if found is not None:
            event.stop()
            event.prevent_default()
            self.value = values[found]


class PickRadios(RadioSet):
    """Radio buttons: digit N chooses the N-th."""

    def on_key(self, event: events.Key) -> None:
        ch = _plain(event)
        if not ch.isdigit():
            return
        buttons = list(self.query(RadioButton))
        index = int(ch) - 1
        if 0 <= index < len(buttons) and not buttons[index].disabled:
            event.stop()
            event.prevent_default()
            buttons[index].value = True
