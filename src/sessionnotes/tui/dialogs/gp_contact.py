"""Dialogs of the Stages tab's "Drawing in" section: a GP contact, and the referral context.

Both return plain values with ``dismiss(value)``; the tab saves them. Problems are shown as
sentences inside the dialog, next to the field, and nothing is saved until they are fixed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Label, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from ...domain.liaison import CONTACT_KINDS, GPContact
from ...domain.models import ACCESS_NEEDS, Client
from ..labels import parse_day
from ..widgets.error_line import ErrorLine
from .base import Dialog, default_css

ACCESS_LABELS = {code: code.replace("-", " ").capitalize() for code in ACCESS_NEEDS}

_DIALOG_CSS = default_css(__file__, "gp_contact.tcss")


class GPContactDialog(Dialog):
    """Log one contact with the GP or practice: date, kind, with whom, discussed, agreed.

    Enter moves from box to box; Enter in "Agreed" (or ctrl+s anywhere) saves.
    """

    CONFIRM_DISCARD = True

    CSS_PATH = "base.tcss"
    DEFAULT_CSS = _DIALOG_CSS
    AUTO_FOCUS = "#gp-date"
    BINDINGS = [Binding("ctrl+s", "save", "Save contact", id="gp_contact.save")]

    def __init__(self, today: dt.date, gp_name: str = "") -> None:
        super().__init__()
        self.today, self.gp_name = today, gp_name

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        with Vertical(classes="dialog -wide tab-dialog"):
            yield Static("Log a contact with the GP or practice", classes="dialog-title")
            yield Static(
                "Enter moves to the next box; Enter on the last box (or ctrl+s) saves. Escape cancels.", classes="hint-text"
            )
            yield ErrorLine("", id="gp-error", classes="error-text")
            with VerticalScroll(classes="dialog-fields"):
                with Horizontal(classes="pair"):
                    with Vertical():
                        yield Label("Date (YYYY-MM-DD)", classes="field-label")
                        yield Input(self.today.isoformat(), id="gp-date", compact=True)
                    with Vertical():
                        yield Label("Kind of contact", classes="field-label")
                        yield Select(
                            [(label, code) for code, label in CONTACT_KINDS.items()],
                            id="gp-kind",
                            value="call",
                            allow_blank=False,
                            compact=True,
                        )
                yield Label("With whom", classes="field-label")
                yield Input(self.gp_name, id="gp-with", compact=True, placeholder="e.g. the GP, the practice nurse")
                yield Label("What was discussed", classes="field-label")
                yield Input(id="gp-discussed", compact=True, placeholder="e.g. how the referral was explained")
                yield Label("What was agreed", classes="field-label")
                yield Input(id="gp-agreed", compact=True, placeholder="e.g. a joint appointment in March")

    @on(Input.Submitted)
    def _next(self, event: Input.Submitted) -> None:
        order = ["gp-date", "gp-with", "gp-discussed", "gp-agreed"]
        name = event.input.id or ""
        if name == "gp-agreed":
            self.action_save()
        elif name == "gp-date":
            self.query_one("#gp-kind", Select).focus()
        else:
            self.query_one(f"#{order[order.index(name) + 1]}", Input).focus()

    def action_save(self) -> None:
        error = self.query_one("#gp-error", Static)
        date_box = self.query_one("#gp-date", Input)
        try:
            on_day = parse_day(date_box.value)
        except ValueError as e:
            error.update(str(e))
            date_box.focus()
            return
        if on_day is None:
            error.update("Enter the date of the contact, e.g. " + self.today.isoformat() + ".")
            date_box.focus()
            return
        if on_day > self.today:
            error.update("The date is in the future; log a contact once it has happened.")
            date_box.focus()
            return
        kind = self.query_one("#gp-kind", Select).value
        discussed = self.query_one("#gp-discussed", Input).value.strip()
        agreed = self.query_one("#gp-agreed", Input).value.strip()
        if not discussed and not agreed:
            error.update("Write what was discussed or what was agreed (a few words are enough).")
            self.query_one("#gp-discussed", Input).focus()
            return
        self.dismiss(
            GPContact(
                date=on_day,
                kind=kind if isinstance(kind, str) else "call",
                with_whom=self.query_one("#gp-with", Input).value.strip(),
                discussed=discussed,
                agreed=agreed,
            )
        )


# (field, label, placeholder) of the free-text fields of the drawing-in context.
DRAWING_IN_FIELDS: tuple[tuple[str, str, str], ...] = (
    ("gp_name", "GP", "e.g. Dr Imaginary Jones"),
    ("practice", "Practice", "e.g. Lindenfold Surgery"),
    ("referral_positioning", "How the GP explained the referral", "e.g. 'talking might help you cope with the pain'"),
    ("referral_reaction", "How the client felt about being referred", "e.g. worried the GP thinks it is 'all in the mind'"),
    ("referrer_goal", "The referrer's goal", "e.g. fewer urgent appointments"),
    ("patient_goal", "The patient's goal, in their words", "e.g. 'to get back to my allotment'"),
    ("preferred_term", "The patient's word for the symptoms", "e.g. 'my pain', 'functional symptoms'"),
    ("access_notes", "Access notes", "e.g. mornings are hardest; prefers phone reminders"),
    ("other_professionals", "Other professionals involved", "e.g. physiotherapist, pain clinic"),
    ("concurrent_appointments", "Concurrent appointments", "e.g. neurology review in April"),
)


# How the fields are laid out: two to a row where they are short, one where they need room.
LAYOUT: tuple[tuple[str, ...], ...] = (
    ("gp_name", "practice"),
    ("referral_positioning",),
    ("referral_reaction",),
    ("referrer_goal", "patient_goal"),
    ("preferred_term", "access_notes"),
    ("other_professionals", "concurrent_appointments"),
)


@dataclass
class DrawingInAnswer:
    """The changed context fields (name -> new value), access needs included."""

    changes: dict[str, Any] = field(default_factory=dict)


class DrawingInDialog(Dialog):
    """Edit the referral and context fields of the client that the Drawing in section shows."""

    CONFIRM_DISCARD = True

    CSS_PATH = "base.tcss"
    DEFAULT_CSS = _DIALOG_CSS
    AUTO_FOCUS = "#di-gp_name"
    BINDINGS = [Binding("ctrl+s", "save", "Save", id="drawing_in.save")]

    def __init__(self, client: Client) -> None:
        super().__init__()
        self.client = client

    def compose(self) -> ComposeResult:
        c = self.client
        labels = {name: (label, placeholder) for name, label, placeholder in DRAWING_IN_FIELDS}

        def box(name: str) -> Vertical:
            label, placeholder = labels[name]
            return Vertical(
                Label(label, classes="field-label"),
                Input(str(getattr(c, name) or ""), id=f"di-{name}", compact=True, placeholder=placeholder),
            )

        yield from self.compose_banner()
        with Vertical(classes="dialog -wide tab-dialog"):
            yield Static("Drawing in: the referral and what surrounds it", classes="dialog-title")
            yield Static("Tab or Enter moves on; ctrl+s saves. Escape cancels without saving.", classes="hint-text")
            with VerticalScroll(classes="dialog-fields"):
                for row in LAYOUT:
                    with Horizontal(classes="pair"):
                        for name in row:
                            yield box(name)
                yield Label("Access needs (space ticks)", classes="field-label")
                yield SelectionList[str](
                    *[Selection(label, code, code in c.access_needs) for code, label in ACCESS_LABELS.items()],
                    id="di-access",
                )

    def on_mount(self) -> None:
        super().on_mount()
        self.call_after_refresh(lambda: self.query_one(".dialog-fields", VerticalScroll).scroll_home(animate=False))

    @on(Input.Submitted)
    def _next(self) -> None:
        self.focus_next()

    def action_save(self) -> None:
        changes: dict[str, Any] = {}
        for name, _, _ in DRAWING_IN_FIELDS:
            value = self.query_one(f"#di-{name}", Input).value.strip()
            if value != (getattr(self.client, name) or ""):
                changes[name] = value
        needs = [code for code in ACCESS_NEEDS if code in self.query_one("#di-access", SelectionList).selected]
        # keep any code a newer version may have added
        needs += [code for code in self.client.access_needs if code not in ACCESS_NEEDS]
        if set(needs) != set(self.client.access_needs):
            changes["access_needs"] = needs
        self.dismiss(DrawingInAnswer(changes))
