"""Small modal questions. Each returns its answer with ``dismiss(value)``; Escape cancels."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from ...domain.models import Client
from .base import Dialog, ResumePoint
from .labels import parse_day


class ConfirmDialog(Dialog):
    """A yes/no question; the safe answer has the focus."""

    CSS_PATH = "dialogs.tcss"

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


class NewClientDialog(Dialog):
    """Name (required) and pseudonym; the rest is filled in on the record tab."""

    CONFIRM_DISCARD = True

    CSS_PATH = "dialogs.tcss"
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

    CSS_PATH = "dialogs.tcss"
    AUTO_FOCUS = "#discharge-date"

    def __init__(self, client_name: str, today: dt.date) -> None:
        super().__init__()
        self.client_name, self.today = client_name, today

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        with Vertical(classes="dialog"):
            yield Static(f"Discharge {self.client_name}", classes="dialog-title")
            yield Static("The record is kept for 20 years after the discharge date, then it may be erased.",
                         classes="dialog-body")
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

    CSS_PATH = "dialogs.tcss"
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
            when = f"Its retention date ({self.retention.isoformat()}) has passed."  # type: ignore[union-attr]
        elif self.retention:
            when = (f"It must normally be kept until {self.retention.isoformat()}. To erase it now, type the reason; "
                    "the reason (not the notes) is kept in the vault's audit trail.")
        else:
            when = ("The client has not been discharged, so the record is inside its retention period. To erase it "
                    "now, type the reason; the reason (not the notes) is kept in the vault's audit trail.")
        with Vertical(classes="dialog -danger"):
            yield Static(f"Erase every record of {who}?", classes="dialog-title")
            yield Static(f"This deletes the record, all sessions and their backups. It cannot be undone.\n{when}",
                         classes="dialog-body")
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


class AddendumDialog(Dialog):
    """A dated addendum to a signed session. ctrl+s adds it."""

    CONFIRM_DISCARD = True

    CSS_PATH = "dialogs.tcss"
    AUTO_FOCUS = "#addendum-text"
    BINDINGS = [Binding("ctrl+s", "add", "Add addendum", id="addendum.add")]

    def __init__(self, session_label: str, text: str = "", client_id: str = "", session_id: str = "") -> None:
        super().__init__()
        self.session_label, self.text = session_label, text
        self.client_id, self.session_id = client_id, session_id

    def prepare_lock(self) -> ResumePoint | None:
        """Keep the half-written addendum (encrypted) so it comes back after unlocking."""
        repo = getattr(self.app, "repo", None)
        if repo is not None and self.client_id and self.current_text().strip():
            repo.save_draft(self.client_id, f"addendum:{self.session_id}", {"text": self.current_text()})
        return None

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        with Vertical(classes="dialog -wide"):
            yield Static(f"Addendum to {self.session_label}", classes="dialog-title")
            yield Static("The signed note stays as it is; this is added below it with today's date and time.",
                         classes="dialog-body")
            yield TextArea(self.text, id="addendum-text")
            yield Static("", id="addendum-error", classes="error-text")
            yield Static("ctrl+s adds the addendum. Escape cancels.", classes="hint-text")

    def current_text(self) -> str:
        return self.query_one("#addendum-text", TextArea).text

    def action_add(self) -> None:
        text = self.current_text()
        if not text.strip():
            self.query_one("#addendum-error", Static).update("Write the addendum first.")
            return
        self.dismiss(text)


SESSION_ID = re.compile(r"[0-9a-f]{8}")


def draft_kind(key: object) -> str:
    """What a draft key is: "record", "new" (a new session), "session", "addendum", "measure", or
    "unknown" (a kind this version cannot reopen, e.g. written by a newer version)."""
    from ..tabs.measure_drafts import PREFIX as MEASURE_PREFIX

    if not isinstance(key, str):
        return "unknown"
    if key in ("record", "new"):
        return key
    if key.startswith("addendum:") and SESSION_ID.fullmatch(key.removeprefix("addendum:")):
        return "addendum"
    if key.startswith(MEASURE_PREFIX):
        from ...domain.measures import INSTRUMENTS

        return "measure" if key.removeprefix(MEASURE_PREFIX) in INSTRUMENTS else "unknown"
    return "session" if SESSION_ID.fullmatch(key) else "unknown"


class DraftsDialog(Dialog):
    """Unsaved work found after unlocking (the app was closed or crashed mid-edit)."""

    CSS_PATH = "dialogs.tcss"
    AUTO_FOCUS = "#drafts"

    def __init__(self, drafts: list[dict], names: dict[str, str] | None = None) -> None:
        super().__init__()
        self.drafts = drafts
        self.names = names or {}

    def describe(self, d: dict) -> str:
        who = self.names.get(d.get("client", ""), "a client")
        draft = d.get("draft") or {}
        if not isinstance(draft, dict):
            draft = {}
        key = d.get("key")
        kind = draft_kind(key)
        dated = f" of {draft.get('date')}" if isinstance(draft.get("date"), str) and draft.get("date") else ""
        if kind == "record":
            what = "changes to the client record"
        elif kind == "addendum":
            what = "an addendum"
        elif kind == "new":
            what = "a new session" + dated
        elif kind == "session":
            what = "changes to the session" + dated
        elif kind == "measure":
            from ..tabs.measure_drafts import MeasureDraft

            measure = MeasureDraft.from_record(d)
            what = measure.describe() + dated if measure is not None else "a measure in progress"
        else:
            what = f"unsaved work this version cannot reopen ({str(key)[:40]}); it is kept"
        saved = str(d.get("saved", ""))[:16].replace("T", " ")
        return f"{who}: {what} (autosaved {saved} UTC)"

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        with Vertical(classes="dialog -wide"):
            yield Static("Unsaved work was kept for you", classes="dialog-title")
            yield Static("The vault locked or the app closed before this was saved. It is stored encrypted. "
                         "Enter reopens it; Escape leaves it for later (it is offered again when you open it).",
                         classes="dialog-body")
            yield OptionList(*[Option(self.describe(d), id=str(i)) for i, d in enumerate(self.drafts)], id="drafts")

    @on(OptionList.OptionSelected, "#drafts")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.drafts[int(event.option.id or 0)])


class IdleMinutesDialog(Dialog):
    CSS_PATH = "dialogs.tcss"
    AUTO_FOCUS = "#idle-minutes"

    def __init__(self, minutes: int) -> None:
        super().__init__()
        self.minutes = minutes

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        with Vertical(classes="dialog"):
            yield Static("Lock after how many minutes without a key press?", classes="dialog-title")
            yield Input(str(self.minutes), id="idle-minutes", type="integer")
            yield Static("", id="idle-error", classes="error-text")
            yield Static("Between 1 and 120. Enter saves; Escape cancels.", classes="hint-text")

    @on(Input.Submitted, "#idle-minutes")
    def _done(self, event: Input.Submitted) -> None:
        try:
            minutes = int(event.value)
        except ValueError:
            minutes = 0
        if not 1 <= minutes <= 120:
            self.query_one("#idle-error", Static).update("Type a whole number of minutes from 1 to 120.")
            return
        self.dismiss(minutes)
