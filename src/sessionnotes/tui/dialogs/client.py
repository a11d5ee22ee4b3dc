"""Dialogs about a client as a whole: adding one, discharging one, erasing a record."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from ...domain.models import Client
from ..labels import parse_day
from .base import Dialog


class NewClientDialog(Dialog):
    """Name (required) and pseudonym; the rest is filled in on the record tab."""

    CONFIRM_DISCARD = True

    CSS_PATH = "base.tcss"
    AUTO_FOCUS = "#new-name"

    def __init__(self, today: dt.date) -> None:
        super().__init__()
        self.today = today

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        with Vertical(classes="dialog"):
            yield Static("New client", classes="dialog-title")
            yield Input(id="new-name", placeholder="Name, e.g. Juniper Testwell")
            yield Input(id="new-pseudonym", placeholder="Pseudonym for supervision, e.g. Client J (optional)")
            yield Input(id="new-referral", placeholder=f"Referral date YYYY-MM-DD (optional), e.g. {self.today.isoformat()}")
            yield Static("", id="new-error", classes="error-text")
            yield Static("Enter moves on; Enter on the last box adds the client. Escape cancels.", classes="hint-text")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        order = ["new-name", "new-pseudonym", "new-referral"]
        index = order.index(event.input.id or "new-name")
        if index < len(order) - 1 and not (event.input.id == "new-name" and not event.value.strip()):
            self.query_one(f"#{order[index + 1]}", Input).focus()
            return
        self._create()

    def _create(self) -> None:
        error = self.query_one("#new-error", Static)
        try:
            referral = parse_day(self.query_one("#new-referral", Input).value)
        except ValueError as e:
            error.update(str(e))
            self.query_one("#new-referral", Input).focus()
            return
        client = Client(
            name=self.query_one("#new-name", Input).value.strip(),
            pseudonym=self.query_one("#new-pseudonym", Input).value.strip(),
            referral_date=referral,
        )
        problems = client.validate(self.today)
        if problems:
            error.update(" ".join(p.message for p in problems))
            field = "#new-name" if problems[0].field == "name" else "#new-referral"
            self.query_one(field, Input).focus()
            return
        self.dismiss(client)


@dataclass
class Discharge:
    on: dt.date
    reason: str


class DischargeDialog(Dialog):
    CONFIRM_DISCARD = True

    CSS_PATH = "base.tcss"
    AUTO_FOCUS = "#discharge-date"

    def __init__(self, client_name: str, today: dt.date) -> None:
        super().__init__()
        self.client_name, self.today = client_name, today

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        with Vertical(classes="dialog"):
            yield Static(f"Discharge {self.client_name}", classes="dialog-title")
            yield Static(
                "The record is kept for 20 years after the discharge date, then it may be erased.", classes="dialog-body"
            )
            yield Input(self.today.isoformat(), id="discharge-date", placeholder="Discharge date YYYY-MM-DD")
            yield Input(id="discharge-reason", placeholder="Reason, e.g. planned ending, moved away (optional)")
            yield Static("", id="discharge-error", classes="error-text")
            yield Static("Enter on the reason discharges. Escape cancels.", classes="hint-text")

    @on(Input.Submitted, "#discharge-date")
    def _next(self) -> None:
        self.query_one("#discharge-reason", Input).focus()

    @on(Input.Submitted, "#discharge-reason")
    def _done(self) -> None:
        try:
            on_day = parse_day(self.query_one("#discharge-date", Input).value)
        except ValueError as e:
            self.query_one("#discharge-error", Static).update(str(e))
            self.query_one("#discharge-date", Input).focus()
            return
        if on_day is None:
            self.query_one("#discharge-error", Static).update("Enter the discharge date.")
            self.query_one("#discharge-date", Input).focus()
            return
        self.dismiss(Discharge(on_day, self.query_one("#discharge-reason", Input).value.strip()))


class EraseDialog(Dialog):
    """Names the client; inside the retention period a typed reason is required."""

    CSS_PATH = "base.tcss"
    AUTO_FOCUS = "#erase-reason"

    def __init__(self, client: Client, today: dt.date) -> None:
        super().__init__()
        self.client, self.today = client, today
        retention = client.retention_date()
        self.due = retention is not None and retention <= today
        self.retention = retention

    def compose(self) -> ComposeResult:
        c = self.client
        who = c.name + (f" ({c.pseudonym})" if c.pseudonym else "")
        if self.due:
            when = f"Its retention date ({self.retention.isoformat() if self.retention else 'unknown'}) has passed."
        elif self.retention:
            when = (
                f"It must normally be kept until {self.retention.isoformat()}. To erase it now, type the reason; "
                "the reason (not the notes) is kept in the vault's audit trail."
            )
        else:
            when = (
                "The client has not been discharged, so the record is inside its retention period. To erase it "
                "now, type the reason; the reason (not the notes) is kept in the vault's audit trail."
            )
        with Vertical(classes="dialog -danger"):
            yield Static(f"Erase every record of {who}?", classes="dialog-title")
            yield Static(
                f"This deletes the record, all sessions and their backups. It cannot be undone.\n{when}", classes="dialog-body"
            )
            yield Input(id="erase-reason", placeholder="Reason for erasing" + ("" if not self.due else " (optional)"))
            yield Static("", id="erase-error", classes="error-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Keep the record", id="no")
                yield Button(f"Erase {c.name}", id="yes", variant="error")

    @on(Input.Submitted, "#erase-reason")
    def _reason_done(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed, "#yes")
    def _yes(self) -> None:
        reason = self.query_one("#erase-reason", Input).value.strip()
        if not self.due and not reason:
            self.query_one("#erase-error", Static).update("Type the reason for erasing this record before its retention date.")
            self.query_one("#erase-reason", Input).focus()
            return
        self.dismiss(reason or "retention date passed")

    @on(Button.Pressed, "#no")
    def _no(self) -> None:
        self.dismiss(None)
