"""The Stages tab: where the work sits in the three stages of engagement, and drawing in.

* A timeline of sessions coloured by stage (a strip for the shape at a glance, a table for the
  details): attendance marks, sub-strategies, the body-talk rating, and plain words when the work
  moves ("back to meeting") or the alliance does (a rupture, a repair: the Change column, and the
  line under the table says when each rupture was repaired). Moving back is ordinary and is never
  coloured as a problem.
* Each stage's goal and its "what good looks like" checklist, ticked per client (space).
* Drawing in: the GP and practice, how the referral was positioned and received, the referrer's
  and the patient's goals side by side, the patient's term for the symptoms, access needs, other
  professionals, concurrent appointments (``e`` edits them) and the GP liaison log (``g`` adds).

Attendance is shown but never turned into a score (it is not engagement: Balabanovic 2017, appendix 11).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.color import Color, ColorParseError
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.coordinate import Coordinate
from textual.widgets import DataTable, SelectionList, Static
from textual.widgets.selection_list import Selection

from ...analysis.flags import RuptureRepair, ruptures_and_repairs
from ...analysis.timeline import TimelineEntry, timeline
from ...domain.liaison import CONTACT_KINDS, GPContact
from ...domain.models import Client
from ...domain.stages import STAGES, WHAT_GOOD_LOOKS_LIKE, stage_by_code, substrategy_words
from ...vault import VaultError
from ..dialogs.gp_contact import ACCESS_LABELS, DrawingInAnswer, DrawingInDialog, GPContactDialog
from ..labels import BODY_TALK, STAGE_SHORT, day
from ..messages import ClientRecordChanged, OpenSession
from .base import ClientTab

# Theme variables for the stage colours, and what to use when a theme does not define them.
STAGE_FALLBACK = {"drawing-in": "primary", "meeting": "secondary", "nudging-forward": "accent"}

ATTENDANCE_SHORT = {
    "attended": "",
    "late": "late",
    "dna": "DNA",
    "cancelled-by-patient": "client cancelled",
    "cancelled-by-therapist": "I cancelled",
}
ATTENDANCE_LONG = {
    "attended": "attended",
    "late": "arrived late",
    "dna": "did not attend",
    "cancelled-by-patient": "cancelled by the client",
    "cancelled-by-therapist": "cancelled by me",
}
STRIP_MARK = {"late": "L", "dna": "D", "cancelled-by-patient": "C", "cancelled-by-therapist": "C"}
STRIP_PER_LINE = 28
LABEL_WIDTH = 27

# Fields of the client record that the Record tab's form also edits; after saving them here the
# form is told, so a later save of the form does not put the old values back.
_RECORD_FORM_FIELDS = ("gp_name", "practice", "referral_positioning", "referral_reaction")


def theme_colour(app: App[Any], names: tuple[str, ...]) -> Color:
    """The first of these theme variables that parses as a colour (a muted grey if none does)."""
    variables = app.theme_variables or {}
    for name in names:
        value = variables.get(name)
        if not value:
            continue
        try:
            return Color.parse(value)
        except ColorParseError:
            continue
    return Color(128, 128, 128)


def stage_colour(app, code: str) -> Color:
    return theme_colour(app, (f"stage-{code}", STAGE_FALLBACK.get(code, "primary")))


def stage_style(app, code: str) -> str:
    """A Rich style: the stage colour as background, readable text on it."""
    bg = stage_colour(app, code)
    return f"{bg.get_contrast_text(1.0).hex} on {bg.hex}"


def movement_words(entry: TimelineEntry, short: bool = False) -> str:
    """Plain words for a change of stage: 'back to meeting', 'on to nudging forward' ('moved on'
    when ``short``; the stage column already names it), or ''."""
    if entry.movement == "back":
        return f"back to {STAGE_SHORT[entry.stage].lower()}"
    if entry.movement == "forward":
        return "moved on" if short else f"on to {STAGE_SHORT[entry.stage].lower()}"
    return ""


def body_talk_gauge(rating: int | None) -> str:
    """'2 ▮▮▯' for a rating of 2 (of 3); '-' when not rated."""
    if rating is None:
        return "-"
    return f"{rating} " + "▮" * rating + "▯" * (3 - rating)


def _codes(entry: TimelineEntry, limit: int = 2) -> str:
    codes = list(entry.substrategies)
    if not codes:
        return "-"
    shown = " ".join(codes[:limit])
    return shown + (f" +{len(codes) - limit}" if len(codes) > limit else "")


def checklist_key(stage: str, index: int) -> str:
    return f"{stage}:{index}"


class Section(Vertical, can_focus=True):
    """A block of read-only text that Tab can reach (so it scrolls into view); Enter runs an action."""

    DEFAULT_CSS = """
    Section { height: auto; padding: 0 1; border-left: blank; }
    Section:focus { border-left: thick $accent; background-tint: $foreground 4%; }
    """
    BINDINGS = [Binding("enter", "activate", "Edit", show=False)]

    def __init__(self, *children, enter_action: str, **kwargs) -> None:
        super().__init__(*children, **kwargs)
        self.enter_action = enter_action

    async def action_activate(self) -> None:
        tab = self.query_ancestor(ClientTab)
        await tab.run_action(self.enter_action)


class StagesTab(ClientTab):
    """The stage timeline, the per-stage goals and checklists, and the Drawing in section."""

    DEFAULT_CSS = """
    StagesTab #stages-scroll { height: 1fr; padding: 0 1; scrollbar-size-vertical: 1; }
    StagesTab #stages-now { height: auto; margin-top: 1; }
    StagesTab #stages-strip { height: auto; margin-top: 1; }
    StagesTab #stages-timeline { height: auto; max-height: 16; margin-top: 1; }
    StagesTab #stages-detail { height: auto; color: $text-muted; min-height: 2; }
    StagesTab .stage-heading { height: auto; margin-top: 1; }
    StagesTab .stage-reminder { height: auto; color: $text-muted; }
    StagesTab .stage-checklist {
        height: auto; max-height: 14; border: none; padding: 0; text-wrap: wrap; text-overflow: fold;
    }
    StagesTab .stage-checklist:focus { background-tint: $foreground 4%; }
    StagesTab .section-title { margin-top: 2; }
    StagesTab #di-summary, StagesTab #di-more { height: auto; }
    StagesTab #di-goals { height: auto; margin-top: 1; }
    StagesTab .goal-box {
        width: 1fr; height: auto; min-height: 3; padding: 0 1;
        border: round $panel-lighten-2; border-title-color: $text-muted;
    }
    StagesTab #di-goal-referrer { margin-right: 1; }
    StagesTab #di-goal-note { height: auto; color: $accent; padding: 0 1; }
    StagesTab #di-goal-note.-empty { display: none; }
    StagesTab #gp-log { height: auto; }
    StagesTab #gp-section { margin-bottom: 1; }
    StagesTab .tab-hint { height: auto; color: $text-muted; }
    """

    BINDINGS = [
        Binding(
            "g",
            "add_contact",
            "Log GP contact",
            id="stages.gp_contact",
            tooltip="Log a contact with the GP or practice: date, kind, what was discussed and agreed",
        ),
        Binding(
            "e",
            "edit_drawing_in",
            "Edit referral details",
            id="stages.edit_drawing_in",
            tooltip="Edit the Drawing in details: GP, referral, goals, preferred term, access needs",
        ),
    ]

    def __init__(self, client_id: str, **kwargs) -> None:
        super().__init__(client_id, **kwargs)
        self.client: Client | None = None
        self.entries: list[TimelineEntry] = []
        self.ruptures: list[RuptureRepair] = []
        self.contacts: list[GPContact] = []

    # -- layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="stages-scroll"):
            yield Static("", id="stages-now")
            yield Static("", id="stages-strip")
            yield DataTable(id="stages-timeline", cursor_type="row", zebra_stripes=True)
            yield Static("", id="stages-detail")

            yield Static("The three stages: goals and what good looks like", classes="section-title")
            yield Static(
                "Tick what has happened with this client (space ticks or unticks). These are prompts "
                "for reflection, not a score.",
                classes="tab-hint",
            )
            for stage in STAGES:
                yield Static("", id=f"heading-{stage.code}", classes="stage-heading")
                yield Static(stage.reminder, classes="stage-reminder")
                yield SelectionList[str](
                    *[Selection(text, checklist_key(stage.code, i)) for i, text in enumerate(WHAT_GOOD_LOOKS_LIKE[stage.code])],
                    id=f"check-{stage.code}",
                    classes="stage-checklist",
                )

            yield Static("Drawing in: the referral and the system around the patient", classes="section-title")
            with Section(id="drawing-in", enter_action="edit_drawing_in"):
                yield Static("", id="di-summary")
                with Horizontal(id="di-goals"):
                    yield Static("", id="di-goal-referrer", classes="goal-box")
                    yield Static("", id="di-goal-patient", classes="goal-box")
                yield Static("", id="di-goal-note")
                yield Static("", id="di-more")
                yield Static("Press e (or Enter here) to edit these details.", classes="tab-hint")

            yield Static("GP liaison log", classes="section-title")
            with Section(id="gp-section", enter_action="add_contact"):
                yield Static("", id="gp-log")
                yield Static("Press g (or Enter here) to log a contact with the GP or practice.", classes="tab-hint")

    def on_mount(self) -> None:
        table = self.query_one("#stages-timeline", DataTable)
        for title in ("#", "Date", "Stage", "Change", "Attendance", "Body talk", "Strategies"):
            table.add_column(title, key=title)
        self.query_one("#di-goal-referrer", Static).border_title = "Referrer's goal"
        self.query_one("#di-goal-patient", Static).border_title = "Patient's goal"
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.reload())
        self.call_after_refresh(self.reload)

    # -- loading ---------------------------------------------------------------------------------

    def reload(self) -> None:
        if not self.is_mounted or not self.unlocked:
            return
        try:
            client = self.repo.get_client(self.client_id)
            sessions = self.repo.list_sessions(self.client_id)
            contacts = self.repo.list_gp_contacts(self.client_id)
        except VaultError as e:
            self._error(e, "The stages could not be read")
            return
        self.client, self.contacts = client, contacts
        self.entries = timeline(sessions)
        self.ruptures = ruptures_and_repairs(sessions)
        self.show_now()
        self.show_strip()
        self.show_table()
        self.show_checklists()
        self.show_drawing_in()
        self.show_contacts()

    def _error(self, error: Exception, title: str) -> None:
        self.ctx.show_error(error, title)

    # -- timeline --------------------------------------------------------------------------------

    def show_now(self) -> None:
        box = self.query_one("#stages-now", Static)
        if not self.entries:
            first = stage_by_code("drawing-in")
            box.update(
                Text.assemble(
                    ("No sessions yet. ", "bold"),
                    f"The work begins with {first.name.lower()} (goal: {first.goal}). "
                    "Sessions appear here once they are written on the Sessions tab (ctrl+n).",
                )
            )
            return
        last = self.entries[-1]
        stage = stage_by_code(last.stage)
        text = Text.assemble(
            ("Now: ", "bold"),
            (f" {stage.name} ", stage_style(self.app, stage.code)),
            f"  goal: {stage.goal} · latest session {last.number}, {day(last.date)}",
        )
        if any(e.movement == "back" for e in self.entries):
            text.append("\nMoving back a stage is ordinary: meeting and nudging forward recur throughout therapy.", style="dim")
        box.update(text)

    def show_strip(self) -> None:
        box = self.query_one("#stages-strip", Static)
        if not self.entries:
            box.update("")
            box.display = False
            return
        box.display = True
        text = Text()
        for start in range(0, len(self.entries), STRIP_PER_LINE):
            chunk = self.entries[start : start + STRIP_PER_LINE]
            if start:
                text.append("\n")
            for e in chunk:
                text.append(f"{e.number:>3}", style=stage_style(self.app, e.stage))
            text.append("\n")
            for e in chunk:
                mark = STRIP_MARK.get(e.attendance, " ") + ("↩" if e.movement == "back" else " ")
                text.append(f"{mark:>3}", style="bold" if mark.strip() else "")
        text.append("\n")
        for stage in STAGES:
            text.append("██", style=stage_colour(self.app, stage.code).hex)
            text.append(f" {STAGE_SHORT[stage.code]}   ")
        text.append("\nD did not attend · C cancelled · L late · ↩ back a stage · body talk 0 none to 3 almost all", style="dim")
        box.update(text)

    def show_table(self) -> None:
        table = self.query_one("#stages-timeline", DataTable)
        keep = None
        if table.row_count and table.cursor_row is not None:
            try:
                keep = table.coordinate_to_cell_key(Coordinate(table.cursor_row, 0)).row_key.value
            except Exception:  # noqa: BLE001 - the old cursor may point past the new rows
                keep = None
        table.clear()
        for e in self.entries:
            stage = Text(f" {STAGE_SHORT[e.stage]} ", style=stage_style(self.app, e.stage))
            table.add_row(
                str(e.number),
                day(e.date),
                stage,
                " · ".join(w for w in (movement_words(e, short=True), e.alliance_mark) if w),
                ATTENDANCE_SHORT.get(e.attendance, e.attendance),
                body_talk_gauge(e.body_talk),
                _codes(e),
                key=e.session_id,
            )
        table.display = bool(self.entries)
        if not self.entries:
            self.query_one("#stages-detail", Static).update("")
            return
        row = len(self.entries) - 1
        if keep is not None:
            row = next((i for i, e in enumerate(self.entries) if e.session_id == keep), row)
        table.move_cursor(row=row)
        self.show_detail(self.entries[row])

    def show_detail(self, e: TimelineEntry) -> None:
        parts = [f"Session {e.number}, {day(e.date)}: {stage_by_code(e.stage).name}"]
        words = movement_words(e)
        if words:
            parts[0] += f" ({words})"
        attendance = ATTENDANCE_LONG.get(e.attendance, e.attendance)
        if e.attendance_reason:
            attendance += f" ({e.attendance_reason})"
        parts.append(attendance)
        if e.body_talk is not None:
            parts.append(f"body talk {BODY_TALK[e.body_talk]}")
        line = "; ".join(parts) + "."
        alliance = [
            r.describe()
            for r in self.ruptures
            if e.session_id in (r.rupture_session, r.repair_session) and (e.rupture or e.repair)
        ]
        if alliance:
            line += "\nAlliance: " + "; ".join(alliance) + "."
        if e.substrategies:
            line += "\nSub-strategies: " + "; ".join(substrategy_words(e.substrategies)) + "."
        line += "  Enter opens the note."
        self.query_one("#stages-detail", Static).update(line)

    @on(DataTable.RowHighlighted, "#stages-timeline")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        key = event.row_key.value
        entry = next((e for e in self.entries if e.session_id == key), None)
        if entry is not None:
            self.show_detail(entry)

    @on(DataTable.RowSelected, "#stages-timeline")
    def _open_session(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key:
            event.stop()
            self.post_message(OpenSession(self.client_id, key, then=lambda _: self.reload()))

    # -- checklists ------------------------------------------------------------------------------

    def show_checklists(self) -> None:
        ticked = set(self.client.stage_checklist if self.client else [])
        current = self.entries[-1].stage if self.entries else ""
        for stage in STAGES:
            heading = Text.assemble(
                ("██ ", stage_colour(self.app, stage.code).hex),
                (stage.name, "bold"),
                f"  goal: {stage.goal}",
            )
            count = len(WHAT_GOOD_LOOKS_LIKE[stage.code])
            done = sum(1 for i in range(count) if checklist_key(stage.code, i) in ticked)
            heading.append(f"  · {done} of {count} ticked", style="dim")
            if stage.code == current:
                heading.append("  · where the work is now", style="italic")
            self.query_one(f"#heading-{stage.code}", Static).update(heading)
            box = self.query_one(f"#check-{stage.code}", SelectionList)
            for i in range(len(WHAT_GOOD_LOOKS_LIKE[stage.code])):
                key = checklist_key(stage.code, i)
                if key in ticked:
                    box.select(key)
                else:
                    box.deselect(key)

    @on(SelectionList.SelectionToggled, ".stage-checklist")
    def _ticked(self, event: SelectionList.SelectionToggled) -> None:
        """Save the ticks of every stage (only a key press toggles, never a reload)."""
        event.stop()
        ticked: set[str] = set()
        for stage in STAGES:
            ticked.update(self.query_one(f"#check-{stage.code}", SelectionList).selected)
        try:
            client = self.repo.get_client(self.client_id)
            known = {checklist_key(s.code, i) for s in STAGES for i in range(len(WHAT_GOOD_LOOKS_LIKE[s.code]))}
            keep = [k for k in client.stage_checklist if k not in known]  # keys from a newer version survive
            ordered = [
                checklist_key(s.code, i)
                for s in STAGES
                for i in range(len(WHAT_GOOD_LOOKS_LIKE[s.code]))
                if checklist_key(s.code, i) in ticked
            ]
            client.stage_checklist = ordered + keep
            self.repo.update_client(client)
        except VaultError as e:
            self._error(e, "The tick was not saved")
            self.show_checklists()
            return
        self.client = client
        self.show_checklists()
        value = event.selection.value
        self.notify("Ticked." if value in ticked else "Unticked.", timeout=2)

    # -- drawing in ------------------------------------------------------------------------------

    def show_drawing_in(self) -> None:
        c = self.client
        if c is None:
            return
        gp = ", ".join(p for p in (c.gp_name, c.practice) if p) or "not recorded yet"
        summary = Table.grid(padding=(0, 2))
        summary.add_column(style="dim", width=LABEL_WIDTH, no_wrap=True)
        summary.add_column(ratio=1)
        summary.add_row("GP and practice", gp)
        summary.add_row("How the GP put the referral", c.referral_positioning or "not recorded yet")
        summary.add_row("How the client took it", c.referral_reaction or "not recorded yet")
        self.query_one("#di-summary", Static).update(summary)

        self.query_one("#di-goal-referrer", Static).update(c.referrer_goal or Text("not recorded yet", style="dim"))
        self.query_one("#di-goal-patient", Static).update(c.patient_goal or Text("not recorded yet", style="dim"))
        note = self.query_one("#di-goal-note", Static)
        differ = bool(c.referrer_goal.strip() and c.patient_goal.strip()) and (
            " ".join(c.referrer_goal.lower().split()) != " ".join(c.patient_goal.lower().split())
        )
        note.update(
            "The two goals differ. That is common; it may help to talk through what each hopes for, "
            "with the patient and with the GP."
            if differ
            else ""
        )
        note.set_class(not differ, "-empty")

        needs = ", ".join(ACCESS_LABELS.get(n, n) for n in c.access_needs)
        if c.access_notes:
            needs = f"{needs}. {c.access_notes}" if needs else c.access_notes
        more = Table.grid(padding=(0, 2))
        more.add_column(style="dim", width=LABEL_WIDTH, no_wrap=True)
        more.add_column(ratio=1)
        more.add_row("Their word for the symptoms", f"“{c.preferred_term}”" if c.preferred_term else "not recorded yet")
        more.add_row("Access needs", needs or "none recorded")
        more.add_row("Other professionals", c.other_professionals or "none recorded")
        more.add_row("Concurrent appointments", c.concurrent_appointments or "none recorded")
        self.query_one("#di-more", Static).update(more)

    def show_contacts(self) -> None:
        box = self.query_one("#gp-log", Static)
        if not self.contacts:
            box.update(Text("No contacts logged yet.", style="dim"))
            return
        text = Text()
        for i, c in enumerate(reversed(self.contacts)):  # newest first
            if i:
                text.append("\n")
            text.append(f"{day(c.date)}  ", style="bold")
            text.append(CONTACT_KINDS.get(c.kind, c.kind), style="bold")
            if c.with_whom:
                text.append(f" with {c.with_whom}")
            if c.discussed:
                text.append("\n  Discussed: ", style="dim")
                text.append(c.discussed)
            if c.agreed:
                text.append("\n  Agreed: ", style="dim")
                text.append(c.agreed)
        box.update(text)

    def action_add_contact(self) -> None:
        gp = self.client.gp_name if self.client else ""

        def save(contact: GPContact | None) -> None:
            if contact is None or not self.unlocked or not self.is_mounted:
                return
            try:
                self.repo.add_gp_contact(self.client_id, contact)
            except VaultError as e:
                self._error(e, "The contact was not saved")
                return
            self.notify(f"{CONTACT_KINDS.get(contact.kind, contact.kind)} on {day(contact.date)} logged.")
            self.reload()

        self.app.push_screen(GPContactDialog(self._today(), gp), save)

    def action_edit_drawing_in(self) -> None:
        try:
            client = self.repo.get_client(self.client_id)
        except VaultError as e:
            self._error(e, "The record could not be read")
            return

        def save(answer: DrawingInAnswer | None) -> None:
            if answer is None or not self.unlocked or not self.is_mounted:
                return
            if not answer.changes:
                self.notify("Nothing was changed.", timeout=3)
                return
            try:
                fresh = self.repo.get_client(self.client_id)
                updated = dataclasses.replace(fresh, **answer.changes)
                self.repo.update_client(updated)
            except VaultError as e:
                self._error(e, "The details were not saved")
                return
            self._sync_record_form(updated, answer.changes)
            self.notify("Drawing in details saved.")
            self.reload()

        self.app.push_screen(DrawingInDialog(client), save)

    def _sync_record_form(self, client: Client, changes: dict[str, object]) -> None:
        """Tell the Record tab's form about fields it also shows, so it never saves old values back."""
        names = tuple(n for n in _RECORD_FORM_FIELDS if n in changes)
        if names:
            self.post_message(ClientRecordChanged(client, names))

    def _today(self) -> dt.date:
        return self.ctx.today()
