"""Every field of the client record, with inline errors (dates, NHS number check digit)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, Static, TextArea

from ...domain.models import Client, FieldError, split_names
from ...domain.nhs import format_nhs_number, is_valid_nhs_number

# (field, label, kind): kind "date" and "nhs" get checked as you type; "long" is several lines (a text area).
FIELDS: tuple[tuple[str, str, str], ...] = (
    ("name", "Name", "text"),
    ("pseudonym", "Pseudonym (used instead of the name in supervision)", "text"),
    ("dob", "Date of birth (YYYY-MM-DD)", "date"),
    ("nhs_number", "NHS number", "nhs"),
    ("address", "Home address", "text"),
    ("postcode", "Postcode", "text"),
    ("phone", "Phone", "text"),
    ("email", "Email", "text"),
    ("gp_name", "GP", "text"),
    ("practice", "Practice", "text"),
    ("practice_address", "Practice address", "text"),
    ("referral_date", "Referral date (YYYY-MM-DD)", "date"),
    ("referral_source", "Referred by", "text"),
    ("referral_positioning", "How the GP explained the referral", "text"),
    ("referral_reaction", "How the client felt about being referred", "text"),
    ("presenting_symptoms", "Presenting symptoms", "text"),
    ("investigations", "Investigations so far, and what the client was told", "text"),
    ("long_term_conditions", "Long-term conditions", "text"),
    ("risk_notes", "Risk notes", "text"),
    ("aka", "Also known as (nicknames, other spellings; commas between)", "list"),
    ("keep_out", "Keep out of summaries (relatives, employer, clinicians, places; commas)", "list"),
    ("retention_until", "Keep until (YYYY-MM-DD, optional; default: 20 years after discharge)", "date"),
    ("supervision_questions", "Questions for supervision (printed in the supervision summary)", "long"),
)
KINDS = {name: kind for name, _, kind in FIELDS}


def _shown(client: Client, name: str) -> str:
    value = getattr(client, name)
    if value is None:
        return ""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if name == "nhs_number" and value and is_valid_nhs_number(value):
        return format_nhs_number(value)
    return str(value)


def field_problem(kind: str, text: str) -> str:
    """A sentence about one field's text, or '' when it is acceptable as typed."""
    text = text.strip()
    if not text:
        return ""
    if kind == "date":
        from ...domain.models import parse_iso_date

        try:
            parse_iso_date(text)
        except ValueError as e:
            return str(e)
    if kind == "nhs":
        digits = "".join(c for c in text if c not in " -\t")
        if not (len(digits) == 10 and digits.isascii() and digits.isdigit()):
            return "An NHS number has exactly 10 digits (spaces allowed)."
        if not is_valid_nhs_number(digits):
            return "This NHS number fails its check-digit test; check it for a typing error."
    return ""


class ClientForm(VerticalScroll):
    """The record tab. ``values()`` is what is typed; ``build()`` turns it into a Client."""

    DEFAULT_CSS = """
    ClientForm { padding: 0 1; }
    ClientForm .form-row { height: auto; margin-top: 1; }
    ClientForm .form-row Label { width: 34; color: $text-muted; }
    ClientForm .form-row Input { width: 1fr; }
    ClientForm .form-row TextArea { width: 1fr; height: 6; }
    ClientForm .field-error { margin-left: 34; }
    ClientForm #status-line { margin: 1 0; text-style: bold; }
    ClientForm #form-hint { color: $text-muted; margin-top: 1; }
    """

    def compose(self) -> ComposeResult:
        yield Static("", id="status-line")
        for name, label, _ in FIELDS:
            with Horizontal(classes="form-row"):
                yield Label(label, id=f"label-{name}")
                if KINDS[name] == "long":
                    yield TextArea(id=f"f-{name}", compact=True, soft_wrap=True, tab_behavior="focus")
                else:
                    yield Input(id=f"f-{name}", compact=True, select_on_focus=False)  # typing never wipes a field by accident
            yield Static("", id=f"err-{name}", classes="field-error")
        yield Static("Tab moves to the next field; ctrl+s saves the record.", id="form-hint")

    def load(self, client: Client) -> None:
        self.set_values({name: _shown(client, name) for name, _, _ in FIELDS})

    def set_values(self, values: dict[str, str]) -> None:
        for name, _, kind in FIELDS:
            if kind == "long":
                self.query_one(f"#f-{name}", TextArea).load_text(str(values.get(name, "")))
            else:
                self.query_one(f"#f-{name}", Input).value = str(values.get(name, ""))
        self.show_errors([])

    def values(self) -> dict[str, str]:
        return {
            name: self.query_one(f"#f-{name}", TextArea).text if kind == "long" else self.query_one(f"#f-{name}", Input).value
            for name, _, kind in FIELDS
        }

    def build(self, base: Client, today: dt.date) -> tuple[Client | None, list[FieldError]]:
        """The client with the typed values on top of ``base`` (status, ids...), or the problems."""
        values = self.values()
        errors = [FieldError(name, p) for name, kind in KINDS.items() if (p := field_problem(kind, values[name]))]
        if errors:
            return None, errors
        changes: dict[str, Any] = {}
        for name, kind in KINDS.items():
            text = values[name].strip()
            if kind == "date":
                changes[name] = dt.date.fromisoformat(text) if text else None
            elif kind == "nhs":
                changes[name] = "".join(c for c in text if c not in " -\t")
            elif kind == "list":
                changes[name] = split_names(text)
            else:
                changes[name] = text
        client = replace(base, **changes)
        errors = client.validate(today)
        return (None, errors) if errors else (client, [])

    def show_errors(self, errors: list[FieldError]) -> None:
        by_field: dict[str, list[str]] = {}
        for e in errors:
            by_field.setdefault(e.field, []).append(e.message)
        for name, _, _ in FIELDS:
            box = self.query_one(f"#err-{name}", Static)
            box.update(" ".join(by_field.get(name, [])))
            box.set_class(name in by_field, "-show")
        if errors:
            first = next((n for n, _, _ in FIELDS if n in by_field), None)
            if first:
                self.query_one(f"#f-{first}").focus()

    @on(Input.Changed)
    def _check_as_typed(self, event: Input.Changed) -> None:
        name = (event.input.id or "")[2:]
        kind = KINDS.get(name)
        if kind in ("date", "nhs"):
            problem = field_problem(kind, event.value)
            box = self.query_one(f"#err-{name}", Static)
            # a half-typed date is not an error yet: only complain once it is long enough
            complete = len(event.value.strip()) >= (10 if kind == "date" else 10)
            box.update(problem if complete else "")
            box.set_class(bool(problem) and complete, "-show")
