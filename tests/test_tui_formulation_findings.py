"""Live wording findings in the formulation item dialog, driven by keys; assertions on the vault afterwards.

A shared item is checked as the patient will read it ("shared"); a private one only for "untreatable"
labelling and tacit-dualism markers ("private"), shown as a self-check. f5 puts in a drop-in rewording,
as in the letter editor. Fictional data, a fixed clock (tests/tui_support.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_tui_stages_formulation import make_client_vault, open_tab, vault_repo
from tui_support import make_app, screen_text, wait_for

from sessionnotes.tui.dialogs.formulation import FormulationItemDialog
from sessionnotes.tui.screens.client import ClientScreen
from sessionnotes.tui.widgets.findings import FindingsList, MarkedTextArea

SMALL = (100, 30)


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")
    return tmp_path


async def open_item_dialog(pilot) -> FormulationItemDialog:
    app = pilot.app
    await open_tab(pilot, "formulation")
    await pilot.press("a")
    await wait_for(pilot, lambda: isinstance(app.screen, FormulationItemDialog), what="the item dialog")
    await pilot.pause()
    return app.screen


async def set_status(pilot, steps_down: int) -> None:
    """From the (empty) text: to the status list, choose private (0) / shared in part (1) / shared (2), back."""
    app = pilot.app
    await pilot.press("tab", "tab", "tab", "tab")  # text, layer, lens, confidence -> status
    assert app.focused is not None and app.focused.id == "fi-status"
    await pilot.press("enter", "home", *["down"] * steps_down, "enter")
    await pilot.press("shift+tab", "shift+tab", "shift+tab", "shift+tab")
    assert app.focused is not None and app.focused.id == "fi-text"


def categories(dialog: FormulationItemDialog) -> set[tuple[str, str]]:
    return {(f.matched, f.category) for f in dialog.findings}


async def test_shared_item_shows_findings_and_f5_puts_in_the_rewording(home: Path) -> None:
    path = home / "vault"
    cid = make_client_vault(path)
    app = make_app(path)
    async with app.run_test(size=SMALL) as pilot:
        dialog = await open_item_dialog(pilot)
        assert dialog.context == "private"
        await set_status(pilot, 2)
        assert dialog.context == "shared"

        await pilot.press(*"Nothing is physically wrong with her. Her pain is clearly caused by stress.")
        await wait_for(pilot, lambda: ("Nothing is physically wrong", "dualistic") in categories(dialog), what="the live finding")
        await wait_for(
            pilot, lambda: any(f.category == "certainty about cause" for f in dialog.findings), what="the certainty finding"
        )
        body = dialog.query_one("#fi-text", MarkedTextArea)
        assert {(m[3], m[2]) for m in body.marks} >= {("Nothing is physically wrong", "high")}  # underlined, by severity
        options = dialog.query_one("#fi-findings", FindingsList)
        assert options.display and options.option_count == len(dialog.findings)
        text = screen_text(app)
        assert "Wording to look at (2), as the patient will read it" in text
        assert "dualistic" in text and "Nothing is physically wrong" in text
        assert "Instead:" in text and "Why:" in text  # the highlighted finding's suggestion and reason

        # f5 on the first finding ("Nothing is physically wrong") has no drop-in rewording: the text stays as it is
        assert dialog.chosen_finding().matched == "Nothing is physically wrong"  # type: ignore[union-attr]
        before = body.text
        await pilot.press("f5")
        await pilot.pause()
        assert body.text == before
        assert any("no drop-in rewording" in n.message for n in app._notifications)

        # choose the certainty finding in the list (f4), then f5 puts its rewording in
        await pilot.press("f4")
        assert app.focused is options
        index = next(i for i, f in enumerate(dialog.findings) if f.category == "certainty about cause")
        await pilot.press("home", *["down"] * index)
        await pilot.press("f5")
        await wait_for(pilot, lambda: "may be partly connected with stress" in body.text, what="the rewording")
        assert body.text == "Nothing is physically wrong with her. Her pain may be partly connected with stress."
        assert not any(f.category == "certainty about cause" for f in dialog.findings)
        assert "clearly caused" not in screen_text(app)
        assert ("Nothing is physically wrong", "dualistic") in categories(dialog)  # the other finding is still listed

        # save: the item is stored as shared, with the rewording, and the stored certainty warning still works
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="the dialog to close")

    vault, repo = vault_repo(path)
    with vault:
        (item,) = repo.list_formulation(cid)
    v = item.current
    assert v.status == "shared"
    assert v.text == "Nothing is physically wrong with her. Her pain may be partly connected with stress."
    assert any("sounds certain" in w and "Nothing is physically wrong" in w for w in v.warnings)


async def test_f5_uses_the_first_finding_while_writing(home: Path) -> None:
    path = home / "vault"
    make_client_vault(path)
    app = make_app(path)
    async with app.run_test(size=SMALL) as pilot:
        dialog = await open_item_dialog(pilot)
        await set_status(pilot, 1)  # shared in part counts as shared
        assert dialog.context == "shared"
        await pilot.press(*"Her headaches are clearly caused by stress at work.")
        await wait_for(pilot, lambda: dialog.findings, what="the live finding")
        assert app.focused is dialog.body
        await pilot.press("f5")
        await wait_for(pilot, lambda: "may be partly connected with stress" in dialog.body.text, what="the rewording")
        await wait_for(pilot, lambda: not dialog.findings, what="the finding to go")
        assert "nothing to look at" in screen_text(app)
        assert not dialog.query_one("#fi-findings", FindingsList).display


async def test_private_item_is_only_a_tacit_dualism_self_check(home: Path) -> None:
    path = home / "vault"
    cid = make_client_vault(path)
    app = make_app(path)
    wording = "It's all in her mind; a somatiser with secondary gain."
    async with app.run_test(size=SMALL) as pilot:
        dialog = await open_item_dialog(pilot)
        await pilot.press(*wording)
        await wait_for(pilot, lambda: dialog.findings, what="the private-context check")
        await pilot.pause(0.5)  # any later check has run too
        assert dialog.context == "private"
        # only the tacit-dualism marker, as a self-check, not as a claim to the patient at high severity
        assert categories(dialog) == {("all in her mind", "dualistic")}
        (finding,) = dialog.findings
        assert finding.severity != "high"
        text = screen_text(app)
        assert "dualistic (self-check)" in text and "Self-check (1)" in text
        assert "somatiser" not in {f.matched for f in dialog.findings}
        assert "as the patient will read it" not in text

        # marking it shared checks it as the patient will read it: the label and the jargon appear
        await pilot.press("tab")  # the list of findings is in the tab order while it has findings
        assert app.focused is dialog.query_one("#fi-findings", FindingsList)
        await pilot.press("tab", "tab", "tab", "tab")
        assert app.focused is not None and app.focused.id == "fi-status"
        await pilot.press("enter", "down", "down", "enter")
        await wait_for(pilot, lambda: dialog.context == "shared" and len(dialog.findings) == 3, what="the shared check")
        assert {f.category for f in dialog.findings} == {"dualistic", "stigmatising", "jargon"}
        assert next(f for f in dialog.findings if f.category == "dualistic").severity == "high"
        # the panel is scrolled out of sight while the status is chosen: a notice says what the check found
        assert any("Checked as the patient will read it: 3 wordings to look at" in n.message for n in app._notifications)

        # back to private: the self-check only; saving works as before
        await pilot.press("enter", "up", "up", "enter")
        await wait_for(pilot, lambda: dialog.context == "private" and len(dialog.findings) == 1, what="private again")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, ClientScreen), what="the dialog to close")

    vault, repo = vault_repo(path)
    with vault:
        (item,) = repo.list_formulation(cid)
    assert item.current.status == "private" and item.current.text == wording
    assert item.current.warnings == []  # the certainty warning is about shared wording only


async def test_the_dialog_fits_at_100_by_30(home: Path) -> None:
    path = home / "vault"
    make_client_vault(path)
    app = make_app(path)
    async with app.run_test(size=SMALL) as pilot:
        dialog = await open_item_dialog(pilot)
        await set_status(pilot, 2)
        await pilot.press(*"It's all in her mind and she is untreatable. Her pain is clearly caused by stress.")
        await wait_for(pilot, lambda: len(dialog.findings) == 3, what="three findings")
        await pilot.pause()
        screen = app.screen.region
        for selector in ("#fi-text", "#fi-findings-title", "#fi-findings", "#fi-finding-detail"):
            region = dialog.query_one(selector).region
            assert region.height > 0 and screen.contains_region(region), selector
        # the list shows every finding without scrolling, and the text stays its full height
        assert dialog.query_one("#fi-findings").region.height >= 3
        assert dialog.query_one("#fi-text").region.height == 5


async def test_a_deep_layer_marked_shared_is_warned_about_before_saving(home: Path) -> None:
    """Issue 18: the warning appears in the dialog when layer 5 is marked shared, before any save."""
    path = home / "vault"
    cid = make_client_vault(path)
    app = make_app(path)
    async with app.run_test(size=SMALL) as pilot:
        dialog = await open_item_dialog(pilot)
        await pilot.press("tab")  # the layer list
        assert app.focused is not None and app.focused.id == "fi-layer"
        await pilot.press("enter", "end", "enter", "shift+tab")  # L5
        assert "Warning before you save" not in str(dialog.query_one("#fi-layer-help").render())
        await set_status(pilot, 2)  # shared
        await wait_for(pilot, lambda: "Warning before you save" in str(dialog.query_one("#fi-layer-help").render()))
        await set_status(pilot, 0)  # private again: the warning goes
        await wait_for(pilot, lambda: "Warning before you save" not in str(dialog.query_one("#fi-layer-help").render()))
        await pilot.press("escape")
        await pilot.pause()
    vault, repo = vault_repo(path)
    with vault:
        assert repo.list_formulation(cid) == []
