"""Helpers for the TUI tests: cheap key derivation, a fixed clock, fictional data, waiting on conditions."""

from __future__ import annotations

import asyncio
import datetime as dt
import html
import re
from collections.abc import Callable
from pathlib import Path

from sessionnotes.domain.models import Attendance, Client, Session
from sessionnotes.tui.app import SessionNotesApp
from sessionnotes.tui.services import VaultOpener
from sessionnotes.vault import Vault
from sessionnotes.vault.crypto import KdfLimits, new_params
from sessionnotes.vault.repository import Repository

PASS = "Tangerine-Orbit-Velvet-Canyon-1987"
TEST_LIMITS = KdfLimits(min_memory_kib=8, min_iterations=1)
FIXED_NOW = dt.datetime(2026, 3, 2, 15, 0, tzinfo=dt.UTC)
SIZE = (120, 36)


def fixed_clock() -> dt.datetime:
    return FIXED_NOW


def cheap_opener() -> VaultOpener:
    return VaultOpener(
        limits=TEST_LIMITS, params_factory=lambda: new_params(memory_kib=1024, iterations=1, lanes=1), clock=fixed_clock
    )


class FakeMonotonic:
    """A clock for the idle timer that only moves when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make_app(path: Path, **kwargs) -> SessionNotesApp:
    kwargs.setdefault("vault_opener", cheap_opener())
    kwargs.setdefault("clock", fixed_clock)
    kwargs.setdefault("theme", "sessionnotes-calm")
    kwargs.setdefault("cursor_blink", False)
    kwargs.setdefault("user_themes", path.parent / "no-user-themes")
    return SessionNotesApp(path, **kwargs)


def open_vault(path: Path) -> Vault:
    return Vault.open(path, PASS, limits=TEST_LIMITS)


def make_vault(path: Path, clients: int = 3) -> list[str]:
    """A vault with a few fictional clients and sessions (deterministic)."""
    vault, _ = Vault.create(path, PASS, params=new_params(memory_kib=1024, iterations=1, lanes=1), limits=TEST_LIMITS)
    names = [
        ("Juniper Testwell", "Client J"),
        ("Marigold Oakfable", "Client M"),
        ("Rowan Makebelieve", "Client R"),
        ("Wren Fictive", "Client W"),
    ]
    ids = []
    with vault:
        repo = Repository(vault, clock=fixed_clock)
        for i, (name, pseudo) in enumerate(names[:clients]):
            cid = repo.add_client(
                Client(
                    name=name, pseudonym=pseudo, referral_date=dt.date(2025, 9, 1 + i), nhs_number="9990000018" if i == 0 else ""
                )
            )
            for n in range(i + 1):
                repo.add_session(
                    cid,
                    Session(
                        date=dt.date(2025, 10, 6) + dt.timedelta(days=7 * n),
                        attendance=Attendance.DNA if n == 2 else Attendance.ATTENDED,
                        stage=["drawing-in", "meeting", "nudging-forward"][min(n, 2)],
                        note=f"Fictional note {n + 1} for {pseudo}.",
                    ),
                )
            ids.append(cid)
    return ids


async def wait_for(pilot, condition: Callable[[], bool], timeout: float = 10.0, what: str = "condition") -> None:
    """Wait (without fixed sleeps) until condition() is true, letting the app process messages."""
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while not condition():
        if loop.time() > end:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.02)


async def unlock(pilot, passphrase: str = PASS) -> None:
    from sessionnotes.tui.screens.unlock import UnlockScreen

    app = pilot.app
    await wait_for(pilot, lambda: app.screen.query("#passphrase"), what="the passphrase prompt")
    app.screen.query_one("#passphrase").focus()
    await pilot.press(*passphrase, "enter")
    await wait_for(pilot, lambda: app.repo is not None and not isinstance(app.screen, UnlockScreen), what="the vault to unlock")
    await pilot.pause()


def screen_text(app) -> str:
    """Everything currently rendered, as plain text (for 'is this name visible?' checks)."""
    svg = app.export_screenshot()
    return html.unescape(re.sub(r"<[^>]+>", "", svg)).replace("\xa0", " ")
