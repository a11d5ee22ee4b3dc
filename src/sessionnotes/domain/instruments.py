"""Outcome-measure definitions as data: PHQ-9, GAD-7, PHQ-15, WSAS and CORE-10.

Everything here comes from ``research/measures.md`` (the project's measures reference). Each rule
carries the source tag that file gives it, so an unconfirmed rule stays visibly unconfirmed:

* ``"C"`` confirmed from a primary or official source;
* ``"S"`` secondary source only (probably right, not checked against the primary document);
* ``"CamCOPS"`` how the open-source CamCOPS implementation does it (an implementation choice);
* ``"U"`` UNCONFIRMED: from memory or a design recommendation. Check before relying on it.

``Rule.confirmed`` is ``False`` exactly for ``"U"``. Scoring lives in :mod:`.measures`.

Licences (measures.md §1.1, §4.1, §5.6): PHQ family wording may be shown, with the Pfizer line;
CORE-10 wording only verbatim and with its copyright line visible; WSAS item wording is NOT
licensed to us, so only the five domain labels are shipped. Users may add their own licensed WSAS
wording through a file in the config dir (:func:`sessionnotes.domain.measures.load_wsas_wording`).

Pure: no I/O, no third-party imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction
from types import MappingProxyType
from typing import Final, Literal

__all__ = [
    "CORE10",
    "CORE10_COPYRIGHT",
    "GAD7",
    "INSTRUMENTS",
    "INSTRUMENT_CODES",
    "NA",
    "PHQ9",
    "PHQ15",
    "PHQ_COPYRIGHT",
    "PHYSICAL_SYMPTOM_OVERLAP",
    "PHYSICAL_SYMPTOM_OVERLAP_NOTE",
    "WSAS",
    "WSAS_COPYRIGHT",
    "Band",
    "Instrument",
    "Item",
    "Rule",
    "instrument_by_code",
]

NA: Final = "na"
"""A response meaning "not applicable" (PHQ-15 item 4; WSAS item 1). Not missing, never 0.

