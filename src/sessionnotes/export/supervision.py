"""Supervision summaries: pseudonymised by default, scrubbed and then verified.

Sections follow Balabanovic (2017): stage history (strategies in words), attendance and reasons,
ruptures and repairs, process flags (open and dismissed, with evidence), positive signs of
engagement, the balance of validation and challenge (collusion and confrontation), the therapist's
feelings over time with a tacit-dualism self-check, the formulation by layer and how shared items
landed, GP liaison, risk, measures with change, and the therapist's questions for the supervisor.
Every piece of text goes through one ``clean`` (the scrubber made by :func:`_cleaner`) before it is
added. Private formulation items and private
process notes never appear (only a count of private items per layer).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable, Mapping, Sequence

from ..analysis.flags import FLAG_KINDS, Evidence, Flag, positive_signs, ruptures_and_repairs
from ..analysis.flags.balance import CHALLENGING, HOLDING, VALIDATING
from ..analysis.timeline import timeline
from ..domain.formulation import LAYER_CODES, LAYERS
from ..domain.measures import INSTRUMENTS, MeasureResult, format_total, reliable_change
from ..domain.models import Session
from ..domain.stages import stage_by_code, substrategy_words
from .bundle import ClientBundle
from .pseudonymise import Identifier, identifiers, scrub, verify
from .render import Doc, to_html, to_markdown
from .review import ReviewItem, candidates

TACIT_DUALISM_PROMPT = (
    "Tacit dualism self-check: in these sessions, have I started to treat the symptoms as either 'physical' or "
    "'psychological', or to wait for the body talk to stop before the 'real' work begins? Boredom, irritation or "
    "hopelessness can be a sign of this pull (Balabanovic 2017, sub-category 4.5 “Holism versus tacit dualism”)."
)
READ_BEFORE_SHARING = (
    "Pseudonymised automatically: names and other names the client goes by, dates of birth, NHS numbers, addresses "
    "and streets, phone numbers, emails, GP and practice names, and the people and places listed to keep out of "
    "summaries were replaced. Automatic scrubbing cannot know every identifier (an undeclared name, a rare job): "
    "read this summary before you share it."
)


ATTENDANCE_WORDS = {
    "attended": "attended",
    "late": "late",
    "dna": "did not attend",
    "cancelled-by-patient": "cancelled by the patient",
    "cancelled-by-therapist": "cancelled by the therapist",
}
EVIDENCE_FIELDS = {
    "note": "note",
    "feelings": "my feelings",
    "feelings_other": "my feelings",
    "body_talk": "body-talk rating",
    "attendance": "attendance",
    "attendance_reason": "reason recorded",
    "no_recollection": "tick: no recollection",
    "token_agreement": "tick: token agreement",
    "passivity": "tick: passivity",
    "formulation": "formulation",
    "referrer_goal": "referrer's goal",
    "patient_goal": "patient's goal",
    "measure": "measure",
    "substrategies": "strategies ticked",
    "rupture": "tick: rupture",
    "homework": "homework",
}
PRIVATE_FIELDS = frozenset({"private_note"})
"""Evidence from these fields is named but never quoted: the private process note stays private."""


def _stage_name(code: str) -> str:
    try:
        return stage_by_code(code).name
    except (KeyError, ValueError):
        return code or "-"


Clean = Callable[[str | None], str]
"""Scrubs identifiers from one piece of free text (or only turns None into "")."""


def _whole_quotes(text: str, sources: Sequence[str]) -> str:
    """A shortened quotation of one of ``sources`` ("27 Marrowbone Cres, near…", as a flag quotes a
    formulation item) put back whole, so scrubbing sees every identifier entire and no cut-off part
    ("27 M…") is left behind."""
    for source in sources:
        if len(source) < 12:
            continue
        at = text.find(source[:10])
        while at >= 0:
            j = at
            while j < len(text) and j - at < len(source) and text[j] == source[j - at]:
                j += 1
            if j < len(text) and text[j] == "\u2026" and j - at < len(source):
                text = text[:at] + source + text[j + 1 :]
                j = at + len(source)
            at = text.find(source[:10], j)
    return text


def _cleaner(ids: list[Identifier], pseudonymise: bool, seen: list[str] | None = None, sources: Sequence[str] = ()) -> Clean:
    """Scrubs each piece of free text; what it returns is also kept in ``seen`` for the review step."""
    if not pseudonymise:
        return lambda text: text or ""

    def clean(text: str | None) -> str:
        out = scrub(_whole_quotes(text or "", sources), ids)
        if seen is not None and out:
            seen.append(out)
        return out

    return clean


def _evidence_line(e: Evidence, clean: Clean) -> str:
    when = e.date.isoformat() if e.date else "record"
    if e.field in PRIVATE_FIELDS:
        return f"{when} private process note: (not quoted in a supervision summary)"
    label = EVIDENCE_FIELDS.get(e.field, e.field.replace("_", " "))
    return f"{when} {label}: \u201c{clean(e.phrase)}\u201d"


POSITIVE_SIGNS_SHOWN = 8
"""Positive signs listed per client (the latest); the count says how many there were."""
BALANCE_PROMPT = (
    "Collusion and confrontation: is there enough challenge for something to change, and has any challenge been "
    "pressed against a patient who disputed it? It is often easier to nod and sympathise than to ask a difficult "
    "question (Balabanovic 2017, sub-category 7.3 “Balancing and pacing”)."
)


def _balance_section(doc: Doc, sessions: Sequence[Session], clean: Clean) -> None:
    """How the ticked sub-strategies split between validating and challenging work, with the prompt."""
    doc.h3("Collusion and confrontation")
    ticked = [set(s.substrategies) for s in sessions if s.attendance.value in ("attended", "late") and s.substrategies]
    if ticked:
        validating = sum(1 for t in ticked if t & VALIDATING and not t & (CHALLENGING | HOLDING))
        challenging = sum(1 for t in ticked if t & CHALLENGING and not t & (VALIDATING | HOLDING))
        doc.p(
            clean(
                f"Of {len(ticked)} held session(s) with strategies ticked: {validating} validating only, {challenging} "
                f"challenging only, {len(ticked) - validating - challenging} with both or with balancing and pacing."
            )
        )
    else:
        doc.p("No strategies ticked in this period.")
    doc.note(BALANCE_PROMPT)


def _section_for(doc: Doc, b: ClientBundle, since: dt.date | None, clean: Clean, flags: Sequence[Flag]) -> None:
    c = b.client
    since = b.since or since
    sessions = [s for s in b.sessions if since is None or s.date >= since]
    label = c.pseudonym or "Client"
    doc.h2(label)
    entries = [e for e in timeline(b.sessions) if since is None or e.date >= since]
    attended = sum(1 for s in sessions if s.attendance.value in ("attended", "late"))
    stage_now = stage_by_code(entries[-1].stage).name if entries else "no sessions yet"
    doc.kv(
        [
            ("Period", f"since {since.isoformat()}" if since else "whole episode"),
            ("Sessions in period", f"{len(sessions)} booked, {attended} attended"),
            ("Current stage", stage_now),
            ("Emotional factors agreed as possibly relevant", c.emotional_agreement.replace("-", " ")),
        ]
    )

    doc.h3("Stage history")
    doc.table(
        ["#", "Date", "Stage", "Attendance", "Body talk", "Strategies", "Movement"],
        [
            [
                str(e.number),
                e.date.isoformat(),
                _stage_name(e.stage),
                e.attendance_mark or "attended",
                "-" if e.body_talk is None else str(e.body_talk),
                "; ".join(substrategy_words(e.substrategies)),
                e.movement_label,
            ]
            for e in entries
        ],
    )
    missed = [s for s in sessions if s.attendance.value in ("dna", "cancelled-by-patient", "cancelled-by-therapist")]
    doc.h3("Attendance and reasons")
    if missed:
        doc.ul(
            [
                f"{s.date.isoformat()}: {ATTENDANCE_WORDS.get(s.attendance.value, s.attendance.value)}"
                + (f" ({clean(s.attendance_reason)})" if s.attendance_reason else "")
                for s in missed
            ]
        )
    else:
        doc.p("No missed or cancelled sessions in this period.")

    doc.h3("Ruptures and repairs")
    in_period = {s.id for s in sessions}
    alliance = [r for r in ruptures_and_repairs(b.sessions) if r.rupture_session in in_period or r.repair_session in in_period]
    doc.ul([clean(r.describe()) for r in alliance] or ["No rupture or repair ticked in this period."])

    open_flags = [f for f in flags if not f.dismissed]
    doc.h3("Process flags (prompts for reflection, not verdicts)")
    if not open_flags and not b.dismissals:
        doc.p("No process patterns flagged.")
    for f in open_flags:
        doc.p(f"{f.title or f.kind.replace('-', ' ').capitalize()} ({f.severity}): {clean(f.summary)}")
        doc.p("Why it can matter: " + clean(f.rationale))
        ev = [_evidence_line(e, clean) for e in f.evidence[:6]]
        doc.ul(ev)
        if f.suggestion:
            doc.p("To consider: " + clean(f.suggestion))
    for d in b.dismissals:
        title = FLAG_KINDS.get(d["kind"], d["kind"].replace("-", " "))
        doc.p(f"Dismissed {d['at'][:10]}: {title} - reason: {clean(d['reason'])}")

    doc.h3("Positive signs of engagement")
    signs = positive_signs(sessions)
    if signs:
        shown = signs[-POSITIVE_SIGNS_SHOWN:]
        doc.p(
            f"{len(signs)} sign(s) in {len({e.session_id for e in signs})} session(s)"
            + (f"; the latest {len(shown)}:" if len(shown) < len(signs) else ":")
        )
        doc.ul([_evidence_line(e, clean) for e in shown])
    else:
        doc.p("No positive sign of engagement found in the notes of this period.")
    _balance_section(doc, sessions, clean)

    doc.h3("My feelings in the sessions")
    feeling_rows = [
        [
            s.date.isoformat(),
            ", ".join(f.value for f in s.feelings) + (f" ({clean(s.feelings_other)})" if s.feelings_other else ""),
        ]
        for s in sessions
        if s.feelings
    ]
    if feeling_rows:
        doc.table(["Date", "Feelings noted"], feeling_rows)
    else:
        doc.p("No feelings recorded in this period.")
    doc.note(TACIT_DUALISM_PROMPT)

    doc.h3("Formulation by layer")
    shared_lines: list[str] = []
    private_counts: dict[str, int] = {}
    for item in b.formulation:
        v = item.current
        if v.is_shared:
            shared_lines.append(
                f"{v.layer} {LAYERS[v.layer][0]}: {clean(v.text)} - shared {v.date_shared.isoformat() if v.date_shared else ''}"
                f" ({v.channel or 'spoken'}), response: {v.response.replace('-', ' ')}"
                + ("; was disputed before" if item.ever_disputed() and v.response != "disputed" else "")
            )
        else:
            private_counts[v.layer] = private_counts.get(v.layer, 0) + 1
    doc.ul(sorted(shared_lines, key=lambda t: LAYER_CODES.index(t[:2])) or ["Nothing shared with the patient yet."])
    if private_counts:
        doc.p(
            "Private hypotheses held (not shown here): " + ", ".join(f"{k}: {n}" for k, n in sorted(private_counts.items())) + "."
        )

    doc.h3("GP liaison")
    contacts = [x for x in b.contacts if since is None or x.date >= since]
    doc.ul(
        [
            f"{x.date.isoformat()} {x.kind}: {clean(x.discussed)}" + (f" - agreed: {clean(x.agreed)}" if x.agreed else "")
            for x in contacts
        ]
        or ["No contacts with the practice in this period."]
    )
    if c.referrer_goal or c.patient_goal:
        doc.kv([("Referrer's goal", clean(c.referrer_goal)), ("Patient's goal", clean(c.patient_goal))])

    doc.h3("Risk")
    risk_lines = [clean(c.risk_notes)] if c.risk_notes.strip() else []
    for r in b.measures:
        if r.score.risk and (since is None or r.date >= since):
            risk_lines += [f"{r.date.isoformat()} {INSTRUMENTS[r.instrument].name}: {reason}" for reason in r.score.risk_reasons]
    doc.ul(risk_lines or ["No risk notes or positive risk items recorded."])

    doc.h3("Measures")
    rows: list[list[str]] = []
    last: dict[str, MeasureResult] = {}
    for r in b.measures:
        s = r.score
        change = reliable_change(r.instrument, last[r.instrument], r) if r.instrument in last else None
        if s.total is not None:
            last[r.instrument] = r
        if since is None or r.date >= since:
            rows.append(
                [
                    r.date.isoformat(),
                    INSTRUMENTS[r.instrument].name,
                    "incomplete" if s.total is None else f"{format_total(s.total)}/{s.maximum}",
                    s.band or "",
                    change or "",
                ]
            )
    if rows:
        doc.table(["Date", "Measure", "Score", "Band", "Change"], rows)
    else:
        doc.p("No measures in this period.")

    doc.h3("Questions for supervision")
    doc.text(clean(c.supervision_questions) or "(none written yet)")


def supervision_doc(
    bundles: list[ClientBundle],
    *,
    flags: Mapping[str, Sequence[Flag]],
    since: dt.date | None,
    today: dt.date,
    pseudonymise: bool = True,
    review: list[ReviewItem] | None = None,
) -> Doc:
    """The summary for ``bundles``. ``flags`` holds each client's flags by client id, as the caller
    got them (``services.flags_for``: the same thresholds, dismissals and measures as the Flags tab);
    a client missing from it shows no flags. When ``review`` is a list, the words left in the free
    text after scrubbing that may be names are added to it (see :mod:`.review`)."""
    title = "Supervision summary" + (f" since {since.isoformat()}" if since else "")
    doc = Doc(title=title, footer=READ_BEFORE_SHARING if pseudonymise else "Not pseudonymised: contains identifiers.")
    doc.p(f"Prepared {today.isoformat()}. For clinical supervision only.")
    all_ids = []
    scrubbed: list[str] = []
    for b in bundles:
        ids = identifiers(b.client) if pseudonymise else []
        all_ids += ids
        sources = [v.text for item in b.formulation for v in item.versions if v.text]
        _section_for(doc, b, since, _cleaner(ids, pseudonymise, scrubbed, sources), flags.get(b.client.id, ()))
    if pseudonymise and review is not None:
        # the app's own wording (flag explanations, prompts) is not the therapist's: never a name to review
        own = [TACIT_DUALISM_PROMPT, BALANCE_PROMPT, READ_BEFORE_SHARING, *LAYER_CODES, *(b.client.pseudonym for b in bundles)]
        own += [t for fl in flags.values() for f in fl for t in (f.title, f.rationale, f.suggestion)]
        review += candidates(scrubbed, ignore=own, lower_from=[doc.all_text()])
    if pseudonymise:
        # then verify what would be written, in every rendering
        verify([doc.all_text(), to_markdown(doc), html.unescape(to_html(doc))], all_ids)
    return doc
