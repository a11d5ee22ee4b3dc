"""Sessions given from outside the app: a JSON file and the ``session add`` / ``update`` options.

The JSON keys are exactly those that ``session show --json`` prints for a session (its
``Session.to_dict()``), so a shown session can be given back whole. Checking is the domain model's
own: :meth:`Session.from_dict` for types, dates and codes, :meth:`Session.validate` for the record
rules. This module adds only what input needs on top: unknown keys are refused (``from_dict``
keeps them for forward compatibility, which would hide a typo), the keys storage assigns are
ignored, and a signature or addenda are never taken from a file.

Every problem is a :class:`SessionInputError` with one sentence naming the key and a hint; the
caller shows it and exits without writing anything.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .domain.models import Attendance, Feeling, Session
from .domain.stages import SUBSTRATEGY_CODES

__all__ = [
    "MAX_INPUT_BYTES",
    "STORAGE_KEYS",
    "TICKS",
    "SessionInputError",
    "SessionOptions",
    "merged_session",
    "new_session",
    "read_session_json",
    "describe_sign",
    "read_text_file",
]

MAX_INPUT_BYTES = 2 * 1024 * 1024
"""A note or session file larger than this is almost certainly the wrong file."""

STORAGE_KEYS = frozenset({"schema", "id", "number", "created", "updated"})
"""Keys ``session show --json`` prints that storage assigns: accepted in input and ignored."""

SIGNATURE_KEYS = frozenset({"signed_at", "content_hash"})
"""A signature is the therapist's act in this vault: never copied in from a file."""

TICKS: dict[str, str] = {
    "rupture": "rupture",
    "repair": "repair",
    "token-agreement": "token_agreement",
    "compliance": "token_agreement",
    "passivity": "passivity",
    "no-recollection": "no_recollection",
}
"""``--ticks`` names and the session field each one sets."""


class SessionInputError(ValueError):
    """Input that cannot become a session; ``hint`` says what to do."""

    def __init__(self, message: str, hint: str = "Nothing was saved; correct it and run the command again.") -> None:
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class SessionOptions:
    """The ``session add`` / ``update`` options, as given (``None`` = not given)."""

    date: str | None = None
    stage: str | None = None
    attendance: str | None = None
    body_talk: int | None = None
    note: str | None = None
    private_note: str | None = None
    strategies: str | None = None
    feelings: str | None = None
    feeling_other: str | None = None
    ticks: str | None = None
    reason: str | None = None
    themes: str | None = None
    homework: str | None = None
    plan: str | None = None
    duration: int | None = None


