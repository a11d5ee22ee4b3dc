"""Shared text machinery for the analysis rules: tokens, pattern gates and phrase matching
(:mod:`.matching` and the modules it gathers), the clinical lexicon (:mod:`.lexicon`), and the one
negation (:mod:`.negation`) and attribution (:mod:`.attribution`) rule sets used by both the process
flags and the wording checker."""
