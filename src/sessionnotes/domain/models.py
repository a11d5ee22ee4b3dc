"""The clinical record as plain dataclasses: clients, sessions, addenda, audit entries.

No I/O and no third-party imports. Every model converts to and from a JSON-safe ``dict``:

* ``to_dict()`` writes ``"schema": SCHEMA_VERSION``, dates as ``YYYY-MM-DD``, datetimes as ISO 8601
  in UTC, enums as their string values.
* ``from_dict(d)`` raises ``ValueError`` with a readable message for a value it cannot accept, and
  keeps any key it does not know in ``extra``; ``to_dict()`` writes those keys back unchanged, so
  fields added by a newer sessionnotes survive a save by an older one.
* ``X.from_dict(x.to_dict()) == x`` for every valid ``x``.

Schema convention: additive changes (new optional fields) keep ``SCHEMA_VERSION``; a change an
older version could misread (a renamed field, a new enum value, a new stage) bumps it, and older
versions then refuse the record with "upgrade sessionnotes" rather than misreading it.

Two kinds of checking exist. *Structural* checks (types, dates, enum values, stage codes, ranges)
guard the file format: ``from_dict`` and ``to_dict`` raise on them. *Clinical record rules*
(a name is required, an NHS number passes its check digit, a discharged client has a discharge
date) are reported by ``validate()`` as a list of :class:`FieldError` for the user to fix.
Nothing here reads the clock; callers pass ``today`` or timestamps in.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import MISSING, dataclass, field, fields
from enum import StrEnum
from typing import Any, ClassVar, Self

from .nhs import is_valid_nhs_number
from .stages import STAGE_CODES, SUBSTRATEGY_CODES

__all__ = [
    "ACCESS_NEEDS",
    "AGREEMENT_STATES",
    "AUDIT_ACTIONS",
    "GENESIS_HASH",
    "RETENTION_YEARS",
    "SCHEMA_VERSION",
    "Addendum",
    "Attendance",
    "AuditEntry",
    "Client",
    "ClientStatus",
    "ClientSummary",
    "Feeling",
    "FieldError",
    "Session",
    "audit_hash",
    "canonical_json",
    "next_audit_entry",
    "summarise",
    "verify_chain",
]

AGREEMENT_STATES: tuple[str, ...] = ("not-yet", "partly", "yes")
"""Has the patient agreed that emotional factors may be relevant? (a gate for sharing L4-L5;
Joint Commissioning Panel for Mental Health 2017)"""

ACCESS_NEEDS: tuple[str, ...] = ("mobility", "brain-fog", "remote-sessions", "fatigue", "sensory", "other")

MAX_SUPERVISION_QUESTIONS = 4000
"""Characters of "questions for supervision": a page of questions; more is almost certainly a pasted note."""
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
"""Characters no typed text holds (tab and newline are allowed)."""

SCHEMA_VERSION = 1
"""Version of the stored record layout written by this code (see the module docstring)."""

RETENTION_YEARS = 20
"""Adult mental-health records are kept 20 years after treatment ends (NHS England Records
Management Code of Practice); a client's ``retention_until`` can override it."""

GENESIS_HASH = "0" * 64
"""The ``prev_hash`` of the first entry in an audit chain."""

AUDIT_ACTIONS: tuple[str, ...] = (
    "created",
    "edited",
    "signed",
    "addendum",
    "exported",
    "viewed-in-export",
    "discharged",
    "reopened",
    "restored",
    "erased",
)
"""What an audit entry can record."""


class Attendance(StrEnum):
    """What happened to a booked session. Attendance is recorded, never scored as engagement."""

    ATTENDED = "attended"
    LATE = "late"
    DNA = "dna"  # did not attend, without notice
    CANCELLED_BY_PATIENT = "cancelled-by-patient"
    CANCELLED_BY_THERAPIST = "cancelled-by-therapist"


class ClientStatus(StrEnum):
    """Whether the client is on the open caseload or discharged."""

    OPEN = "open"
    DISCHARGED = "discharged"


class Feeling(StrEnum):
    """Feelings the therapist noticed in themselves during a session (countertransference).

    Boredom, irritation, hopelessness, helplessness and overwhelm recurring over several sessions
    are a prompt to take the work to supervision, not a judgement of the patient.
    """

    BORED = "bored"
    IRRITATED = "irritated"
    HOPELESS = "hopeless"
    HELPLESS = "helpless"
    OVERWHELMED = "overwhelmed"
    ANXIOUS = "anxious"
    WARM = "warm"
    CURIOUS = "curious"
    OTHER = "other"


def split_names(text: str) -> list[str]:
    """A comma-separated list as typed ("Roz, Bernie,") -> its entries, trimmed, empty ones dropped,
    each kept once."""
    out: list[str] = []
    for part in text.split(","):
        part = " ".join(part.split())
        if part and part.casefold() not in {p.casefold() for p in out}:
            out.append(part)
    return out


@dataclass(frozen=True)
class FieldError:
    """A problem with one field, worded for the therapist (e.g. "Enter the client's name.")."""

    field: str
    message: str

    def __str__(self) -> str:
        return self.message


