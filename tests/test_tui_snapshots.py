"""Snapshots of the key screens (pytest-textual-snapshot). Deterministic: fixed terminal size, theme,
clock, fictional data, no cursor blink, no animations. Update with: pytest --snapshot-update."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tui_support import fixed_clock, make_app, make_vault, open_vault, unlock, wait_for

from sessionnotes.domain.models import Feeling
from sessionnotes.vault.repository import Repository

SIZES = [(80, 24), (120, 36)]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The vault path is shown as ~/vault whatever the temporary folder is called."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    return tmp_path


def _rich_vault(path: Path) -> str:
    ids = make_vault(path, clients=4)
    with open_vault(path) as vault:
        repo = Repository(vault, clock=fixed_clock)
        c = repo.get_client(ids[0])
        c.dob = dt.date(1979, 6, 14)
        c.gp_name, c.practice = "Dr Imaginary Jones", "Lindenfold Surgery"
        c.presenting_symptoms = "headaches, fatigue"
        c.referral_positioning = "GP suggested talking might help with coping"
        repo.update_client(c)
        (s,) = repo.list_sessions(ids[0])
        s.stage, s.substrategies, s.body_talk = "meeting", ["6.1", "6.2"], 2
        s.feelings, s.themes = [Feeling.WARM, Feeling.CURIOUS], ["loss", "being believed"]
        s.note = "# Session\n\nShe described the headaches in detail, then talked about her father's illness.\n"
        s.private_note = "I noticed wanting to rescue; take to supervision."
        s.plan = "Return to the anniversary"
        repo.update_session(ids[0], s)
    return ids[0]


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_unlock_screen(home: Path, snap_compare, size: tuple[int, int]) -> None:
    path = home / "vault"
    make_vault(path, clients=1)
    assert snap_compare(make_app(path), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_caseload_screen(home: Path, snap_compare, size: tuple[int, int]) -> None:
    path = home / "vault"
    _rich_vault(path)

    async def run_before(pilot) -> None:
        await unlock(pilot)
        await wait_for(pilot, lambda: len(pilot.app.flag_counts) == 4, what="the flag counts")
        await pilot.pause()

    assert snap_compare(make_app(path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_client_record_tab(home: Path, snap_compare, size: tuple[int, int]) -> None:
    path = home / "vault"
    _rich_vault(path)

    async def run_before(pilot) -> None:
        await unlock(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: pilot.app.screen.__class__.__name__ == "ClientScreen")
        pilot.app.screen.query_one("#client-tabs").active = "record"
        await pilot.pause()

    assert snap_compare(make_app(path), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=["80x24", "120x36"])
def test_session_editor(home: Path, snap_compare, size: tuple[int, int]) -> None:
    path = home / "vault"
    _rich_vault(path)

    async def run_before(pilot) -> None:
        await unlock(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: pilot.app.screen.__class__.__name__ == "ClientScreen")
        await pilot.press("enter")
        await wait_for(pilot, lambda: pilot.app.screen.__class__.__name__ == "SessionEditorScreen")
        await pilot.pause()

    assert snap_compare(make_app(path), terminal_size=size, run_before=run_before)
