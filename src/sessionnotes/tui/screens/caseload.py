"""The caseload: open clients in a table, filtered by typing, sortable, discharged on request."""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widget import Widget
from textual.widgets import DataTable, Header, Input, Static

from ...domain.models import Client, ClientSummary
from ...vault import VaultError
from ..dialogs.client import NewClientDialog
from ..labels import STAGE_SHORT, day
from ..messages import OpenClient
from ..widgets.key_footer import KeyFooter
from .base import VaultScreen

COLUMNS = (
    ("Name", lambda s: s.name.casefold()),
    ("Stage", lambda s: s.stage),
    ("Flags", None),  # counted in the background after unlock: see flags_cell
    ("Last session", lambda s: s.last_session.isoformat() if s.last_session else ""),
    ("Sessions", lambda s: s.sessions),
    ("DNAs", lambda s: s.dnas),
    ("Pseudonym", lambda s: s.pseudonym.casefold()),
)
"""Most important first: on a narrow terminal the columns that matter (name, stage, open flags and
risk) are always shown and the less important ones are dropped from the right, whole."""

ALWAYS_SHOWN = 3
"""Name, stage and flags (with the risk marker) are never dropped."""


class CaseloadScreen(VaultScreen):
    """Enter opens a client; ctrl+n adds one; typing filters (from the list too: the first key moves
    to the filter box); alt+1..7 sort by a column (again: reverse). Every printable key typed in the
    filter is text: shortcuts there need a modifier."""

    CSS_PATH = "caseload.tcss"
    AUTO_FOCUS = "#caseload"
    ESCAPE_IS_HARMLESS = True
    """Escape only clears the filter: Escape and a letter in one burst (alt+letter) are both kept."""
    BINDINGS = [
        Binding("escape", "clear_filter", "Clear filter", show=False, id="caseload.clear"),
        Binding("down", "focus_table", "To the list", show=False, id="caseload.down"),
        Binding("ctrl+n", "new_client", "New client", id="caseload.new", tooltip="Add a client to the caseload"),
        Binding("ctrl+t", "toggle_discharged", "Discharged", id="caseload.discharged", tooltip="Show or hide discharged clients"),
        Binding(
            "alt+1",
            "sort(0)",
            "Sort",
            key_display="alt+1…7",
            id="caseload.sort",
            tooltip="Sort by column 1-7 (alt+1 name ... alt+7 pseudonym); press again to reverse",
        ),
        *(Binding(f"alt+{n}", f"sort({n - 1})", f"Sort by column {n}", show=False, id=f"caseload.sort{n}") for n in range(2, 8)),
        Binding(
            "f12",
            "vault_events",
            "Vault events",
            show=False,
            id="caseload.events",
            tooltip="Read-only: events of the vault itself, such as erased records (a client's own trail: f12 there)",
        ),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.include_discharged = False
        self.sort_column = 0
        self.sort_reverse = False
        self.rows: list[ClientSummary] = []
        self._fresh = False
        self._widths: list[int] = [len(title) for title, _ in COLUMNS]
        """Each column's widest cell (its title included) at the last fill: which columns fit."""

    def compose(self) -> ComposeResult:
        yield Header()
        yield from self.compose_banner()
        yield Input(
            placeholder="Filter by name, stage:meeting, flag:..., status:... (/ searches notes)",
            id="filter",
            select_on_focus=False,
        )
        yield DataTable(id="caseload", cursor_type="row", zebra_stripes=True)
        yield Static("", id="caseload-empty")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.reload()
        self._fresh = True

    def on_screen_resume(self) -> None:
        if self._fresh:  # shown for the first time, just filled: a second fill would delay the first keys
            self._fresh = False
            return
        if self.unlocked and self.is_mounted:
            self.reload()

    # -- data ------------------------------------------------------------------------------------

    def reload(self) -> None:
        try:
            self.rows = self.repo.list_clients(include_discharged=True)
        except VaultError as e:
            self.ctx.show_error(e, "The caseload could not be read")
            self.rows = []
        self.refill()

    def visible_rows(self) -> list[ClientSummary]:
        """Rows matching the filter, in the same query syntax as search (see the help screen)."""
        from ...analysis.search import QueryError, parse_query, words

        text = self.query_one("#filter", Input).value.strip()
        try:
            q = parse_query(text)
        except QueryError:
            q = parse_query(text.replace('"', ""))
        terms = q.terms + [w for p in q.phrases for w in p]
        ctx = self.ctx
        index = ctx.search_index
        out = []
        for r in self.rows:
            status = str(r.status)
            if q.status:
                if status != q.status:
                    continue
            elif status == "discharged" and not self.include_discharged:
                continue
            if q.stage and r.stage != q.stage:
                continue
            if q.since and (r.last_session is None or r.last_session < q.since):
                continue
            if q.until and (r.last_session is None or r.last_session > q.until):
                continue
            if q.flag and (index is None or q.flag not in index.flags_of(r.id)):
                continue
            names = words(f"{r.name} {r.pseudonym}")
            if all(any(n.startswith(t) for n in names) for t in terms):
                out.append(r)
        key = COLUMNS[self.sort_column][1] or (lambda s: ctx.flag_counts.get(s.id, -1))
        return sorted(out, key=key, reverse=self.sort_reverse)

    def cells(self, s: ClientSummary) -> tuple[str | Text, ...]:
        """One row's cells, for every column in COLUMNS' order."""
        name = s.name + (" (discharged)" if str(s.status) == "discharged" else "")
        return (
            name,
            STAGE_SHORT.get(s.stage, "-"),
            self.flags_cell(s.id),
            day(s.last_session),
            str(s.sessions),
            str(s.dnas),
            s.pseudonym or "-",
        )

    def columns_that_fit(self) -> int:
        """How many columns, from the left, fit the table's width without scrolling sideways (at
        least name, stage and flags). Before the table is laid out, the terminal's width less the
        table's margin (caseload.tcss) stands in, so the first fill is already the right one."""
        table = self.query_one(DataTable)
        width = (table.size.width or self.app.size.width - 2) - 2  # room for the vertical scroll bar
        if width <= 0:
            return len(COLUMNS)
        used = 0
        for n, widest in enumerate(self._widths):
            used += widest + 2 * table.cell_padding
            if used > width and n >= ALWAYS_SHOWN:
                return n
        return len(COLUMNS)

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_columns)

    def _fit_columns(self) -> None:
        if self.is_mounted and len(self.query_one(DataTable).columns) != self.columns_that_fit():
            self.refill()

    def refill(self) -> None:
        table = self.query_one(DataTable)
        current = self.selected_client_id()
        rows = self.visible_rows()
        cells = [self.cells(s) for s in rows]
        self._widths = [
            max([cell_len(title), *(c.cell_len if isinstance(c, Text) else cell_len(c) for c in (row[i] for row in cells))])
            for i, (title, _) in enumerate(COLUMNS)
        ]
        fit = self.columns_that_fit()
        if len(table.columns) != fit:
            table.clear(columns=True)
            for title, _ in COLUMNS[:fit]:
                table.add_column(title, key=title)
        else:
            table.clear()
        for s, row in zip(rows, cells, strict=True):
            table.add_row(*row[:fit], key=s.id)
        if current is not None and any(r.id == current for r in rows):
            table.move_cursor(row=table.get_row_index(current))
        noun = "client" if len(rows) == 1 else "clients"
        shown = f"open and discharged {noun}" if self.include_discharged else f"open {noun}"
        arrow = " (reversed)" if self.sort_reverse else ""
        self.sub_title = f"Caseload: {len(rows)} {shown}, sorted by {COLUMNS[self.sort_column][0].lower()}{arrow}"
        empty = self.query_one("#caseload-empty", Static)
        if not self.rows:
            empty.update("No clients yet. Press ctrl+n to add your first client.")
        elif not rows:
            empty.update("No client matches the filter. Press Escape to clear it.")
        else:
            empty.update("")
        empty.display = not rows

    def flags_cell(self, cid: str) -> str | Text:
        """Open flags, and "risk" in bold when the latest PHQ-9 or CORE-10 has an open risk item."""
        ctx = self.ctx
        counts = ctx.flag_counts
        if cid not in counts:
            return "…"
        if cid in ctx.risk_clients:
            return Text.assemble(str(counts[cid]), " ", ("risk", "bold reverse red"))
        return str(counts[cid])

    def selected_client_id(self) -> str | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        try:
            return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except Exception:
            return None

    # -- keys ------------------------------------------------------------------------------------

    def route_key(self, event: events.Key) -> Widget | None:
        """Type-to-filter: a printable key on the list goes to the filter box (the app moves the
        keyboard there before reading the next key, so a fast "nadia" arrives whole). "/" (search)
        and "?" (help) stay keys on the list."""
        if self.focused is not self.query_one(DataTable):
            return None
        ch = event.character
        if not event.is_printable or not ch or ch in "/?" or ch.isspace() or event.key.startswith(("alt+", "ctrl+")):
            return None
        return self.query_one("#filter", Input)

    def action_sort(self, column: int) -> None:
        self.sort_by(column)

    def sort_by(self, column: int) -> None:
        if column == self.sort_column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = column, False
        self.refill()

    @on(Input.Changed, "#filter")
    def _filter_changed(self) -> None:
        self.refill()

    @on(Input.Submitted, "#filter")
    def _filter_done(self) -> None:
        table = self.query_one(DataTable)
        table.focus()
        if table.row_count == 1:
            self.open_selected()

    def on_descendant_focus(self) -> None:
        self.refresh_bindings()

    def action_focus_table(self) -> None:
        self.query_one(DataTable).focus()

    def action_filter(self) -> None:
        self.query_one("#filter", Input).focus()

    def action_clear_filter(self) -> None:
        box = self.query_one("#filter", Input)
        box.value = ""
        self.query_one(DataTable).focus()

    def action_toggle_discharged(self) -> None:
        self.include_discharged = not self.include_discharged
        self.reload()
        self.notify("Discharged clients are shown." if self.include_discharged else "Discharged clients are hidden.")

    @on(DataTable.RowSelected, "#caseload")
    def _row_selected(self) -> None:
        self.open_selected()

    def open_selected(self) -> None:
        cid = self.selected_client_id()
        if cid is not None:
            self.post_message(OpenClient(cid))

    def action_vault_events(self) -> None:
        from ..dialogs.audit import AuditDialog

        try:
            entries = self.repo.vault_audit_trail()
        except VaultError as e:
            self.ctx.show_error(e, "The vault's events could not be read")
            return
        self.app.push_screen(AuditDialog("Vault events (erasures)", entries))

    def action_new_client(self) -> None:
        def created(client: Client | None) -> None:
            if client is None or not self.unlocked:
                return
            try:
                cid = self.repo.add_client(client)
            except VaultError as e:
                self.ctx.show_error(e, "The client was not added")
                return
            self.reload()
            self.post_message(OpenClient(cid, tab="record"))

        self.app.push_screen(NewClientDialog(self.ctx.today()), created)

    def action_back(self) -> None:
        """The caseload is the top level: Escape clears the filter instead of leaving."""
        self.action_clear_filter()