def canonical_json(value: Any) -> str:
    """The one JSON spelling used for hashing: sorted keys, no spaces, Unicode kept as is."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _sha256_hex(value: Any) -> str:
    # surrogatepass: a lone surrogate (e.g. from a badly decoded file) still hashes stably.
    return hashlib.sha256(canonical_json(value).encode("utf-8", "surrogatepass")).hexdigest()


# --------------------------------------------------------------------------------------------
# Codecs: how each field is written to and read from JSON. Both directions raise ValueError
# with a clause such as "must be a date written YYYY-MM-DD (got '2026-13-01')".
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Codec:
    dump: Callable[[Any], Any]
    load: Callable[[Any], Any]


def _got(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _text_value(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be text (got {_got(value)})")
    return value


def _int_value(value: Any, minimum: int, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"must be a whole number (got {_got(value)})")
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"from {minimum} to {maximum}" if maximum is not None else f"of {minimum} or more"
        raise ValueError(f"must be a whole number {bound} (got {value})")
    return value


def _bool_value(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false (got {_got(value)})")
    return value


def _dump_date(value: Any) -> str:
    if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
        raise ValueError(f"must be a date (got {_got(value)})")
    return value.isoformat()


# Dates: ONE home for what a date in a record may be. Written exactly YYYY-MM-DD (Python's
# fromisoformat also takes 20260302 and 2026-W10-1, which no therapist means), and inside a
# plausible span: nothing in a living client's record is dated before 1900 or after 2100.
_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
EARLIEST_DATE = dt.date(1900, 1, 1)
LATEST_DATE = dt.date(2100, 12, 31)
EARLIEST_SESSION = dt.date(2000, 1, 1)


def parse_iso_date(text: str, what: str = "The date") -> dt.date:
    """A real calendar date written YYYY-MM-DD, in the plausible span; else ValueError with a
    sentence for the therapist naming `what`."""
    text = text.strip()
    day = None
    if _ISO_DAY.fullmatch(text):
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            raise ValueError(f"{what} '{text}' is not a date: there is no such day in the calendar.") from None
    if day is None:
        raise ValueError(f"{what} '{text}' is not a date written YYYY-MM-DD, e.g. 2026-03-02.")
    problem = date_out_of_span(day)
    if problem:
        raise ValueError(f"{what} {problem}.")
    return day


def date_out_of_span(day: dt.date, earliest: dt.date = EARLIEST_DATE) -> str | None:
    if day < earliest:
        return f"{day.isoformat()} is implausibly early (before {earliest.isoformat()})"
    if day > LATEST_DATE:
        return f"{day.isoformat()} is implausibly late (after {LATEST_DATE.isoformat()})"
    return None


def _load_date(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"must be a date written YYYY-MM-DD (got {_got(value)})")


def _span_errors(record: Any, names: Iterable[str], bad: set[str], earliest: dt.date = EARLIEST_DATE) -> list[FieldError]:
    out = []
    for name in names:
        day = getattr(record, name, None)
        if name in bad or not isinstance(day, dt.date):
            continue
        problem = date_out_of_span(day, earliest)
        if problem:
            out.append(FieldError(name, f"{record._label(name)}: {problem}."))
    return out


_AWARE = "must be a date and time with a time zone, e.g. 2026-03-02T14:00:00+00:00"


def _dump_datetime(value: Any) -> str:
    if not isinstance(value, dt.datetime):
        raise ValueError(f"{_AWARE} (got {_got(value)})")
    if value.utcoffset() is None:
        raise ValueError(f"{_AWARE}; this one has no time zone")
    return value.astimezone(dt.UTC).isoformat()


def _load_datetime(value: Any) -> dt.datetime:
    parsed: dt.datetime | None = None
    if isinstance(value, dt.datetime):
        parsed = value
    elif isinstance(value, str):
        try:
            parsed = dt.datetime.fromisoformat(value)
        except ValueError:
            parsed = None
    if parsed is None or parsed.utcoffset() is None:
        raise ValueError(f"{_AWARE} (got {_got(value)})")
    return parsed.astimezone(dt.UTC)


def _optional(codec: _Codec) -> _Codec:
    return _Codec(
        dump=lambda v: None if v is None else codec.dump(v),
        load=lambda v: None if v is None else codec.load(v),
    )


def _list_of(item: _Codec) -> _Codec:
    def convert(convert_item: Callable[[Any], Any]) -> Callable[[Any], list[Any]]:
        def run(value: Any) -> list[Any]:
            if not isinstance(value, list | tuple):
                raise ValueError(f"must be a list (got {_got(value)})")
            out = []
            for position, element in enumerate(value, start=1):
                try:
                    out.append(convert_item(element))
                except ValueError as err:
                    raise ValueError(f"item {position} {err}") from None
            return out

        return run

    return _Codec(dump=convert(item.dump), load=convert(item.load))


def _choice(choices: Sequence[str], allow_empty: bool = False) -> _Codec:
    def check(value: Any) -> str:
        if isinstance(value, str) and (value in choices or (allow_empty and value == "")):
            return value
        empty = ", or empty" if allow_empty else ""
        raise ValueError(f"must be one of: {', '.join(choices)}{empty} (got {_got(value)})")

    return _Codec(dump=check, load=check)


def _enum(enum_cls: type[StrEnum]) -> _Codec:
    values = [member.value for member in enum_cls]

    def load(value: Any) -> StrEnum:
        if isinstance(value, str) and value in values:
            return enum_cls(value)
        raise ValueError(f"must be one of: {', '.join(values)} (got {_got(value)})")

    return _Codec(dump=lambda v: load(v).value, load=load)


def _records(record_cls: type[_Record]) -> _Codec:
    def dump(value: Any) -> dict[str, Any]:
        if not isinstance(value, record_cls):
            raise ValueError(f"must be {record_cls._KIND} records (got {_got(value)})")
        return value.to_dict()

    return _list_of(_Codec(dump=dump, load=lambda v: record_cls.from_dict(v)))


def _ints(minimum: int, maximum: int | None = None) -> _Codec:
    check: Callable[[Any], int] = lambda v: _int_value(v, minimum, maximum)  # noqa: E731
    return _Codec(dump=check, load=check)


def _hex64(value: Any) -> str:
    if isinstance(value, str) and len(value) == 64 and all(c in "0123456789abcdef" for c in value):
        return value
    raise ValueError(f"must be 64 lowercase hexadecimal characters (got {_got(value)})")


_TEXT = _Codec(dump=_text_value, load=_text_value)
_BOOL = _Codec(dump=_bool_value, load=_bool_value)
_COUNT = _ints(0)
_DATE = _Codec(dump=_dump_date, load=_load_date)
_OPT_DATE = _optional(_DATE)
_DATETIME = _Codec(dump=_dump_datetime, load=_load_datetime)
_OPT_DATETIME = _optional(_DATETIME)
_TEXT_LIST = _list_of(_TEXT)
_HASH = _Codec(dump=_hex64, load=_hex64)
_OPT_HASH = _Codec(dump=lambda v: v if v == "" else _hex64(v), load=lambda v: v if v == "" else _hex64(v))


# --------------------------------------------------------------------------------------------
# The shared record behaviour
# --------------------------------------------------------------------------------------------


class _Record:
    """Base of every model: generic ``to_dict`` / ``from_dict`` driven by ``_CODECS``.

    Subclasses are dataclasses with an ``extra: dict`` field and declare ``_KIND`` (a noun for
    messages), ``_CODECS`` (one codec per field except ``extra``) and optionally ``_LABELS``
    (field names as the therapist would say them).
    """

    _KIND: ClassVar[str] = "record"
    _CODECS: ClassVar[dict[str, _Codec]] = {}
    _LABELS: ClassVar[dict[str, str]] = {}

    extra: dict[str, Any]

    @classmethod
    def _label(cls, name: str) -> str:
        return cls._LABELS.get(name, name.replace("_", " ").capitalize())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-safe dict of this record, including ``schema`` and any preserved unknown keys.

        Raises ``ValueError`` if a field holds something that could not be read back.
        """
        out: dict[str, Any] = {"schema": SCHEMA_VERSION}
        for name, codec in self._CODECS.items():
            try:
                out[name] = codec.dump(getattr(self, name))
            except ValueError as err:
                raise ValueError(f"Cannot save this {self._KIND}: '{name}' {err}.") from None
        for key, value in self.extra.items():
            if key not in out:
                out[key] = copy.deepcopy(value)
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Self:
        """Build the record from a dict made by ``to_dict`` (possibly by a newer version).

        Unknown keys go to ``extra``. Raises ``ValueError`` naming the field on a bad value, a
        missing required field, or a record written with a newer, incompatible schema.
        """
        kind = cls._KIND
        if not isinstance(d, Mapping):
            raise ValueError(f"A {kind} record must be a JSON object (got {_got(d)}).")
        _check_schema(kind, d.get("schema", SCHEMA_VERSION))
        kwargs: dict[str, Any] = {}
        for name, load, required in _field_plan(cls):
            if name in d:
                try:
                    kwargs[name] = load(d[name])
                except ValueError as err:
                    raise ValueError(f"Invalid {kind} record: '{name}' {err}.") from None
            elif required:
                raise ValueError(f"Invalid {kind} record: the required field '{name}' is missing.")
        extra: dict[str, Any] = {}
        codecs = cls._CODECS
        for key, value in d.items():
            if key not in codecs and key != "schema":
                if not isinstance(key, str):
                    raise ValueError(f"Invalid {kind} record: field names must be text (got {_got(key)}).")
                extra[key] = copy.deepcopy(value)
        kwargs["extra"] = extra
        return cls(**kwargs)

    def _structure_errors(self) -> list[FieldError]:
        """One FieldError per field whose value could not be saved (wrong type, unknown code)."""
        errors = []
        for name, codec in self._CODECS.items():
            try:
                codec.dump(getattr(self, name))
            except ValueError as err:
                errors.append(FieldError(name, f"{self._label(name)} {err}."))
        return errors


