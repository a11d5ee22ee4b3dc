"""The sessionnotes app: wiring, locking and the idle timer. Screens live in ``screens/``.

Only the unlock screen is imported with this module, so that it is drawn as soon as Textual is
loaded; the other screens, the vault and the analysis are imported inside the methods that use
them (after unlock), and loaded in the background while the passphrase is typed (``warmup.py``).

The app receives its dependencies (vault opener, clock, idle limit) in its constructor, so tests
run it on a temporary vault with cheap key-derivation settings and a fixed clock.
"""

from __future__ import annotations

import datetime as dt
import gc
import time
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.filter import LineFilter
from textual.screen import Screen
from textual.theme import Theme
from textual.widget import Widget

from ..analysis.cache import AnalysisCache
from ..vault.errors import VaultError
from .background import Pacer, freeze_heap, thaw_heap
from .context import LockAware, ResumePoint, SessionContext
from .inert import InertText
from .keys import KeyOrder, escape_then_key, word_motion
from .screens.unlock import UnlockScreen
from .services import Clock, IdleWatch, VaultOpener, utc_now
from .terminal import driver_class
from .themes import DEFAULT_THEME, load_themes, user_theme_dir
from .warmup import load as load_modules
from .widgets.idle_banner import IdleBanner

if TYPE_CHECKING:
    from ..analysis.search import Hit, SearchIndex
    from ..domain.measures import MeasureResult
    from ..vault import Vault
    from ..vault.repository import Repository
    from .messages import OpenClient, OpenLetter, OpenSearchHit, OpenSession, VaultOpened
    from .screens.client import ClientScreen


DEFAULT_IDLE_MINUTES = 10


def help_screens() -> list[tuple[str, type]]:
    """The screens and tabs the help describes, in this order (the one showing comes first)."""
    load_modules()  # help can be asked for on the unlock screen, before the warm-up has finished
    from .screens.caseload import CaseloadScreen
    from .screens.client import CLINICAL_TABS, ClientScreen
    from .screens.search import SearchScreen
    from .screens.session_editor import SessionEditorScreen

    return [
        ("Unlock", UnlockScreen),
        ("Caseload", CaseloadScreen),
        ("Client", ClientScreen),
        *((f"Client, {title} tab", tab_class) for _, title, tab_class in CLINICAL_TABS),
        ("Session editor", SessionEditorScreen),
        ("Search", SearchScreen),
    ]


STAGE_VARIABLES = {
    "stage-drawing-in": "#8FA8C8",
    "stage-meeting": "#9DB59A",
    "stage-nudging-forward": "#D8B878",
    "flag-high": "#E07A6F",
}


