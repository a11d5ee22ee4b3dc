"""The new-letter dialog asks for the name a letter is signed with, once, and the editor lists the
gaps left in a draft (an unsigned letter) without holding the export back."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_flags_letters import _to_tab, _vault
from tui_support import SIZE, make_app, open_vault, screen_text, unlock, wait_for

from sessionnotes.tui.dialogs.letter import NewLetterDialog
from sessionnotes.tui.screens.letter_editor import LetterEditorScreen
from sessionnotes.vault.repository import Repository

NAME = "Dr A. Example, Counselling Psychologist"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    return tmp_path


async def test_unsigned_draft_is_pointed_out_and_the_name_is_kept(home: Path) -> None:
    path = home / "vault"
    cid, _ = _vault(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await _to_tab(pilot, "letters")
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, NewLetterDialog), what="the new-letter dialog")
        await pilot.press("enter")  # no name yet: drafted unsigned
        await wait_for(
            pilot, lambda: isinstance(app.screen, LetterEditorScreen) and app.screen.letter is not None, what="the letter editor"
        )
        await wait_for(pilot, lambda: "not signed" in screen_text(app), what="the gap listed")
        assert "(therapist)" in app.screen.body.text
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, LetterEditorScreen), what="the letters tab")

        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, NewLetterDialog), what="the new-letter dialog")
        await pilot.press("tab", *NAME, "enter")  # the name box, then Enter drafts
        await wait_for(
            pilot, lambda: isinstance(app.screen, LetterEditorScreen) and app.screen.letter is not None, what="the second letter"
        )
        assert NAME in app.screen.body.text and "(therapist)" not in app.screen.body.text
        await pilot.pause()
        assert "not signed" not in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: not isinstance(app.screen, LetterEditorScreen), what="the letters tab")

        await pilot.press("n")  # the name is offered again
        await wait_for(pilot, lambda: isinstance(app.screen, NewLetterDialog), what="the dialog again")
        assert app.screen.query_one("#new-letter-signed").value == NAME
        await pilot.press("escape")

    with open_vault(path) as vault:
        assert Repository(vault).settings()["therapist_name"] == NAME