_PLANS: dict[type, tuple[tuple[str, Callable[[Any], Any], bool], ...]] = {}


def _field_plan(cls: type[Any]) -> tuple[tuple[str, Callable[[Any], Any], bool], ...]:
    """(name, loader, required) for each field of a record class, worked out once per class."""
    plan = _PLANS.get(cls)
    if plan is None:
        codecs: dict[str, _Codec] = cls._CODECS
        plan = tuple(
            (f.name, codecs[f.name].load, f.default is MISSING and f.default_factory is MISSING)
            for f in fields(cls)
            if f.name != "extra"
        )
        _PLANS[cls] = plan
    return plan


def _check_schema(kind: str, schema: Any) -> None:
    if isinstance(schema, bool) or not isinstance(schema, int) or schema < 1:
        raise ValueError(f"Invalid {kind} record: 'schema' must be a whole number of 1 or more.")
    if schema > SCHEMA_VERSION:
        raise ValueError(
            f"This {kind} record was written by a newer version of sessionnotes (record schema "
            f"{schema}; this version reads up to {SCHEMA_VERSION}). Upgrade sessionnotes to open it."
        )


# --------------------------------------------------------------------------------------------
# Client
# --------------------------------------------------------------------------------------------


def _add_years(day: dt.date, years: int) -> dt.date:
    """``day`` moved on by whole years; 29 February becomes 1 March in a non-leap year, so a
    retention period is never cut short."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


@dataclass(kw_only=True)
class Client(_Record):
    """A patient on the therapist's caseload, with referral context.

    The referral fields matter clinically: how the GP positioned the referral and how the patient
    reacted to it (anger, shame, "the doctor thinks I'm mad") shape the first sessions.
    """

    _KIND: ClassVar[str] = "client"
    _CODECS: ClassVar[dict[str, _Codec]] = {
        "id": _TEXT,
        "name": _TEXT,
        "pseudonym": _TEXT,
        "dob": _OPT_DATE,
        "nhs_number": _TEXT,
        "gp_name": _TEXT,
        "practice": _TEXT,
        "practice_address": _TEXT,
        "referral_date": _OPT_DATE,
        "referral_source": _TEXT,
        "referral_positioning": _TEXT,
        "referral_reaction": _TEXT,
        "presenting_symptoms": _TEXT,
        "investigations": _TEXT,
        "long_term_conditions": _TEXT,
        "risk_notes": _TEXT,
        "status": _enum(ClientStatus),
        "discharge_date": _OPT_DATE,
        "retention_until": _OPT_DATE,
        "created": _OPT_DATETIME,
        "address": _TEXT,
        "postcode": _TEXT,
        "phone": _TEXT,
        "email": _TEXT,
        "referrer_goal": _TEXT,
        "patient_goal": _TEXT,
        "preferred_term": _TEXT,
        "explanatory_model": _TEXT,
        "access_needs": _TEXT_LIST,
        "access_notes": _TEXT,
        "other_professionals": _TEXT,
        "concurrent_appointments": _TEXT,
        "emotional_agreement": _choice(AGREEMENT_STATES),
        "stage_checklist": _TEXT_LIST,
        "supervision_questions": _TEXT,
        "aka": _TEXT_LIST,
        "keep_out": _TEXT_LIST,
    }
    _LABELS: ClassVar[dict[str, str]] = {
        "id": "Client id",
        "aka": "Also known as",
        "keep_out": "People and places to keep out of summaries",
        "referrer_goal": "Referrer's goal",
        "patient_goal": "Patient's goal",
        "preferred_term": "Preferred term for the symptoms",
        "explanatory_model": "Patient's own account of the symptoms",
        "access_needs": "Access needs",
        "emotional_agreement": "Agreed emotional factors may be relevant",
        "dob": "Date of birth",
        "nhs_number": "NHS number",
        "gp_name": "GP name",
        "retention_until": "Keep-until date",
    }

    id: str = ""
    """Internal id assigned by storage; never shown to the patient."""
    name: str
    """Display name (required)."""
    pseudonym: str = ""
    """Used instead of the name in supervision summaries."""
    dob: dt.date | None = None
    nhs_number: str = ""
    """Ten digits without spaces (spaces and hyphens given here are removed)."""
    gp_name: str = ""
    practice: str = ""
    practice_address: str = ""
    referral_date: dt.date | None = None
    referral_source: str = ""
    referral_positioning: str = ""
    """How the GP explained and framed the referral to the patient."""
    referral_reaction: str = ""
    """The patient's reaction to being referred for psychological therapy."""
    presenting_symptoms: str = ""
    investigations: str = ""
    """Medical investigations so far and what the patient was told about them."""
    long_term_conditions: str = ""
    risk_notes: str = ""
    status: ClientStatus = ClientStatus.OPEN
    discharge_date: dt.date | None = None
    retention_until: dt.date | None = None
    """Explicit keep-until date overriding the default retention period."""
    created: dt.datetime | None = None
    address: str = ""
    """The patient's home address (for letters; never in supervision summaries)."""
    postcode: str = ""
    phone: str = ""
    email: str = ""
    referrer_goal: str = ""
    """What the referrer hopes for (often fewer appointments or investigations); kept apart from
    the patient's goal because a mismatch is worth seeing (Balabanovic 2017)."""
    patient_goal: str = ""
    """What the patient hopes for, in their own words (often relief from the symptoms)."""
    preferred_term: str = ""
    """The patient's own word for the symptoms, used in letters (e.g. "my pain", "functional symptoms")."""
    explanatory_model: str = ""
    """The patient's own account of what is happening and why; kept beside, never merged into, the formulation."""
    access_needs: list[str] = field(default_factory=list)
    """Codes from ACCESS_NEEDS (mobility, brain-fog, remote-sessions, ...)."""
    access_notes: str = ""
    other_professionals: str = ""
    concurrent_appointments: str = ""
    emotional_agreement: str = "not-yet"
    """Whether the patient has agreed emotional factors may be relevant: not-yet, partly or yes
    (Joint Commissioning Panel for Mental Health 2017)."""
    stage_checklist: list[str] = field(default_factory=list)
    """Ticked "what good looks like" items, as "<stage>:<index>" keys."""
    supervision_questions: str = ""
    """Questions to take to supervision about this client (free text, kept until changed)."""
    aka: list[str] = field(default_factory=list)
    """Other names the client goes by (nicknames, other spellings): scrubbed from supervision summaries."""
    keep_out: list[str] = field(default_factory=list)
    """People and places to keep out of supervision summaries (relatives, employer, other
    clinicians, schools, places): scrubbed like the client's name."""
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if isinstance(self.nhs_number, str):
            self.nhs_number = "".join(c for c in self.nhs_number if c not in " -\t")

    def retention_date(self) -> dt.date | None:
        """The date until which this record must be kept.

        The explicit override if set; otherwise the discharge date plus :data:`RETENTION_YEARS`;
        ``None`` while there is no discharge date.
        """
        if self.retention_until is not None:
            return self.retention_until
        if self.discharge_date is None:
            return None
        return _add_years(self.discharge_date, RETENTION_YEARS)

    def validate(self, today: dt.date) -> list[FieldError]:
        """Problems the therapist should fix before saving, as human messages.

        ``today`` is passed in (the domain never reads the clock) and is used to catch dates of
        birth and referral dates in the future.
        """
        errors = self._structure_errors()
        bad = {e.field for e in errors}

        if "name" not in bad and not self.name.strip():
            errors.append(FieldError("name", "Enter the client's name."))

        if "nhs_number" not in bad and self.nhs_number:
            if not (len(self.nhs_number) == 10 and self.nhs_number.isascii() and self.nhs_number.isdigit()):
                errors.append(FieldError("nhs_number", "An NHS number has exactly 10 digits."))
            elif not is_valid_nhs_number(self.nhs_number):
                errors.append(
                    FieldError(
                        "nhs_number",
                        "This NHS number fails its check-digit test; check it for a typing error.",
                    )
                )

        if "supervision_questions" not in bad:
            questions = self.supervision_questions
            if _CONTROL_CHARS.search(questions):
                errors.append(
                    FieldError(
                        "supervision_questions",
                        "The questions for supervision contain control characters; type them as plain text.",
                    )
                )
            elif len(questions) > MAX_SUPERVISION_QUESTIONS:
                errors.append(
                    FieldError(
                        "supervision_questions",
                        f"The questions for supervision are {len(questions)} characters long; keep them under "
                        f"{MAX_SUPERVISION_QUESTIONS} (a page).",
                    )
                )

        for name in ("aka", "keep_out"):
            if name in bad:
                continue
            short = [v for v in getattr(self, name) if len(re.sub(r"[^\w]", "", v)) < 2]
            if short:
                label = self._LABELS[name]
                errors.append(
                    FieldError(name, f"{label}: each entry needs at least two letters (got {', '.join(map(repr, short))}).")
                )

        span = _span_errors(self, ("dob", "referral_date", "discharge_date", "retention_until"), bad)
        errors += span
        bad |= {e.field for e in span}
        dob = self.dob if "dob" not in bad else None
        referral = self.referral_date if "referral_date" not in bad else None
        discharge = self.discharge_date if "discharge_date" not in bad else None

        if dob is not None and dob > today:
            errors.append(FieldError("dob", "The date of birth is in the future."))
        if referral is not None and referral > today:
            errors.append(FieldError("referral_date", "The referral date is in the future."))
        if "discharge_date" not in bad and self.discharge_date is not None and self.discharge_date > today:
            errors.append(FieldError("discharge_date", "The discharge date is in the future."))
        if dob is not None and referral is not None and referral < dob:
            errors.append(FieldError("referral_date", "The referral date is before the date of birth."))

        if "status" not in bad:
            if self.status == ClientStatus.DISCHARGED and discharge is None:
                errors.append(FieldError("discharge_date", "Enter the discharge date for a discharged client."))
            if self.status == ClientStatus.OPEN and self.discharge_date is not None:
                errors.append(
                    FieldError(
                        "discharge_date",
                        "An open client has a discharge date; clear it, or mark the client discharged.",
                    )
                )
        if discharge is not None and referral is not None and discharge < referral:
            errors.append(FieldError("discharge_date", "The discharge date is before the referral date."))
        if (
            discharge is not None
            and "retention_until" not in bad
            and self.retention_until is not None
            and self.retention_until < discharge
        ):
            errors.append(FieldError("retention_until", "The keep-until date is before the discharge date."))
        return errors


