"""The letter editor records steps through the same workflow as the CLI: a private sentence,
lightly edited, holds a step back, and nothing changes."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_flags_letters import _to_tab, _vault
from tui_support import SIZE, make_app, unlock, wait_for

from sessionnotes.tui.dialogs.letter import LetterStepDialog, NewLetterDialog
from sessionnotes.tui.screens.letter_editor import LetterEditorScreen

pytestmark = pytest.mark.usefixtures("home")


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    (tmp_path / "Documents").mkdir()
    return tmp_path


async def test_a_step_is_refused_while_private_text_is_in_the_letter(home: Path) -> None:
    path = home / "vault"
    _vault(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await _to_tab(pilot, "letters")
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, NewLetterDialog), what="the new-letter dialog")
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: isinstance(app.screen, LetterEditorScreen) and app.screen.letter is not None, what="the editor"
        )
        editor = app.screen
        # the private note says "I felt hurried. PRIVATE-MARKER-ZQX": a longer private sentence, edited
        editor.body.insert("\nToday i felt very hurried, private marker zqx.\n")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: any("Saved, but" in n.message for n in app._notifications), what="the save warning")
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, LetterStepDialog), what="the shown dialog")
        await pilot.press("enter", "enter", "enter")
        await wait_for(
            pilot,
            lambda: app.screen is editor and any("not marked shown" in n.message for n in app._notifications),
            what="the refusal",
        )
        assert editor.letter.status == "draft"
        assert editor.repo.get_letter(editor.client_id, editor.letter.id).status == "draft"


async def test_keeping_a_high_severity_wording_needs_a_reason(home: Path) -> None:
    from sessionnotes.tui.dialogs.letter import KeepWordingDialog

    path = home / "vault"
    _vault(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await _to_tab(pilot, "letters")
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, NewLetterDialog), what="the new-letter dialog")
        await pilot.press("enter")
        await wait_for(
            pilot, lambda: isinstance(app.screen, LetterEditorScreen) and app.screen.letter is not None, what="the editor"
        )
        editor = app.screen
        editor.body.insert("\nHer headaches are all in her mind.\n")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: any(f.severity == "high" for f in editor.findings), what="a high finding")
        await pilot.press("f4")
        await pilot.pause()
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.screen, KeepWordingDialog), what="the keep dialog")
        await pilot.press("enter")  # no reason given: the dialog stays and nothing is kept
        await pilot.pause()
        assert isinstance(app.screen, KeepWordingDialog)
        assert not editor.repo.get_letter(editor.client_id, editor.letter.id).acknowledgements
        await pilot.press(*"her own words, agreed", "enter")
        await wait_for(pilot, lambda: app.screen is editor, what="the editor again")
        kept = editor.repo.get_letter(editor.client_id, editor.letter.id).acknowledgements
        assert [a.note for a in kept] == ["her own words, agreed"]
