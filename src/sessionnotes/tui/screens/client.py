"""One client: the record (every field, validated), the sessions, and tabs later issues fill."""

from __future__ import annotations

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.widget import Widget
from textual.widgets import DataTable, Header, Input, Static, TabbedContent, TabPane, Tabs

from ...domain.models import Client, ClientStatus
from ...vault import VaultError
from ..dialogs.base import ConfirmDialog, LeaveDialog
from ..dialogs.client import Discharge, DischargeDialog, EraseDialog
from ..labels import ATTENDANCE, BODY_TALK, STAGE_SHORT, day
from ..messages import ClientRecordChanged, OpenSession, ShowClientTab
from ..tabs.base import ClientTab
from ..tabs.flags import FlagsTab
from ..tabs.formulation import FormulationTab
from ..tabs.letters import LettersTab
from ..tabs.measures import MeasuresTab
from ..tabs.stages import StagesTab
from ..widgets.client_form import ClientForm
from ..widgets.key_footer import KeyFooter
from .base import ResumePoint, VaultScreen

CLINICAL_TABS = (
    ("stages", "Stages", StagesTab),
    ("formulation", "Formulation", FormulationTab),
    ("measures", "Measures", MeasuresTab),
    ("flags", "Flags", FlagsTab),
    ("letters", "Letters", LettersTab),
)


OPTION_DIGITS = (
    "inverted_exclamation_mark",
    "trade_mark_sign",
    "pound_sign",
    "cent_sign",
    "infinity",
    "section_sign",
    "pilcrow_sign",
)
"""What a Mac terminal sends for option+1 to option+7 when option is not a meta key (¡ ™ £ ¢ ∞ § ¶),
so the tab keys work either way. The tab keys are priority bindings: they are read before any text
box sees the key, so neither alt+3 nor option+3 ever types "3" or "£" into the record."""
TAB_ORDER = (("record", "Record"), ("sessions", "Sessions"), *((pane, title) for pane, title, _ in CLINICAL_TABS))


