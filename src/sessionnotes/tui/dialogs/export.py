"""Exporting a letter, a supervision summary or the full record to a file the therapist chooses.

Exports leave the encrypted vault, so the dialog says plainly that the file is not encrypted, writes
only where the therapist says (a folder they chose before, else ~/Documents, else home), never
replaces a file without asking, and shows a refused export's reason in place. The export itself
(services.export_*) runs in a thread because PDF rendering takes a second or two; it writes the file
0600 and notes the export in the client's audit trail.
"""

from __future__ import annotations

import dataclasses
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Static

from ... import services
from ...export.review import NeedsReview
from ...vault import VaultError
from ..context import ResumePoint, context_of
from .base import ConfirmDialog, Dialog
from .review import ReviewDialog, ReviewResult

if TYPE_CHECKING:
    from ...vault.repository import Repository

FORMATS = {"pdf": "PDF", "html": "HTML", "md": "Markdown"}
SUFFIXES = {".pdf": "pdf", ".html": "html", ".htm": "html", ".md": "md"}
UNENCRYPTED = (
    "The file is NOT encrypted: anyone who can open it can read it. Keep it somewhere private and delete it "
    "when it is no longer needed. Only your user account can open it (mode 0600), and the export is noted "
    "in the client's audit trail."
)
READ_BEFORE_SHARING = (
    "Pseudonymised: the name, date of birth, NHS number, address, phone, email, GP and practice are replaced, "
    "and the file is checked for them before it is written. Automatic scrubbing cannot know every identifier "
    "(a workplace, a relative's name, a rare event): read it before sharing."
)
PRIVATE_WARNING = (
    "Your private process notes will be in this file. They are your own reflections and never appear in "
    "letters or supervision summaries; include them only if you mean to share them (for example when a "
    "subject access request covers them)."
)


@dataclass(frozen=True)
class ExportChoice:
    fmt: str
    path: Path
    force: bool = False
    include_private: bool = False
    since_last: bool = False
    confirmed: frozenset[str] = frozenset()
    """Words the therapist confirmed in the review step are not names (supervision summaries)."""


def display_path(path: Path) -> str:
    """A path as the therapist would type it: ~/Documents/x.pdf rather than /home/name/Documents/x.pdf."""
    home = Path.home()
    try:
        return "~/" + str(path.relative_to(home)) if path != home else "~"
    except ValueError:
        return str(path)


def default_folder(repo: Any) -> Path:
    """The folder of the last export (kept in the vault's settings), else ~/Documents, else home."""
    try:
        remembered = (repo.settings() or {}).get("export_folder") if repo is not None else None
    except VaultError:
        remembered = None
    if remembered and Path(remembered).expanduser().is_dir():
        return Path(remembered).expanduser()
    documents = Path.home() / "Documents"
    return documents if documents.is_dir() else Path.home()


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def client_slug(client: Any) -> str:
    """The pseudonym (or the record id) for file names: a file name should not carry the real name."""
    return slug(getattr(client, "pseudonym", "") or "") or f"client-{slug(getattr(client, 'id', '') or 'x')}"


def explain(error: BaseException) -> str:
    """Why an export was refused, in sentences the therapist can act on."""
    if isinstance(error, services.LanguageGate):
        lines = ["The letter was not exported: some wording needs a look first."]
        seen = list(dict.fromkeys((f.matched, f.category) for f in error.findings))
        lines += [f"  \u2022 \u201c{matched}\u201d ({category})" for matched, category in seen[:8]]
        if len(seen) > 8:
            lines.append(f"  \u2022 and {len(seen) - 8} more")
        lines.append(
            "In the letter editor, change the wording, or choose a finding and press f8 to keep it on "
            "purpose (that is recorded with the letter)."
        )
        return "\n".join(lines)
    if isinstance(error, services.MissingMergeFields):
        lines = ["The letter was not exported: the client's record is missing what a letter needs."]
        lines += [f"  \u2022 {p.message[:1].upper() + p.message[1:]}." for p in error.problems]
        lines.append("Add them on the Record tab, then export again.")
        return "\n".join(lines)
    if isinstance(error, VaultError):
        hint = (error.hint or "").replace("add --force to replace it", "confirm replacing it")
        return f"{error} {hint}".strip()
    return f"The export did not complete: {error}. Nothing was shared; try again, or choose another place."