Stored as the JSON string ``"na"``. An unanswered item is ``None``.
"""

Confidence = Literal["C", "S", "CamCOPS", "U"]


@dataclass(frozen=True)
class Rule:
    """One sourced fact or scoring rule, with measures.md's confidence marker kept.

    ``confirmed`` is False for ``"U"`` (UNCONFIRMED) rules: show them as such in help text.
    """

    text: str
    confidence: Confidence
    source: str = ""
    note: str = ""

    @property
    def confirmed(self) -> bool:
        return self.confidence != "U"

    def describe(self) -> str:
        """One line for help text, e.g. "Caseness: total >= 10 [S: S12] (UNCONFIRMED ...)"."""
        mark = "UNCONFIRMED" if not self.confirmed else self.confidence
        src = f": {self.source}" if self.source else ""
        note = f" ({self.note})" if self.note else ""
        return f"{self.text} [{mark}{src}]{note}"


@dataclass(frozen=True)
class Band:
    """A severity band starting at ``lower``. Bands are inclusive lower bounds (measures.md §0.7),
    except where ``exclusive`` is set (WSAS "above 20" means total > 20)."""

    lower: int
    label: str
    exclusive: bool = False

    def contains_from_below(self, total: float | Fraction) -> bool:
        return total > self.lower if self.exclusive else total >= self.lower


@dataclass(frozen=True, eq=False)
class Item:
    """One scored item. ``text`` is what may be shown; ``label`` is a short domain label."""

    number: int
    text: str
    label: str
    reverse: bool = False
    risk: bool = False
    na_allowed: bool = False
    na_label: str = ""
    anchor_overrides: Mapping[int, str] = field(default_factory=dict)
    help: str = ""


@dataclass(frozen=True, eq=False)
class Instrument:
    """A questionnaire: its items, response labels, bands and rules (see the module docstring)."""

    code: str
    name: str
    full_name: str
    stem: str
    time_frame: str
    items: tuple[Item, ...]
    item_min: int
    item_max: int
    response_labels: Mapping[int, str]
    bands: tuple[Band, ...]
    bands_rule: Rule
    caseness: int | None
    caseness_rule: Rule
    reliable_change: int | None
    reliable_improvement_rule: Rule
    reliable_deterioration_rule: Rule
    missing_rule: Rule
    proration_max_missing: int
    """Most missing applicable items the optional proration setting may fill (0: never)."""
    proration_rule: Rule
    licence: str
    copyright_line: str
    wording_licensed: bool
    """True when the item wording above may be shown (PHQ family, CORE-10 verbatim)."""
    risk_rule: Rule | None = None
    na_rule: Rule | None = None
    unscored_items: tuple[Item, ...] = ()
    unscored_response_labels: Mapping[int, str] = field(default_factory=dict)
    notes: tuple[Rule, ...] = ()

    @property
    def n_items(self) -> int:
        return len(self.items)

    @property
    def full_maximum(self) -> int:
        return self.item_max * self.n_items

    @property
    def reverse_items(self) -> tuple[int, ...]:
        return tuple(i.number for i in self.items if i.reverse)

    @property
    def risk_items(self) -> tuple[int, ...]:
        return tuple(i.number for i in self.items if i.risk)

    @property
    def na_items(self) -> tuple[int, ...]:
        return tuple(i.number for i in self.items if i.na_allowed)

    def item(self, number: int) -> Item:
        if not 1 <= number <= self.n_items:
            raise ValueError(f"{self.name} has items 1 to {self.n_items} (got {number}).")
        return self.items[number - 1]

    def response_label(self, value: int, item: int | None = None) -> str:
        """The label for a raw response, e.g. 1 -> "Several days"; "" for an unlabelled point."""
        if item is not None:
            override = self.item(item).anchor_overrides.get(value)
            if override:
                return override
        return self.response_labels.get(value, "")

    def rules(self) -> dict[str, Rule]:
        """Every rule of this instrument by name, for help screens and audits."""
        out = {
            "bands": self.bands_rule,
            "caseness": self.caseness_rule,
            "reliable_improvement": self.reliable_improvement_rule,
            "reliable_deterioration": self.reliable_deterioration_rule,
            "missing_items": self.missing_rule,
            "proration": self.proration_rule,
        }
        if self.risk_rule is not None:
            out["risk"] = self.risk_rule
        if self.na_rule is not None:
            out["not_applicable"] = self.na_rule
        for position, rule in enumerate(self.notes, start=1):
            out[f"note_{position}"] = rule
        return out

    def unconfirmed_rules(self) -> dict[str, Rule]:
        return {name: rule for name, rule in self.rules().items() if not rule.confirmed}


def _labels(mapping: dict[int, str]) -> Mapping[int, str]:
    return MappingProxyType(dict(mapping))


# --------------------------------------------------------------------------------------------
# Licences and shared strings
# --------------------------------------------------------------------------------------------

PHQ_COPYRIGHT: Final = (
    "Copyright © Pfizer Inc. All rights reserved. Developed by Drs. Robert L. Spitzer, Janet B.W. Williams, "
    "Kurt Kroenke and colleagues, with an educational grant from Pfizer Inc. No permission required to "
    "reproduce, translate, display or distribute."
)
"""Attribution for PHQ-9, GAD-7 and PHQ-15 (measures.md §1.1, [C] S13)."""

CORE10_COPYRIGHT: Final = "© CORE System Trust: https://www.coresystemtrust.org.uk/copyright.pdf"
"""Must be visible to the end user whenever CORE-10 items are shown (measures.md §5.2, [C] S8d)."""

WSAS_COPYRIGHT: Final = "Copyright © Isaac M. Marks (see Mundt et al. 2002)"
"""WSAS copyright holder (measures.md §4.1, [CamCOPS]); terms for embedding item text are UNCONFIRMED."""

_FOUR_POINT_FREQ = _labels({0: "Not at all", 1: "Several days", 2: "More than half the days", 3: "Nearly every day"})

PHYSICAL_SYMPTOM_OVERLAP: Final[Mapping[str, tuple[int, ...]]] = MappingProxyType(
    {
        # sleep, tiredness/energy, appetite, concentration, slowed or restless movement
        "phq9": (3, 4, 5, 7, 8),
        # trouble relaxing, restlessness
        "gad7": (4, 5),
    }
)
"""PHQ-9/GAD-7 items whose content overlaps with symptoms of a physical condition.

