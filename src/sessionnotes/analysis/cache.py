"""What the analysis remembers about decrypted text, held by one unlocked vault and forgotten on lock.

Flags, wording findings and the per-text token tables are worth keeping between keystrokes, but
they are made of note text. So no module keeps them in a global: the caller that owns the unlocked
vault (the app, or one CLI command) makes one :class:`AnalysisCache`, passes it to the analysis
entry points, and calls :meth:`AnalysisCache.clear` when the vault locks. A function given no cache
works the same, only without remembering anything past the call.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Generic, TypeVar

from .textfacts import FactStore

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class Memo(Generic[K, V]):
    """A bounded least-recently-used map (the oldest entry goes when ``maxsize`` is passed).

    Safe to share between the app's thread and its workers (the background flag count after
    unlock fills the same memo the Flags tab reads): every operation holds a lock.
    """

    def __init__(self, maxsize: int) -> None:
        if maxsize < 1:
            raise ValueError("a memo holds at least one entry")
        self.maxsize = maxsize
        self._items: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        with self._lock:
            value = self._items.get(key)
            if value is not None:
                self._items.move_to_end(key)
            return value

    def put(self, key: K, value: V) -> V:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)
        return value

    def pop(self, key: K) -> V | None:
        with self._lock:
            return self._items.pop(key, None)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __contains__(self, key: object) -> bool:
        return key in self._items

    def __len__(self) -> int:
        return len(self._items)


class AnalysisCache:
    """Every memo of the analysis, one per kind of result, cleared together.

    Detector families and the wording checker each take the memo they need from here; add a new
    one as an attribute (a :class:`Memo`) so :meth:`clear` reaches it.
    """

    def __init__(self) -> None:
        self.flags: Memo[Hashable, object] = Memo(1024)
        """Flags per client, keyed by client id with a fingerprint of the record they were read from."""
        self.text: Memo[Hashable, object] = Memo(4096)
        """Per-text tables (tokens, phrase masks, body-talk estimates), keyed by the text itself."""
        self.language: Memo[Hashable, object] = Memo(1024)
        """Wording findings, keyed by the text checked and how it was checked."""
        self.facts = FactStore()
        """What the flag detectors read from each text (:mod:`.textfacts`), kept under a keyed hash of
        the text; written to the vault encrypted and read back after unlock by :mod:`sessionnotes.services`."""

    def memos(self) -> list[Memo[Hashable, object]]:
        return [value for value in vars(self).values() if isinstance(value, Memo)]

    def clear(self) -> None:
        """Forget everything (the vault is locking): nothing made of note text stays reachable from here."""
        for memo in self.memos():
            memo.clear()
        self.facts.clear()
