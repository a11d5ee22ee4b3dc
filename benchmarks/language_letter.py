"""How long ``check-language`` takes on a two-page letter after the first call (target: under 50 ms).

The letter mixes clean and harmful sentences from the labelled corpus (about 1,000 words, two
printed pages). The first call loads the lemmatiser and compiles patterns; the figure that
matters is a later call on an edited letter (no cache, so nothing is remembered between calls).

    python benchmarks/language_letter.py
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from sessionnotes.analysis.language import check

CORPUS = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "language_corpus.json"


def two_page_letter() -> str:
    sentences = [c["text"] for c in json.loads(CORPUS.read_text(encoding="utf-8")) if c["context"] == "letter"]
    words, out = 0, []
    for sentence in sentences:
        out.append(sentence)
        words += len(sentence.split())
        if words >= 1000:
            break
    paragraphs = [" ".join(out[i : i + 6]) for i in range(0, len(out), 6)]
    return "Dear Dr Notreal,\n\n" + "\n\n".join(paragraphs) + "\n\nYours sincerely,\nAsh Fakename"


def main() -> int:
    letter = two_page_letter()
    started = time.perf_counter()
    check(letter)
    first = time.perf_counter() - started
    times = []
    for k in range(20):
        edited = letter + " " * (k + 1)  # a new text each time: nothing is cached
        started = time.perf_counter()
        check(edited)
        times.append(time.perf_counter() - started)
    print(f"two-page letter: {len(letter.split())} words")
    median, worst = statistics.median(times) * 1000, max(times) * 1000
    print(f"first call {first * 1000:.1f} ms; later calls median {median:.1f} ms, max {worst:.1f} ms")
    return 0 if statistics.median(times) < 0.05 else 1


if __name__ == "__main__":
    raise SystemExit(main())
