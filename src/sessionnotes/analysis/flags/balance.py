"""The balance between collusion and confrontation (Balabanovic 2017, sub-category 7.3 “Balancing and pacing”).

Clinicians hold a tension between making the patient comfortable enough to come back and saying
something with enough potency to help; one clinician put the more common danger as too much
collusion rather than too much confrontation, and named supervision as the place to see it
(Balabanovic 2017). Two prompts, one flag kind (``collusion-confrontation``):

* **pull to collusion**: many consecutive sessions, once the work is past its first sessions, in
  which only validating, meeting-stage sub-strategies (5.x, 6.x) are ticked, or the therapist's own
  note says the challenge was held back, and no nudging-forward sub-strategy (7.x) at all;
* **confrontation against disputes**: after the patient disputed an idea (a formulation item
  answered "disputed", a dispute in the note, or a rupture tick), several of the next sessions
  challenge again (7.1, 7.2 or 7.4 ticked, or the note says the link was pressed) with no
  validation or balancing (6.x, 7.3, 7.5) beside it.

Both read the sub-strategies ticked on each session; a session with none ticked and nothing in the
note says nothing either way and breaks a run (the rule only speaks from what was recorded).
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right

from .facts import DetectorInput, SessionFacts, as_date, as_text, make_flag, read_field, span_label, versions
from .model import Evidence, Flag
from .phrases import hits, phrase_evidence, words
from .process import DISPUTED

VALIDATING = frozenset({"5.1", "5.2", "5.3", "6.1", "6.2", "6.3", "6.4", "6.5", "6.6"})
"""Sub-strategies of drawing in and meeting: hearing, legitimising, connecting, adapting."""
CHALLENGING = frozenset({"7.1", "7.2", "7.4"})
"""Nudging-forward sub-strategies that challenge: body-mind links, digging deeper, confronting process issues."""
HOLDING = frozenset({"7.3", "7.5"})
"""Balancing and pacing, and the self-restraint of managing impasse: a deliberate choice, never collusion."""

_HELD_BACK = words(
    r"(?:didn't|did\s+not|couldn't|could\s+not)\s+(?:challenge|question|push|raise\s+it|raise\s+the\s+(?:link|idea|pattern))",
    r"(?:avoided|held\s+back\s+from|steered\s+(?:clear\s+of|away\s+from)|shied\s+away\s+from)\s+"
    r"(?:challenging|questioning|asking|raising|naming|pushing|the\s+(?:link|pattern|difficult\s+question))",
    r"(?:kept|keep|keeping)\s+(?:it|things|the\s+session)\s+(?:comfortable|smooth|safe|light|pleasant)",
    r"just\s+(?:listened|sympathised|sympathized|nodded|reassured)",
    r"(?:I|we)\s+sympathi[sz]ed",
    r"(?:easier|safer)\s+to\s+(?:nod|sympathi[sz]e|agree|reassure)",
    r"(?:I|we)\s+(?:went|go)\s+along\s+with\s+(?:her|him|them|it)",
)
"""The therapist's own words for holding the challenge back (read in the note and private note)."""
_PRESSED = words(
    r"(?:pressed|pushed|pressing|pushing)\s+(?:the\s+)?(?:link|idea|interpretation|point)",
    r"(?:pressed|pushed)\s+(?:on|harder|again|further)",
    r"challenged\s+(?:her|him|them|it)\s+again",
    r"kept\s+(?:pushing|pressing|challenging|returning\s+to\s+the\s+(?:link|idea|interpretation))",
    r"(?:returned|went\s+back)\s+to\s+the\s+(?:link|idea|interpretation)\s+again",
    r"(?:raised|offered|repeated)\s+the\s+(?:link|idea|interpretation)\s+again",
)
"""The therapist's own words for pressing a challenge again."""

R_BALANCE = (
    "The work holds a tension between validation, which keeps the patient coming, and challenge, which lets "
    "something change. It is easier to nod and sympathise than to ask a difficult question, and the more common "
    "danger is too much collusion; but challenge pressed against a patient who has disputed it can end in a battle "
    "and disengagement (Balabanovic 2017, sub-categories 7.3 “Balancing and pacing” and 7.5)."
)
S_COLLUSION = (
    "Consider taking the balance to supervision: an outside view can help see what is going on between you. It may "
    "help to offer one small, warmly framed observation or question the patient might find a little uncomfortable, "
    "and to notice how it lands (Balabanovic 2017, sub-category 7.3 “Balancing and pacing”)."
)
S_CONFRONT = (
    "Consider stepping back to validation for a while: acknowledge the disagreement, keep the idea privately, and "
    "wait for the patient to bring something close to it; a repair conversation may help if the dispute strained "
    "the relationship (Balabanovic 2017, sub-categories 7.3 and 7.5)."
)


