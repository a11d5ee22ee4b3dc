"""The session editor: structured fields, the Markdown note, and the private process note.

Unsigned work is autosaved every few seconds as an encrypted draft in the vault, and saved (or kept
as a draft when it is not yet valid) on leaving the screen or locking. Signing fixes the content;
later changes are dated addenda.
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import (
    Checkbox,
    Header,
    Input,
    Label,
    Markdown,
    RadioButton,
    RadioSet,
    Select,
    Static,
    TextArea,
)
from textual.widgets.selection_list import Selection

from ...domain.models import Attendance, Feeling, Session, parse_iso_date
from ...domain.stages import STAGE_PROMPTS, STAGES, stage_by_code
from ...vault import VaultError
from ..dialogs.addendum import AddendumDialog
from ..dialogs.base import ConfirmDialog
from ..labels import ATTENDANCE, BODY_TALK, STAGE_NAMES, STAGE_SHORT
from ..widgets.key_footer import KeyFooter
from ..widgets.pick_lists import PickList, PickRadios, PickSelect
from .base import ResumePoint, VaultScreen

FEELING_LABELS = {f: f"{n} {f.value.capitalize()}" for n, f in enumerate(Feeling, start=1)}
"""Numbered: a digit ticks the feeling with that number."""
TEXT_FIELDS = ("attendance_reason", "feelings_other", "themes", "homework", "plan")


def _stage_label(code: str) -> str:
    return f"{STAGE_SHORT[code]}: {stage_by_code(code).goal}"


def substrategy_options(stage: str, selected: list[str] | tuple[str, ...] = ()) -> list[Selection[str]]:
    """Every sub-strategy, those of ``stage`` first."""
    ordered = sorted(STAGES, key=lambda s: s.code != stage)
    return [Selection(f"{sub.code} {sub.name}", sub.code, sub.code in selected) for s in ordered for sub in s.substrategies]


class SessionEditorScreen(VaultScreen):
    CSS_PATH = "session_editor.tcss"
    AUTO_FOCUS = "#note"
    BINDINGS = [
        Binding("escape", "back", "Back", id="editor.back", tooltip="Save and go back"),
        Binding("ctrl+s", "save", "Save", id="editor.save", tooltip="Save the session (it stays editable)"),
        Binding(
            "ctrl+o",
            "sign",
            "Sign & close",
            id="editor.sign",
            tooltip="Sign the session and go back to the client: it becomes read-only; later changes go in addenda",
        ),
        Binding("ctrl+n", "addendum", "Addendum", id="editor.addendum", tooltip="Add a dated addendum to a signed session"),
        Binding(
            "ctrl+g",
            "prompts",
            "Stage prompts",
            id="editor.prompts",
            tooltip="Insert reflective questions for the chosen stage into the note",
        ),
        Binding("ctrl+r", "preview", "Preview", id="editor.preview", tooltip="Show the note as formatted text, or edit again"),
        Binding(
            "f2",
            "focus_fields",
            "Details",
            id="editor.details",
            tooltip="Go to attendance, stage, sub-strategies, body talk, feelings (tab between them; shift+tab: date)",
        ),
        Binding("f3", "focus_note", "Note", id="editor.note", tooltip="Go to the note"),
        Binding("f4", "focus_private", "Private", id="editor.private", tooltip="Go to the private process note"),
    ]

    def __init__(self, client_id: str, session_key: str, highlight: tuple[str, int, int] | None = None) -> None:
        super().__init__()
        self.client_id = client_id
        self.key = session_key
        self.highlight = highlight
        """(field, start, end) of a search match to select when the editor opens."""
        """A session id, or "new" until the new session is first saved."""
        self.session: Session | None = None
        self.new_id = secrets.token_hex(4)
        """The id a new session is saved under, fixed before the first attempt: pressing save again
        after a failure whose outcome was unclear updates that session instead of adding a copy."""
        self.saved_state: dict[str, Any] = {}
        self.drafted_state: dict[str, Any] | None = None
        self.client_name = ""

    # -- layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.compose_banner()
        yield Static("", id="signed-banner")
        with Horizontal(id="editor"):
            with VerticalScroll(id="fields"):
                yield Static("", id="session-errors", classes="field-error")
                with Horizontal(classes="pair"):
                    with Vertical():
                        yield Label("Date")
                        yield Input(compact=True, id="date", placeholder="YYYY-MM-DD")
                    with Vertical():
                        yield Label("Minutes")
                        yield Input(compact=True, id="duration", type="integer")
                yield Label("Attendance")
                yield PickSelect(
                    [(label, a.value) for a, label in ATTENDANCE.items()], id="attendance", allow_blank=False, compact=True
                )
                yield Input(compact=True, id="attendance_reason", placeholder="Reason (missed, late, cancelled)")
                yield Label("Stage this session")
                with PickRadios(id="stage"):
                    for n, s in enumerate(STAGES, start=1):
                        yield RadioButton(f"{n} {_stage_label(s.code)}", id=f"stage-{s.code}")
                yield Static("", id="stage-reminder")
                yield Label("Sub-strategies used")
                yield PickList(*substrategy_options(""), id="substrategies")
                yield Label("Body talk (how much of the session was about symptoms and tests)")
                yield PickSelect(
                    [(label, str(v)) for v, label in BODY_TALK.items() if v is not None],
                    id="body_talk",
                    prompt="not rated",
                    allow_blank=True,
                    compact=True,
                )
                yield Label("Your feelings in the session")
                yield PickList(*[Selection(label, f.value) for f, label in FEELING_LABELS.items()], id="feelings")
                yield Input(compact=True, id="feelings_other", placeholder="The other feeling, in a word or two")
                yield Label("Themes (separated by commas)")
                yield Input(compact=True, id="themes", placeholder="e.g. loss, being believed")
                yield Label("Homework")
                yield Input(compact=True, id="homework")
                yield Label("Plan for next session")
                yield Input(compact=True, id="plan")
                yield Checkbox("No recollection of last session", id="no_recollection")
                yield Checkbox("Agreed without much engagement (token agreement)", id="token_agreement")
                yield Checkbox("Seemed to wait for me to do the work (passivity)", id="passivity")
                yield Checkbox("A rupture in the alliance (anger, withdrawal)", id="rupture")
                yield Checkbox("A rupture was talked about and repaired", id="repair")
            with Vertical(id="text"):
                yield TextArea(id="note", soft_wrap=True, tab_behavior="focus")
                yield Markdown("", id="preview")
                yield Static("", id="addenda")
                yield TextArea(id="private_note", soft_wrap=True, tab_behavior="focus")
                yield Static("", id="editor-status")
        yield KeyFooter()

    # -- loading ---------------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.query_one("#note", TextArea).border_title = "Note (Markdown)"
        private = self.query_one("#private_note", TextArea)
        private.border_title = "PRIVATE process note: yours only, never exported"
        self.query_one("#preview", Markdown).display = False
        try:
            client = self.repo.get_client(self.client_id)
            sessions = self.repo.list_sessions(self.client_id)
            drafts = {d.get("key"): d for d in self.repo.drafts() if d.get("client") == self.client_id}
        except VaultError as e:
            self.ctx.show_error(e, "The session could not be opened")
            self.dismiss()
            return
        self.client_name = client.name
        if self.key == "new":
            latest = sessions[-1] if sessions else None
            self.session = None
            self.set_state(self.blank_state(latest.stage if latest else "drawing-in"))
        else:
            found = next((s for s in sessions if s.id == self.key), None)
            if found is None:
                self.notify("That session is no longer in the record.", severity="error")
                self.dismiss()
                return
            self.session = found
            self.set_state(self.state_of(found))
        self.saved_state = self.state()
        draft = drafts.get(self.key)
        if draft and not (self.session and self.session.is_signed):
            self.set_state({**self.saved_state, **(draft.get("draft") or {})})
            self.drafted_state = self.state()
            self.notify("Your unsaved typing was restored from the encrypted draft.")
        self.show_header()
        self.apply_signed()
        self.set_interval(self.ctx.autosave_seconds, self.autosave, name="autosave")
        self.call_after_refresh(self.update_status)
        addendum = drafts.get(f"addendum:{self.key}")
        if addendum and self.session and self.session.is_signed:
            self.call_after_refresh(self.action_addendum, (addendum.get("draft") or {}).get("text", ""))
        elif self.highlight and self.highlight[0] in ("note", "private"):
            self.call_after_refresh(self.select_match, *self.highlight)
        else:
            self.action_focus_note()

    def select_match(self, field: str, start: int, end: int) -> None:
        """Select a search match in the note (or private note) and scroll it into view."""
        from textual.widgets.text_area import Selection

        area = self.query_one("#note" if field == "note" else "#private_note", TextArea)
        text = area.text

        def location(offset: int) -> tuple[int, int]:
            before = text[:offset]
            row = before.count("\n")
            return row, offset - (before.rfind("\n") + 1)

        area.focus()
        area.selection = Selection(location(start), location(min(end, len(text))))
        area.scroll_cursor_visible(center=True)

    def blank_state(self, stage: str) -> dict[str, Any]:
        return {
            "date": self.ctx.today().isoformat(),
            "duration": "50",
            "attendance": Attendance.ATTENDED.value,
            "attendance_reason": "",
            "stage": stage,
            "substrategies": [],
            "body_talk": "",
            "feelings": [],
            "feelings_other": "",
            "themes": "",
            "homework": "",
            "plan": "",
            "note": "",
            "private_note": "",
            "no_recollection": False,
            "token_agreement": False,
            "passivity": False,
            "rupture": False,
            "repair": False,
        }

    @staticmethod
    def state_of(s: Session) -> dict[str, Any]:
        return {
            "date": s.date.isoformat(),
            "duration": str(s.duration_minutes),
            "attendance": s.attendance.value,
            "attendance_reason": s.attendance_reason,
            "stage": s.stage,
            "substrategies": sorted(s.substrategies),
            "body_talk": "" if s.body_talk is None else str(s.body_talk),
            "feelings": [f.value for f in s.feelings],
            "feelings_other": s.feelings_other,
            "themes": ", ".join(s.themes),
            "homework": s.homework,
            "plan": s.plan,
            "note": s.note,
            "private_note": s.private_note,
            "no_recollection": s.no_recollection,
            "token_agreement": s.token_agreement,
            "passivity": s.passivity,
            "rupture": s.rupture,
            "repair": s.repair,
        }

    def set_state(self, st: dict[str, Any]) -> None:
        self.query_one("#date", Input).value = str(st.get("date", ""))
        self.query_one("#duration", Input).value = str(st.get("duration", ""))
        attendance = st.get("attendance") or Attendance.ATTENDED.value
        self.query_one("#attendance", Select).value = attendance
        for name in TEXT_FIELDS:
            self.query_one(f"#{name}", Input).value = str(st.get(name, ""))
        stage = st.get("stage", "")
        for s in STAGES:
            self.query_one(f"#stage-{s.code}", RadioButton).value = s.code == stage
        self.order_substrategies(stage, list(st.get("substrategies", [])))
        bt = self.query_one("#body_talk", Select)
        bt.value = st.get("body_talk") or Select.NULL
        feelings = self.query_one("#feelings", PickList)
        feelings.deselect_all()
        for f in st.get("feelings", []):
            feelings.select(f)
        self.query_one("#note", TextArea).load_text(str(st.get("note", "")))
        self.query_one("#private_note", TextArea).load_text(str(st.get("private_note", "")))
        for tick in ("no_recollection", "token_agreement", "passivity", "rupture", "repair"):
            self.query_one(f"#{tick}", Checkbox).value = bool(st.get(tick, False))
        self.show_stage_reminder(stage)

    def state(self) -> dict[str, Any]:
        bt = self.query_one("#body_talk", Select).value
        att = self.query_one("#attendance", Select).value
        stage = next((s.code for s in STAGES if self.query_one(f"#stage-{s.code}", RadioButton).value), "")
        st: dict[str, Any] = {
            "date": self.query_one("#date", Input).value,
            "duration": self.query_one("#duration", Input).value,
            "attendance": att if isinstance(att, str) else "",
            "stage": stage,
            "substrategies": sorted(self.query_one("#substrategies", PickList).selected),
            "body_talk": bt if isinstance(bt, str) else "",
            "feelings": [f.value for f in Feeling if f.value in self.query_one("#feelings", PickList).selected],
            "note": self.query_one("#note", TextArea).text,
            "private_note": self.query_one("#private_note", TextArea).text,
            "no_recollection": self.query_one("#no_recollection", Checkbox).value,
            "token_agreement": self.query_one("#token_agreement", Checkbox).value,
            "passivity": self.query_one("#passivity", Checkbox).value,
            "rupture": self.query_one("#rupture", Checkbox).value,
            "repair": self.query_one("#repair", Checkbox).value,
        }
        for name in TEXT_FIELDS:
            st[name] = self.query_one(f"#{name}", Input).value
        return st

    # -- display ---------------------------------------------------------------------------------

    def show_header(self) -> None:
        self.title = self.client_name
        if self.session is None:
            self.sub_title = "New session"
        else:
            self.sub_title = f"Session {self.session.number} ({self.session.date.isoformat()})"

    def apply_signed(self) -> None:
        signed = bool(self.session and self.session.is_signed)
        self.set_class(signed, "-signed")
        banner = self.query_one("#signed-banner", Static)
        if signed and self.session and self.session.signed_at:
            when = self.session.signed_at.astimezone().strftime("%Y-%m-%d %H:%M")
            banner.update(f"Signed on {when}. The note can no longer change; press ctrl+n to add a dated addendum.")
        banner.display = signed
        for w in self.query("#fields Input, #fields Select, #fields RadioSet, #fields PickList, #fields Checkbox"):
            w.disabled = signed
        for ta in self.query(TextArea):
            ta.read_only = signed
        addenda = self.query_one("#addenda", Static)
        if self.session and self.session.addenda:
            lines = ["Addenda"]
            for a in self.session.addenda:
                lines.append(f"{a.created.astimezone().strftime('%Y-%m-%d %H:%M')}  {a.text.strip()}")
            addenda.update("\n".join(lines))
            addenda.display = True
        else:
            addenda.display = False
        self.refresh_bindings()

    def show_stage_reminder(self, code: str) -> None:
        box = self.query_one("#stage-reminder", Static)
        if not code:
            box.update("Choose the stage the work was in this session. Going back a stage is ordinary.")
            return
        s = stage_by_code(code)
        box.update(f"Goal: {s.goal}. {s.reminder}")

    def update_status(self, saved: str = "") -> None:
        if not self.is_mounted:
            return
        words = len(self.query_one("#note", TextArea).text.split())
        parts = [f"{words} words"]
        if self.session and self.session.is_signed:
            parts.append("signed")
        elif self.state() == self.saved_state:
            parts.append("saved")
        elif self.drafted_state is not None:
            parts.append("unsaved changes, draft kept encrypted")
        else:
            parts.append("unsaved changes")
        if saved:
            parts.append(saved)
        parts.append("ctrl+z undo, ctrl+y redo")
        self.query_one("#editor-status", Static).update(" · ".join(parts))

    @on(RadioSet.Changed, "#stage")
    def _stage_changed(self, event: RadioSet.Changed) -> None:
        code = (event.pressed.id or "").removeprefix("stage-")
        self.show_stage_reminder(code)
        subs = self.query_one("#substrategies", PickList)
        self.order_substrategies(code, list(subs.selected))

    def order_substrategies(self, stage: str, selected: list[str]) -> None:
        """The chosen stage's sub-strategies first (a digit N ticks the N-th: 7.N in nudging
        forward), then the others; what was ticked stays ticked."""
        subs = self.query_one("#substrategies", PickList)
        subs.clear_options()
        subs.add_options(substrategy_options(stage, selected))
        subs.highlighted = 0

    @on(Select.Changed, "#attendance")
    def _attendance_changed(self, event: Select.Changed) -> None:
        """The reason box only matters when the session did not simply happen."""
        box = self.query_one("#attendance_reason", Input)
        box.display = event.value != Attendance.ATTENDED.value or bool(box.value)

    @on(TextArea.Changed, "#note")
    def _note_changed(self) -> None:
        self.update_status()

    # -- drafts and saving -------------------------------------------------------------------------

    @property
    def signed(self) -> bool:
        return bool(self.session and self.session.is_signed)

    def dirty(self) -> bool:
        return not self.signed and self.state() != self.saved_state

    def autosave(self) -> None:
        if not self.unlocked or self.signed:
            return
        st = self.state()
        if st == self.saved_state and self.drafted_state is not None:
            # typed, then emptied again: the draft would be an empty "Unsaved draft" row; drop it
            try:
                self.repo.discard_draft(self.client_id, self.key)
            except VaultError as e:
                self.ctx.show_error(e, "Autosave failed")
                return
            self.drafted_state = None
            self.update_status()
            return
        if st == self.saved_state or st == self.drafted_state:
            return
        try:
            self.repo.save_draft(self.client_id, self.key, st)
        except VaultError as e:
            self.ctx.show_error(e, "Autosave failed")
            return
        self.drafted_state = st
        self.update_status(f"draft autosaved {self.ctx.clock().astimezone().strftime('%H:%M:%S')}")

    def prepare_lock(self) -> ResumePoint | None:
        if self.dirty() and self.state() != self.drafted_state:
            self.repo.save_draft(self.client_id, self.key, self.state())
        return ResumePoint(self.client_id, self.key)

    def build(self) -> tuple[Session | None, list[str]]:
        st = self.state()
        problems: list[str] = []
        try:
            date = parse_iso_date(st["date"], "The session date")
        except ValueError as e:
            problems.append(str(e))
            date = None
        try:
            duration = int(st["duration"] or 50)
        except ValueError:
            problems.append("Minutes must be a whole number.")
            duration = 50
        if not st["stage"]:
            problems.append("Choose the stage this session was in.")
        if problems or date is None:
            return None, problems
        fields = dict(
            date=date,
            duration_minutes=duration,
            attendance=Attendance(st["attendance"] or "attended"),
            attendance_reason=st["attendance_reason"].strip(),
            stage=st["stage"],
            substrategies=list(st["substrategies"]),
            body_talk=int(st["body_talk"]) if st["body_talk"] else None,
            feelings=[Feeling(f) for f in st["feelings"]],
            feelings_other=st["feelings_other"].strip(),
            themes=[t.strip() for t in st["themes"].split(",") if t.strip()],
            homework=st["homework"].strip(),
            plan=st["plan"].strip(),
            note=st["note"],
            private_note=st["private_note"],
            no_recollection=bool(st["no_recollection"]),
            token_agreement=bool(st.get("token_agreement", False)),
            passivity=bool(st.get("passivity", False)),
            rupture=bool(st.get("rupture", False)),
            repair=bool(st.get("repair", False)),
        )
        session = replace(self.session, **fields) if self.session else Session(id=self.new_id, **fields)
        errors = session.validate()
        if errors:
            return None, [e.message for e in errors]
        return session, []

    def save(self) -> bool:
        """Write the session to the record. False (with the problems shown) when it cannot be."""
        errors_box = self.query_one("#session-errors", Static)
        session, problems = self.build()
        if session is None:
            errors_box.update(" ".join(problems))
            errors_box.add_class("-show")
            self.query_one("#fields", VerticalScroll).scroll_home(animate=False)
            self.notify("Not saved yet: " + " ".join(problems), severity="warning")
            return False
        try:
            if self.session is None:
                sid = self.repo.add_session(self.client_id, session)
                self.repo.discard_draft(self.client_id, "new")
                self.key = sid
            else:
                self.repo.update_session(self.client_id, session)
                self.repo.discard_draft(self.client_id, self.key)
            self.session = self.repo.get_session(self.client_id, self.key)
        except VaultError as e:
            self.ctx.show_error(e, "The session was not saved")
            return False
        errors_box.update("")
        errors_box.remove_class("-show")
        self.saved_state = self.state()
        self.drafted_state = None
        self.show_header()
        self.update_status()
        return True

    def action_save(self) -> None:
        if not self.signed and self.save():
            self.notify("Session saved.")

    def action_back(self) -> None:
        if not self.dirty() and self.drafted_state is not None and not self.signed:
            try:  # back to how it was saved (or empty): no draft row is left behind
                self.repo.discard_draft(self.client_id, self.key)
            except VaultError as e:
                self.ctx.show_error(e, "The draft could not be removed")
        if self.dirty() and not self.save():
            try:
                self.repo.save_draft(self.client_id, self.key, self.state())
            except VaultError as e:
                self.ctx.show_error(e, "Your typing could not be kept")
                return
            self.notify("Kept as a draft (encrypted); it comes back when you reopen this session.", severity="warning")
        self.dismiss()

    # -- sign and addenda ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("sign", "prompts", "save"):
            return not self.signed
        if action == "addendum":
            return self.signed
        return True

    def action_sign(self) -> None:
        if self.signed:
            return
        if (self.session is None or self.dirty()) and not self.save():
            return

        def sign(yes: bool | None) -> None:
            if not yes or not self.unlocked or self.session is None:
                return
            try:
                self.repo.sign_session(self.client_id, self.key)
                self.session = self.repo.get_session(self.client_id, self.key)
            except VaultError as e:
                self.ctx.show_error(e, "The session was not signed")
                return
            self.saved_state = self.state()
            self.apply_signed()
            self.notify("Session signed.")
            self.dismiss()

        self.app.push_screen(
            ConfirmDialog(
                "Sign this session?",
                "Once signed, the note and its fields can no longer change. Anything you want to add later goes "
                "in a dated addendum below it. Enter signs and goes back to the client.",
                "Sign and close",
            ),
            sign,
        )

    def action_addendum(self, text: str = "") -> None:
        if not self.signed or self.session is None:
            return
        label = f"session {self.session.number} ({self.session.date.isoformat()})"

        def added(result: str | None) -> None:
            if result is None or not self.unlocked:
                if self.unlocked:
                    self.repo.discard_draft(self.client_id, f"addendum:{self.key}")
                return
            try:
                self.repo.add_addendum(self.client_id, self.key, result)
                self.repo.discard_draft(self.client_id, f"addendum:{self.key}")
                self.session = self.repo.get_session(self.client_id, self.key)
            except VaultError as e:
                self.ctx.show_error(e, "The addendum was not added")
                return
            self.apply_signed()
            self.notify("Addendum added.")

        self.app.push_screen(AddendumDialog(label, text, self.client_id, self.key), added)

    # -- writing aids ----------------------------------------------------------------------------

    def action_prompts(self) -> None:
        stage = self.state()["stage"]
        if not stage:
            self.notify("Choose the stage first: the questions depend on it.", severity="warning")
            return
        note = self.query_one("#note", TextArea)
        if not note.display:
            self.action_preview()
        heading = f"### Reflecting on {STAGE_NAMES[stage].lower()}"
        if heading in note.text:
            # a second ctrl+g (or a key repeat) never inserts the questions twice
            row = note.text[: note.text.index(heading)].count("\n")
            note.move_cursor((row, 0))
            note.focus()
            self.notify("The questions for this stage are already in the note.")
            return
        questions = "\n".join(f"- {q}\n  " for q in STAGE_PROMPTS[stage])
        text = f"\n{heading}\n\n{questions}\n"
        note.insert(text)
        note.focus()

    def action_preview(self) -> None:
        note = self.query_one("#note", TextArea)
        preview = self.query_one("#preview", Markdown)
        showing = not preview.display
        if showing:
            preview.update(note.text or "*The note is empty.*")
        preview.display = showing
        note.display = not showing
        if showing:
            preview.focus()
        else:
            note.focus()

    def action_focus_fields(self) -> None:
        """To the attendance: the date and minutes above it are usually right already (shift+tab)."""
        self.query_one("#attendance", Select).focus()

    def action_focus_note(self) -> None:
        """Focus the note with the cursor at its end, ready to carry on writing."""
        note = self.query_one("#note", TextArea)
        if not note.display:
            self.action_preview()
        if note.cursor_location == (0, 0):
            note.move_cursor(note.document.end)
        note.focus()

    def action_focus_private(self) -> None:
        self.query_one("#private_note", TextArea).focus()