# --------------------------------------------------------------------------------------------
# Sessions and addenda
# --------------------------------------------------------------------------------------------


@dataclass(kw_only=True)
class Addendum(_Record):
    """A dated note added to a session after it was signed; the signed text itself never changes."""

    _KIND: ClassVar[str] = "addendum"
    _CODECS: ClassVar[dict[str, _Codec]] = {"id": _TEXT, "created": _DATETIME, "text": _TEXT}

    id: str = ""
    created: dt.datetime
    text: str
    extra: dict[str, Any] = field(default_factory=dict)


_SIGNATURE_FIELDS = ("signed_at", "content_hash", "addenda", "updated")
"""Session fields outside the signed content: the signature itself and what may change after it."""

_NOT_CONTENT = ("schema", "number", *_SIGNATURE_FIELDS)
"""Keys left out of the signed content: the signature fields, the record layout version, and the
session number (storage may renumber sessions when an earlier one is entered late)."""

MAX_SESSION_MINUTES = 8 * 60


@dataclass(kw_only=True)
class Session(_Record):
    """One booked session: attendance, stage of engagement, the note, and the therapist's process.

    ``stage`` is the stage the work was in *this* session; going back a stage is ordinary.
    ``body_talk`` is the therapist's rating of how much the session was taken up with symptoms and
    investigations (0 none .. 3 almost all; ``None`` not rated); it is expected early on and only
    becomes a process question when it persists. ``feelings`` are the therapist's own reactions.
    ``private_note`` is the therapist's process note: it is never exported.
    Once signed (``signed_at`` and ``content_hash`` set) the content must not change; later
    additions go in ``addenda``.
    """

    _KIND: ClassVar[str] = "session"
    _CODECS: ClassVar[dict[str, _Codec]] = {
        "id": _TEXT,
        "date": _DATE,
        "number": _COUNT,
        "duration_minutes": _COUNT,
        "attendance": _enum(Attendance),
        "attendance_reason": _TEXT,
        "stage": _choice(STAGE_CODES),
        "substrategies": _list_of(_choice(SUBSTRATEGY_CODES)),
        "body_talk": _optional(_ints(0, 3)),
        "feelings": _list_of(_enum(Feeling)),
        "feelings_other": _TEXT,
        "themes": _TEXT_LIST,
        "homework": _TEXT,
        "plan": _TEXT,
        "note": _TEXT,
        "private_note": _TEXT,
        "no_recollection": _BOOL,
        "token_agreement": _BOOL,
        "passivity": _BOOL,
        "rupture": _BOOL,
        "repair": _BOOL,
        "signed_at": _OPT_DATETIME,
        "content_hash": _OPT_HASH,
        "addenda": _records(Addendum),
        "created": _OPT_DATETIME,
        "updated": _OPT_DATETIME,
    }
    _LABELS: ClassVar[dict[str, str]] = {
        "id": "Session id",
        "number": "Session number",
        "duration_minutes": "Duration (minutes)",
        "attendance_reason": "Reason",
        "substrategies": "Sub-strategies",
        "body_talk": "Body-talk rating",
        "feelings": "Your feelings",
        "feelings_other": "Other feeling",
        "private_note": "Private process note",
        "no_recollection": "No recollection of last session",
        "token_agreement": "Token agreement / compliance",
        "passivity": "Passivity",
        "rupture": "Rupture in the alliance",
        "repair": "Repair of a rupture",
        "signed_at": "Signed at",
    }

    id: str = ""
    date: dt.date
    number: int = 0
    """Session number for this client, assigned by storage."""
    duration_minutes: int = 50
    attendance: Attendance
    attendance_reason: str = ""
    """Why a session was missed or cut short (symptom flare, clashing appointment, forgot...)."""
    stage: str
    """A stage code from :data:`~sessionnotes.domain.stages.STAGE_CODES`."""
    substrategies: list[str] = field(default_factory=list)
    """Sub-strategy codes used in the session, e.g. ``["6.1", "6.2"]``."""
    body_talk: int | None = None
    feelings: list[Feeling] = field(default_factory=list)
    feelings_other: str = ""
    themes: list[str] = field(default_factory=list)
    homework: str = ""
    plan: str = ""
    note: str = ""
    """The clinical note (Markdown)."""
    private_note: str = ""
    no_recollection: bool = False
    """The patient seemed to have no recollection of the last session (consider brain fog first)."""
    token_agreement: bool = False
    """The patient agreed readily but without real engagement (compliance, token agreement)."""
    passivity: bool = False
    """The patient seemed to wait for the therapist to do the work (passivity)."""
    rupture: bool = False
    """A rupture in the alliance (anger, withdrawal) was noticed in this session."""
    repair: bool = False
    """A rupture (in this session or an earlier one) was talked about and repaired in this session:
    clinicians address ruptures quickly and openly so the patient does not disengage (Balabanovic
    2017, sub-category 6.5 and its discussion of alliance rupture and repair)."""
    signed_at: dt.datetime | None = None
    content_hash: str = ""
    addenda: list[Addendum] = field(default_factory=list)
    created: dt.datetime | None = None
    updated: dt.datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def is_signed(self) -> bool:
        """True once the session has been signed and its content fixed."""
        return self.signed_at is not None

    def signable_content(self) -> dict[str, Any]:
        """The clinical content a signature covers, as a JSON-safe dict.

        Everything in :meth:`to_dict` except ``signed_at``, ``content_hash``, ``addenda``,
        ``updated``, ``schema`` and ``number``. Unknown keys from newer versions are included,
        so content added by a newer version is protected too.
        """
        content = self.to_dict()
        for key in _NOT_CONTENT:
            content.pop(key, None)
        # Fields still at their default are left out, so adding a new optional field to Session
        # in a later version never changes the hash of a session signed before it existed.
        for f in fields(self):
            if f.name in content and f.name != "extra":
                if f.default is not MISSING:
                    default = f.default
                else:
                    default = f.default_factory() if f.default_factory is not MISSING else MISSING
                if default is not MISSING and content[f.name] == self._CODECS[f.name].dump(default):
                    del content[f.name]
        return content

    def compute_content_hash(self) -> str:
        """SHA-256 (hex) of the canonical JSON of :meth:`signable_content`."""
        return _sha256_hex(self.signable_content())

    def sign(self, at: dt.datetime) -> None:
        """Sign the session at ``at`` (timezone-aware): sets ``signed_at`` and ``content_hash``.

        Raises ``ValueError`` if it is already signed (add an addendum instead) or if a field
        holds a value that could not be saved.
        """
        if self.is_signed:
            raise ValueError("This session is already signed; add an addendum instead.")
        _dump_datetime(at)  # refuse a naive timestamp before changing anything
        content_hash = self.compute_content_hash()
        self.signed_at = at
        self.content_hash = content_hash

    def signature_intact(self) -> bool:
        """True when the session is signed and its content still matches the signed hash."""
        if not self.is_signed or not self.content_hash:
            return False
        try:
            return self.content_hash == self.compute_content_hash()
        except ValueError:
            return False

    def validate(self) -> list[FieldError]:
        """Problems the therapist should fix before saving, as human messages."""
        errors = self._structure_errors()
        bad = {e.field for e in errors}

        errors += _span_errors(self, ("date",), bad, EARLIEST_SESSION)
        if "duration_minutes" not in bad and self.duration_minutes > MAX_SESSION_MINUTES:
            errors.append(
                FieldError(
                    "duration_minutes",
                    f"A session longer than {MAX_SESSION_MINUTES // 60} hours is unlikely; check the duration.",
                )
            )
        if "substrategies" not in bad and len(set(self.substrategies)) != len(self.substrategies):
            errors.append(FieldError("substrategies", "A sub-strategy is ticked more than once."))
        if "feelings" not in bad:
            if len(set(self.feelings)) != len(self.feelings):
                errors.append(FieldError("feelings", "A feeling is listed more than once."))
            if Feeling.OTHER in self.feelings and not self.feelings_other.strip():
                errors.append(FieldError("feelings_other", "Say what the other feeling was."))

        if not {"signed_at", "content_hash"} & bad:
            if self.signed_at is not None and not self.content_hash:
                errors.append(FieldError("content_hash", "The session is marked signed but has no content hash."))
            elif self.signed_at is None and self.content_hash:
                errors.append(FieldError("signed_at", "The session has a content hash but no signing time."))
            elif self.signed_at is not None and not bad and not self.signature_intact():
                errors.append(
                    FieldError(
                        "content_hash",
                        "The session was changed after it was signed. Restore the signed text and add an addendum instead.",
                    )
                )
        return errors


