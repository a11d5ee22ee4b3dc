"""The Measures tab: results over time, a trend chart per measure, IAPT-style change, risk markers.

* The table lists every result in date order: total (or "incomplete"), band, caseness, change since
  the previous result of the same measure (with reliable improvement / deterioration), prorated and
  not-applicable marks, and a risk marker that stays until the risk notice is acknowledged.
* The chart draws the measure of the highlighted row (``c`` switches measure) as bars with the
  caseness cut-off as a dashed line; reliable change against the previous result is marked under
  the bars. It is drawn with block characters, so no plotting package is needed.
* The side panel has the IAPT-style change for PHQ-9 + GAD-7 (unconfirmed rules marked) and the
  note that several PHQ-9/GAD-7 items overlap with physical symptoms.

Keys: ``n`` new measure, Enter shows a result, ``r`` acknowledges a risk answer, ``c`` next chart,
``i`` rules, sources and licences.

A measure entry that was open when the vault locked is kept as an encrypted draft; the first time
the tab is shown afterwards it offers to carry on with it or discard it, and the status line names
it until it is saved or discarded (``n`` and choosing that measure carries on too).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.widget import Widget
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from ...domain.measures import (
    CORE10,
    GAD7,
    IAPT_RULES,
    INSTRUMENTS,
    PHQ9,
    PHYSICAL_SYMPTOM_OVERLAP_NOTE,
    Change,
    IaptChange,
    Instrument,
    MeasureResult,
    Score,
    format_total,
    iapt_change_from_results,
    reliable_change,
)
from ...vault import VaultError
from ..dialogs.measure_entry import MeasureDraftOffer, MeasureEntry
from ..dialogs.measure_views import MeasureDetailDialog, RulesDialog
from ..dialogs.risk_notice import RiskNotice
from ..labels import change_words, signed
from ..measure_drafts import MeasureDraft, measure_drafts
from ..messages import ShowClientTab
from .base import ClientTab

MUTED = "$text-muted"
BLOCKS = " ▁▂▃▄▅▆▇█"
LINE = "╌"
BAND_SHORT = {
    "Significant functional impairment": "Significant impairment",
    "Moderately severe or worse": "Mod. severe or worse",
    **{band.label: band.label.replace(" psychological distress", "") for band in CORE10.bands},
}
"""Shorter band labels for the table (the full label is in the result view)."""


# ------------------------------------------------------------------------------------------------
# Rows: each result with its change since the previous result of the same measure
# ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    result: MeasureResult
    score: Score
    previous: MeasureResult | None
    """The previous result of the same measure that has a total (None for the first)."""
    delta: float | int | None
    change: Change | None
    """Reliable change since ``previous``; None when either has no total or the measure has no value."""

    @property
    def ins(self) -> Instrument:
        return self.result.definition

    @property
    def risk_open(self) -> bool:
        """A risk answer whose notice has not been acknowledged yet."""
        return self.score.risk and not isinstance(self.result.extra.get("risk_acknowledged"), dict)


def sort_results(results: Sequence[MeasureResult]) -> list[MeasureResult]:
    """Date order; results of the same day in the order they were entered (then in the order of the
    measures list, so the order never depends on the random ids)."""
    order = {code: n for n, code in enumerate(INSTRUMENTS)}
    return sorted(results, key=lambda r: (r.date, str(r.extra.get("entered", "")), order.get(r.instrument, 99), r.id))


def build_rows(results: Sequence[MeasureResult]) -> list[Row]:
    rows = []
    last_complete: dict[str, MeasureResult] = {}
    for r in sort_results(results):
        s = r.score
        prev = last_complete.get(r.instrument)
        delta = change = None
        if prev is not None and s.total is not None and prev.score.total is not None:
            delta = s.total - prev.score.total
            change = reliable_change(r.instrument, prev, r)
        rows.append(Row(r, s, prev, delta, change))
        if s.total is not None:
            last_complete[r.instrument] = r
    return rows


def band_short(ins: Instrument, band: str | None) -> str:
    if band is None:
        return "–"
    return BAND_SHORT.get(band, band)


def marks(s: Score) -> str:
    out = []
    if s.prorated:
        out.append("prorated")
    if s.incomplete:
        out.append(f"{s.items_answered}/{s.items_applicable} answered")
    if s.items_not_applicable:
        out.append("NA item " + ",".join(str(n) for n in s.items_not_applicable))
    return ", ".join(out)


# ------------------------------------------------------------------------------------------------
# The trend chart (pure: results in, lines of styled text out)
# ------------------------------------------------------------------------------------------------


def _eighths(value: float, low: float, high: float, rows: int) -> int:
    """How many eighth-blocks of a ``rows``-high column ``value`` fills between ``low`` and ``high``."""
    if value <= low or rows <= 0:
        return 0
    filled = round((min(value, high) - low) / (high - low) * rows * 8)
    return max(1, min(rows * 8, filled))


def _block(eighths: int, row: int) -> str:
    return BLOCKS[max(0, min(8, eighths - 8 * row))]


def _date_label(d: dt.date, same_year: bool) -> str:
    return f"{d.day} {d.strftime('%b')}" if same_year else d.strftime("%d/%m/%y")


def _value_label(row: Row) -> str:
    s = row.score
    if s.total is None:
        return "–"
    text = str(s.total) if isinstance(s.total, int) else f"{s.total:.1f}"
    if s.prorated:
        text += "*"
    if s.risk:
        text += "!"
    return text


def _wrapped_height(line: Content, width: int) -> int:
    return max(1, -(-line.cell_length // max(1, width)))


def chart_lines(rows: Sequence[Row], ins: Instrument, width: int, height: int = 20) -> list[Content]:
    """The trend of one measure in ``width`` x ``height`` cells: bars (one per result, date order),
    the caseness cut-off as a dashed line, values, dates and reliable-change marks under the bars,
    the change from the first to the latest total and a legend. The plot grows with the height.

    Incomplete results show "–" and no bar: a missing total is never drawn as 0. Bars that do not
    fit the width are left out from the oldest on, and the title says so."""
    rows = [r for r in rows if r.result.instrument == ins.code]
    title = Content.assemble((f"{ins.name} trend", "bold $primary"), (f"  {ins.full_name}", MUTED))
    if not rows:
        return [title, Content.styled(f"No {ins.name} results yet.", MUTED)]
    full = ins.full_maximum
    cut = ins.caseness
    same_year = len({r.result.date.year for r in rows}) == 1
    label_width = max(len(_date_label(r.result.date, same_year)) for r in rows)
    axis = len(str(full)) + 2
    cut_label = f" cut-off {cut}" if cut is not None else ""
    avail = max(0, width - axis - len(cut_label))
    narrowest = max(label_width, 6) + 1
    column = min(10, avail // len(rows)) if avail // len(rows) >= narrowest else narrowest
    fits = avail // column
    if fits < 1:
        return [title, Content.styled("The window is too narrow to draw the chart.", MUTED)]
    shown = rows[-fits:]
    bar = max(2, min(4, column - 3))
    left = (column - bar) // 2
    if len(shown) < len(rows):
        title = title.append(Content.styled(f"  (latest {len(shown)} of {len(rows)})", MUTED))

    # Under the plot: values, dates, reliable-change marks; then first-to-latest and the legend.
    values: list[str | tuple[str, str]] = [" " * axis]
    dates: list[str | tuple[str, str]] = [" " * axis]
    changes: list[str | tuple[str, str]] = [" " * axis]
    for r in shown:
        style = "bold $error" if r.score.risk else (MUTED if r.score.total is None else "bold")
        values.append((_value_label(r).center(column), style))
        dates.append((_date_label(r.result.date, same_year).center(column), MUTED))
        if r.change == "improved" and r.delta is not None:
            changes.append((f"▼{signed(r.delta)}".center(column), "bold $success"))
        elif r.change == "deteriorated" and r.delta is not None:
            changes.append((f"▲{signed(r.delta)}".center(column), "bold $error"))
        else:
            changes.append(" " * column)
    footer = [Content.assemble(*values), Content.assemble(*dates)]
    if any(r.change in ("improved", "deteriorated") for r in shown):
        footer.append(Content.assemble(*changes))
    complete = [r for r in rows if r.score.total is not None]
    if len(complete) >= 2:
        first, last = complete[0], complete[-1]
        delta = (last.score.total or 0) - (first.score.total or 0)  # both complete (filtered above)
        verdict = reliable_change(ins, first.result, last.result)
        words = {
            "improved": ("reliable improvement", "bold $success"),
            "deteriorated": ("reliable deterioration", "bold $error"),
            "no reliable change": ("no reliable change", ""),
        }.get(verdict or "", (f"no reliable-change value is established for {ins.name}", MUTED))
        footer.append(
            Content.assemble(
                "First to latest: ",
                (f"{format_total(first.score.total)} → {format_total(last.score.total)}", "bold"),
                f" ({signed(delta)}), ",
                words,
            )
        )
    legend = []
    if cut is not None:
        legend.append(f"╌ cut-off {cut} ({'IAPT caseness' if ins.code in ('phq9', 'gad7') else 'clinical cut-off'})")
    else:
        legend.append(f"no caseness cut-off is established for {ins.name}")
    if ins.reliable_change is not None:
        legend.append(f"▼ ▲ reliable improvement / deterioration since the previous result ({ins.reliable_change}+ points)")
    if any(r.score.prorated for r in shown):
        legend.append("* prorated")
    if any(r.score.total is None for r in shown):
        legend.append("– incomplete, no total")
    if any(r.score.risk for r in shown):
        legend.append("! risk answer")
    footer.append(Content.styled(" · ".join(legend), MUTED))

    used = 1 + sum(_wrapped_height(line, width) for line in footer) + 1 + (1 if cut is not None else 0)
    plot_rows = max(3, min(16, height - used))

    # Which plot rows exist, top to bottom: ("above"|"below"|"plain", index from the bottom) or ("line", 0).
    if cut is not None:
        below = max(1, min(plot_rows - 1, round(plot_rows * cut / full)))
        above = plot_rows - below
        layout = [("above", i) for i in reversed(range(above))] + [("line", 0)] + [("below", i) for i in reversed(range(below))]
    else:
        below = above = 0
        layout = [("plain", i) for i in reversed(range(plot_rows))]

    def fills(r: Row) -> dict[str, int]:
        total = r.score.total
        if total is None:
            return {}
        if cut is None:
            return {"plain": _eighths(total, 0, full, plot_rows)}
        return {"below": _eighths(total, 0, cut, below) if total < cut else below * 8, "above": _eighths(total, cut, full, above)}

    # Without a cut-off, the band thresholds label the axis (e.g. PHQ-15 5, 10, 15) to help reading.
    ticks: dict[int, int] = {}
    if cut is None:
        for band in ins.bands[1:]:
            ticks.setdefault((_eighths(band.lower, 0, full, plot_rows) - 1) // 8, band.lower)

    bar_fills = [fills(r) for r in shown]
    styles = ["$warning" if cut is not None and r.score.total is not None and r.score.total >= cut else "$primary" for r in shown]
    lines = [title]
    for kind, index in layout:
        if kind == "line":
            label = f"{cut:>{axis - 2}} ┼"
        elif (kind == "above" and index == above - 1) or (kind == "plain" and index == plot_rows - 1):
            label = f"{full:>{axis - 2}} ┤"
        elif kind == "plain" and index in ticks:
            label = f"{ticks[index]:>{axis - 2}} ┤"
        else:
            label = " " * (axis - 2) + " │"
        parts: list[str | tuple[str, str]] = [(label, "$warning" if kind == "line" else MUTED)]
        gap, gap_style = (LINE, "$warning") if kind == "line" else (" ", "")
        for r, filled, style in zip(shown, bar_fills, styles, strict=True):
            if kind == "line":
                crosses = r.score.total is not None and cut is not None and r.score.total >= cut
                body = ("█" * bar, style) if crosses else (LINE * bar, "$warning")
            elif not filled:
                body = (" " * bar, "")
            else:
                body = (_block(filled[kind], index) * bar, style)
            parts += [(gap * left, gap_style), body, (gap * (column - left - bar), gap_style)]
        if kind == "line":
            parts.append((cut_label, "$warning"))
        lines.append(Content.assemble(*parts))
    lines.append(Content.styled(f"{0:>{axis - 2}} └" + "─" * (column * len(shown)), MUTED))
    return lines + footer


class TrendChart(Widget):
    """The chart of one measure; the plot grows with the space it is given."""

    DEFAULT_CSS = """
    TrendChart { width: 1fr; height: 1fr; min-height: 10; padding: 0 1; }
    """

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.rows: list[Row] = []
        self.ins: Instrument | None = None

    def show(self, rows: list[Row], ins: Instrument | None) -> None:
        self.rows, self.ins = rows, ins
        self.refresh()

    def render(self) -> Content:
        width, height = self.content_size.width, self.content_size.height
        if self.ins is None:
            return Content.styled("The trend of each measure is drawn here once a result is recorded.", MUTED)
        return Content("\n").join(chart_lines(self.rows, self.ins, width, height))


# ------------------------------------------------------------------------------------------------
# IAPT-style change and the physical-symptom note
# ------------------------------------------------------------------------------------------------


def _yes(value: bool | None) -> str:
    return "n/a" if value is None else "yes" if value else "no"


def iapt_panel(change: IaptChange | None, rows: Sequence[Row]) -> Content:
    title = Content.styled("IAPT-style change (PHQ-9 + GAD-7)", "bold $primary")
    if change is None:
        pairs = len(
            {r.result.date for r in rows if r.result.instrument == "phq9" and r.score.total is not None}
            & {r.result.date for r in rows if r.result.instrument == "gad7" and r.score.total is not None}
        )
        return Content("\n").join(
            [
                title,
                Content.styled(
                    "Needs a complete PHQ-9 and GAD-7 on the same date at the start and again later "
                    f"({pairs} such {'pair' if pairs == 1 else 'pairs'} so far).",
                    MUTED,
                ),
            ]
        )
    unconfirmed = set(change.unconfirmed)

    def flag(name: str) -> tuple[str, str]:
        return (" (rule unconfirmed)", "$warning") if name in unconfirmed else ("", "")

    lines = [title]
    if change.first_date and change.last_date:
        lines.append(Content.styled(f"First pair {change.first_date.isoformat()}, latest {change.last_date.isoformat()}", MUTED))
    for ins, first, last, verdict in (
        (PHQ9, change.phq9_first, change.phq9_last, change.phq9_change),
        (GAD7, change.gad7_first, change.gad7_last, change.gad7_change),
    ):
        words, kind = change_words(ins, last - first, verdict)
        style = {"improved": "$success", "deteriorated": "$error"}.get(kind, "")
        lines.append(
            Content.assemble((f"{ins.name:<6}", "bold"), f" {format_total(first)} → {format_total(last)}  ", (words, style))
        )
    lines.append(Content(f"At caseness at the start: {_yes(change.caseness_start)}; at the end: {_yes(change.caseness_end)}"))
    for label, name, value in (
        ("Reliable improvement", "reliable_improvement", change.reliable_improvement),
        ("Reliable deterioration", "reliable_deterioration", change.reliable_deterioration),
        ("Recovery", "recovery", change.recovery),
        ("Reliable recovery", "reliable_recovery", change.reliable_recovery),
    ):
        lines.append(Content.assemble(f"{label}: ", (_yes(value), "bold"), flag(name)))
    for note in change.notes:
        if note != PHYSICAL_SYMPTOM_OVERLAP_NOTE:
            lines.append(Content.styled(note, MUTED))
    lines.append(Content.styled(IAPT_RULES["eligibility"].text + ".", MUTED))
    return Content("\n").join(lines)


# ------------------------------------------------------------------------------------------------
# The tab
# ------------------------------------------------------------------------------------------------


class MeasuresTab(ClientTab):
    DEFAULT_CSS = """
    MeasuresTab #measures-risk {
        display: none;
        height: auto;
        padding: 0 1;
        background: $error;
        color: $text;
        text-style: bold;
    }
    MeasuresTab #measures-risk.-show { display: block; }
    MeasuresTab #measures-status { height: auto; padding: 0 1; color: $text-muted; }
    MeasuresTab #measures-status.-error { color: $error; }
    MeasuresTab #measures-table { height: auto; max-height: 40%; }
    MeasuresTab #measures-lower { height: 1fr; margin-top: 1; }
    MeasuresTab #measures-side {
        width: 38%;
        min-width: 28;
        max-width: 46;
        height: 1fr;
        padding: 0 1;
        border-left: vkey $panel;
    }
    MeasuresTab #measures-overlap { margin-top: 1; }
    MeasuresTab #measures-help { margin-top: 1; color: $text-muted; }
    """

    BINDINGS = [
        Binding(
            "n",
            "new_measure",
            "New measure",
            id="measures.new",
            tooltip="Enter a PHQ-9, GAD-7, PHQ-15, WSAS or CORE-10 item by item",
        ),
        Binding(
            "r",
            "review_risk",
            "Acknowledge risk",
            id="measures.risk",
            tooltip="Open the risk notice of a result whose risk answer is not yet acknowledged",
        ),
        Binding("c", "next_chart", "Next chart", id="measures.chart", tooltip="Show the trend of another measure"),
        Binding(
            "i",
            "rules",
            "Rules",
            id="measures.rules",
            tooltip="How each measure is scored: rules, sources (unconfirmed ones marked) and licences",
        ),
    ]

    def __init__(self, client_id: str, **kwargs) -> None:
        super().__init__(client_id, **kwargs)
        self.rows: list[Row] = []
        self.chart_code: str | None = None
        self.drafts: list[MeasureDraft] = []
        """Measure entries kept when the vault locked (most recent first)."""
        self.offered = False
        """Whether the kept entry has been offered since this client was opened."""

    def compose(self) -> ComposeResult:
        yield Static("", id="measures-risk")
        yield Static("", id="measures-status")
        yield DataTable(id="measures-table", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="measures-lower"):
            yield TrendChart(id="measures-chart")
            with VerticalScroll(id="measures-side"):
                yield Static("", id="measures-iapt")
                yield Static("", id="measures-overlap")
                yield Static(
                    "i: how each measure is scored, with sources (unconfirmed rules marked) and licences.", id="measures-help"
                )

    def on_mount(self) -> None:
        table = self.query_one("#measures-table", DataTable)
        for title in ("Date", "Measure", "Score", "Risk", "Band", "Case", "Change since previous", "Marks"):
            table.add_column(title, key=title)
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.reload())
        if self.screen.is_attached and self.unlocked:
            self.reload()

    # -- data ------------------------------------------------------------------------------------

    def _who(self) -> str:
        client = getattr(self.screen, "client", None)
        return getattr(client, "name", "") or ""

    def reload(self, select: str | None = None) -> None:
        if not self.unlocked:
            return
        status = self.query_one("#measures-status", Static)
        try:
            results = self.repo.list_measures(self.client_id)
        except (VaultError, ValueError) as e:
            status.update(f"The measures could not be read: {e}")
            status.add_class("-error")
            return
        status.remove_class("-error")
        table = self.query_one("#measures-table", DataTable)
        old_rows, self.rows = self.rows, build_rows(results)
        keep = select
        if keep is None and table.row_count and 0 <= table.cursor_row < len(old_rows):
            keep = old_rows[table.cursor_row].result.id
        table.clear()
        for row in self.rows:
            table.add_row(*self._cells(row), key=row.result.id)
        if self.rows:
            ids = [r.result.id for r in self.rows]
            table.move_cursor(row=ids.index(keep) if keep in ids else len(ids) - 1)
            if self.chart_code is None or select is not None:
                at_cursor = self._row_at_cursor()
                self.chart_code = at_cursor.result.instrument if at_cursor else None
        else:
            self.chart_code = None
        try:
            self.drafts = measure_drafts(self.repo.drafts(), self.client_id)
        except VaultError:
            self.drafts = []
        self._show_status()
        self._show_chart()
        self._show_side()
        self.refresh_bindings()
        if self.drafts and not self.offered and self._shown():
            self.offered = True
            self.call_after_refresh(self._offer_draft)

    def _colour(self, name: str) -> str | None:
        value = self.app.theme_variables.get(name, "")
        return value if value.startswith("#") else None

    def _cells(self, row: Row) -> list[Text]:
        s, ins = row.score, row.ins
        error = Style(color=self._colour("error"), bold=True)
        good = Style(color=self._colour("success"))
        bad = Style(color=self._colour("error"))
        muted = Style(dim=True)
        score_cell = Text("incomplete", style=muted) if s.total is None else Text(f"{format_total(s.total)}/{s.maximum}")
        if s.prorated:
            score_cell.append("*")
        case = Text("–", style=muted) if s.caseness is None else Text("yes" if s.caseness else "no")
        words, kind = change_words(ins, row.delta, row.change)
        change = Text(words, style={"improved": good, "deteriorated": bad, "muted": muted, "none": muted}.get(kind, ""))
        if row.risk_open:
            risk = Text("RISK: open", style=error)
        elif s.risk:
            risk = Text("acknowledged", style=muted)
        else:
            risk = Text("")
        return [
            Text(row.result.date.isoformat()),
            Text(ins.name),
            score_cell,
            risk,
            Text(band_short(ins, s.band)),
            case,
            change,
            Text(marks(s), style=muted),
        ]

    def _row_at_cursor(self) -> Row | None:
        table = self.query_one("#measures-table", DataTable)
        if not self.rows or not table.row_count:
            return None
        index = min(max(table.cursor_row, 0), len(self.rows) - 1)
        return self.rows[index]

    def _show_status(self) -> None:
        status = self.query_one("#measures-status", Static)
        banner = self.query_one("#measures-risk", Static)
        open_risks = [r for r in self.rows if r.risk_open]
        if open_risks:
            first = open_risks[0]
            count = f"{len(open_risks)} results have" if len(open_risks) > 1 else "A result has"
            banner.update(
                f"{count} a risk answer not yet acknowledged ({first.ins.name} of "
                f"{first.result.date.isoformat()}). Press r to read and acknowledge it."
            )
            banner.add_class("-show")
        else:
            banner.remove_class("-show")
        if not self.rows:
            line = "No measures recorded yet. Press n to enter one: PHQ-9, GAD-7, PHQ-15, WSAS or CORE-10."
        else:
            count = f"{len(self.rows)} result" + ("s" if len(self.rows) != 1 else "")
            line = f"{count}. n new measure · Enter: answers · c: next chart · i: rules and licences"
        if self.drafts:
            kept = "; ".join(f"{d.ins.name} ({d.progress()})" for d in self.drafts)
            status.update(
                Content.assemble(
                    (f"In progress, kept when the vault locked: {kept}. Press n and choose it to carry on.", "bold $warning"),
                    "\n",
                    line,
                )
            )
        else:
            status.update(line)

    def _show_chart(self) -> None:
        chart = self.query_one("#measures-chart", TrendChart)
        chart.show(self.rows, INSTRUMENTS[self.chart_code] if self.chart_code else None)

    def _show_side(self) -> None:
        results = [r.result for r in self.rows]
        try:
            change = iapt_change_from_results(results)
        except ValueError as e:
            change = None
            self.query_one("#measures-status", Static).update(f"The IAPT-style change could not be worked out: {e}")
        self.query_one("#measures-iapt", Static).update(iapt_panel(change, self.rows))
        overlap = self.query_one("#measures-overlap", Static)
        if any(r.result.instrument in ("phq9", "gad7") for r in self.rows):
            overlap.update(
                Content("\n").join(
                    [
                        Content.styled("PHQ-9 and GAD-7 with physical symptoms", "bold $primary"),
                        Content.styled(PHYSICAL_SYMPTOM_OVERLAP_NOTE, MUTED),
                    ]
                )
            )
            overlap.display = True
        else:
            overlap.display = False

    @on(DataTable.RowHighlighted, "#measures-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        if event.cursor_row != event.data_table.cursor_row:
            return  # a stale event from before the last reload
        row = self._row_at_cursor()
        if row is not None and row.result.instrument != self.chart_code:
            self.chart_code = row.result.instrument
            self._show_chart()

    @on(DataTable.RowSelected, "#measures-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        row = self._row_at_cursor()
        if row is not None:
            self.app.push_screen(MeasureDetailDialog(row.result, row.previous))

    # -- actions ---------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "review_risk":
            return any(r.risk_open for r in self.rows)
        if action == "next_chart":
            return len({r.result.instrument for r in self.rows}) > 1
        return True

    def _shown(self) -> bool:
        """Whether this tab is the one showing on the client screen."""
        pane = next((a for a in self.ancestors if isinstance(a, TabPane)), None)
        tabs = next((a for a in self.ancestors if isinstance(a, TabbedContent)), None)
        return pane is not None and tabs is not None and tabs.active == pane.id

    def _entry_open(self) -> bool:
        return any(isinstance(s, MeasureEntry) and s.client_id == self.client_id for s in self.app.screen_stack)

    def _offer_draft(self) -> None:
        """Offer the most recent kept entry: carry on, discard, or later."""
        if not self.unlocked or not self.drafts or self._entry_open() or self.app.screen is not self.screen:
            return
        draft = self.drafts[0]
        pane = next((a for a in self.ancestors if isinstance(a, TabPane)), None)
        if pane is not None and pane.id:
            self.post_message(ShowClientTab(pane.id))  # the offer is about this tab: keep it in view behind the offer

        def chosen(choice: str | None) -> None:
            if not self.unlocked:
                return
            if choice == "resume":
                self.action_new_measure(draft)
            elif choice == "discard":
                try:
                    self.repo.discard_draft(self.client_id, draft.key)
                except VaultError as e:
                    self.ctx.show_error(e)
                else:
                    self.notify(f"The {draft.ins.name} in progress was discarded.")
                self.reload()

        self.app.push_screen(MeasureDraftOffer(draft, self._who()), chosen)

    def action_new_measure(self, draft: MeasureDraft | None = None) -> None:
        if not self.unlocked:
            return
        self.app.push_screen(MeasureEntry(self.client_id, self.ctx.today(), self._who(), draft=draft), self.entry_done)

    def entry_done(self, result: MeasureResult | None) -> None:
        """After the entry dialog: show the saved result (and its risk notice), or reload (a kept
        entry may have been discarded)."""
        if not self.unlocked:
            return
        if result is None:
            self.reload()
            return
        self.reload(select=result.id)
        s = result.score
        summary = "no total (incomplete)" if s.total is None else f"{s.display()}, {s.band}"
        self.notify(f"{result.definition.name} of {result.date.isoformat()} saved: {summary}.")
        if s.risk:
            self._open_risk(result)

    def _open_risk(self, result: MeasureResult) -> None:
        def acknowledged(done: bool | None) -> None:
            if self.unlocked:
                self.reload(select=result.id)
                if done:
                    self.notify(f"Risk answer on the {result.definition.name} of {result.date.isoformat()} acknowledged.")

        self.app.push_screen(RiskNotice(self.client_id, result, self._who()), acknowledged)

    def action_review_risk(self) -> None:
        row = self._row_at_cursor()
        if row is None or not row.risk_open:
            row = next((r for r in self.rows if r.risk_open), None)
        if row is not None:
            self._open_risk(row.result)

    def action_next_chart(self) -> None:
        present = [code for code in INSTRUMENTS if any(r.result.instrument == code for r in self.rows)]
        if not present:
            return
        index = present.index(self.chart_code) if self.chart_code in present else -1
        self.chart_code = present[(index + 1) % len(present)]
        self._show_chart()

    def action_rules(self) -> None:
        self.app.push_screen(RulesDialog(INSTRUMENTS.get(self.chart_code or "")))
