"""Pilot tests (keys only) for the Flags and Letters tabs, the letter editor and the export dialog.

Assertions are on the vault and the files afterwards: a dismissed flag keeps its reason, a letter's
workflow dates are stored, and every export is written 0600 and noted in the client's audit trail.
"""

from __future__ import annotations

import datetime as dt
import stat
from pathlib import Path

import pytest
from tui_support import SIZE, fixed_clock, make_app, make_vault, open_vault, screen_text, unlock, wait_for

from sessionnotes.domain.models import Attendance, Session
from sessionnotes.tui.dialogs.base import ConfirmDialog
from sessionnotes.tui.dialogs.dismiss_flag import DismissFlagDialog
from sessionnotes.tui.dialogs.export import ExportDialog
from sessionnotes.tui.dialogs.letter import KeepWordingDialog, LetterStepDialog, NewLetterDialog
from sessionnotes.tui.screens.client import ClientScreen
from sessionnotes.tui.screens.letter_editor import LetterEditorScreen
from sessionnotes.tui.screens.session_editor import SessionEditorScreen
from sessionnotes.vault.repository import Repository

TODAY = fixed_clock().astimezone().date()
PRIVATE_MARKER = "PRIVATE-MARKER-ZQX"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """HOME is the temporary folder, with a Documents folder for exports to default to."""
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    (tmp_path / "Documents").mkdir()
    return tmp_path


def _vault(path: Path) -> tuple[str, list[str]]:
    """One fictional client who missed the first two appointments (a flag), with what a letter needs."""
    (cid,) = make_vault(path, clients=1)
    with open_vault(path) as vault:
        repo = Repository(vault, clock=fixed_clock)
        c = repo.get_client(cid)
        c.gp_name, c.practice = "Dr Imaginary Jones", "Lindenfold Surgery"
        c.practice_address = "1 Nowhere Lane, Fictiontown, ZZ1 1ZZ"
        c.address = "2 Pretend Road, Fictiontown, ZZ1 2ZZ"
        c.preferred_term = "my symptoms"
        repo.update_client(c)
        (first,) = repo.list_sessions(cid)
        first.attendance = Attendance.DNA
        repo.update_session(cid, first)
        second = repo.add_session(
            cid, Session(date=dt.date(2025, 10, 13), attendance=Attendance.DNA, attendance_reason="forgot", stage="drawing-in")
        )
        repo.add_session(
            cid,
            Session(
                date=dt.date(2025, 10, 20),
                attendance=Attendance.ATTENDED,
                stage="drawing-in",
                note="We talked about the scan and the waiting.",
                private_note=f"I felt hurried. {PRIVATE_MARKER}",
            ),
        )
        ids = [first.id, second.id if isinstance(second, Session) else second]
    return cid, ids


async def _to_tab(pilot, name: str) -> None:
    """From the caseload: open the only client, then move along the tab bar with the arrow keys."""
    app = pilot.app
    await pilot.press("enter")
    await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="the client screen")
    await pilot.pause()
    await pilot.press("shift+tab")  # from the sessions list to the tab bar
    tabs = app.screen.query_one("#client-tabs")
    for _ in range(10):
        if tabs.active == name:
            break
        await pilot.press("right")
        await pilot.pause()
    assert tabs.active == name
    await pilot.press("tab")  # into the tab's content
    await pilot.pause()


def _audit(path: Path, cid: str) -> list:
    with open_vault(path) as vault:
        return Repository(vault).audit_trail(cid)


# -- flags ---------------------------------------------------------------------------------------


