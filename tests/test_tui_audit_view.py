"""Issue 18: the audit trail the app keeps can be read in the app (read-only): a client's with f12 on
the client screen, the vault's own events (erasures) with f12 on the caseload."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tui_support import SIZE, make_app, make_vault, open_vault, screen_text, unlock, wait_for

from sessionnotes.tui.dialogs.audit import AuditDialog
from sessionnotes.tui.screens.caseload import CaseloadScreen
from sessionnotes.tui.screens.client import ClientScreen
from sessionnotes.vault.repository import Repository


async def test_f12_shows_the_client_trail_and_the_vault_erasures_read_only(tmp_path: Path) -> None:
    path = tmp_path / "vault"
    ids = make_vault(path, clients=2)
    with open_vault(path) as vault:
        Repository(vault).erase_client(ids[1], dt.date(2026, 3, 1), reason="Fictional test erasure")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("f12")
        await wait_for(pilot, lambda: isinstance(app.screen, AuditDialog), what="the vault events")
        await wait_for(pilot, lambda: "Fictional test erasure" in screen_text(app), what="the erasure")
        text = screen_text(app)
        assert "erased" in text and "Read-only" in text, text
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("f12")
        await wait_for(pilot, lambda: isinstance(app.screen, AuditDialog), what="the client's trail")
        await wait_for(pilot, lambda: "intact" in screen_text(app), what="the trail")
        assert "created" in screen_text(app)
        await pilot.press("x", "enter")  # nothing to type into; Enter closes
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("ctrl+q")
