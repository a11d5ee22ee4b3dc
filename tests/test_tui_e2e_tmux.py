"""End to end in a real terminal: tmux runs the installed `sessionnotes` on a CLI-made vault, keys are
typed with send-keys, the screen is read with capture-pane, and the vault is checked with the CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tmux_support import Tmux

PASS = "Tangerine-Orbit-Velvet-Canyon-1987"
SN = Path(sys.executable).parent / "sessionnotes"

pytestmark = pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed (CI installs it)")


def _cli(env: dict[str, str], *args: str) -> str:
    done = subprocess.run([str(SN), *args], env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _new_vault(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A fresh vault made with the CLI, and the environment that opens it."""
    vault = tmp_path / "vault"
    env = {**os.environ, "SESSIONNOTES_VAULT": str(vault), "SESSIONNOTES_PASSPHRASE": PASS}
    _cli(env, "init", "--kdf-memory-mib", "64")
    return vault, env


def _unlocked(name: str, vault: Path, width: int, height: int) -> Tmux:
    """The installed app in a tmux terminal of this size, its passphrase typed (the caseload follows)."""
    tmux = Tmux(f"{name}-{os.getpid()}")
    # COLUMNS/LINES left over from the test runner would override the real terminal size
    command = f"env -u SESSIONNOTES_PASSPHRASE -u COLUMNS -u LINES SESSIONNOTES_VAULT={vault} TEXTUAL_ANIMATIONS=none {SN}"
    tmux.run("new-session", "-d", "-s", tmux.target, "-x", str(width), "-y", str(height), command)
    try:
        tmux.wait_for("passphrase")
        tmux.type(PASS)
        tmux.keys("Enter")
    except BaseException:
        tmux.run("kill-server", check=False)
        raise
    return tmux


def test_write_a_session_in_a_real_terminal(tmp_path: Path) -> None:
    assert SN.exists(), f"the sessionnotes console script is not installed next to {sys.executable}"
    vault, env = _new_vault(tmp_path)
    cid = _cli(env, "client", "add", "--name", "Juniper Testwell-Avery", "--pseudonym", "Client J").strip().split()[-1]

    tmux = _unlocked("sn-e2e", vault, 120, 36)
    try:
        tmux.wait_for("Juniper Testwell-Avery")
        tmux.keys("Enter")  # open the client
        tmux.wait_for("No sessions yet")
        tmux.keys("C-n")  # new session: the cursor is in the note
        tmux.wait_for("Note (Markdown)")
        tmux.type("Fictional e2e note: we talked about the headaches and her week.")
        tmux.keys("C-g")  # stage prompts for the default stage (drawing in)
        tmux.wait_for("What does the GP need from me")
        tmux.keys("C-s")
        screen = tmux.wait_for("Session saved")
        assert "Fictional e2e note" in screen
        assert "PRIVATE process note" in screen
        tmux.keys("Escape")
        screen = tmux.wait_for("Not signed")
        assert "Drawing in" in screen
        tmux.keys("C-l")
        tmux.wait_gone("Juniper")
        tmux.wait_for("passphrase")
        assert "Locked" in tmux.screen()
        tmux.keys("C-q")
        end = time.monotonic() + 20
        while tmux.alive() and time.monotonic() < end:
            time.sleep(0.1)
        assert not tmux.alive(), "the app did not quit"
    finally:
        tmux.run("kill-server", check=False)

    listed = json.loads(_cli(env, "session", "list", "--client", cid, "--json"))
    (row,) = listed["sessions"]
    assert row["stage"] == "drawing-in" and row["signed"] is False
    shown = json.loads(_cli(env, "session", "show", "--client", cid, "--session", row["id"], "--json"))
    note = shown["session"]["note"]
    assert note.startswith("Fictional e2e note: we talked about the headaches and her week.")
    assert "How did the GP explain this referral" in note


def test_a_burst_and_a_paste_with_f4_land_in_the_field_focused_when_typed(tmp_path: Path) -> None:
    """One send-keys call (no waiting) types "abc", F4, "xyz"; then a tmux paste, F4 again inside the
    same burst: everything before F4 is in the note, everything after it in the private note."""
    vault, env = _new_vault(tmp_path)
    cid = _cli(env, "client", "add", "--name", "Wren Notreal").strip().split()[-1]
    tmux = _unlocked("sn-burst", vault, 80, 24)
    try:
        tmux.wait_for("Wren Notreal")
        tmux.keys("Enter")
        tmux.wait_for("No sessions yet")
        tmux.keys("C-n")
        tmux.wait_for("Note (Markdown)")
        tmux.keys("a", "b", "c", "F4", "x", "y", "z", "F3", "-", "F4", "-", "F3")  # one burst
        tmux.run("set-buffer", "Fictional pasted clinical words. ")
        tmux.run("paste-buffer", "-p", "-t", tmux.target)
        tmux.run("set-buffer", "Private pasted words.")
        tmux.keys("F4")
        tmux.run("paste-buffer", "-p", "-t", tmux.target)
        tmux.keys("F3", "e", "n", "d", "C-s")
        tmux.wait_for("Session saved")
        tmux.keys("C-q")
        end = time.monotonic() + 20
        while tmux.alive() and time.monotonic() < end:
            time.sleep(0.1)
    finally:
        tmux.run("kill-server", check=False)
    (row,) = json.loads(_cli(env, "session", "list", "--client", cid, "--json"))["sessions"]
    shown = json.loads(_cli(env, "session", "show", "--client", cid, "--session", row["id"], "--json"))["session"]
    assert shown["note"] == "abc-Fictional pasted clinical words. end"
    assert shown["private_note"] == "xyz-Private pasted words."


def test_escape_then_letters_typed_fast_on_the_caseload_keep_every_key(tmp_path: Path) -> None:
    """In one send-keys call each: Escape then "b..." (the terminal sends ESC "b", which Textual alone
    reads as ctrl+left), and Escape then more than 32 letters (which Textual alone gives up as text,
    the Escape shown as "^"). Each time the filter is cleared and holds every letter typed after it."""
    vault, env = _new_vault(tmp_path)
    for name in ("Wren Notreal", "Bramble Notreal"):
        _cli(env, "client", "add", "--name", name)
    tmux = _unlocked("sn-esc", vault, 80, 24)
    try:
        tmux.wait_for("Bramble Notreal")
        tmux.type("wren")
        tmux.wait_for("1 open client")
        tmux.keys("Escape", "b", "r", "a", "m")
        screen = tmux.wait_for("Bramble Notreal")
        assert "Wren Notreal" not in screen and "1 open client" in screen
        long = "nomatchforthesefictionalfastlettersatall"  # 40 letters
        tmux.keys("Escape", *long)
        screen = tmux.wait_for(long)
        assert "^" + long not in screen and "0 open clients" in screen
        tmux.keys("C-q")
    finally:
        tmux.run("kill-server", check=False)
