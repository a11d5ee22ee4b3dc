"""A small reader for the regular expressions the analysis writes, as a tree of plain tuples.

The gates and word expansions (:mod:`.gates`, :mod:`.vocab`) need to see inside a pattern: which
words it must contain, which alternatives it lists. Python's own regex parser is private
(``re._parser``) and may change between versions, so this module reads the subset of the syntax
the project uses and builds the same shape of tree that parser builds (the tests compare them):

* a sequence is a :class:`Seq` (a list compared by identity, as the standard parser's are);
* a node is ``(op, argument)`` with ``op`` one of the names below: ``LITERAL`` (a code point),
  ``NOT_LITERAL``, ``ANY``, ``IN`` (a list of ``(kind, value)`` items: ``LITERAL``, ``RANGE``,
  ``CATEGORY``, ``NEGATE``), ``AT`` (an anchor name), ``BRANCH`` ``(None, [Seq...])``,
  ``SUBPATTERN`` ``(group, 0, 0, Seq)``, ``MAX_REPEAT`` / ``MIN_REPEAT`` /
  ``POSSESSIVE_REPEAT`` ``(low, high, Seq)``, ``ASSERT`` / ``ASSERT_NOT`` ``(direction, Seq)``
  and ``ATOMIC_GROUP``.

Anything outside the subset (back-references, conditionals, inline flags, named characters)
raises :class:`Unsupported`; callers then treat the pattern as opaque (no gate: always run it),
which is slower but never wrong.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, overload

__all__ = ["MAXREPEAT", "ZERO_WIDTH", "Node", "Nodes", "PatternError", "Seq", "Unsupported", "expand", "expand_nodes", "parse"]

MAXREPEAT = 4294967295
"""The upper bound of ``*``, ``+`` and ``{m,}`` (the standard parser's value)."""

Node = tuple[str, Any]
"""``(op, argument)``, see the module docstring."""
Nodes = Sequence[Node]
"""A :class:`Seq`, or a plain list of nodes."""


class PatternError(ValueError):
    """The pattern is not a valid regular expression."""


class Unsupported(PatternError):
    """The pattern uses syntax this reader does not handle (callers treat it as opaque)."""


class Seq(Sequence[Node]):
    """A sequence of nodes. Like the standard parser's sub-patterns it has no value equality, so
    two alternatives only share a common first node when that node holds no sub-sequence."""

    __slots__ = ("data",)

    def __init__(self, data: list[Node] | None = None) -> None:
        self.data: list[Node] = data if data is not None else []

    def __iter__(self) -> Iterator[Node]:
        return iter(self.data)

    def __len__(self) -> int:
        return len(self.data)

    @overload
    def __getitem__(self, index: int) -> Node: ...

    @overload
    def __getitem__(self, index: slice) -> list[Node]: ...

    def __getitem__(self, index: int | slice) -> Node | list[Node]:
        return self.data[index]

    def __repr__(self) -> str:
        return repr(self.data)


_CATEGORIES: dict[str, Node] = {
    "A": ("AT", "AT_BEGINNING_STRING"),
    "b": ("AT", "AT_BOUNDARY"),
    "B": ("AT", "AT_NON_BOUNDARY"),
    "Z": ("AT", "AT_END_STRING"),
    "d": ("IN", [("CATEGORY", "CATEGORY_DIGIT")]),
    "D": ("IN", [("CATEGORY", "CATEGORY_NOT_DIGIT")]),
    "s": ("IN", [("CATEGORY", "CATEGORY_SPACE")]),
    "S": ("IN", [("CATEGORY", "CATEGORY_NOT_SPACE")]),
    "w": ("IN", [("CATEGORY", "CATEGORY_WORD")]),
    "W": ("IN", [("CATEGORY", "CATEGORY_NOT_WORD")]),
}
_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v", "\\": "\\"}
_SPECIAL = set(".\\[{()*+?^$|")
_HEX = set("0123456789abcdefABCDEF")
_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")


class _Source:
    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.pos = 0
        self.groups = 1

    def peek(self) -> str | None:
        """The next token: one character, or a backslash with the character after it."""
        if self.pos >= len(self.text):
            return None
        if self.text[self.pos] == "\\":
            if self.pos + 1 >= len(self.text):
                raise PatternError("bad escape (end of pattern)")
            return self.text[self.pos : self.pos + 2]
        return self.text[self.pos]

    def get(self) -> str | None:
        token = self.peek()
        if token is not None:
            self.pos += len(token)
        return token

    def match(self, char: str) -> bool:
        if self.peek() == char:
            self.pos += len(char)
            return True
        return False

    def take(self, count: int, allowed: set[str]) -> str:
        out = ""
        while len(out) < count and self.pos < len(self.text) and self.text[self.pos] in allowed:
            out += self.text[self.pos]
            self.pos += 1
        return out


def _code_escape(source: _Source, escape: str) -> int:
    """The code point of an escape that stands for one character (inside or outside a class)."""
    char = escape[1]
    if char in _ESCAPES:
        return ord(_ESCAPES[char])
    if char in "xu":
        digits = source.take(2 if char == "x" else 4, _HEX)
        if len(digits) != (2 if char == "x" else 4):
            raise PatternError(f"incomplete escape {escape}{digits}")
        return int(digits, 16)
    if char.isascii() and (char.isalnum() or char == "_"):
        raise Unsupported(f"escape {escape}")  # \N, \U, octal, back-references, bad escapes
    return ord(char)


def _class_item(source: _Source, token: str) -> Node:
    if token[0] == "\\":
        if token[1] in _ESCAPES:
            return ("LITERAL", ord(_ESCAPES[token[1]]))
        code = _CATEGORIES.get(token[1])
        if code is not None and code[0] == "IN":
            return code[1][0]  # type: ignore[no-any-return]  # a (CATEGORY, name) item
        return ("LITERAL", _code_escape(source, token))
    return ("LITERAL", ord(token))


def _uniq(items: list[Node]) -> list[Node]:
    return list(dict.fromkeys(items))


def _parse_class(source: _Source) -> Node:
    items: list[Node] = []
    negate = source.match("^")
    while True:
        token = source.get()
        if token is None:
            raise PatternError("unterminated character set")
        if token == "]" and items:
            break
        first = _class_item(source, token)
        if source.match("-"):
            other = source.get()
            if other is None:
                raise PatternError("unterminated character set")
            if other == "]":
                items += [first, ("LITERAL", ord("-"))]
                break
            second = _class_item(source, other)
            if first[0] != "LITERAL" or second[0] != "LITERAL" or second[1] < first[1]:
                raise PatternError(f"bad character range {token}-{other}")
            items.append(("RANGE", (first[1], second[1])))
        else:
            items.append(first)
    items = _uniq(items)
    if len(items) == 1 and items[0][0] == "LITERAL":
        return ("NOT_LITERAL", items[0][1]) if negate else items[0]
    if negate:
        items.insert(0, ("NEGATE", None))
    return ("IN", items)


def _parse_repeat(source: _Source, token: str) -> tuple[int, int] | None:
    """The bounds of a repeat token, or ``None`` when a ``{`` is a plain character."""
    if token == "?":
        return 0, 1
    if token == "*":
        return 0, MAXREPEAT
    if token == "+":
        return 1, MAXREPEAT
    here = source.pos
    if source.peek() == "}":
        return None
    digits = set("0123456789")
    low = source.take(10**6, digits)
    high = source.take(10**6, digits) if source.match(",") else low
    if not source.match("}"):
        source.pos = here
        return None
    low_n = int(low) if low else 0
    high_n = int(high) if high else MAXREPEAT
    if high_n < low_n:
        raise PatternError("min repeat greater than max repeat")
    return low_n, high_n


def _parse_group(source: _Source, items: Seq) -> None:
    """After ``(``: append the group (or look-around) to ``items``."""
    capture = True
    if source.match("?"):
        char = source.get()
        if char == ":":
            capture = False
        elif char == "P" and source.match("<"):
            end = source.text.find(">", source.pos)
            if end < 0 or not source.text[source.pos : end].isidentifier():
                raise PatternError("bad group name")
            source.pos = end + 1
        elif char == "#":
            end = source.text.find(")", source.pos)
            if end < 0:
                raise PatternError("unterminated comment")
            source.pos = end + 1
            return
        elif char is not None and char in "=!<":
            direction = 1
            if char == "<":
                char = source.get()
                if char is None or char not in "=!":
                    raise Unsupported("unknown extension ?<")
                direction = -1
            body = _parse_alternatives(source, nested=True)
            if not source.match(")"):
                raise PatternError("missing ), unterminated subpattern")
            items.data.append(("ASSERT" if char == "=" else "ASSERT_NOT", (direction, body)))
            return
        elif char == ">":
            body = _parse_alternatives(source, nested=True)
            if not source.match(")"):
                raise PatternError("missing ), unterminated subpattern")
            items.data.append(("ATOMIC_GROUP", body))
            return
        else:
            raise Unsupported(f"group extension ?{char}")  # flags, conditionals, (?P=name)
    group = None
    if capture:
        group = source.groups
        source.groups += 1
    body = _parse_alternatives(source, nested=True)
    if not source.match(")"):
        raise PatternError("missing ), unterminated subpattern")
    items.data.append(("SUBPATTERN", (group, 0, 0, body)))


def _parse_sequence(source: _Source) -> Seq:
    items = Seq()
    data = items.data
    while True:
        token = source.peek()
        if token is None or token in "|)":
            break
        source.get()
        if token[0] == "\\":
            code = _CATEGORIES.get(token[1])
            data.append(code if code is not None else ("LITERAL", _code_escape(source, token)))
        elif token not in _SPECIAL:
            data.append(("LITERAL", ord(token)))
        elif token == "[":
            data.append(_parse_class(source))
        elif token in "?*+{":
            bounds = _parse_repeat(source, token)
            if bounds is None:
                data.append(("LITERAL", ord(token)))
                continue
            if not data or data[-1][0] == "AT":
                raise PatternError("nothing to repeat")
            if data[-1][0] in _REPEATS:
                raise PatternError("multiple repeat")
            body = Seq(data[-1:])
            if data[-1][0] == "SUBPATTERN" and data[-1][1][0] is None:
                body = data[-1][1][3]
            op = "MIN_REPEAT" if source.match("?") else "POSSESSIVE_REPEAT" if source.match("+") else "MAX_REPEAT"
            data[-1] = (op, (bounds[0], bounds[1], body))
        elif token == ".":
            data.append(("ANY", None))
        elif token == "(":
            _parse_group(source, items)
        elif token == "^":
            data.append(("AT", "AT_BEGINNING"))
        elif token == "$":
            data.append(("AT", "AT_END"))
        else:  # pragma: no cover - every special character is handled above
            raise PatternError(f"unexpected {token!r}")
    # a non-capturing group is spliced into the sequence around it
    for i in range(len(data) - 1, -1, -1):
        op, arg = data[i]
        if op == "SUBPATTERN" and arg[0] is None:
            data[i : i + 1] = arg[3].data
    return items


def _parse_alternatives(source: _Source, nested: bool) -> Seq:
    alternatives = [_parse_sequence(source)]
    while source.match("|"):
        alternatives.append(_parse_sequence(source))
    if len(alternatives) == 1:
        return alternatives[0]
    out = Seq()
    # a first node shared by every alternative moves in front of the branch
    while True:
        prefix = None
        for alternative in alternatives:
            if not alternative:
                break
            if prefix is None:
                prefix = alternative[0]
            elif alternative[0] != prefix:
                break
        else:
            for alternative in alternatives:
                del alternative.data[0]
            assert prefix is not None
            out.data.append(prefix)
            continue
        break
    # alternatives of one character each become a character class
    chars: list[Node] = []
    for alternative in alternatives:
        if len(alternative) != 1:
            break
        op, arg = alternative[0]
        if op == "LITERAL":
            chars.append((op, arg))
        elif op == "IN" and arg[0][0] != "NEGATE":
            chars.extend(arg)
        else:
            break
    else:
        out.data.append(("IN", _uniq(chars)))
        return out
    out.data.append(("BRANCH", (None, alternatives)))
    return out


def parse(pattern: str) -> Seq:
    """The tree of ``pattern`` (see the module docstring); raises :class:`PatternError` for a
    malformed pattern and :class:`Unsupported` for syntax outside the subset."""
    source = _Source(pattern)
    tree = _parse_alternatives(source, nested=False)
    if source.peek() is not None:
        raise PatternError("unbalanced parenthesis")
    return tree


# ---------------------------------------------------------------------------------------------
# Expansion: the word sequences a simple tree matches
# ---------------------------------------------------------------------------------------------

ZERO_WIDTH = frozenset({"ASSERT", "ASSERT_NOT", "AT"})
"""Nodes that match a position, not characters."""
_MAX_EXPANSIONS = 512


def expand_nodes(nodes: Iterable[Node], zero_width_ok: bool = False) -> list[str] | None:
    """Every string a sequence of nodes matches, reading ``\\s+`` as one space; ``None`` when the
    sequence is not simple enough to list (a class of letters, an open repeat, too many ways)."""
    results = [""]
    for op, arg in nodes:
        if op in ZERO_WIDTH and zero_width_ok:
            continue
        if op == "LITERAL":
            options = [chr(arg)]
        elif op == "IN":
            options = []
            for kind, value in arg:
                if kind == "LITERAL":
                    options.append(chr(value))
                elif kind == "CATEGORY" and value == "CATEGORY_SPACE":
                    options.append(" ")
                else:
                    return None
        elif op == "BRANCH":
            options = []
            for branch in arg[1]:
                sub = expand_nodes(branch, zero_width_ok)
                if sub is None:
                    return None
                options += sub
        elif op == "SUBPATTERN":
            sub = expand_nodes(arg[3], zero_width_ok)
            if sub is None:
                return None
            options = sub
        elif op in ("MAX_REPEAT", "MIN_REPEAT"):
            low, high, body = arg
            sub = expand_nodes(body, zero_width_ok)
            if sub is None:
                return None
            if sub == [" "] and low >= 1:  # \s+ : one space in normalised text
                options = [" "]
            elif (low, high) == (0, 1):
                options = ["", *sub]
            elif (low, high) == (1, 1):
                options = sub
            else:
                return None
        else:
            return None
        results = [r + o for r in results for o in options]
        if len(results) > _MAX_EXPANSIONS:
            return None
    return results


def expand(fragment: str) -> list[str] | None:
    """Every lower-case word sequence a simple fragment matches (``dizz(?:y|iness)`` ->
    ``["dizzy", "dizziness"]``), or ``None`` if it is not simple enough to list."""
    try:
        tree = parse(fragment)
    except PatternError:
        return None
    out = expand_nodes(tree)
    if out is None:
        return None
    return sorted({" ".join(o.split()) for o in out if o.strip()})
