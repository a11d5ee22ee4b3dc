"""Search from the TUI: `/` from anywhere, a query, Enter lands on the session with the match selected;
the caseload filter speaks the same query syntax; the index follows saves and is dropped on lock."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import TextArea
from tui_support import SIZE, make_app, make_vault, open_vault, unlock, wait_for

from sessionnotes.domain.models import Attendance, Session
from sessionnotes.tui.screens.caseload import CaseloadScreen
from sessionnotes.tui.screens.search import SearchScreen
from sessionnotes.tui.screens.session_editor import SessionEditorScreen
from sessionnotes.vault.repository import Repository


def _names(app) -> list[str]:
    table = app.screen.query_one("#caseload")
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_slash_query_enter_opens_the_session_with_the_match_selected(tmp_path: Path) -> None:
    path = tmp_path / "vault"
    ids = make_vault(path, clients=3)
    with open_vault(path) as vault:
        sid = Repository(vault).add_session(
            ids[1],
            Session(
                date=dt.date(2025, 11, 3),
                attendance=Attendance.ATTENDED,
                stage="meeting",
                note="A quiet start.\nShe first mentioned her mother's illness today, and cried.",
            ),
        )
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await wait_for(pilot, lambda: app.search_index is not None, what="the search index")
        await pilot.press("slash")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press(*'"mother\'s illness"')
        await wait_for(pilot, lambda: len(app.screen.hits) == 1, what="one hit")
        assert app.screen.hits[0].doc.ref == sid
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionEditorScreen), what="the session editor")
        assert app.screen.key == sid
        note = app.screen.query_one("#note", TextArea)
        await wait_for(pilot, lambda: note.selected_text == "mother's illness", what="the match selected")
        assert note.has_focus


async def test_index_follows_saves_and_is_dropped_on_lock(tmp_path: Path) -> None:
    path = tmp_path / "vault"
    ids = make_vault(path, clients=2)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await wait_for(pilot, lambda: app.search_index is not None, what="the search index")
        assert app.search_index.search("lighthouse") == []
        app.repo.add_session(
            ids[0],
            Session(
                date=dt.date(2025, 12, 1),
                attendance=Attendance.ATTENDED,
                stage="meeting",
                note="We talked about the lighthouse walk.",
            ),
        )
        assert [h.doc.client_id for h in app.search_index.search("lighthouse")] == [ids[0]]
        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: app.repo is None, what="the lock")
        assert app.search_index is None


async def test_caseload_filter_uses_the_search_syntax(tmp_path: Path) -> None:
    path = tmp_path / "vault"
    make_vault(path, clients=3)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        assert isinstance(app.screen, CaseloadScreen)
        assert _names(app) == ["Juniper Testwell", "Marigold Oakfable", "Rowan Makebelieve"]
        await pilot.press(*"stage:nudging-forward")
        assert _names(app) == ["Rowan Makebelieve"]
        await pilot.press("escape")
        await pilot.press(*"oak")
        assert _names(app) == ["Marigold Oakfable"]
        await pilot.press("escape")
        await pilot.press(*"stage:meeting")
        assert _names(app) == ["Marigold Oakfable"]
        await wait_for(pilot, lambda: len(app.flag_counts) == 3, what="flag counts")
