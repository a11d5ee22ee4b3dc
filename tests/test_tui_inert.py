"""No stored text reaches the terminal as an escape sequence, in the app as in the CLI (one function)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from rich.cells import cell_len
from tui_support import SIZE, make_app, make_vault, open_vault, screen_text, unlock, wait_for

from sessionnotes.domain.models import Attendance, Client, Session
from sessionnotes.terminal import inert_keeping_width
from sessionnotes.tui.screens.caseload import CaseloadScreen
from sessionnotes.tui.screens.client import ClientScreen
from sessionnotes.tui.screens.search import SearchScreen
from sessionnotes.tui.screens.session_editor import SessionEditorScreen
from sessionnotes.vault.repository import Repository

TITLE = "\x1b]0;pwned\x07"  # retitles the terminal window
WIPE = "\x1b[2J\x1b[H"  # clears the screen, cursor home
EVIL_NAME = f"Quill{TITLE}{WIPE}Fictionby"
EVIL_NOTE = f"Fictional note with a title change {TITLE} and a wipe {WIPE} inside."


def test_inert_keeping_width_keeps_columns_and_returns_clean_text_itself():
    clean = "Juniper Testwell"
    assert inert_keeping_width(clean, cell_len) is clean
    dirty = "a\x1b[31mb\x07c"
    out = inert_keeping_width(dirty, cell_len)
    assert out == "a" + " " * cell_len("\x1b[31m") + "b" + "c"
    assert cell_len(out) == cell_len(dirty)
    assert "\x1b" not in inert_keeping_width("x\x1b]0;t\x1b\\y\u202ez\x9b2J", cell_len)


def _drawn(app) -> str:
    """Exactly what the app would write to the terminal for a full redraw of the current screen."""
    return app.screen._compositor.render_full_update().render_segments(app.console)


def _assert_inert(drawn: str) -> None:
    assert "\x07" not in drawn  # no bell, so no OSC can end
    assert "\x1b]" not in drawn  # no window title, hyperlink or other OSC string
    assert "\x1b[2J" not in drawn and "\x1b[H" not in drawn  # no wipe; no cursor home from the text
    assert "pwned" not in drawn  # the title text itself is not shown as if it were a name


async def test_names_and_notes_with_escape_sequences_are_drawn_inert(tmp_path: Path) -> None:
    path = tmp_path / "vault"
    make_vault(path, clients=2)
    with open_vault(path) as vault:
        repo = Repository(vault)
        cid = repo.add_client(Client(name=EVIL_NAME, pseudonym="Client Q"))
        repo.add_session(cid, Session(date=dt.date(2026, 1, 5), attendance=Attendance.ATTENDED, stage="meeting", note=EVIL_NOTE))
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        assert isinstance(app.screen, CaseloadScreen)
        drawn = _drawn(app)
        _assert_inert(drawn)
        assert "Quill" in drawn and "Juniper Testwell" in drawn
        # the caseload keeps its columns: the stage column starts at the same place on every row
        rows = [ln for ln in screen_text(app).splitlines() if "Meeting" in ln]
        assert len(rows) >= 2 and len({ln.index("Meeting") for ln in rows}) == 1, rows
        table = app.screen.query_one("#caseload")
        row = next(i for i in range(table.row_count) if "Quill" in str(table.get_row_at(i)[0]))
        table.move_cursor(row=row)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="the record")
        await pilot.pause()
        drawn = _drawn(app)
        _assert_inert(drawn)
        assert "Quill" in drawn
        # search results quote the note; the session editor shows it whole
        await wait_for(pilot, lambda: app.search_index is not None, what="the search index")
        await pilot.press("slash", *"title change")
        await wait_for(pilot, lambda: isinstance(app.screen, SearchScreen) and len(app.screen.hits) == 1, what="a hit")
        await pilot.pause()
        drawn = _drawn(app)
        _assert_inert(drawn)
        assert "Quill" in drawn
        await pilot.press("enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionEditorScreen), what="the session editor")
        await pilot.pause()
        drawn = _drawn(app)
        _assert_inert(drawn)
        assert "Fictional note with a title" in screen_text(app)
