"""Snapshots at 80x24 and 120x36 of every main screen and dialog not covered by test_tui_snapshots.py:
each clinical tab of a client, search, help, the audit view, the export dialog, the theme picker and the
dialogs that add things (new client, formulation item, measure entry) and the letter editor at both sizes.

Deterministic: fictional data only (one client with twelve sessions, a GP contact, two formulation
items, two PHQ-9 results and a letter draft), a fixed clock (2026-03-02), numbered record ids, fixed theme
and terminal sizes, no cursor blink, no animations. Update with: pytest --snapshot-update tests/test_tui_snapshot_screens.py
and read the new text of each snapshot before committing it.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import types
from pathlib import Path

import pytest
from test_tui_stages_formulation import make_client_vault
from tui_support import fixed_clock, make_app, open_vault, screen_text, unlock, wait_for

from sessionnotes import services
from sessionnotes.domain.formulation import ItemVersion
from sessionnotes.domain.measures import MeasureResult
from sessionnotes.tui.screens.client import TAB_ORDER, ClientScreen
from sessionnotes.vault.repository import Repository

SIZES = [(80, 24), (120, 36)]
IDS = ["80x24", "120x36"]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Paths show as ~/... whatever the temporary folder is called; exports default to ~/Documents."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    (tmp_path / "Documents").mkdir()
    counter = itertools.count(1)  # record ids (shown in the audit view) the same on every run
    monkeypatch.setattr(
        "sessionnotes.vault.repository.secrets", types.SimpleNamespace(token_hex=lambda n: f"{next(counter):0{2 * n}x}")
    )
    return tmp_path


def _vault(path: Path) -> str:
    """The twelve-session fictional client of the Stages tests, with formulation, measures and a letter."""
    cid = make_client_vault(path)
    with open_vault(path) as vault:
        repo = Repository(vault, clock=fixed_clock)
        item = services.add_formulation_item(
            repo,
            cid,
            ItemVersion(
                at=repo.clock(),
                text="The pain is exhausting and has taken the allotment away.",
                layer="L1",
                five_p="perpetuating",
                cycle="body",
            ),
        )
        services.change_formulation_item(repo, cid, item.id, status="shared", channel="spoken", response="resonated")
        services.add_formulation_item(
            repo,
            cid,
            ItemVersion(
                at=repo.clock(),
                text="Worry that asking for help means being a burden.",
                layer="L3",
                five_p="predisposing",
                cycle="thought",
            ),
        )
        phq9 = ((dt.date(2025, 11, 3), [2, 2, 1, 2, 1, 1, 2, 1, 0]), (dt.date(2026, 1, 26), [1, 1, 1, 1, 0, 1, 1, 0, 0]))
        for on, answers in phq9:
            repo.add_measure(cid, MeasureResult(instrument="phq9", date=on, responses=tuple(answers)))
        services.draft_letter(repo, cid, signed_by="Dr A. Example, Counselling Psychologist")
    return cid


async def _open_client(pilot) -> None:
    await unlock(pilot)
    await wait_for(pilot, lambda: len(pilot.app.flag_counts) == 1, what="the flag counts")
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, ClientScreen), what="the client screen")
    await pilot.pause()


async def _open_tab(pilot, pane: str) -> None:
    """Open the client, then the tab with its alt+digit key (which puts the focus in the tab's content)."""
    await _open_client(pilot)
    n = [p for p, _ in TAB_ORDER].index(pane) + 1
    await pilot.press(f"alt+{n}")
    tabs = pilot.app.screen.query_one("#client-tabs")
    await wait_for(pilot, lambda: tabs.active == pane, what=f"the {pane} tab")
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=IDS)
@pytest.mark.parametrize("pane", ["sessions", "stages", "formulation", "measures", "flags", "letters"])
def test_client_tab(home: Path, snap_compare, pane: str, size: tuple[int, int]) -> None:
    path = home / "vault"
    _vault(path)

    async def run_before(pilot) -> None:
        await _open_tab(pilot, pane)
        await pilot.pause()

    assert snap_compare(make_app(path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_search_screen(home: Path, snap_compare, size: tuple[int, int]) -> None:
    path = home / "vault"
    _vault(path)

    async def run_before(pilot) -> None:
        await unlock(pilot)
        await pilot.press("/")
        await wait_for(pilot, lambda: pilot.app.screen.__class__.__name__ == "SearchScreen", what="search")
        await pilot.press(*"allotment")
        # the help text above the results says "match" too: wait for the count, which comes once the
        # index (built in the background after unlock) is ready
        await wait_for(pilot, lambda: re.search(r"^\s*\d+ match", screen_text(pilot.app), re.M), what="the results")
        await pilot.pause()

    assert snap_compare(make_app(path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_help_screen(home: Path, snap_compare, size: tuple[int, int]) -> None:
    path = home / "vault"
    _vault(path)

    async def run_before(pilot) -> None:
        await _open_client(pilot)
        await pilot.press("f1")
        await wait_for(pilot, lambda: pilot.app.screen.__class__.__name__ == "HelpScreen", what="help")
        await pilot.pause()

    assert snap_compare(make_app(path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_audit_view(home: Path, snap_compare, size: tuple[int, int]) -> None:
    path = home / "vault"
    _vault(path)

    async def run_before(pilot) -> None:
        await _open_client(pilot)
        await pilot.press("f12")
        await wait_for(pilot, lambda: "Audit" in screen_text(pilot.app), what="the audit view")
        await pilot.pause()

    assert snap_compare(make_app(path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_export_dialog(home: Path, snap_compare, size: tuple[int, int]) -> None:
    path = home / "vault"
    _vault(path)

    async def run_before(pilot) -> None:
        await _open_tab(pilot, "letters")
        await pilot.press("s")  # the supervision summary: pseudonymised, to a file
        await wait_for(pilot, lambda: pilot.app.screen.__class__.__name__ == "ExportDialog", what="the export dialog")
        await pilot.pause()

    assert snap_compare(make_app(path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_theme_picker(home: Path, snap_compare, size: tuple[int, int]) -> None:
    path = home / "vault"
    _vault(path)

    async def run_before(pilot) -> None:
        await unlock(pilot)
        await wait_for(pilot, lambda: len(pilot.app.flag_counts) == 1, what="the flag counts")
        await pilot.press("f6")
        await wait_for(pilot, lambda: "Search for themes" in screen_text(pilot.app), what="the themes")
        await pilot.pause()

    assert snap_compare(make_app(path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_new_client_dialog(home: Path, snap_compare, size: tuple[int, int]) -> None:
    path = home / "vault"
    _vault(path)

    async def run_before(pilot) -> None:
        await unlock(pilot)
        await wait_for(pilot, lambda: len(pilot.app.flag_counts) == 1, what="the flag counts")
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: pilot.app.screen.__class__.__name__ == "NewClientDialog", what="the dialog")
        await pilot.pause()

    assert snap_compare(make_app(path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_formulation_item_dialog(home: Path, snap_compare, size: tuple[int, int]) -> None:
    path = home / "vault"
    _vault(path)

    async def run_before(pilot) -> None:
        await _open_tab(pilot, "formulation")
        await pilot.press("a")
        await wait_for(pilot, lambda: pilot.app.screen.__class__.__name__ == "FormulationItemDialog", what="the dialog")
        await pilot.pause()

    assert snap_compare(make_app(path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_measure_entry(home: Path, snap_compare, size: tuple[int, int]) -> None:
    path = home / "vault"
    _vault(path)

    async def run_before(pilot) -> None:
        await _open_tab(pilot, "measures")
        await pilot.press("n")
        await wait_for(pilot, lambda: pilot.app.screen.__class__.__name__ == "MeasureEntry", what="the measure entry")
        await pilot.pause()

    assert snap_compare(make_app(path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=IDS)
def test_letter_editor(home: Path, snap_compare, size: tuple[int, int]) -> None:
    path = home / "vault"
    _vault(path)

    async def run_before(pilot) -> None:
        await _open_tab(pilot, "letters")
        await pilot.press("enter")  # the draft
        await wait_for(pilot, lambda: pilot.app.screen.__class__.__name__ == "LetterEditorScreen", what="the editor")
        await wait_for(pilot, lambda: pilot.app.screen.letter is not None, what="the letter")
        await pilot.pause()

    assert snap_compare(make_app(path), terminal_size=size, run_before=run_before)
