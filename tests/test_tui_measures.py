"""The Measures tab, driven by keys only: entering measures item by item, the risk notice that must be
acknowledged (and is kept in the vault), unanswered items stored as None (never 0), and a snapshot
of the table and the trend chart with deterministic data, clock and terminal size."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.containers import Horizontal
from textual.widgets import Static
from tui_support import SIZE, fixed_clock, make_app, make_vault, open_vault, screen_text, unlock, wait_for

from sessionnotes.domain.measures import INSTRUMENTS, NA, MeasureResult, iapt_change_from_results
from sessionnotes.tui.app import STAGE_VARIABLES
from sessionnotes.tui.dialogs.base import ConfirmDialog
from sessionnotes.tui.dialogs.measure_entry import MeasureEntry
from sessionnotes.tui.dialogs.measure_views import MeasureDetailDialog, RulesDialog
from sessionnotes.tui.dialogs.risk_notice import ESCAPE_REFUSED, RiskNotice
from sessionnotes.tui.screens.caseload import CaseloadScreen
from sessionnotes.tui.screens.client import ClientScreen
from sessionnotes.tui.tabs.measures import MeasuresTab, TrendChart, build_rows, chart_lines, iapt_panel
from sessionnotes.tui.themes import DEFAULT_THEME, load_themes
from sessionnotes.vault.repository import Repository

TODAY = fixed_clock().astimezone().date()


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HOME and the config folder inside tmp_path: paths in the snapshot and the (absent) WSAS
    wording file do not depend on the machine."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    return tmp_path


def _seed(path: Path, results: list[tuple[str, dt.date, list]], acknowledge: bool = True) -> str:
    cid = make_vault(path, clients=1)[0]
    with open_vault(path) as vault:
        repo = Repository(vault, clock=fixed_clock)
        for code, on, responses in results:
            mid = repo.add_measure(cid, MeasureResult(instrument=code, date=on, responses=tuple(responses)))
            if acknowledge and repo.list_measures(cid)[-1].score.risk:
                repo.acknowledge_risk(cid, mid, "asked directly; no plans")
    return cid


def _stored(path: Path, cid: str) -> list[MeasureResult]:
    with open_vault(path) as vault:
        return Repository(vault, clock=fixed_clock).list_measures(cid)


async def _open_measures_tab(pilot) -> MeasuresTab:
    """Unlock, open the (only) client and go to the Measures tab with the keyboard."""
    app = pilot.app
    await unlock(pilot)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="the client screen")
    await pilot.pause()
    await pilot.press("shift+tab")  # to the tab bar (Sessions is shown)
    await pilot.press("right", "right", "right")  # Stages, Formulation, Measures
    await wait_for(pilot, lambda: app.screen.query_one("#client-tabs").active == "measures", what="the Measures tab")
    await pilot.press("tab")  # into the results table
    await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "measures-table", what="the table")
    return app.screen.query_one(MeasuresTab)


async def _start_entry(pilot, number: str) -> None:
    app = pilot.app
    await pilot.press("n")
    await wait_for(pilot, lambda: isinstance(app.screen, MeasureEntry), what="the entry dialog")
    await pilot.press(number)  # the measure; the date (today) has the focus now
    assert app.screen.query_one("#entry-date").value == TODAY.isoformat()
    await pilot.press("enter")
    await wait_for(pilot, lambda: app.screen.step == "items", what="the first item")


# ------------------------------------------------------------------------------------------------
# The risk notice
# ------------------------------------------------------------------------------------------------


async def test_phq9_item9_raises_a_risk_notice_that_must_be_acknowledged(home: Path) -> None:
    path = home / "vault"
    cid = _seed(path, [])
    app = make_app(path)
    note = "Asked directly; no plans; safety plan reviewed"
    async with app.run_test(size=SIZE) as pilot:
        await _open_measures_tab(pilot)
        await _start_entry(pilot, "1")
        entry = app.screen
        assert entry.ins.code == "phq9"
        text = screen_text(app)
        assert "Little interest or pleasure in doing things" in text  # PHQ wording is licensed
        assert "Several days" in text and "Nearly every day" in text  # response labels visible
        await pilot.press("1", "1", "2", "1", "0", "1", "1", "0", "1")  # item 9 = 1 ("Several days")
        await wait_for(pilot, lambda: entry.step == "summary", what="the summary")
        text = screen_text(app)
        assert "Total 8 out of 27" in text and "RISK" in text
        await pilot.press("enter")  # save
        await wait_for(pilot, lambda: isinstance(app.screen, RiskNotice), what="the risk notice")
        notice = app.screen
        assert "item 9" in screen_text(app) and "Several days" in screen_text(app)

        # It is already saved, not yet acknowledged.
        stored = app.repo.list_measures(cid)
        assert len(stored) == 1 and "risk_acknowledged" not in stored[0].extra

        # Escape does not close it, and says why.
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is notice
        assert ESCAPE_REFUSED in str(notice.query_one("#risk-error").render())
        # Enter on an empty note does not acknowledge either.
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is notice

        await pilot.press(*note, "enter")  # the note; Enter reaches the button
        assert app.screen is notice and app.focused.id == "risk-ack"
        await pilot.press("enter")  # Acknowledge
        await wait_for(pilot, lambda: not isinstance(app.screen, RiskNotice), what="the notice to close")
        tab = app.screen.query_one(MeasuresTab)
        assert not any(r.risk_open for r in tab.rows)
        assert "acknowledged" in screen_text(app) and "RISK: open" not in screen_text(app)

        # The risk flag stays on the client until it is reviewed: the caseload shows it.
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen), what="the caseload")
        await wait_for(pilot, lambda: cid in app.risk_clients, what="the risk flag")
        await pilot.pause()
        assert "1 risk" in screen_text(app)

    (result,) = _stored(path, cid)
    assert result.instrument == "phq9" and result.date == TODAY
    assert result.responses == (1, 1, 2, 1, 0, 1, 1, 0, 1)
    assert result.score.risk and result.score.total == 8
    ack = result.extra["risk_acknowledged"]
    assert ack["note"] == note and ack["at"].startswith("2026-03-02")


async def test_unacknowledged_risk_is_marked_and_r_reopens_the_notice(home: Path) -> None:
    path = home / "vault"
    cid = _seed(path, [("core10", dt.date(2026, 2, 23), [2, 2, 2, 1, 1, 1, 2, 2, 2, 1])], acknowledge=False)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        tab = await _open_measures_tab(pilot)
        text = screen_text(app)
        assert "RISK: open" in text and "Press r to read and acknowledge it" in text
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, RiskNotice), what="the risk notice")
        assert "item 6" in screen_text(app)
        await pilot.press("escape")
        assert isinstance(app.screen, RiskNotice)
        await pilot.press("tab", "enter")  # no note: Tab to Acknowledge
        await wait_for(pilot, lambda: not isinstance(app.screen, RiskNotice), what="the notice to close")
        assert not any(r.risk_open for r in tab.rows)
    (result,) = _stored(path, cid)
    assert result.extra["risk_acknowledged"]["note"] == ""


# ------------------------------------------------------------------------------------------------
# Entering items
# ------------------------------------------------------------------------------------------------


async def test_gad7_with_one_unanswered_item_is_stored_as_none_never_zero(home: Path) -> None:
    path = home / "vault"
    cid = _seed(path, [])
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_measures_tab(pilot)
        await _start_entry(pilot, "2")
        entry = app.screen
        assert entry.ins.code == "gad7"
        await pilot.press("1", "1", "-", "1", "1", "1", "1")
        await wait_for(pilot, lambda: entry.step == "summary", what="the summary")
        assert "No total: incomplete" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, MeasureEntry), what="the entry to close")
        assert not isinstance(app.screen, RiskNotice)  # GAD-7 has no risk item
        await pilot.pause()
        assert "incomplete" in screen_text(app)
    (result,) = _stored(path, cid)
    assert result.responses == (1, 1, None, 1, 1, 1, 1)
    assert result.responses[2] is None and result.responses[2] != 0
    s = result.score
    assert s.total is None and s.incomplete and s.band is None and s.items_answered == 6


async def test_backspace_goes_back_and_na_only_where_allowed(home: Path) -> None:
    path = home / "vault"
    cid = _seed(path, [])
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_measures_tab(pilot)
        await _start_entry(pilot, "3")  # PHQ-15
        entry = app.screen
        await pilot.press("n")  # item 1 cannot be not applicable
        assert entry.pos == 0 and "cannot be marked not applicable" in screen_text(app)
        await pilot.press("7")  # out of range: 0-2
        assert entry.pos == 0 and "answers are 0 to 2" in screen_text(app)
        await pilot.press("2", "1", "1")  # items 1-3
        assert entry.pos == 3 and "WOMEN ONLY" in screen_text(app)
        await pilot.press("backspace")  # back to item 3 ...
        assert entry.pos == 2
        await pilot.press("2")  # ... which is changed to 2
        await pilot.press("n")  # item 4: not applicable
        await pilot.press(*"10101001122")  # items 5-15
        await wait_for(pilot, lambda: entry.step == "summary", what="the summary")
        assert "out of 28" in screen_text(app)
        await pilot.press("backspace")  # from the summary to item 15
        assert entry.step == "items" and entry.pos == 14
        await pilot.press("enter")  # keeps the answer, back to the summary
        assert entry.step == "summary"
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, MeasureEntry), what="the entry to close")
    (result,) = _stored(path, cid)
    assert result.responses == (2, 1, 2, NA, 1, 0, 1, 0, 1, 0, 0, 1, 1, 2, 2)
    assert result.score.total == 14 and result.score.maximum == 28


async def test_proration_is_optional_and_marked(home: Path) -> None:
    path = home / "vault"
    cid = _seed(path, [])
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_measures_tab(pilot)
        await _start_entry(pilot, "1")
        entry = app.screen
        await pilot.press("2", "2", "-", "2", "2", "2", "2", "2", "0")  # item 3 unanswered
        await wait_for(pilot, lambda: entry.step == "summary", what="the summary")
        assert "No total: incomplete" in screen_text(app) and "p prorates" in screen_text(app)
        await pilot.press("p")
        assert "(prorated)" in screen_text(app) and "PRORATED (optional setting)" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: not isinstance(app.screen, MeasureEntry), what="the entry to close")
        assert not isinstance(app.screen, RiskNotice)
        await pilot.pause()
        assert "prorated" in screen_text(app)
    (result,) = _stored(path, cid)
    assert result.prorate and result.responses[2] is None
    assert result.score.prorated and result.score.total == pytest.approx(15.75)


async def test_wsas_shows_domain_labels_unless_the_user_supplies_licensed_wording(home: Path) -> None:
    path = home / "vault"
    _seed(path, [])
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_measures_tab(pilot)
        await _start_entry(pilot, "4")
        text = screen_text(app)
        assert "1. Work" in text and "Domain labels only" in text and "Very severely" in text
        await pilot.press("escape")  # nothing typed yet: closes at once
        await wait_for(pilot, lambda: not isinstance(app.screen, MeasureEntry), what="the entry to close")

        wording = home / "config" / "sessionnotes" / "wsas_wording.toml"
        wording.parent.mkdir(parents=True)
        wording.write_text('items = ["My licensed work item", "Home item", "Social item", "Private item", "Close item"]\n')
        await _start_entry(pilot, "4")
        text = screen_text(app)
        assert "My licensed work item" in text and "Domain labels only" not in text


async def test_escape_with_answers_asks_before_discarding(home: Path) -> None:
    path = home / "vault"
    cid = _seed(path, [])
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_measures_tab(pilot)
        await _start_entry(pilot, "5")  # CORE-10
        entry = app.screen
        assert "© CORE System Trust" in screen_text(app)  # verbatim wording needs its line
        await pilot.press("1", "2")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question")
        await pilot.press("enter")  # the safe answer: keep entering
        await wait_for(pilot, lambda: app.screen is entry, what="the entry again")
        assert entry.pos == 2 and entry.answers[:2] == [1, 2]
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question")
        await pilot.press("tab", "enter")  # Discard
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="the client screen")
    assert _stored(path, cid) == []


async def test_a_wrong_or_future_date_is_explained(home: Path) -> None:
    path = home / "vault"
    _seed(path, [])
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_measures_tab(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, MeasureEntry), what="the entry dialog")
        await pilot.press("1", *"2026-13-01", "enter")
        assert app.screen.step == "start" and "is not a date" in screen_text(app)
        await pilot.press("ctrl+a", "ctrl+k", *"2027-01-01", "enter")
        assert app.screen.step == "start" and "is in the future" in screen_text(app)
        await pilot.press("ctrl+a", "ctrl+k", *"2026-02-20", "enter")
        assert app.screen.step == "items" and app.screen.on_date == dt.date(2026, 2, 20)


# ------------------------------------------------------------------------------------------------
# The chart
# ------------------------------------------------------------------------------------------------

PHQ9_COURSE = [
    (dt.date(2025, 11, 3), [2, 2, 2, 2, 2, 2, 2, 2, 0]),  # 16
    (dt.date(2025, 11, 17), [2, 2, 2, 2, 2, 2, 2, 1, 1]),  # 16, risk (acknowledged)
    (dt.date(2025, 12, 1), [1, 2, 1, 2, 1, 1, 1, 1, 0]),  # 10: reliable improvement, still a case
    (dt.date(2025, 12, 15), [1, 1, None, 1, 1, 1, 1, 1, 0]),  # incomplete: no bar, never 0
    (dt.date(2026, 1, 12), [1, 1, 1, 1, 1, 1, 1, 1, 0]),  # 8
    (dt.date(2026, 2, 9), [1, 1, 0, 1, 1, 0, 1, 0, 0]),  # 5
]
GAD7_COURSE = [
    (dt.date(2025, 11, 3), [2, 2, 2, 2, 1, 2, 1]),  # 12
    (dt.date(2025, 12, 1), [1, 1, 1, 2, 1, 1, 1]),  # 8
    (dt.date(2026, 2, 9), [1, 1, 0, 1, 1, 1, 0]),  # 5
]


def _course() -> list[tuple[str, dt.date, list]]:
    return (
        [("phq9", d, r) for d, r in PHQ9_COURSE]
        + [("gad7", d, r) for d, r in GAD7_COURSE]
        + [
            ("wsas", dt.date(2025, 11, 3), [NA, 4, 5, 3, 4]),
            ("phq15", dt.date(2025, 11, 3), [1, 1, 2, NA, 1, 0, 1, 0, 1, 0, 0, 1, 1, 2, 2]),
        ]
    )


class ChartHarness(App[None]):
    """Only the chart and the IAPT panel, in the app's theme: the snapshot does not change when other
    screens (footer keys, other tabs) do."""

    CSS = "Horizontal { height: 1fr; } #side { width: 44; padding: 0 1; }"

    def __init__(self, code: str) -> None:
        super().__init__()
        for theme in load_themes(None).themes:
            self.register_theme(theme)
        self.theme = DEFAULT_THEME
        self.rows = build_rows(_results())
        self.code = code

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(STAGE_VARIABLES)

    def compose(self) -> ComposeResult:
        with Horizontal():
            yield TrendChart(id="chart")
            yield Static(iapt_panel(iapt_change_from_results(_results()), self.rows), id="side")

    def on_mount(self) -> None:
        self.query_one(TrendChart).show(self.rows, INSTRUMENTS[self.code])


def test_chart_snapshot(snap_compare) -> None:
    assert snap_compare(ChartHarness("phq9"), terminal_size=(110, 24))


async def test_measures_tab_shows_changes_marks_iapt_and_the_overlap_note(home: Path) -> None:
    path = home / "vault"
    _seed(path, _course())
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        tab = await _open_measures_tab(pilot)
        text = screen_text(app)
        for expected in (
            "−6 reliable improvement",
            "−4 reliable improvement",
            "incomplete",
            "NA item 1",
            "NA item 4",
            "acknowledged",
            "Significant impairment",
            "IAPT-style change",
            "PHQ-9 and GAD-7 with",
            "cut-off 8",
        ):
            assert expected in text, expected
        iapt = str(app.screen.query_one("#measures-iapt").render())
        assert "Recovery: yes" in iapt and "Reliable improvement: yes (rule unconfirmed)" in iapt
        assert tab.chart_code == "gad7"  # the latest row (GAD-7 of 9 Feb)
        await pilot.press("c")  # next chart, in the order of the list
        assert tab.chart_code == "phq15"
        await pilot.press("up")  # the PHQ-9 of 9 Feb
        assert tab.chart_code == "phq9"
        await pilot.press("enter")  # its answers
        await wait_for(pilot, lambda: isinstance(app.screen, MeasureDetailDialog), what="the result")
        text = screen_text(app)
        assert "Little interest or pleasure" in text and "Change since 2026-01-12: −3 no reliable change" in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="the tab again")
        await pilot.press("i")  # rules and licences
        await wait_for(pilot, lambda: isinstance(app.screen, RulesDialog), what="the rules")
        rules = " ".join(str(line.render()) for line in app.screen.query(".rules-rule"))
        assert "[UNCONFIRMED]" in rules and "© CORE System Trust" in rules and "Reliable recovery" in rules
        assert "PHQ-9: Patient Health Questionnaire-9" in screen_text(app)  # the measure on the chart first


def _results() -> list[MeasureResult]:
    return [MeasureResult(instrument=code, date=on, responses=tuple(r), id=f"m{i}") for i, (code, on, r) in enumerate(_course())]


def test_chart_draws_no_bar_for_an_incomplete_result_and_an_exact_cut_off() -> None:
    rows = build_rows(_results())
    lines = [line.plain for line in chart_lines(rows, INSTRUMENTS["phq9"], width=80, height=24)]
    values = next(line for line in lines if "16!" in line)
    assert "–" in values  # the incomplete result is shown as "no total"
    cut = next(line for line in lines if "cut-off 10" in line and "┼" in line)
    column = values.index("–")  # its column has no block in any plot row, nor on the line
    plot = lines[1 : lines.index(cut) + 5]
    assert all(line[column - 2 : column + 3].strip(" ╌") == "" for line in plot if "┤" in line or "│" in line or "┼" in line)
    # 10 is at the cut-off: its bar crosses the dashed line; 8 (below) does not.
    ten, eight = values.index(" 10 ") + 2, values.index(" 8 ") + 1
    assert cut[ten] == "█" and cut[eight] == "╌"
    assert any("▼−6" in line for line in lines)  # 16 -> 10: reliable improvement marked
    assert any("First to latest: 16 → 5 (−11), reliable improvement" in line for line in lines)


def test_chart_keeps_the_latest_results_when_narrow() -> None:
    rows = build_rows(_results())
    lines = [line.plain for line in chart_lines(rows, INSTRUMENTS["phq9"], width=40, height=20)]
    assert "latest 2 of 6" in lines[0]
    assert all(len(line) <= 40 for line in lines[1:-2])
