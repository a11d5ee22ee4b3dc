"""Issue 18: `--demo --reset` starts the demo vault afresh (and resets nothing else); the palette offers
no Screenshot (it would write clinical text to an unencrypted file) and themes have a key (f6)."""

from __future__ import annotations

from pathlib import Path

import pytest
from tui_support import SIZE, make_app, make_vault, screen_text, wait_for

from sessionnotes.cli import main
from sessionnotes.tui.demo_vault import reset_demo_vault
from sessionnotes.vault import VaultError


def test_reset_without_demo_is_bad_input_and_changes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--vault", str(tmp_path / "v"), "--reset"]) == 2
    assert main(["--reset", "verify", "--vault", str(tmp_path / "v")]) == 2
    assert "--demo" in capsys.readouterr().err
    assert not (tmp_path / "v").exists()


def test_reset_deletes_only_a_demo_vault_folder_that_holds_a_vault(tmp_path: Path) -> None:
    other = tmp_path / "vault"
    other.mkdir()
    (other / "vault.json").write_text("{}")
    reset_demo_vault(other)  # not the demo vault: left alone
    assert (other / "vault.json").exists()
    demo = tmp_path / "demo-vault"
    demo.mkdir()
    (demo / "notes.txt").write_text("not a vault")
    with pytest.raises(VaultError):
        reset_demo_vault(demo)
    assert (demo / "notes.txt").exists()
    (demo / "vault.json").write_text("{}")
    reset_demo_vault(demo)
    assert not demo.exists()


async def test_palette_has_no_screenshot_and_f6_opens_the_themes(tmp_path: Path) -> None:
    path = tmp_path / "vault"
    make_vault(path, clients=1)
    app = make_app(path)
    async with app.run_test(size=SIZE) as pilot:
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "Screenshot" not in titles and "Theme" in titles
        await pilot.press("f6")
        await wait_for(pilot, lambda: "sessionnotes-contrast" in screen_text(app), what="the theme list")
