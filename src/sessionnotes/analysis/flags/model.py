"""What a flag is: the result types, the flag kinds and the adjustable thresholds.

:class:`Flag` (with its :class:`Evidence`) is what every detector returns and what the Flags tab,
the CLI and the supervision export show; :data:`FLAG_KINDS` names the stable kind codes in display
order; :class:`Thresholds` holds every number a detector uses, each with its clinical basis, and is
read from the ``flag_thresholds`` setting with :meth:`Thresholds.from_mapping`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

FLAG_KINDS: dict[str, str] = {
    "measure-risk": "Risk item on the latest measure",
    "repetitive-body-talk": "Repetitive body talk",
    "dna-pattern": "Missed and cancelled appointments",
    "starting-again": "Each session starting again",
    "token-agreement": "Compliance / token agreement",
    "passivity": "Passivity",
    "negative-countertransference": "Difficult feelings in the therapist",
    "pushing-too-hard": "Pushing too hard / premature interpretation",
    "unrepaired-rupture": "Rupture not yet repaired",
    "collusion-confrontation": "Collusion / confrontation balance",
    "impasse": "Possible impasse",
    "untreatable-label": "'Untreatable' labelling",
    "goal-conflict": "Referrer's and patient's goals differ",
    "treatment-burden": "Treatment burden",
}
"""Stable flag kind codes and their display titles."""

SEVERITY_RANK: dict[str, int] = {"high": 0, "medium": 1, "low": 2}
"""Sort order of severities, most serious first."""


# =============================================================================================
# Results
# =============================================================================================


@dataclass(frozen=True)
class Evidence:
    """What triggered a flag: a session (id and date; "" / None for client-level facts), the field
    looked at (``note``, ``body_talk``, ``attendance``, ``feelings``, ``formulation``...) and the
    exact words or value that counted."""

    session_id: str
    date: dt.date | None
    field: str
    phrase: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "date": self.date.isoformat() if self.date else None,
            "field": self.field,
            "phrase": self.phrase,
        }


@dataclass
class Flag:
    """A process pattern worth reflecting on.

    ``kind`` is a stable code from :data:`FLAG_KINDS`; ``sessions`` the ids of the sessions
    involved, in date order; ``rationale`` why the pattern matters (citing its published source);
    ``suggestion`` a tentative idea; ``source`` is ``"rule"`` for these detectors. ``key``
    identifies the flag across runs (kind + first session of the pattern) so a dismissal sticks;
    ``dismissed`` / ``dismissed_reason`` are filled from the ``dismissed`` argument of
    :func:`.detect.detect`.
    """

    kind: str
    severity: str
    sessions: list[str]
    evidence: list[Evidence]
    rationale: str
    suggestion: str
    source: str = "rule"
    title: str = ""
    summary: str = ""
    key: str = ""
    dismissed: bool = False
    dismissed_reason: str = ""

    @property
    def is_open(self) -> bool:
        return not self.dismissed

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "severity": self.severity,
            "summary": self.summary,
            "sessions": list(self.sessions),
            "evidence": [e.to_dict() for e in self.evidence],
            "rationale": self.rationale,
            "suggestion": self.suggestion,
            "source": self.source,
            "key": self.key,
            "dismissed": self.dismissed,
            "dismissed_reason": self.dismissed_reason,
        }


# =============================================================================================
# Thresholds
# =============================================================================================


@dataclass(frozen=True)
class Thresholds:
    """Named, adjustable thresholds. Each comment gives the clinical basis; where the sources give
    no number the value is a judgement, labelled as such.

    Sessions are counted as *held* sessions (attended or late) unless the name says *booked*.
    """

    # --- repetitive body talk (F1) ------------------------------------------------------------
    body_talk_grace_sessions: int = 3
    """Held sessions at the start that never count: body talk is expected and met during
    assessment and the early sessions (Balabanovic 2017, sub-category 6.1 “Engaging with patients'
    experience”). 3 = assessment plus the next two (judgement; the source says only that it
    becomes a concern after a period of sessions, Balabanovic 2017, sub-category 7.4)."""
    body_talk_run: int = 3
    """Consecutive eligible sessions dominated by body talk before flagging ("several
    consecutive sessions"; judgement)."""
    body_talk_persistent_run: int = 7
    """Consecutive held sessions dominated by body talk that raise the flag at any stage, including
    while the work is still coded as meeting: body talk is expected early and while meeting, but when
    it persists across many consecutive sessions it is a process issue and the work may be stuck in
    meeting (Balabanovic 2017, sub-categories 6.1 and 7.4). Seven (about two months of weekly work)
    is a judgement: longer than the nudging-forward rule, because meeting some patients takes much
    longer (Balabanovic 2017). Never fewer than the grace sessions plus one, so the first sessions
    stay silent."""
    body_talk_rating_alone: int = 3
    """A therapist rating this high (3 = almost all the session) counts on its own: the
    therapist was in the room and the note may be brief."""
    body_talk_rating_with_text: int = 2
    """A rating of 2 counts when the note text agrees (see ``body_talk_text_share``)."""
    body_talk_text_share: float = 0.65
    """Share of symptom/investigation/medication words among all content words needed to back
    a rating of 2."""
    body_talk_text_share_unrated: float = 0.8
    """With no rating, the text alone must be this one-sided (and have enough words)."""
    body_talk_min_words: int = 4
    """Minimum symptom-side words before an unrated note can count (short notes say little)."""

    # --- DNAs and cancellations (F6) ----------------------------------------------------------
    dna_early_appointments: int = 2
    """A DNA at any of the first N booked appointments: risk of losing contact is highest at the
    initial assessment and the session after it (Balabanovic 2017, sub-category 4.1.1 “Initial attendance”)."""
    absence_repeat: int = 2
    """Absences (DNA or cancelled by the patient) within ``absence_window`` booked sessions that
    make a pattern worth raising: clinicians address absences "particularly if they happen more
    than once" (Balabanovic 2017)."""
    absence_window: int = 6
    """Booked sessions looked at together for repeated absences (judgement: about six weeks of
    weekly work)."""

    # --- each session starting again (F5) -----------------------------------------------------
    starting_again_count: int = 2
    """Sessions with the tick or a note phrase needed: one blank session can be a bad day or brain
    fog; a repeat is the pattern the source describes (Balabanovic 2017, sub-category 3.6 “Signs of (dis)engagement”)."""
    starting_again_window: int = 6
    """Held sessions looked at together."""

    # --- compliance / token agreement (F3) and passivity (F4) ---------------------------------
    token_agreement_count: int = 2
    """Sessions with the tick or a note phrase; compliance is "a lot" of what clinicians see, so a
    single instance is ordinary (Balabanovic 2017, sub-category 3.4 “Self-sabotaging behaviours”)."""
    token_agreement_window: int = 6
    """Held sessions looked at together for compliance."""
    passivity_strong_count: int = 2
    """Sessions with a tick or a clear passivity phrase ("waited for me to lead")."""
    passivity_any_count: int = 3
    """Sessions with any passivity sign, including weak ones (homework not attempted), that also
    make the pattern (Balabanovic 2017, sub-category 3.4 “Self-sabotaging behaviours”: passivity
    as a deeper barrier; judgement on numbers)."""
    passivity_window: int = 5
    """Held sessions looked at together for passivity."""

    # --- negative countertransference (F10) ---------------------------------------------------
    countertransference_count: int = 3
    """Sessions with boredom, irritation, hopelessness, helplessness or overwhelm recorded...
    (Balabanovic 2017, sub-categories 3.4 and 7.5; these reactions build up when therapy is repeatedly thwarted)."""
    countertransference_window: int = 5
    """...within this many held sessions."""

    # --- pushing too hard / premature interpretation (F8, F13) --------------------------------
    early_sessions: int = 4
    """Deep ideas offered within the first N held sessions count as early even if the stage was
    already moved on (Balabanovic 2017; "a bit early", "pre-emptive"; judgement)."""
    rupture_followup_sessions: int = 3
    """Booked sessions after the sharing (besides the session it happened in) in which a rupture
    tick, anger or withdrawal in the note, a DNA or a patient cancellation counts as following it:
    reactions to an idea offered too soon show in the next few meetings, often as a missed one
    (Balabanovic 2017, sub-categories 4.3 and 7.3; three is a judgement, about three weeks of weekly work)."""

    # --- collusion / confrontation balance (F2, F8) ------------------------------------------
    collusion_skip_first: int = 4
    """Held sessions at the start that never count towards a pull to collusion: validating,
    meeting-stage work is what the first sessions are for (Balabanovic 2017, sub-categories 6.1
    and 6.2); the pull matters after initial engagement (judgement: assessment plus three)."""
    collusion_sessions: int = 6
    """Consecutive held sessions with only validating (5.x, 6.x) sub-strategies ticked, or the
    therapist's note saying the challenge was held back, and no nudging forward: clinicians name
    too much collusion as the commoner danger and it is easier to nod and sympathise than to ask a
    difficult question (Balabanovic 2017, sub-category 7.3 “Balancing and pacing”). Six, about six
    weeks of weekly work, is a judgement; meeting some patients takes longer, so a session with
    balancing or impasse work ticked (7.3, 7.5) breaks the run."""
    confrontation_window: int = 4
    """Held sessions after a dispute (a formulation item disputed, a dispute in the note, a rupture
    tick) looked at for challenge pressed again (judgement: about a month of weekly work)."""
    confrontation_count: int = 2
    """Sessions in that window that challenge (7.1, 7.2, 7.4 ticked, or the note says the link was
    pressed) with no validation or balancing beside it: confrontation can kindle self-blame and
    defensive justification and lead to "a battle" (Balabanovic 2017, sub-categories 7.3 and 7.5);
    one such session can be well-judged, a second is a pattern (judgement)."""

    # --- impasse (F9) -------------------------------------------------------------------------
    impasse_skip_first: int = 3
    """Held sessions at the start excluded: nothing is expected to move yet (Balabanovic 2017)."""
    impasse_sessions: int = 5
    """Consecutive held sessions at the same stage (nudging forward) with no positive sign of
    engagement (Balabanovic 2017, sub-category 7.5 “Managing therapeutic impasse”; judgement)."""
    impasse_sessions_early_stage: int = 8
    """The same at drawing-in or meeting, where meeting the patient can take much longer
    (for some patients it takes far longer; Balabanovic 2017)."""
    impasse_stuck_sessions: int = 3
    """A shorter run is enough when the therapist's own notes say "stuck" ...
    """
    impasse_stuck_mentions: int = 2
    """... in at least this many of its sessions."""

    # --- treatment burden (F26) ---------------------------------------------------------------
    burden_services: int = 4
    """Other services or appointment streams listed for the client: someone already carrying many
    appointments may not have room for one more commitment (Jackson 2023, “Treatment burden”; the number is a judgement)."""
    burden_clashes: int = 2
    """Sessions missed because of clashing medical appointments (Jackson 2023, “Treatment burden”)."""
    burden_phrase_sessions: int = 2
    """Sessions whose notes mention the load of appointments (tired of the system; Jackson 2023, “Treatment burden”)."""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> Thresholds:
        """Thresholds from settings: unknown keys are ignored, values of the wrong type raise
        ``ValueError`` naming the setting."""
        if not data:
            return cls()
        known = {f.name: f for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        defaults = cls()
        for name, value in data.items():
            if name not in known:
                continue
            expected = type(getattr(defaults, name))
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"Threshold {name!r} must be a number (got {value!r}).")
            if expected is int and not float(value).is_integer():
                raise ValueError(f"Threshold {name!r} must be a whole number (got {value!r}).")
            if value < 0:
                raise ValueError(f"Threshold {name!r} cannot be negative (got {value!r}).")
            kwargs[name] = expected(value)
        return cls(**kwargs)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}