class ExportDialog(Dialog):
    """Format, file name and (per kind) options; runs the export and returns the written path."""

    CSS_PATH = ["base.tcss", "export.tcss"]
    AUTO_FOCUS = "#export-path"

    class Finished(Message):
        def __init__(self, path: Path | None, error: BaseException | None) -> None:
            super().__init__()
            self.path, self.error = path, error

    def __init__(
        self,
        *,
        heading: str,
        intro: str,
        stem: str,
        folder: Path,
        run: Callable[[ExportChoice], Path],
        reminder: str = "",
        since_label: str = "",
        private_option: bool = False,
        fmt: str = "pdf",
        keep_out: Callable[[list[str]], None] | None = None,
        who: str = "this client",
    ) -> None:
        """``keep_out`` (supervision summaries) adds names to the client's keep-out list; with it, words
        left after scrubbing that may be names are shown for review before anything is written."""
        super().__init__()
        self.heading, self.intro, self.stem, self.folder = heading, intro, stem, folder
        self.export_fn, self.reminder, self.since_label, self.private_option = run, reminder, since_label, private_option
        self.fmt = fmt
        self.keep_out, self.who = keep_out, who
        self.pending: ExportChoice | None = None
        self.busy = False
        self.finished = threading.Event()
        self.finished.set()

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        with Vertical(classes="dialog -wide", id="export-box"):
            yield Static(self.heading, classes="dialog-title")
            if self.intro:
                yield Static(self.intro, classes="dialog-body")
            yield Static(UNENCRYPTED, id="export-warning")
            if self.reminder:
                yield Static(self.reminder, id="export-reminder")
            yield Label("Format", classes="export-label")
            with RadioSet(id="export-format"):
                for code, name in FORMATS.items():
                    yield RadioButton(name, value=code == self.fmt, id=f"fmt-{code}")
            path_box = Input(display_path(self.folder / f"{self.stem}.{self.fmt}"), id="export-path")
            path_box.border_title = "Save as (a path on this computer)"
            yield path_box
            if self.since_label:
                yield Checkbox(self.since_label, id="export-since")
            if self.private_option:
                yield Checkbox("Include my private process notes", id="export-private")
                yield Static(PRIVATE_WARNING, id="export-private-warning")
            yield Static("", id="export-error", classes="error-text")
            yield Static(
                "Tab moves between the choices. Enter on the file name exports; Escape cancels.",
                id="export-status",
                classes="hint-text",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="export-cancel")
                yield Button("Export", id="export-go", variant="primary")

    def on_mount(self) -> None:
        super().on_mount()
        if self.private_option:
            self.query_one("#export-private-warning").display = False
        self.show_error("")

    def show_error(self, text: str) -> None:
        error = self.query_one("#export-error", Static)
        error.update(text)
        error.display = bool(text)

    # -- choices ---------------------------------------------------------------------------------

    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self, event: RadioSet.Changed) -> None:
        button_id = event.pressed.id or "fmt-pdf"
        self.fmt = button_id.removeprefix("fmt-")
        box = self.query_one("#export-path", Input)
        text = box.value.strip()
        root, dot, ext = text.rpartition(".")
        if dot and "/" not in ext and f".{ext.lower()}" in SUFFIXES:
            if SUFFIXES[f".{ext.lower()}"] != self.fmt:
                box.value = f"{root}.{self.fmt}"
        elif text:
            box.value = f"{text}.{self.fmt}"

    @on(Input.Changed, "#export-path")
    def _path_changed(self, event: Input.Changed) -> None:
        """Typing a file name ending in .md, .html or .pdf chooses that format."""
        fmt = SUFFIXES.get(Path(event.value.strip()).suffix.lower())
        if fmt and fmt != self.fmt:
            self.fmt = fmt
            self.query_one(f"#fmt-{fmt}", RadioButton).value = True

    @on(Checkbox.Changed, "#export-private")
    def _private_changed(self, event: Checkbox.Changed) -> None:
        self.query_one("#export-private-warning").display = event.value

    def choice(self) -> ExportChoice | str:
        """The therapist's choice, or a sentence saying what to fix."""
        text = self.query_one("#export-path", Input).value.strip()
        if not text:
            return "Type where to save the file, e.g. " + display_path(self.folder / f"{self.stem}.{self.fmt}")
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = self.folder / path
        if path.is_dir():
            return f"{display_path(path)} is a folder. Add a file name, e.g. {display_path(path / (self.stem + '.' + self.fmt))}"
        suffix_format = SUFFIXES.get(path.suffix.lower())
        if suffix_format is None:
            path = path.with_name(path.name + f".{self.fmt}")
        elif suffix_format != self.fmt:
            self.fmt = suffix_format
        if not path.parent.is_dir():
            return f"The folder {display_path(path.parent)} does not exist. Create it first, or choose another place."
        since = self.since_label and self.query_one("#export-since", Checkbox).value
        private = self.private_option and self.query_one("#export-private", Checkbox).value
        return ExportChoice(self.fmt, path, include_private=bool(private), since_last=bool(since))

    # -- exporting -------------------------------------------------------------------------------

    @on(Input.Submitted, "#export-path")
    @on(Button.Pressed, "#export-go")
    def _export(self) -> None:
        if self.busy:
            return
        choice = self.choice()
        if isinstance(choice, str):
            self.show_error(choice)
            self.query_one("#export-path", Input).focus()
            return
        self.show_error("")
        if choice.path.exists():

            def replace(yes: bool | None) -> None:
                if yes:
                    self.start(dataclasses.replace(choice, force=True))
                else:
                    self.show_error("Nothing was written. Choose another file name.")
                    self.query_one("#export-path", Input).focus()

            self.app.push_screen(
                ConfirmDialog(
                    f"Replace {choice.path.name}?",
                    f"{display_path(choice.path)} already exists. Replacing it cannot be undone.",
                    "Replace it",
                    "Keep it",
                    danger=True,
                ),
                replace,
            )
            return
        self.start(choice)

    @on(Button.Pressed, "#export-cancel")
    def _cancel(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)

    def start(self, choice: ExportChoice) -> None:
        self.pending = choice
        self.busy = True
        self.finished.clear()
        self.query_one("#export-status", Static).update(f"Writing {display_path(choice.path)}\u2026")
        for widget in self.query("Input, Button, RadioSet, Checkbox"):
            widget.disabled = True
        self.export_in_thread(choice)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def export_in_thread(self, choice: ExportChoice) -> None:
        path: Path | None = None
        error: BaseException | None = None
        try:
            path = self.export_fn(choice)
        except Exception as e:  # shown as a sentence in the dialog, never as a traceback
            error = e
        finally:
            self.finished.set()
        self.post_message(self.Finished(path, error))

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        self.busy = False
        if message.error is None and message.path is not None:
            self.dismiss(message.path)
            return
        if isinstance(message.error, NeedsReview) and self.keep_out is not None and self.pending is not None:
            self.review(self.pending, message.error)
            return
        self.stopped(explain(message.error or RuntimeError("no file was written")))

    def stopped(self, error: str) -> None:
        """Back to the choices, saying why nothing was written."""
        for widget in self.query("Input, Button, RadioSet, Checkbox"):
            widget.disabled = False
        self.query_one("#export-status", Static).update(
            "Tab moves between the choices. Enter on the file name exports; Escape cancels."
        )
        self.show_error(error)
        self.query_one("#export-path", Input).focus()

    def review(self, choice: ExportChoice, needs: NeedsReview) -> None:
        """Words that may be names are left after scrubbing: ask before anything is written. Marked
        words go to the keep-out list and the export runs again (scrubbed and reviewed again);
        the others are confirmed as not names."""
        self.busy = True  # the choices stay disabled while the review dialog is open
        self.query_one("#export-status", Static).update("Nothing is written until you have checked the words listed.")

        def decided(result: ReviewResult | None) -> None:
            self.busy = False
            if result is None:
                self.stopped("Nothing was written: the review was cancelled. Export again when you are ready.")
                return
            if result.keep_out and self.keep_out is not None:
                try:
                    self.keep_out(list(result.keep_out))
                except VaultError as e:
                    self.stopped(f"Nothing was written: the keep-out list could not be saved. {explain(e)}")
                    return
            self.start(dataclasses.replace(choice, confirmed=choice.confirmed | set(result.fine)))

        self.app.push_screen(ReviewDialog(needs.items, self.who), decided)

    def prepare_lock(self) -> ResumePoint | None:
        """Locking waits for an export in progress, so the vault is never closed mid-write."""
        self.finished.wait(timeout=60)
        return None