# --------------------------------------------------------------------------------------------
# Audit trail: a hash chain, so an edited, removed or reordered entry shows
# --------------------------------------------------------------------------------------------


def audit_hash(seq: int, at: dt.datetime, action: str, target: str, detail: str, prev_hash: str) -> str:
    """SHA-256 (hex) over the canonical JSON of an entry's fields and the previous entry's hash.

    ``at`` is hashed in the same UTC ISO form that :meth:`AuditEntry.to_dict` stores.
    """
    return _sha256_hex(
        {
            "seq": seq,
            "at": _dump_datetime(at),
            "action": action,
            "target": target,
            "detail": detail,
            "prev_hash": prev_hash,
        }
    )


@dataclass(frozen=True, kw_only=True)
class AuditEntry(_Record):
    """One line of a client's audit trail: who-did-what is implicit (a single-user app), so it
    records when, what (``action``), to which record (``target``: ``"client"`` or
    ``"session:<id>"``) and a short ``detail``. Entries are chained by ``prev_hash``.

    ``extra`` (keys from newer versions) is kept but not covered by the hash.
    """

    _KIND: ClassVar[str] = "audit entry"
    _CODECS: ClassVar[dict[str, _Codec]] = {
        "seq": _ints(1),
        "at": _DATETIME,
        "action": _choice(AUDIT_ACTIONS),
        "target": _TEXT,
        "detail": _TEXT,
        "prev_hash": _HASH,
        "hash": _HASH,
    }

    seq: int
    """Position in the chain, starting at 1."""
    at: dt.datetime
    action: str
    target: str
    detail: str
    prev_hash: str
    hash: str
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def make(
        cls,
        seq: int,
        at: dt.datetime,
        action: str,
        target: str,
        detail: str,
        prev_hash: str = GENESIS_HASH,
    ) -> AuditEntry:
        """A new entry with its hash computed. Raises ``ValueError`` on an unknown action."""
        for name, value in (("seq", seq), ("action", action), ("prev_hash", prev_hash)):
            try:
                cls._CODECS[name].dump(value)
            except ValueError as err:
                raise ValueError(f"Cannot make an audit entry: '{name}' {err}.") from None
        digest = audit_hash(seq, at, action, target, detail, prev_hash)
        return cls(seq=seq, at=at, action=action, target=target, detail=detail, prev_hash=prev_hash, hash=digest)

    def expected_hash(self) -> str:
        """The hash this entry's fields should have."""
        return audit_hash(self.seq, self.at, self.action, self.target, self.detail, self.prev_hash)


