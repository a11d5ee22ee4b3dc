"""The analysis reads its own regular expressions without Python's private regex parser.

``analysis/text/pattern_tree.py`` parses the subset of the syntax the project writes into the same
tree shape the standard library's parser builds. Here every pattern the analysis modules hold is
parsed, compared with the standard parser's tree where that (private) module is importable, and
the gates derived from the trees are checked to stay exact on awkward inputs.
"""

from __future__ import annotations

import gc
import importlib
import re
from pathlib import Path

import pytest

from sessionnotes.analysis import language as L
from sessionnotes.analysis.text import lexicon as lx
from sessionnotes.analysis.text import matching as mt
from sessionnotes.analysis.text import pattern_tree as pt

TEXT_DIR = Path(pt.__file__).parent


def _project_patterns() -> list[str]:
    importlib.import_module("sessionnotes.analysis.flags")
    L._current_rules()
    found: set[str] = set()
    for obj in gc.get_objects():
        if isinstance(obj, mt.LazyPattern):
            found.add(obj.pattern)
        elif isinstance(obj, mt.Phrase):
            found.add(obj.pattern.pattern)
    for value in vars(lx).values():
        if isinstance(value, tuple | list | frozenset) and value and all(isinstance(v, str) for v in value):
            found.update(value)
    return sorted(found)


PATTERNS = _project_patterns()


def _plain(node: object) -> object:
    """A tree (ours or the standard parser's) as plain lists, tuples, strings and numbers."""
    if isinstance(node, pt.Seq):
        return [_plain(n) for n in node]
    if type(node).__name__ == "SubPattern":
        return [_plain(n) for n in node.data]  # type: ignore[attr-defined]  # the stdlib's private class
    if isinstance(node, list):
        return [_plain(n) for n in node]
    if isinstance(node, tuple):
        return tuple(_plain(n) for n in node)
    if type(node).__name__ == "_NamedIntConstant":
        return int(node) if str(node) == "MAXREPEAT" else str(node)  # type: ignore[call-overload]
    return node


def test_there_are_many_patterns_to_check():
    assert len(PATTERNS) > 300


def test_every_project_pattern_is_read():
    unread = []
    for pattern in PATTERNS:
        try:
            pt.parse(pattern)
        except pt.PatternError as err:
            unread.append((pattern[:80], str(err)))
    assert not unread


def test_trees_match_the_standard_parser():
    """An oracle only: the code never imports the private parser, the test does when it can."""
    import re._parser as stdlib  # noqa: PLC0415 - present on every Python this project supports (3.11+)

    for pattern in PATTERNS:
        assert _plain(pt.parse(pattern)) == _plain(stdlib.parse(pattern)), pattern[:120]


@pytest.mark.parametrize(
    "pattern",
    [
        r"(a)\1",  # back-reference
        r"(?i)pain",  # global flag
        r"(?i:pain)",  # local flag
        r"(?P<x>a)(?P=x)",
        r"(?(1)a|b)",
        r"\N{EM DASH}",
        r"\101",
    ],
)
def test_syntax_outside_the_subset_is_refused_and_gets_no_gate(pattern):
    with pytest.raises(pt.Unsupported):
        pt.parse(pattern)
    assert mt.derive_gate(pattern) is None
    assert pt.expand(pattern) is None


@pytest.mark.parametrize("pattern", [r"(a", r"a)", r"[a", r"a{3,1}", r"*a", r"a**", r"[z-a]", "\\"])
def test_malformed_patterns_are_errors(pattern):
    with pytest.raises(pt.PatternError):
        pt.parse(pattern)
    with pytest.raises(re.error):
        re.compile(pattern)


@pytest.mark.parametrize(
    ("fragment", "words"),
    [
        (r"dizz(?:y|iness)", ["dizziness", "dizzy"]),
        (r"low\s+mood", ["low mood"]),
        (r"heart[- ]?sink", ["heart sink", "heart-sink", "heartsink"]),
        (r"pains?", ["pain", "pains"]),
        (r"malinger\w*", None),
    ],
)
def test_expand(fragment, words):
    assert pt.expand(fragment) == words


@pytest.mark.parametrize(
    ("pattern", "matching", "not_matching"),
    [
        (r"\bis\s+not\s+real\b", ["it is not  real.", "IS NOT REAL"], ["is real", "this not real"]),
        (r"(?<![\w-])(?:all|mostly) in (?:her|his) (?:head|mind)(?![\w-])", ["All in her mind"], ["all in the mind"]),
        (r"a{2}b|c{,2}d", ["aab", "ccd", "d"], []),
        (r"[^a-z]x{1}y", ["1xy"], []),
        (r"\x41\u00e9 \t\-", ["A\u00e9 \t-"], []),
        (r"\{x}", ["{x}"], []),
    ],
)
def test_gates_from_our_trees_stay_exact(pattern, matching, not_matching):
    rx = re.compile(pattern, re.IGNORECASE)
    gate = mt.derive_gate(pattern)
    for text in matching:
        assert rx.search(text), text
        assert gate is None or gate.test(mt.text_info(text)), text
    for text in not_matching:
        assert not rx.search(text), text


def test_no_module_reads_regex_internals():
    for path in TEXT_DIR.parent.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(?:import|from)\s+(?:re\._parser|sre_parse|re\s+import\s+_parser)", source, re.M), path
