"""One negator table (analysis/text/negation.py) serves the flags and the wording checker.

The flags count every kind of negator (a topic avoided or declined was not talked about); the
wording checker only plain negation ("not", "n't", "never", "no longer", "nor") within three words.
Both forms (raw text and tokens) are read from the same rows.
"""

from __future__ import annotations

import importlib
import re

import pytest

from sessionnotes.analysis.language import guards
from sessionnotes.analysis.text import matching, negation

check_module = importlib.import_module("sessionnotes.analysis.language.check")


def test_every_negator_has_a_known_kind_and_a_view():
    kinds = {n.kind for n in negation.NEGATORS}
    assert kinds == {"negation", "negation-other", "absence", "refusal", "contrast", "negation-frame"}
    assert negation.WORDING_KINDS < negation.SCOPE_KINDS <= kinds
    # the clause-scope frames ("nobody", "no suggestion") are read by the scope view only
    assert all(n.text or n.tokens or n.kind == "negation-frame" for n in negation.NEGATORS)


@pytest.mark.parametrize(
    ("text", "word", "negated"),
    [
        ("Nobody is suggesting that your symptoms are imagined.", "imagined", True),
        ("I do not think it would be right to call it untreatable.", "untreatable", True),
        ("There is no doubt that her pain is driven by low mood.", "driven", False),
        ("She did not come, and her pain is imagined.", "imagined", False),
        ("The scan did not show anything, so it is imagined.", "imagined", False),
    ],
)
def test_the_scope_view_reaches_to_the_end_of_the_clause(text, word, negated):
    assert negation.scope_negated(text, text.index(word)) is negated


@pytest.mark.parametrize(
    ("before", "flags", "wording"),
    [
        ("it is not ", True, True),
        ("she doesn't really ", True, True),
        ("it is no longer ", True, True),
        ("she avoided any talk of ", True, False),
        ("he declined to discuss ", True, False),
        ("rather than ", True, False),
        ("it is not at all in any ", True, False),  # beyond the wording checker's three words
        ("she said it was ", False, False),
    ],
)
def test_flags_and_wording_read_the_same_table_with_their_own_kinds(before, flags, wording):
    assert bool(negation.NEGATION_BEFORE.search(before)) is flags
    assert bool(guards.NEGATED_BEFORE.search(before)) is wording


def test_token_view_agrees_with_the_table():
    toks = matching.tokens("She avoided talk of the pain, rather than feelings.")
    assert negation.token_negated(toks, toks.index("pain"))
    assert negation.token_negated(toks, toks.index("feelings"))
    toks = matching.tokens("Less pain and more talk of feelings")
    assert not negation.token_negated(toks, toks.index("feelings"))


def test_the_drop_in_guard_keeps_reading_nt_only_on_its_own():
    """A long-standing quirk kept as it was: "n't" must start a word in the drop-in guard."""
    pattern = check_module._NEGATED_JUST_BEFORE
    assert pattern.search("it is not ")
    assert not pattern.search("I don't ")
    assert re.search(r"\bn't", "n't ") and pattern.search("n't ")