def next_audit_entry(entries: Sequence[AuditEntry], at: dt.datetime, action: str, target: str, detail: str = "") -> AuditEntry:
    """The entry that follows ``entries`` (next ``seq``, chained to the last hash)."""
    if entries:
        return AuditEntry.make(entries[-1].seq + 1, at, action, target, detail, entries[-1].hash)
    return AuditEntry.make(1, at, action, target, detail, GENESIS_HASH)


def verify_chain(entries: Iterable[AuditEntry], *, expected_last_hash: str | None = None) -> list[str]:
    """Check an audit trail; return the problems found as sentences (empty when intact).

    Finds gaps or disorder in ``seq``, an entry whose ``prev_hash`` does not match the entry
    before it, and an entry whose hash does not match its contents. Removing entries from the
    end of a chain leaves a valid shorter chain: pass ``expected_last_hash`` (kept elsewhere,
    e.g. in the file header) to catch that too.
    """
    problems: list[str] = []
    prev_hash = GENESIS_HASH
    for position, entry in enumerate(entries, start=1):
        where = f"Audit entry {position} ({entry.action} {entry.target})"
        if entry.seq != position:
            problems.append(
                f"{where} has sequence number {entry.seq} where {position} was expected; "
                "an entry may have been removed, added or moved."
            )
        if entry.prev_hash != prev_hash:
            problems.append(
                f"{where} does not follow on from the entry before it; an earlier entry may have been removed, moved or edited."
            )
        try:
            intact = entry.hash == entry.expected_hash()
        except ValueError as err:
            problems.append(f"{where} cannot be checked: {err}")
        else:
            if not intact:
                problems.append(f"{where} does not match its own hash; it may have been edited.")
        prev_hash = entry.hash
    if expected_last_hash is not None and prev_hash != expected_last_hash:
        problems.append("The audit trail does not end where expected; entries may have been removed from the end.")
    return problems


