"""Reading a pattern's tree into a :class:`.gates.Gate`: the word sequences every match must hold.

:func:`derive_gate` walks the tree :func:`.pattern_tree.parse` builds. Runs of simple nodes are
expanded into their strings (``(?:is|are)\\s+not\\s+real`` into " is not real " and " are not
real "); each such run becomes a clause (one of its literals must occur), alternatives keep the
best clause of each, and the top-level alternatives become the gate's branches. An end of a
literal counts as a word boundary only when the pattern guarantees one there (``\\b``, a space, a
look-around that rules out a word character, the edge of the text). Anything the reader cannot
vouch for gives no clause, and a pattern it cannot read at all gives no gate (always run it).
"""

from __future__ import annotations

import re

from .gates import Clause, Gate
from .pattern_tree import ZERO_WIDTH, Node, Nodes, expand_nodes, parse

__all__ = ["derive_gate"]

_ALNUM = re.compile(r"[a-z0-9]+")
_MAX_RUN = 32
_WORD_CATEGORIES = frozenset({"CATEGORY_WORD"})
_NON_WORD_ITEMS = frozenset({"CATEGORY_SPACE", "CATEGORY_NOT_WORD", "CATEGORY_LINEBREAK"})


def _zero_width(node: Node) -> bool:
    return node[0] in ZERO_WIDTH


def _is_word_class(nodes: Nodes) -> bool:
    """``[\\w...]`` / ``\\w``: a class that holds every word character."""
    if len(nodes) != 1 or nodes[0][0] != "IN":
        return False
    items = nodes[0][1]
    return not any(k == "NEGATE" for k, _ in items) and any(k == "CATEGORY" and v in _WORD_CATEGORIES for k, v in items)


def _guard(node: Node, side: int) -> bool:
    """Whether a zero-width node guarantees that the character on ``side`` (-1 before, 1 after)
    of its position is not a letter or digit (or is the edge of the text)."""
    name, arg = node[0], node[1]
    if name == "AT":
        code = arg
        if code == "AT_BOUNDARY":  # only relevant next to a letter or digit, where it means this
            return True
        if side < 0:
            return code in ("AT_BEGINNING", "AT_BEGINNING_LINE", "AT_BEGINNING_STRING")
        return code in ("AT_END", "AT_END_LINE", "AT_END_STRING")
    if name == "ASSERT_NOT":
        direction, body = arg
        return (direction < 0) == (side < 0) and _is_word_class(body)
    return False


_YES, _NO, _MAYBE = 1, 0, 2
"""Edge kinds: the edge character is never a letter or digit / may be one / the node may match
nothing at all, and when it matches something the edge character is never a letter or digit."""


def _edge(node: Node, last: bool) -> int:
    """The kind of a consuming node's last (or first) character, see ``_YES`` / ``_NO`` / ``_MAYBE``."""
    name, arg = node[0], node[1]
    if name == "LITERAL":
        return _NO if chr(arg).lower().isalnum() else _YES
    if name == "IN":
        for kind, value in arg:
            if kind == "LITERAL":
                if chr(value).lower().isalnum():
                    return _NO
            elif kind == "CATEGORY":
                if value not in _NON_WORD_ITEMS:
                    return _NO
            else:
                return _NO
        return _YES
    if name in ("MAX_REPEAT", "MIN_REPEAT"):
        low, _high, body = arg
        kind = _seq_edge(body, last)
        if kind == _NO:
            return _NO
        return kind if low >= 1 else _MAYBE
    if name == "SUBPATTERN":
        return _seq_edge(arg[3], last)
    if name == "BRANCH":
        kinds = {_seq_edge(b, last) for b in arg[1]}
        if _NO in kinds or not kinds:
            return _NO
        return _YES if kinds == {_YES} else _MAYBE
    return _NO


def _seq_edge(nodes: Nodes, last: bool) -> int:
    for node in reversed(nodes) if last else nodes:
        if _zero_width(node):
            continue
        kind = _edge(node, last)
        if kind != _MAYBE:
            return kind
    return _MAYBE


def _bounded(nodes: Nodes, index: int, side: int, outer: bool) -> bool:
    """Whether the character just outside ``nodes[index]`` on ``side`` is never a letter or digit
    in a match (a word boundary, a space, the edge of the text...)."""
    j = index + side
    while 0 <= j < len(nodes):
        node = nodes[j]
        if _zero_width(node):
            if _guard(node, side):
                return True
        else:
            kind = _edge(node, side < 0)
            if kind != _MAYBE:
                return kind == _YES
        j += side
    return outer


def _literal(text: str, left: bool, right: bool) -> str | None:
    """The words of one expansion as a ``norm`` literal (" is not real "), spaces marking the
    ends that are word boundaries; ``None`` when it holds no letter or digit."""
    if not text.isascii():
        return None
    low = text.lower()
    spans = [m.span() for m in _ALNUM.finditer(low)]
    if not spans:
        return None
    left = left or spans[0][0] > 0
    right = right or spans[-1][1] < len(low)
    body = " ".join(low[a:b] for a, b in spans)
    return (" " if left else "") + body + (" " if right else "")


