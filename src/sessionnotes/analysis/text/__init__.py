"""Shared text machinery for the analysis rules: tokens, phrase matching, the clinical lexicon, and
the one negation / attribution (scope) rule set used by both the process flags and the wording
checker."""