class ClientScreen(VaultScreen):
    CSS_PATH = "client.tcss"
    BINDINGS = [
        Binding("escape", "back", "Back", id="client.back"),
        Binding("ctrl+n", "new_session", "New session", id="client.new_session", tooltip="Write a new session note"),
        Binding("ctrl+s", "save", "Save record", id="client.save", tooltip="Save the client record"),
        Binding(
            "f7",
            "discharge",
            "Discharge/reopen",
            id="client.discharge",
            tooltip="Discharge the client (date, reason) or reopen a discharged client",
        ),
        Binding(
            "f12",
            "audit",
            "Audit trail",
            show=False,
            id="client.audit",
            tooltip="Read-only: every change, signature and export of this record, with dates",
        ),
        Binding(
            "f8",
            "erase",
            "Erase",
            id="client.erase",
            tooltip="Erase the whole record (after the retention date, or with a reason)",
        ),
        Binding(
            f"alt+1,{OPTION_DIGITS[0]}",
            "show_tab('record')",
            "Tabs",
            id="client.tab1",
            key_display="alt+1…7",
            priority=True,
            tooltip="alt+1 Record, 2 Sessions, 3 Stages, 4 Formulation, 5 Measures, 6 Flags, 7 Letters",
        ),
        *(
            Binding(
                f"alt+{n},{OPTION_DIGITS[n - 1]}",
                f"show_tab('{pane}')",
                f"{title} tab",
                id=f"client.tab{n}",
                show=False,
                key_display=f"alt+{n}",
                priority=True,
            )
            for n, (pane, title) in enumerate(TAB_ORDER[1:], start=2)
        ),
        Binding("ctrl+pagedown", "next_tab(1)", "Next tab", id="client.next_tab", show=False, priority=True),
        Binding("ctrl+pageup", "next_tab(-1)", "Previous tab", id="client.previous_tab", show=False, priority=True),
    ]

    def __init__(self, client_id: str, tab: str | None = None) -> None:
        super().__init__()
        self.client_id = client_id
        self.first_tab = tab
        self.client: Client | None = None
        self.baseline: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.compose_banner()
        with TabbedContent(id="client-tabs", initial=self.first_tab or "sessions"):
            with TabPane("Record", id="record"):
                yield ClientForm(id="client-form")
            with TabPane("Sessions", id="sessions"):
                yield DataTable(id="sessions-table", cursor_type="row", zebra_stripes=True)
                yield Static("", id="sessions-empty", classes="hint-text")
            for pane_id, title, tab_class in CLINICAL_TABS:
                with TabPane(title, id=pane_id):
                    yield tab_class(self.client_id, id=f"{pane_id}-tab")
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#sessions-table", DataTable)
        for title in ("#", "Date", "Attendance", "Stage", "Body talk", "Status"):
            table.add_column(title, key=title)
        form = self.query_one(ClientForm)
        try:
            self.client = self.repo.get_client(self.client_id)
            drafts = [d for d in self.repo.drafts() if d.get("client") == self.client_id and d.get("key") == "record"]
        except VaultError as e:
            self.ctx.show_error(e, "The client could not be opened")
            self.dismiss()
            return
        form.load(self.client)
        self.baseline = form.values()
        if drafts:
            form.set_values(drafts[-1].get("draft") or {})
            self.notify("Unsaved changes to this record were restored. Press ctrl+s to save them.")
            self.query_one(TabbedContent).active = "record"
        self.show_client()
        self.load_sessions()
        self.focus_tab()

    def focus_tab(self) -> None:
        """Keyboard into the tab that is showing (on resume after unlock too, not always Sessions)."""
        self._focus_in_tab(self.query_one(TabbedContent).active or "sessions")

    def on_screen_resume(self) -> None:
        if self.unlocked and self.client is not None:
            self.load_sessions()

    @on(TabbedContent.TabActivated)
    def _tab_changed(self) -> None:
        self.refresh_bindings()

    # -- display ---------------------------------------------------------------------------------

    def show_client(self) -> None:
        c = self.client
        if c is None:
            return
        self.title = c.name
        self.sub_title = c.pseudonym or "client"
        if c.status == ClientStatus.DISCHARGED:
            reason = c.extra.get("discharge_reason")
            line = f"Discharged on {day(c.discharge_date)}" + (f" ({reason})" if reason else "")
            line += f". Keep the record until {day(c.retention_date())}."
        else:
            line = "Open client."
        self.query_one("#status-line", Static).update(line)

    def load_sessions(self) -> None:
        table = self.query_one("#sessions-table", DataTable)
        table.clear()
        try:
            sessions = self.repo.list_sessions(self.client_id)
            drafts = {d.get("key"): d for d in self.repo.drafts() if d.get("client") == self.client_id}
        except VaultError as e:
            self.ctx.show_error(e, "The sessions could not be read")
            return
        if "new" in drafts:
            d = drafts["new"].get("draft") or {}
            table.add_row("new", d.get("date", "-"), "-", "-", "-", "Unsaved draft", key="new")
        for s in reversed(sessions):
            if s.is_signed:
                status = "Signed" + (f", {len(s.addenda)} addenda" if len(s.addenda) > 1 else ", 1 addendum" if s.addenda else "")
            else:
                status = "Unsaved changes" if s.id in drafts else "Not signed"
            table.add_row(
                str(s.number),
                day(s.date),
                ATTENDANCE.get(s.attendance, str(s.attendance)),
                STAGE_SHORT.get(s.stage, s.stage),
                BODY_TALK.get(s.body_talk, "-"),
                status,
                key=s.id,
            )
        empty = self.query_one("#sessions-empty", Static)
        empty.update("" if table.row_count else "No sessions yet. Press ctrl+n to write the first one.")

    # -- actions ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            return self.query_one(TabbedContent).active == "record" or None
        return True

    @on(DataTable.RowSelected, "#sessions-table")
    def _open_session(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key:
            self.post_message(OpenSession(self.client_id, key))

    def action_new_session(self) -> None:
        self.post_message(OpenSession(self.client_id, "new"))

    def form_dirty(self) -> bool:
        return self.client is not None and self.query_one(ClientForm).values() != self.baseline

    def action_save(self) -> bool:
        """Save the record; returns False (with errors shown in place) when it cannot be saved."""
        form = self.query_one(ClientForm)
        try:
            base = self.repo.get_client(self.client_id)
        except VaultError as e:
            self.ctx.show_error(e, "The record was not saved")
            return False
        client, errors = form.build(base, self.ctx.today())
        if client is None:
            self.query_one(TabbedContent).active = "record"
            form.show_errors(errors)
            self.notify("The record was not saved: " + " ".join(e.message for e in errors), severity="warning")
            return False
        try:
            self.repo.update_client(client)
            self.repo.discard_draft(self.client_id, "record")
        except VaultError as e:
            self.ctx.show_error(e, "The record was not saved")
            return False
        form.show_errors([])
        self.client = client
        form.load(client)
        self.baseline = form.values()
        self.show_client()
        self.notify("Record saved.")
        return True

    def prepare_lock(self) -> ResumePoint | None:
        if self.form_dirty():
            self.repo.save_draft(self.client_id, "record", self.query_one(ClientForm).values())
        return ResumePoint(self.client_id, None, self.query_one(TabbedContent).active or None)

    def action_show_tab(self, pane: str) -> None:
        """Go straight to a tab (alt+1 to alt+7) and put the keyboard in it."""
        tabs = self.query_one(TabbedContent)
        if tabs.active != pane:
            tabs.active = pane
        self._focus_in_tab(pane)

    def action_next_tab(self, step: int) -> None:
        panes = [pane for pane, _ in TAB_ORDER]
        current = self.query_one(TabbedContent).active
        index = panes.index(current) if current in panes else 0
        self.action_show_tab(panes[(index + step) % len(panes)])

    def command_key(self, event: events.Key) -> bool:
        """option+1..7 from a Mac terminal arrive as characters (¡ ™ £ ...): Textual lets a focused
        text box take a character before any binding, so the app asks here first."""
        if event.key in OPTION_DIGITS:
            self.action_show_tab(TAB_ORDER[OPTION_DIGITS.index(event.key)][0])
            return True
        return False

    def _focus_in_tab(self, pane: str) -> None:
        """Put the keyboard on the tab's read view now (not after a refresh, so the next key of a
        burst already goes there). The Record tab is a form: the keyboard goes to the tab bar, so
        no key lands in a field until the therapist moves into the form (Tab or down)."""
        target: Widget | None = None
        if pane == "sessions":
            target = self.query_one("#sessions-table")
        elif pane != "record":
            tab = self.query_one(f"#{pane}-tab")
            target = next((w for w in tab.query("*") if w.focusable and w.display), None)
        if target is None:
            target = self.query_one(TabbedContent).query_one(Tabs)
        self.set_focus(target)

    def action_back(self) -> None:
        """Leave; with unsaved changes to the record, ask first: save, discard or stay."""
        if not self.form_dirty():
            self.dismiss()
            return

        def answered(answer: str | None) -> None:
            if answer is None or not self.unlocked:
                if answer is None:
                    self.action_show_tab("record")
                return
            if answer == "save" and not self.action_save():
                return
            if answer == "discard":
                try:
                    self.repo.discard_draft(self.client_id, "record")
                except VaultError as e:
                    self.ctx.show_error(e, "The draft could not be removed")
                    return
            self.dismiss()

        self.app.push_screen(LeaveDialog("this client's record"), answered)

    def action_discharge(self) -> None:
        c = self.client
        if c is None:
            return
        if c.status == ClientStatus.DISCHARGED:

            def reopen(yes: bool | None) -> None:
                if yes and self.unlocked:
                    try:
                        self.client = self.repo.reopen_client(self.client_id)
                    except VaultError as e:
                        self.ctx.show_error(e, "The client was not reopened")
                        return
                    self.show_client()
                    self.notify("The client is open again.")

            self.app.push_screen(ConfirmDialog(f"Reopen {c.name}?", "They return to the open caseload.", "Reopen"), reopen)
            return

        def discharge(answer: Discharge | None) -> None:
            if answer is None or not self.unlocked:
                return
            try:
                self.client = self.repo.discharge_client(self.client_id, answer.on, answer.reason)
            except VaultError as e:
                self.ctx.show_error(e, "The client was not discharged")
                return
            self.show_client()
            self.notify(f"Discharged. The record is kept until {day(self.client.retention_date())}.")

        self.app.push_screen(DischargeDialog(c.name, self.ctx.today()), discharge)

    def action_audit(self) -> None:
        from ..dialogs.audit import AuditDialog

        try:
            entries = self.repo.audit_trail(self.client_id)
            intact = not self.repo.check_integrity(self.client_id)
        except VaultError as e:
            self.ctx.show_error(e, "The audit trail could not be read")
            return
        self.app.push_screen(AuditDialog(f"Audit trail: {self.title}", entries, intact))

    def action_erase(self) -> None:
        c = self.client
        if c is None:
            return

        def erase(reason: str | None) -> None:
            if reason is None or not self.unlocked:
                return
            try:
                self.repo.erase_client(self.client_id, self.ctx.today(), reason)
            except VaultError as e:
                self.ctx.show_error(e, "The record was not erased")
                return
            self.client = None
            self.notify("The record was erased. The erasure is noted in the vault's audit trail.")
            self.dismiss()

        self.app.push_screen(EraseDialog(c, self.ctx.today()), erase)

    @on(ShowClientTab)
    def _show_tab_asked(self, message: ShowClientTab) -> None:
        """A tab asks for another tab (or itself) to be shown: the Flags tab for a measure's evidence."""
        message.stop()
        if message.focus:
            self.action_show_tab(message.pane)
        else:
            self.query_one(TabbedContent).active = message.pane

    @on(ClientRecordChanged)
    def _record_changed(self, message: ClientRecordChanged) -> None:
        """A tab saved fields the Record tab's form also shows: put them in the form, so a later save of
        the form does not put the old values back."""
        message.stop()
        form = self.query_one(ClientForm)
        for name in message.fields:
            value = str(getattr(message.client, name) or "")
            try:
                form.query_one(f"#f-{name}", Input).value = value
            except NoMatches:
                continue
            self.baseline[name] = value
        self.client = message.client

    @on(TabbedContent.TabActivated)
    def _reload_clinical_tab(self, event: TabbedContent.TabActivated) -> None:
        """Each clinical tab reads the record again when shown, so it never shows stale data."""
        for tab in event.pane.query(ClientTab):
            tab.reload()
