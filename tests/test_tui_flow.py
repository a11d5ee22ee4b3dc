"""Pilot tests driving the app with keys only; assertions are on the vault afterwards."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from tui_support import PASS, SIZE, FakeMonotonic, make_app, make_vault, open_vault, screen_text, unlock, wait_for

from sessionnotes.domain.models import Attendance, Feeling
from sessionnotes.tui.dialogs.addendum import AddendumDialog
from sessionnotes.tui.dialogs.base import ConfirmDialog
from sessionnotes.tui.dialogs.client import NewClientDialog
from sessionnotes.tui.dialogs.drafts import DraftsDialog
from sessionnotes.tui.screens.caseload import CaseloadScreen
from sessionnotes.tui.screens.client import ClientScreen
from sessionnotes.tui.screens.recovery_key import RecoveryKeyScreen
from sessionnotes.tui.screens.session_editor import SessionEditorScreen
from sessionnotes.tui.screens.unlock import UnlockScreen
from sessionnotes.vault.repository import Repository
from sessionnotes.vault.vault import DERIVED


def _files(path: Path) -> dict[str, bytes]:
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file() and p.name != ".lock"}


async def test_create_vault_write_sign_lock_unlock_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "vault"
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen) and app.screen.creating, what="create mode")
        assert "Welcome" in screen_text(app)
        await pilot.press(*PASS, "enter")
        await pilot.press(*PASS, "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, RecoveryKeyScreen), what="the recovery key")
        key = app.screen.recovery_key
        await pilot.pause()
        assert key and key.split()[0] in screen_text(app)
        assert app.screen.query_one("#continue").disabled  # until "I have written it down" is ticked
        await pilot.press("space")  # ticking it moves to Continue
        assert isinstance(app.screen, RecoveryKeyScreen)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen), what="the caseload")

        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, NewClientDialog))
        await pilot.press(*"Juniper Testwell", "enter", *"Client J", "enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="the client screen")

        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionEditorScreen), what="the editor")
        await pilot.press(*"She talked about her father's illness.")
        await pilot.press("f2", "shift+tab", "shift+tab", "ctrl+u", *"2026-02-27")  # f2: attendance; back to the date
        await pilot.press("tab", "tab")  # minutes, attendance (no reason box: attended)
        await pilot.press("tab", "down", "enter")  # stage: meeting
        await pilot.press("tab", "down", "space")  # sub-strategies, meeting's first: 6.2
        await pilot.press("tab", "enter", "down", "down", "enter")  # body talk: 1
        await pilot.press("tab", "down", "space")  # feelings: irritated
        await pilot.press("tab", "tab", *"loss, being believed")  # themes
        await pilot.press("tab", *"Notice the week's pain diary")  # homework
        await pilot.press("tab", *"Return to the anniversary")  # plan
        await pilot.press("f4", *"I felt sleepy towards the end.")  # private note
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen.session is not None, what="the session to be saved")
        await pilot.press("ctrl+o")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the sign confirmation")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="signing closes the editor")

        await pilot.press("ctrl+l")
        await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen), what="the lock")
        assert app.repo is None and app.vault is None
        assert "Juniper" not in screen_text(app)
        await unlock(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="the client again")
        await pilot.press("ctrl+q")

    with open_vault(path) as vault:
        repo = Repository(vault)
        (row,) = repo.list_clients()
        assert (row.name, row.pseudonym) == ("Juniper Testwell", "Client J")
        (s,) = repo.list_sessions(row.id)
        assert s.date == dt.date(2026, 2, 27)
        assert s.attendance == Attendance.ATTENDED
        assert s.stage == "meeting"
        assert s.substrategies == ["6.2"]
        assert s.body_talk == 1
        assert s.feelings == [Feeling.IRRITATED]
        assert s.themes == ["loss", "being believed"]
        assert s.homework == "Notice the week's pain diary"
        assert s.plan == "Return to the anniversary"
        assert s.note == "She talked about her father's illness."
        assert s.private_note == "I felt sleepy towards the end."
        assert s.is_signed and s.signature_intact()
        assert repo.check_integrity(row.id) == []
        assert repo.drafts() == []


async def test_wrong_passphrase_is_reported_in_place_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "vault"
    make_vault(path, clients=1)
    before = _files(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.screen.query("#passphrase"))
        await pilot.press(*"Not-The-Right-One-2026", "enter")
        await wait_for(pilot, lambda: "does not open this vault" in screen_text(app), what="the error")
        screen = app.screen
        assert isinstance(screen, UnlockScreen)
        assert app.focused is screen.query_one("#passphrase")
        assert app.repo is None
        assert "Juniper" not in screen_text(app)
        assert _files(path) == before
        # and the right one still works afterwards
        await unlock(pilot)
        assert "Juniper" in screen_text(app)
        await pilot.press("ctrl+q")
    # once the vault is open, the background passes may keep their derived files (the search index
    # and the flags' text facts, both encrypted); the record itself is as it was
    derived = set(DERIVED.values())
    assert {k: v for k, v in _files(path).items() if k not in derived} == before


async def test_addendum_on_a_signed_session(tmp_path: Path) -> None:
    path = tmp_path / "vault"
    (cid,) = make_vault(path, clients=1)
    with open_vault(path) as vault:
        repo = Repository(vault)
        (s,) = repo.list_sessions(cid)
        repo.sign_session(cid, s.id)
        signed_note = s.note
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("enter")  # open the client (sessions tab)
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("enter")  # open the session
        await wait_for(pilot, lambda: isinstance(app.screen, SessionEditorScreen) and app.screen.session is not None)
        editor = app.screen
        assert editor.signed
        assert "Signed on" in screen_text(app)
        await pilot.press(*"typing into a signed note")  # read-only: nothing changes
        assert editor.query_one("#note").text == signed_note
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, AddendumDialog))
        await pilot.press(*"GP letter received after the session.", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionEditorScreen) and editor.session.addenda)
        assert "GP letter received" in screen_text(app)
        await pilot.press("ctrl+q")
    with open_vault(path) as vault:
        repo = Repository(vault)
        (s,) = repo.list_sessions(cid)
        assert s.note == signed_note and s.signature_intact()
        assert [a.text for a in s.addenda] == ["GP letter received after the session."]
        assert [e.action for e in repo.audit_trail(cid)][-1] == "addendum"


async def test_idle_auto_lock_hides_clinical_data_and_keeps_typing(tmp_path: Path) -> None:
    path = tmp_path / "vault"
    (cid,) = make_vault(path, clients=1)
    clock = FakeMonotonic()
    app = make_app(path, idle_seconds=60, monotonic=clock, autosave_seconds=3600)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionEditorScreen))
        await pilot.press(*"Half a thought")
        clock.advance(45)
        await wait_for(pilot, lambda: "Locking in" in screen_text(app), what="the countdown warning")
        await pilot.press("end")  # any key postpones the lock
        await wait_for(pilot, lambda: "Locking in" not in screen_text(app), what="the warning to go")
        clock.advance(61)
        await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen), what="the idle lock")
        text = screen_text(app)
        assert "Juniper" not in text and "Half a thought" not in text
        assert "without activity" in text
        assert app.repo is None and len(app.screen_stack) == 1
        # the typing was saved, encrypted, before locking: the vault is closed, so open it here
        with open_vault(path) as vault:
            (draft,) = Repository(vault).drafts()
            assert draft["client"] == cid and draft["key"] == "new"
            assert draft["draft"]["note"] == "Half a thought"
        await unlock(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, SessionEditorScreen))
        assert app.screen.query_one("#note").text == "Half a thought"
        await pilot.press("ctrl+q")


async def test_draft_recovery_after_the_app_is_killed_mid_edit(tmp_path: Path) -> None:
    path = tmp_path / "vault"
    (cid,) = make_vault(path, clients=1)
    app = make_app(path, autosave_seconds=0.1)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionEditorScreen))
        await pilot.press(*"Written before the crash")
        await wait_for(
            pilot, lambda: any(d["draft"]["note"] == "Written before the crash" for d in app.repo.drafts()), what="the autosave"
        )
        # the process dies: no lock, no save; the OS drops the file lock
        vault = app.vault
        app.vault = app.repo = None
        vault.close()
        app.exit()
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, DraftsDialog), what="the draft offer")
        assert "Juniper Testwell: a new session" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionEditorScreen))
        assert app.screen.query_one("#note").text == "Written before the crash"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen.session is not None)
        await pilot.press("ctrl+q")
    with open_vault(path) as vault:
        repo = Repository(vault)
        notes = [s.note for s in repo.list_sessions(cid)]
        assert "Written before the crash" in notes
        assert repo.drafts() == []


async def test_lock_saves_unsaved_typing_without_waiting_for_autosave(tmp_path: Path) -> None:
    path = tmp_path / "vault"
    (cid,) = make_vault(path, clients=1)
    app = make_app(path, autosave_seconds=3600)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionEditorScreen) and app.screen.session is not None)
        sid = app.screen.key
        await pilot.press(*" And one more line.", "ctrl+l")
        await wait_for(pilot, lambda: isinstance(app.screen, UnlockScreen))
        with open_vault(path) as vault:
            (draft,) = Repository(vault).drafts()
            assert draft["key"] == sid and draft["draft"]["note"].endswith("And one more line.")
        await unlock(pilot)
        await wait_for(pilot, lambda: isinstance(app.screen, SessionEditorScreen))
        assert app.screen.query_one("#note").text.endswith("And one more line.")
        await pilot.press("escape")  # leaving saves the (valid) session
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("ctrl+q")
    with open_vault(path) as vault:
        repo = Repository(vault)
        assert repo.get_session(cid, sid).note.endswith("And one more line.")
        assert repo.drafts() == []


def _make_signable(path: Path) -> str:
    (cid,) = make_vault(path, clients=1)
    return cid


async def test_unsaved_new_session_kept_as_draft_when_invalid(tmp_path: Path) -> None:
    path = tmp_path / "vault"
    (cid,) = make_vault(path, clients=1)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionEditorScreen))
        await pilot.press(*"A note", "f2", "shift+tab", "shift+tab", "ctrl+u", *"2026-13-40", "ctrl+s")
        assert "The session date" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen))
        assert "Unsaved draft" in screen_text(app)
        await pilot.press("ctrl+q")
    with open_vault(path) as vault:
        repo = Repository(vault)
        assert len(repo.list_sessions(cid)) == 1
        (draft,) = repo.drafts()
        assert draft["draft"]["date"] == "2026-13-40" and draft["draft"]["note"] == "A note"
