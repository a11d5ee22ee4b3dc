"""Blind-set figures for the wording checker (not a test: run by hand, prints figures).

Each blind file (``tests/fixtures/language_blind_*.txt``) holds ``label<TAB>sentence`` lines
written without looking at the checker's rules. A harmful sentence counts as caught when the
checker reports any finding on it that is the writer's own (not quoted); a clean one is a false
alarm when it gets a medium or high finding that is the writer's own. Each sentence is checked in
letter context, inside a short neutral letter so that sentence splitting is exercised.

    python benchmarks/language_blind.py [FILE ...] [-v]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from sessionnotes.analysis.language import check

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures"
BEFORE = "Dear Dr Notreal, thank you for referring Wren Notreal, whom I saw on Tuesday. "
AFTER = " We have agreed to meet fortnightly. Yours sincerely, Ash Fakename."


def read_blind(path: Path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        label, sentence = line.split("\t", 1)
        rows.append((label.strip(), sentence.strip()))
    return rows


def score(rows: list[tuple[str, str]], verbose: bool = False) -> dict[str, tuple[int, int]]:
    """``{label: (hits, total)}``: hits are catches for harmful labels, false alarms for clean."""
    hits: Counter[str] = Counter()
    totals: Counter[str] = Counter()
    for label, sentence in rows:
        text = BEFORE + sentence + AFTER
        lo, hi = len(BEFORE), len(BEFORE) + len(sentence)
        own = [f for f in check(text, "letter") if not f.quoted and f.start < hi and f.end > lo]
        totals[label] += 1
        if label == "clean":
            bad = [f for f in own if f.severity in ("medium", "high")]
            if bad:
                hits[label] += 1
            if verbose and bad:
                print(f"  FALSE ALARM: {sentence}  <- {[(f.category, f.matched) for f in bad]}")
        else:
            if own:
                hits[label] += 1
            elif verbose:
                print(f"  MISSED ({label}): {sentence}")
    return {label: (hits[label], totals[label]) for label in totals}


def report(name: str, figures: dict[str, tuple[int, int]]) -> str:
    lines = [f"{name}"]
    harm_hit = sum(h for k, (h, t) in figures.items() if k != "clean")
    harm_all = sum(t for k, (h, t) in figures.items() if k != "clean")
    for label, (h, t) in sorted(figures.items()):
        kind = "false alarms" if label == "clean" else "recall"
        lines.append(f"  {label:14s} {kind:12s} {h:3d}/{t:<3d} {h / t:6.1%}")
    if harm_all:
        lines.append(f"  {'all harmful':14s} {'recall':12s} {harm_hit:3d}/{harm_all:<3d} {harm_hit / harm_all:6.1%}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    paths = [Path(a) for a in argv if a != "-v"] or sorted(FIXTURES.glob("language_blind_*.txt"))
    for path in paths:
        print(report(path.name, score(read_blind(path), verbose)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