# -- opening the dialog for each kind of export -------------------------------------------------


def _repo(node: Widget) -> Repository | None:
    return context_of(node).repo


def _today(node: Widget) -> str:
    return context_of(node).today().isoformat()


def _remember(node: Widget, path: Path) -> None:
    repo = _repo(node)
    if repo is None:
        return
    try:
        if repo.settings().get("export_folder") != str(path.parent):
            repo.set_setting("export_folder", str(path.parent))
    except VaultError:
        pass


def _finish(node: Widget, what: str, extra: str = "", then: Callable[[Path], None] | None = None):
    def done(path: Path | None) -> None:
        if path is None:
            return
        _remember(node, path)
        node.notify(
            f"{what} written to {display_path(path)}. It is not encrypted: keep it safe and delete it "
            f"when done. The export is noted in the audit trail.{(' ' + extra) if extra else ''}",
            title="Exported",
            timeout=12,
        )
        if then is not None:
            then(path)

    return done


def open_letter_export(node: Widget, client_id: str, letter_id: str, then: Callable[[Path], None] | None = None) -> None:
    """Export one letter (after the merge-field, private-content and wording checks)."""
    repo = _repo(node)
    if repo is None:
        return
    try:
        client = repo.get_client(client_id)
        letter = repo.get_letter(client_id, letter_id)
    except VaultError as e:
        context_of(node).show_error(e, "The letter could not be exported")
        return
    to = "the patient, GP copied" if letter.addressee == "patient" else "the GP, patient copied"
    dialog = ExportDialog(
        heading="Export the letter",
        intro=f"{letter.title}, version {letter.version} ({letter.status}), to {to}. Before it is written, the "
        "record is checked for the NHS number, GP name and practice address, and the wording for "
        "findings you have not changed or kept.",
        stem=f"letter-{client_slug(client)}-v{letter.version}-{_today(node)}",
        folder=default_folder(repo),
        run=lambda c: services.export_letter(repo, client_id, c.fmt, c.path, force=c.force, letter_id=letter_id),
    )
    node.app.push_screen(dialog, _finish(node, "The letter was", then=then))


