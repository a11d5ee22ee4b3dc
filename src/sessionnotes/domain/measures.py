"""Outcome measures: scoring, bands, caseness, reliable change, risk items and IAPT-style change.

Implements ``research/measures.md`` exactly; the instrument data (items, labels, bands, sourced
rules with their confidence marks) is in :mod:`.instruments`.

Responses are stored raw, one per item, in the order of the form:

* an ``int`` is the option chosen (CORE-10 items 2 and 3 are reverse-keyed here, in code, never in
  storage);
* ``None`` is *unanswered*, never 0;
* :data:`NA` (``"na"``) is *not applicable* (PHQ-15 item 4; WSAS item 1). It is neither missing nor
  0: it lowers the maximum (PHQ-15 28, WSAS 32), which is reported with the result.

Missing-item policy: strict by default (no total for PHQ-9, GAD-7, PHQ-15 or WSAS when an applicable
item is unanswered). ``prorate=True`` is an optional, clearly marked setting for PHQ-9 (<= 2 missing),
GAD-7 (<= 2, unconfirmed) and PHQ-15 (<= 3): total = sum(answered) x n_applicable / n_answered. WSAS
is never prorated. CORE-10 follows its owner's rule whatever the setting: prorated when exactly one
item is missing, no score when two or more are. Prorated totals are kept unrounded (a ``float``) and
banded on the unrounded value; band boundaries are inclusive lower bounds.

Risk: PHQ-9 item 9 >= 1 or unanswered, CORE-10 item 6 >= 1 or unanswered, set ``risk`` with a
reason worded for the therapist, whatever the total and even when there is no total.

Pure: no clock, no Textual. The only I/O is :func:`load_wsas_wording`, which reads a TOML file the
caller names.
"""

from __future__ import annotations

import copy
import datetime as dt
import math
import os
import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, Literal, TypeAlias

from .instruments import (
    CORE10,
    CORE10_COPYRIGHT,
    GAD7,
    INSTRUMENT_CODES,
    INSTRUMENTS,
    NA,
    PHQ9,
    PHQ15,
    PHQ_COPYRIGHT,
    PHYSICAL_SYMPTOM_OVERLAP,
    PHYSICAL_SYMPTOM_OVERLAP_NOTE,
    WSAS,
    WSAS_COPYRIGHT,
    Band,
    Instrument,
    Item,
    Rule,
    instrument_by_code,
)

__all__ = [
    "CORE10",
    "CORE10_COPYRIGHT",
    "GAD7",
    "IAPT_RULES",
    "INSTRUMENTS",
    "INSTRUMENT_CODES",
    "MEASURE_SCHEMA_VERSION",
    "NA",
    "PHQ9",
    "PHQ15",
    "PHQ_COPYRIGHT",
    "PHYSICAL_SYMPTOM_OVERLAP",
    "PHYSICAL_SYMPTOM_OVERLAP_NOTE",
    "SCORING_VERSION",
    "WSAS",
    "WSAS_COPYRIGHT",
    "WSAS_WORDING_FILENAME",
    "WSAS_WORDING_TEMPLATE",
    "Band",
    "Change",
    "IaptChange",
    "Instrument",
    "Item",
    "MeasureResult",
    "Response",
    "Rule",
    "Score",
    "format_items",
    "format_total",
    "iapt_change",
    "iapt_change_from_results",
    "instrument_by_code",
    "item_score",
    "item_scores",
    "item_texts",
    "load_wsas_wording",
    "parse_items",
    "phq9_depressive_syndrome",
    "reliable_change",
    "reverse_score",
    "score",
]

Response: TypeAlias = int | None | str
"""One raw response: the option chosen (int), ``None`` (unanswered) or :data:`NA`."""

Change = Literal["improved", "deteriorated", "no reliable change"]

SCORING_VERSION: Final = 1
"""Version of the scoring code, stored with each result (measures.md §0.4). Bump on any rule change."""

MEASURE_SCHEMA_VERSION: Final = 1
"""Layout version of :meth:`MeasureResult.to_dict`; a newer one is refused with "upgrade"."""

# Machine-readable flags on a Score (the CLI prints them; the TUI styles them).
FLAG_RISK: Final = "risk"
FLAG_RISK_ITEM_POSITIVE: Final = "risk_item_positive"
FLAG_RISK_ITEM_UNANSWERED: Final = "risk_item_unanswered"
FLAG_INCOMPLETE: Final = "incomplete"
FLAG_PRORATED: Final = "prorated"
FLAG_NOT_APPLICABLE: Final = "not_applicable"
FLAG_SOMATOFORM_SCREEN: Final = "somatoform_screen_positive"
FLAG_BAND_CAVEAT: Final = "band_caveat"
FLAG_BAND_UNCONFIRMED: Final = "band_unconfirmed"


# --------------------------------------------------------------------------------------------
# Responses: validation, reverse-keying
# --------------------------------------------------------------------------------------------


def _range_text(ins: Instrument) -> str:
    return f"{ins.item_min} to {ins.item_max}"