def _codes(f: SessionFacts) -> set[str]:
    return {as_text(c) for c in (read_field(f.session, "substrategies", []) or [])}


def _collusion(case: DetectorInput) -> list[Flag]:
    thresholds = case.thresholds
    need = thresholds.collusion_sessions
    if need <= 0:
        return []
    runs: list[list[tuple[SessionFacts, list[Evidence]]]] = [[]]
    for f in case.held:
        if (f.held_index or 0) < thresholds.collusion_skip_first:
            continue
        codes = _codes(f)
        said = phrase_evidence(f, _HELD_BACK, case.cache)
        if codes & (CHALLENGING | HOLDING) or not (codes or said):
            runs.append([])
            continue
        ev = [Evidence(f.session_id, f.date, "substrategies", "only " + ", ".join(sorted(codes)) + " ticked")] if codes else []
        runs[-1].append((f, ev + said))
    flags = []
    for run in runs:
        if len(run) < need:
            continue
        sessions = [f for f, _ in run]
        summary = (
            f"{len(run)} sessions in a row ({span_label(sessions)}) recorded only validating, meeting-stage work and no "
            "nudging forward (no body-mind links, digging deeper or addressing process issues): a possible pull to collusion."
        )
        ev = [e for _, evs in run for e in evs]
        flags.append(
            make_flag(
                "collusion-confrontation",
                "low",
                sessions,
                ev,
                R_BALANCE,
                S_COLLUSION,
                summary,
                anchor=f"collusion:{sessions[0].session_id}",
            )
        )
    return flags


def _dispute_days(case: DetectorInput) -> list[tuple[dt.date, Evidence]]:
    """When the patient disputed something: formulation responses, the notes, rupture ticks."""
    out: list[tuple[dt.date, Evidence]] = []
    for item in case.formulation or ():
        for v in versions(item):
            if as_text(read_field(v, "response", "")) != "disputed":
                continue
            day = as_date(read_field(v, "date_shared", None)) or as_date(read_field(v, "at", None))
            if day is not None:
                text = as_text(read_field(v, "text", ""))
                snippet = (text[:60] + "…") if len(text) > 60 else text
                out.append((day, Evidence("", day, "formulation", f"disputed by the patient: '{snippet}'")))
    for f in case.sessions:
        if f.date is None:
            continue
        for name in ("note", "private_note"):
            out += [(f.date, Evidence(f.session_id, f.date, name, p)) for p in hits(DISPUTED, f.texts.get(name, ""), case.cache)]
        if read_field(f.session, "rupture", False) is True:
            out.append((f.date, Evidence(f.session_id, f.date, "rupture", "ticked: rupture in the alliance")))
    return sorted(out, key=lambda d: d[0])


def _confrontation(case: DetectorInput) -> list[Flag]:
    thresholds = case.thresholds
    need, window = thresholds.confrontation_count, thresholds.confrontation_window
    if need <= 0 or window <= 0:
        return []
    disputes = _dispute_days(case)
    held = [f for f in case.held if f.date is not None]
    days = [f.date for f in held if f.date is not None]  # in date order, as the sessions are
    read: dict[int, tuple[set[str], list[Evidence]]] = {}  # each session read once, whatever the windows
    for day, dispute in disputes:
        start = bisect_right(days, day)
        after = held[start : start + window]
        pressing: list[tuple[SessionFacts, list[Evidence]]] = []
        for f in after:
            found = read.get(f.index)
            if found is None:
                found = read[f.index] = (_codes(f), phrase_evidence(f, _PRESSED, case.cache))
            codes, said = found
            if (codes & CHALLENGING or said) and not codes & (VALIDATING | HOLDING):
                ticked = sorted(codes & CHALLENGING)
                ev = (
                    [Evidence(f.session_id, f.date, "substrategies", ", ".join(ticked) + " ticked, no validation")]
                    if ticked
                    else []
                )
                pressing.append((f, ev + said))
        if len(pressing) < need:
            continue
        sessions = [f for f, _ in pressing]
        where = f"after the patient disputed something on {day.isoformat()}"
        summary = (
            f"{where}, {len(sessions)} of the next {len(after)} sessions ({span_label(sessions)}) challenged again with no "
            "validation or balancing recorded beside it: the balance may have tipped towards confrontation."
        )
        summary = summary[0].upper() + summary[1:]
        ev = [dispute, *(e for _, evs in pressing for e in evs)]
        anchor = f"confrontation:{sessions[0].session_id}"
        return [make_flag("collusion-confrontation", "medium", sessions, ev, R_BALANCE, S_CONFRONT, summary, anchor=anchor)]
    return []


def collusion_confrontation(case: DetectorInput) -> list[Flag]:
    """A possible pull to collusion, or confrontation pressed against disputes (see the module docstring)."""
    return _confrontation(case) + _collusion(case)