def _run_clause(strings: list[str], left: bool, right: bool) -> Clause | None:
    lits = []
    for s in strings:
        lit = _literal(s, left, right)
        if lit is None:
            return None  # this way through needs no word at all
        lits.append(lit)
    return Clause(lits)


_EXPANDED: dict[int, tuple[Node, list[str] | None]] = {}
"""Expansions of the nodes of the pattern being read (by node identity; cleared after each)."""


def _expand_one(node: Node) -> list[str] | None:
    """:func:`.pattern_tree.expand_nodes` for one node, reading ``\\s*`` as "nothing or a space" (for words,
    any run of spaces is one space)."""
    found = _EXPANDED.get(id(node))
    if found is not None and found[0] is node:
        return found[1]
    name, arg = node[0], node[1]
    if name in ("MAX_REPEAT", "MIN_REPEAT") and arg[0] == 0 and expand_nodes(arg[2]) == [" "]:
        out: list[str] | None = ["", " "]
    else:
        out = expand_nodes([node], zero_width_ok=True)
    _EXPANDED[id(node)] = (node, out)
    return out


def _seq_clauses(nodes: Nodes, left: bool, right: bool) -> list[Clause]:
    """Clauses every match of the sequence satisfies (all of them: a conjunction)."""
    clauses: list[Clause] = []
    n = len(nodes)
    i = 0
    while i < n:
        node = nodes[i]
        if _zero_width(node):
            i += 1
            continue
        strings = _expand_one(node)
        if strings is not None and len(strings) <= _MAX_RUN:
            first = last = i
            j = i + 1
            while j < n:
                if _zero_width(nodes[j]):
                    j += 1
                    continue
                more = _expand_one(nodes[j])
                if more is None or len(strings) * len(more) > _MAX_RUN:
                    break
                strings = [a + b for a in strings for b in more]
                last = j
                j += 1
            clause = _run_clause(strings, _bounded(nodes, first, -1, left), _bounded(nodes, last, 1, right))
            if clause is not None:
                clauses.append(clause)
            i = last + 1
            continue
        clauses += _node_clauses(node, _bounded(nodes, i, -1, left), _bounded(nodes, i, 1, right))
        i += 1
    return clauses


_BIG_BRANCHES: dict[tuple[str, bool, bool], list[Clause]] = {}
"""Clauses of long alternations already read, by their parsed form (clauses are not changed
once made, so patterns sharing a word list share them)."""


def _node_clauses(node: Node, left: bool, right: bool) -> list[Clause]:
    name, arg = node[0], node[1]
    if name == "SUBPATTERN":
        return _seq_clauses(arg[3], left, right)
    if name == "BRANCH":
        key = None
        if len(arg[1]) > 40:  # a long word list (symptoms, causes...) recurs in several patterns
            key = (repr(arg[1]), left, right)
            if key in _BIG_BRANCHES:
                return _BIG_BRANCHES[key]
        alternatives = [_seq_clauses(b, left, right) for b in arg[1]]
        if not alternatives or any(not a for a in alternatives):
            out: list[Clause] = []
        else:
            best = [max(a, key=lambda c: c.score) for a in alternatives]
            out = [Clause(lit for c in best for lit in c.lits)]
        if key is not None:
            _BIG_BRANCHES[key] = out
        return out
    if name in ("MAX_REPEAT", "MIN_REPEAT"):
        low, high, body = arg
        if low >= 1:
            return _seq_clauses(body, left, right and high == 1)
    return []


def _top_branches(nodes: Nodes, left: bool, right: bool) -> list[list[Clause]]:
    """The pattern's top-level alternatives, each with its clauses (a disjunction of conjunctions)."""
    consuming = [k for k, nd in enumerate(nodes) if not _zero_width(nd)]
    if len(consuming) == 1:
        k = consuming[0]
        name, arg = nodes[k][0], nodes[k][1]
        lb, rb = _bounded(nodes, k, -1, left), _bounded(nodes, k, 1, right)
        if name == "SUBPATTERN":
            return _top_branches(arg[3], lb, rb)
        if name == "BRANCH":
            out: list[list[Clause]] = []
            for b in arg[1]:
                out += _top_branches(b, lb, rb)
            return out
    return [_seq_clauses(nodes, left, right)]


_GATES: dict[tuple[str, int], Gate | None] = {}


def derive_gate(pattern: str, flags: int = re.IGNORECASE) -> Gate | None:
    """A :class:`Gate` for ``pattern`` (``None``: no useful condition; always run it)."""
    key = (pattern, flags)
    if key in _GATES:
        return _GATES[key]
    gate: Gate | None = None
    if not flags & (re.ASCII | re.LOCALE | re.VERBOSE):
        try:
            branches = _top_branches(parse(pattern), False, False)
            if branches and all(branches):
                gate = Gate(branches)
        except (RecursionError, TypeError, ValueError):  # unreadable here (PatternError is a ValueError): no gate
            gate = None
        finally:
            _EXPANDED.clear()
    _GATES[key] = gate
    return gate
