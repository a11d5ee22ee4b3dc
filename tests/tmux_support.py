"""Drive the installed app in a real terminal: tmux runs it, keys are typed with send-keys, the
screen is read with capture-pane."""

from __future__ import annotations

import subprocess
import time


class Tmux:
    def __init__(self, socket: str) -> None:
        self.base = ["tmux", "-L", socket]
        self.target = "e2e"

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run([*self.base, *args], capture_output=True, text=True, check=check, timeout=30)

    def screen(self) -> str:
        return self.run("capture-pane", "-p", "-t", self.target, check=False).stdout

    def keys(self, *keys: str) -> None:
        self.run("send-keys", "-t", self.target, *keys)

    def type(self, text: str) -> None:
        self.run("send-keys", "-t", self.target, "-l", text)

    def alive(self) -> bool:
        return self.run("has-session", "-t", self.target, check=False).returncode == 0

    def wait_for(self, text: str, timeout: float = 30.0) -> str:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            screen = self.screen()
            if text.casefold() in screen.casefold():
                return screen
            time.sleep(0.1)
        raise AssertionError(f"'{text}' did not appear on the screen; it shows:\n{self.screen()}")

    def wait_gone(self, text: str, timeout: float = 10.0) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if text.casefold() not in self.screen().casefold():
                return
            time.sleep(0.1)
        raise AssertionError(f"'{text}' is still on the screen:\n{self.screen()}")