class SessionNotesApp(App[None]):
    """Unlock -> caseload -> client -> session editor, all from the keyboard."""

    TITLE = "sessionnotes"
    CSS_PATH = ["app.tcss", "screens/unlock.tcss"]  # the default screen's CSS is not loaded from the screen class
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("ctrl+l", "lock", "Lock", priority=True, id="app.lock", tooltip="Lock the vault now; your typing is saved first"),
        Binding("f1,question_mark", "help", "Help", id="app.help", tooltip="Show every key"),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="app.quit", tooltip="Save, lock and quit"),
        Binding("slash", "search", "Search", id="app.search", tooltip="Search every note, addendum, formulation item and letter"),
        Binding(
            "f6",
            "change_theme",
            "Theme",
            show=False,
            id="app.theme",
            tooltip="Choose the colours: sessionnotes-calm, -contrast (high contrast), -paper (light), or your own",
        ),
    ]

    def __init__(
        self,
        vault_path: Path,
        *,
        demo: bool = False,
        vault_opener: VaultOpener | None = None,
        clock: Clock | None = None,
        idle_seconds: float | None = None,
        monotonic: Callable[[], float] = time.monotonic,
        autosave_seconds: float = 5.0,
        theme: str | None = None,
        cursor_blink: bool = True,
        user_themes: Path | None = None,
        passphrase: str | None = None,
        pacer: Pacer | None = None,
    ) -> None:
        super().__init__(driver_class=driver_class())
        self.vault_path = Path(vault_path)
        self.demo = demo
        self.opener = vault_opener or VaultOpener()
        self.clock: Clock = clock or utc_now
        self.fixed_idle_seconds = idle_seconds
        self.idle = IdleWatch(idle_seconds or DEFAULT_IDLE_MINUTES * 60, monotonic)
        self.autosave_seconds = autosave_seconds
        self.cursor_blink = cursor_blink
        self.initial_passphrase = passphrase
        self.vault: Vault | None = None
        self.repo: Repository | None = None
        self.resume: ResumePoint | None = None
        """Where to go back to after the next unlock (set when locking)."""
        self.lock_reason = ""
        self.search_index: SearchIndex | None = None
        """The in-memory full-text index: built in a worker after unlock, dropped on lock."""
        self.flag_counts: dict[str, int] = {}
        """Open process flags per client, worked out in the background after unlock."""
        self.risk_clients: set[str] = set()
        """Clients whose latest PHQ-9 or CORE-10 has an open risk flag (shown in the caseload)."""
        self.analysis_cache = AnalysisCache()
        """Memos of the analysis (made of note text), cleared when the vault locks."""
        self._unlock_generation = 0
        self._changed_while_building: set[str] = set()
        self._locking = False
        self._idle_armed = False
        self.keys = KeyOrder(self)
        self.pacer = pacer or Pacer()
        """Lets the work after unlock run only while the keyboard is quiet (see ``background``)."""
        self._inert_text = InertText()
        """Strips escape sequences from every line drawn (one instance: Textual caches per filter)."""
        """Keeps keys in the order they were typed, each reaching the widget focused when it was read."""
        loaded = load_themes(user_themes if user_themes is not None else user_theme_dir())
        self.theme_problems = loaded.problems
        for t in loaded.themes:
            self.register_theme(t)
        self._start_in_theme(theme if theme in self.available_themes else DEFAULT_THEME)

    def _start_in_theme(self, name: str) -> None:
        """Start in theme ``name`` as if Textual had started in it.

        Setting ``self.theme`` before the app runs goes through Textual's theme change, which,
        once the app runs, parses every stylesheet again and restyles every widget: on the way to
        the unlock screen, CSS would be parsed with Textual's default colours and then again with
        ours. Nothing is drawn yet, so the stylesheet simply starts with this theme's colours."""
        self.set_reactive(SessionNotesApp.theme, name)
        dark = self.current_theme.dark
        old = {c: False for c in self.classes if c.startswith("-theme-")}
        self.update_classes({**old, f"-theme-{name}": True, "-dark-mode": dark, "-light-mode": not dark})
        # what Textual's theme change does besides re-parsing: ANSI colours mapped for a light or dark theme
        self._refresh_truecolor_filter(self.ansi_theme)
        self.stylesheet.set_variables(self.get_css_variables())

    # -- time ------------------------------------------------------------------------------------

    def today(self) -> dt.date:
        return self.clock().astimezone().date()

    # -- start-up --------------------------------------------------------------------------------

    def get_default_screen(self) -> Screen:
        return UnlockScreen()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Lock and search wait for an open vault: the unlock screen does not offer them."""
        if action in ("lock", "search") and self.repo is None:
            return False
        return True

    def get_theme_variable_defaults(self) -> dict[str, str]:
        return dict(STAGE_VARIABLES)

    def get_line_filters(self) -> Sequence[LineFilter]:
        """Textual's filters, then ours: no stored text can send an escape sequence to the terminal."""
        return [*super().get_line_filters(), self._inert_text]

    def on_mount(self) -> None:
        self.call_after_refresh(gc.enable)  # paused by launch.py until the first frame is drawn
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        self.set_interval(0.5, self._tick_idle, name="idle-lock")
        if self.theme_problems:
            self.notify("\n".join(self.theme_problems), title="Some theme files were skipped", severity="warning", timeout=12)

    def _remember_theme(self, theme: Theme) -> None:
        if self.repo is not None:
            try:
                if self.repo.settings().get("theme") != theme.name:
                    self.repo.set_setting("theme", theme.name)
            except VaultError as e:
                self.show_error(e)

    # -- unlock ----------------------------------------------------------------------------------

    def on_vault_opened(self, message: VaultOpened) -> None:
        self.vault_opened(message.vault, message.recovery_key)

    def vault_opened(self, vault: Vault, recovery_key: str | None) -> None:
        """The unlock screen opened the vault: read the settings, build the index, go to the caseload."""
        from ..vault.repository import Repository
        from .screens.recovery_key import RecoveryKeyScreen

        self.vault = vault
        self.repo = Repository(vault, clock=self.clock)
        self.repo.listeners.append(self._client_changed)
        self._unlock_generation += 1
        self._changed_while_building = set()
        self._build_index(self.repo, self._unlock_generation, self.analysis_cache)
        try:
            settings = self.repo.settings()
        except VaultError as e:
            self.show_error(e)
            settings = {}
        if settings.get("theme") in self.available_themes and settings["theme"] != self.theme:
            self.theme = settings["theme"]
        minutes = settings.get("idle_minutes")
        if self.fixed_idle_seconds is None and isinstance(minutes, int | float) and minutes > 0:
            self.idle.seconds = float(minutes) * 60
        if recovery_key:
            self.push_screen(RecoveryKeyScreen(recovery_key), lambda _: self._enter_caseload())
        else:
            self._enter_caseload()

    def _enter_caseload(self) -> None:
        from .dialogs.drafts import DraftsDialog
        from .screens.caseload import CaseloadScreen
        from .screens.client import ClientScreen
        from .screens.session_editor import SessionEditorScreen

        self.idle.touch()
        self.pacer.input_seen()  # the background work lets the caseload be drawn first
        self.call_after_refresh(freeze_heap)  # what unlock loaded stays out of full collections
        self._idle_armed = True
        self.push_screen(CaseloadScreen())
        resume, self.resume = self.resume, None
        if resume is not None and self.repo is not None and self.repo.vault.has_client(resume.client_id):
            self.push_screen(ClientScreen(resume.client_id, tab=resume.tab))
            if resume.session_key:
                self.push_screen(SessionEditorScreen(resume.client_id, resume.session_key))
            return
        try:
            drafts = self.repo.drafts() if self.repo else []
        except VaultError as e:
            self.show_error(e)
            drafts = []
        if drafts and self.repo is not None:
            try:
                names = {c.id: c.name for c in self.repo.list_clients(include_discharged=True)}
            except VaultError:
                names = {}
            self.push_screen(DraftsDialog(drafts, names), self._open_draft)

    def _open_draft(self, choice: dict | None) -> None:
        from .dialogs.drafts import draft_kind
        from .dialogs.measure_entry import MeasureEntry
        from .measure_drafts import MeasureDraft
        from .screens.client import ClientScreen
        from .screens.session_editor import SessionEditorScreen

        if not choice or self.repo is None:
            return
        cid, key = choice.get("client"), choice.get("key")
        kind = draft_kind(key)
        if kind == "unknown" or not isinstance(key, str):
            self.notify(
                "This version of sessionnotes cannot reopen that kind of unsaved work. It is kept, "
                "encrypted, for a version that can.",
                severity="warning",
                timeout=10,
            )
            return
        try:
            if not isinstance(cid, str) or not self.repo.vault.has_client(cid):
                self.notify("The client of that unsaved work is no longer in the vault.", severity="warning")
                return
            if kind in ("session", "addendum"):
                sid = key.removeprefix("addendum:")
                if sid not in {s.id for s in self.repo.list_sessions(cid)}:
                    self.notify(
                        "The session of that unsaved work is no longer in the record; the draft is kept.", severity="warning"
                    )
                    return
            name = self.repo.get_client(cid).name if kind == "measure" else ""
        except VaultError as e:
            self.show_error(e)
            return
        if kind == "record":
            self.push_screen(ClientScreen(cid, tab="record"))
        elif kind == "measure":
            draft = MeasureDraft.from_record(choice)
            client_screen = ClientScreen(cid, tab="measures")
            self.push_screen(client_screen)
            if draft is not None:
                self.push_screen(
                    MeasureEntry(cid, self.today(), name, draft=draft), partial(self._measure_entered, client_screen)
                )
        else:
            self.push_screen(ClientScreen(cid, tab="sessions"))
            self.push_screen(SessionEditorScreen(cid, key.removeprefix("addendum:")))

    def _measure_entered(self, client_screen: ClientScreen, result: MeasureResult | None) -> None:
        """A measure entry reopened from the drafts list is done: the Measures tab shows it (and its
        risk notice, if any), as if it had been entered from the tab."""
        from .tabs.measures import MeasuresTab

        if client_screen.is_attached:
            client_screen.action_show_tab("measures")
        for tab in client_screen.query(MeasuresTab):
            tab.entry_done(result)

    # -- lock ------------------------------------------------------------------------------------

    async def action_lock(self) -> None:
        await self.lock_vault("Locked.")

    async def lock_vault(self, reason: str) -> None:
        """Save open typing as encrypted drafts, close every clinical screen, drop the key."""
        if self.repo is None or self._locking:
            return
        self._locking = True
        try:
            resume = None
            for screen in reversed(self.screen_stack):
                if not isinstance(screen, LockAware):
                    continue
                try:
                    point = screen.prepare_lock()
                except VaultError as e:  # the draft could not be written: say so after unlocking
                    reason += f" Your last typing could not be saved: {e}"
                    point = None
                resume = resume or point
            self.resume = resume
            self.lock_reason = reason
            vault, self.vault, self.repo = self.vault, None, None
            self.search_index = None
            self.flag_counts = {}
            self.risk_clients = set()
            # forget every memo of note text; a worker still finishing holds only the emptied one
            self.analysis_cache.clear()
            self.analysis_cache = AnalysisCache()
            self._unlock_generation += 1
            self._idle_armed = False
            self.clear_notifications()
            with self.batch_update():
                while len(self.screen_stack) > 1:
                    await self.pop_screen()
            if vault is not None:
                vault.close()
            thaw_heap()
            if isinstance(self.screen, UnlockScreen):
                self.screen.show_locked(reason)
        finally:
            self._locking = False

    async def action_quit(self) -> None:
        if self.repo is not None:
            await self.lock_vault("Closing.")
        self.exit()

    def on_unmount(self) -> None:
        if self.vault is not None and self.vault.is_open:
            self.vault.close()
        thaw_heap()

    # -- search index and flag counts ------------------------------------------------------------

    @work(thread=True, exclusive=True, group="search-index")
    def _build_index(self, repo: Repository, generation: int, cache: AnalysisCache) -> None:
        """Index every client's record, then count open flags per client (in a thread), keeping the
        results in the unlocked vault's analysis cache so the Flags tab opens at once.

        One client at a time, and only while the keyboard is quiet (``self.pacer``): typing right
        after unlock is never slowed by this work, which carries on in the pauses. Locking ends it
        at the next client; the results are the same as in one go."""
        from .. import services

        stale = lambda: generation != self._unlock_generation  # noqa: E731
        wait_turn = self.pacer.stopper(stale)
        try:
            index = services.build_index(repo, cache=cache, stop=wait_turn)
        except VaultError as e:
            if not stale():
                self.call_from_thread(self.show_error, e, "Search is not available")
            return
        if wait_turn():  # the index is handed over in a pause too (the UI thread takes it)
            return
        self.call_from_thread(self._index_built, index, generation)
        # every client on the list, not only those with indexed text: a PHQ-9 alone can carry risk
        try:
            by_client = services.caseload_flag_kinds(repo, cache=cache, stop=wait_turn)
        except VaultError:
            return
        if wait_turn():  # stale, or the caseload is redrawn with the counts in a pause
            return
        counts = {cid: len(kinds) for cid, kinds in by_client.items()}
        risk = {cid for cid, kinds in by_client.items() if "measure-risk" in kinds}
        self.call_from_thread(self._flags_counted, counts, risk, generation)

    def _index_built(self, index: SearchIndex, generation: int) -> None:
        from .. import services
        from .screens.search import SearchScreen

        if generation != self._unlock_generation or self.repo is None:
            return
        self.search_index = index
        for cid in self._changed_while_building:
            services.refresh_index(index, self.repo, cid)
        self._changed_while_building.clear()
        freeze_heap()
        for screen in self.screen_stack:
            if isinstance(screen, SearchScreen):
                screen.index_ready()

    def _flags_counted(self, counts: dict[str, int], risk: set[str], generation: int) -> None:
        if generation != self._unlock_generation:
            return
        self.flag_counts.update(counts)
        self.risk_clients |= risk
        self._refresh_caseload()
        freeze_heap()  # the index and the analysis stay while the vault is open

    def _refresh_caseload(self) -> None:
        from .screens.caseload import CaseloadScreen

        for screen in self.screen_stack:
            if isinstance(screen, CaseloadScreen) and screen.is_mounted:
                screen.refill()

    def _client_changed(self, cid: str) -> None:
        """After every save: keep the search index and the flag count of that client current."""
        from .. import services

        if self.repo is None:
            return
        if self.search_index is None:
            self._changed_while_building.add(cid)
            return
        try:
            services.refresh_index(self.search_index, self.repo, cid)
            self.search_index.client_flags.pop(cid, None)
            if self.repo.vault.has_client(cid):
                kinds = services.client_flag_kinds(self.repo, cid, cache=self.analysis_cache)
                self.flag_counts[cid] = len(kinds)
                if "measure-risk" in kinds:
                    self.risk_clients.add(cid)
                else:
                    self.risk_clients.discard(cid)
            else:
                self.flag_counts.pop(cid, None)
                self.risk_clients.discard(cid)
        except VaultError as e:
            self.show_error(e, "The search index could not be updated")

    def action_search(self) -> None:
        from .screens.search import SearchScreen

        if self.repo is not None and not isinstance(self.screen, SearchScreen):
            self.push_screen(SearchScreen())

    # -- navigation: screens and tabs say where to go, the app pushes the screen ------------------
    # (handlers found by name, on_<message>, so that starting the app does not load messages.py)

    def on_open_client(self, message: OpenClient) -> None:
        from .screens.client import ClientScreen

        if self.repo is not None:
            self.push_screen(ClientScreen(message.client_id, tab=message.tab))

    def on_open_session(self, message: OpenSession) -> None:
        from .screens.session_editor import SessionEditorScreen

        if self.repo is not None:
            self.push_screen(
                SessionEditorScreen(message.client_id, message.session_key, highlight=message.highlight), message.then
            )

    def on_open_letter(self, message: OpenLetter) -> None:
        from .screens.letter_editor import LetterEditorScreen

        if self.repo is None:
            return
        screen = LetterEditorScreen(message.client_id, message.letter_id)
        then = message.then
        self.push_screen(screen, None if then is None else lambda _: then(screen.letter_id))

    def on_open_search_hit(self, message: OpenSearchHit) -> None:
        self.open_hit(message.hit)

    def open_hit(self, hit: Hit) -> None:
        """Open a search result where it lives: the session (match highlighted) or the client tab."""
        from .screens.client import ClientScreen
        from .screens.session_editor import SessionEditorScreen

        d = hit.doc
        if self.repo is None or not self.repo.vault.has_client(d.client_id):
            return
        tab = {"formulation": "formulation", "letter": "letters", "gp-contact": "stages"}.get(d.kind, "sessions")
        self.push_screen(ClientScreen(d.client_id, tab=tab))
        if d.kind == "session":
            span = hit.spans[0] if hit.spans else None
            self.push_screen(SessionEditorScreen(d.client_id, d.ref, highlight=(d.field, *span) if span else None))

    # -- idle lock -------------------------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key | events.MouseDown | events.MouseScrollDown | events.MouseScrollUp | events.Paste):
            self.idle.touch()
            self.pacer.input_seen()
            self._show_idle_warning(None)
        if isinstance(event, events.Key | events.Paste) and not event.is_forwarded:
            await self.keys.settle()
            if isinstance(event, events.Key):
                await self._key(event)
            else:
                target = self.focused or self.screen
                target._forward_event(event)
                self.keys.sent(event, target)
            return
        await super().on_event(event)

    async def _key(self, event: events.Key) -> None:
        """A key from the terminal, after every earlier key has been handled (see ``KeyOrder``)."""
        self.app_focus = True
        if self.screen.maximized is not None and event.key == "escape" and self.escape_to_minimize:
            self.screen.minimize()
            return
        command = getattr(self.screen, "command_key", None)
        if command is not None and command(event):
            # a screen command on a character a text box would otherwise take (option+3 "£")
            self._handled_here(event)
            return
        split = escape_then_key(event, self.screen.active_bindings) if getattr(self.screen, "ESCAPE_IS_HARMLESS", False) else []
        if split:  # Escape and a letter typed quickly arrive as alt+letter: keep both keys
            for part in split:
                await self.keys.settle()
                await self._key(part)
            return
        event = word_motion(event, self.screen.active_bindings)
        if await self._check_bindings(event.key, priority=True):
            self._handled_here(event)
            return
        target = self._route_key(event) or self.focused or self.screen
        target._forward_event(event)
        self.keys.sent(event, target)

    def _handled_here(self, event: events.Key) -> None:
        """A key the app handled itself (a command or a priority binding) may have set off messages
        among the widgets, e.g. a tab's pane taking the keyboard reports it to its tab set: the next
        key waits until they are handled, from the widget that has the keyboard now up to the app.
        Otherwise alt+3 then alt+1 typed at once ended on tab 3, its late news switching back."""
        self.keys.sent(event, self.focused or self.screen)

    def _route_key(self, event: events.Key) -> Widget | None:
        """Let the screen send a key to another widget *now*, in the app's own order of keys.

        A screen that moves the keyboard on a key (type-to-filter) says where the key goes; the
        focus moves before the next key is read, so every later key of the burst follows it.
        """
        route = getattr(self.screen, "route_key", None)
        target = route(event) if route is not None else None
        if target is not None:
            self.screen.set_focus(target)
        return target

    def set_idle_minutes(self, minutes: float) -> None:
        self.idle.seconds = minutes * 60
        self.idle.touch()

    async def _tick_idle(self) -> None:
        if self.repo is None or not self._idle_armed:
            return
        remaining = self.idle.remaining()
        if remaining <= 0:
            minutes = self.idle.seconds / 60
            span = f"{minutes:g} minutes" if minutes >= 1 else f"{self.idle.seconds:g} seconds"
            await self.lock_vault(f"Locked after {span} without activity. Your typing was saved.")
        elif self.idle.warning():
            self._show_idle_warning(remaining)
        else:
            self._show_idle_warning(None)

    def _show_idle_warning(self, remaining: float | None) -> None:
        screens = [self.screen] if remaining is not None else list(self.screen_stack)
        for screen in screens:
            for banner in screen.query(IdleBanner):
                banner.show_remaining(remaining)

    # -- errors, help, palette -------------------------------------------------------------------

    def show_error(self, error: Exception, title: str = "") -> None:
        """A vault error as one sentence plus what to do; never a traceback."""
        hint = getattr(error, "hint", "")
        self.notify(f"{error}\n{hint}".strip(), title=title or "Something went wrong", severity="error", timeout=15)

    def action_help(self) -> None:
        from .dialogs.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            everywhere = [b for b in self.BINDINGS if isinstance(b, Binding)]
            self.push_screen(HelpScreen(self.screen, help_screens(), everywhere))

    def action_idle_setting(self) -> None:
        from .dialogs.idle import IdleMinutesDialog

        if self.repo is None:
            return

        def chosen(minutes: int | None) -> None:
            if minutes and self.repo is not None:
                try:
                    self.repo.set_setting("idle_minutes", minutes)
                except VaultError as e:
                    self.show_error(e)
                    return
                self.set_idle_minutes(minutes)
                self.notify(f"The vault now locks after {minutes} minutes without activity.")

        self.push_screen(IdleMinutesDialog(round(self.idle.seconds / 60) or DEFAULT_IDLE_MINUTES), chosen)

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        load_modules()  # the palette can be opened on the unlock screen, during the warm-up
        from .screens.base import VaultScreen

        if isinstance(screen, VaultScreen):
            for title, help_text, action in screen.palette_actions():
                yield SystemCommand(title, help_text, partial(screen.run_action, action))
        if self.repo is not None:
            yield SystemCommand(
                "Search notes", "Search every note, addendum, formulation item and letter (/)", self.action_search
            )
            yield SystemCommand("Lock the vault", "Lock now (ctrl+l); open typing is saved encrypted first", self.action_lock)
            yield SystemCommand(
                "Auto-lock minutes", "How long without a key press before the vault locks", self.action_idle_setting
            )
        yield SystemCommand("Help: all keys", "Every key on every screen (? or f1)", self.action_help)
        for command in super().get_system_commands(screen):
            # Textual's screenshot writes the screen, clinical text included, to an unencrypted SVG
            # file in the working folder: not offered
            if command.title == "Theme":
                yield command._replace(help="Choose the colours (f6); the choice is kept with your settings")
            elif command.title != "Screenshot":
                yield command


if TYPE_CHECKING:

    def _satisfies_the_context(app: SessionNotesApp) -> SessionContext:
        """mypy checks here that the app gives screens everything ``SessionContext`` promises."""
        return app
