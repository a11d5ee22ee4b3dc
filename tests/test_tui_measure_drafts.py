"""A measure entry open when the vault locks is kept as an encrypted draft and offered back after
unlocking: carry on at the first item not reached yet (earlier answers in place, unanswered items
still unanswered, never 0), or discard it. Saving removes the draft. The drafts list after unlocking
names measure drafts properly and never opens the wrong thing for a key it does not know."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_measures import TODAY, _open_measures_tab, _seed, _start_entry, _stored
from tui_support import SIZE, fixed_clock, make_app, open_vault, screen_text, unlock, wait_for

from sessionnotes.domain.measures import NA
from sessionnotes.tui.dialogs.base import ConfirmDialog
from sessionnotes.tui.dialogs.drafts import DraftsDialog, draft_kind
from sessionnotes.tui.dialogs.measure_entry import MeasureDraftOffer, MeasureEntry
from sessionnotes.tui.measure_drafts import MeasureDraft
from sessionnotes.tui.screens.caseload import CaseloadScreen
from sessionnotes.tui.screens.client import ClientScreen
from sessionnotes.tui.screens.session_editor import SessionEditorScreen
from sessionnotes.tui.screens.unlock import UnlockScreen
from sessionnotes.tui.tabs.measures import MeasuresTab
from sessionnotes.vault.repository import Repository


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HOME and the config folder inside tmp_path (no user WSAS wording file, no user themes)."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    return tmp_path


def _drafts(path: Path) -> list[dict]:
    with open_vault(path) as vault:
        return Repository(vault, clock=fixed_clock).drafts()


async def _lock(pilot) -> None:
    app = pilot.app
    await pilot.press("ctrl+l")
    await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen), what="the lock")
    assert app.repo is None


async def _offer_after_unlock(pilot) -> MeasureDraftOffer:
    app = pilot.app
    await unlock(pilot)
    await wait_for(pilot, lambda: isinstance(app.screen, MeasureDraftOffer), what="the offer of the kept entry")
    client = app.screen_stack[-2]
    assert isinstance(client, ClientScreen) and client.query_one("#client-tabs").active == "measures"
    return app.screen


async def _resume(pilot) -> MeasureEntry:
    app = pilot.app
    await pilot.press("enter")  # "Carry on" has the cursor
    await wait_for(pilot, lambda: isinstance(app.screen, MeasureEntry), what="the entry again")
    await wait_for(pilot, lambda: app.screen.step == "items", what="the items")
    return app.screen


async def test_phq9_kept_on_lock_is_finished_after_unlock(home: Path) -> None:
    path = home / "vault"
    cid = _seed(path, [])
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_measures_tab(pilot)
        await _start_entry(pilot, "1")
        entry = app.screen
        await pilot.press("1", "2", "0", "3")
        await wait_for(pilot, lambda: entry.pos == 4, what="item 5")
        await _lock(pilot)

        # Kept, encrypted in the vault index, with the raw answers so far.
        (kept,) = _drafts(path)
        assert kept["client"] == cid and kept["key"] == "measure:phq9"
        assert kept["draft"]["date"] == TODAY.isoformat()
        assert kept["draft"]["answers"] == [1, 2, 0, 3, None, None, None, None, None]
        assert kept["draft"]["decided"] == [True] * 4 + [False] * 5
        assert b"measure:phq9" not in b"".join(p.read_bytes() for p in path.rglob("*") if p.is_file())

        await _offer_after_unlock(pilot)
        text = screen_text(app)
        assert "PHQ-9" in text and "4 of 9 answered" in text and "Carry on at item 5" in text
        entry = await _resume(pilot)
        assert entry.pos == 4 and entry.answers[:4] == [1, 2, 0, 3] and entry.decided == [True] * 4 + [False] * 5
        text = screen_text(app)
        assert "item 5 of 9" in text and "Poor appetite or overeating" in text
        await pilot.press("1", "0", "2", "1", "0")
        await wait_for(pilot, lambda: entry.step == "summary", what="the summary")
        assert "Total 10 out of 27" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="back on the client")
        assert app.repo.drafts() == []  # saving removed the draft
        tab = app.screen.query_one(MeasuresTab)
        assert len(tab.rows) == 1 and "In progress" not in screen_text(app)
    (result,) = _stored(path, cid)
    assert result.instrument == "phq9" and result.date == TODAY
    assert result.responses == (1, 2, 0, 3, 1, 0, 2, 1, 0)
    assert _drafts(path) == []


async def test_an_unanswered_item_stays_unanswered_through_lock_and_unlock(home: Path) -> None:
    path = home / "vault"
    cid = _seed(path, [])
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_measures_tab(pilot)
        await _start_entry(pilot, "1")
        entry = app.screen
        await pilot.press("2", "-", "1")  # item 2 left unanswered on purpose
        await wait_for(pilot, lambda: entry.pos == 3, what="item 4")
        await _lock(pilot)
        (kept,) = _drafts(path)
        assert kept["draft"]["answers"][:3] == [2, None, 1] and kept["draft"]["decided"][:4] == [True, True, True, False]

        await _offer_after_unlock(pilot)
        assert "2 of 9 answered, 1 left unanswered" in screen_text(app)
        entry = await _resume(pilot)
        assert entry.pos == 3  # the first item not reached, not item 2
        assert entry.answers[1] is None and entry.decided[1] is True
        await pilot.press(*"000000")
        await wait_for(pilot, lambda: entry.step == "summary", what="the summary")
        assert "No total: incomplete" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="back on the client")
    (result,) = _stored(path, cid)
    assert result.responses == (2, None, 1, 0, 0, 0, 0, 0, 0)  # None, never 0
    assert result.score.total is None
    assert _drafts(path) == []


async def test_discarding_the_kept_entry_removes_it(home: Path) -> None:
    path = home / "vault"
    cid = _seed(path, [])
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_measures_tab(pilot)
        await _start_entry(pilot, "2")  # GAD-7
        entry = app.screen
        await pilot.press("3", "2")
        await wait_for(pilot, lambda: entry.pos == 2, what="item 3")
        await _lock(pilot)
        assert [d["key"] for d in _drafts(path)] == ["measure:gad7"]
        await _offer_after_unlock(pilot)
        await pilot.press("down", "enter")  # Discard these answers
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="the client screen")
        assert app.repo.drafts() == []
        assert "In progress" not in screen_text(app)
        await pilot.press("n")  # a fresh entry: nothing to carry on
        await wait_for(pilot, lambda: isinstance(app.screen, MeasureEntry), what="the entry dialog")
        assert "in progress" not in screen_text(app)
        await pilot.press("2", "enter")
        await wait_for(pilot, lambda: app.screen.step == "items", what="the first item")
        assert app.screen.pos == 0 and not any(app.screen.decided)
    assert _stored(path, cid) == []
    assert _drafts(path) == []


async def test_later_keeps_it_and_n_carries_on_escape_discards(home: Path) -> None:
    path = home / "vault"
    cid = _seed(path, [])
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_measures_tab(pilot)
        await _start_entry(pilot, "4")  # WSAS: item 1 may be not applicable
        entry = app.screen
        await pilot.press("n", "5")
        await wait_for(pilot, lambda: entry.pos == 2, what="item 3")
        await _lock(pilot)
        await _offer_after_unlock(pilot)
        await pilot.press("escape")  # decide later
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="the client screen")
        assert [d["key"] for d in app.repo.drafts()] == ["measure:wsas"]
        assert "In progress, kept when the vault locked: WSAS (2 of 5 answered)" in screen_text(app)

        app.screen.query_one("#measures-table").focus()
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, MeasureEntry), what="the entry dialog")
        assert "in progress: 2 of 5 answered" in screen_text(app)
        await pilot.press("4")  # choosing the WSAS carries on with it
        await wait_for(pilot, lambda: app.screen.step == "items", what="the items")
        entry = app.screen
        assert entry.pos == 2 and entry.answers[:2] == [NA, 5]
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question")
        assert "Discard the WSAS in progress?" in screen_text(app)
        await pilot.press("tab", "enter")  # Discard
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="the client screen")
        assert app.repo.drafts() == []
    assert _stored(path, cid) == []


async def test_a_changed_date_alone_is_kept(home: Path) -> None:
    path = home / "vault"
    _seed(path, [])
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_measures_tab(pilot)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, MeasureEntry), what="the entry dialog")
        await pilot.press("3", "ctrl+a", "ctrl+k", *"2026-02-27")  # PHQ-15, another date, not confirmed yet
        await _lock(pilot)
        (kept,) = _drafts(path)
        assert kept["key"] == "measure:phq15" and kept["draft"]["date"] == "2026-02-27"
        assert kept["draft"]["answers"] == [None] * 15
        await _offer_after_unlock(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MeasureEntry), what="the entry")
        entry = app.screen
        assert entry.step == "start" and entry.ins.code == "phq15"
        assert entry.query_one("#entry-date").value == "2026-02-27"
        await pilot.press("enter")
        await wait_for(pilot, lambda: entry.step == "items", what="the items")
        assert entry.on_date.isoformat() == "2026-02-27" and entry.pos == 0


async def test_nothing_is_kept_for_an_untouched_entry(home: Path) -> None:
    path = home / "vault"
    _seed(path, [])
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_measures_tab(pilot)
        await _start_entry(pilot, "1")
        await _lock(pilot)
        assert _drafts(path) == []
        await unlock(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="the client screen")
        await pilot.pause(0.2)
        assert not isinstance(app.screen, MeasureDraftOffer)


# ------------------------------------------------------------------------------------------------
# The drafts list after unlocking (no resume point: the app was closed or crashed)
# ------------------------------------------------------------------------------------------------


def _seed_drafts(path: Path) -> str:
    cid = _seed(path, [])
    with open_vault(path) as vault:
        repo = Repository(vault, clock=fixed_clock)
        repo.save_draft(
            cid,
            "measure:phq9",
            {
                "instrument": "phq9",
                "date": "2026-03-01",
                "answers": [1, 2, 0, 3] + [None] * 5,
                "decided": [True] * 4 + [False] * 5,
                "prorate": False,
            },
        )
        repo.save_draft(cid, "letter:0007", {"body": "from a newer version"})
        repo.save_draft(cid, "measure:bdi2", {"answers": [1]})
    return cid


def test_draft_kinds_and_descriptions() -> None:
    assert [
        draft_kind(k)
        for k in (
            "record",
            "new",
            "0a1b2c3d",
            "addendum:0a1b2c3d",
            "measure:gad7",
            "measure:bdi2",
            "letter:0007",
            "addendum:",
            "",
            None,
            7,
        )
    ] == ["record", "new", "session", "addendum", "measure", "unknown", "unknown", "unknown", "unknown", "unknown", "unknown"]
    dialog = DraftsDialog([], {"c1": "Juniper Testwell"})
    phq = {
        "client": "c1",
        "key": "measure:phq9",
        "saved": "2026-03-02T15:00:00+00:00",
        "draft": {
            "date": "2026-03-01",
            "answers": [1, 2, 0, 3, None, None, None, None, None],
            "decided": [True] * 4 + [False] * 5,
        },
    }
    assert dialog.describe(phq).startswith("Juniper Testwell: a PHQ-9 in progress (4 of 9 answered) of 2026-03-01")
    # Broken payloads never raise: bad values count as not reached, an unknown measure is unknown.
    broken = {**phq, "draft": {"answers": [1, "x", 7, True, None, None, None, None, None], "decided": "no"}}
    assert "a PHQ-9 in progress (1 of 9 answered)" in dialog.describe(broken)
    assert "a PHQ-9 in progress (0 of 9 answered)" in dialog.describe({**phq, "draft": "garbage"})
    assert "cannot reopen" in dialog.describe({**phq, "key": "measure:bdi2"})
    assert "cannot reopen" in dialog.describe({**phq, "key": "letter:0007"})
    assert "changes to the session" in dialog.describe({**phq, "key": "0a1b2c3d", "draft": {"date": "2026-01-05"}})
    # Not applicable only where the measure allows it (PHQ-15 item 4, not item 1).
    na = MeasureDraft.from_record(
        {
            "client": "c1",
            "key": "measure:phq15",
            "draft": {"answers": [NA, 1, 2, NA] + [None] * 11, "decided": [True] * 4 + [False] * 11},
        }
    )
    assert na is not None and na.answers[:4] == [None, 1, 2, NA] and na.decided[:4] == [False, True, True, True]
    assert na.first_open() == 0


async def test_drafts_list_reopens_a_measure_draft_at_the_first_open_item(home: Path) -> None:
    path = home / "vault"
    cid = _seed_drafts(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, DraftsDialog), what="the drafts list")
        text = screen_text(app)
        assert "Juniper Testwell: a PHQ-9 in progress (4 of 9 answered) of 2026-03-01" in text
        assert text.count("cannot reopen") == 2
        await pilot.press("enter")  # the PHQ-9 (first)
        await wait_for(pilot, lambda: isinstance(app.screen, MeasureEntry), what="the entry")
        entry = app.screen
        await wait_for(pilot, lambda: entry.step == "items", what="the items")
        assert entry.pos == 4 and entry.on_date.isoformat() == "2026-03-01"
        assert isinstance(app.screen_stack[-2], ClientScreen)
        await pilot.press(*"10210", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="back on the client")
        assert not any(isinstance(s, MeasureDraftOffer) for s in app.screen_stack)
        await wait_for(pilot, lambda: app.screen.query_one("#client-tabs").active == "measures", what="the Measures tab")
        assert len(app.screen.query_one(MeasuresTab).rows) == 1  # the tab shows what was saved
        assert sorted(d["key"] for d in app.repo.drafts()) == ["letter:0007", "measure:bdi2"]
    (result,) = _stored(path, cid)
    assert result.responses == (1, 2, 0, 3, 1, 0, 2, 1, 0)


async def test_drafts_list_does_not_open_anything_for_an_unknown_key(home: Path) -> None:
    path = home / "vault"
    _seed_drafts(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, DraftsDialog), what="the drafts list")
        await pilot.press("down", "enter")  # letter:0007
        await wait_for(pilot, lambda: not isinstance(app.screen, DraftsDialog), what="the list to close")
        await pilot.pause()
        assert isinstance(app.screen, CaseloadScreen)
        assert not any(isinstance(s, SessionEditorScreen | ClientScreen) for s in app.screen_stack)
        assert any("cannot reopen" in n.message for n in app._notifications)
        assert len(app.repo.drafts()) == 3  # kept
