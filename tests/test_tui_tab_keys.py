"""Going straight to a client's tab from the keyboard: alt+1..7 (or the option-key characters many
terminals report for them), ctrl+pagedown / ctrl+pageup, and the help screen listing the tabs' keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Tabs
from tui_support import SIZE, make_app, make_vault, screen_text, unlock, wait_for

from sessionnotes.tui.dialogs.help import HelpScreen
from sessionnotes.tui.screens.client import ClientScreen


@pytest.fixture
def app_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    make_vault(tmp_path / "vault", clients=1)
    return tmp_path / "vault"


async def _open_client(pilot) -> None:
    await unlock(pilot)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ClientScreen), what="the client screen")
    await pilot.pause()


def _active(app) -> str:
    return app.screen.query_one("#client-tabs").active


async def test_alt_digits_go_to_a_tab_and_put_the_keyboard_in_it(app_path: Path) -> None:
    app = make_app(app_path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_client(pilot)
        await pilot.press("alt+5")
        await wait_for(pilot, lambda: _active(app) == "measures", what="the Measures tab")
        await wait_for(pilot, lambda: app.focused is not None and app.focused.id == "measures-table", what="focus")
        await pilot.press("section_sign")  # what many terminals report for alt+6
        await wait_for(pilot, lambda: _active(app) == "flags", what="the Flags tab")
        await pilot.press("alt+1")
        await wait_for(pilot, lambda: _active(app) == "record", what="the Record tab")
        # The record opens with the keyboard on the tab bar, not in a field: a stray key types nothing
        await wait_for(pilot, lambda: isinstance(app.focused, Tabs), what="the tab bar")
        name = app.screen.query_one("#f-name").value
        await pilot.press("x")
        await pilot.pause()
        assert app.screen.query_one("#f-name").value == name


async def test_tab_keys_inside_a_record_field_switch_tab_and_type_nothing(app_path: Path) -> None:
    app = make_app(app_path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_client(pilot)
        await pilot.press("alt+1")
        await wait_for(pilot, lambda: _active(app) == "record", what="the Record tab")
        name = app.screen.query_one("#f-name").value
        for key, pane in (("alt+3", "stages"), ("alt+1", "record"), ("pound_sign", "stages"), ("alt+1", "record")):
            if pane == "stages":
                app.screen.set_focus(app.screen.query_one("#f-name"))
                await pilot.pause()
            await pilot.press(key)
            await wait_for(pilot, lambda p=pane: _active(app) == p, what=f"the {pane} tab after {key}")
        assert app.screen.query_one("#f-name").value == name  # neither "3" nor "£" was typed
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, ClientScreen), what="the caseload")


async def test_ctrl_pagedown_and_pageup_step_through_the_tabs_and_wrap(app_path: Path) -> None:
    app = make_app(app_path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_client(pilot)
        assert _active(app) == "sessions"
        await pilot.press("ctrl+pagedown")
        await wait_for(pilot, lambda: _active(app) == "stages", what="the Stages tab")
        await pilot.press("ctrl+pageup", "ctrl+pageup")
        await wait_for(pilot, lambda: _active(app) == "record", what="the Record tab")
        await pilot.press("ctrl+pageup")
        await wait_for(pilot, lambda: _active(app) == "letters", what="wrapped round to Letters")


async def test_help_lists_the_tab_keys_and_each_tabs_own_keys(app_path: Path) -> None:
    app = make_app(app_path)
    async with app.run_test(size=(100, 200)) as pilot:
        await _open_client(pilot)
        await pilot.press("f1")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen), what="help")
        await pilot.pause()
        text = screen_text(app)
        assert "alt+1…7" in text and "Client, Measures tab" in text and "Client, Letters tab" in text


@pytest.mark.parametrize("keys", [["pound_sign", "inverted_exclamation_mark"], ["alt+3", "alt+1"], ["alt+2", "alt+4"]])
async def test_tab_keys_in_one_burst_end_on_the_last_tab_typed(app_path: Path, keys: list[str]) -> None:
    """Two tab keys typed at once (as a terminal delivers a fast typist's or tmux's keys): the first
    tab's own news (its pane took the keyboard) must not arrive after the second and switch back."""
    from textual import events

    app = make_app(app_path)
    async with app.run_test(size=SIZE) as pilot:
        await _open_client(pilot)
        await pilot.press("alt+1")
        await wait_for(pilot, lambda: _active(app) == "record", what="the Record tab")
        app.screen.set_focus(app.screen.query_one("#f-name"))
        await pilot.pause()
        for key in keys:
            app.post_message(events.Key(key, None))
        last = {"inverted_exclamation_mark": "record", "alt+1": "record", "alt+4": "formulation"}[keys[-1]]
        await wait_for(pilot, lambda: _active(app) == last, what=f"the {last} tab")
        await pilot.pause(0.3)
        assert _active(app) == last
        assert app.screen.query_one("#client-tabs").query_one(f"#{last}").display
