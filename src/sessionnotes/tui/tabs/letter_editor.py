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
from textual.widgets import Footer, Header, Input, Label, Markdown, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from ... import services
from ...analysis.language import Finding, with_replacement
from ...domain.letters import Acknowledgement, Letter
from ...vault import VaultError
from ..screens.base import Dialog, ResumePoint, VaultScreen
from ..screens.labels import parse_day

CHECK_DELAY = 0.35
"""Seconds after the last key press before the wording is checked again."""

STEP_NAMES = {"draft": "Draft", "shown": "Shown to the patient", "agreed": "Agreed with the patient", "sent": "Sent"}


class LetterBody(TextArea):
    """A TextArea that underlines the spans of the current wording findings."""

    COMPONENT_CLASSES = {"letter-body--high", "letter-body--medium", "letter-body--low", "letter-body--kept"}
    DEFAULT_CSS = """
    LetterBody > .letter-body--high { color: $error; text-style: bold underline; }
    LetterBody > .letter-body--medium { color: $warning; text-style: underline; }
    LetterBody > .letter-body--low { text-style: underline; }
    LetterBody > .letter-body--kept { color: $text-muted; text-style: underline; }
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.marks: list[tuple[int, int, str, str]] = []
        """(start, end, style, matched) in character offsets of ``text``."""

    def set_marks(self, marks: list[tuple[int, int, str, str]]) -> None:
        self.marks = marks
        cache = getattr(self, "_line_cache", None)
        if cache is not None:
            cache.clear()
        self.refresh()

    def drop_stale_marks(self) -> None:
        """After an edit, keep only the marks whose words are still where they were."""
        text = self.text
        kept = [m for m in self.marks if text[m[0]:m[1]] == m[3]]
        if len(kept) != len(self.marks):
            self.set_marks(kept)

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        if not self.marks:
            return line
        start = self.document.get_index_from_location((line_index, 0))
        end = start + len(line.plain)
        for a, b, kind, _ in self.marks:
            if b <= start or a >= end:
                continue
            style = self.get_component_rich_style(f"letter-body--{kind}", partial=True)
            line.stylize(style, max(a, start) - start, min(b, end) - start)
        return line


class KeepWordingDialog(Dialog):
    """Keep a high-severity wording on purpose; an optional note says why. Returns the note."""

    CSS_PATH = "../screens/dialogs.tcss"
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
                "with the letter (what, when and your note).",
                classes="dialog-body",
            )
            yield Input(id="keep-note", placeholder="Why you are keeping it (optional), e.g. the patient's own words")
            yield Static("Enter keeps the wording. Escape goes back without keeping it.", classes="hint-text")

    @on(Input.Submitted, "#keep-note")
    def _done(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())


class LetterStepDialog(Dialog):
    """Record one workflow step: a date plus the step's own fields. Returns {field id: text}."""

    CSS_PATH = "../screens/dialogs.tcss"

    def __init__(self, title: str, body: str, fields: list[tuple[str, str, str, bool]], warning: str = "") -> None:
        """``fields``: (id, label, initial value, required); the first is the date."""
        super().__init__()
        self.title_text, self.body, self.fields, self.warning = title, body, fields, warning
        self.AUTO_FOCUS = f"#step-{fields[0][0]}"

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
            yield Static("Enter moves to the next box; Enter on the last one records the step. Escape cancels.",
                         classes="hint-text")

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        ids = [f"step-{fid}" for fid, *_ in self.fields]
        index = ids.index(event.input.id or ids[0])
        if index < len(ids) - 1:
            self.query_one(f"#{ids[index + 1]}", Input).focus()
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


