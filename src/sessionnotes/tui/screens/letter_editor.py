"""The letter editor: the letter's text with live wording findings, a preview, its progress and export.

While the therapist writes, the language checker runs a moment after typing stops: matched words are
underlined in the text (by severity) and listed beside it with why they may harm and a tentative
alternative. ``f5`` puts in a finding's suggested rewording where the checker has a drop-in one (ctrl+z
undoes it); ``f8`` keeps a high-severity wording on purpose (the acknowledgement is recorded with the
letter, and the export gate accepts it). ``f9`` records the next step: shown to the patient (date,
comments, changes made), agreed, sent (date, to whom). A sent letter is read-only; ``f2`` makes a new
version to edit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Header, Markdown, OptionList, Static, TextArea

from ... import services
from ...analysis.language import Finding
from ...domain.letters import Acknowledgement, Letter
from ...vault import VaultError
from ..dialogs.export import open_letter_export
from ..dialogs.letter import KeepWordingDialog, LetterStepDialog
from ..widgets.findings import (
    CHECK_DELAY,
    FindingsList,
    MarkedTextArea,
    apply_suggestion,
    chosen_finding,
    finding_detail,
    finding_prompt,
    follow_cursor,
)
from ..widgets.key_footer import KeyFooter
from .base import ResumePoint, VaultScreen

STEP_NAMES = {"draft": "Draft", "shown": "Shown to the patient", "agreed": "Agreed with the patient", "sent": "Sent"}


class LetterBody(MarkedTextArea):
    """The letter's text, with the spans of the current wording findings underlined."""


