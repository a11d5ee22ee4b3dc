"""Remembering flag results between runs, in the unlocked vault's :class:`.AnalysisCache`.

A repeat run on unchanged data (the caseload recounting open flags, the Flags tab opening again)
should be a look-up. :func:`fingerprint` makes one hashable key of everything
:func:`.detect.detect` reads (sessions, client fields, formulation versions, thresholds), so any
edit gives a new key and a stale result is never returned. The results are kept in the cache's
``flags`` memo; there is no module-level store, so nothing made of note text outlives the vault's
:meth:`.AnalysisCache.clear` on lock. Dismissals and measures are applied after the look-up.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Sequence
from enum import Enum
from typing import Any

from ..cache import AnalysisCache
from .facts import CLIENT_TEXT_FIELDS, as_text, read_field, versions
from .model import Flag, Thresholds

_SESSION_KEY_FIELDS = (
    "id",
    "date",
    "number",
    "attendance",
    "attendance_reason",
    "stage",
    "body_talk",
    "feelings_other",
    "homework",
    "plan",
    "note",
    "private_note",
    "no_recollection",
    "token_agreement",
    "passivity",
    "rupture",
    "repair",
)
_CLIENT_KEY_FIELDS = (
    "referrer_goal",
    "patient_goal",
    "referral_positioning",
    "referral_source",
    "referral_date",
    "concurrent_appointments",
    "other_professionals",
    "emotional_agreement",
    *CLIENT_TEXT_FIELDS,
)
_VERSION_KEY_FIELDS = ("layer", "status", "date_shared", "response", "at", "text", "channel", "evidence", "warnings")


def _frozen(value: Any) -> Any:
    """A hashable stand-in for a field value (lists become tuples, enums their values)."""
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _frozen(v)) for k, v in value.items()))
    value = getattr(value, "value", value)
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


_PLAIN: frozenset[type] = frozenset({str, int, float, bool, type(None), dt.date, dt.datetime})
_SESSION_KEY_GETTER = operator.attrgetter(*_SESSION_KEY_FIELDS, "substrategies", "feelings", "themes", "addenda", "extra")
_CLIENT_KEY_GETTER = operator.attrgetter(*_CLIENT_KEY_FIELDS, "extra")


def _quick_key(values: tuple[Any, ...]) -> tuple[Any, ...] | None:
    """The fields as read, when they are plain values, or ``None`` (then :func:`.facts.read_field` is used)."""
    *fields, extra = values
    if extra:
        return None
    out: list[Any] = ["quick"]
    for v in fields:
        if v.__class__ in _PLAIN:
            out.append(v)
        elif isinstance(v, list | tuple) and all(x.__class__ in _PLAIN or hasattr(x, "value") for x in v):
            out.append(_frozen(v))
        elif hasattr(v, "value") and v.value.__class__ in _PLAIN:  # an enum
            out.append(v.value)
        else:
            return None
    return tuple(out)


_N_SESSION_KEY = len(_SESSION_KEY_FIELDS)


def _session_key(s: Any) -> tuple[Any, ...]:
    try:
        values = _SESSION_KEY_GETTER(s)
    except AttributeError:
        values = None
    if values is not None:
        *fields, substrategies, feelings, themes, addenda, extra = values
        if not addenda and not extra and extra is not None:
            quick = _quick_fields(fields, substrategies, feelings, themes)
            if quick is not None:
                return quick
    return (
        tuple(_frozen(read_field(s, name)) for name in _SESSION_KEY_FIELDS),
        _frozen(read_field(s, "substrategies", [])),
        _frozen(read_field(s, "feelings", [])),
        _frozen(read_field(s, "themes", [])),
        tuple(as_text(getattr(a, "text", a)) for a in (read_field(s, "addenda", []) or [])),
    )


_KEY_TYPES: set[type] = set(_PLAIN)
"""Value types a session key may hold as they are: plain values, and enums whose values are."""


def _key_type(kind: type) -> bool:
    if kind in _KEY_TYPES:
        return True
    if isinstance(kind, type) and issubclass(kind, Enum) and all(m.value.__class__ in _PLAIN for m in kind):
        _KEY_TYPES.add(kind)
        return True
    return False


def _quick_fields(fields: list[Any], *lists: Any) -> tuple[Any, ...] | None:
    """A session key from the field values as they are (plain values and enums are immutable and
    hashable), or ``None`` when some value is of another kind."""
    if not _KEY_TYPES.issuperset(map(type, fields)) and not all(_key_type(type(v)) for v in fields):
        return None
    frozen: list[tuple[Any, ...] | None] = []
    for items in lists:
        if items.__class__ is list:
            if not _KEY_TYPES.issuperset(map(type, items)) and not all(_key_type(type(v)) for v in items):
                return None
            frozen.append(tuple(items))
        elif items is None:
            frozen.append(None)
        else:
            return None
    return ("quick", *fields, *frozen)


def _client_key(client: Any) -> tuple[Any, ...]:
    try:
        quick = _quick_key(_CLIENT_KEY_GETTER(client))
    except AttributeError:
        quick = None
    return quick if quick is not None else tuple(_frozen(read_field(client, name)) for name in _CLIENT_KEY_FIELDS)


class Key:
    """A fingerprint with its hash worked out once (it is looked up, then stored)."""

    __slots__ = ("_hash", "value")

    def __init__(self, value: tuple[Any, ...]) -> None:
        self.value = value
        self._hash = hash(value)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Key) and self._hash == other._hash and self.value == other.value


def fingerprint(client: Any, sessions: Sequence[Any], formulation: Sequence[Any] | None, thresholds: Thresholds) -> Key | None:
    """Everything :func:`.detect.detect` reads, as one hashable key, so a repeat run on unchanged data
    (the caseload recounting open flags, the flags tab re-opening) is a dictionary look-up.
    ``None`` when something cannot be keyed safely; then nothing is cached."""
    try:
        session_keys = tuple(_session_key(s) for s in sessions)
        client_key = _client_key(client)
        formulation_key = tuple(
            tuple(tuple(_frozen(read_field(v, name)) for name in _VERSION_KEY_FIELDS) for v in versions(item))
            for item in (formulation or [])
        )
        return Key((session_keys, client_key, formulation_key, thresholds))
    except Exception:  # noqa: BLE001 - anything odd: just do not cache
        return None


def remembered(cache: AnalysisCache | None, key: Key | None) -> tuple[Flag, ...] | None:
    """The flags stored for ``key`` in the cache's ``flags`` memo, if any."""
    if cache is None or key is None:
        return None
    found = cache.flags.get(key)
    return found if isinstance(found, tuple) else None


def remember(cache: AnalysisCache | None, key: Key | None, flags: Sequence[Flag]) -> None:
    """Keep ``flags`` for ``key`` (the oldest client's entry goes when the memo is full)."""
    if cache is not None and key is not None:
        cache.flags.put(key, tuple(flags))
