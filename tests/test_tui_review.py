"""Pilot tests (keys only) for the review step before a supervision summary is written from the TUI.

After scrubbing, words that may be names nobody declared are listed with their context; a word
marked "keep out" is added to the client's record and is gone from the written file; a word left
unmarked is confirmed as not a name; cancelling writes nothing.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_support import SIZE, fixed_clock, make_app, make_vault, open_vault, screen_text, unlock, wait_for

from sessionnotes import services
from sessionnotes.tui.dialogs.export import ExportDialog
from sessionnotes.tui.dialogs.review import ReviewDialog
from sessionnotes.tui.screens.client import ClientScreen
from sessionnotes.vault.repository import Repository

NEIGHBOUR = "Zebulon Quockerwodger"  # undeclared: listed as one name, then kept out when marked
CHAPEL = "Thistlegrove"  # undeclared too: left unmarked, so confirmed as not a name


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    (tmp_path / "Documents").mkdir()
    return tmp_path


def _vault(path: Path) -> str:
    """One fictional client whose shared formulation item names a neighbour nobody declared."""
    (cid,) = make_vault(path, clients=1)
    with open_vault(path) as vault:
        repo = Repository(vault, clock=fixed_clock)
        text = f"Her neighbour {NEIGHBOUR} shops for her; she misses the {CHAPEL} choir. zebulon rang."
        services.add_formulation_item(repo, cid, services.new_version(repo, text, "L1", status="shared", lens="relational"))
    return cid


def _client(path: Path, cid: str):
    with open_vault(path) as vault:
        return Repository(vault).get_client(cid)


async def _review(pilot, out: str) -> ReviewDialog:
    """From the caseload: open the client, go to the Letters tab, export the summary to ``out``."""
    app = pilot.app
    await unlock(pilot)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="the client screen")
    await pilot.press("alt+7")
    await wait_for(pilot, lambda: app.screen.query_one("#client-tabs").active == "letters", what="the Letters tab")
    await pilot.press("s")
    await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog), what="the export dialog")
    await pilot.press("ctrl+u", *out, "enter")
    await wait_for(pilot, lambda: isinstance(app.screen, ReviewDialog), timeout=30, what="the review dialog")
    await pilot.pause()
    return app.screen


async def _mark(pilot, dialog: ReviewDialog, word: str) -> None:
    target = next(i for i, item in enumerate(dialog.items) if item.word == word)
    listing = dialog.query_one("#review-list")
    while listing.highlighted != target:
        await pilot.press("down" if (listing.highlighted or 0) < target else "up")
    await pilot.press("space")


@pytest.mark.parametrize("size", [SIZE, (80, 24)])
async def test_an_undeclared_name_is_listed_and_marking_it_keeps_it_out(home: Path, size: tuple[int, int]) -> None:
    path = home / "vault"
    cid = _vault(path)
    out = home / "Documents" / "sup.md"
    app = make_app(path)
    async with app.run_test(size=size) as pilot:
        dialog = await _review(pilot, "~/Documents/sup.md")
        words = [item.word for item in dialog.items]
        assert NEIGHBOUR in words and CHAPEL in words
        text = screen_text(app)
        assert NEIGHBOUR in text and "Her neighbour" in text  # the name, with its context
        assert "Confirm and write" in text and "Escape: cancel" in text  # the keys fit on the screen
        assert not out.exists()  # nothing is written while the review is open

        await _mark(pilot, dialog, NEIGHBOUR)
        await wait_for(pilot, lambda: "1 marked" in screen_text(app), what="the mark")
        assert "[k] keep out" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), timeout=30, what="the export to finish")
        await pilot.press("ctrl+q")

    written = out.read_text(encoding="utf-8")
    # every part of the name is gone, the first name in lower case too
    assert "quockerwodger" not in written.lower() and "zebulon" not in written.lower()
    assert "neighbour [name withheld]" in written
    assert CHAPEL in written  # confirmed by the therapist as not a name
    assert NEIGHBOUR in _client(path, cid).keep_out


async def test_cancelling_the_review_writes_nothing_and_changes_nothing(home: Path) -> None:
    path = home / "vault"
    cid = _vault(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await _review(pilot, "~/Documents/sup.md")
        await _mark(pilot, dialog, NEIGHBOUR)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog), what="back to the export dialog")
        await wait_for(pilot, lambda: "Nothing was written" in screen_text(app), what="the reason")
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="the client screen")
        await pilot.press("ctrl+q")
    assert list((home / "Documents").iterdir()) == []
    assert _client(path, cid).keep_out == []
    with open_vault(path) as vault:
        assert not [e for e in Repository(vault).audit_trail(cid) if e.action == "exported"]


async def test_confirming_without_marks_writes_the_file_once_reviewed(home: Path) -> None:
    path = home / "vault"
    cid = _vault(path)
    out = home / "Documents" / "sup.html"
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await _review(pilot, "~/Documents/sup.html")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), timeout=30, what="the export to finish")
        await pilot.press("ctrl+q")
    assert NEIGHBOUR in out.read_text(encoding="utf-8")  # the therapist said it is not a name
    assert _client(path, cid).keep_out == []
