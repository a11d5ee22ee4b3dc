"""The Stages and Formulation tabs, driven by keys only; assertions on the vault afterwards.

Fictional data, a fixed clock (2026-03-02), cheap key derivation (tests/tui_support.py).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from tui_support import PASS, TEST_LIMITS, fixed_clock, make_app, open_vault, screen_text, unlock, wait_for

from sessionnotes.domain.formulation import ItemVersion
from sessionnotes.domain.liaison import GPContact
from sessionnotes.domain.models import Attendance, Client, Session
from sessionnotes.services import add_formulation_item, change_formulation_item
from sessionnotes.tui.dialogs.formulation import AsOfDialog, FormulationItemDialog, HistoryDialog
from sessionnotes.tui.dialogs.gp_contact import DrawingInDialog, GPContactDialog
from sessionnotes.tui.screens.client import ClientScreen
from sessionnotes.vault import Vault
from sessionnotes.vault.crypto import new_params
from sessionnotes.vault.repository import Repository

SIZE = (100, 36)
TODAY = dt.date(2026, 3, 2)

# (stage, attendance, sub-strategies, body talk, reason): 12 fictional sessions with a move back at 9
TWELVE = [
    ("drawing-in", Attendance.ATTENDED, ["5.2"], 3, ""),
    ("drawing-in", Attendance.DNA, [], None, "forgot"),
    ("meeting", Attendance.ATTENDED, ["6.1"], 3, ""),
    ("meeting", Attendance.LATE, ["6.1", "6.2"], 2, "bus late"),
    ("meeting", Attendance.ATTENDED, ["6.2", "6.4"], 2, ""),
    ("meeting", Attendance.CANCELLED_BY_PATIENT, [], None, "symptom flare"),
    ("nudging-forward", Attendance.ATTENDED, ["7.1"], 1, ""),
    ("nudging-forward", Attendance.ATTENDED, ["7.1", "7.2"], 1, ""),
    ("meeting", Attendance.ATTENDED, ["6.1", "6.5"], 3, ""),
    ("meeting", Attendance.ATTENDED, ["6.2"], 2, ""),
    ("nudging-forward", Attendance.ATTENDED, ["7.1", "7.3", "7.4"], 1, ""),
    ("nudging-forward", Attendance.CANCELLED_BY_THERAPIST, [], None, "therapist unwell"),
]


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    return tmp_path


def make_client_vault(path: Path, sessions: int = 12, ticks: dict[int, dict[str, bool]] | None = None) -> str:
    """One fictional client with `sessions` of the twelve sessions above, and a referral context;
    ``ticks`` adds ticks (rupture, repair...) to sessions by number."""
    vault, _ = Vault.create(path, PASS, params=new_params(memory_kib=1024, iterations=1, lanes=1), limits=TEST_LIMITS)
    with vault:
        repo = Repository(vault, clock=fixed_clock)
        cid = repo.add_client(
            Client(
                name="Juniper Testwell",
                pseudonym="Client J",
                referral_date=dt.date(2025, 9, 1),
                gp_name="Dr Imaginary Jones",
                practice="Lindenfold Surgery",
                referral_positioning="GP suggested talking might help with coping",
                referral_reaction="Worried the GP thinks it is all imagined",
                referrer_goal="Fewer urgent appointments",
                patient_goal="To get back to the allotment",
                preferred_term="my pain",
                access_needs=["brain-fog", "remote-sessions"],
                other_professionals="Physiotherapist (fictional)",
                concurrent_appointments="Pain clinic review in April",
                stage_checklist=["drawing-in:0", "meeting:0"],
            )
        )
        for n, (stage, attendance, subs, body_talk, reason) in enumerate(TWELVE[:sessions]):
            repo.add_session(
                cid,
                Session(
                    date=dt.date(2025, 11, 3) + dt.timedelta(days=7 * n),
                    attendance=attendance,
                    stage=stage,
                    substrategies=subs,
                    body_talk=body_talk,
                    attendance_reason=reason,
                    note=f"Fictional note {n + 1}.",
                    **(ticks or {}).get(n + 1, {}),
                ),
            )
        repo.add_gp_contact(
            cid,
            GPContact(
                date=dt.date(2025, 10, 20),
                kind="call",
                with_whom="Dr Imaginary Jones",
                discussed="How the referral was explained",
                agreed="GP to mention it gently",
            ),
        )
    return cid


def vault_repo(path: Path):
    vault = open_vault(path)
    return vault, Repository(vault, clock=fixed_clock)


async def open_tab(pilot, tab: str) -> None:
    """From the caseload: open the (only) client, then move along the tab bar with arrow keys."""
    app = pilot.app
    await unlock(pilot)
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="the client screen")
    await pilot.pause()
    await pilot.press("shift+tab")  # from the sessions table to the tab bar
    steps = {"stages": 1, "formulation": 2}[tab]
    await pilot.press(*["right"] * steps)
    await wait_for(pilot, lambda: app.screen.query_one("#client-tabs").active == tab, what=f"the {tab} tab")
    await pilot.press("tab")  # into the tab's content
    await pilot.pause()


async def tab_to(pilot, widget_id: str, limit: int = 12) -> None:
    for _ in range(limit):
        if pilot.app.focused is not None and pilot.app.focused.id == widget_id:
            return
        await pilot.press("tab")
    raise AssertionError(f"could not reach #{widget_id} with tab (focus is on {pilot.app.focused!r})")


# -- formulation -------------------------------------------------------------------------------


async def test_add_item_mark_shared_see_warning_and_history(home: Path) -> None:
    path = home / "vault"
    cid = make_client_vault(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(pilot, "formulation")
        assert "No items yet" in screen_text(app)

        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, FormulationItemDialog), what="the item dialog")
        await pilot.press(*"Stress at work may be adding to the headaches.")
        await pilot.press("tab", "enter", "down", "down", "down", "enter")  # layer: L1 -> L4
        await pilot.press("tab", "enter", "down", "down", "enter")  # lens: relational
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="the dialog to close")
        await pilot.pause()
        assert "Stress at work may be adding" in screen_text(app)

        await pilot.press("e")  # change it: mark it shared
        await wait_for(pilot, lambda: isinstance(app.screen, FormulationItemDialog), what="the change dialog")
        await pilot.press("tab", "tab", "tab", "tab")  # text, layer, lens, confidence -> status
        assert app.focused is not None and app.focused.id == "fi-status"
        await pilot.press("enter", "down", "down", "enter")  # private -> shared
        await pilot.press("tab", "tab", "enter", "down", "enter")  # date (empty: today), channel: spoken
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="the dialog to close")
        await pilot.pause()
        text = screen_text(app)
        assert "⚠ A layer 4 hypothesis is marked shared" in text  # the warning, inline with the item
        notes = list(getattr(app, "_notifications", []))  # the notification too (Textual keeps them here)
        assert any("Worth a second look" in (n.title or "") and n.severity == "warning" for n in notes)

        await pilot.press("h")
        await wait_for(pilot, lambda: isinstance(app.screen, HistoryDialog), what="the history")
        await pilot.pause()
        text = screen_text(app)
        assert "Version 1" in text and "Version 2" in text and "(current)" in text
        assert "Private" in text and "Shared on 2026-03-02 (spoken)" in text and "⚠" in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen))

    vault, repo = vault_repo(path)
    with vault:
        (item,) = repo.list_formulation(cid)
    first, second = item.versions
    assert (first.layer, first.lens, first.status, first.warnings) == ("L4", "relational", "private", [])
    assert first.text == "Stress at work may be adding to the headaches."
    assert (second.status, second.date_shared, second.channel) == ("shared", TODAY, "spoken")
    assert any("agreed that emotional factors" in w for w in second.warnings)
    assert second.text == first.text and second.layer == "L4"


async def test_agreement_account_views_and_as_of(home: Path) -> None:
    path = home / "vault"
    cid = make_client_vault(path)
    vault, repo = vault_repo(path)
    with vault:
        # an item written in January, shared in February (fictional, back-dated with the clock)
        repo.clock = lambda: dt.datetime(2026, 1, 10, 10, 0, tzinfo=dt.UTC)
        item = add_formulation_item(
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
        repo.clock = lambda: dt.datetime(2026, 2, 1, 10, 0, tzinfo=dt.UTC)
        change_formulation_item(repo, cid, item.id, status="shared", channel="spoken", response="resonated")
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(pilot, "formulation")
        assert "shared 2026-02-01, spoken" in screen_text(app)

        await pilot.press("f")  # not yet -> partly
        await pilot.pause()
        assert "relevant? partly" in screen_text(app)

        await pilot.press("p")
        await wait_for(pilot, lambda: app.screen.__class__.__name__ == "AccountDialog", what="the account dialog")
        await pilot.press(*"A trapped nerve that the scans keep missing.", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.pause()
        assert "A trapped nerve that the scans keep missing." in screen_text(app)

        await pilot.press("v")
        await pilot.pause()
        assert "Perpetuating" in screen_text(app) and "Predisposing" in screen_text(app)
        await pilot.press("v")
        await pilot.pause()
        assert "thought → emotion → body → behaviour" in screen_text(app)
        await pilot.press("v")

        await pilot.press("d")
        await wait_for(pilot, lambda: isinstance(app.screen, AsOfDialog), what="the date dialog")
        await pilot.press("ctrl+u", *"2026-13-01", "enter")
        await pilot.pause()
        assert "is not a date" in screen_text(app)  # the error, in place
        await pilot.press("ctrl+u", *"2026-01-20", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.pause()
        text = screen_text(app)
        assert "As it stood on 2026-01-20: 1 item, 0 shared by then" in text and "not shared by then" in text
        await pilot.press("escape")  # back to today, still on the client screen
        await pilot.pause()
        assert isinstance(app.screen, ClientScreen)
        assert "As it stood" not in screen_text(app)

    vault, repo = vault_repo(path)
    with vault:
        client = repo.get_client(cid)
    assert client.emotional_agreement == "partly"
    assert client.explanatory_model == "A trapped nerve that the scans keep missing."


# -- stages ------------------------------------------------------------------------------------


async def test_ruptures_and_repairs_show_on_the_stages_timeline(home: Path) -> None:
    path = home / "vault"
    make_client_vault(path, ticks={7: {"rupture": True}, 8: {"repair": True}, 10: {"rupture": True}})
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(pilot, "stages")
        tab = app.screen.query_one("#stages-tab")
        table = tab.query_one("#stages-timeline")
        changes = [str(table.get_row_at(i)[3]) for i in range(table.row_count)]
        assert changes[6] == "moved on · rupture" and changes[7] == "repair" and changes[9] == "rupture"
        table.move_cursor(row=6)
        await pilot.pause()
        detail = str(tab.query_one("#stages-detail").render())
        assert "rupture in session 7 (2025-12-15), repaired in session 8 (2025-12-22)" in detail
        table.move_cursor(row=9)
        await pilot.pause()
        assert "rupture in session 10 (2026-01-05), no repair recorded since" in str(tab.query_one("#stages-detail").render())


async def test_log_gp_contact_by_keys(home: Path) -> None:
    path = home / "vault"
    cid = make_client_vault(path, sessions=3)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(pilot, "stages")
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, GPContactDialog), what="the contact dialog")
        await pilot.press("ctrl+u", *"2026-02-26", "enter")  # date -> kind
        await pilot.press("enter", "down", "enter")  # kind: phone call -> joint consultation
        await pilot.press("tab", "enter")  # with whom: the GP (prefilled)
        await pilot.press("enter", "enter")  # nothing discussed or agreed: not saved
        await wait_for(pilot, lambda: "Write what was discussed" in screen_text(app), what="the error in place")
        await pilot.press(*"Planning a joint appointment", "enter")
        await pilot.press(*"Joint consultation on 10 March", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="the dialog to close")
        await pilot.pause()
        log = app.screen.query_one("#gp-log")
        log.scroll_visible(animate=False)
        await pilot.pause()
        assert "Joint consultation on 10 March" in str(log.content)
        assert "Joint consultation on 10 March" in screen_text(app)

    vault, repo = vault_repo(path)
    with vault:
        contacts = repo.list_gp_contacts(cid)
    assert len(contacts) == 2
    new = contacts[-1]
    assert (new.date, new.kind, new.with_whom) == (dt.date(2026, 2, 26), "joint-consultation", "Dr Imaginary Jones")
    assert (new.discussed, new.agreed) == ("Planning a joint appointment", "Joint consultation on 10 March")


async def test_tick_checklist_and_edit_drawing_in(home: Path) -> None:
    path = home / "vault"
    cid = make_client_vault(path, sessions=3)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await open_tab(pilot, "stages")
        await tab_to(pilot, "check-drawing-in")
        await pilot.press("down", "space")  # the second "what good looks like" item of drawing in
        await pilot.pause()
        await tab_to(pilot, "check-meeting")
        await pilot.press("space")  # untick the first item of meeting
        await pilot.pause()

        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, DrawingInDialog), what="the drawing-in dialog")
        await tab_to(pilot, "di-patient_goal")
        await pilot.press("ctrl+u", *"To sleep through the night", "ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen))
        await pilot.pause()
        note = app.screen.query_one("#di-goal-note")
        note.scroll_visible(animate=False)
        await pilot.pause()
        assert "The two goals differ" in screen_text(app)

    vault, repo = vault_repo(path)
    with vault:
        client = repo.get_client(cid)
    assert client.stage_checklist == ["drawing-in:0", "drawing-in:1"]
    assert client.patient_goal == "To sleep through the night"
    assert client.referrer_goal == "Fewer urgent appointments"  # untouched fields stay as they were


# -- snapshot ----------------------------------------------------------------------------------


def test_stages_tab_snapshot(home: Path, snap_compare) -> None:
    """Twelve fictional sessions with a move back to meeting (session 9), DNA, late and cancellations."""
    path = home / "vault"
    make_client_vault(path)

    async def run_before(pilot) -> None:
        await unlock(pilot)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(pilot.app.screen, ClientScreen), what="the client screen")
        await pilot.press("shift+tab", "right")
        await wait_for(pilot, lambda: pilot.app.screen.query_one("#client-tabs").active == "stages")
        await pilot.pause()
        await pilot.pause()

    assert snap_compare(make_app(path), terminal_size=SIZE, run_before=run_before)
