"""Dialogs about letters: a new letter (to whom, signed by), keeping a wording, recording a step."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label, OptionList, Static
from textual.widgets.option_list import Option

from ...analysis.language import Finding
from ..labels import parse_day
from .base import Dialog


class NewLetterDialog(Dialog):
    """Who the letter is written to (the usual choice is first), and the name it is signed with.

    Dismisses with ``(addressee, signed_by)``; the name is kept in the settings for the next letter.
    """

    CSS_PATH = "base.tcss"
    AUTO_FOCUS = "#new-letter-to"

    def __init__(self, signed_by: str = "") -> None:
        super().__init__()
        self.signed_by = signed_by

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        with Vertical(classes="dialog"):
            yield Static("New assessment letter", classes="dialog-title")
            yield Static(
                "The draft is filled from the record and the shared parts of the formulation (never private "
                "items or process notes). Write it so the patient can read it: UK guidance is to write to the "
                "patient and copy the GP, or the reverse.",
                classes="dialog-body",
            )
            yield OptionList(
                Option("To the patient, with the GP copied in", id="patient"),
                Option("To the GP, with the patient copied in", id="gp"),
                id="new-letter-to",
            )
            yield Static("Signed by: your name and role, as under the letter (kept for next time)", classes="hint-text")
            yield Input(self.signed_by, id="new-letter-signed", placeholder="e.g. Dr A. Example, Counselling Psychologist")
            yield Static("Enter drafts the letter; Tab moves to the name. Escape cancels.", classes="hint-text")

    def _done(self, addressee: str) -> None:
        self.dismiss((addressee, self.query_one("#new-letter-signed", Input).value.strip()))

    @on(OptionList.OptionSelected, "#new-letter-to")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self._done(event.option.id or "patient")

    @on(Input.Submitted, "#new-letter-signed")
    def _signed(self, event: Input.Submitted) -> None:
        options = self.query_one("#new-letter-to", OptionList)
        highlighted = options.highlighted if options.highlighted is not None else 0
        self._done(options.get_option_at_index(highlighted).id or "patient")


class KeepWordingDialog(Dialog):
    """Keep a high-severity wording on purpose, with a reason (required, as in the CLI: wording kept
    without one still holds the letter back). Returns the reason."""

    CONFIRM_DISCARD = True

    CSS_PATH = "base.tcss"
    AUTO_FOCUS = "#keep-note"

    def __init__(self, finding: Finding) -> None:
        super().__init__()
        self.finding = finding

    def compose(self) -> ComposeResult:
        f = self.finding
        yield from self.compose_banner()
        with Vertical(classes="dialog -wide"):
            yield Static(f"Keep \u201c{f.matched}\u201d as it is?", classes="dialog-title")
            yield Static(
                f"{f.why}\n\nKeeping it lets the letter be exported with this wording. Your decision is recorded "
                "with the letter (what, when and your reason).",
                classes="dialog-body",
            )
            yield Input(id="keep-note", placeholder="Why you are keeping it, e.g. the patient's own words, agreed with them")
            yield Static("Enter keeps the wording. Escape goes back without keeping it.", classes="hint-text")

    @on(Input.Submitted, "#keep-note")
    def _done(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.notify("Say briefly why the wording stays: the reason is kept with the letter.", severity="warning")
            return
        self.dismiss(event.value.strip())


class LetterStepDialog(Dialog):
    """Record one workflow step: a date plus the step's own fields. Returns {field id: text}."""

    CONFIRM_DISCARD = True

    CSS_PATH = "base.tcss"

    def __init__(self, title: str, body: str, fields: list[tuple[str, str, str, bool]], warning: str = "") -> None:
        """``fields``: (id, label, initial value, required); the first is the date."""
        super().__init__()
        self.title_text, self.body, self.fields, self.warning = title, body, fields, warning
        # Textual reads AUTO_FOCUS from the instance; the first box (the date) is named by the caller
        self.AUTO_FOCUS = f"#step-{fields[0][0]}"  # type: ignore[misc]

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        with Vertical(classes="dialog -wide"):
            yield Static(self.title_text, classes="dialog-title")
            yield Static(self.body, classes="dialog-body")
            if self.warning:
                yield Static(self.warning, classes="error-text dialog-body")
            for fid, label, value, _required in self.fields:
                yield Label(label, classes="hint-text")
                yield Input(value, id=f"step-{fid}")
            yield Static("", id="step-error", classes="error-text")
            yield Static(
                "Enter moves to the next box; Enter on the last one records the step. Escape cancels.", classes="hint-text"
            )

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        ids = [f"step-{fid}" for fid, *_ in self.fields]
        index = ids.index(event.input.id or ids[0])
        if index < len(ids) - 1:
            self.set_focus(self.query_one(f"#{ids[index + 1]}", Input))  # at once: keys typed fast go to the next box
            return
        self._finish()

    def _finish(self) -> None:
        error = self.query_one("#step-error", Static)
        values: dict[str, str] = {}
        for i, (fid, label, _value, required) in enumerate(self.fields):
            box = self.query_one(f"#step-{fid}", Input)
            text = box.value.strip()
            if i == 0:
                try:
                    when = parse_day(text)
                except ValueError as e:
                    error.update(str(e))
                    box.focus()
                    return
                if when is None:
                    error.update("Enter the date, as YYYY-MM-DD.")
                    box.focus()
                    return
                text = when.isoformat()
            elif required and not text:
                error.update(f"Fill in \u201c{label}\u201d.")
                box.focus()
                return
            values[fid] = text
        self.dismiss(values)
