"""Clinical language checker: wording that may harm a patient who reads a letter or formulation.

Patients with persistent physical symptoms have often been told, or have feared being told, that
their symptoms are imagined, "all in the mind", or their own fault (Balabanovic 2017). The words a
clinician writes can repeat that injury, so letters and shared formulation items are checked for
eight kinds of wording:

* **stigmatising** labels (somatiser, hypochondriac, heart-sink, malingering, "untreatable"...);
* **dualistic** either/or framing (all in the mind, nothing wrong with you, tests were normal so...);
* **certainty about cause**: a psychological cause stated as fact ("is clearly caused by stress",
  "psychological in origin"). Hedged wording does not fire ("it may be that stress plays a part",
  "one way of understanding this"): tentative formulation is the recommended practice
  (Balabanovic 2017);
* **blaming** (non-compliant, refuses to engage, brought it on herself, "what does she get out of being ill");
* **coercive** wording that orders the patient to accept or admit ("you need to accept that...");
* **unhelpful normalising** of low mood ("no wonder she's depressed"), which can stop anyone
  offering help for it (Jackson 2023);
* **jargon** that means little to a patient or sounds like a judgement (secondary gain,
  alexithymia, body talk, concrete, hard-to-engage...);
* **preferred term**: "MUS" / "medically unexplained" when the patient prefers another term
  (Scope et al. 2021; Balabanovic 2017).

The patient's own words are treated differently: text inside quotation marks, or reported after
"she said / worried / feared / was told ...", is marked ``quoted`` and given low severity, because
recording what the patient fears ("she worried we would think it was all in her mind") is good
practice, not a claim. In the ``private`` context (the therapist's own process notes) only
"untreatable" labelling and tacit-dualism markers are reported (Balabanovic 2017); jargon is the
clinician's own business there.

Everything is rule-based and explainable: each finding says which words matched, why it matters
(with the published source) and a tentative alternative. The modules:

* :mod:`.model`: categories, severities, contexts, :class:`Finding` and the rule record;
* :mod:`.document`: sentences, clauses, quotations and reported speech of the text checked;
* :mod:`.guards`: hedges, certainty, negation and the per-rule guards;
* :mod:`.rules` (reasons and suggested rewordings), :mod:`.rules_labels` and
  :mod:`.rules_claims` (the rule table), :mod:`.ruleset` (``RULES``, gates, rule sets);
* :mod:`.causal`: causal claims ("X is caused by Y");
* :mod:`.claims`: the structures behind each category read from lemmas (any voice, any
  inflection), with negation in clause scope (:func:`sessionnotes.analysis.text.negation.scope_negated`);
* :mod:`.reword`: grammatical drop-in rewordings (with alternatives) or sentence-specific advice;
* :mod:`.check`: :func:`check` and the other entry points.

Lexicons live in :mod:`sessionnotes.analysis.text.lexicon`; nothing here imports Textual or reads
files.
"""

from __future__ import annotations

from .causal import CAUSAL_PHRASES
from .check import check, tacit_dualism_markers, untreatable_labels, with_replacement
from .model import (
    BLAMING,
    CATEGORIES,
    CERTAINTY,
    COERCIVE,
    CONTEXTS,
    DUALISTIC,
    JARGON,
    NORMALISING,
    PREFERRED_TERM,
    SEVERITIES,
    STIGMATISING,
    Finding,
)
from .ruleset import current_rules, rule_gate

__all__ = [
    "BLAMING",
    "CATEGORIES",
    "CERTAINTY",
    "COERCIVE",
    "CONTEXTS",
    "DUALISTIC",
    "JARGON",
    "NORMALISING",
    "PREFERRED_TERM",
    "SEVERITIES",
    "STIGMATISING",
    "Finding",
    "check",
    "tacit_dualism_markers",
    "untreatable_labels",
    "with_replacement",
]

# The names the speed tests reach for (they compare every gate with the plain regex way).
_CAUSAL_PHRASES = CAUSAL_PHRASES
_current_rules = current_rules
_rule_gate = rule_gate


def __getattr__(name: str) -> object:  # PEP 562: ``RULES`` is built on first access
    if name == "RULES":
        return current_rules()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
