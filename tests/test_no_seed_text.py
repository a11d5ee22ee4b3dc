"""The product paraphrases the seed documents and never pastes their sentences.

`fixtures/seed_shingles.bin` holds a 40-bit BLAKE2b hash of every run of 8 words in the five seed
documents (made once from ../shared/seeds; the text itself is not in the repository). Every string
constant in the package and every shipped template is checked against it.
"""

from __future__ import annotations

import ast
import bisect
import hashlib
import re
from importlib.resources import files
from pathlib import Path

FIXTURE = Path(__file__).parent / "fixtures" / "seed_shingles.bin"
PACKAGE = Path(__file__).resolve().parents[1] / "src" / "sessionnotes"


def _hashes() -> list[bytes]:
    data = FIXTURE.read_bytes()
    return [data[i : i + 5] for i in range(0, len(data), 5)]


def shingle_hashes(text: str) -> dict[bytes, str]:
    words = re.findall(r"[a-z']+", text.lower())
    return {
        hashlib.blake2b(" ".join(words[i : i + 8]).encode(), digest_size=5).digest(): " ".join(words[i : i + 8])
        for i in range(len(words) - 7)
    }


def product_strings() -> list[tuple[str, str]]:
    out = []
    for path in sorted(PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and len(node.value.split()) >= 8:
                out.append((f"{path.relative_to(PACKAGE)}:{node.lineno}", node.value))
    for tpl in (files("sessionnotes.export") / "templates").iterdir():
        if tpl.name.endswith(".md"):
            out.append((tpl.name, tpl.read_text(encoding="utf-8")))
    return out


def test_fixture_is_present_and_sorted():
    hashes = _hashes()
    assert len(hashes) > 100_000 and hashes == sorted(hashes)


def test_no_eight_word_run_of_a_seed_in_the_product():
    hashes = _hashes()
    strings = product_strings()
    assert len(strings) > 200  # the scan really sees the product's text
    for where, text in strings:
        for h, words in shingle_hashes(text).items():
            i = bisect.bisect_left(hashes, h)
            assert not (i < len(hashes) and hashes[i] == h), f"{where}: '{words}' is copied from a seed"


def test_the_check_catches_a_pasted_sentence():
    seed_like = Path(__file__).resolve().parents[2] / "shared" / "seeds"
    sample = next(iter(sorted(seed_like.glob("*.txt"))), None) if seed_like.is_dir() else None
    hashes = set(_hashes())
    if sample is not None:
        words = re.findall(r"[a-z']+", sample.read_text(encoding="utf-8", errors="replace").lower())[1000:1010]
        assert any(h in hashes for h in shingle_hashes(" ".join(words)))
    assert not any(h in hashes for h in shingle_hashes("fictional zebra lantern orbit velvet canyon quietly spruce harbour"))