class LetterEditorScreen(VaultScreen):
    CSS_PATH = "letter_editor.tcss"
    AUTO_FOCUS = "#letter-body"
    BINDINGS = [
        Binding("escape", "back", "Back", id="letter.back", tooltip="Save and go back to the letters"),
        Binding("ctrl+s", "save", "Save", id="letter.save", tooltip="Save the letter"),
        Binding("ctrl+r", "preview", "Preview", id="letter.preview",
                tooltip="Show the letter as it will be exported, or edit again"),
        Binding("f3", "focus_body", "Letter", id="letter.focus_body", show=False, tooltip="Go to the letter's text"),
        Binding("f4", "focus_findings", "Findings", id="letter.focus_findings", tooltip="Go to the wording findings"),
        Binding("f5", "apply_suggestion", "Suggestion", id="letter.apply",
                tooltip="Replace the chosen finding's words with its suggested rewording (ctrl+z undoes)"),
        Binding("f8", "keep_wording", "Keep as is", id="letter.keep",
                tooltip="Keep a high-severity wording on purpose (recorded with the letter)"),
        Binding("f9", "mark_shown", "Mark shown", id="letter.shown",
                tooltip="Record that the patient has seen the letter (date, comments, changes made)"),
        Binding("f9", "mark_agreed", "Mark agreed", id="letter.agreed", tooltip="Record that the patient agreed the letter"),
        Binding("f9", "mark_sent", "Mark sent", id="letter.sent", tooltip="Record when and to whom the letter was sent"),
        Binding("f2", "new_version", "New version", id="letter.new_version",
                tooltip="Make a new draft version of a sent letter, to change it"),
        Binding("ctrl+e", "export", "Export", id="letter.export", priority=True,
                tooltip="Export the letter to a Markdown, HTML or PDF file (unencrypted)"),
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
                yield OptionList(id="findings")
                yield Static("", id="finding-detail")
                yield Static("Before export", classes="side-title")
                yield Static("", id="export-checks")
                yield Static("Progress", classes="side-title")
                yield Static("", id="progress")
        yield Footer()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#letter-preview").display = False
        try:
            record = self.repo.record(self.client_id)
            letter = self.repo.get_letter(self.client_id, self.letter_id)
        except VaultError as e:
            self.snapp.show_error(e, "The letter could not be opened")
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
            banner.update(f"Sent on {letter.sent_date} to {letter.sent_to or 'the recipient'}. A sent letter stays as "
                          "it was: it is read-only. Press f2 to make a new version to change it.")
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
            lines.append(f"Kept \u201c{a.matched}\u201d ({a.category}) on {a.at.date().isoformat()}"
                         + (f": {a.note}" if a.note else ""))
        nxt = {"draft": "f9 records that the patient has seen it.", "shown": "f9 records that the patient agreed it.",
               "agreed": "f9 records when and to whom it was sent.", "sent": ""}.get(letter.status, "")
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
        marks = []
        for f in self.findings:
            kept = self.letter.acknowledged(f.matched, f.category)
            marks.append((f.start, f.end, "kept" if kept else f.severity, f.matched))
        self.body.set_marks(marks)
        self.fill_findings(chosen)
        self.show_export_checks(text)
        self.refresh_bindings()

    def line_of(self, f: Finding) -> int:
        return self.body.document.get_location_from_index(f.start)[0] + 1

    def _colour(self, severity: str) -> str:
        name = {"high": "error", "medium": "warning"}.get(severity, "text-muted")
        value = self.app.theme_variables.get(name, "")
        return value if value.startswith("#") else ""

    def fill_findings(self, chosen: Finding | None) -> None:
        options = self.query_one("#findings", OptionList)
        title = self.query_one("#findings-title", Static)
        options.clear_options()
        if not self.findings:
            title.update("Wording: nothing to look at")
            options.display = False
            self.query_one("#finding-detail", Static).update(
                "The checker found no wording that might hurt or confuse a patient or GP reading this letter. "
                "It cannot catch everything: read it as the patient would.")
            return
        options.display = True
        pending = sum(1 for f in self.findings if f.severity == "high" and not self.letter.acknowledged(f.matched, f.category))  # type: ignore[union-attr]
        title.update(f"Wording to look at ({len(self.findings)})" + (f", {pending} holding the export back" if pending else ""))
        highlight = 0
        if chosen is not None:  # the same finding as before (the nearest one with the same words)
            same = [i for i, f in enumerate(self.findings) if (f.matched, f.category) == (chosen.matched, chosen.category)]
            if same:
                highlight = min(same, key=lambda i: abs(self.findings[i].start - chosen.start))
        for i, f in enumerate(self.findings):
            prompt = Text()
            prompt.append(f"Line {self.line_of(f)}  ", style="dim")
            prompt.append(f.severity, style=f"bold {self._colour(f.severity)}".strip())
            prompt.append(f"  {f.category}")
            if self.letter is not None and self.letter.acknowledged(f.matched, f.category):
                prompt.append("  kept", style="dim")
            if f.quoted:
                prompt.append("  quoted", style="dim")
            prompt.append(f"\n  \u201c{f.matched}\u201d")
            options.add_option(Option(prompt, id=str(i)))
        options.highlighted = highlight
        self.show_finding(self.findings[highlight])

    def show_finding(self, f: Finding | None) -> None:
        detail = self.query_one("#finding-detail", Static)
        if f is None:
            detail.update("")
            return
        out = Text()
        out.append("Why: ", style="bold")
        out.append(f.why + "\n")
        out.append("Instead: ", style="bold")
        out.append(f.suggestion + "\n")
        if f.replacement:
            out.append(f"f5 puts in \u201c{f.replacement}\u201d.", style="bold")
        else:
            out.append("No drop-in rewording: rewrite the sentence in your own words.", style="dim")
        if f.quoted:
            out.append("\nThese look like someone else's words (quoted or reported), so this is reported at a lower severity.",
                       style="dim")
        if self.letter is not None and f.severity == "high":
            ack = next((a for a in self.letter.acknowledgements if a.matched == f.matched and a.category == f.category), None)
            if ack is not None:
                out.append(f"\nYou kept this wording on {ack.at.date().isoformat()}" + (f": {ack.note}" if ack.note else "."),
                           style="dim")
            else:
                out.append("\nThis holds the export back until you change it, or keep it on purpose with f8.")
        out.append("\nEnter on a finding shows it in the letter; f3 goes back to writing.", style="dim")
        detail.update(out)

    def show_export_checks(self, text: str) -> None:
        from ...export.letter import merge_problems, private_leaks

        lines = []
        for p in merge_problems(self.client):
            lines.append(f"\u2022 {p.message[:1].upper() + p.message[1:]}.")
        if lines:
            lines.append("Add them on the client's Record tab.")
        for leak in private_leaks(text, self.formulation, self.sessions):
            lines.append(f"\u2022 It contains {leak}: private material never goes into a letter.")
        pending = [f for f in self.findings if f.severity == "high" and self.letter is not None
                   and not self.letter.acknowledged(f.matched, f.category)]
        if pending:
            lines.append(f"\u2022 {len(pending)} high-severity wording finding{'s' if len(pending) != 1 else ''} "
                         "to change or keep (f8).")
        widget = self.query_one("#export-checks", Static)
        widget.update("\n".join(lines) if lines else "Ready: NHS number, GP name and practice address are on the "
                      "record, and no wording holds the export back. ctrl+e exports.")
        widget.set_class(bool(lines), "-problems")

    # -- choosing a finding ----------------------------------------------------------------------

    def chosen_finding(self) -> Finding | None:
        """The finding at the cursor when the text has the focus, else the one chosen in the list."""
        if not self.findings:
            return None
        body = self.body
        if body.has_focus:
            at = body.document.get_index_from_location(body.cursor_location)
            for f in self.findings:
                if f.start <= at <= f.end:
                    return f
        index = self.query_one("#findings", OptionList).highlighted
        if index is not None and 0 <= index < len(self.findings):
            return self.findings[index]
        return None

    def select_span(self, f: Finding) -> None:
        from textual.widgets.text_area import Selection

        doc = self.body.document
        self.body.selection = Selection(doc.get_location_from_index(f.start), doc.get_location_from_index(f.end))
        self.body.scroll_cursor_visible()

    @on(OptionList.OptionHighlighted, "#findings")
    def _finding_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        index = int(event.option.id or 0)
        if 0 <= index < len(self.findings):
            f = self.findings[index]
            self.show_finding(f)
            if event.option_list.has_focus:
                self.select_span(f)

    @on(OptionList.OptionSelected, "#findings")
    def _finding_selected(self, event: OptionList.OptionSelected) -> None:
        index = int(event.option.id or 0)
        if 0 <= index < len(self.findings):
            self.action_focus_body()
            self.select_span(self.findings[index])

    @on(TextArea.SelectionChanged, "#letter-body")
    def _cursor_moved(self) -> None:
        if not self.body.has_focus or not self.findings:
            return
        f = self.chosen_finding()
        if f is None:
            return
        options = self.query_one("#findings", OptionList)
        index = self.findings.index(f)
        if options.highlighted != index:
            options.highlighted = index

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
            self.snapp.show_error(e, "The letter was not saved")
            return False
        self.saved_body = self.letter.body
        self.show_banner()
        if not quiet:
            self.notify("Letter saved.")
        return True

    def action_save(self) -> None:
        self.save()

    def action_back(self) -> None:
        if self.dirty() and not self.save(quiet=True):
            return
        self.dismiss()

    def prepare_lock(self) -> ResumePoint | None:
        if self.dirty():
            self.letter.body = self.body.text  # type: ignore[union-attr]
            self.repo.save_letter(self.client_id, self.letter)  # type: ignore[arg-type]
        return ResumePoint(self.client_id, None, "letters")

    def action_focus_body(self) -> None:
        if self.query_one("#letter-preview").display:
            self.action_preview()
        self.body.focus()

    def action_focus_findings(self) -> None:
        options = self.query_one("#findings", OptionList)
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
            text = to_markdown(letter_doc(draft, self.client, today=self.snapp.today()))
            self.query_one("#letter-preview-text", Markdown).update(text)
        preview.display = showing
        self.body.display = not showing
        (preview if showing else self.body).focus()

    def action_apply_suggestion(self) -> None:
        f = self.chosen_finding()
        if f is None:
            self.notify("Choose a finding first: f4 goes to the list of findings.")
            return
        if not f.replacement:
            self.notify(f"There is no drop-in rewording for \u201c{f.matched}\u201d. {f.suggestion}", timeout=10)
            return
        body = self.body
        text = body.text
        if with_replacement(text, f) == text:
            self.run_check()
            self.notify("The text changed since it was checked; the findings are up to date again. Try once more.")
            return
        from textual.widgets.text_area import Selection

        doc = body.document
        result = body.replace(f.replacement, doc.get_location_from_index(f.start), doc.get_location_from_index(f.end))
        body.selection = Selection.cursor(result.end_location)  # typing next must not overwrite the new words
        self.run_check()
        self.show_banner()
        self.notify(f"\u201c{f.matched}\u201d is now \u201c{f.replacement}\u201d. ctrl+z undoes it.")

    def action_keep_wording(self) -> None:
        f = self.chosen_finding()
        if f is None or self.letter is None:
            self.notify("Choose a finding first: f4 goes to the list of findings.")
            return
        if f.severity != "high":
            self.notify(f"This {f.severity}-severity finding does not hold the export back, so there is nothing to "
                        "keep: change the wording if the suggestion helps, or leave it.")
            return
        if self.letter.acknowledged(f.matched, f.category):
            self.notify("You have already kept this wording.")
            return

        def kept(note: str | None) -> None:
            if note is None or self.letter is None or not self.unlocked:
                return
            self.letter.acknowledgements.append(
                Acknowledgement(matched=f.matched, category=f.category, at=self.repo.clock(), note=note))
            if self.save(quiet=True):
                self.run_check()
                self.show_progress()
                self.notify(f"Kept \u201c{f.matched}\u201d. The decision is recorded with the letter.")
            else:
                self.letter.acknowledgements.pop()

        self.app.push_screen(KeepWordingDialog(f), kept)

    def _step(self, dialog: LetterStepDialog, apply) -> None:
        def done(values: dict[str, str] | None) -> None:
            if not values or self.letter is None or not self.unlocked:
                return
            before = Letter.from_dict(self.letter.to_dict())
            apply(self.letter, values)
            if not self.save(quiet=True):
                self.letter = before
                return
            self.show_letter(self.letter)
            self.notify(f"Recorded: {STEP_NAMES.get(self.letter.status, self.letter.status).lower()}.")

        self.app.push_screen(dialog, done)

    def action_mark_shown(self) -> None:
        today = self.snapp.today().isoformat()

        def apply(letter: Letter, v: dict[str, str]) -> None:
            letter.status, letter.shown_date = "shown", dt.date.fromisoformat(v["date"])
            letter.patient_comments, letter.changes_made = v["comments"], v["changes"]

        self._step(LetterStepDialog(
            "Shown to the patient",
            "Record when the patient read the letter, what they said, and what you changed because of it. "
            "Make the changes in the letter itself too.",
            [("date", "Date shown (YYYY-MM-DD)", today, True),
             ("comments", "The patient's comments (optional)", "", False),
             ("changes", "Changes made (optional)", "", False)],
        ), apply)

    def action_mark_agreed(self) -> None:
        def apply(letter: Letter, v: dict[str, str]) -> None:
            letter.status, letter.agreed_date = "agreed", dt.date.fromisoformat(v["date"])

        self._step(LetterStepDialog(
            "Agreed with the patient",
            "Record the date the patient agreed the letter. It can then be sent.",
            [("date", "Date agreed (YYYY-MM-DD)", self.snapp.today().isoformat(), True)],
        ), apply)

    def action_mark_sent(self) -> None:
        c = self.client
        if self.letter is not None and self.letter.addressee == "gp":
            default = f"{c.gp_name}; copy to {c.name}" if c.gp_name else ""
        else:
            default = f"{c.name}; copy to {c.gp_name}" if c.gp_name else c.name
        pending = services.blocking_findings(replace(self.letter, body=self.body.text), c) if self.letter else []
        if pending:
            n = len(pending)
            self.notify(f"{n} high-severity wording finding{'s' if n != 1 else ''} {'are' if n != 1 else 'is'} neither "
                        "changed nor kept, so the letter cannot be marked sent yet. Change the wording, or keep it on "
                        "purpose with f8 (f4 goes to the findings).", severity="warning", timeout=10)
            return

        def apply(letter: Letter, v: dict[str, str]) -> None:
            letter.body = self.body.text
            letter.status, letter.sent_date, letter.sent_to = "sent", dt.date.fromisoformat(v["date"]), v["to"]

        self._step(LetterStepDialog(
            "Sent",
            "Record when and to whom the letter was sent. A sent letter is kept exactly as it was: it becomes "
            "read-only, and later changes make a new version.",
            [("date", "Date sent (YYYY-MM-DD)", self.snapp.today().isoformat(), True),
             ("to", "Sent to", default, True)],
        ), apply)

    def action_new_version(self) -> None:
        if self.letter is None or not self.frozen:
            return
        try:
            new = self.repo.new_letter_version(self.client_id, self.letter.id)
        except VaultError as e:
            self.snapp.show_error(e, "No new version was made")
            return
        self.show_letter(new)
        self.body.focus()
        self.notify(f"Version {new.version} is a new draft copied from the sent letter, which stays as it was.")

    def action_export(self) -> None:
        from .export_dialog import open_letter_export

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

