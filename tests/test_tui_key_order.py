"""Keys typed in a burst (no pause between them) reach the widget that had focus when each was read,
in order: a field-switching key in the middle of a burst moves the rest of the burst with it."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from tui_support import SIZE, make_app, make_vault, unlock, wait_for

from sessionnotes.tui.screens.client import ClientScreen
from sessionnotes.tui.screens.session_editor import SessionEditorScreen


@pytest.fixture
def app_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    make_vault(tmp_path / "vault", clients=1)
    return tmp_path / "vault"


def burst(app, keys: str | list[str]) -> None:
    """Post every key to the app at once, as a terminal does for a fast typist or a paste."""
    for key in keys:
        character = key if len(key) == 1 else None
        app.post_message(events.Key(key, character))


async def _new_session(pilot) -> SessionEditorScreen:
    await unlock(pilot)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ClientScreen), what="the client screen")
    await pilot.press("ctrl+n")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SessionEditorScreen), what="the editor")
    await pilot.pause()
    return pilot.app.screen


async def test_a_burst_with_f4_splits_between_note_and_private_note(app_path: Path) -> None:
    app = make_app(app_path)
    async with app.run_test(size=SIZE) as pilot:
        editor = await _new_session(pilot)
        burst(app, ["a", "b", "c", "f4", "x", "y", "z", "f3", "d"])
        await wait_for(pilot, lambda: editor.query_one("#note").text == "abcd", what="abcd in the note")
        assert editor.query_one("#private_note").text == "xyz"


async def test_a_paste_then_f4_then_typing(app_path: Path) -> None:
    app = make_app(app_path)
    async with app.run_test(size=SIZE) as pilot:
        editor = await _new_session(pilot)
        app.post_message(events.Paste("pasted words "))
        burst(app, ["f4", "p", "r", "i", "v"])
        app.post_message(events.Paste(" and a private paste"))
        await wait_for(
            pilot, lambda: editor.query_one("#private_note").text == "priv and a private paste", what="the private note"
        )
        assert editor.query_one("#note").text == "pasted words "


async def test_caseload_burst_from_the_list_filters_with_every_letter(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    make_vault(tmp_path / "vault", clients=4)
    app = make_app(tmp_path / "vault")
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        table = app.screen.query_one("#caseload")
        assert app.focused is table
        burst(app, list("wren"))  # "n" is text, not New client; the whole burst reaches the filter
        await wait_for(pilot, lambda: app.screen.query_one("#filter").value == "wren", what="wren in the filter")
        await pilot.pause()
        assert table.row_count == 1 and "Wren" in str(table.get_row_at(0)[0])
        burst(app, ["escape", "m", "a", "r"])  # Escape clears; the next keys are not lost
        await wait_for(pilot, lambda: app.screen.query_one("#filter").value == "mar", what="mar in the filter")
        burst(app, ["escape", "2"])  # a digit filters too (here: nothing matches), it does not sort
        await wait_for(pilot, lambda: app.screen.query_one("#filter").value == "2", what="2 in the filter")
        await pilot.pause()
        assert table.row_count == 0


async def test_escape_then_b_on_the_caseload_clears_the_filter_and_types_b(tmp_path: Path, monkeypatch) -> None:
    """Escape then "b" typed quickly reach the app as alt+b (one terminal sequence, ESC "b"): on the
    caseload that is both keys, the filter cleared and "b" typed, as for every other letter."""
    monkeypatch.setenv("HOME", str(tmp_path))
    make_vault(tmp_path / "vault", clients=4)
    app = make_app(tmp_path / "vault")
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        burst(app, list("wren"))
        await wait_for(pilot, lambda: app.screen.query_one("#filter").value == "wren", what="wren in the filter")
        burst(app, ["alt+b", "r", "alt+f", "o"])
        await wait_for(pilot, lambda: app.screen.query_one("#filter").value == "fo", what="fo in the filter")


async def test_option_b_and_f_move_by_word_in_the_note(app_path: Path) -> None:
    """In an editor alt+b / alt+f keep the word moves they stand for (option+arrows in iTerm)."""
    app = make_app(app_path)
    async with app.run_test(size=SIZE) as pilot:
        editor = await _new_session(pilot)
        burst(app, [*"one two", "alt+b", "X", "alt+f", "Y"])
        await wait_for(pilot, lambda: editor.query_one("#note").text == "one XtwoY", what="one XtwoY in the note")