# --------------------------------------------------------------------------------------------
# Caseload row
# --------------------------------------------------------------------------------------------


@dataclass(kw_only=True)
class ClientSummary(_Record):
    """One row of the caseload list, small enough to keep in the index for every client.

    ``stage`` is the stage of the latest session ("" before any); ``dnas`` counts sessions the
    patient did not attend without notice. This is a description, never an engagement score.
    ``source_counter`` is the save counter of the client file the row was computed from, so a
    stale row can be spotted and rebuilt.
    """

    _KIND: ClassVar[str] = "caseload row"
    _CODECS: ClassVar[dict[str, _Codec]] = {
        "id": _TEXT,
        "name": _TEXT,
        "pseudonym": _TEXT,
        "status": _enum(ClientStatus),
        "stage": _choice(STAGE_CODES, allow_empty=True),
        "last_session": _OPT_DATE,
        "sessions": _COUNT,
        "dnas": _COUNT,
        "open_flags": _COUNT,
        "source_counter": _COUNT,
    }

    id: str
    name: str
    pseudonym: str = ""
    status: ClientStatus = ClientStatus.OPEN
    stage: str = ""
    last_session: dt.date | None = None
    sessions: int = 0
    dnas: int = 0
    open_flags: int = 0
    source_counter: int = 0
    extra: dict[str, Any] = field(default_factory=dict)