def _na_items_text(ins: Instrument) -> str:
    if not ins.na_items:
        return f"{ins.name} has no 'not applicable' items; use '-' for an unanswered item"
    numbers = ", ".join(str(n) for n in ins.na_items)
    return f"in {ins.name} only item {numbers} may be 'na'"


def _check_response(ins: Instrument, number: int, value: Any) -> Response:
    """One raw response, validated; raises ValueError naming the item."""
    if value is None:
        return None
    if isinstance(value, str) and value.strip().lower() == NA:
        if not ins.item(number).na_allowed:
            raise ValueError(f"item {number}: 'na' (not applicable) is not allowed here; {_na_items_text(ins)}")
        return NA
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(
            f"item {number}: {value!r} is not an answer; use a whole number {_range_text(ins)}, "
            f"None for unanswered or {NA!r} for not applicable"
        )
    if not ins.item_min <= value <= ins.item_max:
        raise ValueError(f"item {number}: {value} is out of range; {ins.name} answers are {_range_text(ins)}")
    return value


def _normalise(ins: Instrument, responses: Sequence[Any]) -> tuple[Response, ...]:
    if isinstance(responses, str | bytes) or not isinstance(responses, Sequence):
        raise ValueError(f"{ins.name} responses must be a list of {ins.n_items} answers (got {type(responses).__name__}).")
    if len(responses) != ins.n_items:
        raise ValueError(f"{ins.name} has {ins.n_items} items; got {len(responses)} responses.")
    out = []
    problems = []
    for number, value in enumerate(responses, start=1):
        try:
            out.append(_check_response(ins, number, value))
        except ValueError as err:
            problems.append(str(err))
    if problems:
        raise ValueError(f"Invalid {ins.name} responses: " + "; ".join(problems) + ".")
    return tuple(out)


def reverse_score(instrument: str | Instrument, value: int) -> int:
    """The reverse-keyed score of a raw response: ``item_max + item_min - value`` (CORE-10: 4 - value).

    An involution: ``reverse_score(i, reverse_score(i, v)) == v``.
    """
    ins = instrument_by_code(instrument)
    if isinstance(value, bool) or not isinstance(value, int) or not ins.item_min <= value <= ins.item_max:
        raise ValueError(f"{value!r} is not a {ins.name} answer ({_range_text(ins)}).")
    return ins.item_max + ins.item_min - value


def item_score(instrument: str | Instrument, number: int, response: Response) -> Response:
    """The score of item ``number`` for a raw response: reverse-keyed where the item is
    (CORE-10 items 2 and 3); ``None`` and :data:`NA` pass through unchanged."""
    ins = instrument_by_code(instrument)
    value = _check_response(ins, number, response)
    if isinstance(value, int) and ins.item(number).reverse:
        return reverse_score(ins, value)
    return value


def item_scores(instrument: str | Instrument, responses: Sequence[Any]) -> tuple[Response, ...]:
    """Item scores for a whole form of raw responses (see :func:`item_score`).

    For CORE-10 this is an involution on valid responses: applying it twice gives the raw responses.
    """
    ins = instrument_by_code(instrument)
    raw = _normalise(ins, responses)
    return tuple(item_score(ins, n, r) for n, r in enumerate(raw, start=1))


# --------------------------------------------------------------------------------------------
# Score
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Score:
    """A scored form. ``total`` is ``None`` when the missing-item policy gives no total.

    ``total`` is an ``int`` when every applicable item was answered and an unrounded ``float`` when
    prorated (band and caseness are decided on the unrounded value). ``maximum`` reflects items
    marked not applicable (PHQ-15 28, WSAS 32). ``caseness`` is ``None`` when there is no total or
    the instrument has no established cut-off (PHQ-15, WSAS). ``band_index`` is the 0-based position
    of ``band`` in ``instrument.bands``.
    """

    total: int | float | None
    maximum: int
    band: str | None
    caseness: bool | None
    items_answered: int
    prorated: bool
    risk: bool
    risk_reasons: tuple[str, ...]
    incomplete: bool
    notes: tuple[str, ...]
    instrument: str = ""
    band_index: int | None = None
    items_applicable: int = 0
    items_missing: tuple[int, ...] = ()
    items_not_applicable: tuple[int, ...] = ()
    item_scores: tuple[Response, ...] = ()
    flags: tuple[str, ...] = ()
    policy: str = "strict"
    scoring_version: int = SCORING_VERSION

    def display(self) -> str:
        """E.g. "12/27", "15.56/40 (prorated)", "—/28 (incomplete)"."""
        total = "—" if self.total is None else format_total(self.total)
        suffix = " (prorated)" if self.prorated else " (incomplete)" if self.incomplete else ""
        return f"{total}/{self.maximum}{suffix}"


