"""Escape in a dialog where the therapist has typed asks before throwing the words away."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_stages_formulation import make_client_vault, open_tab
from tui_support import SIZE, make_app, wait_for

from sessionnotes.tui.dialogs.base import ConfirmDialog
from sessionnotes.tui.dialogs.formulation import FormulationItemDialog
from sessionnotes.tui.screens.client import ClientScreen


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    return tmp_path


async def test_escape_after_typing_asks_and_keep_writing_keeps_the_words(home: Path) -> None:
    path = home / "vault"
    make_client_vault(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(pilot, "formulation")

        # untouched: Escape just closes
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, FormulationItemDialog), what="the item dialog")
        await pilot.pause()
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="the dialog to close")

        # typed: Escape asks; the safe answer (keep writing) has the focus
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, FormulationItemDialog), what="the item dialog")
        dialog = app.screen
        await pilot.pause()
        await pilot.press(*"Worry and checking may feed each other.")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question")
        await pilot.press("enter")  # Keep writing
        await wait_for(pilot, lambda: app.screen is dialog, what="back in the dialog")
        assert "Worry and checking may feed each other." in dialog.query_one("TextArea").text

        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the question again")
        await pilot.press("tab", "enter")  # Discard
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="the dialog to close")
        assert app.repo.list_formulation(app.screen.client_id) == []
