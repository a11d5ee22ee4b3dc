"""Pilot tests of the caseload, the client record, discharge/erase, help, palette and themes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual.widgets import DataTable
from tui_support import SIZE, make_app, make_vault, open_vault, screen_text, unlock, wait_for

from sessionnotes.domain.measures import MeasureResult
from sessionnotes.domain.models import Client, ClientStatus
from sessionnotes.tui.dialogs.base import ConfirmDialog
from sessionnotes.tui.dialogs.client import DischargeDialog, EraseDialog
from sessionnotes.tui.dialogs.help import HelpScreen
from sessionnotes.tui.launch import DEMO_PASSPHRASE
from sessionnotes.tui.screens.caseload import CaseloadScreen
from sessionnotes.tui.screens.client import ClientScreen
from sessionnotes.tui.screens.unlock import UnlockScreen
from sessionnotes.tui.themes import load_themes, theme_from_toml
from sessionnotes.vault.repository import Repository


def _names(app) -> list[str]:
    table = app.screen.query_one("#caseload")
    return [str(table.get_row_at(i)[0]) for i in range(table.row_count)]


async def test_caseload_filters_by_typing_sorts_and_shows_discharged(tmp_path: Path) -> None:
    path = tmp_path / "vault"
    ids = make_vault(path, clients=3)
    with open_vault(path) as vault:
        Repository(vault).discharge_client(ids[2], dt.date(2026, 1, 5), "planned ending")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        assert isinstance(app.screen, CaseloadScreen)
        assert _names(app) == ["Juniper Testwell", "Marigold Oakfable"]
        await pilot.press(*"mari")  # typing filters at once
        assert _names(app) == ["Marigold Oakfable"]
        await pilot.press("escape")
        assert _names(app) == ["Juniper Testwell", "Marigold Oakfable"]
        await pilot.press("alt+5")  # sort by number of sessions
        assert _names(app) == ["Juniper Testwell", "Marigold Oakfable"]
        await pilot.press("alt+5")  # again: reversed
        assert _names(app) == ["Marigold Oakfable", "Juniper Testwell"]
        await pilot.press("ctrl+t")
        assert "Rowan Makebelieve (discharged)" in _names(app)
        await pilot.press("alt+1", "enter")  # re-sorting keeps the cursor on the same client (Marigold)
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen))
        assert app.screen.client_id == ids[1]


async def test_caseload_drops_less_important_columns_whole_on_a_narrow_terminal(tmp_path: Path) -> None:
    """At 80 columns the pseudonym column is dropped (not cut or scrolled) and name, stage and flags
    with the risk marker stay; widening the terminal brings it back, narrowing drops more."""
    path = tmp_path / "vault"
    make_vault(path, clients=2)
    with open_vault(path) as vault:
        Repository(vault).import_client(
            Client(name="Wren Fictive", pseudonym="Client W", referral_date=dt.date(2025, 9, 1)),
            [],
            measures=[MeasureResult(instrument="phq9", date=dt.date(2026, 1, 10), responses=(1, 1, 1, 1, 1, 1, 1, 1, 2))],
        )
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        await unlock(pilot)
        await wait_for(pilot, lambda: "risk" in screen_text(app), what="the risk marker")
        table = app.screen.query_one("#caseload", DataTable)
        assert [str(c.label) for c in table.columns.values()] == ["Name", "Stage", "Flags", "Last session", "Sessions", "DNAs"]
        wren = next(line for line in screen_text(app).splitlines() if "Wren Fictive" in line)
        assert "risk" in wren
        assert table.virtual_size.width <= table.size.width  # nothing to scroll sideways to
        await pilot.resize_terminal(120, 36)
        await wait_for(pilot, lambda: len(table.columns) == 7, what="all seven columns at 120")
        assert "Client W" in screen_text(app)
        await pilot.resize_terminal(50, 24)
        await wait_for(pilot, lambda: len(table.columns) == 3, what="name, stage and flags only at 50")
        assert "risk" in next(line for line in screen_text(app).splitlines() if "Wren Fictive" in line)


async def test_client_record_validates_in_place_and_saves(tmp_path: Path) -> None:
    path = tmp_path / "vault"
    (cid,) = make_vault(path, clients=1)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen))
        app.screen.query_one("#client-tabs").active = "record"
        await pilot.pause()
        screen = app.screen
        screen.query_one("#f-nhs_number").focus()
        await pilot.press("ctrl+u", *"999 000 0017")  # wrong check digit
        await pilot.pause()
        assert "check-digit" in str(screen.query_one("#err-nhs_number").render())
        screen.query_one("#f-dob").focus()
        await pilot.press(*"1984-02-30", "ctrl+s")
        await pilot.pause()
        assert "not a date" in str(screen.query_one("#err-dob").render())
        assert app.focused is screen.query_one("#f-dob")  # the first problem (top of the form) gets the focus
        with_errors = Repository(app.vault).get_client(cid)
        assert with_errors.nhs_number == "9990000018" and with_errors.dob is None  # nothing saved
        screen.query_one("#f-nhs_number").focus()
        await pilot.press("ctrl+u", *"999 000 0018")
        screen.query_one("#f-dob").focus()
        await pilot.press("ctrl+u", *"1984-02-28")
        screen.query_one("#f-gp_name").focus()
        await pilot.press(*"Dr Imaginary Jones", "ctrl+s")
        await pilot.pause()
        assert not screen.form_dirty()
        await pilot.press("ctrl+q")
    with open_vault(path) as vault:
        c = Repository(vault).get_client(cid)
        assert c.dob == dt.date(1984, 2, 28) and c.gp_name == "Dr Imaginary Jones" and c.nhs_number == "9990000018"


async def test_questions_for_supervision_are_written_on_the_record_tab(tmp_path: Path) -> None:
    path = tmp_path / "vault"
    (cid,) = make_vault(path, clients=1)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen))
        app.screen.query_one("#client-tabs").active = "record"
        await pilot.pause()
        screen = app.screen
        screen.query_one("#f-supervision_questions").focus()
        await pilot.press(*"Am I colluding?", "enter", *"When to share the L4 idea?")
        assert screen.form_dirty()
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert not screen.form_dirty()
        await pilot.press("ctrl+q")
    with open_vault(path) as vault:
        assert Repository(vault).get_client(cid).supervision_questions == "Am I colluding?\nWhen to share the L4 idea?"


async def test_discharge_then_erase_needs_a_reason_inside_retention(tmp_path: Path) -> None:
    path = tmp_path / "vault"
    ids = make_vault(path, clients=2)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("f7")
        await wait_for(pilot, lambda: isinstance(app.screen, DischargeDialog))
        await pilot.press("enter", *"planned ending", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen))
        assert "Keep the record until 2046-03-02" in str(app.screen.query_one("#status-line").render())
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.screen, EraseDialog))
        assert "Erase every record of Juniper Testwell (Client J)?" in screen_text(app)
        await pilot.press("tab", "tab", "enter")  # Erase without a reason: refused in place
        assert isinstance(app.screen, EraseDialog)
        assert "Type the reason" in screen_text(app)
        await pilot.press(*"Client asked for erasure; agreed with the data protection officer", "enter")
        await pilot.press("tab", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, CaseloadScreen))
        assert "Juniper" not in screen_text(app)
        await pilot.press("ctrl+q")
    with open_vault(path) as vault:
        repo = Repository(vault)
        assert [c.id for c in repo.list_clients(include_discharged=True)] == [ids[1]]
        (entry,) = repo.vault_audit_trail()
        assert "data protection officer" in entry.detail and "Client J" in entry.detail


async def test_reopen_a_discharged_client(tmp_path: Path) -> None:
    path = tmp_path / "vault"
    (cid,) = make_vault(path, clients=1)
    with open_vault(path) as vault:
        Repository(vault).discharge_client(cid, dt.date(2026, 1, 5))
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("ctrl+t", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("f7")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("ctrl+q")
    with open_vault(path) as vault:
        assert Repository(vault).get_client(cid).status == ClientStatus.OPEN


async def test_stage_prompts_and_preview(tmp_path: Path) -> None:
    path = tmp_path / "vault"
    make_vault(path, clients=1)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.press("ctrl+n")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "SessionEditorScreen")
        editor = app.screen
        await pilot.press("ctrl+g")
        assert "Reflecting on drawing in" in editor.query_one("#note").text
        assert "How did the GP explain this referral" in editor.query_one("#note").text
        await pilot.press("ctrl+r")
        assert editor.query_one("#preview").display and not editor.query_one("#note").display
        await pilot.press("ctrl+r")
        assert editor.query_one("#note").display
        assert "words" in str(editor.query_one("#editor-status").render())


async def test_help_lists_keys_and_palette_has_every_action(tmp_path: Path) -> None:
    path = tmp_path / "vault"
    make_vault(path, clients=1)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await pilot.press("question_mark")
        await wait_for(pilot, lambda: isinstance(app.screen, HelpScreen))
        await pilot.pause()
        text = screen_text(app)
        assert "Caseload (you are here)" in text and "New client" in text and "Clear filter" in text
        await pilot.press("escape")
        assert isinstance(app.screen, CaseloadScreen)
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"New client", "Lock the vault", "Discharged", "Theme", "Auto-lock minutes"} <= titles
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen))
        titles = {c.title for c in app.get_system_commands(app.screen)}
        assert {"New session", "Discharge/reopen", "Erase"} <= titles


async def test_theme_choice_is_remembered_in_the_vault(tmp_path: Path) -> None:
    path = tmp_path / "vault"
    make_vault(path, clients=1)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        app.theme = "sessionnotes-contrast"
        await pilot.pause()
        await pilot.press("ctrl+q")
    with open_vault(path) as vault:
        assert Repository(vault).settings()["theme"] == "sessionnotes-contrast"
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        assert app.theme == "sessionnotes-calm"  # before unlocking: the vault is closed
        await unlock(pilot)
        assert app.theme == "sessionnotes-contrast"


def test_theme_files_load_and_bad_ones_are_reported(tmp_path: Path) -> None:
    (tmp_path / "mine.toml").write_text('name = "mine"\nprimary = "#336699"\n')
    (tmp_path / "broken.toml").write_text('name = "broken"\nprimary = "not a colour"\n')
    (tmp_path / "junk.toml").write_text("this is = = not toml")
    loaded = load_themes(tmp_path)
    names = {t.name for t in loaded.themes}
    assert {"sessionnotes-calm", "sessionnotes-paper", "sessionnotes-contrast", "mine"} <= names
    assert len(loaded.problems) == 2
    assert any("broken.toml" in p and "not a colour" in p for p in loaded.problems)
    paper = theme_from_toml((Path(__file__).parent.parent / "themes" / "sessionnotes-paper.toml").read_text(), "paper")
    assert paper.dark is False


async def test_bad_user_theme_is_reported_once_not_fatal(tmp_path: Path) -> None:
    user = tmp_path / "themes"
    user.mkdir()
    (user / "broken.toml").write_text('name = "broken"\n')
    app = make_app(tmp_path / "vault", user_themes=user)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, UnlockScreen)
        assert any("broken.toml" in n.message for n in app._notifications)


async def test_demo_unlock_screen_shows_the_demo_passphrase(tmp_path: Path) -> None:
    app = make_app(tmp_path / "vault", demo=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert DEMO_PASSPHRASE in screen_text(app)
        assert "fictional" in screen_text(app)


async def test_idle_minutes_setting_is_stored(tmp_path: Path) -> None:
    path = tmp_path / "vault"
    make_vault(path, clients=1)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        app.action_idle_setting()
        await pilot.pause()
        await pilot.press("ctrl+u", "2", "5", "enter")
        await pilot.pause()
        assert app.idle.seconds == 25 * 60
        assert app.repo.settings()["idle_minutes"] == 25
