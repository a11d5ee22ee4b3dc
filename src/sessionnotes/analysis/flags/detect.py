"""Running every detector for one client: the detector table and :func:`detect`.

:data:`DETECTORS` lists the detectors in the order their flags are gathered (adding one is one
line: a name and a function taking a :class:`.facts.DetectorInput`). :func:`detect` reads the
sessions once, runs the table (or takes the result from the vault's cache when nothing it reads has
changed), adds the risk prompt from the measures, marks the therapist's dismissals and sorts the
flags, most serious first.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace
from typing import Any, NamedTuple

from ..cache import AnalysisCache
from .attendance import dna_pattern
from .balance import collusion_confrontation
from .body_talk import repetitive_body_talk
from .cache import fingerprint, remember, remembered
from .client_level import goal_conflict, treatment_burden, untreatable
from .engagement import passivity, starting_again, token_agreement
from .facts import DetectorInput, as_text, read_field, read_sessions
from .model import FLAG_KINDS, SEVERITY_RANK, Flag, Thresholds
from .process import impasse, negative_countertransference, pushing_too_hard
from .risk import measure_risk
from .ruptures import unrepaired_rupture


class Detector(NamedTuple):
    """One row of :data:`DETECTORS`: a name (for reading and profiling) and the function."""

    name: str
    run: Callable[[DetectorInput], list[Flag]]


DETECTORS: tuple[Detector, ...] = (
    Detector("repetitive body talk", repetitive_body_talk),
    Detector("missed and cancelled appointments", dna_pattern),
    Detector("each session starting again", starting_again),
    Detector("token agreement", token_agreement),
    Detector("passivity", passivity),
    Detector("negative countertransference", negative_countertransference),
    Detector("pushing too hard", pushing_too_hard),
    Detector("rupture not yet repaired", unrepaired_rupture),
    Detector("collusion / confrontation balance", collusion_confrontation),
    Detector("impasse", impasse),
    Detector("'untreatable' labelling", untreatable),
    Detector("goal conflict", goal_conflict),
    Detector("treatment burden", treatment_burden),
)
"""The process-issue detectors, in the order their flags are gathered (the sort in :func:`detect`
keeps this order among flags of the same severity and kind). The risk prompt from the measures is
added by :func:`detect` itself: it reads the measures, not the sessions."""


def _dismissals(dismissed: Any) -> dict[str, str]:
    """Normalise the ``dismissed`` argument to {key or kind: reason}."""
    out: dict[str, str] = {}
    if not dismissed:
        return out
    if isinstance(dismissed, Mapping):
        return {str(k): as_text(v) for k, v in dismissed.items()}
    for d in dismissed:
        if isinstance(d, str):
            out[d] = ""
        elif isinstance(d, tuple) and d:
            out[str(d[0])] = as_text(d[1]) if len(d) > 1 else ""
        else:
            key = as_text(read_field(d, "key", "")) or as_text(read_field(d, "kind", ""))
            if key:
                out[key] = as_text(read_field(d, "reason", ""))
    return out


def run_detectors(
    client: Any,
    sessions: Sequence[Any],
    formulation: Sequence[Any] | None,
    thresholds: Thresholds,
    cache: AnalysisCache,
) -> list[Flag]:
    """Every detector of :data:`DETECTORS` on one client, in table order (no dismissals, no sort)."""
    case = DetectorInput(client, read_sessions(sessions), formulation or (), thresholds, cache)
    flags: list[Flag] = []
    for detector in DETECTORS:
        flags += detector.run(case)
    return flags


def detect(
    client: Any,
    sessions: Sequence[Any],
    formulation: Sequence[Any] | None = None,
    thresholds: Thresholds | None = None,
    dismissed: Any = (),
    measures: Sequence[Any] | None = None,
    *,
    cache: AnalysisCache | None = None,
) -> list[Flag]:
    """All process-issue flags for one client, most serious first.

    ``client`` and ``sessions`` are the domain models (any objects with the same attributes work;
    fields not yet on the model are read from ``extra``). ``formulation`` is an optional list of
    formulation items (``FormulationItem`` with ``versions``, or any objects with ``layer``,
    ``status``, ``date_shared``, ``response`` and optional ``history``). ``dismissed`` holds the
    therapist's dismissals: flag keys or kinds (strings), ``(key, reason)`` pairs, a mapping
    ``{key: reason}``, or objects with ``key``/``kind`` and ``reason``. Dismissed flags are still
    returned, marked ``dismissed`` with the reason, so they stay visible in history.
    ``measures`` (``MeasureResult`` objects) add the ``measure-risk`` flag when the latest PHQ-9 or
    CORE-10 has its risk item endorsed or unanswered.

    ``cache`` is the unlocked vault's :class:`.AnalysisCache`: results and per-text estimates are
    kept in its memos, so a repeat run on unchanged data is a look-up, and they go when the vault
    locks and clears it. Without one, nothing is remembered past the call.
    """
    thresholds = thresholds or Thresholds()
    sessions = sessions or []
    key = fingerprint(client, sessions, formulation, thresholds) if cache is not None else None
    found = remembered(cache, key)
    if found is None:
        # without the vault's cache, a throwaway one lets the detectors share per-text work in this call
        computed = run_detectors(client, sessions, formulation, thresholds, cache or AnalysisCache())
        remember(cache, key, computed)
        found = tuple(computed)
    flags = [replace(f, sessions=list(f.sessions), evidence=list(f.evidence)) for f in found]
    flags += measure_risk(measures or [])
    marks = _dismissals(dismissed)
    if marks:
        flags = [
            replace(f, dismissed=True, dismissed_reason=marks.get(f.key, marks.get(f.kind, "")))
            if (f.key in marks or f.kind in marks)
            else f
            for f in flags
        ]
    order = list(FLAG_KINDS)
    flags.sort(key=lambda f: (f.dismissed, SEVERITY_RANK.get(f.severity, 3), order.index(f.kind)))
    return flags
