"""Background work that gives way to the keyboard: the pace of the work the app starts after unlock.

After unlock the app indexes every record for search and counts every client's open flags, in a
thread. Python runs one thread at a time (the GIL): a busy worker makes every step of drawing a
typed character wait its turn, and at 10,000 sessions the first keys took 190-370 ms to show. So the
work is done in small chunks (one client at a time) and, between two chunks, the worker asks
:meth:`Pacer.turn`: it gives up the interpreter for a moment, and while the therapist is typing (a
key, a paste or the mouse less than ``quiet`` seconds ago) it waits, so chunks run only in the pauses.
A stopped pass (the vault was locked) ends at the next turn. The clock and the sleep are injectable
for tests.
"""

from __future__ import annotations

import sys
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

QUIET_SECONDS = 0.25
"""How long the keyboard must be still before the next chunk runs: longer than the gap between two
keys of a fast typist (60-120 ms), so a chunk starts only in a pause in the typing."""
YIELD_SECONDS = 0.001
"""Given to the other threads after every chunk, typing or not (the screen may still be drawing)."""
POLL_SECONDS = 0.05
"""While waiting for quiet, how often a stop (the vault locked) is noticed."""
SWITCH_INTERVAL = 0.001
"""How long a thread may hold the interpreter while another wants it, while background work runs
(Python's default is 5 ms). A key that arrives in the middle of a chunk gets through many such
hand-overs before it is on screen; shorter ones make it show sooner (see benchmarks/bench_echo.py)."""


class Pacer:
    """When the worker may run its next chunk. The UI thread calls :meth:`input_seen` on every key,
    paste and click; the worker calls :meth:`turn` between chunks."""

    def __init__(
        self,
        quiet: float = QUIET_SECONDS,
        *,
        monotonic: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.quiet = quiet
        self.monotonic = monotonic
        self.sleep = sleep
        self.last_input = float("-inf")

    def input_seen(self) -> None:
        self.last_input = self.monotonic()

    def typing(self) -> bool:
        return self.monotonic() - self.last_input < self.quiet

    def turn(self, stop: Callable[[], bool]) -> bool:
        """Between two chunks: True when the next may run (the keyboard has been quiet for
        ``quiet`` seconds), False when ``stop()`` says the work is no longer wanted."""
        self.sleep(YIELD_SECONDS)
        while not stop():
            idle = self.monotonic() - self.last_input
            if idle >= self.quiet:
                return True
            self.sleep(min(self.quiet - idle, POLL_SECONDS))
        return False

    def stopper(self, stop: Callable[[], bool]) -> Callable[[], bool]:
        """A ``stop`` callback for a loop over clients that waits for its turn before every client."""
        return lambda: not self.turn(stop)


_switch_lock = threading.Lock()
_switch_users = 0
_switch_saved = 0.0


@contextmanager
def short_switch_interval(seconds: float = SWITCH_INTERVAL) -> Iterator[None]:
    """While background work runs, threads hand over the interpreter sooner (see SWITCH_INTERVAL).
    Process-wide; counted, so overlapping passes (lock and unlock in quick succession) restore
    Python's own value only when the last one ends."""
    global _switch_users, _switch_saved
    with _switch_lock:
        if _switch_users == 0:
            _switch_saved = sys.getswitchinterval()
            sys.setswitchinterval(min(seconds, _switch_saved))
        _switch_users += 1
    try:
        yield
    finally:
        with _switch_lock:
            _switch_users -= 1
            if _switch_users == 0:
                sys.setswitchinterval(_switch_saved)