def format_total(total: int | float | Fraction | None) -> str:
    """A total for display: whole numbers as is, prorated values to 2 decimals (half up), trailing
    zeros dropped ("15.56", "13.5", "10.13"). Display only: rounding rules are unconfirmed, so
    stored totals and banding use the unrounded value."""
    if total is None:
        return "—"
    if isinstance(total, int):
        return str(total)
    exact = Fraction(total)
    if exact.denominator == 1:
        return str(exact.numerator)
    value = (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return format(value.normalize(), "f")


def _band_for(ins: Instrument, exact: Fraction | int) -> tuple[int, Band]:
    chosen = 0
    for index, band in enumerate(ins.bands):
        if band.contains_from_below(exact):
            chosen = index
    return chosen, ins.bands[chosen]


def _numbers(items: Iterable[int]) -> str:
    items = list(items)
    if len(items) == 1:
        return f"item {items[0]}"
    return "items " + ", ".join(str(i) for i in items[:-1]) + f" and {items[-1]}"


def _risk(ins: Instrument, raw: tuple[Response, ...]) -> tuple[list[str], list[str]]:
    reasons: list[str] = []
    flags: list[str] = []
    for number in ins.risk_items:
        item = ins.item(number)
        value = raw[number - 1]
        quote = f"{ins.name} item {number} (\u201c{item.text}\u201d)"
        if value is None:
            reasons.append(
                f"{quote} was left unanswered: ask about it directly and assess risk. An unanswered risk item is "
                "never treated as 0."
            )
            flags.append(FLAG_RISK_ITEM_UNANSWERED)
        elif isinstance(value, int) and value >= 1:
            reasons.append(
                f"{quote} answered \u201c{ins.response_label(value, number)}\u201d ({value}): assess risk now, "
                "whatever the total."
            )
            flags.append(FLAG_RISK_ITEM_POSITIVE)
    return reasons, flags


def score(instrument: str | Instrument, responses: Sequence[Any], *, prorate: bool = False) -> Score:
    """Score one form of raw responses (see the module docstring for the rules).

    ``prorate`` is the optional, clearly marked organisation setting; it is off by default and has
    no effect on WSAS (never prorated) or CORE-10 (its own one-missing rule always applies).
    Raises ValueError on a wrong number of responses or a response out of range.
    """
    ins = instrument_by_code(instrument)
    raw = _normalise(ins, responses)
    scores = tuple(item_score(ins, n, r) for n, r in enumerate(raw, start=1))

    not_applicable = tuple(n for n, r in enumerate(raw, start=1) if r == NA)
    missing = tuple(n for n, r in enumerate(raw, start=1) if r is None)
    answered = [s for s in scores if isinstance(s, int)]
    n_applicable = ins.n_items - len(not_applicable)
    n_answered = len(answered)
    maximum = ins.item_max * n_applicable
    raw_sum = sum(answered)

    notes: list[str] = []
    flags: list[str] = []

    # --- policy and total -------------------------------------------------------------------
    if ins is CORE10:
        policy = "core10-cst-one-missing"
        may_prorate = 1
    elif prorate and ins.proration_max_missing > 0:
        policy = f"prorate-up-to-{ins.proration_max_missing}-missing"
        may_prorate = ins.proration_max_missing
    else:
        policy = "strict"
        may_prorate = 0

    exact: Fraction | int | None
    prorated = False
    if not missing:
        exact = raw_sum
    elif len(missing) <= may_prorate and n_answered > 0:
        exact = Fraction(raw_sum * n_applicable, n_answered)
        prorated = True
    else:
        exact = None

    if prorated:
        assert exact is not None  # set together with prorated above
        flags.append(FLAG_PRORATED)
        if ins is CORE10:
            notes.append(
                f"Prorated (CORE System Trust rule): {_numbers(missing)} missing, clinical score = sum of the "
                f"{n_answered} answered items / {n_answered} x 10 = {format_total(exact)} (unrounded "
                f"{float(exact)!r}). Interpret prorated scores cautiously."
            )
        else:
            notes.append(
                f"PRORATED (optional setting): {_numbers(missing)} missing, "
                f"each replaced by the mean of the answered items: {raw_sum} x {n_applicable} / {n_answered} = "
                f"{format_total(exact)} (unrounded {float(exact)!r}). "
                + ("This proration rule is UNCONFIRMED. " if not ins.proration_rule.confirmed else "")
                + "Interpret cautiously."
            )
    elif missing:
        flags.append(FLAG_INCOMPLETE)
        if ins is CORE10:
            why = f"CORE-10 may be prorated only when exactly one item is missing; {len(missing)} are missing"
        elif prorate and ins.proration_max_missing == 0:
            why = f"{ins.name} is never prorated (no proration rule found; unconfirmed), so every applicable item is needed"
        elif prorate:
            why = f"the proration setting allows at most {ins.proration_max_missing} missing; {len(missing)} are missing"
        else:
            why = "the strict policy needs every applicable item"
        notes.append(f"Incomplete: {_numbers(missing)} unanswered, so no total ({why}). A missing item is never scored as 0.")

    # --- not applicable -----------------------------------------------------------------------
    if not_applicable:
        flags.append(FLAG_NOT_APPLICABLE)
        if ins is WSAS:
            notes.append(
                f"Work item not applicable (retired or not working for reasons unrelated to the problem): "
                f"{n_applicable}-item total out of {maximum}."
            )
        else:
            notes.append(
                f"{_numbers(not_applicable).capitalize()} not applicable: total out of {maximum} ({n_applicable} items)."
            )

    # --- band and caseness --------------------------------------------------------------------
    band: str | None = None
    band_index: int | None = None
    caseness: bool | None = None
    if exact is not None:
        band_index, chosen = _band_for(ins, exact)
        band = chosen.label
        if ins.caseness is not None:
            caseness = exact >= ins.caseness
        if ins is WSAS and not_applicable:
            flags.append(FLAG_BAND_CAVEAT)
            notes.append(
                "Band caveat: WSAS bands were validated on the 5-item total; their use for a 4-item total is unconfirmed."
            )
        if ins is CORE10 and chosen.lower > 10:
            flags.append(FLAG_BAND_UNCONFIRMED)
            notes.append(
                "CORE-10 band labels above 10 are unconfirmed (sources conflict); the clinical cut-off of 11 is confirmed."
            )
        if ins is GAD7 and caseness and ins.caseness is not None and exact < 10:
            notes.append("Band is Mild but at IAPT caseness (GAD-7 >= 8): band and caseness are separate.")

    if ins.caseness is None:
        notes.append(f"No caseness threshold or reliable-change value is established for {ins.name} (unconfirmed).")

    # --- instrument-specific screens ---------------------------------------------------------
    if ins is PHQ15:
        bothered_a_lot = sum(1 for s in scores if s == 2)
        if bothered_a_lot >= 3:
            flags.append(FLAG_SOMATOFORM_SCREEN)
            notes.append(
                f"{bothered_a_lot} items 'Bothered a lot': somatoform-disorder screen positive (>= 3; van Ravesteijn 2009), "
                "whatever the band."
            )
    if ins.code in PHYSICAL_SYMPTOM_OVERLAP:
        notes.append(PHYSICAL_SYMPTOM_OVERLAP_NOTE)

    # --- risk ---------------------------------------------------------------------------------
    risk_reasons, risk_flags = _risk(ins, raw)
    risk = bool(risk_reasons)
    if risk:
        flags.insert(0, FLAG_RISK)
        flags.extend(risk_flags)

    total: int | float | None
    if exact is None:
        total = None
    elif prorated:
        total = float(exact)
    else:
        total = int(exact)

    return Score(
        total=total,
        maximum=maximum,
        band=band,
        caseness=caseness,
        items_answered=n_answered,
        prorated=prorated,
        risk=risk,
        risk_reasons=tuple(risk_reasons),
        incomplete=exact is None,
        notes=tuple(notes),
        instrument=ins.code,
        band_index=band_index,
        items_applicable=n_applicable,
        items_missing=missing,
        items_not_applicable=not_applicable,
        item_scores=scores,
        flags=tuple(flags),
        policy=policy,
    )


def phq9_depressive_syndrome(responses: Sequence[Any]) -> str | None:
    """CamCOPS's informational DSM-style PHQ-9 algorithm (measures.md §1.5), separate from the total.

    Returns "major depressive syndrome", "other depressive syndrome", "neither", or ``None`` when an
    item is unanswered. Core = items 1-2 scored >= 2; other = items 3-8 scored >= 2, plus item 9 >= 1.
    """
    raw = _normalise(PHQ9, responses)
    if any(r is None for r in raw):
        return None
    values = [int(r) for r in raw if r is not None]  # every item answered (checked just above)
    core = sum(1 for v in values[0:2] if v >= 2)
    other = sum(1 for v in values[2:8] if v >= 2) + (1 if values[8] >= 1 else 0)
    if core >= 1 and core + other >= 5:
        return "major depressive syndrome"
    if core >= 1 and 2 <= core + other <= 4:
        return "other depressive syndrome"
    return "neither"


# --------------------------------------------------------------------------------------------
# Reliable change
# --------------------------------------------------------------------------------------------


def _total_of(ins: Instrument, value: Any, role: str) -> Fraction | None:
    if value is None:
        return None
    if isinstance(value, MeasureResult):
        if value.instrument != ins.code:
            raise ValueError(f"The {role} result is {value.instrument}, not {ins.code}.")
        value = value.score
    if isinstance(value, Score):
        if value.instrument and value.instrument != ins.code:
            raise ValueError(f"The {role} score is {value.instrument}, not {ins.code}.")
        value = value.total
        if value is None:
            return None
    if isinstance(value, bool) or not isinstance(value, int | float | Fraction):
        raise ValueError(f"The {role} {ins.name} total must be a number (got {value!r}).")
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"The {role} {ins.name} total must be a finite number (got {value!r}).")
    return Fraction(value)