def summarise(client: Client, sessions: Sequence[Session], *, open_flags: int = 0, source_counter: int = 0) -> ClientSummary:
    """The caseload row for ``client`` given all of its sessions (in any order).

    The latest session is the one with the latest date (then the highest number).
    """
    latest = max(sessions, key=lambda s: (s.date, s.number), default=None)
    return ClientSummary(
        id=client.id,
        name=client.name,
        pseudonym=client.pseudonym,
        status=client.status,
        stage=latest.stage if latest is not None else "",
        last_session=latest.date if latest is not None else None,
        sessions=len(sessions),
        dnas=sum(1 for s in sessions if s.attendance == Attendance.DNA),
        open_flags=open_flags,
        source_counter=source_counter,
    )


def _check_codecs() -> None:
    """Every model field (except ``extra``) must have a codec, and nothing else."""
    for model in (Client, Addendum, Session, AuditEntry, ClientSummary):
        names = {f.name for f in fields(model)} - {"extra"}
        if names != set(model._CODECS):
            raise TypeError(f"{model.__name__}: codecs do not match fields: {names ^ set(model._CODECS)}")


_check_codecs()


def record_date_problems(client: Client, session_dates: Iterable[dt.date]) -> list[FieldError]:
    """Dates that contradict the rest of the record: a discharge before the client's last
    session (it would start the retention period early and let the record be erased too soon)."""
    last = max(session_dates, default=None)
    if client.discharge_date is not None and last is not None and client.discharge_date < last:
        return [
            FieldError(
                "discharge_date",
                f"The discharge date {client.discharge_date.isoformat()} is before the client's last session "
                f"({last.isoformat()}).",
            )
        ]
    return []
