"""Analysis forgets on lock: the flags and text memos and the text facts the app fills while the
vault is open (the background flag count after unlock, the Flags tab) are emptied when the vault
locks, and the next unlock starts from an empty cache."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_support import SIZE, make_app, make_vault, unlock, wait_for

from sessionnotes.tui.screens.client import ClientScreen
from sessionnotes.tui.screens.unlock import UnlockScreen


@pytest.fixture
def app_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    make_vault(tmp_path / "vault", clients=3)
    return tmp_path / "vault"


def _remembered(cache) -> int:
    return sum(len(memo) for memo in cache.memos()) + len(cache.facts)


async def test_locking_empties_every_analysis_memo(app_path: Path) -> None:
    app = make_app(app_path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        # the background pass counts every client's flags through the vault's cache
        await wait_for(pilot, lambda: len(app.flag_counts) == 3, what="the background flag count")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="the client screen")
        await pilot.press("alt+6")
        await wait_for(pilot, lambda: app.screen.query_one("#client-tabs").active == "flags", what="the Flags tab")
        cache = app.analysis_cache
        assert len(cache.flags) == 3 and len(cache.text) > 0, "flags and note texts are remembered while unlocked"
        assert len(cache.facts) > 0 and cache.facts.bound_to is not None, "and what the flags read from each text"

        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen), what="the lock")
        assert _remembered(cache) == 0, "the cache used while unlocked is emptied"
        assert cache.facts.bound_to is None, "the text facts are no longer tied to the vault"
        assert app.analysis_cache is not cache and _remembered(app.analysis_cache) == 0

        await unlock(pilot)
        await wait_for(pilot, lambda: len(app.flag_counts) == 3, what="the flag count after unlocking again")
        assert len(app.analysis_cache.flags) == 3
        assert _remembered(cache) == 0, "nothing is added to the old cache after the lock"