The item selection is a design choice [U]: Jackson (2023) reports the overlap
but does not name items; these are the items about sleep, energy, appetite, concentration and
movement/restlessness.
"""

PHYSICAL_SYMPTOM_OVERLAP_NOTE: Final = (
    "Several items (PHQ-9 items 3, 4, 5, 7, 8: sleep, energy, appetite, concentration, movement; "
    "GAD-7 items 4, 5: relaxing, restlessness) can be scored high because of a physical condition. "
    "IAPT therapists interviewed by Jackson (2023) said the minimum data set often feels less "
    "relevant for people with long-term physical conditions: symptoms of the condition cross over "
    "with depression and anxiety items (answers may reflect pain), so scores may not move during "
    "therapy even when the person copes and functions better, and 'recovery' may mean feeling and "
    "functioning better than before rather than a score below the cut-off. (Item selection: design "
    "choice, unconfirmed.)"
)
"""Paraphrased from Jackson (2023) on what recovery means for these patients; attached to every PHQ-9 and GAD-7 result."""


# --------------------------------------------------------------------------------------------
# PHQ-9 (measures.md §1)
# --------------------------------------------------------------------------------------------

PHQ9 = Instrument(
    code="phq9",
    name="PHQ-9",
    full_name="Patient Health Questionnaire-9",
    stem="Over the last 2 weeks, how often have you been bothered by any of the following problems?",
    time_frame="last 2 weeks",
    items=(
        Item(1, "Little interest or pleasure in doing things", "anhedonia"),
        Item(2, "Feeling down, depressed, or hopeless", "mood"),
        Item(3, "Trouble falling or staying asleep, or sleeping too much", "sleep"),
        Item(4, "Feeling tired or having little energy", "energy"),
        Item(5, "Poor appetite or overeating", "appetite"),
        Item(
            6,
            "Feeling bad about yourself — or that you are a failure or have let yourself or your family down",
            "self-esteem/guilt",
        ),
        Item(7, "Trouble concentrating on things, such as reading the newspaper or watching television", "concentration"),
        Item(
            8,
            "Moving or speaking so slowly that other people could have noticed? Or the opposite — being so fidgety "
            "or restless that you have been moving around a lot more than usual",
            "psychomotor",
        ),
        Item(
            9,
            "Thoughts that you would be better off dead or of hurting yourself in some way",
            "death/self-harm",
            risk=True,
            help="Risk item: any answer above 'Not at all', or no answer, needs a risk assessment.",
        ),
    ),
    item_min=0,
    item_max=3,
    response_labels=_FOUR_POINT_FREQ,
    bands=(
        Band(0, "None–minimal"),
        Band(5, "Mild"),
        Band(10, "Moderate"),
        Band(15, "Moderately severe"),
        Band(20, "Severe"),
    ),
    bands_rule=Rule(
        "Bands 0-4 none-minimal, 5-9 mild, 10-14 moderate, 15-19 moderately severe, 20-27 severe", "C", "S2 Kroenke 2001"
    ),
    caseness=10,
    caseness_rule=Rule("IAPT / NHS Talking Therapies caseness: total >= 10", "S", "S12 quoting NHS Digital 2016"),
    reliable_change=6,
    reliable_improvement_rule=Rule("Reliable improvement: decrease of 6 or more points", "S", "S12"),
    reliable_deterioration_rule=Rule(
        "Reliable deterioration: increase of 6 or more points",
        "U",
        note="symmetric with improvement; not found stated explicitly",
    ),
    missing_rule=Rule("Strict by default: no total unless all 9 items are answered", "CamCOPS", "S1 phq9.py"),
    proration_max_missing=2,
    proration_rule=Rule(
        "Optional setting: prorate if at most 2 items are missing, total = sum(answered) x 9 / n_answered",
        "S",
        "S14 (qscorer, Arrieta et al. 2017)",
        note="research convention; the NHS Talking Therapies rule was not found (UNCONFIRMED)",
    ),
    risk_rule=Rule(
        "Item 9 >= 1 flags for risk assessment whatever the total; item 9 unanswered is flagged separately",
        "S",
        "MII FHIR PRO guide; clincalc phq9.rs",
        note="the unanswered flag is a design rule [U]",
    ),
    licence="Free to reproduce (Pfizer): no permission required to reproduce, translate, display or distribute.",
    copyright_line=PHQ_COPYRIGHT,
    wording_licensed=True,
    unscored_items=(
        Item(
            10,
            "If you checked off any problems, how difficult have these problems made it for you to do your work, "
            "take care of things at home, or get along with other people?",
            "functional difficulty",
        ),
    ),
    unscored_response_labels=_labels(
        {0: "Not difficult at all", 1: "Somewhat difficult", 2: "Very difficult", 3: "Extremely difficult"}
    ),
    notes=(Rule("Band and IAPT caseness are separate fields; item 10 (difficulty) is not scored", "CamCOPS", "S1"),),
)

# --------------------------------------------------------------------------------------------
# GAD-7 (measures.md §2)
# --------------------------------------------------------------------------------------------

GAD7 = Instrument(
    code="gad7",
    name="GAD-7",
    full_name="Generalized Anxiety Disorder 7-item",
    stem="Over the last 2 weeks, how often have you been bothered by any of the following problems?",
    time_frame="last 2 weeks",
    items=(
        Item(1, "Feeling nervous, anxious or on edge", "nervous"),
        Item(2, "Not being able to stop or control worrying", "uncontrollable worry"),
        Item(3, "Worrying too much about different things", "excessive worry"),
        Item(4, "Trouble relaxing", "trouble relaxing"),
        Item(5, "Being so restless that it is hard to sit still", "restlessness"),
        Item(6, "Becoming easily annoyed or irritable", "irritability"),
        Item(7, "Feeling afraid as if something awful might happen", "fear"),
    ),
    item_min=0,
    item_max=3,
    response_labels=_FOUR_POINT_FREQ,
    bands=(Band(0, "Minimal"), Band(5, "Mild"), Band(10, "Moderate"), Band(15, "Severe")),
    bands_rule=Rule("Bands 0-4 minimal, 5-9 mild, 10-14 moderate, 15-21 severe", "S", "S4b citing Spitzer 2006; CamCOPS"),
    caseness=8,
    caseness_rule=Rule(
        "IAPT caseness: total >= 8 (a score of 8 or 9 is 'Mild' but IS a case)",
        "S",
        "S12",
        note=(
            "Spitzer 2006 screening cut-off is >= 10 [C S4]; an anxiety-disorder-specific measure, "
            "when used, replaces GAD-7 in IAPT"
        ),
    ),
    reliable_change=4,
    reliable_improvement_rule=Rule("Reliable improvement: decrease of 4 or more points", "S", "S12"),
    reliable_deterioration_rule=Rule(
        "Reliable deterioration: increase of 4 or more points", "U", note="symmetric, not stated explicitly"
    ),
    missing_rule=Rule("Strict by default: no total unless all 7 items are answered", "CamCOPS", "S1"),
    proration_max_missing=2,
    proration_rule=Rule(
        "Optional setting: prorate like PHQ-9 (at most 2 missing), total = sum(answered) x 7 / n_answered",
        "U",
        note="no authoritative GAD-7 proration rule found; measures.md says 'the same switch as PHQ-9'",
    ),
    licence="Free to reproduce (Pfizer): no permission required to reproduce, translate, display or distribute.",
    copyright_line=PHQ_COPYRIGHT,
    wording_licensed=True,
    notes=(
        Rule("Option 0 is 'Not at all' (not 'Not at all sure', a common misprint)", "C", "Zorowitz et al. 2021"),
        Rule("Exact stem wording on the official form ('any of the following' vs 'the following')", "U"),
    ),
)

# --------------------------------------------------------------------------------------------
# PHQ-15 (measures.md §3)
# --------------------------------------------------------------------------------------------

PHQ15 = Instrument(
    code="phq15",
    name="PHQ-15",
    full_name="Patient Health Questionnaire-15 (somatic symptom severity)",
    stem="During the past 4 weeks, how much have you been bothered by any of the following problems?",
    time_frame="past 4 weeks",
    items=(
        Item(1, "Stomach pain", "stomach pain"),
        Item(2, "Back pain", "back pain"),
        Item(3, "Pain in your arms, legs, or joints (knees, hips, etc.)", "limb/joint pain"),
        Item(
            4,
            "Menstrual cramps or other problems with your periods (WOMEN ONLY)",
            "menstrual problems",
            na_allowed=True,
            na_label="Not applicable (men, or no periods, e.g. after the menopause)",
            help="Mark 'na' when not applicable: it is not 0 and not missing, and the maximum becomes 28.",
        ),
        Item(5, "Headaches", "headaches"),
        Item(6, "Chest pain", "chest pain"),
        Item(7, "Dizziness", "dizziness"),
        Item(8, "Fainting spells", "fainting"),
        Item(9, "Feeling your heart pound or race", "palpitations"),
        Item(10, "Shortness of breath", "breathlessness"),
        Item(11, "Pain or problems during sexual intercourse", "pain during intercourse"),
        Item(12, "Constipation, loose bowels, or diarrhea", "bowels"),
        Item(13, "Nausea, gas, or indigestion", "nausea/indigestion"),
        Item(14, "Feeling tired or having low energy", "tiredness"),
        Item(15, "Trouble sleeping", "sleep"),
    ),
    item_min=0,
    item_max=2,
    response_labels=_labels({0: "Not bothered at all", 1: "Bothered a little", 2: "Bothered a lot"}),
    bands=(Band(0, "Minimal"), Band(5, "Low"), Band(10, "Medium"), Band(15, "High")),
    bands_rule=Rule(
        "Somatic symptom severity 0-4 minimal, 5-9 low, 10-14 medium, 15-30 high",
        "C",
        "S3 Kroenke 2002",
        note=(
            "the 'Minimal' label is [S]; bands are applied unchanged to the 14-item total when item 4 is not applicable (CamCOPS)"
        ),
    ),
    caseness=None,
    caseness_rule=Rule("No caseness threshold found for PHQ-15", "U"),
    reliable_change=None,
    reliable_improvement_rule=Rule("No reliable-change value found for PHQ-15: show raw change only", "U"),
    reliable_deterioration_rule=Rule("No reliable-change value found for PHQ-15: show raw change only", "U"),
    missing_rule=Rule("Strict by default: no total unless every applicable item is answered", "CamCOPS", "S1"),
    proration_max_missing=3,
    proration_rule=Rule(
        "Optional setting: prorate if at most 3 applicable items are missing, total = sum(answered) x n_applicable / n_answered",
        "S",
        "S14 (qscorer)",
        note="research convention (person-mean imputation)",
    ),
    na_rule=Rule(
        "Item 4 may be 'not applicable' (men, or no periods): total of the 14 applicable items, maximum 28, same bands",
        "CamCOPS",
        "S1 phq15.py",
        note="how Kroenke 2002 scored men (raw sum vs proration) is UNCONFIRMED; we use the raw 14-item sum",
    ),
    licence="Free to reproduce (Pfizer PHQ family).",
    copyright_line=PHQ_COPYRIGHT,
    wording_licensed=True,
    notes=(
        Rule(
            "Three or more items scored 2 ('Bothered a lot') = somatoform-disorder screen positive",
            "C",
            "van Ravesteijn et al. 2009",
        ),
        Rule("Do not derive PHQ-15 items 14/15 from PHQ-9 answers (recoding unconfirmed)", "U"),
    ),
)

# --------------------------------------------------------------------------------------------
# WSAS (measures.md §4) — domain labels only: item wording is not licensed to us
# --------------------------------------------------------------------------------------------

_WSAS_NO_WORDING = (
    "Domain label only: WSAS item wording is not licensed to sessionnotes (add your own licensed wording in the config dir)."
)

WSAS = Instrument(
    code="wsas",
    name="WSAS",
    full_name="Work and Social Adjustment Scale",
    stem="Rate how much the problem impairs the ability to carry out each activity (0 = not at all, 8 = very severely).",
    time_frame="none stated",
    items=(
        Item(
            1,
            "Work",
            "work",
            na_allowed=True,
            na_label="Not applicable: retired or chooses not to work, for reasons unrelated to the problem",
            anchor_overrides=_labels({8: "Very severely (to the point I can't work)"}),
            help="Someone off work BECAUSE OF the problem scores this item (up to 8), not 'na'. " + _WSAS_NO_WORDING,
        ),
        Item(2, "Home management", "home management", help=_WSAS_NO_WORDING),
        Item(3, "Social leisure", "social leisure", help=_WSAS_NO_WORDING),
        Item(4, "Private leisure", "private leisure", help=_WSAS_NO_WORDING),
        Item(5, "Close relationships", "close relationships", help=_WSAS_NO_WORDING),
    ),
    item_min=0,
    item_max=8,
    response_labels=_labels({0: "Not at all", 2: "Slightly", 4: "Definitely", 6: "Markedly", 8: "Very severely"}),
    bands=(
        Band(0, "Subclinical"),
        Band(10, "Significant functional impairment"),
        Band(20, "Moderately severe or worse", exclusive=True),
    ),
    bands_rule=Rule(
        "Below 10 subclinical; 10 to 20 (both inclusive) significant functional impairment; above 20 moderately severe or worse",
        "S",
        "S5c quoting Mundt 2002",
        note="validated in OCD and depression; generalisation 'remains to be tested'",
    ),
    caseness=None,
    caseness_rule=Rule("No caseness threshold found for WSAS", "U"),
    reliable_change=None,
    reliable_improvement_rule=Rule("No reliable-change value found for WSAS (Zahra 2014 value not retrieved)", "U"),
    reliable_deterioration_rule=Rule("No reliable-change value found for WSAS", "U"),
    missing_rule=Rule(
        "No total if any applicable item is missing", "U", note="no proration rule found; CamCOPS requires all applicable items"
    ),
    proration_max_missing=0,
    proration_rule=Rule("WSAS is never prorated, even with the proration setting on", "U", note="no proration rule found"),
    na_rule=Rule(
        "Item 1 (work) may be 'not applicable' when retired or not working for reasons unrelated to the problem: "
        "total of items 2-5, maximum 32",
        "CamCOPS",
        "S1 retired_etc; S6 form",
        note="whether the bands apply to the 4-item total is UNCONFIRMED; the band is shown with a caveat",
    ),
    licence="Copyright Isaac M. Marks. Terms for reproducing item text are UNCONFIRMED: only domain labels are shown.",
    copyright_line=WSAS_COPYRIGHT,
    wording_licensed=False,
    notes=(Rule("Time frame: none stated on the form versions seen", "U"),),
)

# --------------------------------------------------------------------------------------------
# CORE-10 (measures.md §5) — verbatim, with the copyright line
# --------------------------------------------------------------------------------------------

CORE10 = Instrument(
    code="core10",
    name="CORE-10",
    full_name="Clinical Outcomes in Routine Evaluation 10",
    stem="Over the last week…",
    time_frame="last week",
    items=(
        Item(1, "I have felt tense, anxious or nervous", "tension/anxiety"),
        Item(2, "I have felt I have someone to turn to for support when needed", "support", reverse=True),
        Item(3, "I have felt able to cope when things go wrong", "coping", reverse=True),
        Item(4, "Talking to people has felt too much for me", "functioning"),
        Item(5, "I have felt panic or terror", "panic"),
        Item(
            6,
            "I made plans to end my life",
            "risk",
            risk=True,
            help="Risk item: any answer above 'Not at all' needs a risk assessment.",
        ),
        Item(7, "I have had difficulty getting to sleep or staying asleep", "sleep"),
        Item(8, "I have felt despairing or hopeless", "hopelessness"),
        Item(9, "I have felt unhappy", "unhappiness"),
        Item(10, "Unwanted images or memories have been distressing me", "intrusions"),
    ),
    item_min=0,
    item_max=4,
    response_labels=_labels({0: "Not at all", 1: "Only occasionally", 2: "Sometimes", 3: "Often", 4: "Most or all of the time"}),
    bands=(
        Band(0, "Healthy"),
        Band(6, "Low level"),
        Band(11, "Mild psychological distress"),
        Band(15, "Moderate psychological distress"),
        Band(20, "Moderate-to-severe psychological distress"),
        Band(25, "Severe psychological distress"),
    ),
    bands_rule=Rule(
        "Clinical score 0-5 healthy, 6-10 low level, 11-14 mild, 15-19 moderate, 20-24 moderate-to-severe, 25-40 severe",
        "U",
        "S9 (socasresourcehub, Valant; helpineedsomebody for 0-10)",
        note=(
            "bands above 10 not confirmed from Barkham 2013 or the User Manual; sources conflict "
            "(one gives 11-15/16-20/21-25/26+)"
        ),
    ),
    caseness=11,
    caseness_rule=Rule("Clinical cut-off: score >= 11 is in the clinical range", "C", "S7 Barkham 2013"),
    reliable_change=6,
    reliable_improvement_rule=Rule(
        "Reliable change index 6 (90% CI): decrease of 6 or more", "C", "S7 Barkham 2013", note="the '>= 6' reading is [S]"
    ),
    reliable_deterioration_rule=Rule(
        "Reliable change index 6 (90% CI): increase of 6 or more", "C", "S7 Barkham 2013", note="the '>= 6' reading is [S]"
    ),
    missing_rule=Rule(
        "Prorated only when exactly one item is missing: clinical score = sum of the 9 answered / 9 x 10; "
        "2 or more missing: no score. Prorated scores should be interpreted cautiously",
        "C",
        "S8a/S8b CORE System Trust",
    ),
    proration_max_missing=1,
    proration_rule=Rule(
        "CORE System Trust rule, always applied: prorate when exactly one item is missing",
        "C",
        "S8a/S8b",
        note="rounding of the prorated score is UNCONFIRMED; the unrounded value is stored and banded",
    ),
    risk_rule=Rule(
        "Item 6 >= 1 ('Only occasionally' or more) flags for risk review whatever the total",
        "S",
        "trybloom guidance; item 6 is the risk item [C S8a]",
        note="an unanswered item 6 is flagged separately (design rule [U])",
    ),
    licence=(
        "© CORE System Trust. Reproduce unchanged with the copyright line visible. Current wording CC BY-NC-ND 4.0 "
        "(non-commercial; 2016 wording CC BY-ND 4.0); whether a sold app meets 'non-commercial' is UNCONFIRMED."
    ),
    copyright_line=CORE10_COPYRIGHT,
    wording_licensed=True,
    notes=(
        Rule("Items 2 and 3 are reverse-keyed (score = 4 - response)", "CamCOPS", "S1 core10.py, core10.cpp"),
        Rule(
            "Reliable and clinically significant improvement: decrease >= 6 and start >= 11 and end < 11",
            "U",
            note="Jacobson-Truax logic",
        ),
        Rule("Depression cut-off 13 (informational)", "C", "S7"),
    ),
)

INSTRUMENTS: Final[Mapping[str, Instrument]] = MappingProxyType({ins.code: ins for ins in (PHQ9, GAD7, PHQ15, WSAS, CORE10)})
"""Instruments by code, in the order the issue lists them for the CLI."""

INSTRUMENT_CODES: Final = tuple(INSTRUMENTS)


def instrument_by_code(code: str | Instrument) -> Instrument:
    """The instrument for ``"phq9"`` (also ``"PHQ-9"``, ``"phq_9"``...). Raises ValueError if unknown."""
    if isinstance(code, Instrument):
        return code
    if isinstance(code, str):
        key = "".join(ch for ch in code.lower() if ch.isalnum())
        if key in INSTRUMENTS:
            return INSTRUMENTS[key]
    raise ValueError(f"Unknown measure {code!r}: use one of {', '.join(INSTRUMENT_CODES)}.")
