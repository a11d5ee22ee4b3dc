"""Pseudonymisation for supervision exports: scrub, then verify (then review, in :mod:`.review`).

1. Scrub: every identifier declared for the client is replaced wherever it occurs in free text:
   the name, the "also known as" names (by the pseudonym), the GP and practice, other
   professionals named in the record, the people and places to keep out of summaries, the
   address and street, the date of birth, NHS number, postcode, phone and email. Each declared
   name is turned into its variants by structure, not by example: the whole name with or without
   a title, each part alone (any case; a part that is also an ordinary word only when
   capitalised), possessives, initials before a part ("T. Halloran"), a title with an initial
   ("Dr T."), initials together ("T.H."). Anything shaped like an email (also spelled out:
   "name dot x at example dot com"), a UK phone number, a postcode, a street ("Fenwick Rd"), or an
   NHS number that passes its check digit (in any grouping) is replaced whoever it belongs to.
2. Verify: the rendered export is scanned again with every one of those patterns. If anything
   remains, the export is refused and the *field* is named, never the value.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from ..domain.models import Client
from ..domain.nhs import is_valid_nhs_number
from ..vault.errors import VaultError
from .wordlist import GRAMMAR_WORDS, is_known_word

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
_TITLES = {"dr", "doctor", "mr", "mrs", "ms", "miss", "mx", "prof", "professor", "sir", "dame", "rev", "revd"}
# In a case-insensitive pattern; titles that are also ordinary words only when capitalised.
_TITLE_RE = r"(?:(?:dr|doctor|mr|mrs|ms|mx|prof|professor|revd?|(?-i:Miss|Sir|Dame))\.?\s+)"
# Words that name a kind of place or relation rather than one person or place: never scrubbed alone.
_GENERIC_WORDS = {
    "surgery",
    "practice",
    "medical",
    "centre",
    "center",
    "health",
    "group",
    "the",
    "and",
    "of",
    "house",
    "clinic",
    "partnership",
    "hospital",
    "school",
    "college",
    "university",
    "ltd",
    "limited",
    "plc",
    "company",
    "services",
    "service",
    "team",
    "trust",
    "nhs",
    "uncle",
    "aunt",
    "auntie",
    "nan",
    "gran",
    "grandma",
    "grandad",
    "mum",
    "dad",
    "flat",
    "apartment",
    "apt",
    "unit",
    "suite",
    "floor",
    "room",
}
# Street-type words and their usual abbreviations.
STREET_TYPES: dict[str, tuple[str, ...]] = {
    "road": ("rd",),
    "street": ("st",),
    "lane": ("ln",),
    "close": ("cl",),
    "avenue": ("ave", "av"),
    "drive": ("dr", "drv"),
    "crescent": ("cres",),
    "grove": ("gr",),
    "gardens": ("gdns",),
    "terrace": ("terr", "ter"),
    "place": ("pl",),
    "court": ("ct",),
    "square": ("sq",),
    "parade": ("pde",),
    "park": ("pk",),
    "way": (),
    "walk": (),
    "mews": (),
    "row": (),
    "hill": (),
    "rise": (),
    "view": (),
    "green": (),
    "vale": (),
    "wharf": (),
    "boulevard": (),
}
_STREET_WORDS = frozenset(t for k, v in STREET_TYPES.items() for t in (k, *v))
_STREET_ANY = "|".join(sorted({t for k, v in STREET_TYPES.items() for t in (k, *v)}, key=len, reverse=True))
_STREET_FULL = "|".join(STREET_TYPES)
_STREET_ABBR = "|".join(sorted({a for v in STREET_TYPES.values() for a in v}, key=len, reverse=True))
# Capitalised, for streets nobody declared; "St" and "Dr" only where no name follows (Saint, Doctor).
_STREET_CAP = "|".join(t.capitalize() for t in _STREET_ANY.split("|") if t not in ("st", "dr")) + (
    r"|St\b(?!\.?\s+[A-Z])|Dr\b(?!\.?\s+[A-Z])"
)
NAME_PLACEHOLDER_OTHERS = "[name withheld]"
_PLACE_PREPOSITIONS = (
    r"(?:on|along|off|in|at|near|to|from|up|down|past|by|round|around|opposite|towards|via|behind|beside|outside)"
)
# Not the first word of a text, line, sentence or quotation: where a capital marks a name, not grammar.
_MID_SENTENCE = r"(?<!^)(?<!\n)(?<![.!?:;\n]\s)(?<![.!?]\s\s)(?<![\"'(\u2018\u201c\u2026])"


class IdentifierLeft(VaultError):
    code = 3

    def __init__(self, fields: list[str]) -> None:
        self.fields = fields
        super().__init__(
            "The supervision summary was not written: it still contains the client's " + ", ".join(fields) + ".",
            "Edit the wording that holds it (or use a pseudonym in your notes), then export again.",
        )


Accept = Callable[[re.Match[str]], bool]


@dataclass(frozen=True)
class Identifier:
    field: str  # what it is, for messages: "name", "date of birth", "GP name", ...
    pattern: re.Pattern[str]
    placeholder: str
    whole: bool = True  # a whole value (scrubbed first) rather than one part of it
    accept: Accept | None = None  # a further test of a match (an NHS number's check digit)

    def matches(self, text: str) -> list[re.Match[str]]:
        return [m for m in self.pattern.finditer(text) if self.accept is None or self.accept(m)]

    def sub(self, text: str, placeholder: str | None = None) -> str:
        put = self.placeholder if placeholder is None else placeholder
        accept = self.accept
        keeps = "keep" in self.pattern.groupindex  # a lead-in that stays ("lives on [address]")

        def replace(m: re.Match[str]) -> str:
            if accept is not None and not accept(m):
                return m.group(0)
            return (m.group("keep") or "") + put if keeps else put

        return self.pattern.sub(replace, text)


def _words(text: str) -> list[str]:
    return re.findall(r"[^\W\d_][\w'\u2019\-]*", text)


def _accented() -> dict[str, str]:
    """Each Latin letter with its accented forms ("e" -> "eèéêë..."), both cases."""
    out: dict[str, str] = {}
    for code in range(0xC0, 0x250):
        c = chr(code)
        base = unicodedata.normalize("NFD", c)[0]
        if base != c and base.isascii() and base.isalpha():
            out[base] = out.get(base, base) + c
    return out


_ACCENTED = _accented()


def _lit(text: str) -> str:
    """``text`` as a pattern that matches it with or without accents ("Siân" = "Sian", "Zoe" = "Zoë")."""
    out = []
    for c in text:
        base = unicodedata.normalize("NFD", c)[0]
        out.append(f"[{_ACCENTED[base]}]" if base in _ACCENTED else re.escape(c))
    return "".join(out)


def _word_re(word: str, any_case: bool = False) -> str:
    """One name word: any case, or only capitalised / in capitals when it is also an ordinary word
    (with ``any_case``, only a grammar word such as "May" or "Will" is held to capitals)."""
    if word.lower() in GRAMMAR_WORDS or (not any_case and is_known_word(word)):
        return rf"(?-i:{_lit(word[:1].upper() + word[1:].lower())}|{_lit(word.upper())})"
    return _lit(word)


def _name_identifiers(value: str, field: str, placeholder: str, *, any_case: bool = False) -> list[Identifier]:
    """The variants of one declared name (person or place), derived from its structure. The
    client's own names (``any_case``) and other people's names are matched in any case even when a
    part is an ordinary word: a name written in lower case must not pass."""
    words = _words(value)
    titled = any(w.lower().rstrip(".") in _TITLES for w in words)
    core = [w for w in words if w.lower().rstrip(".") not in _TITLES]
    if not core:
        return []
    out: list[Identifier] = []

    def add(pattern: str, whole: bool) -> None:
        out.append(Identifier(field, re.compile(rf"(?<!\w){pattern}(?!\w)", re.IGNORECASE), placeholder, whole))

    if all(len(w) == 1 for w in core):  # only initials ("Dr K.", "K. L."): with the title, or with the dots
        letters = r"\.?\s*".join(rf"(?-i:{re.escape(w.upper())})" for w in core)
        if titled:
            add(rf"{_TITLE_RE}{letters}\.?", True)
        else:
            add(r"\.\s*".join(rf"(?-i:{re.escape(w.upper())})" for w in core) + r"\.", True)
        return out

    full = r"[\s.,]+".join(_lit(w) for w in core) if len(core) > 1 else _word_re(core[0], any_case)
    add(rf"{_TITLE_RE}?{full}", True)
    pieces: list[str] = []
    for w in core:
        for p in [w, *w.split("-")]:
            p = p.strip("'\u2019")
            if len(p) >= 2 and p.lower() not in _GENERIC_WORDS and p not in pieces:
                pieces.append(p)
    person = titled or (len(core) >= 2 and not any(w.lower() in _GENERIC_WORDS for w in core))
    # a person's name ("Tom Quill", "Dr Hope Sandle") in any case; a place's ordinary words only capitalised
    any_case = any_case or (person and len(core) <= 3)
    if len(core) >= 2 and person:
        rest = r"\s+".join(_lit(w) for w in core[:-1])
        add(rf"{_lit(core[-1])},?\s+{rest}", True)  # "Halloran, Tobias"
    initials = "".join(sorted({p[0].upper() for p in pieces if p[0].isalpha()}))
    init = rf"(?-i:[{re.escape(initials)}])" if initials else ""
    for p in pieces:
        # a family by its name: "the Nettlefolds"
        plural = "s?" if person and len(p) >= 4 and not p.lower().endswith("s") else ""
        if init and person:
            # "Dr T. Halloran", "T Halloran", "Halloran, T."
            add(rf"{_TITLE_RE}?(?:{init}(?:\.\s*|\s+))*{_word_re(p, any_case)}{plural}(?:,?\s+{init}\.)*", False)
        else:
            add(rf"{_TITLE_RE}?{_word_re(p, any_case)}{plural}", False)
    if init and person:
        add(rf"{_TITLE_RE}{init}\.?(?:\s*{init}(?:-{init})?\.)*", False)  # "Dr T.", "Dr T.H.", "Dr M. O-F."
        add(rf"{init}\.\s?{init}\.(?:\s?{init}\.)*", False)  # "T.H."
    return out


def _name_chunks(text: str) -> list[str]:
    """Names in a free-text field listing people ("Physio: Jan Fakeperson; Dr Y. Imaginary (pain clinic)")."""
    chunks: list[str] = []
    for m in re.finditer(r"(?:\b(?:Dr|Doctor|Mr|Mrs|Ms|Miss|Mx|Prof)\.?\s+)?[A-Z][\w'\-]*\.?(?:\s+[A-Z][\w'\-]*\.?)*", text):
        words = [w for w in _words(m.group(0)) if w.lower() not in _GENERIC_WORDS]
        titled = any(w.lower().rstrip(".") in _TITLES for w in words)
        if (titled or len(words) >= 2) and any(not is_known_word(w) for w in words if w.lower() not in _TITLES):
            chunks.append(m.group(0))
    return chunks


_ORDINAL_WORDS = (
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth twentieth"
).split()


def _day_re(day: int) -> str:
    forms = [rf"0?{day}(?:st|nd|rd|th)?"]
    if day <= 20:
        forms.append(_ORDINAL_WORDS[day - 1])
    elif day < 30:
        forms.append(rf"twenty[\s\-]{_ORDINAL_WORDS[day - 21]}")
    elif day == 30:
        forms.append("thirtieth")
    else:
        forms.append(r"thirty[\s\-]first")
    return "(?:" + "|".join(forms) + ")"


def _dob_patterns(d: dt.date) -> list[str]:
    day, month, year = d.day, d.month, d.year
    yy = f"{year % 100:02d}"
    mon = MONTHS[month - 1]
    mon_re = rf"(?:{mon}|{mon[:3]}\.?|{mon[:4]}\.?)"
    yr = rf"(?:{year}|'?{yy}|\u2019{yy})"
    sep = r"(?:\s*[/.\-\\,_]\s*|\s+)"
    dd = rf"(?:the\s+)?{_day_re(day)}"
    numeric = [
        rf"(?<![\d.])0?{day}{sep}0?{month}{sep}(?:{year}|{yy})(?![\d])",
        rf"(?<![\d.]){year}{sep}0?{month}{sep}0?{day}(?!\d)",
        rf"(?<![\d.])0?{month}{sep}0?{day}{sep}(?:{year}|{yy})(?!\d)",  # US order
    ]
    worded = [
        rf"(?<!\w){dd}(?:\s+of)?[\s\-/.,]*{mon_re}(?:[\s\-/.,]*{yr}(?!\d))?",
        rf"(?<!\w){mon_re}[\s\-/.,]*{dd}(?:,?\s*{yr}(?!\d))?(?!\w)",
        # the parts split across a sentence: "born on the 5th ... in 1964"
        rf"(?<!\w)(?:the\s+)?{_day_re(day)}(?<=[a-z])[^\n]{{0,80}}?(?<!\d)(?:{year}|'{yy})(?!\d)",
        rf"(?<![\w'])(?:{year}|'{yy})(?!\d)[^\n]{{0,80}}?(?<!\w)(?:the\s+)?{_day_re(day)}(?<=[a-z])(?!\w)",
        rf"(?<!\w)(?:born|birth|birthday|dob|d\.o\.b\.?)\b[^\n.]{{0,40}}?(?<!\d){year}(?!\d)",
    ]
    return numeric + worded


def _street_identifiers(value: str, field: str, placeholder: str) -> list[Identifier]:
    out: list[Identifier] = []
    alone: list[Identifier] = []
    for line in re.split(r"[,\n]", value):
        line = line.strip()
        if len(line) < 3:
            continue
        out.append(Identifier(field, re.compile(rf"(?<!\w){re.escape(line)}(?!\w)", re.IGNORECASE), placeholder))
        words = [w for w in _words(line) if not w.isdigit()]
        if not words:
            continue
        kind = words[-1].lower().rstrip(".")
        types = {k for k, v in STREET_TYPES.items() if kind == k or kind in v}
        name = [w for w in (words[:-1] if types else words) if w.lower() not in _GENERIC_WORDS]
        ordinary = all(is_known_word(w) for w in name)
        alone += [i for w in name for i in _place_word(w, field, placeholder)]  # after the street patterns
        if not name or (ordinary and not types):  # "Flat 2", "The Cottage": as written in full, or a word alone
            continue
        body = r"\s+".join(_word_re(w) if len(name) == 1 else re.escape(w) for w in name)
        street = rf"\s+(?:{_STREET_FULL}|(?:{_STREET_ABBR})\b\.?)"
        # "Larkspurt" alone, or with any street type; an ordinary name ("Park View") only with its type
        pat = rf"(?<!\w)(?:\d+[a-z]?,?\s+)?{body}(?:{street}){'' if ordinary else '?'}(?!\w)"
        out.append(Identifier(field, re.compile(pat, re.IGNORECASE), placeholder, whole=False))
    return out + alone


def _place_word(word: str, field: str, placeholder: str) -> list[Identifier]:
    """One word of a declared street or place, alone ("walks along Gallowglass", "lives in Fictown"):
    in any case when no word list knows it; when it is also an ordinary word ("Park", "Gallowglass"),
    only where a capital marks it as a name, that is capitalised in the middle of a sentence."""
    word = word.strip("'\u2019.")
    if len(word) < 2 or word.lower() in _GENERIC_WORDS or word.lower() in _STREET_WORDS or word.lower() in GRAMMAR_WORDS:
        return []
    if not is_known_word(word):
        return [Identifier(field, re.compile(rf"(?<!\w){_lit(word)}(?!\w)", re.IGNORECASE), placeholder, whole=False)]
    capital = rf"{_MID_SENTENCE}(?-i:{_lit(word[:1].upper() + word[1:].lower())}|{_lit(word.upper())})"
    # in any case where it is used as a place: "lives on marrowbone", "walks along gallowglass"
    located = rf"(?P<keep>(?<!\w){_PLACE_PREPOSITIONS}\s+(?:the\s+)?){_lit(word)}"
    return [
        Identifier(field, re.compile(rf"(?<!\w){capital}(?!\w)", re.IGNORECASE), placeholder, whole=False),
        Identifier(field, re.compile(rf"{located}(?!\w)", re.IGNORECASE), placeholder, whole=False),
    ]


def _nhs_ok(m: re.Match[str]) -> bool:
    text = m.group(0)
    if re.match(r"\d{4}-\d\d-\d\d|\d\d?[/.\-]\d\d?[/.\-]\d", text):  # a date, then more digits
        return False
    return is_valid_nhs_number(re.sub(r"\D", "", text))


_STREET_NOT_FIRST = {"the", "a", "an", "on", "in", "at", "of", "to", "from", "our", "her", "his", "their", "my", "this", "that"}


def _street_ok(m: re.Match[str]) -> bool:
    first = _words(m.group(0))
    return bool(first) and first[0].lower() not in _STREET_NOT_FIRST


_DOT = r"(?:\.|\s+(?:dot|DOT)\s+|\s*[(\[]\s*(?:dot|DOT)\s*[)\]]\s*)"
_AT = r"(?:\s*@\s*|\s+(?:at|AT)\s+|\s*[(\[]\s*(?:at|AT)\s*[)\]]\s*)"
_LOCAL_SEP = rf"(?:{_DOT}|_|\s+(?:underscore|dash|hyphen)\s+)"

# Patterns scrubbed whoever they belong to (a relative's phone, another clinician's email...)
GENERIC: list[Identifier] = [
    Identifier("email address", re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+"), "[email]"),
    Identifier(
        "email address",
        re.compile(rf"(?<![\w.])[\w+\-]+(?:{_LOCAL_SEP}[\w+\-]+)*{_AT}[\w\-]+(?:{_DOT}[\w\-]+)*{_DOT}[A-Za-z]{{2,6}}(?![\w])"),
        "[email]",
    ),
    Identifier(
        "phone number",
        re.compile(r"(?<![\w+])(?:\+\s?44\s?(?:\(0\)\s?)?|\(?0)(?:\d[\s\-.)]{0,2}){8,9}\d(?!\d)"),
        "[phone]",
    ),
    Identifier("postcode", re.compile(r"(?<!\w)[A-Z]{1,2}\d[A-Z\d]?\s*\d\s?[A-Z]{2}(?!\w)", re.IGNORECASE), "[postcode]"),
    Identifier("NHS number", re.compile(r"(?<![\d.])\d(?:(?:[ \t\u00a0]{1,2}|-)?\d){9}(?![\d])"), "[NHS number]", accept=_nhs_ok),
    Identifier("NHS number", re.compile(r"(?<!\d)\d{3}[\s\-]?\d{3}[\s\-]?\d{4}(?!\d)"), "[NHS number]"),
    Identifier(
        "street",
        re.compile(rf"(?<![\w\-])(?:\d+[a-z]?,?\s+)?(?:[A-Z][\w'\u2019\-]*\s+){{1,3}}(?:{_STREET_CAP})(?![\w\-])"),
        "[street]",
        accept=_street_ok,
    ),
]


def identifiers(client: Client) -> list[Identifier]:
    """Every identifier held for the client, as patterns with a placeholder."""
    ids: list[Identifier] = []
    pseudonym = client.pseudonym or "the client"

    def add(field: str, pattern: str, placeholder: str, whole: bool = True) -> None:
        ids.append(Identifier(field, re.compile(pattern, re.IGNORECASE), placeholder, whole))

    for value in [client.name, *client.aka]:
        ids += _name_identifiers(value, "name", pseudonym, any_case=True)
    ids += _name_identifiers(client.gp_name, "GP name", "[GP]")
    ids += _name_identifiers(client.practice, "practice name", "[practice]")
    for value in client.keep_out:
        words = _words(value)
        if len(words) >= 2 and words[-1].lower().rstrip(".") in _STREET_WORDS:  # a street: "Marrowbone Cres." too
            ids += _street_identifiers(value, "names to keep out", NAME_PLACEHOLDER_OTHERS)
        ids += _name_identifiers(value, "names to keep out", NAME_PLACEHOLDER_OTHERS)
    for text in (client.other_professionals, client.referral_source):
        for chunk in _name_chunks(text):
            ids += _name_identifiers(chunk, "other professionals", NAME_PLACEHOLDER_OTHERS)
    if client.dob:
        for p in _dob_patterns(client.dob):
            add("date of birth", p, "[date of birth]")
    if client.nhs_number:
        n = re.sub(r"\D", "", client.nhs_number)
        if len(n) == 10:
            add("NHS number", r"(?<!\d)" + r"(?:[ \t\u00a0]{1,2}|[\-./])?".join(n) + r"(?!\d)", "[NHS number]")
    ids += _street_identifiers(client.practice_address, "practice address", "[practice address]")
    ids += _street_identifiers(client.address, "address", "[address]")
    if client.postcode.strip():
        pc = re.sub(r"\s", "", client.postcode)
        add("postcode", rf"(?<!\w){re.escape(pc[:-3])}\s*{re.escape(pc[-3])}\s?{re.escape(pc[-2:])}(?!\w)", "[postcode]")
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


_MARKS = 0xF0000  # private-use characters stand in for placeholders while scrubbing


def scrub(text: str, ids: list[Identifier]) -> str:
    """Every identifier in ``text`` replaced by its placeholder. Patterns first (an email holds the
    name), then whole values, so "Dr Osric Vantablack" becomes one [GP], not "[GP] [GP]". A
    placeholder once written is never read again (no "[date of [date of birth]")."""
    text = "".join(c for c in unicodedata.normalize("NFC", text) if not _MARKS <= ord(c) < _MARKS + 0x100)
    marks: dict[str, str] = {}
    for ident in [*GENERIC[:2], *sorted(ids, key=lambda i: not i.whole), *GENERIC[2:]]:
        mark = marks.setdefault(ident.placeholder, chr(_MARKS + len(marks)))
        text = ident.sub(text, mark)
    for placeholder, mark in marks.items():
        text = text.replace(mark, placeholder)
    return text


def remaining(text: str, ids: list[Identifier]) -> list[str]:
    """Fields whose identifiers (or generic patterns) still occur in `text` (each named once, in order)."""
    found: list[str] = []
    for ident in [*ids, *GENERIC]:
        if ident.field not in found and ident.matches(text):
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
