"""Lists the keyboard can answer in one key: a digit picks the option shown with that number, a
letter jumps to the next option starting with it.

``PickList`` (several choices): a digit ticks or unticks option N; a letter moves the highlight and
Space ticks. ``PickRadio`` (one choice): a digit or a letter chooses the option at once, and the
arrows move the choice too (no separate "select" key to guess). ``PickSelect`` (a closed drop-down):
a digit or a letter sets the value without opening the menu.
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.widgets import RadioButton, RadioSet, Select, SelectionList


def _first_letter(text: str) -> str:
    """The first letter of a label, skipping a numbering such as "5.1 " or "2 "."""
    return next((ch for ch in text.casefold() if ch.isalpha()), "")


def _next_match(labels: list[str], letter: str, after: int | None) -> int | None:
    """The next label (after ``after``, wrapping) whose first letter is ``letter``."""
    n = len(labels)
    start = -1 if after is None else after
    for step in range(1, n + 1):
        i = (start + step) % n
        if _first_letter(labels[i]) == letter:
            return i
    return None


def _digit(event: events.Key) -> int | None:
    ch = event.character or ""
    return int(ch) if len(ch) == 1 and ch.isdigit() else None


def _letter(event: events.Key) -> str:
    ch = event.character or ""
    return ch.casefold() if len(ch) == 1 and ch.isalpha() else ""


class PickList(SelectionList[str]):
    """A tick list: digit N ticks option N (1-9), a letter jumps to the next option starting with it."""

    def labels(self) -> list[str]:
        return [str(self.get_option_at_index(i).prompt) for i in range(self.option_count)]

    def on_key(self, event: events.Key) -> None:
        if self.disabled:
            return
        number, letter = _digit(event), _letter(event)
        if number is not None and 1 <= number <= min(9, self.option_count):
            event.stop()
            event.prevent_default()
            self.highlighted = number - 1
            self.toggle(self.get_option_at_index(number - 1).value)
        elif letter:
            event.stop()
            event.prevent_default()
            found = _next_match([_plain(x) for x in self.labels()], letter, self.highlighted)
            if found is not None:
                self.highlighted = found


def _plain(label: Any) -> str:
    text = str(label)
    # "1 · 5.1 Name" -> "Name": the digit shown and the stage code are not what a letter jumps to
    return text.split(" · ", 1)[-1].lstrip("0123456789. ")


class PickRadio(RadioSet):
    """One choice: a digit or a letter chooses at once; the arrows move the choice too."""

    def _buttons(self) -> list[RadioButton]:
        return list(self.query(RadioButton))

    def choose(self, index: int) -> None:
        buttons = self._buttons()
        if 0 <= index < len(buttons):
            self._selected = index
            buttons[index].value = True

    def on_key(self, event: events.Key) -> None:
        if self.disabled:
            return
        buttons = self._buttons()
        number, letter = _digit(event), _letter(event)
        if number is not None and 1 <= number <= len(buttons):
            event.stop()
            event.prevent_default()
            self.choose(number - 1)
        elif letter:
            event.stop()
            event.prevent_default()
            found = _next_match([_plain(b.label) for b in buttons], letter, self._selected)
            if found is not None:
                self.choose(found)

    def action_next_button(self) -> None:
        super().action_next_button()
        self.action_toggle_button()

    def action_previous_button(self) -> None:
        super().action_previous_button()
        self.action_toggle_button()

    def action_toggle_button(self) -> None:
        """Enter or Space on the chosen option keeps it chosen (a radio choice never toggles off)."""
        if self._selected is not None:
            button = self._buttons()[self._selected]
            if not button.value:
                button.value = True


class PickSelect(Select[str]):
    """A closed drop-down that answers a digit or a letter: the option whose label starts with that
    digit ("2 much"), else option N; a letter picks the next option starting with it."""

    def _choices(self) -> list[tuple[str, str]]:
        return [(str(label), value) for label, value in self._options if isinstance(value, str)]

    def on_key(self, event: events.Key) -> None:
        if self.disabled or self.expanded:
            return
        choices = self._choices()
        if not choices:
            return
        ch = (event.character or "").casefold()
        if len(ch) != 1 or not ch.isalnum():
            return
        labels = [label.casefold() for label, _ in choices]
        if ch.isdigit():
            match = next((i for i, label in enumerate(labels) if label.startswith(ch)), None)
            if match is None and 1 <= int(ch) <= len(choices):
                match = int(ch) - 1
        else:
            current = next((i for i, (_, v) in enumerate(choices) if v == self.value), None)
            match = _next_match(labels, ch, current)
        if match is not None:
            event.stop()
            event.prevent_default()
            self.value = choices[match][1]