def open_supervision_export(node: Widget, client_id: str) -> None:
    """Export this client's supervision summary, pseudonymised and checked for identifiers."""
    repo = _repo(node)
    if repo is None:
        return
    try:
        client = repo.get_client(client_id)
        last = services.last_supervision_date(repo, client_id)
    except VaultError as e:
        context_of(node).show_error(e, "The supervision summary could not be exported")
        return
    who = client.pseudonym or "this client (no pseudonym set: a placeholder is used)"
    since = f"Only what happened since the last summary ({last.isoformat()})" if last else ""
    dialog = ExportDialog(
        heading="Export a supervision summary",
        intro=f"For {who}: stages, attendance, flags (open and dismissed, with evidence), your feelings over "
        "time, the formulation by layer, GP liaison, risk, measures and your questions for the supervisor. "
        "Private process notes are not included.",
        stem=f"supervision-{client_slug(client)}-{_today(node)}",
        folder=default_folder(repo),
        reminder=READ_BEFORE_SHARING,
        since_label=since,
        run=lambda c: services.export_supervision(
            repo,
            [client_id],
            c.fmt,
            c.path,
            force=c.force,
            since="last" if c.since_last else None,
            refuse_unreviewed=True,
            confirmed=c.confirmed,
        ),
        keep_out=lambda names: _keep_out(node, client_id, names),
        who=client.pseudonym or "the client",
    )
    node.app.push_screen(
        dialog,
        _finish(node, "The supervision summary was", "Read it before sharing: automatic scrubbing cannot know every identifier."),
    )


def _keep_out(node: Widget, client_id: str, names: list[str]) -> None:
    """Add names to the client's keep-out list (through the services, noted in the audit trail)."""
    repo = _repo(node)
    if repo is None:
        raise VaultError("The vault is locked.", "Unlock it and export again.")
    added = services.keep_out_of_summaries(repo, client_id, names)
    if added:
        node.notify(
            "Added to the keep-out list: " + ", ".join(added) + ". The summary is scrubbed again.", title="Keep out", timeout=8
        )


def open_record_export(node: Widget, client_id: str) -> None:
    """Export everything held for the client (a subject access request), private notes only when ticked."""
    repo = _repo(node)
    if repo is None:
        return
    try:
        client = repo.get_client(client_id)
    except VaultError as e:
        context_of(node).show_error(e, "The record could not be exported")
        return
    dialog = ExportDialog(
        heading="Export the full record",
        intro=f"Everything held for {client.name}: the record, every session with its addenda, the formulation, "
        "measures, GP liaison, letters and the audit trail (for example for a subject access request). "
        "It is not pseudonymised.",
        stem=f"record-{client_slug(client)}-{_today(node)}",
        folder=default_folder(repo),
        private_option=True,
        run=lambda c: services.export_record(repo, client_id, c.fmt, c.path, force=c.force, include_private=c.include_private),
    )
    node.app.push_screen(dialog, _finish(node, "The full record was"))
