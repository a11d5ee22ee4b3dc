"""Record export for a subject access request: everything held for one client.

Client record, every session with its addenda (and any rupture in the alliance and its repair), the
formulation with its full history, measures, GP contacts, letters, risk items with what was done
about them, and the audit trail. Private material - process notes and formulation items never shared
with the patient (and the private versions of items shared later) - is included only when the
therapist asks for it explicitly (and is warned: it may be withheld under the SAR exemptions for
third-party or serious-harm information; that judgement is the clinician's). Each section says what
it holds and leaves out.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Protocol

from ..analysis.flags import ruptures_and_repairs
from ..domain.formulation import LAYERS
from ..domain.measures import INSTRUMENTS, format_total
from ..domain.models import AuditEntry
from ..domain.record import ClientRecord
from ..domain.stages import substrategy_words
from .render import Doc
from .supervision import ATTENDANCE_WORDS, _stage_name

_HEADING = re.compile(r"^#{1,4}(\s)", re.MULTILINE)


class RiskFlag(Protocol):
    """What the record export needs of a risk flag (``analysis.flags.Flag`` fits)."""

    kind: str
    title: str
    summary: str
    dismissed: bool
    dismissed_reason: str


PRIVATE_FORMULATION_WARNING = (
    "This export includes formulation items that were never shared with the patient (the "
    "therapist's private hypotheses). Check whether any of it should be withheld before it is released."
)

PRIVATE_NOTES_WARNING = (
    "This export includes the therapist's private process notes. Check whether any of it should be "
    "withheld (for example information about third parties) before it is released."
)


def record_doc(
    bundle: ClientRecord,
    audit: list[AuditEntry],
    *,
    today: dt.date,
    include_private: bool = False,
    include_private_formulation: bool = False,
    risk_flags: list[RiskFlag] | None = None,
) -> Doc:
    c = bundle.client
    doc = Doc(
        title=f"Health record of {c.name}",
        footer=f"Exported {today.isoformat()} by sessionnotes. Unencrypted copy: store it securely.",
    )
    if include_private:
        doc.note(PRIVATE_NOTES_WARNING)
    if include_private_formulation:
        doc.note(PRIVATE_FORMULATION_WARNING)
    doc.h2("Personal and referral details")
    doc.p("Contains: the details held on the record, including the referral as it was received.")
    d = c.to_dict()
    doc.kv(
        [
            (type(c)._label(k), ", ".join(v) if isinstance(v, list) else str(v))
            for k, v in d.items()
            if k not in ("schema", "extra", "id") and v not in (None, "", [])
        ]
    )

    doc.h2("Sessions")
    private_notes = sum(1 for s in bundle.sessions if s.private_note.strip())
    doc.p(
        "Contains: every session with its note, plan and addenda."
        + (
            " Includes the therapist's private process notes, as asked."
            if include_private
            else f" Leaves out: the therapist's private process notes ({private_notes} session(s) have one)."
            if private_notes
            else ""
        )
    )
    alliance: dict[str, list[str]] = {}
    for r in ruptures_and_repairs(bundle.sessions):
        for sid in dict.fromkeys((r.rupture_session, r.repair_session)):
            if sid:
                alliance.setdefault(sid, []).append(r.describe())
    for s in bundle.sessions:
        doc.h3(
            f"Session {s.number}: {s.date.isoformat()} ({ATTENDANCE_WORDS.get(s.attendance.value, s.attendance.value)}, "
            f"stage: {_stage_name(s.stage)})"
        )
        doc.kv(
            [
                ("Duration", f"{s.duration_minutes} minutes"),
                ("Reason", s.attendance_reason),
                ("Strategies", "; ".join(substrategy_words(s.substrategies))),
                ("Alliance", "; ".join(alliance.get(s.id, []))),
                ("Body-talk rating", "" if s.body_talk is None else str(s.body_talk)),
                ("Themes", ", ".join(s.themes)),
                ("Homework", s.homework),
                ("Plan", s.plan),
                ("Signed", s.signed_at.isoformat(timespec="minutes") if s.signed_at else "not signed"),
            ]
        )
        doc.text(s.note)
        for a in s.addenda:
            doc.p(f"Addendum {a.created.isoformat(timespec='minutes')}: {a.text}")
        if include_private and s.private_note.strip():
            doc.p("Private process note: " + s.private_note)

    doc.h2("Ruptures and repairs")
    doc.p("Contains: each rupture in the therapeutic relationship ticked on a session, and when it was repaired.")
    doc.ul([r.describe() for r in ruptures_and_repairs(bundle.sessions)] or ["No rupture or repair was recorded."])

    doc.h2("Formulation (with every version)")
    shown, held_back, private_versions = [], 0, 0
    for item in bundle.formulation:
        if not item.current.is_shared and not include_private_formulation:
            held_back += 1
            continue
        versions = [v for v in item.versions if v.is_shared or include_private_formulation]
        private_versions += len(item.versions) - len(versions)
        shown.append((item, versions))
    doc.p(
        "Contains: the understanding shared with the patient, each item with every shared version, "
        "its status and the patient's response."
        + (
            " Includes the items and versions never shared, as asked."
            if include_private_formulation
            else f" Leaves out: {held_back} item(s) never shared and {private_versions} earlier private version(s) "
            "of shared items (the therapist's private hypotheses)."
            if held_back or private_versions
            else ""
        )
    )
    for item, versions in shown:
        doc.h3(f"{item.current.layer} {LAYERS[item.current.layer][0]}")
        doc.table(
            ["When", "Text", "Status", "Shared", "Response"],
            [
                [
                    v.at.isoformat(timespec="minutes"),
                    v.text,
                    v.status,
                    v.date_shared.isoformat() if v.date_shared else "",
                    v.response,
                ]
                for v in versions
            ],
        )
    if c.explanatory_model:
        doc.p("Patient's own account: " + c.explanatory_model)

    doc.h2("Questionnaires")
    doc.p("Contains: every questionnaire with each answer and the total.")
    doc.table(
        ["Date", "Measure", "Answers", "Score"],
        [
            [
                r.date.isoformat(),
                INSTRUMENTS[r.instrument].name,
                ",".join("-" if x is None else str(x) for x in r.responses),
                "incomplete" if r.score.total is None else f"{format_total(r.score.total)}/{r.score.maximum}",
            ]
            for r in bundle.measures
        ],
    )
    _risk_section(doc, risk_flags or [])
    doc.h2("Contacts with the GP")
    doc.p("Contains: each recorded contact with the GP, what was discussed and agreed.")
    doc.table(
        ["Date", "Kind", "Discussed", "Agreed"], [[x.date.isoformat(), x.kind, x.discussed, x.agreed] for x in bundle.contacts]
    )
    doc.h2("Letters")
    doc.p("Contains: every letter and version, with its status (draft, shown, agreed, sent).")
    for letter in bundle.letters:
        doc.h3(f"{letter.title} v{letter.version} ({letter.status})")
        doc.text(_HEADING.sub(lambda m: "####" + m.group(1), letter.body))  # the letter's headings sit under its own
    doc.h2("Audit trail")
    doc.p("Contains: every change and export recorded for this client, with its date and time.")
    doc.table(
        ["#", "When", "What", "Of", "Detail"],
        [[str(e.seq), e.at.isoformat(timespec="seconds"), e.action, e.target, e.detail] for e in audit],
    )
    return doc


def _risk_section(doc: Doc, flags: list[RiskFlag]) -> None:
    doc.h2("Risk items")
    doc.p(
        "Contains: each risk item answered above zero on the latest questionnaire (such as the "
        "question about thoughts of self-harm) and whether the therapist has reviewed it, with the reason recorded."
    )
    risks = [f for f in flags if f.kind == "measure-risk"]
    if not risks:
        doc.p("No risk item is flagged.")
        return
    doc.table(
        ["Risk item", "Review"],
        [
            [
                f"{f.title}: {f.summary}" if f.summary else f.title or f.kind,
                f"Reviewed: {f.dismissed_reason}" if f.dismissed else "Open: not yet reviewed",
            ]
            for f in risks
        ],
    )
