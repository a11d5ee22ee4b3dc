"""The three stages of engaging a patient with persistent physical symptoms.

The model comes from a grounded-theory study of experienced clinicians (Balabanovic 2017).
Engagement is negotiated in three stages, each with its own goal:

* **Drawing in** works on the system around the patient (above all the GP) so that the patient
  comes through the door at all: *initial attendance*.
* **Meeting patients where they're at** hears and legitimises the illness story and builds an
  alliance: *initial engagement*.
* **Nudging forward** gently links body and feelings so that the patient engages in the therapy
  process itself: *real engagement*.

The stages are met in order, but meeting and nudging recur throughout therapy, so a session may
step back a stage. That is ordinary clinical work and is never treated as failure. Nothing here
scores engagement; the data exists for checklists, prompts and a stage timeline.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

__all__ = [
    "STAGES",
    "STAGE_CODES",
    "STAGE_PROMPTS",
    "SUBSTRATEGIES",
    "SUBSTRATEGY_CODES",
    "WHAT_GOOD_LOOKS_LIKE",
    "Stage",
    "SubStrategy",
    "stage_by_code",
    "substrategy_by_code",
    "substrategy_words",
]


@dataclass(frozen=True)
class SubStrategy:
    """One of the fifteen named things clinicians do within a stage (e.g. 6.2).

    ``code`` is the study's sub-category number ("6.2"), ``name`` its short display name and
    ``stage`` the code of the stage it belongs to. Offered as a per-session checklist.
    """

    code: str
    name: str
    stage: str


@dataclass(frozen=True)
class Stage:
    """A stage of engagement.

    ``goal`` is the level of engagement the stage aims for; ``reminder`` is one line on what the
    clinician does in it; ``substrategies`` are the stage's sub-strategies in study order.
    """

    code: str
    name: str
    goal: str
    reminder: str
    substrategies: tuple[SubStrategy, ...]


def _subs(stage: str, *pairs: tuple[str, str]) -> tuple[SubStrategy, ...]:
    return tuple(SubStrategy(code=code, name=name, stage=stage) for code, name in pairs)


STAGES: tuple[Stage, ...] = (
    Stage(
        code="drawing-in",
        name="Drawing in",
        goal="initial attendance",
        reminder=(
            "Work with the referring system: the GP relationship, how the referral was framed, "
            "joint consultations and support for the GP."
        ),
        substrategies=_subs(
            "drawing-in",
            ("5.1", "GP–clinician relationship"),
            ("5.2", "Collaboration about referrals"),
            ("5.3", "Supporting GPs"),
        ),
    ),
    Stage(
        code="meeting",
        name="Meeting patients where they're at",
        goal="initial engagement",
        reminder=(
            "Hear the illness story, treat the symptoms as real, go with the focus on the body, "
            "find an emotional connection and adapt to what the patient can use."
        ),
        substrategies=_subs(
            "meeting",
            ("6.1", "Engaging with the patient's experience"),
            ("6.2", "Establishing emotional connection"),
            ("6.3", "Noticing hidden communications"),
            ("6.4", "Adapting flexibly"),
            ("6.5", "Addressing initial barriers"),
            ("6.6", "Sensitive formulation"),
        ),
    ),
    Stage(
        code="nudging-forward",
        name="Nudging forward",
        goal="real engagement",
        reminder=(
            "Build links between body and feelings, offer deeper ideas tentatively, balance "
            "validation with challenge, and work with process issues and impasse."
        ),
        substrategies=_subs(
            "nudging-forward",
            ("7.1", "Fostering body–mind links"),
            ("7.2", "Digging deeper"),
            ("7.3", "Balancing and pacing"),
            ("7.4", "Addressing process issues"),
            ("7.5", "Managing therapeutic impasse"),
        ),
    ),
)

STAGE_CODES: tuple[str, ...] = tuple(stage.code for stage in STAGES)

SUBSTRATEGIES: tuple[SubStrategy, ...] = tuple(sub for stage in STAGES for sub in stage.substrategies)

SUBSTRATEGY_CODES: tuple[str, ...] = tuple(sub.code for sub in SUBSTRATEGIES)

_STAGES_BY_CODE = {stage.code: stage for stage in STAGES}
_SUBSTRATEGIES_BY_CODE = {sub.code: sub for sub in SUBSTRATEGIES}


def stage_by_code(code: str) -> Stage:
    """Return the stage with this code, or raise ``ValueError`` naming the valid codes."""
    try:
        return _STAGES_BY_CODE[code]
    except (KeyError, TypeError):
        raise ValueError(f"{code!r} is not a stage; use one of: {', '.join(STAGE_CODES)}") from None


def substrategy_by_code(code: str) -> SubStrategy:
    """Return the sub-strategy with this code (e.g. "6.1"), or raise ``ValueError``."""
    try:
        return _SUBSTRATEGIES_BY_CODE[code]
    except (KeyError, TypeError):
        raise ValueError(f"{code!r} is not a sub-strategy; use one of: {', '.join(SUBSTRATEGY_CODES)}") from None


def substrategy_words(codes: Iterable[str]) -> list[str]:
    """Each code with its name ("6.1 Engaging with the patient's experience"); an unknown code as it is."""
    out = []
    for code in codes:
        sub = _SUBSTRATEGIES_BY_CODE.get(code)
        out.append(f"{code} {sub.name}" if sub else str(code))
    return out


# Reflective questions a therapist may insert into a session note. They invite thought about
# the pattern of the work; none of them is a test the patient or the therapist can fail.
STAGE_PROMPTS: dict[str, tuple[str, ...]] = {
    "drawing-in": (
        "How did the GP explain this referral, and how did the patient take it?",
        "What might make it hard for the patient to come to the next appointment?",
        "Would a joint appointment with the GP make the first step easier?",
        "What does the GP need from me to keep supporting this patient?",
    ),
    "meeting": (
        "What did the patient most need me to understand about their symptoms today?",
        "Where was there a flicker of feeling, and how did I respond to it?",
        "What might the patient be telling me without saying it, and what did I feel in the room?",
        "Did I fit the pace and style of the session to what the patient could manage?",
    ),
    "nudging-forward": (
        "Was there a moment when body and feelings came together?",
        "Which idea did I offer tentatively, and how did it land?",
        "Was the balance between validating and challenging right today?",
        "Is there a pattern in how we work together that is worth naming warmly?",
        "If we feel stuck, what could change: the pace, the focus or the approach?",
    ),
}

# What good practice tends to look like at each stage (research extraction section 2.3). These
# are prompts for reflection, never a score.
WHAT_GOOD_LOOKS_LIKE: dict[str, tuple[str, ...]] = {
    "drawing-in": (
        "Contact with the GP made and the working relationship noted.",
        "How the referral was framed talked through with the GP.",
        "A joint consultation considered if the patient is reluctant or has missed appointments.",
        "First contact made by telephone.",
        "The patient's worries about attending asked about.",
    ),
    "meeting": (
        "The patient's account of their illness heard, and the symptoms treated as real.",
        "The psychological toll of the symptoms acknowledged; the focus on the body followed.",
        "An emotional connection made through whatever feeling is available.",
        "Hidden communications and the therapist's own reactions noticed.",
        "Approach adapted (a lighter touch, less history-taking), early barriers addressed, "
        "and any formulation shared with care.",
    ),
    "nudging-forward": (
        "Body–mind links encouraged through explanation, links made in the room and open questions.",
        "Deeper interpretations offered tentatively.",
        "Validation and challenge kept in balance.",
        "Process issues raised with warmth.",
        "Impasse met with restraint, and the approach changed when needed.",
    ),
}
