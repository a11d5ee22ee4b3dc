"""Background work that gives way to the keyboard: the pace of the work the app starts after unlock.

After unlock the app indexes every record for search and counts every client's open flags, in a
thread. Python runs one thread at a time (the GIL): a busy worker makes every step of drawing a
typed character wait its turn, and at 10,000 sessions the first keys took 190-370 ms to show. So the
work is done in small chunks (one client at a time) and, between two chunks, the worker asks
:meth:`Pacer.turn`: it gives up the interpreter for a moment, and while the therapist is typing (a
key, a paste or the mouse less than ``quiet`` seconds ago) it waits, so chunks run only in the pauses.
A stopped pass (the vault was locked) ends at the next turn. The clock and the sleep are injectable
for tests.

Not done, measured: a shorter ``sys.setswitchinterval`` (1 ms) while the work runs made no
difference beyond the machine's noise in benchmarks/bench_echo.py once the worker waits for quiet
(the worker no longer holds the interpreter while keys come), so Python's default is left alone.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable

QUIET_SECONDS = 0.25
"""How long the keyboard must be still before the next chunk runs: longer than the gap between two
keys of a fast typist (60-120 ms), so a chunk starts only in a pause in the typing."""
YIELD_SECONDS = 0.001
"""Given to the other threads after every chunk, typing or not (the screen may still be drawing)."""
POLL_SECONDS = 0.05
"""While waiting for quiet, how often a stop (the vault locked) is noticed."""


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


def freeze_heap() -> None:
    """Leave what is loaded now out of Python's full garbage collections (``gc.freeze``).

    A full collection walks every object the process holds and stops all threads while it does; with a
    10,000-session vault, its index and its analysis loaded that took 45-90 ms, now and then, in the
    middle of typing. The records, the index and the screens loaded after unlock stay for as long as
    the vault is open, so they are set aside after unlock and again when the background work ends;
    :func:`thaw_heap` gives them back on lock."""
    gc.freeze()


def thaw_heap() -> None:
    """On lock: everything set aside by :func:`freeze_heap` is collected normally again, at once (what
    the closed vault left behind, note text included, is freed now rather than at some later time)."""
    gc.unfreeze()
    gc.collect()
