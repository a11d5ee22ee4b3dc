"""Record export for a subject access request: everything held for one client.

Client record, every session with its addenda, the formulation with its full history, measures,
GP contacts, letters and the audit trail. Private process notes are included only when the
therapist asks for them explicitly (and is warned: they may be withheld under the SAR exemptions
for third-party or serious-harm information; that judgement is the clinician's).
"""

from __future__ import annotations

import datetime as dt
import re

from ..domain.formulation import LAYERS
from ..domain.measures import INSTRUMENTS, format_total
from ..domain.models import AuditEntry
from ..domain.record import ClientRecord
from .render import Doc
from .supervision import ATTENDANCE_WORDS, _stage_name

_HEADING = re.compile(r"^#{1,4}(\s)", re.MULTILINE)

PRIVATE_NOTES_WARNING = (
    "This export includes the therapist's private process notes. Check whether any of it should be "
    "withheld (for example information about third parties) before it is released."
)


def record_doc(bundle: ClientRecord, audit: list[AuditEntry], *, today: dt.date, include_private: bool = False) -> Doc:
    c = bundle.client
    doc = Doc(
        title=f"Health record of {c.name}",
        footer=f"Exported {today.isoformat()} by sessionnotes. Unencrypted copy: store it securely.",
    )
    if include_private:
        doc.note(PRIVATE_NOTES_WARNING)
    doc.h2("Personal and referral details")
    d = c.to_dict()
    doc.kv(
        [
            (type(c)._label(k), ", ".join(v) if isinstance(v, list) else str(v))
            for k, v in d.items()
            if k not in ("schema", "extra", "id") and v not in (None, "", [])
        ]
    )

    doc.h2("Sessions")
    for s in bundle.sessions:
        doc.h3(
            f"Session {s.number}: {s.date.isoformat()} ({ATTENDANCE_WORDS.get(s.attendance.value, s.attendance.value)}, "
            f"stage: {_stage_name(s.stage)})"
        )
        doc.kv(
            [
                ("Duration", f"{s.duration_minutes} minutes"),
                ("Reason", s.attendance_reason),
                ("Strategies", ", ".join(s.substrategies)),
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

    doc.h2("Formulation (with every version)")
    for item in bundle.formulation:
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
                for v in item.versions
            ],
        )
    if c.explanatory_model:
        doc.p("Patient's own account: " + c.explanatory_model)

    doc.h2("Questionnaires")
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
    doc.h2("Contacts with the GP")
    doc.table(
        ["Date", "Kind", "Discussed", "Agreed"], [[x.date.isoformat(), x.kind, x.discussed, x.agreed] for x in bundle.contacts]
    )
    doc.h2("Letters")
    for letter in bundle.letters:
        doc.h3(f"{letter.title} v{letter.version} ({letter.status})")
        doc.text(_HEADING.sub(lambda m: "####" + m.group(1), letter.body))  # the letter's headings sit under its own
    doc.h2("Audit trail")
    doc.table(
        ["#", "When", "What", "Of", "Detail"],
        [[str(e.seq), e.at.isoformat(timespec="seconds"), e.action, e.target, e.detail] for e in audit],
    )
    return doc