async def test_flags_tab_shows_evidence_opens_the_session_and_dismisses_with_a_reason(home: Path) -> None:
    path = home / "vault"
    cid, (first_id, _second_id) = _vault(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await _to_tab(pilot, "flags")
        client_screen = app.screen
        await wait_for(pilot, lambda: "Missed and cancelled appointments" in screen_text(app), what="the flag")
        text = screen_text(app)
        assert "Open flags (1)" in text
        assert "did not attend" in text  # the evidence, with the exact values
        assert "Why this pattern can matter" in text and "tentative" in text

        # Enter on the first evidence line opens that session
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionEditorScreen), what="the session editor")
        assert app.screen.key == first_id
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is client_screen, what="back on the client")

        # x asks for a reason; an empty reason is refused with a sentence
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, DismissFlagDialog), what="the dismiss dialog")
        await pilot.press("enter")
        assert "Type a reason first" in screen_text(app)
        await pilot.press(*"Access problems, discussed in supervision", "enter")
        await wait_for(pilot, lambda: app.screen is client_screen, what="the dialog to close")
        await wait_for(pilot, lambda: "Open flags (0)" in screen_text(app), what="the tree to refresh")
        text = screen_text(app)
        assert "Dismissed, with your reasons (1)" in text
        await pilot.press("ctrl+q")

    with open_vault(path) as vault:
        repo = Repository(vault)
        (row,) = repo.record(cid).dismissals
        assert row["kind"] == "dna-pattern" and row["reason"] == "Access problems, discussed in supervision"
        assert any(e.target == "flag:dna-pattern" for e in repo.audit_trail(cid))


async def test_flags_tab_lists_positive_signs_and_enter_opens_the_session(home: Path) -> None:
    path = home / "vault"
    cid, _ = _vault(path)
    with open_vault(path) as vault:
        repo = Repository(vault, clock=fixed_clock)
        sid = repo.add_session(
            cid,
            Session(
                date=dt.date(2025, 10, 27),
                attendance=Attendance.ATTENDED,
                stage="meeting",
                note="She linked the flare to the week her mother was in hospital, and cried.",
                homework="Did the diary every evening.",
            ),
        )
        sid = sid.id if isinstance(sid, Session) else sid
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await _to_tab(pilot, "flags")
        client_screen = app.screen
        await wait_for(pilot, lambda: "Positive signs of engagement (" in screen_text(app), what="the positive signs")
        tab = app.screen.query_one("#flags-tab")
        tree = tab.query_one("#flags-tree")
        (node,) = [n for n in tree.root.children if n.data is not None and n.data.kind == "positives"]
        assert len(tab.positives) >= 2 and str(node.label).startswith(f"Positive signs of engagement ({len(tab.positives)})")
        tree.move_cursor_to_line(node.line)
        await pilot.pause()
        assert "Why they matter" in screen_text(app) and "sub-category 3.6" in screen_text(app)
        await pilot.press("enter", "down")  # expand, then the latest sign
        await pilot.pause()
        assert "2025-10-27" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SessionEditorScreen), what="the session editor")
        assert app.screen.key == sid
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is client_screen, what="back on the client")
        await pilot.press("ctrl+q")


# -- letters -------------------------------------------------------------------------------------


