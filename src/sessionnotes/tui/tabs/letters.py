"""The Letters tab: the client's assessment letters (version, status, dates) and the exports.

``n`` drafts a new letter from the template (to the patient with the GP copied, or the reverse) and
opens it in the letter editor; Enter opens the chosen letter. ``e`` exports the chosen letter,
``s`` a supervision summary and ``r`` the full record, each through the export dialog.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static

from ... import services
from ...domain.letters import Letter
from ...vault import VaultError
from ..dialogs.export import open_letter_export, open_record_export, open_supervision_export
from ..dialogs.letter import NewLetterDialog
from ..messages import OpenLetter
from .base import ClientTab

ADDRESSEE_LABELS = {"patient": "Patient, GP copied", "gp": "GP, patient copied"}


def status_label(letter: Letter) -> str:
    return {"draft": "Draft", "shown": "Shown to patient", "agreed": "Agreed", "sent": "Sent"}.get(letter.status, letter.status)


def sent_label(letter: Letter, width: int = 34) -> str:
    """'2026-03-02 to Dr Jones; copy to …' shortened to `width` characters."""
    if not letter.sent_date:
        return "-"
    text = letter.sent_date.isoformat() + (f" to {letter.sent_to}" if letter.sent_to else "")
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"


def _day(d: Any) -> str:
    return d.isoformat() if d else "-"


class LettersTab(ClientTab):
    DEFAULT_CSS = (Path(__file__).with_name("letters.tcss")).read_text(encoding="utf-8")
    BINDINGS = [
        Binding("n", "new_letter", "New letter", id="letters.new", tooltip="Draft a new assessment letter"),
        Binding(
            "e", "export_letter", "Export letter", id="letters.export", tooltip="Export the chosen letter (Markdown, HTML or PDF)"
        ),
        Binding(
            "s",
            "supervision",
            "Supervision summary",
            id="letters.supervision",
            tooltip="Export this client's supervision summary (pseudonymised)",
        ),
        Binding(
            "r",
            "record",
            "Full record",
            id="letters.record",
            tooltip="Export everything held for this client (subject access request)",
        ),
    ]

    def __init__(self, client_id: str, **kwargs: Any) -> None:
        super().__init__(client_id, **kwargs)
        self.letters: list[Letter] = []

    def compose(self) -> ComposeResult:
        yield Static(
            "Assessment letters: written so the patient can read them, shown to the patient, agreed, then sent. "
            "A sent letter is kept as it was; changing it makes a new version.",
            id="letters-intro",
        )
        yield DataTable(id="letters-table", cursor_type="row", zebra_stripes=True)
        yield Static("", id="letters-empty", classes="hint-text")
        yield Static(
            "n new letter \u00b7 Enter open \u00b7 e export the letter \u00b7 s supervision summary \u00b7 "
            "r full record. Exports are unencrypted files written where you choose.",
            id="letters-keys",
            classes="hint-text",
        )

    def on_mount(self) -> None:
        table = self.query_one("#letters-table", DataTable)
        for title in ("Version", "To", "Status", "Created", "Shown", "Agreed", "Wording", "Sent"):
            table.add_column(title, key=title)
        self.reload()

    def reload(self, select: str | None = None) -> None:
        """Read the letters again; `select` is a letter id to put the cursor on (else it stays put)."""
        if not self.unlocked:
            return
        table = self.query_one("#letters-table", DataTable)
        chosen = self.chosen_letter()
        chosen_id = select or (chosen.id if chosen is not None else None)
        try:
            self.letters = self.repo.list_letters(self.client_id)
            client = self.repo.get_client(self.client_id)
        except VaultError as e:
            self.ctx.show_error(e, "The letters could not be read")
            return
        table.clear()
        for letter in reversed(self.letters):
            pending = services.blocking_findings(letter, client)
            wording = f"{len(pending)} to look at" if pending else "no open findings"
            table.add_row(
                f"v{letter.version}",
                ADDRESSEE_LABELS.get(letter.addressee, letter.addressee),
                status_label(letter),
                letter.created.date().isoformat(),
                _day(letter.shown_date),
                _day(letter.agreed_date),
                wording,
                sent_label(letter),
                key=letter.id,
            )
        if chosen_id is not None and chosen_id in {x.id for x in self.letters}:
            table.move_cursor(row=table.get_row_index(chosen_id))
        self.query_one("#letters-empty", Static).update(
            "" if self.letters else "No letters yet. Press n to draft the assessment letter from the record."
        )

    def chosen_letter(self) -> Letter | None:
        table = self.query_one("#letters-table", DataTable)
        if not table.row_count:
            return None
        try:
            key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:  # no row under the cursor
            return None
        return next((x for x in self.letters if x.id == key), None)

    # -- actions ---------------------------------------------------------------------------------

    def open_letter(self, letter_id: str) -> None:
        # back on the list, the cursor is on the letter last shown (a new version, if one was made)
        self.post_message(OpenLetter(self.client_id, letter_id, then=lambda shown: self.reload(select=shown)))

    @on(DataTable.RowSelected, "#letters-table")
    def _open(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.open_letter(event.row_key.value)

    def action_new_letter(self) -> None:
        def chosen(answer: tuple[str, str] | None) -> None:
            if not answer or not self.unlocked:
                return
            addressee, signed_by = answer
            try:
                letter = services.draft_letter(self.repo, self.client_id, addressee=addressee, signed_by=signed_by)
            except VaultError as e:
                self.ctx.show_error(e, "The letter was not drafted")
                return
            self.reload()
            self.open_letter(letter.id)

        try:
            signed_by = str(self.repo.settings().get("therapist_name", ""))
        except VaultError as e:
            self.ctx.show_error(e, "The settings could not be read")
            return
        self.app.push_screen(NewLetterDialog(signed_by), chosen)

    def action_export_letter(self) -> None:
        letter = self.chosen_letter()
        if letter is None:
            self.notify("There is no letter to export yet. Press n to draft one.")
            return
        open_letter_export(self, self.client_id, letter.id, then=lambda _: self.reload())

    def action_supervision(self) -> None:
        open_supervision_export(self, self.client_id)

    def action_record(self) -> None:
        open_record_export(self, self.client_id)
