"""GP assessment letters: draft from a template, check merge fields and language, render.

Content follows Balabanovic (2017) and the Joint Commissioning Panel for Mental Health (2017):
written so the patient can read it (patient named, GP copied, or the reverse); validation of
suffering and its impact; a tentative shared understanding from the *shared* formulation layers
only (L0-L3 by default; L4 only when shared and the patient has agreed emotional factors may be
relevant; L5, private items and the private process note never); the patient's own view and
goals; the plan; what would help from the GP; measures in context. The language checker runs on
the draft before export.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from ..domain.formulation import LAYERS, FormulationItem
from ..domain.letters import Letter
from ..domain.measures import INSTRUMENTS, MeasureResult, format_total
from ..domain.models import Client, Session
from ..domain.nhs import format_nhs_number, is_valid_nhs_number
from .overlap import Target, found_in
from .render import Doc

TEMPLATES = {"patient": "letter_to_patient.md", "gp": "letter_to_gp.md"}
SHAREABLE_LAYERS = ("L0", "L1", "L2", "L3")
_FIELD = re.compile(r"\{\{\s*([a-z_]+)\s*\}\}")


def load_template(addressee: str = "patient", user_dir: Path | None = None) -> str:
    """The letter template for the addressee; a user template of the same name in the config dir
    (templates/letter_to_patient.md or letter_to_gp.md) wins over the shipped one."""
    name = TEMPLATES[addressee]
    if user_dir is not None and (user_dir / name).is_file():
        return (user_dir / name).read_text(encoding="utf-8")
    return (files("sessionnotes.export") / "templates" / name).read_text(encoding="utf-8")


def written_choice_needed(item: FormulationItem) -> bool:
    """Whether the item was only ever shared by talking it through (channel ``spoken``, never
    ``written`` or ``letter``): putting it in writing is then a new step the therapist chooses."""
    channels = {v.channel for v in item.versions if v.is_shared and v.channel}
    return "spoken" in channels and not channels & {"written", "letter"}


def letter_items(
    client: Client, items: list[FormulationItem], *, chosen: Collection[str] = ()
) -> list[tuple[FormulationItem, str]]:
    """Formulation items a letter may draw on, with their current text.

    Shared (in part or fully) items at L0-L3; L4 only when shared AND the patient has agreed
    emotional factors may be relevant; never L5, never private items, never an item the patient
    disputes (its current response is ``disputed``). An item only ever shared ``spoken`` goes in
    only when its id is in ``chosen`` (the therapist's explicit choice to put it in writing).
    """
    out = []
    for item in items:
        v = item.current
        if not v.is_shared or v.response == "disputed":
            continue
        if written_choice_needed(item) and item.id not in chosen:
            continue
        if v.layer in SHAREABLE_LAYERS or (v.layer == "L4" and client.emotional_agreement == "yes"):
            out.append((item, v.text))
    return out


THIRD_PARTY_FIELDS = {
    "referral_positioning": "the referral (how the GP put it)",
    "referral_reaction": "the patient's account of the referral",
    "referral_source": "the referral source",
    "investigations": "the investigations as recorded",
}
"""Record fields holding other people's words or record text: described in a letter, never quoted
unless the therapist opts in (and then they stand in the letter as the therapist's own words)."""


def third_party_quotes(body: str, client: Client) -> list[str]:
    """Where a letter repeats third-party or record text (the referral fields) word for word or
    nearly so, named by the field it came from."""
    target = Target(body)
    out = []
    for name, label in THIRD_PARTY_FIELDS.items():
        if found_in(target, str(getattr(client, name, ""))):
            out.append(f"words from {label}")
    return out


_FIRST_TO_SECOND = {
    "i": "you",
    "me": "you",
    "my": "your",
    "mine": "yours",
    "myself": "yourself",
    "i'm": "you're",
    "i’m": "you’re",
    "i've": "you've",
    "i’ve": "you’ve",
}
_FIRST_PERSON = re.compile(r"\b(?:i['’](?:m|ve)|i|me|my|mine|myself)\b", re.IGNORECASE)


def preferred_term(term: str, addressee: str, first_name: str) -> str:
    """The patient's own name for the symptoms, fitted to who the letter is written to.

    Patients often put it in the first person ("my symptoms", "my flare-ups"). Written to the patient
    it becomes "your symptoms"; written to the GP it is kept in the patient's words, quoted and
    attributed ("what Sam calls “my symptoms”"), rather than turned into a clinical label.
    """
    term = term.strip()
    if not term:
        return "these symptoms"
    if not _FIRST_PERSON.search(term):
        return term
    if addressee == "patient":
        return _FIRST_PERSON.sub(lambda m: _FIRST_TO_SECOND[m.group(0).lower()], term)
    return f"what {first_name} calls “{term}”"


def _date(d: dt.date | None) -> str:
    return f"{d.day} {d.strftime('%B %Y')}" if d else "(date not recorded)"


def _measures_section(results: list[MeasureResult]) -> str:
    latest: dict[str, MeasureResult] = {}
    first: dict[str, MeasureResult] = {}
    for r in results:
        if r.score.total is None:
            continue
        first.setdefault(r.instrument, r)
        latest[r.instrument] = r
    if not latest:
        return ""
    lines = ["## Questionnaires", ""]
    for code, r in latest.items():
        name = INSTRUMENTS[code].name
        s = r.score
        text = f"- {name}: {format_total(s.total)} out of {s.maximum} on {_date(r.date)}"
        if first[code] is not r:
            f = first[code].score
            text += f" (it was {format_total(f.total)} on {_date(first[code].date)})"
        lines.append(text + ".")
    lines += [
        "",
        "Some questionnaire items ask about sleep, energy and concentration, which physical symptoms affect too, "
        "so these numbers are read alongside what the person tells us about coping and daily life.",
    ]
    return "\n".join(lines)


def build_fields(
    client: Client,
    sessions: list[Session],
    items: list[FormulationItem],
    measures: list[MeasureResult],
    *,
    today: dt.date,
    therapist_name: str = "",
    addressee: str = "patient",
    quote_referral: bool = False,
    chosen_items: Collection[str] = (),
) -> dict[str, str]:
    """The template's fields. The referral and other record text are described, not quoted,
    unless ``quote_referral`` (then they stand as the therapist's own words, unquoted, and the
    language check reads them as such); ``chosen_items`` are ids of items only ever shared spoken
    that the therapist chose to put in writing."""
    first_name = client.name.split()[0] if client.name.split() else client.name
    attended = [s for s in sessions if s.attendance.value in ("attended", "late")]
    you = "you" if addressee == "patient" else first_name
    shared = letter_items(client, items, chosen=chosen_items)
    shared_text = (
        "\n".join(f"- {text.strip()}" for _, text in shared)
        if shared
        else "We are still getting to know each other, and we will put our understanding into words together as the work goes on."
    )
    plan = next((s.plan.strip() for s in reversed(sessions) if s.plan.strip()), "")
    if plan and plan[-1] not in ".!?":
        plan += "."  # a note-style plan reads as a sentence in the letter
    return {
        "first_name": first_name,
        "patient_name": client.name,
        "gp_name": client.gp_name or "your GP",
        "practice": client.practice,
        "dob": _date(client.dob),
        "nhs_number": format_nhs_number(client.nhs_number) if client.nhs_number else "(not recorded)",
        "referral_date": _date(client.referral_date),
        "referral_on": f" on {_date(client.referral_date)}" if client.referral_date else "",
        "sessions_phrase": _times_so_far(len(attended)),
        "referral_context": _referral_context(client, you, quote_referral, addressee),
        "copy_sentence": f"{first_name} will receive a copy of this letter; I will go through it with {first_name} "
        "before it is sent, and change anything that does not fit.",
        "preferred_term": preferred_term(
            client.preferred_term.strip() or client.presenting_symptoms.strip(), addressee, first_name
        ),
        "investigations_sentence": (
            (
                f"The investigations so far ({client.investigations.strip()}) have not given a full explanation, "
                if quote_referral
                else "The investigations so far have not given a full explanation, "
            )
            + "and living with that uncertainty is hard in its own right."
            if client.investigations.strip()
            else ""
        ),
        "shared_understanding": shared_text,
        "patient_view": client.explanatory_model.strip() or TO_ADD,
        "patient_goal_sentence": f"What {you} would most like from our work: {client.patient_goal.strip().rstrip('.')}."
        if client.patient_goal.strip()
        else "",
        "plan": plan or "We have agreed to meet for further sessions and to review together how things are going.",
        "other_professionals_sentence": f"Others involved in care: {client.other_professionals.strip().rstrip('.')}."
        if client.other_professionals.strip()
        else "",
        "measures_section": _measures_section(measures),
        "therapist_name": therapist_name.strip() or UNSIGNED,
        "today": _date(today),
    }


def _referral_context(client: Client, you: str, quote: bool, addressee: str) -> str:
    by = "You" if addressee == "gp" else client.gp_name.strip() or "The practice"
    when = f" on {_date(client.referral_date)}" if client.referral_date else ""
    text = f"{by} referred {you} to our service{when}."
    if quote and client.referral_positioning.strip():
        text += " " + client.referral_positioning.strip().rstrip(".") + "."
    if quote and client.referral_reaction.strip():
        text += " " + client.referral_reaction.strip().rstrip(".") + "."
    elif client.referral_reaction.strip():
        text += " We talked about how the referral felt, and what coming here meant."
    return text


def fill(template: str, fields: dict[str, str]) -> str:
    text = _FIELD.sub(lambda m: fields.get(m.group(1), m.group(0)), template)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip() + "\n"


def draft_body(
    client: Client,
    sessions: list[Session],
    items: list[FormulationItem],
    measures: list[MeasureResult],
    *,
    today: dt.date,
    therapist_name: str = "",
    addressee: str = "patient",
    template: str | None = None,
    quote_referral: bool = False,
    chosen_items: Collection[str] = (),
) -> str:
    fields = build_fields(
        client,
        sessions,
        items,
        measures,
        today=today,
        therapist_name=therapist_name,
        addressee=addressee,
        quote_referral=quote_referral,
        chosen_items=chosen_items,
    )
    return fill(template or load_template(addressee), fields)


@dataclass(frozen=True)
class MergeProblem:
    field: str
    message: str


_COUNT_WORDS = ("", "once", "twice", "three times", "four times", "five times", "six times", "seven times")


def _times_so_far(n: int) -> str:
    """ " twice so far": how often we have met, in words a letter uses."""
    if n <= 0:
        return ""
    return f" {_COUNT_WORDS[n] if n < len(_COUNT_WORDS) else f'{n} times'} so far"


def merge_problems(client: Client) -> list[MergeProblem]:
    """What a letter needs from the record before it can go out."""
    out = []
    if not client.nhs_number:
        out.append(MergeProblem("nhs_number", "the NHS number is missing"))
    elif not is_valid_nhs_number(client.nhs_number):
        out.append(MergeProblem("nhs_number", "the NHS number does not pass its check digit"))
    if not client.gp_name.strip():
        out.append(MergeProblem("gp_name", "the GP's name is missing"))
    if not client.practice_address.strip():
        out.append(MergeProblem("practice_address", "the practice address is missing"))
    return out


UNSIGNED = "(therapist)"
"""Stands in for the signature until the therapist's name and role are set."""
TO_ADD = "(In the patient's own words: to be added.)"


def gaps(body: str, client: Client | None = None) -> list[MergeProblem]:
    """Places in a letter's text still waiting to be filled in (advisory: they do not stop an
    export, but a letter signed "(therapist)" should not go out). Given the client, also a
    "not recorded" left in the text by a draft made before the record had the detail: the text
    is the therapist's, so it is pointed out, never rewritten."""
    out = []
    if client is not None:
        for field, what, known in (
            ("nhs_number", "NHS number", client.nhs_number),
            ("dob", "date of birth", client.dob),
        ):
            if known and re.search(re.escape(what) + r"\s*\((?:date )?not recorded\)", body, re.IGNORECASE):
                out.append(
                    MergeProblem(field, f"the letter says the {what} is not recorded, but the record now has it: edit that line")
                )
    if UNSIGNED in body:
        out.append(MergeProblem("signature", f"the letter is not signed: replace \u201c{UNSIGNED}\u201d with your name and role"))
    if TO_ADD in body:
        out.append(MergeProblem("patient_view", f"a gap is left to fill: \u201c{TO_ADD}\u201d"))
    for name in sorted(set(_FIELD.findall(body))):
        out.append(MergeProblem("template", f"the template field {{{{{name}}}}} was not filled"))
    return out


def exported_frame(body: str, letter: Letter) -> str | None:
    """What in ``body`` belongs to an exported page rather than to the letter's own text (the
    title heading, the DRAFT mark, or the address and date block that export adds), or None.
    Given back as a letter's text, that frame would be printed twice."""
    lines = [line.strip() for line in body.splitlines() if line.strip()]
    if any(line.startswith("> **DRAFT:") for line in lines):
        return "the DRAFT mark"
    dear = next((i for i, line in enumerate(lines) if line.lower().startswith("dear ")), len(lines))
    head = lines[:dear]
    if lines and lines[0] == f"# {letter.title}" and any(line.startswith("NHS number:") for line in head):
        return "the page's title and address block"
    return None


def is_private_item(item: FormulationItem) -> bool:
    """Private formulation material: the item is not shared now, or sits at L5 (never shared)."""
    return not item.current.is_shared or item.current.layer == "L5"


def private_leaks(body: str, items: list[FormulationItem], sessions: list[Session]) -> list[str]:
    """Private text found in a letter body, each named by where it came from: a private
    formulation item (any of its versions) or a session's private process note.

    Found by normalised overlap (:mod:`.overlap`), so re-casing, re-punctuating or changing a word
    here and there does not hide it."""
    target = Target(body)
    found = []
    for item in items:
        if not is_private_item(item):
            continue
        for v in reversed(item.versions):
            match = found_in(target, v.text)
            if match:
                found.append(
                    f"text from a private formulation item ({LAYERS[item.current.layer][0]}, "
                    f"\u201c{_start(v.text)}\u201d; {match.how})"
                )
                break
    for s in sessions:
        match = found_in(target, s.private_note)
        if match:
            found.append(
                f"text from the private process note of {s.date.isoformat()} (\u201c{_start(match.source)}\u201d; {match.how})"
            )
    return found


def _start(text: str, n: int = 6) -> str:
    ws = text.split()
    return " ".join(ws[:n]) + ("\u2026" if len(ws) > n else "")


def letter_doc(letter: Letter, client: Client, *, today: dt.date) -> Doc:
    """The letter as a document: the addressee's name and address (top left); the practice name
    and address, the date and the NHS number (top right); the letter itself with its headings; a
    copy line naming the GP (or the patient) unless the letter has one; a DRAFT mark on every page until
    the letter is sent."""
    to_gp = letter.addressee == "gp"

    def lines(address: str) -> list[str]:
        return [line.strip() for line in address.split(",") if line.strip()]

    address = [client.gp_name or "The GP", *([client.practice] if client.practice else []), *lines(client.practice_address)]
    patient = [client.name, *lines(client.address), *([client.postcode] if client.postcode.strip() else [])]
    header = [client.practice or "The practice", *lines(client.practice_address)]
    header += ["", _date(letter.sent_date or today)]
    if client.nhs_number:
        header.append(f"NHS number: {format_nhs_number(client.nhs_number)}")
    doc = Doc(title=letter.title, header_lines=header, address_lines=address if to_gp else patient)
    if letter.status != "sent":
        doc.mark = f"DRAFT: not yet sent (this letter is {letter.status})"
    doc.text(letter.body)
    if not re.search(r"^\s*cc:", letter.body, re.MULTILINE | re.IGNORECASE):  # the template's own copy line wins
        doc.p("cc: " + ", ".join(patient if to_gp else address))
    return doc
