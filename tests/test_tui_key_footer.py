"""The key bar: most important keys first, the least important dropped (not cut off) when the terminal
narrows, and back when it widens. Fictional data, fixed clock (tests/tui_support.py)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets._footer import FooterKey
from tui_support import make_app, make_vault, unlock, wait_for

from sessionnotes.tui.widgets.key_footer import KeyFooter


def _keys(app) -> list[str]:
    footer = app.screen.query_one(KeyFooter)
    return [k.description for k in footer.query(FooterKey) if not k.has_class("-command-palette")]


async def test_narrowing_drops_the_least_important_keys_and_keeps_help(tmp_path: Path) -> None:
    path = tmp_path / "vault"
    make_vault(path, clients=1)
    app = make_app(path)
    async with app.run_test(size=(120, 36)) as pilot:
        await unlock(pilot)
        await wait_for(pilot, lambda: "Sort" in _keys(app), what="the wide key bar")
        wide = _keys(app)
        assert wide[:3] == ["New client", "Help", "Lock"]

        await pilot.resize_terminal(80, 24)
        await wait_for(pilot, lambda: len(_keys(app)) < len(wide), what="the narrow key bar")
        narrow = _keys(app)
        assert narrow == wide[: len(narrow)]  # a prefix: only the least important went
        assert "Help" in narrow and "Search" in narrow
        assert sum(k.region.width for k in app.screen.query(FooterKey)) <= 80  # nothing is cut off

        await pilot.resize_terminal(120, 36)
        await wait_for(pilot, lambda: _keys(app) == wide, what="the wide key bar again")


async def test_key_bar_is_rebuilt_only_when_its_keys_change(tmp_path: Path) -> None:
    """Focus moving between the filter and the list changes no key: the same key widgets stay.
    Another screen's keys (a client's) do replace them."""
    path = tmp_path / "vault"
    make_vault(path, clients=1)
    app = make_app(path)
    async with app.run_test(size=(120, 36)) as pilot:
        await unlock(pilot)
        await wait_for(pilot, lambda: "Sort" in _keys(app), what="the key bar")
        footer = app.screen.query_one(KeyFooter)
        before = list(footer.query(FooterKey))
        for target in ("#filter", "#caseload", "#filter", "#caseload"):
            app.screen.query_one(target).focus()
            await pilot.pause()
        await pilot.pause()
        assert list(footer.query(FooterKey)) == before
        assert all(a is b for a, b in zip(footer.query(FooterKey), before, strict=True))

        app.screen.query_one("#caseload").focus()
        await pilot.press("enter")  # opens the client: its own keys
        await wait_for(pilot, lambda: app.screen.query(KeyFooter) and "New client" not in _keys(app), what="the client's keys")