def read_text_file(path: str, what: str) -> str:
    """The UTF-8 text of ``path`` ('-' = standard input), refusing unreadable or huge files."""
    try:
        if path == "-":
            data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
        else:
            with open(path, "rb") as f:
                data = f.read(MAX_INPUT_BYTES + 1)
    except OSError as e:
        raise SessionInputError(f"Could not read the {what} file {path}: {e.strerror}.", "Check the path.") from None
    if len(data) > MAX_INPUT_BYTES:
        raise SessionInputError(
            f"The {what} file is larger than {MAX_INPUT_BYTES // (1024 * 1024)} MB; it does not look like a {what}.",
            "Check that you gave the right file; nothing was saved.",
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise SessionInputError(f"The {what} file is not UTF-8 text.", "Save it as UTF-8 text and try again.") from None


def read_session_json(path: str) -> dict[str, Any]:
    """The session object in a JSON file: either the session itself or the whole output of
    ``session show --json`` (``{"client": ..., "session": {...}}``)."""
    text = read_text_file(path, "session JSON")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as e:
        raise SessionInputError(
            f"The session file is not valid JSON (line {e.lineno}, column {e.colno}: {e.msg}).",
            "Nothing was saved. Write one JSON object with the keys 'session show --json' prints.",
        ) from None
    if isinstance(data, dict) and set(data) <= {"client", "session"} and isinstance(data.get("session"), dict):
        data = data["session"]
    if not isinstance(data, dict):
        raise SessionInputError(
            "The session file must hold one JSON object (a session), not a list or a single value.",
            "Nothing was saved. Write one JSON object with the keys 'session show --json' prints.",
        )
    return data


def _check_keys(data: Mapping[str, Any]) -> None:
    known = set(Session._CODECS) | {"schema"}
    unknown = [k for k in data if k not in known]
    if unknown:
        raise SessionInputError(
            f"Unknown session key{'s' if len(unknown) > 1 else ''}: {', '.join(repr(k) for k in unknown)}.",
            "Nothing was saved. The keys are those 'session show --json' prints: " + ", ".join(sorted(Session._CODECS)) + ".",
        )
    for key in (STORAGE_KEYS | SIGNATURE_KEYS) - {"schema"}:
        if key in data:  # ignored, but still checked: a wrong type is a mistake worth naming
            try:
                Session._CODECS[key].load(data[key])
            except ValueError as err:
                raise SessionInputError(f"Invalid session record: '{key}' {err}.") from None
    addenda = data.get("addenda")
    if addenda not in (None, []):
        raise SessionInputError(
            "'addenda': addenda belong to a signed session in this vault and cannot be given in a file.",
            "Nothing was saved. Remove the 'addenda' key (or give it as []).",
        )


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _overlay(opts: SessionOptions) -> dict[str, Any]:
    """The options that were given, as session keys with JSON values (checked later by the model)."""
    out: dict[str, Any] = {}
    simple = {
        "date": opts.date,
        "stage": opts.stage,
        "attendance": opts.attendance,
        "note": opts.note,
        "private_note": opts.private_note,
        "attendance_reason": opts.reason,
        "homework": opts.homework,
        "plan": opts.plan,
        "feelings_other": opts.feeling_other,
    }
    out.update({k: v for k, v in simple.items() if v is not None})
    if opts.body_talk is not None:
        out["body_talk"] = opts.body_talk
    if opts.duration is not None:
        out["duration_minutes"] = opts.duration
    if opts.strategies is not None:
        codes = _split(opts.strategies)
        bad = [c for c in codes if c not in SUBSTRATEGY_CODES]
        if bad:
            raise SessionInputError(
                f"--strategies: {', '.join(repr(c) for c in bad)} is not a sub-strategy code.",
                "Nothing was saved. Use the codes of Balabanovic 2017: " + ", ".join(SUBSTRATEGY_CODES) + ".",
            )
        out["substrategies"] = codes
    if opts.feelings is not None:
        names = _split(opts.feelings)
        values = [f.value for f in Feeling]
        bad = [n for n in names if n not in values]
        if bad:
            raise SessionInputError(
                f"--feelings: {', '.join(repr(n) for n in bad)} is not one of the feelings.",
                "Nothing was saved. Use any of: " + ", ".join(values) + " (with 'other', give --feeling-other TEXT).",
            )
        out["feelings"] = names
    if opts.themes is not None:
        out["themes"] = _split(opts.themes)
    if opts.ticks is not None:
        names = _split(opts.ticks)
        bad = [n for n in names if n not in TICKS]
        if bad:
            raise SessionInputError(
                f"--ticks: {', '.join(repr(n) for n in bad)} is not a tick.",
                "Nothing was saved. Use any of: " + ", ".join(TICKS) + ".",
            )
        for name in names:
            out[TICKS[name]] = True
    return out


def _build(data: Mapping[str, Any]) -> Session:
    """A session from checked keys, through the model's own codecs and rules."""
    try:
        session = Session.from_dict(data)
    except ValueError as err:
        raise SessionInputError(str(err)) from None
    errors = session.validate()
    if errors:
        named = " ".join(f"'{e.field}': {e.message}" for e in errors)
        raise SessionInputError(named)
    return session


def _attendance_hint(data: Mapping[str, Any]) -> None:
    value = data.get("attendance")
    if isinstance(value, str) and value not in {a.value for a in Attendance}:
        raise SessionInputError(
            f"'attendance': '{value}' is not an attendance.",
            "Nothing was saved. Use one of: " + ", ".join(a.value for a in Attendance) + ".",
        )


def _clean(data: Mapping[str, Any]) -> tuple[dict[str, Any], bool]:
    """``data`` without the keys storage assigns or a signature; True if a signature was dropped."""
    signed = any(data.get(k) not in (None, "") for k in SIGNATURE_KEYS)
    kept = {k: v for k, v in data.items() if k not in STORAGE_KEYS | SIGNATURE_KEYS and k != "addenda"}
    return kept, signed


def new_session(from_json: Mapping[str, Any] | None, opts: SessionOptions) -> tuple[Session, list[str]]:
    """The session to add: the JSON keys (if any) with the options laid over them.

    Returns the session and notes for the user (e.g. that a signature in the file was not copied).
    Raises :class:`SessionInputError` naming the key on any problem; nothing is written here.
    """
    notes: list[str] = []
    data: dict[str, Any] = {}
    if from_json is not None:
        _check_keys(from_json)
        data, signed = _clean(from_json)
        if signed:
            notes.append("The file's session was signed; the new copy is unsigned until you sign it (session sign).")
    data.update(_overlay(opts))
    for key, option in (("date", "--date"), ("stage", "--stage"), ("attendance", "--attendance")):
        if key not in data:
            raise SessionInputError(
                f"'{key}' is missing: give {option} (or the '{key}' key in --from-json).",
                "Nothing was saved.",
            )
    if "note" not in data and from_json is None:
        raise SessionInputError("The note is missing: give --file NOTE.md (or --from-json FILE).", "Nothing was saved.")
    _attendance_hint(data)
    return _build(data), notes


def merged_session(stored: Session, from_json: Mapping[str, Any] | None, opts: SessionOptions) -> Session:
    """``stored`` with the keys of ``from_json`` and the given options changed; everything else kept.

    Refuses a signed session (add an addendum instead) and a file naming another session.
    """
    if stored.is_signed:
        raise SessionInputError(
            "This session is signed and can no longer be edited.", "Nothing was changed. Add a dated addendum instead."
        )
    data = stored.to_dict()
    if from_json is not None:
        _check_keys(from_json)
        other = from_json.get("id")
        if other not in (None, "", stored.id):
            raise SessionInputError(f"'id': the file is for session '{other}', not '{stored.id}'.", "Nothing was changed.")
        kept, _ = _clean(from_json)
        data.update(kept)
    data.update(_overlay(opts))
    _attendance_hint(data)
    session = _build(data)
    session.id = stored.id
    if session.to_dict() == stored.to_dict():
        raise SessionInputError(
            "Nothing to change: the options and keys given match the session as it is.",
            "Nothing was changed. Give --from-json FILE or at least one option such as --ticks or --plan.",
        )
    return session


def describe_sign(session: Session) -> str:
    """One line confirming a signature."""
    at = session.signed_at.isoformat(timespec="seconds") if session.signed_at else "?"
    return f"Signed session {session.id} at {at} (sha256 {session.content_hash})."