def reliable_change(instrument: str | Instrument, before: Any, after: Any) -> Change | None:
    """ "improved" | "deteriorated" | "no reliable change", or ``None`` when either total is missing
    or the instrument has no reliable-change value (PHQ-15, WSAS: show raw change only).

    ``before`` / ``after`` are totals, :class:`Score` or :class:`MeasureResult`. Thresholds: PHQ-9 6,
    GAD-7 4 (IAPT), CORE-10 6 (RCI); a change of at least the threshold counts. Deterioration is the
    symmetric rise (unconfirmed for PHQ-9 and GAD-7; see ``instrument.reliable_deterioration_rule``).
    """
    ins = instrument_by_code(instrument)
    first = _total_of(ins, before, "earlier")
    last = _total_of(ins, after, "later")
    if first is None or last is None or ins.reliable_change is None:
        return None
    change = last - first
    if change <= -ins.reliable_change:
        return "improved"
    if change >= ins.reliable_change:
        return "deteriorated"
    return "no reliable change"


# --------------------------------------------------------------------------------------------
# IAPT-style paired change (PHQ-9 + GAD-7), measures.md §6
# --------------------------------------------------------------------------------------------

IAPT_RULES: Final[Mapping[str, Rule]] = MappingProxyType(
    {
        "caseness": Rule(
            "At caseness: PHQ-9 >= 10 or GAD-7 >= 8 (or both)",
            "C",
            "S11 wording; S12 numbers [S]",
            note="an anxiety-disorder-specific measure, when a service uses one, replaces GAD-7; not modelled here",
        ),
        "recovery": Rule("Recovery: at caseness at the start and not at caseness at the end (first and last scores)", "C", "S10"),
        "recovery_denominator": Rule("Not at caseness at the start: excluded from recovery (recovery is 'n/a')", "C", "S10"),
        "reliable_improvement": Rule(
            "Reliable improvement: PHQ-9 falls by >= 6 or GAD-7 by >= 4, with no reliable deterioration on the other",
            "U",
            "S10 wording; S12 thresholds",
            note="the paired 'no deterioration on the other' logic is widely cited but its exact wording was not retrieved",
        ),
        "reliable_deterioration": Rule(
            "Reliable deterioration: PHQ-9 rises by >= 6 or GAD-7 by >= 4, with no reliable improvement on the other",
            "U",
            note="convention of measures.md; a mixed case (one improves, the other deteriorates) is neither",
        ),
        "reliable_recovery": Rule("Reliable recovery: both recovery and reliable improvement", "C", "S10"),
        "eligibility": Rule(
            "IAPT counts only referrals that finished a course of treatment (>= 2 attended treatment appointments)",
            "C",
            "S11",
            note="not checked here: the caller decides whether the course is finished",
        ),
    }
)


