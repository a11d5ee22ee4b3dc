"""The base of every modal dialog, and the yes/no question (which the base itself asks before
throwing typed words away)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static, TextArea

from ..context import ResumePoint
from ..widgets.blink import no_blink
from ..widgets.idle_banner import IdleBanner


def default_css(module_file: str, name: str) -> str:
    """The stylesheet ``name`` beside ``module_file``, for a ``DEFAULT_CSS`` (shipped as package data)."""
    return Path(module_file).with_name(name).read_text(encoding="utf-8")


class Dialog(ModalScreen[Any]):
    """A modal question. Escape cancels (dismisses with None).

    Dialogs where the therapist writes something set ``CONFIRM_DISCARD``: then Escape after typing
    asks before throwing the words away (the text boxes are compared with how the dialog opened).
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="cancel")]
    CONFIRM_DISCARD = False
    VERTICAL_BREAKPOINTS = [(0, "-short"), (30, "-tall")]
    """Below 30 lines (an 80x24 terminal) the dialog drops its spacing (base.tcss: ``Dialog.-short``)
    so that what it says at the top (an export's "NOT encrypted") is on screen with its buttons."""

    def compose_banner(self) -> ComposeResult:
        yield IdleBanner()

    def on_mount(self) -> None:
        no_blink(self)
        if self.CONFIRM_DISCARD:
            self.call_after_refresh(self._remember_text)

    def _typed(self) -> dict[int, str]:
        return {
            id(w): (w.text if isinstance(w, TextArea) else w.value)
            for w in self.query("Input, TextArea")
            if isinstance(w, Input | TextArea)
        }

    def _remember_text(self) -> None:
        self._opened_with = self._typed()

    def has_unsaved_text(self) -> bool:
        opened = getattr(self, "_opened_with", None)
        if opened is None:
            return False
        return any(text.strip() != opened.get(key, "").strip() for key, text in self._typed().items())

    def prepare_lock(self) -> ResumePoint | None:
        return None

    def action_cancel(self) -> None:
        if not (self.CONFIRM_DISCARD and self.has_unsaved_text()):
            self.dismiss(None)
            return

        def answered(discard: bool | None) -> None:
            if discard:
                self.dismiss(None)

        self.app.push_screen(
            ConfirmDialog(
                "Discard what you typed?",
                "What you typed here has not been saved.",
                yes="Discard",
                no="Keep writing",
                danger=True,
            ),
            answered,
        )


class ConfirmDialog(Dialog):
    """A yes/no question; the safe answer has the focus."""

    CSS_PATH = "base.tcss"

    def __init__(self, title: str, body: str, yes: str, no: str = "Cancel", danger: bool = False) -> None:
        super().__init__()
        self.title_text, self.body, self.yes, self.no, self.danger = title, body, yes, no, danger

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        with Vertical(classes="dialog"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(self.body, classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.no, id="no")
                yield Button(self.yes, id="yes", variant="error" if self.danger else "primary")

    def on_mount(self) -> None:
        self.query_one("#no" if self.danger else "#yes", Button).focus()

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        self.dismiss(True)

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.dismiss(False)


class LeaveDialog(Dialog):
    """Leaving with unsaved changes: save, discard or stay. Nothing is written unless "Save" is chosen.

    Dismisses with "save", "discard" or None (stay). s, d and Escape answer from the keyboard.
    """

    CSS_PATH = "base.tcss"
    BINDINGS = [
        Binding("s", "answer('save')", "Save", id="leave.save"),
        Binding("d", "answer('discard')", "Discard", id="leave.discard"),
        Binding("escape", "cancel", "Stay", id="leave.stay"),
    ]

    def __init__(self, what: str, save_hint: str = "") -> None:
        super().__init__()
        self.what = what
        self.save_hint = save_hint

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        with Vertical(classes="dialog"):
            yield Static(f"Save the changes to {self.what}?", classes="dialog-title")
            body = "You changed it and have not saved. Nothing is saved unless you choose Save."
            yield Static(f"{body} {self.save_hint}".strip(), classes="dialog-body")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Stay (esc)", id="stay")
                yield Button("Discard (d)", id="discard", variant="error")
                yield Button("Save (s)", id="save", variant="primary")

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#save", Button))

    def action_answer(self, answer: str) -> None:
        self.dismiss(answer)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(None if event.button.id == "stay" else event.button.id)