async def test_compose_a_letter_apply_a_suggestion_mark_shown_and_export(home: Path) -> None:
    path = home / "vault"
    cid, _ = _vault(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await _to_tab(pilot, "letters")
        assert "No letters yet" in screen_text(app)
        await pilot.press("n")
        await wait_for(pilot, lambda: isinstance(app.screen, NewLetterDialog), what="the new-letter dialog")
        await pilot.press("enter")  # to the patient, GP copied
        await wait_for(
            pilot, lambda: isinstance(app.screen, LetterEditorScreen) and app.screen.letter is not None, what="the letter editor"
        )
        editor = app.screen

        # compose: a certainty claim gets a live finding, underlined and listed
        await pilot.press(*"Her pain is clearly caused by stress.", "enter")
        await wait_for(
            pilot, lambda: any(f.category == "certainty about cause" for f in editor.findings), what="the live finding"
        )
        assert editor.body.marks  # the span is marked in the text
        # ... and listed: the list is drawn on the next refresh after the findings are computed
        await wait_for(
            pilot,
            lambda: "certainty about cause" in (text := screen_text(app)) and "clearly caused by stress" in text,
            what="the finding listed on screen",
        )

        # apply its suggestion from the findings list (f4 list, f5 use suggestion)
        await pilot.press("f4")
        index = next(i for i, f in enumerate(editor.findings) if f.category == "certainty about cause")
        for _ in range(index):
            await pilot.press("down")
        await pilot.press("f5")
        await wait_for(pilot, lambda: "may be partly connected with stress" in editor.body.text, what="the rewording")
        assert not any(f.category == "certainty about cause" for f in editor.findings)

        # a high-severity wording without a drop-in rewording holds the export back...
        await pilot.press("f3", *"Her symptoms are all in her mind.", "enter")
        await wait_for(pilot, lambda: any(f.matched == "all in her mind" for f in editor.findings), what="a high finding")
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog), what="the export dialog")
        assert "NOT encrypted" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: "some wording needs a look first" in screen_text(app), what="the refusal in place")
        assert "all in her mind" in screen_text(app)
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is editor)

        # ...until it is kept on purpose (f8), which is recorded with the letter
        await pilot.press("f4")
        index = next(i for i, f in enumerate(editor.findings) if f.matched == "all in her mind")
        await pilot.press("home", *["down"] * index)
        await pilot.press("f8")
        await wait_for(pilot, lambda: isinstance(app.screen, KeepWordingDialog), what="the keep dialog")
        await pilot.press(*"Her sister's words, agreed with her", "enter")
        await wait_for(pilot, lambda: app.screen is editor and editor.letter.acknowledgements, what="the acknowledgement")

        # mark shown to the patient: date, their comments, changes made
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, LetterStepDialog), what="the shown dialog")
        await pilot.press("enter", *"Glad the walks were mentioned", "enter", *"Added the walks", "enter")
        await wait_for(pilot, lambda: app.screen is editor and editor.letter.status == "shown", what="shown")
        assert "Shown to the patient" in screen_text(app)

        # export as PDF to the suggested file in ~/Documents
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog), what="the export dialog")
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is editor, timeout=30, what="the export to finish")
        written = list((home / "Documents").glob("letter-client-j-v1-*.pdf"))
        assert len(written) == 1
        assert written[0].read_bytes().startswith(b"%PDF")
        assert stat.S_IMODE(written[0].stat().st_mode) == 0o600
        await wait_for(pilot, lambda: any("not encrypted" in n.message for n in app._notifications), what="the notice")

        # exporting again to the same name asks first; the safe answer keeps the file
        before = written[0].read_bytes()
        await pilot.press("ctrl+e")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ConfirmDialog), what="the replace question")
        await pilot.press("enter")  # "Keep it" has the focus
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog) and "Nothing was written" in screen_text(app))
        await pilot.press("escape")
        assert written[0].read_bytes() == before
        await pilot.press("ctrl+q")

    with open_vault(path) as vault:
        repo = Repository(vault)
        (letter,) = repo.list_letters(cid)
        assert letter.status == "shown" and letter.shown_date == TODAY
        assert letter.patient_comments == "Glad the walks were mentioned" and letter.changes_made == "Added the walks"
        assert "may be partly connected with stress" in letter.body and "clearly caused" not in letter.body
        (ack,) = letter.acknowledgements
        assert ack.matched == "all in her mind" and ack.note == "Her sister's words, agreed with her"
        exports = [e for e in repo.audit_trail(cid) if e.action == "exported"]
        assert len(exports) == 1 and exports[0].target == f"letter:{letter.id}"
        assert str(written[0]) in exports[0].detail and "pdf" in exports[0].detail
        assert repo.settings().get("export_folder") == str(home / "Documents")


async def test_sent_letter_is_read_only_and_editing_makes_a_new_version(home: Path) -> None:
    path = home / "vault"
    cid, _ = _vault(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await _to_tab(pilot, "letters")
        await pilot.press("n", "down", "enter")  # to the GP, patient copied
        await wait_for(pilot, lambda: isinstance(app.screen, LetterEditorScreen) and app.screen.letter is not None)
        editor = app.screen
        assert editor.letter.addressee == "gp"
        await pilot.press("f9", "enter", "enter", "enter")  # shown today, no comments
        await wait_for(pilot, lambda: editor.letter.status == "shown")
        await pilot.press("f9", "enter")  # agreed today
        await wait_for(pilot, lambda: editor.letter.status == "agreed")
        await pilot.press("f9")
        await wait_for(pilot, lambda: isinstance(app.screen, LetterStepDialog))
        await pilot.press("enter", "enter")  # today, to the suggested recipients
        await wait_for(pilot, lambda: editor.letter.status == "sent")
        sent_body = editor.body.text
        assert "read-only" in screen_text(app)
        await pilot.press("f3", *"typing here changes nothing")
        assert editor.body.text == sent_body
        await pilot.press("f2")
        await wait_for(pilot, lambda: editor.letter.version == 2 and editor.letter.status == "draft")
        await pilot.press(*"A new paragraph. ")
        await pilot.press("escape")  # saves and goes back to the letters list
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen))
        await wait_for(pilot, lambda: "v2" in screen_text(app) and f"{TODAY.isoformat()} to Dr Imaginary" in screen_text(app))
        await pilot.press("ctrl+q")

    with open_vault(path) as vault:
        repo = Repository(vault)
        first, second = repo.list_letters(cid)
        assert first.status == "sent" and first.body == sent_body and first.sent_to.startswith("Dr Imaginary Jones")
        assert second.version == 2 and second.parent_id == first.id and second.body.startswith("A new paragraph. ")