@dataclass(frozen=True, kw_only=True)
class IaptChange:
    """IAPT-style change between a first and a last PHQ-9 + GAD-7 pair.

    ``recovery`` and ``reliable_recovery`` are ``None`` ("n/a") when the person was not at caseness
    at the start (excluded from the recovery denominator). Reliable improvement and deterioration
    are computed for everyone. Rules marked unconfirmed are listed in ``unconfirmed``.
    """

    phq9_first: int | float
    gad7_first: int | float
    phq9_last: int | float
    gad7_last: int | float
    phq9_change: Change
    gad7_change: Change
    caseness_start: bool
    caseness_end: bool
    reliable_improvement: bool
    reliable_deterioration: bool
    recovery: bool | None
    reliable_recovery: bool | None
    first_date: dt.date | None = None
    last_date: dt.date | None = None
    unconfirmed: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe (dates as ISO text)."""
        out: dict[str, Any] = {}
        for name in self.__dataclass_fields__:
            value = getattr(self, name)
            if isinstance(value, dt.date):
                value = value.isoformat()
            elif isinstance(value, tuple):
                value = list(value)
            out[name] = value
        return out


def _plain(value: Fraction) -> int | float:
    return value.numerator if value.denominator == 1 else float(value)


def iapt_change(
    first: tuple[Any, Any],
    last: tuple[Any, Any],
    *,
    first_date: dt.date | None = None,
    last_date: dt.date | None = None,
) -> IaptChange | None:
    """IAPT-style outcome from ``first = (phq9, gad7)`` to ``last = (phq9, gad7)``.

    Each value is a total, a :class:`Score` or a :class:`MeasureResult`. Returns ``None`` when any
    of the four totals is missing (an incomplete form gives no IAPT outcome).
    """
    if len(first) != 2 or len(last) != 2:
        raise ValueError("IAPT change needs (PHQ-9, GAD-7) pairs for the first and the last appointment.")
    p0 = _total_of(PHQ9, first[0], "first")
    g0 = _total_of(GAD7, first[1], "first")
    p1 = _total_of(PHQ9, last[0], "last")
    g1 = _total_of(GAD7, last[1], "last")
    if p0 is None or g0 is None or p1 is None or g1 is None:
        return None
    for name, ins, value in (("PHQ-9", PHQ9, p0), ("GAD-7", GAD7, g0), ("PHQ-9", PHQ9, p1), ("GAD-7", GAD7, g1)):
        if not 0 <= value <= ins.full_maximum:
            raise ValueError(f"A {name} total must be from 0 to {ins.full_maximum} (got {_plain(value)}).")
    assert PHQ9.caseness is not None and GAD7.caseness is not None
    phq9_change = reliable_change(PHQ9, p0, p1)
    gad7_change = reliable_change(GAD7, g0, g1)
    assert phq9_change is not None and gad7_change is not None
    changes = (phq9_change, gad7_change)
    improved = "improved" in changes
    deteriorated = "deteriorated" in changes
    reliable_improvement = improved and not deteriorated
    reliable_deterioration = deteriorated and not improved
    case_start = p0 >= PHQ9.caseness or g0 >= GAD7.caseness
    case_end = p1 >= PHQ9.caseness or g1 >= GAD7.caseness
    recovery = (not case_end) if case_start else None
    reliable_recovery = (recovery and reliable_improvement) if case_start else None
    notes = []
    if not case_start:
        notes.append("Not at caseness at the start: recovery does not apply (excluded from the recovery rate).")
    if improved and deteriorated:
        notes.append("One measure reliably improved and the other reliably deteriorated: counted as neither (unconfirmed rule).")
    if reliable_deterioration:
        notes.append("Reliable deterioration uses a symmetric threshold (PHQ-9 +6, GAD-7 +4): unconfirmed.")
    notes.append(PHYSICAL_SYMPTOM_OVERLAP_NOTE)
    return IaptChange(
        phq9_first=_plain(p0),
        gad7_first=_plain(g0),
        phq9_last=_plain(p1),
        gad7_last=_plain(g1),
        phq9_change=phq9_change,
        gad7_change=gad7_change,
        caseness_start=case_start,
        caseness_end=case_end,
        reliable_improvement=reliable_improvement,
        reliable_deterioration=reliable_deterioration,
        recovery=recovery,
        reliable_recovery=reliable_recovery,
        first_date=first_date,
        last_date=last_date,
        unconfirmed=tuple(name for name, rule in IAPT_RULES.items() if not rule.confirmed),
        notes=tuple(notes),
    )


def iapt_change_from_results(results: Iterable[MeasureResult]) -> IaptChange | None:
    """IAPT-style change between the first and the latest *pair*: a PHQ-9 and a GAD-7 with totals
    recorded on the same date. Other measures and incomplete forms are ignored; when one date has
    several results of a measure, the last one given wins. ``None`` with fewer than two pairs."""
    by_date: dict[dt.date, dict[str, MeasureResult]] = {}
    for result in results:
        if result.instrument in ("phq9", "gad7") and result.score.total is not None:
            by_date.setdefault(result.date, {})[result.instrument] = result
    pairs = sorted((day, found) for day, found in by_date.items() if len(found) == 2)
    if len(pairs) < 2:
        return None
    (d0, first), (d1, last) = pairs[0], pairs[-1]
    return iapt_change((first["phq9"], first["gad7"]), (last["phq9"], last["gad7"]), first_date=d0, last_date=d1)


# --------------------------------------------------------------------------------------------
# The stored record
# --------------------------------------------------------------------------------------------

_STORED_KEYS = ("id", "instrument", "date", "responses", "prorate")
_COMPUTED_KEYS = (
    "total",
    "maximum",
    "band",
    "caseness",
    "items_answered",
    "items_applicable",
    "prorated",
    "risk",
    "risk_reasons",
    "incomplete",
    "flags",
    "policy",
    "scoring_version",
)


def _load_date(value: Any) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError(f"must be a date written YYYY-MM-DD (got {value!r})")


@dataclass(kw_only=True)
class MeasureResult:
    """One completed (or partly completed) measure: the raw responses and how to score them.

    Only raw data is authoritative: ``score`` is recomputed from ``responses`` every time, and the
    computed fields written by :meth:`to_dict` (total, band, ...) are ignored by :meth:`from_dict`.
    ``prorate`` records the proration setting in force when the form was entered. Unknown keys are
    kept in ``extra`` and written back unchanged.
    """

    instrument: str
    date: dt.date
    responses: tuple[Response, ...]
    prorate: bool = False
    id: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        ins = instrument_by_code(self.instrument)
        self.instrument = ins.code
        if isinstance(self.date, dt.datetime) or not isinstance(self.date, dt.date):
            raise ValueError(f"A measure result's date must be a date (got {self.date!r}).")
        self.responses = _normalise(ins, self.responses)
        if not isinstance(self.prorate, bool):
            raise ValueError(f"A measure result's 'prorate' must be true or false (got {self.prorate!r}).")
        if not isinstance(self.id, str):
            raise ValueError(f"A measure result's 'id' must be text (got {self.id!r}).")
        if not isinstance(self.extra, dict):
            raise ValueError("A measure result's 'extra' must be a dict.")

    @property
    def definition(self) -> Instrument:
        return INSTRUMENTS[self.instrument]

    @property
    def score(self) -> Score:
        """The score, recomputed from the raw responses under the stored policy."""
        return score(self.instrument, self.responses, prorate=self.prorate)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe dict: ``schema``, the raw data, then computed fields for readers (CLI ``--json``,
        exports, audits); those are recomputed on load, never trusted."""
        s = self.score
        out: dict[str, Any] = {
            "schema": MEASURE_SCHEMA_VERSION,
            "id": self.id,
            "instrument": self.instrument,
            "date": self.date.isoformat(),
            "responses": list(self.responses),
            "prorate": self.prorate,
            "total": s.total,
            "maximum": s.maximum,
            "band": s.band,
            "caseness": s.caseness,
            "items_answered": s.items_answered,
            "items_applicable": s.items_applicable,
            "prorated": s.prorated,
            "risk": s.risk,
            "risk_reasons": list(s.risk_reasons),
            "incomplete": s.incomplete,
            "flags": list(s.flags),
            "policy": s.policy,
            "scoring_version": s.scoring_version,
        }
        for key, value in self.extra.items():
            if key not in out:
                out[key] = copy.deepcopy(value)
        return out

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> MeasureResult:
        """Rebuild from :meth:`to_dict` output. Raises ValueError naming the field on a bad value,
        a missing required field, or a record from a newer schema."""
        if not isinstance(d, Mapping):
            raise ValueError(f"A measure result must be a JSON object (got {type(d).__name__}).")
        schema = d.get("schema", MEASURE_SCHEMA_VERSION)
        if isinstance(schema, bool) or not isinstance(schema, int) or schema < 1:
            raise ValueError("Invalid measure result: 'schema' must be a whole number of 1 or more.")
        if schema > MEASURE_SCHEMA_VERSION:
            raise ValueError(
                f"This measure result was written by a newer version of sessionnotes (schema {schema}; this version "
                f"reads up to {MEASURE_SCHEMA_VERSION}). Upgrade sessionnotes to open it."
            )
        for required in ("instrument", "date", "responses"):
            if required not in d:
                raise ValueError(f"Invalid measure result: the required field '{required}' is missing.")
        try:
            instrument = instrument_by_code(d["instrument"]).code
        except ValueError as err:
            raise ValueError(f"Invalid measure result: 'instrument' {err}") from None
        try:
            date = _load_date(d["date"])
        except ValueError as err:
            raise ValueError(f"Invalid measure result: 'date' {err}.") from None
        responses = d["responses"]
        if not isinstance(responses, list | tuple):
            raise ValueError(f"Invalid measure result: 'responses' must be a list (got {responses!r}).")
        prorate = d.get("prorate", False)
        if not isinstance(prorate, bool):
            raise ValueError(f"Invalid measure result: 'prorate' must be true or false (got {prorate!r}).")
        ident = d.get("id", "")
        if not isinstance(ident, str):
            raise ValueError(f"Invalid measure result: 'id' must be text (got {ident!r}).")
        extra = {}
        for key, value in d.items():
            if not isinstance(key, str):
                raise ValueError(f"Invalid measure result: field names must be text (got {key!r}).")
            if key != "schema" and key not in _STORED_KEYS and key not in _COMPUTED_KEYS:
                extra[key] = copy.deepcopy(value)
        try:
            return cls(instrument=instrument, date=date, responses=tuple(responses), prorate=prorate, id=ident, extra=extra)
        except ValueError as err:
            raise ValueError(f"Invalid measure result: {err}") from None


