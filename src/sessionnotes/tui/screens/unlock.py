"""Unlock the vault, or create it on first run (the recovery key is shown by ``recovery_key.py``).

Key derivation is slow on purpose (about half a second or more), so it runs in a thread worker
while the screen says "Unlocking...". A wrong passphrase is reported in place; nothing is written.

This screen is what the app shows first, so it is drawn before the vault modules are loaded: it
asks only whether vault.json is there (create or unlock), and once drawn a worker loads the rest
(``warmup.load``) and reads vault.json, reporting damage in place.
"""

from __future__ import annotations

from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, Input, Static

from ...vault.errors import VaultError
from ...vault.passphrase import generate_passphrase, strength
from ..context import SessionContext, context_of
from ..demo_vault import DEMO_PASSPHRASE
from ..warmup import load as load_modules

if TYPE_CHECKING:
    from ...vault import Vault


def display_path(path: Path) -> str:
    """The vault folder as the therapist would recognise it (home shown as ~)."""
    try:
        return "~/" + str(path.resolve().relative_to(Path.home().resolve()))
    except (ValueError, RuntimeError, OSError):
        return str(path)


class UnlockScreen(Screen[None]):
    """The first screen, and the one the app returns to whenever it locks."""

    CSS_PATH = "unlock.tcss"
    AUTO_FOCUS = "#passphrase"
    BINDINGS = [
        Binding("ctrl+t", "reveal", "Show/hide passphrase", id="unlock.reveal"),
        Binding("ctrl+g", "suggest", "Suggest a passphrase", id="unlock.suggest"),
    ]

    # plain classes rather than dataclasses: making a dataclass costs about 0.4 ms at import
    class Opened(Message):
        def __init__(self, vault: Vault, recovery_key: str | None) -> None:
            super().__init__()
            self.vault = vault
            self.recovery_key = recovery_key

    class Failed(Message):
        def __init__(self, error: Exception, initial: bool = False) -> None:
            super().__init__()
            self.error = error
            self.initial = initial
            """Found when the screen was drawn (a damaged vault.json), not by an unlock attempt."""

    def __init__(self) -> None:
        super().__init__()
        self.creating = False
        self.busy = False

    @property
    def ctx(self) -> SessionContext:
        """The app, as far as a screen may use it (see ``context.SessionContext``)."""
        return context_of(self)

    def compose(self) -> ComposeResult:
        # the screen itself centres the box and scrolls when the terminal is too short for it (a
        # scrolling container around it would double the work of drawing this first screen)
        with Vertical(id="unlock-box"):
            yield Static("sessionnotes", id="unlock-title")
            yield Static("", id="unlock-intro")
            yield Static(f"Vault: {display_path(self.ctx.vault_path)}", id="unlock-where", classes="hint-text")
            yield Input(password=True, id="passphrase", placeholder="passphrase")
            # the strength line and the second box are added only when a vault is created
            status = Static("", id="status")
            status.display = False
            yield status
            if self.ctx.demo:
                yield Static(
                    f"This is the demo vault: every client in it is fictional.\nIts passphrase is: {DEMO_PASSPHRASE}",
                    id="demo-hint",
                )
        yield Footer()

    def on_mount(self) -> None:
        if not self.ctx.cursor_blink:
            for w in self.query(Input):
                w.cursor_blink = False
        exists = self.ctx.opener.exists(self.ctx.vault_path)
        self._set_mode(creating=not exists)
        # once the first frame is drawn, and a moment later (for it to reach the terminal): the
        # loading holds the interpreter and must not compete with drawing it
        self.call_after_refresh(self.set_timer, 0.05, partial(self._prepare, exists))
        if exists and self.ctx.initial_passphrase:
            self._start(self.ctx.initial_passphrase)

    @work(thread=True, group="unlock-prepare")
    def _prepare(self, exists: bool) -> None:
        """After the first paint, while the therapist types: load what the unlock and the screens
        after it need, and read vault.json so that a damaged one is reported before Enter."""
        try:
            load_modules()
            if exists:
                self.ctx.opener.check(self.ctx.vault_path)
        except VaultError as e:
            self.post_message(self.Failed(e, initial=True))
        except Exception:  # a broken install: the unlock reports it when it tries
            pass

    def _set_mode(self, creating: bool) -> None:
        self.creating = creating
        self.set_class(creating, "-creating")
        intro = self.query_one("#unlock-intro", Static)
        pw = self.query_one("#passphrase", Input)
        if creating:
            intro.update(
                "Welcome. Let's create your encrypted vault.\n\n"
                "Choose a passphrase of several words that you will remember. It encrypts every note; "
                "nobody (including you) can read them without it. Press ctrl+g for a suggestion."
            )
            pw.placeholder = "new passphrase"
            pw.border_title = "New passphrase"
            self._add_create_fields()
        else:
            intro.update("Your notes are encrypted. Type your passphrase and press Enter to unlock.")
            pw.placeholder = "passphrase"
            pw.border_title = "Passphrase"
        self.refresh_bindings()

    def _add_create_fields(self) -> None:
        """The strength line and the second passphrase box (kept, hidden, once the vault exists)."""
        if self.query("#confirm"):
            return
        confirm = Input(password=True, id="confirm", placeholder="the same passphrase again")
        confirm.border_title = "Type it again"
        confirm.cursor_blink = self.ctx.cursor_blink
        self.query_one("#unlock-box").mount(Static("", id="strength"), confirm, after="#passphrase")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "suggest":
            return self.creating
        return True

    # -- the locked state --------------------------------------------------------------------------

    def show_locked(self, reason: str) -> None:
        """Back to a clean prompt after the app locked the vault."""
        self.busy = False
        for w in self.query(Input):
            w.value = ""
            w.password = True
        self._set_mode(creating=False)
        self._set_status(reason or "Locked.")
        self.query_one("#passphrase", Input).focus()

    def _set_status(self, text: str, error: bool = False, busy: bool = False) -> None:
        status = self.query_one("#status", Static)
        status.update(text)
        status.display = bool(text)
        status.set_class(error, "-error")
        status.set_class(busy, "-busy")

    # -- typing ------------------------------------------------------------------------------------

    @on(Input.Changed, "#passphrase")
    def _live_strength(self, event: Input.Changed) -> None:
        if not self.creating:
            return
        label = self.query_one("#strength", Static)
        if not event.value:
            label.update("")
            return
        ok, reason = strength(event.value)
        label.update("Strong enough." if ok else f"Too easy to guess: {reason}")
        label.set_class(ok, "-ok")
        label.set_class(not ok, "-weak")

    @on(Input.Submitted, "#passphrase")
    def _passphrase_entered(self, event: Input.Submitted) -> None:
        if self.busy:
            return
        if not event.value:
            self._set_status("Type your passphrase first.", error=True)
            return
        if self.creating:
            ok, reason = strength(event.value)
            if not ok:
                self._set_status(f"That passphrase is too easy to guess: {reason}", error=True)
                return
            self.query_one("#confirm", Input).focus()
            self._set_status("Now type the same passphrase again and press Enter.")
            return
        self._start(event.value)

    @on(Input.Submitted, "#confirm")
    def _confirm_entered(self, event: Input.Submitted) -> None:
        if self.busy:
            return
        first = self.query_one("#passphrase", Input).value
        if event.value != first:
            self._set_status("The two passphrases are different. Type the second one again.", error=True)
            event.input.value = ""
            return
        self._start(first)

    def action_reveal(self) -> None:
        for w in self.query(Input):
            w.password = not w.password

    def action_suggest(self) -> None:
        suggestion = generate_passphrase()
        pw = self.query_one("#passphrase", Input)
        pw.value = suggestion
        pw.password = False
        self.query_one("#confirm", Input).password = False
        self._set_status(
            "A generated passphrase is in the box. Learn it or write it down somewhere safe, then press Enter and type it again.",
        )
        pw.focus()

    # -- the slow part -------------------------------------------------------------------------------

    def _start(self, passphrase: str) -> None:
        self.busy = True
        if self.creating:
            self._set_status("Creating your vault... (setting up encryption takes a moment on purpose)", busy=True)
        else:
            self._set_status("Unlocking... (this takes a moment on purpose)", busy=True)
        self._derive(passphrase, self.creating)

    @work(thread=True, exclusive=True, group="unlock")
    def _derive(self, passphrase: str, creating: bool) -> None:
        app = self.ctx
        try:
            load_modules()  # at once if the worker of on_mount has finished
            if creating:
                vault, recovery = app.opener.create(app.vault_path, passphrase)
                self.post_message(self.Opened(vault, recovery))
            else:
                self.post_message(self.Opened(app.opener.open(app.vault_path, passphrase), None))
        except VaultError as e:
            self.post_message(self.Failed(e))
        except Exception as e:  # never a traceback on screen
            self.post_message(
                self.Failed(
                    VaultError(
                        f"The vault could not be opened ({type(e).__name__}: {e}).",
                        "Run sessionnotes verify in a terminal for details.",
                    )
                )
            )

    def on_unlock_screen_opened(self, message: Opened) -> None:
        self.busy = False
        for w in self.query(Input):
            w.value = ""
            w.password = True
        self._set_status("")
        for label in self.query("#strength").results(Static):
            label.update("")
        from ..messages import VaultOpened

        self.post_message(VaultOpened(message.vault, message.recovery_key))

    def on_unlock_screen_failed(self, message: Failed) -> None:
        e = message.error
        hint = getattr(e, "hint", "")
        if message.initial:  # vault.json is damaged: say so now, keep what was typed
            if not self.busy:  # (an unlock under way reports the same error itself)
                self._set_status(f"{e}\n{hint}".strip(), error=True)
            return
        self.busy = False
        self._set_status(f"{e}\n{hint}".strip(), error=True)
        pw = self.query_one("#passphrase", Input)
        if not self.creating:
            pw.value = ""
        pw.focus()
