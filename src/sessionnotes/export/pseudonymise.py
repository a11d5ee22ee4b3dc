"""Pseudonymisation for supervision exports: scrub, then verify.

1. Scrub: every identifier held for the client that occurs in free text is replaced by the
   pseudonym or a placeholder ([GP], [practice], [date of birth], ...). Anything shaped like an
   email address, a UK phone number, a postcode or an NHS number is replaced too, whoever it
   belongs to.
2. Verify: the rendered export is scanned for every identifier again, in the variants people
   write (name parts, DOB in common date formats, NHS number with and without spaces, ...). If any
   remains, the export is refused and the *field* is named, never the value.

Automatic scrubbing cannot know every identifier (a street named in passing, a rare job): the
therapist is reminded to read the summary before sharing it.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from ..domain.models import Client
from ..vault.errors import VaultError

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
_TITLES = {"dr", "doctor", "mr", "mrs", "ms", "miss", "mx", "prof", "professor"}
_GENERIC_PLACE_WORDS = {
    "surgery",
    "practice",
    "medical",
    "centre",
    "center",
    "health",
    "group",
    "road",
    "street",
    "lane",
    "the",
    "and",
    "of",
    "house",
    "clinic",
    "partnership",
}


class IdentifierLeft(VaultError):
    def __init__(self, fields: list[str]) -> None:
        self.fields = fields
        super().__init__(
            "The supervision summary was not written: it still contains the client's " + ", ".join(fields) + ".",
            "Edit the wording that holds it (or use a pseudonym in your notes), then export again.",
        )


@dataclass(frozen=True)
class Identifier:
    field: str  # what it is, for messages: "name", "date of birth", "GP name", ...
    pattern: re.Pattern[str]
    placeholder: str
    whole: bool = True  # a whole value (scrubbed first) rather than one part of it


def _words(text: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z\u00C0-\u024F'\-]+", text)]


def _phrase(value: str, *, case_sensitive: bool = False) -> re.Pattern[str]:
    """`value` as whole words, tolerant of runs of whitespace and line breaks."""
    parts = [re.escape(p) for p in value.split()]
    body = r"\s+".join(parts)
    return re.compile(rf"(?<![\w]){body}(?![\w])", 0 if case_sensitive else re.IGNORECASE)


def _dob_patterns(d: dt.date) -> list[str]:
    day, month, year = d.day, d.month, d.year
    yy = f"{year % 100:02d}"
    mon = MONTHS[month - 1]
    ords = r"(?:st|nd|rd|th)?"
    numeric = [
        rf"0?{day}[/.\-]0?{month}[/.\-](?:{year}|{yy})",
        rf"{year}[/.\-]0?{month}[/.\-]0?{day}",
        rf"0?{month}[/.\-]0?{day}[/.\-](?:{year}|{yy})",  # US order, just in case
    ]
    worded = [
        rf"{day}{ords}\s+(?:of\s+)?(?:{mon}|{mon[:3]})\.?,?\s+(?:{year}|'?{yy})",
        rf"(?:{mon}|{mon[:3]})\.?\s+{day}{ords},?\s+{year}",
    ]
    return [rf"(?<!\d){p}(?!\d)" for p in numeric] + worded


def identifiers(client: Client) -> list[Identifier]:
    """Every identifier held for the client, as patterns with a placeholder."""
    ids: list[Identifier] = []
    pseudonym = client.pseudonym or "the client"

    def add(field: str, pattern: str | re.Pattern[str], placeholder: str, whole: bool = True) -> None:
        pat = pattern if isinstance(pattern, re.Pattern) else re.compile(pattern, re.IGNORECASE)
        ids.append(Identifier(field, pat, placeholder, whole))

    if client.name.strip():
        add("name", _phrase(client.name), pseudonym)
        for part in _words(client.name):
            for piece in [part, *part.split("-")]:
                if len(piece) >= 2 and piece.lower() not in _TITLES:
                    # Name parts are matched as written (capitalised): "Hope" the name, not "hope" the word.
                    add("name", _phrase(piece, case_sensitive=True), pseudonym, whole=False)
                    add("name", _phrase(piece.upper(), case_sensitive=True), pseudonym, whole=False)
    if client.dob:
        for p in _dob_patterns(client.dob):
            add("date of birth", p, "[date of birth]")
    if client.nhs_number:
        n = re.sub(r"\D", "", client.nhs_number)
        if len(n) == 10:
            add("NHS number", rf"(?<!\d){n[:3]}[\s\-]?{n[3:6]}[\s\-]?{n[6:]}(?!\d)", "[NHS number]")
    if client.gp_name.strip():
        add("GP name", _phrase(client.gp_name), "[GP]")
        for part in _words(client.gp_name):
            if len(part) >= 3 and part.lower() not in _TITLES:
                add(
                    "GP name",
                    re.compile(rf"(?:\b(?:Dr|Doctor)\.?\s+)?{_phrase(part, case_sensitive=True).pattern}"),
                    "[GP]",
                    whole=False,
                )
    if client.practice.strip():
        add("practice name", _phrase(client.practice), "[practice]")
        for part in _words(client.practice):
            if len(part) >= 4 and part.lower() not in _GENERIC_PLACE_WORDS:
                add("practice name", _phrase(part, case_sensitive=True), "[practice]", whole=False)
    for field, value, placeholder in (
        ("practice address", client.practice_address, "[practice address]"),
        ("address", client.address, "[address]"),
    ):
        for line in re.split(r"[,\n]", value):
            line = line.strip()
            if len(line) >= 4:
                add(field, _phrase(line), placeholder)
    if client.postcode.strip():
        pc = re.sub(r"\s", "", client.postcode)
        add("postcode", rf"(?<!\w){re.escape(pc[:-3])}\s*{re.escape(pc[-3:])}(?!\w)", "[postcode]")
    if client.phone.strip():
        digits = re.sub(r"\D", "", client.phone)
        if len(digits) >= 6:
            local = digits[2:] if digits.startswith("44") else digits.lstrip("0")
            sep = r"[\s\-().]*"
            body = sep.join(re.escape(c) for c in local)
            add("phone number", rf"(?<!\d)(?:\+?44{sep}(?:\(0\))?{sep}|0{sep})?{body}(?!\d)", "[phone]")
    if client.email.strip():
        add("email address", re.escape(client.email.strip()), "[email]")
    return ids


# Patterns scrubbed whoever they belong to (a relative's phone, another clinician's email...)
_GENERIC = [
    (re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"), "[email]"),
    (re.compile(r"(?<!\d)(?:\+44\s?|0)(?:\d[\s\-]?){9,10}(?!\d)"), "[phone]"),
    (re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"), "[postcode]"),
    (re.compile(r"(?<!\d)\d{3}[\s\-]?\d{3}[\s\-]?\d{4}(?!\d)"), "[NHS number]"),
]


def scrub(text: str, ids: list[Identifier]) -> str:
    # whole values first, so "Dr Osric Vantablack" becomes one [GP], not "[GP] [GP]"
    for ident in sorted(ids, key=lambda i: not i.whole):
        text = ident.pattern.sub(ident.placeholder, text)
    for pat, placeholder in _GENERIC:
        text = pat.sub(placeholder, text)
    return text


def remaining(text: str, ids: list[Identifier]) -> list[str]:
    """Fields whose identifiers still occur in `text` (each field named once, in order)."""
    found: list[str] = []
    for ident in ids:
        if ident.field not in found and ident.pattern.search(text):
            found.append(ident.field)
    return found


def verify(rendered_texts: list[str], ids: list[Identifier]) -> None:
    fields: list[str] = []
    for t in rendered_texts:
        for f in remaining(t, ids):
            if f not in fields:
                fields.append(f)
    if fields:
        raise IdentifierLeft(fields)