# --------------------------------------------------------------------------------------------
# CLI item syntax: "1,2,-,na,..."
# --------------------------------------------------------------------------------------------

_INT = re.compile(r"[+-]?\d+")


def parse_items(text: str, instrument: str | Instrument) -> list[Response]:
    """Parse the CLI answer list: comma-separated, ``-`` unanswered, ``na`` not applicable.

    ``parse_items("1,2,-,0,0,0,0,0,1", "phq9") == [1, 2, None, 0, 0, 0, 0, 0, 1]``. Raises ValueError
    with every problem listed: wrong count, not a number, out of range, ``na`` where not allowed.
    """
    ins = instrument_by_code(instrument)
    if not isinstance(text, str):
        raise ValueError(f"Items must be text such as '1,2,-,...' (got {text!r}).")
    hint = f"{ins.name} needs {ins.n_items} answers separated by commas ({_range_text(ins)}, '-' for unanswered"
    hint += ", 'na' for not applicable)" if ins.na_items else ")"
    if not text.strip():
        raise ValueError(f"No items given: {hint}.")
    tokens = [t.strip() for t in text.split(",")]
    if len(tokens) != ins.n_items:
        raise ValueError(
            f"Wrong number of items: {ins.name} has {ins.n_items} items, got {len(tokens)}. {hint[0].upper()}{hint[1:]}."
        )
    out: list[Response] = []
    problems: list[str] = []
    for number, token in enumerate(tokens, start=1):
        if token == "":
            problems.append(f"item {number} is empty (use '-' for unanswered)")
            continue
        if token == "-":
            out.append(None)
            continue
        if token.lower() == NA:
            if ins.item(number).na_allowed:
                out.append(NA)
            else:
                problems.append(f"item {number}: 'na' (not applicable) is not allowed for this item; {_na_items_text(ins)}")
            continue
        if _INT.fullmatch(token):
            value = int(token)
            if ins.item_min <= value <= ins.item_max:
                out.append(value)
            else:
                problems.append(f"item {number}: {value} is out of range ({ins.name} answers are {_range_text(ins)})")
            continue
        problems.append(
            f"item {number}: {token!r} is not an answer (use {_range_text(ins)}, '-' for unanswered"
            + (", 'na' for not applicable)" if ins.na_items else ")")
        )
    if problems:
        raise ValueError(f"Invalid {ins.name} items: " + "; ".join(problems) + ".")
    return out