async def test_supervision_summary_and_full_record_exports(home: Path) -> None:
    path = home / "vault"
    cid, _ = _vault(path)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        await unlock(pilot)
        await _to_tab(pilot, "letters")
        # supervision summary: pseudonymised, with the read-before-sharing reminder; Markdown by name
        await pilot.press("s")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog), what="the supervision export")
        text = screen_text(app)
        assert "read it before sharing" in text and "NOT encrypted" in text
        await pilot.press("ctrl+u", *"~/Documents/for-supervision.md", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), timeout=30, what="the export to finish")
        summary = home / "Documents" / "for-supervision.md"
        assert stat.S_IMODE(summary.stat().st_mode) == 0o600
        content = summary.read_text()
        assert "Juniper" not in content and "Client J" in content and PRIVATE_MARKER not in content

        # full record: private notes only with the tick, which shows a warning
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog), what="the record export")
        dialog = app.screen
        assert not dialog.query_one("#export-private-warning").display
        await pilot.press("ctrl+u", *"~/Documents/record.html", "tab", "space")
        await wait_for(pilot, lambda: dialog.query_one("#export-private-warning").display, what="the private warning")
        assert "private process notes will be in this file" in screen_text(app)
        await pilot.press("shift+tab", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), timeout=30, what="the export to finish")
        record = home / "Documents" / "record.html"
        assert stat.S_IMODE(record.stat().st_mode) == 0o600 and PRIVATE_MARKER in record.read_text()

        # a folder that does not exist is refused with a sentence, nothing written
        await pilot.press("r")
        await wait_for(pilot, lambda: isinstance(app.screen, ExportDialog))
        await pilot.press("ctrl+u", *"~/nowhere/record.md", "enter")
        await wait_for(pilot, lambda: "does not exist" in screen_text(app))
        await pilot.press("escape")
        await pilot.press("ctrl+q")

    trail = [(e.target, e.detail) for e in _audit(path, cid) if e.action == "exported"]
    assert [t for t, _ in trail] == ["supervision", "record"]
    assert "with private notes" in trail[1][1] and str(record) in trail[1][1]
    assert not (home / "nowhere").exists()


# -- snapshots -----------------------------------------------------------------------------------


def test_flags_tab_snapshot(home: Path, snap_compare) -> None:
    path = home / "vault"
    _vault(path)

    async def run_before(pilot) -> None:
        await unlock(pilot)
        await _to_tab(pilot, "flags")
        await wait_for(pilot, lambda: "Missed and cancelled appointments" in screen_text(pilot.app))
        await pilot.press("down")  # an evidence line: its phrase is marked in the detail
        await pilot.pause()

    assert snap_compare(make_app(path), terminal_size=SIZE, run_before=run_before)


def test_letter_editor_snapshot(home: Path, snap_compare) -> None:
    path = home / "vault"
    _vault(path)

    async def run_before(pilot) -> None:
        app = pilot.app
        await unlock(pilot)
        await _to_tab(pilot, "letters")
        await pilot.press("n", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LetterEditorScreen) and app.screen.letter is not None)
        await pilot.press(*"Her pain is clearly caused by stress.", "enter")
        await wait_for(pilot, lambda: app.screen.findings, what="the live finding")
        await pilot.pause()

    assert snap_compare(make_app(path), terminal_size=SIZE, run_before=run_before)
