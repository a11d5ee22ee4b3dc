"""The rule table as used: ``RULES`` built on first use, each rule's gate, and the rule sets
(all, private, untreatable) with one gate index each."""

from __future__ import annotations

import sys
from dataclasses import replace

from ..text import matching
from .causal import CAUSAL_PHRASES
from .model import UNTREATABLE, Rule
from .rules_claims import claim_rules
from .rules_labels import labelling_rules


def build_rules() -> tuple[Rule, ...]:
    """Both rule tables, each rule with its gate pre-check on (``anchors=()``)."""
    return tuple(replace(r, anchors=()) for r in (*labelling_rules(), *claim_rules()))


def rule_gate(rule: Rule) -> matching.Gate | None:
    """The rule's gate (derived on first use, once per pattern); ``None`` when the rule's
    ``anchors`` is ``None`` (pre-checks off) or the pattern gives no useful condition."""
    if rule.anchors is None:
        return None
    if rule.gate is not None:
        return rule.gate
    return matching.derive_gate(rule.pattern.pattern, getattr(rule.pattern, "source_flags", rule.pattern.flags))


def current_rules() -> tuple[Rule, ...]:
    """``RULES`` of the package (:mod:`sessionnotes.analysis.language`), built on first use
    (patterns compile only when a text passes their gate). Setting ``language.RULES`` replaces
    the table every check uses (the tests switch the gates off that way)."""
    package = sys.modules[__package__]
    rules: tuple[Rule, ...] | None = vars(package).get("RULES")
    if rules is None:
        rules = build_rules()
        package.RULES = rules  # type: ignore[attr-defined]  # PEP 562: the package's lazy name, set once
    return rules


_RULE_SETS: dict[int, tuple[tuple[Rule, ...], dict[str, tuple[tuple[Rule, ...], matching.GateIndex, int]]]] = {}


def rule_set(kind: str) -> tuple[tuple[Rule, ...], matching.GateIndex, int]:
    """The rules of one kind ("all", "private", "untreatable") with a gate index over them (a
    rule whose ``anchors`` is ``None`` is always a candidate) and the index's bits for the rules.
    Except for "untreatable", the index also holds the gates of the causal-claim phrases, after
    the rules, so one look-up can tell that nothing at all can be found in a text."""
    rules = current_rules()
    entry = _RULE_SETS.get(id(rules))
    if entry is None or entry[0] is not rules:
        _RULE_SETS.clear()
        entry = _RULE_SETS[id(rules)] = (rules, {})
    sets = entry[1]
    found = sets.get(kind)
    if found is None:
        if kind == "private":
            chosen = tuple(r for r in rules if r.tacit or r.group == UNTREATABLE)
        elif kind == UNTREATABLE:
            chosen = tuple(r for r in rules if r.group == UNTREATABLE)
        else:
            chosen = rules
        gates = [rule_gate(r) for r in chosen]
        if kind != UNTREATABLE:
            gates += [p.gate for p in CAUSAL_PHRASES]
        for rule in chosen:  # compiled with the index, not on some later text (see flags._Phrases)
            getattr(rule.pattern, "compiled", None)
        found = sets[kind] = (chosen, matching.GateIndex(gates), (1 << len(chosen)) - 1)
    return found