def format_items(responses: Sequence[Response]) -> str:
    """The inverse of :func:`parse_items`: ``[1, None, "na"]`` -> ``"1,-,na"``."""
    return ",".join("-" if r is None else NA if r == NA else str(r) for r in responses)


# --------------------------------------------------------------------------------------------
# Item wording and the user's licensed WSAS wording
# --------------------------------------------------------------------------------------------

WSAS_WORDING_FILENAME: Final = "wsas_wording.toml"
"""The file :func:`load_wsas_wording` looks for when given the config directory."""

WSAS_WORDING_TEMPLATE: Final = """\
# Your licensed WSAS (Work and Social Adjustment Scale) item wording.
# sessionnotes ships only the domain labels, because the item wording is not licensed to it.
# Put the five item texts, in the order of the form, below. Optional: licence = "..." (where
# your permission comes from), source = "...".
licence = ""
items = [
  "",  # 1 work
  "",  # 2 home management
  "",  # 3 social leisure
  "",  # 4 private leisure
  "",  # 5 close relationships
]
"""

_WSAS_ALLOWED_KEYS = ("items", "licence", "license", "source", "note")
_MAX_WORDING_BYTES = 64 * 1024
_MAX_ITEM_CHARS = 1000
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def load_wsas_wording(path: str | os.PathLike[str]) -> tuple[str, ...] | None:
    """Read user-supplied, licensed WSAS item wording from a TOML file.

    ``path`` is the file, or the config directory holding :data:`WSAS_WORDING_FILENAME`. Returns the
    five item texts, or ``None`` when there is no such file (the app then shows domain labels).
    Raises ValueError naming the file and the problem when it is malformed.
    """
    target = Path(path)
    if target.is_dir():
        target = target / WSAS_WORDING_FILENAME
    if not target.exists():
        return None
    where = f"WSAS wording file {str(target)!r}"
    try:
        data = target.read_bytes()
    except OSError as err:
        raise ValueError(f"{where} could not be read: {err.strerror or err}.") from None
    if len(data) > _MAX_WORDING_BYTES:
        raise ValueError(f"{where} is too large ({len(data)} bytes; at most {_MAX_WORDING_BYTES}).")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise ValueError(f"{where} is not UTF-8 text.") from None
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"{where} is not valid TOML: {err}.") from None
    unknown = sorted(k for k in doc if k not in _WSAS_ALLOWED_KEYS)
    if unknown:
        raise ValueError(f"{where} has unknown key(s) {', '.join(unknown)}; allowed: {', '.join(_WSAS_ALLOWED_KEYS)}.")
    for key in ("licence", "license", "source", "note"):
        if key in doc and not isinstance(doc[key], str):
            raise ValueError(f"{where}: '{key}' must be text.")
    if "items" not in doc:
        raise ValueError(f"{where} has no 'items' list: give the {WSAS.n_items} item texts as items = [\"...\", ...].")
    items = doc["items"]
    if not isinstance(items, list):
        raise ValueError(f"{where}: 'items' must be a list of {WSAS.n_items} texts.")
    if len(items) != WSAS.n_items:
        raise ValueError(
            f"{where}: 'items' must have {WSAS.n_items} texts (work, home management, social leisure, "
            f"private leisure, close relationships); got {len(items)}."
        )
    texts = []
    for number, item in enumerate(items, start=1):
        label = WSAS.item(number).label
        if not isinstance(item, str):
            raise ValueError(f"{where}: item {number} ({label}) must be text.")
        item = item.strip()
        if not item:
            raise ValueError(f"{where}: item {number} ({label}) is empty.")
        if len(item) > _MAX_ITEM_CHARS:
            raise ValueError(f"{where}: item {number} ({label}) is longer than {_MAX_ITEM_CHARS} characters.")
        if _CONTROL.search(item):
            raise ValueError(f"{where}: item {number} ({label}) contains control characters.")
        texts.append(item)
    return tuple(texts)


def item_texts(instrument: str | Instrument, wsas_wording: Sequence[str] | None = None) -> tuple[str, ...]:
    """What to show for each item: the licensed wording (PHQ family; CORE-10 verbatim, to be shown
    with :data:`CORE10_COPYRIGHT`), or for WSAS the domain labels unless the user supplied their
    own licensed wording (see :func:`load_wsas_wording`)."""
    ins = instrument_by_code(instrument)
    if ins is WSAS and wsas_wording is not None:
        if len(wsas_wording) != WSAS.n_items or not all(isinstance(t, str) and t.strip() for t in wsas_wording):
            raise ValueError(f"WSAS wording must be {WSAS.n_items} non-empty texts.")
        return tuple(t.strip() for t in wsas_wording)
    return tuple(item.text for item in ins.items)
