"""What the detectors read from a text, kept per text: :class:`FactStore` and :func:`text_fact`.

Every per-text question the flag detectors ask (the phrases of a set found in a note, the body-talk
estimate, the therapist's own feelings in a private note, tacit-dualism wording, the kind of reason
for an absence...) is answered through :func:`text_fact`: a small JSON-able value, computed once and
kept in the unlocked vault's :class:`FactStore` under a *kind* (a stable name of the question) and a
keyed hash of the text (BLAKE2b, keyed with a key derived from the vault's master key, so the file
holds no plain hash of a note). The store can be written to the vault encrypted and read back after
the next unlock (:mod:`sessionnotes.services` does it, through the vault's derived files, like the
search index), so the flags of a client whose notes have not changed are combined from stored facts
instead of reading every note again.

Stale facts are never used: a changed text has another hash, and :data:`ANALYSIS_VERSION` (a
number bumped by hand plus a hash of every source file of the analysis package, so any change to a
rule, a word list or a detector's reading changes it) must match the file's, or the file is ignored.
A file that is missing, damaged or of another version just means the facts are computed again.
Like every memo of note text, the store lives in the :class:`.AnalysisCache` and is emptied on lock.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar, cast

ANALYSIS_VERSION = 1
"""Bump by hand when what a fact means changes without a change to the analysis sources."""

FORMAT = "sessionnotes-text-facts"
_RECENT = 8192
"""How many texts keep their entry at hand (found without hashing them again)."""
_MISSING = object()
T = TypeVar("T")


def _source_hash() -> str:
    """A hash of every file of the analysis package: any edit to a rule or a reading changes it."""
    import hashlib  # here and below, not at the top: the app makes an empty store before its first screen

    root = Path(__file__).resolve().parent
    h = hashlib.blake2b(digest_size=12)
    try:
        for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    except OSError:  # sources not readable (a frozen build): the version number alone
        return "no-source"
    return h.hexdigest()


_VERSION: list[str] = []


def analysis_version() -> str:
    """The version facts are stored under: :data:`ANALYSIS_VERSION` and the sources' hash."""
    if not _VERSION:
        _VERSION.append(f"{ANALYSIS_VERSION}:{_source_hash()}")
    return _VERSION[0]


class FactStore:
    """Per-text facts: ``{keyed hash of the text: {kind: JSON-able value}}``.

    Thread-safe enough for the app (the caseload worker and the screens share one): new entries
    and snapshots are taken under a lock; setting one fact is a single dictionary assignment.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.binding = threading.Lock()
        """Held while the store is being attached, so two threads asking at once load the file once."""
        self._key = os.urandom(32)  # until a vault's key is attached: kept in memory only
        self._entries: dict[str, dict[str, Any]] = {}
        self._recent: dict[str | tuple[str, str], dict[str, Any]] = {}
        self._hex: dict[str, str] = {}
        """The hash of each text in ``_recent`` (for :meth:`joined_entry`)."""
        self._used: set[str] = set()
        self.bound_to: object = None
        """What the store was attached to (the vault and its derived-file epoch); ``None``: not attached."""
        self.changed = False
        """New facts since the store was loaded or written."""

    def __len__(self) -> int:
        return len(self._entries)

    def _digest(self, text: str) -> str:
        import hashlib

        return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), key=self._key, digest_size=16).hexdigest()

    def entry(self, text: str) -> dict[str, Any]:
        """The facts kept for ``text`` (an empty dict to fill when there are none yet)."""
        found = self._recent.get(text)
        if found is not None:
            return found
        return self._enter(text, self._digest(text))

    def joined_entry(self, first: str, second: str) -> dict[str, Any]:
        """The facts kept for ``"\\n".join(t for t in (first, second) if t)`` (a session's note and
        themes read as one text), found without hashing the joined text: when both are non-empty,
        under a hash of the two texts' own hashes (the long note is hashed once, for every fact)."""
        if not second:
            return self.entry(first)
        if not first:
            return self.entry(second)
        pair = (first, second)
        found = self._recent.get(pair)
        if found is not None:
            return found
        import hashlib

        hexes = []
        for t in pair:  # each text's own entry is made too: the other detectors ask about the note
            if t not in self._hex:
                self.entry(t)
            hexes.append(self._hex.get(t) or self._digest(t))
        parts = f"joined:{hexes[0]}:{hexes[1]}".encode()
        return self._enter(pair, hashlib.blake2b(parts, key=self._key, digest_size=16).hexdigest())

    def _enter(self, text: str | tuple[str, str], digest: str) -> dict[str, Any]:
        with self._lock:
            found = self._entries.get(digest)
            if found is None:
                found = self._entries[digest] = {}
            self._used.add(digest)
            if len(self._recent) >= _RECENT:
                self._recent.clear()
                self._hex.clear()
            self._recent[text] = found
            if text.__class__ is str:
                self._hex[text] = digest
        return found

    def put(self, entry: dict[str, Any], kind: str, value: Any) -> None:
        entry[kind] = value
        self.changed = True

    # -- persistence ---------------------------------------------------------------------------

    def attach(self, key: bytes, payload: bytes | None, bound_to: object) -> bool:
        """Start afresh under ``key`` (the vault's derived key) with the facts of ``payload`` (the
        stored file, or ``None``). Facts of another analysis version, or a payload that cannot be
        read, are dropped silently. Returns whether stored facts were taken."""
        import json

        entries: dict[str, dict[str, Any]] = {}
        if payload is not None:
            try:
                data = json.loads(payload)
                if isinstance(data, dict) and data.get("format") == FORMAT and data.get("version") == analysis_version():
                    raw = data.get("facts")
                    if isinstance(raw, dict):
                        entries = {str(k): v for k, v in raw.items() if isinstance(v, dict)}
            except (ValueError, UnicodeDecodeError):
                entries = {}
        with self._lock:
            self._key = key
            self._entries = entries
            self._recent = {}
            self._hex = {}
            self._used = set()
            self.bound_to = bound_to
            self.changed = False
        return bool(entries)

    def sweep(self) -> int:
        """Forget the facts of texts not asked about since the store was attached (notes since
        edited or erased); call after a pass that read every client. Returns how many went."""
        with self._lock:
            gone = [d for d in self._entries if d not in self._used]
            for d in gone:
                del self._entries[d]
            if gone:
                self.changed = True
        return len(gone)

    def to_bytes(self) -> bytes:
        """The facts as the bytes to store (encrypted by the vault), and marked as written."""
        import json

        with self._lock:
            items = list(self._entries.items())
            self.changed = False
        facts = {d: dict(e) for d, e in items if e}
        data = {"format": FORMAT, "version": analysis_version(), "facts": facts}
        return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode("utf-8", "surrogatepass")

    def clear(self) -> None:
        """Forget everything and detach (the vault is locking)."""
        with self._lock:
            self._entries = {}
            self._recent = {}
            self._hex = {}
            self._used = set()
            self._key = os.urandom(32)
            self.bound_to = None
            self.changed = False


def text_fact(store: FactStore | None, kind: str, text: str, compute: Callable[[], T]) -> T:
    """The fact ``kind`` of ``text``: the stored value, else ``compute()`` (stored for next time).

    ``kind`` names the question stably (it must change when the question does; a rule change is
    caught by :func:`analysis_version`). ``compute`` must return a JSON-able value (tuples become
    lists when read back, so callers convert what they get)."""
    if store is None:
        return compute()
    entry = store.entry(text)
    found = entry.get(kind, _MISSING)
    if found is _MISSING:
        found = compute()
        store.put(entry, kind, found)
    return cast(T, found)  # what compute() returned, or its JSON form read back
