"""Process-issue flags: patterns across sessions worth reflecting on or taking to supervision.

Pure functions from a client's record, sessions and (optionally) formulation items to a list of
:class:`Flag`. Each flag describes a *pattern in the work*, never the person; shows the evidence
(which sessions, which field, which words); says why the pattern matters, citing its published
source; and offers a tentative suggestion drawn from the same sources. Flags are prompts, not
verdicts: the therapist may dismiss one with a reason, and dismissed flags are still returned
(marked) so they stay in the history and in supervision summaries.

The detectors draw on Balabanovic (2017), Wortman et al. (2022) and Jackson (2023). Where to find
each kind (stable codes) and the pattern it looks for:

* :mod:`.body_talk` - ``repetitive-body-talk``: body talk dominating several consecutive sessions,
  only once the work is nudging forward and past the first sessions; signals are the therapist's
  0-3 rating and :func:`body_talk_estimate` on the note, with the words that drove it
  (Balabanovic 2017, sub-category 7.4).
* :mod:`.attendance` - ``dna-pattern``: a DNA at either of the first two appointments, or repeated
  absences (DNA or patient cancellation), with each recorded reason classified (Balabanovic 2017,
  sub-category 4.1.1).
* :mod:`.engagement` - ``starting-again`` (little carries over between sessions),
  ``token-agreement`` and ``passivity`` (ticks and note phrases over a few sessions), and
  :func:`positive_signs` (Balabanovic 2017, sub-categories 3.4 and 3.6).
* :mod:`.process` - ``negative-countertransference`` (boredom, irritation, hopelessness,
  helplessness or overwhelm recurring; a supervision prompt with a tacit-dualism self-check),
  ``pushing-too-hard`` (L4-L5 formulation items, or interpretations in the notes, offered early or
  after "disputed", followed by rupture, anger or a DNA), ``unrepaired-rupture`` (in :mod:`.ruptures`:
  a rupture tick with no repair ticked in that session or later; :func:`.ruptures.ruptures_and_repairs`
  pairs them for the flag, the Stages tab and the exports) and ``impasse`` (no stage movement and no positive sign
  of engagement) (Balabanovic 2017, sub-categories 4.5, 7.3 and 7.5).
* :mod:`.balance` - ``collusion-confrontation``: many sessions of validation only with no nudging
  forward (a pull to collusion), or challenge pressed again after the patient disputed an idea
  (Balabanovic 2017, sub-category 7.3).
* :mod:`.client_level` - ``untreatable-label`` ("untreatable" and its variants in the therapist's
  text), ``goal-conflict`` (Balabanovic 2017; Wortman et al. 2022) and ``treatment-burden``
  (Jackson 2023).
* :mod:`.risk` - ``measure-risk``: the latest PHQ-9 or CORE-10 has its risk item answered 1 or
  more, or left unanswered. Not a process pattern but a safety prompt, shown with the flags so it
  reaches the caseload; it stays open until the therapist dismisses it with a reason
  (acknowledging the notice when the measure was entered is not the same as assessing the risk).

:mod:`.model` holds the result types and :class:`Thresholds` (every threshold a named field with
its clinical basis; pass ``Thresholds(**overrides)``, or :meth:`Thresholds.from_mapping` for
settings); :mod:`.facts` the per-session facts; :mod:`.detect` the detector table; :mod:`.cache`
the fingerprint under which results are kept in the unlocked vault's :class:`.AnalysisCache`.
Nothing here does I/O or imports Textual. Attendance is never turned into an engagement score
(Balabanovic 2017), and no flag ever proposes ending therapy because of absences.
"""

from __future__ import annotations

from .body_talk import body_talk_estimate
from .detect import detect
from .engagement import positive_signs
from .model import FLAG_KINDS, Evidence, Flag, Thresholds
from .risk import measure_risk
from .ruptures import RuptureRepair, ruptures_and_repairs

__all__ = [
    "FLAG_KINDS",
    "Evidence",
    "Flag",
    "RuptureRepair",
    "Thresholds",
    "body_talk_estimate",
    "detect",
    "measure_risk",
    "positive_signs",
    "ruptures_and_repairs",
]
