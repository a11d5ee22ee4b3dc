"""Keys in the order they were typed: each key reaches the widget focused when it is read, and is
fully handled (its bindings run, the screen it opens is up) before the next key is read.

Why this is needed: Textual reads keys in order, but hands each one to the focused widget's own
queue and goes on reading. A key that is a command for the screen (F4 to the private note, Escape
to clear a filter, ctrl+n for a new session) only runs once it has bubbled back up to the app, by
which time the keys typed after it in the same burst or paste have already been handed to the old
widget: "abc<F4>xyz" put "xyz" in the clinical note. Here the app waits, before reading the next
key, until the previous one has been handled all the way up, runs the bindings of a key that
bubbled up to the app at once (not behind the later keys), and handles what that key asked the
app to do (open a screen, move the focus) before the next key.

Each wait is bounded (``SETTLE_SECONDS``), so a widget that is busy for longer only delays keys,
it never stops them.
"""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Mapping
from typing import TYPE_CHECKING

from textual import events
from textual._dispatch_key import dispatch_key
from textual.keys import _character_to_key
from textual.message import Message
from textual.message_pump import MessagePump

if TYPE_CHECKING:
    from textual.app import App

SETTLE_SECONDS = 0.5
"""The longest the app waits for one widget to handle a key before reading the next."""
FOLLOW_UP_ROUNDS = 4
"""How many rounds of consequences of one key (a message, then the screen it opens...) are run."""


def escape_then_key(event: events.Key, bound: Mapping[str, object]) -> list[events.Key]:
    """Escape then a character, typed quickly (or sent in one burst), reach the app as one key,
    alt+character: unless something binds that chord, it was two keys, and both are kept (the
    character was lost after Escape cleared the caseload filter). Only on screens where Escape
    leaves nothing (``ESCAPE_IS_HARMLESS``): elsewhere an option+letter must not close an editor."""
    prefix, _, rest = event.key.partition("+")
    if prefix != "alt" or len(rest) != 1 or not rest.isalpha() or event.key in bound:
        return []
    return [events.Key("escape", None), events.Key(_character_to_key(rest), rest)]


WORD_MOTION = {"alt+b": "ctrl+left", "alt+f": "ctrl+right"}
"""option+b and option+f (and option+arrows in iTerm's editing preset) move by word in a text box."""


def word_motion(event: events.Key, bound: Mapping[str, object]) -> events.Key:
    """alt+b / alt+f as the word moves they stand for, unless something binds the chord itself."""
    key = WORD_MOTION.get(event.key)
    if key is None or event.key in bound:
        return event
    return events.Key(key, None)


class KeyOrder:
    """The app's record of the key (or paste) in flight, and the waiting described above."""

    def __init__(self, app: App) -> None:
        self.app = app
        self._in_flight: tuple[events.Key | events.Paste, MessagePump] | None = None
        self._focus_when_sent: MessagePump | None = None

    def sent(self, event: events.Key | events.Paste, target: MessagePump) -> None:
        """``event`` was handed to ``target``; the next key waits until it is handled."""
        self._in_flight = (event, target)
        self._focus_when_sent = self.app.focused

    async def settle(self) -> None:
        """Wait until the key in flight is handled, then run what it asked the app to do."""
        flight, self._in_flight = self._in_flight, None
        if flight is None:
            return
        event, pump = flight
        app = self.app
        node: MessagePump | None = pump
        reached_app = False
        while node is not None and node is not app:
            if not await _drained(node):
                return
            reached_app = _take(app, event)
            if reached_app or event._stop_propagation or not event.bubble:
                break
            node = node._parent
        if reached_app and isinstance(event, events.Key):
            # It bubbled up unhandled and was waiting in the app's queue behind the later keys:
            # run the app-level bindings (the screen's keys) now, in the order it was typed.
            if not await app._check_bindings(event.key):
                await dispatch_key(app, event)
        await self._follow_up()

    async def _follow_up(self) -> None:
        """Handle now the messages the key left for the app (open a screen, a callback), then wait
        for the screen showing to settle (its focus set), before the next key is read."""
        app = self.app
        for _ in range(FOLLOW_UP_ROUNDS):
            pending = _take_non_input(app)
            for message in pending:
                await app._dispatch_message(message)
            screen = app.screen
            if not await _drained(screen):
                return
            if not pending:
                break
        focused = app.focused
        if focused is not None and focused is not self._focus_when_sent:
            # the key moved the keyboard: the widgets around it hear of it by messages (a tab's
            # pane tells its tab set), handled before the next key, which could move it again
            node: MessagePump | None = focused
            while node is not None and node is not app.screen and await _drained(node):
                node = node._parent


async def _drained(pump: MessagePump) -> bool:
    """Wait (bounded) until ``pump`` has handled every message now in its queue: a callback queued
    behind them runs only once they are all done (a pump handles its messages one at a time)."""
    done: asyncio.Future[None] = asyncio.get_running_loop().create_future()

    def mark() -> None:
        if not done.done():
            done.set_result(None)

    if not pump.call_later(mark):
        return True  # the widget is gone: nothing is left to wait for
    try:
        await asyncio.wait_for(done, SETTLE_SECONDS)
    except TimeoutError:
        return False
    return True


def _take(app: App, event: Message) -> bool:
    """Take ``event`` out of the app's queue; False when it is not there."""
    queue: deque[Message | None] = app._message_queue.values
    for i, item in enumerate(queue):
        if item is event:
            del queue[i]
            if not queue:
                app._message_queue.ready_event.clear()  # the queue's reader must not wake to nothing
            return True
    return False


def _take_non_input(app: App) -> list[Message]:
    """Take out of the app's queue every message that is not input from the terminal, in order."""
    queue: deque[Message | None] = app._message_queue.values
    keep: list[Message | None] = []
    taken: list[Message] = []
    while queue:
        item = queue.popleft()
        if item is None or isinstance(item, events.InputEvent | events.Paste) or not isinstance(item, Message):
            keep.append(item)
        else:
            taken.append(item)
    queue.extend(keep)
    if not queue:
        app._message_queue.ready_event.clear()  # the queue's reader must not wake to nothing
    return taken