class LetterEditorScreen(VaultScreen):
    CSS_PATH = "letter_editor.tcss"
    AUTO_FOCUS = "#letter-body"
    BINDINGS = [
        Binding("escape", "back", "Back", id="letter.back", tooltip="Save and go back to the letters"),
        Binding("ctrl+s", "save", "Save", id="letter.save", tooltip="Save the letter"),
        Binding(
            "ctrl+r", "preview", "Preview", id="letter.preview", tooltip="Show the letter as it will be exported, or edit again"
        ),
        Binding("f3", "focus_body", "Letter", id="letter.focus_body", show=False, tooltip="Go to the letter's text"),
        Binding("f4", "focus_findings", "Findings", id="letter.focus_findings", tooltip="Go to the wording findings"),
        Binding(
            "f5",
            "apply_suggestion",
            "Suggestion",
            id="letter.apply",
            tooltip="Replace the chosen finding's words with its suggested rewording (ctrl+z undoes)",
        ),
        Binding(
            "f8",
            "keep_wording",
            "Keep as is",
            id="letter.keep",
            tooltip="Keep a high-severity wording on purpose (recorded with the letter)",
        ),
        Binding(
            "f9",
            "mark_shown",
            "Mark shown",
            id="letter.shown",
            tooltip="Record that the patient has seen the letter (date, comments, changes made)",
        ),
        Binding("f9", "mark_agreed", "Mark agreed", id="letter.agreed", tooltip="Record that the patient agreed the letter"),
        Binding("f9", "mark_sent", "Mark sent", id="letter.sent", tooltip="Record when and to whom the letter was sent"),
        Binding(
            "f2",
            "new_version",
            "New version",
            id="letter.new_version",
            tooltip="Make a new draft version of a sent letter, to change it",
        ),
        Binding(
            "ctrl+e",
            "export",
            "Export",
            id="letter.export",
            priority=True,
            tooltip="Export the letter to a Markdown, HTML or PDF file (unencrypted)",
        ),
    ]

    def __init__(self, client_id: str, letter_id: str) -> None:
        super().__init__()
        self.client_id = client_id
        self.letter_id = letter_id
        self.letter: Letter | None = None
        self.client: Any = None
        self.formulation: list = []
        self.sessions: list = []
        self.findings: list[Finding] = []
        self.saved_body = ""
        self.check_timer: Timer | None = None
        self._told_read_only = False

    # -- layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.compose_banner()
        yield Static("", id="letter-banner")
        with Horizontal(id="letter-editor"):
            with Vertical(id="letter-main"):
                yield LetterBody(id="letter-body", soft_wrap=True, tab_behavior="focus", show_line_numbers=True)
                with VerticalScroll(id="letter-preview"):
                    yield Markdown("", id="letter-preview-text")
            with VerticalScroll(id="letter-side"):
                yield Static("", id="findings-title", classes="side-title")
                yield FindingsList(id="findings")
                yield Static("", id="finding-detail")
                yield Static("Before export", classes="side-title")
                yield Static("", id="export-checks")
                yield Static("Progress", classes="side-title")
                yield Static("", id="progress")
        yield KeyFooter()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#letter-preview").display = False
        try:
            record = self.repo.record(self.client_id)
            letter = self.repo.get_letter(self.client_id, self.letter_id)
        except VaultError as e:
            self.ctx.show_error(e, "The letter could not be opened")
            self.dismiss()
            return
        self.client, self.formulation, self.sessions = record.client, record.formulation, record.sessions
        self.show_letter(letter)

    def show_letter(self, letter: Letter) -> None:
        self.letter = letter
        self.letter_id = letter.id
        self.saved_body = letter.body
        self._told_read_only = False
        body = self.query_one("#letter-body", LetterBody)
        body.load_text(letter.body)
        body.read_only = letter.frozen
        body.border_title = f"{letter.title}, version {letter.version}" + (" (sent: read-only)" if letter.frozen else "")
        self.title = self.client.name if self.client else "Letter"
        self.sub_title = f"Letter v{letter.version}: {STEP_NAMES.get(letter.status, letter.status)}"
        self.run_check()
        self.show_progress()
        self.show_banner()
        self.refresh_bindings()

    # -- state -----------------------------------------------------------------------------------

    @property
    def body(self) -> LetterBody:
        return self.query_one("#letter-body", LetterBody)

    @property
    def frozen(self) -> bool:
        return self.letter is not None and self.letter.frozen

    def dirty(self) -> bool:
        return self.letter is not None and not self.frozen and self.body.text != self.saved_body

    def show_banner(self) -> None:
        banner = self.query_one("#letter-banner", Static)
        letter = self.letter
        if letter is None:
            return
        to = "the patient, GP copied" if letter.addressee == "patient" else "the GP, patient copied"
        if letter.frozen:
            banner.update(
                f"Sent on {letter.sent_date} to {letter.sent_to or 'the recipient'}. A sent letter stays as "
                "it was: it is read-only. Press f2 to make a new version to change it."
            )
            banner.set_class(True, "-frozen")
            return
        banner.set_class(False, "-frozen")
        state = "Unsaved changes (ctrl+s saves; leaving saves too)." if self.dirty() else "Saved."
        banner.update(f"To {to}. {STEP_NAMES.get(letter.status, letter.status)}. {state}")

    def show_progress(self) -> None:
        letter = self.letter
        if letter is None:
            return
        lines = [f"Drafted {letter.created.date().isoformat()} (version {letter.version})"]
        if letter.shown_date:
            lines.append(f"Shown to the patient {letter.shown_date.isoformat()}")
            if letter.patient_comments:
                lines.append(f"  Their comments: {letter.patient_comments}")
            if letter.changes_made:
                lines.append(f"  Changes made: {letter.changes_made}")
        else:
            lines.append("Not yet shown to the patient")
        lines.append(f"Agreed {letter.agreed_date.isoformat()}" if letter.agreed_date else "Not yet agreed")
        lines.append(f"Sent {letter.sent_date.isoformat()} to {letter.sent_to}" if letter.sent_date else "Not yet sent")
        for a in letter.acknowledgements:
            lines.append(
                f"Kept \u201c{a.matched}\u201d ({a.category}) on {a.at.date().isoformat()}" + (f": {a.note}" if a.note else "")
            )
        nxt = {
            "draft": "f9 records that the patient has seen it.",
            "shown": "f9 records that the patient agreed it.",
            "agreed": "f9 records when and to whom it was sent.",
            "sent": "",
        }.get(letter.status, "")
        if nxt:
            lines.append(nxt)
        self.query_one("#progress", Static).update("\n".join(lines))

    # -- live findings ---------------------------------------------------------------------------

    @on(TextArea.Changed, "#letter-body")
    def _changed(self) -> None:
        self.body.drop_stale_marks()
        if self.check_timer is not None:
            self.check_timer.stop()
        self.check_timer = self.set_timer(CHECK_DELAY, self.run_check, name="letter-check")
        self.show_banner()

    def run_check(self) -> None:
        """Check the wording now and redraw the underlines, the findings list and the export checks."""
        if self.check_timer is not None:
            self.check_timer.stop()
            self.check_timer = None
        if self.letter is None or self.client is None:
            return
        text = self.body.text
        chosen = self.chosen_finding()
        try:
            self.findings = services.letter_findings(self.client, text)
        except Exception as e:  # a checker problem must never lose the therapist's text
            self.findings = []
            self.query_one("#findings-title", Static).update(f"The wording check did not run: {e}")
            return
        letter = self.letter
        self.body.mark_findings(self.findings, kept=lambda f: letter.acknowledged(f.matched, f.category))
        self.fill_findings(chosen)
        self.show_export_checks(text)
        self.refresh_bindings()

    @property
    def findings_list(self) -> FindingsList:
        return self.query_one("#findings", FindingsList)

    def fill_findings(self, chosen: Finding | None) -> None:
        options = self.findings_list
        title = self.query_one("#findings-title", Static)
        letter = self.letter
        if not self.findings:
            options.show_findings([], None, lambda f: Text())
            title.update("Wording: nothing to look at")
            options.display = False
            self.query_one("#finding-detail", Static).update(
                "The checker found no wording that might hurt or confuse a patient or GP reading this letter. "
                "It cannot catch everything: read it as the patient would."
            )
            return
        options.display = True
        pending = sum(
            1
            for f in self.findings
            if f.severity == "high" and letter is not None and not letter.acknowledged(f.matched, f.category)
        )
        title.update(f"Wording to look at ({len(self.findings)})" + (f", {pending} holding the export back" if pending else ""))
        shown = options.show_findings(
            self.findings,
            chosen,
            lambda f: finding_prompt(
                self.app, f, line=self.body.line_of(f), kept=letter is not None and letter.acknowledged(f.matched, f.category)
            ),
        )
        self.show_finding(shown)

    def show_finding(self, f: Finding | None) -> None:
        detail = self.query_one("#finding-detail", Static)
        if f is None:
            detail.update("")
            return
        out = finding_detail(f, "f5")
        if self.letter is not None and f.severity == "high":
            ack = next((a for a in self.letter.acknowledgements if a.matched == f.matched and a.category == f.category), None)
            if ack is not None:
                out.append(
                    f"\nYou kept this wording on {ack.at.date().isoformat()}" + (f": {ack.note}" if ack.note else "."),
                    style="dim",
                )
            else:
                out.append("\nThis holds the export back until you change it, or keep it on purpose with f8.")
        out.append("\nEnter on a finding shows it in the letter; f3 goes back to writing.", style="dim")
        detail.update(out)

    def show_export_checks(self, text: str) -> None:
        from ...export.letter import gaps, merge_problems, private_leaks

        lines = []
        for p in merge_problems(self.client):
            lines.append(f"\u2022 {p.message[:1].upper() + p.message[1:]}.")
        if lines:
            lines.append("Add them on the client's Record tab.")
        notes = [f"\u2022 {g.message[:1].upper() + g.message[1:]}." for g in gaps(text, self.client)]
        for leak in private_leaks(text, self.formulation, self.sessions):
            lines.append(f"\u2022 It contains {leak}: private material never goes into a letter.")
        pending = [
            f
            for f in self.findings
            if f.severity == "high" and self.letter is not None and not self.letter.acknowledged(f.matched, f.category)
        ]
        if pending:
            lines.append(
                f"\u2022 {len(pending)} high-severity wording finding{'s' if len(pending) != 1 else ''} to change or keep (f8)."
            )
        widget = self.query_one("#export-checks", Static)
        ready = (
            "Ready: NHS number, GP name and practice address are on the record, and no wording holds the "
            "export back. ctrl+e exports."
        )
        widget.update(
            "\n".join(lines + notes)
            if lines
            else "\n".join(notes + ["Otherwise " + ready[0].lower() + ready[1:]])
            if notes
            else ready
        )
        widget.set_class(bool(lines), "-problems")

    # -- choosing a finding ----------------------------------------------------------------------

    def chosen_finding(self) -> Finding | None:
        """The finding at the cursor when the text has the focus, else the one chosen in the list."""
        if not self.findings:
            return None
        return chosen_finding(self.body, self.findings_list)

    def select_span(self, f: Finding) -> None:
        self.body.select_span(f)

    @on(OptionList.OptionHighlighted, "#findings")
    def _finding_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        f = self.findings_list.finding_of(event.option)
        if f is not None:
            self.show_finding(f)
            if event.option_list.has_focus:
                self.select_span(f)

    @on(OptionList.OptionSelected, "#findings")
    def _finding_selected(self, event: OptionList.OptionSelected) -> None:
        f = self.findings_list.finding_of(event.option)
        if f is not None:
            self.action_focus_body()
            self.select_span(f)

    @on(TextArea.SelectionChanged, "#letter-body")
    def _cursor_moved(self) -> None:
        if self.findings:
            follow_cursor(self.body, self.findings_list)

    # -- actions ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        letter = self.letter
        if letter is None:
            return True
        status = letter.status
        if action == "mark_shown":
            return status == "draft"
        if action == "mark_agreed":
            return status == "shown"
        if action == "mark_sent":
            return status == "agreed"
        if action == "new_version":
            return letter.frozen
        if action in ("apply_suggestion", "keep_wording", "save"):
            if letter.frozen:
                return False
            return True if (action == "save" or self.findings) else None
        return True

    def save(self, quiet: bool = False) -> bool:
        """Write the letter's text (and any other changes on self.letter). False, with the reason shown, on failure."""
        if self.letter is None or self.body.read_only:  # read_only mirrors the stored letter: sent = frozen
            return True
        self.letter.body = self.body.text
        try:
            self.letter = self.repo.save_letter(self.client_id, self.letter)
        except VaultError as e:
            self.ctx.show_error(e, "The letter was not saved")
            return False
        self.saved_body = self.letter.body
        self.show_banner()
        private = services.letter_private_text(self.repo, self.client_id, self.letter.body)
        if private:  # checked at every save: the text is kept, but no step or export until resolved
            self.notify(
                "Saved, but the letter contains " + "; ".join(private) + ". It cannot be shown, sent or exported "
                "until that is taken out.",
                severity="warning",
                timeout=12,
            )
        elif not quiet:
            self.notify("Letter saved.")
        return True

    def action_save(self) -> None:
        self.save()

    def action_back(self) -> None:
        if self.dirty() and not self.save(quiet=True):
            return
        self.dismiss()

    def prepare_lock(self) -> ResumePoint | None:
        letter, repo = self.letter, self.repo
        if self.dirty() and letter is not None and repo is not None:
            letter.body = self.body.text
            repo.save_letter(self.client_id, letter)
        return ResumePoint(self.client_id, None, "letters")

    def action_focus_body(self) -> None:
        if self.query_one("#letter-preview").display:
            self.action_preview()
        self.body.focus()

    def action_focus_findings(self) -> None:
        options = self.findings_list
        if not self.findings:
            self.notify("There are no wording findings in this letter.")
            return
        options.focus()
        index = options.highlighted
        if index is not None and 0 <= index < len(self.findings):
            self.select_span(self.findings[index])

    def action_preview(self) -> None:
        from ...export.letter import letter_doc
        from ...export.render import to_markdown

        preview = self.query_one("#letter-preview")
        showing = not preview.display
        if showing and self.letter is not None:
            draft = replace(self.letter, body=self.body.text)
            text = to_markdown(letter_doc(draft, self.client, today=self.ctx.today()))
            self.query_one("#letter-preview-text", Markdown).update(text)
        preview.display = showing
        self.body.display = not showing
        (preview if showing else self.body).focus()

    def action_apply_suggestion(self) -> None:
        f = self.chosen_finding()
        if f is None:
            self.notify("Choose a finding first: f4 goes to the list of findings.")
            return
        outcome, message = apply_suggestion(self.body, f)
        if outcome == "no-rewording":
            self.notify(message, timeout=10)
            return
        self.run_check()
        if outcome == "applied":
            self.show_banner()
        self.notify(message)

    def action_keep_wording(self) -> None:
        f = self.chosen_finding()
        if f is None or self.letter is None:
            self.notify("Choose a finding first: f4 goes to the list of findings.")
            return
        if f.severity != "high":
            self.notify(
                f"This {f.severity}-severity finding does not hold the export back, so there is nothing to "
                "keep: change the wording if the suggestion helps, or leave it."
            )
            return
        if self.letter.acknowledged(f.matched, f.category):
            self.notify("You have already kept this wording.")
            return

        def kept(note: str | None) -> None:
            if note is None or self.letter is None or not self.unlocked:
                return
            self.letter.acknowledgements.append(
                Acknowledgement(matched=f.matched, category=f.category, at=self.repo.clock(), note=note)
            )
            if self.save(quiet=True):
                self.run_check()
                self.show_progress()
                self.notify(f"Kept \u201c{f.matched}\u201d. The decision is recorded with the letter.")
            else:
                self.letter.acknowledgements.pop()

        self.app.push_screen(KeepWordingDialog(f), kept)

    def _step(self, dialog: LetterStepDialog, step: str, **fixed: str) -> None:
        """Ask for the step's details, then record it through the one workflow in services (the
        same refusals as the CLI: out of order, backwards, dated too early, or not ready to send)."""

        def done(values: dict[str, str] | None) -> None:
            if not values or self.letter is None or not self.unlocked:
                return
            try:
                on = dt.date.fromisoformat(values["date"])
            except ValueError:
                self.notify(f"'{values['date']}' is not a date: write it as YYYY-MM-DD.", severity="error")
                return
            try:
                letter = services.advance_letter(
                    self.repo,
                    self.client_id,
                    self.letter.id,
                    step,
                    on,
                    body=self.body.text,
                    comments=values.get("comments"),
                    changes=values.get("changes"),
                    sent_to=values.get("to", ""),
                    cache=self.ctx.analysis_cache,
                )
            except VaultError as e:
                self.ctx.show_error(e, "The step was not recorded")
                return
            self.letter = letter
            self.saved_body = letter.body
            self.show_letter(letter)
            self.notify(f"Recorded: {STEP_NAMES.get(letter.status, letter.status).lower()}.")

        self.app.push_screen(dialog, done)

    def action_mark_shown(self) -> None:
        today = self.ctx.today().isoformat()
        self._step(
            LetterStepDialog(
                "Shown to the patient",
                "Record when the patient read the letter, what they said, and what you changed because of it. "
                "Make the changes in the letter itself too.",
                [
                    ("date", "Date shown (YYYY-MM-DD)", today, True),
                    ("comments", "The patient's comments (optional)", "", False),
                    ("changes", "Changes made (optional)", "", False),
                ],
            ),
            "shown",
        )

    def action_mark_agreed(self) -> None:
        self._step(
            LetterStepDialog(
                "Agreed with the patient",
                "Record the date the patient agreed the letter. It can then be sent.",
                [("date", "Date agreed (YYYY-MM-DD)", self.ctx.today().isoformat(), True)],
            ),
            "agreed",
        )

    def action_mark_sent(self) -> None:
        c = self.client
        if self.letter is not None and self.letter.addressee == "gp":
            default = f"{c.gp_name}; copy to {c.name}" if c.gp_name else ""
        else:
            default = f"{c.name}; copy to {c.gp_name}" if c.gp_name else c.name
        if self.letter is not None:
            draft = replace(self.letter, body=self.body.text)
            blockers = services.sending_blockers(self.repo, self.client_id, draft, cache=self.ctx.analysis_cache)
            if blockers:
                self.notify(
                    "The letter cannot be marked sent yet: "
                    + "; ".join(blockers)
                    + ". Change the wording, or keep it on purpose with a reason (f8; f4 goes to the findings); "
                    "review an open risk flag on the Flags tab.",
                    severity="warning",
                    timeout=12,
                )
                return
        self._step(
            LetterStepDialog(
                "Sent",
                "Record when and to whom the letter was sent. A sent letter is kept exactly as it was: it becomes "
                "read-only, and later changes make a new version.",
                [("date", "Date sent (YYYY-MM-DD)", self.ctx.today().isoformat(), True), ("to", "Sent to", default, True)],
            ),
            "sent",
        )

    def action_new_version(self) -> None:
        if self.letter is None or not self.frozen:
            return
        try:
            new = self.repo.new_letter_version(self.client_id, self.letter.id)
        except VaultError as e:
            self.ctx.show_error(e, "No new version was made")
            return
        self.show_letter(new)
        self.body.focus()
        self.notify(f"Version {new.version} is a new draft copied from the sent letter, which stays as it was.")

    def action_export(self) -> None:
        if self.letter is None:
            return
        if self.dirty() and not self.save(quiet=True):
            return
        open_letter_export(self, self.client_id, self.letter.id)

    def on_key(self, event: events.Key) -> None:
        """Typing into a sent letter: say once how to change it."""
        if self.frozen and self.body.has_focus and event.is_printable and not self._told_read_only:
            self._told_read_only = True
            self.notify("This letter has been sent, so it stays as it was. Press f2 to make a new version to edit.")
