"""The fast paths of the flags engine and the language checker never change a result.

The speed of ``flags.detect`` comes from pre-checks that only ever say "this cannot match":
gates read from each pattern (:class:`sessionnotes.analysis.text.matching.Gate`) and checked on a
text's words, one gate index per family of phrase sets, a scan of the body-talk vocabulary that
skips words no phrase starts with, a faster tokeniser for ASCII text, a search for the
first-person feelings that starts from the feeling word, and a quick look for a negator before
the negation regex runs. Each test here compares a fast path with the plain way on the labelled
corpora, on demo notes and on their words shuffled (so nothing is a cache artefact). No timings
are asserted: the benchmarks print those.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import re
from pathlib import Path

import pytest

from sessionnotes.analysis import flags as F
from sessionnotes.analysis import language as L
from sessionnotes.analysis.cache import AnalysisCache
from sessionnotes.analysis.flags import body_talk, process
from sessionnotes.analysis.flags.phrases import Phrases, TailAnchored
from sessionnotes.analysis.text import matching as mt
from sessionnotes.analysis.text import negation
from sessionnotes.domain.models import Client, Session

FIXTURES = Path(__file__).parent / "fixtures"
FLAGS_CORPUS = json.loads((FIXTURES / "flags_corpus.json").read_text(encoding="utf-8"))
LANGUAGE_CORPUS = json.loads((FIXTURES / "language_corpus.json").read_text(encoding="utf-8"))
TEXT_FIELDS = ("note", "private_note", "plan", "homework", "feelings_other", "attendance_reason")


def _shuffled(text: str, rng: random.Random) -> str:
    words = text.split(" ")
    rng.shuffle(words)
    return " ".join(words)


def _demo(seed: int, n: int = 12) -> tuple[Client, list[Session]]:
    from sessionnotes import demo

    rng = random.Random(seed)
    client = demo.fictional_client(rng, seed)
    return client, [demo.fictional_session(rng, client, i, dt.date(2024, 1, 1)) for i in range(n)]


def _texts() -> list[str]:
    rng = random.Random(11)
    texts = {c["text"] for c in LANGUAGE_CORPUS}
    for case in FLAGS_CORPUS:
        for s in case["sessions"]:
            texts.update(str(s.get(k) or "") for k in TEXT_FIELDS)
        texts.update(str(v) for v in case["client"].values() if isinstance(v, str))
    for seed in range(3):
        _, sessions = _demo(300 + seed)
        for s in sessions:
            texts.update(getattr(s, k) or "" for k in TEXT_FIELDS)
    texts.discard("")
    base = sorted(texts)
    variants = []
    for t in base:
        variants.append(_shuffled(t, rng))
        variants.append(t.upper())
        variants.append(t.replace(" ", "  ", 2).replace("'", "\u2019"))
    return base + variants


TEXTS = _texts()


def _all_phrase_sets() -> list[Phrases]:
    return [p for family in Phrases.registry.values() for p in family]


# ---------------------------------------------------------------------------------------------
# Gates only ever say "cannot match"
# ---------------------------------------------------------------------------------------------


def test_phrase_gates_never_turn_away_a_match():
    for phrases in _all_phrase_sets():
        index = phrases.shared_index()
        for k, (_ident, full, _fast, _check) in enumerate(phrases.parts):
            gate = mt.derive_gate(full.pattern, phrases._flags)
            for text in TEXTS:
                if full.search(text):
                    info = mt.text_info(text)
                    assert gate is None or gate.test(info), (full.pattern, text)
                    assert index.mask(info) >> (phrases.offset + k) & 1, (full.pattern, text)


def test_rule_and_causal_gates_never_turn_away_a_match():
    patterns = [(r.pattern, L._rule_gate(r)) for r in L._current_rules()]
    patterns += [(p.pattern, p.gate) for p in L._CAUSAL_PHRASES]
    for pattern, gate in patterns:
        if gate is None:
            continue
        for text in TEXTS:
            if pattern.search(text):
                assert gate.test(mt.text_info(text)), (pattern.pattern[:80], text)


def _plain_spans(phrases: Phrases, text: str) -> list[tuple[int, int]]:
    """What a phrase set finds with every fragment run (the engine before the gates)."""
    low = text.lower()
    spans = []
    for _ident, full, fast, check_start in phrases.parts:
        if len(low) != len(text):
            spans += [m.span() for m in full.finditer(text)]
            continue
        for m in fast.compiled.finditer(low):
            if check_start and m.start() and re.match(r"[\w-]", low[m.start() - 1]):
                continue
            spans.append(m.span())
    spans.sort(key=lambda sp: (sp[0], -sp[1]))
    kept, end = [], -1
    for a, b in spans:
        if a >= end:
            kept.append((a, b))
            end = b
    return kept


def test_phrase_sets_find_exactly_what_every_fragment_finds():
    for phrases in _all_phrase_sets():
        for text in TEXTS:
            assert phrases.spans(text) == _plain_spans(phrases, text), text


# ---------------------------------------------------------------------------------------------
# Whole results with every fast path switched off
# ---------------------------------------------------------------------------------------------


def _clear_caches() -> None:
    """Nothing to clear: the flags and the wording checker keep nothing between calls unless given an
    AnalysisCache, and none is given here (so every run below computes afresh)."""


@pytest.fixture
def without_fast_paths(monkeypatch):
    """A context in which every gate lets every text through and the other short cuts are off."""

    def switch_off():
        _clear_caches()
        monkeypatch.setattr(mt.GateIndex, "mask", lambda self, info: (1 << self.size) - 1)
        monkeypatch.setattr(mt.Gate, "test", lambda self, info: True)
        monkeypatch.setattr(mt.Phrase, "possible", lambda self, low: True)
        monkeypatch.setattr(TailAnchored, "finditer", lambda self, low: self._rx.finditer(low))
        monkeypatch.setattr(negation, "NEGATOR_STEMS", ("",))

    yield switch_off
    monkeypatch.undo()
    _clear_caches()


def _language_results() -> list:
    out = []
    for text in TEXTS:
        for context in L.CONTEXTS:
            out.append([f.to_dict() for f in L.check(text, context, preferred_term="PPS")])
        out.append([f.to_dict() for f in L.untreatable_labels(text)])
        out.append([f.to_dict() for f in L.tacit_dualism_markers(text)])
    return out


def test_language_results_are_the_same_without_gates(without_fast_paths):
    _clear_caches()
    fast = _language_results()
    without_fast_paths()
    assert _language_results() == fast


def _cases() -> list[tuple[Client, list[Session], list]]:
    rng = random.Random(5)
    cases = [
        (Client.from_dict(c["client"]), [Session.from_dict(s) for s in c["sessions"]], c["formulation"]) for c in FLAGS_CORPUS
    ]
    for seed in range(6):
        client, sessions = _demo(400 + seed, 40)
        cases.append((client, sessions, []))
        mixed = []
        for s in sessions:
            data = s.to_dict()
            for key in TEXT_FIELDS:
                if data.get(key):
                    data[key] = _shuffled(data[key], rng)
            mixed.append(Session.from_dict(data))
        cases.append((client, mixed, []))
    return cases


def _flag_results(cases) -> list:
    return [[f.to_dict() for f in F.detect(client, sessions, formulation)] for client, sessions, formulation in cases]


def test_flags_are_the_same_without_fast_paths(without_fast_paths):
    cases = _cases()
    _clear_caches()
    fast = _flag_results(cases)
    assert any(fast)
    without_fast_paths()
    assert _flag_results(cases) == fast


def test_positive_signs_are_the_same_without_fast_paths(without_fast_paths):
    sessions = [s for _client, ss, _f in _cases() for s in ss]
    _clear_caches()
    fast = [e.to_dict() for e in F.positive_signs(sessions)]
    without_fast_paths()
    assert [e.to_dict() for e in F.positive_signs(sessions)] == fast


# ---------------------------------------------------------------------------------------------
# The pieces, against the plain algorithms they replace
# ---------------------------------------------------------------------------------------------


def _plain_tokens(text: str) -> tuple[str, ...]:
    low = text.lower().replace("\u2019", "'").replace("\u2018", "'").translate(mt._TOKEN_TABLE)
    return tuple(low.replace("\x01", " . ").split())


def test_tokens_match_the_plain_tokeniser():
    rng = random.Random(1)
    alphabet = list("abc XYZ09.,;:!?\n\"()[]{}<>*_#~`/\\+=|%$@^\t-'&\x01") + ["é", "’", "‘", "“", "£"]
    samples = TEXTS + ["".join(rng.choice(alphabet) for _ in range(rng.randrange(30))) for _ in range(3000)]
    for text in samples:
        assert mt.tokens(text) == _plain_tokens(text), repr(text)


def _plain_scan(vocab: mt.TokenVocab, toks: tuple[str, ...]) -> list[tuple[int, int, str]]:
    """TokenVocab.scan as first written: every token position, every length."""
    out = []
    i, n = 0, len(toks)
    while i < n:
        word = toks[i]
        longest = vocab._longest.get(word)
        if longest is None and "'" in word:
            word = word.split("'", 1)[0]
            longest = vocab._longest.get(word)
        if longest is None:
            i += 1
            continue
        found = 0
        for k in range(min(longest, n - i), 1, -1):
            last = toks[i + k - 1]
            head = " ".join(toks[i : i + k - 1])
            candidate = head + " " + last
            if candidate not in vocab.phrases and "'" in last:
                candidate = head + " " + last.split("'", 1)[0]
            if candidate in vocab.phrases:
                found = k
                out.append((i, k, candidate))
                break
        if not found and word in vocab.phrases:
            found = 1
            out.append((i, 1, word))
        i += found or 1
    return out


def test_vocabulary_scan_matches_the_plain_scan():
    vocab = body_talk.vocabulary()
    rng = random.Random(2)
    words = sorted({w for p in vocab.phrases for w in p.split()})
    extra = ["not", "no", "mother's", "it's", "and", ".", "x", "body's", "tests'", "didn't", "rather", "than", "of"]
    phrases = [p.split() for p in vocab.phrases if " " in p]
    for _ in range(5000):
        toks = [rng.choice(words + extra) for _ in range(rng.randrange(14))]
        if rng.random() < 0.5:
            phrase = list(rng.choice(phrases))
            if rng.random() < 0.3:
                phrase[-1] += "'s"
            pos = rng.randrange(len(toks) + 1)
            toks[pos:pos] = phrase
        assert vocab.scan(tuple(toks)) == _plain_scan(vocab, tuple(toks)), toks
    for text in TEXTS:
        toks = mt.tokens(text)
        assert vocab.scan(toks) == _plain_scan(vocab, toks)


def test_first_person_search_matches_finditer():
    phrases = process.NEGATIVE_FIRST_PERSON
    rx = phrases.parts[0][2].compiled
    tail, reach = phrases._tails[0]
    fast = TailAnchored(rx, tail.compiled, reach)
    rng = random.Random(3)
    words = [
        "i",
        "me",
        "myself",
        "in",
        "felt",
        "feeling",
        "was",
        "i've",
        "i'm",
        ".",
        ";",
        "\n",
        "and",
        "she",
        "the",
        "bored",
        "stuck",
        "numb",
        "fed",
        "up",
        "heart-sink",
        "hopeless",
        "x" * 40,
        "session",
        "notes",
    ]
    samples = [t.lower() for t in TEXTS]
    for _ in range(4000):
        text = " ".join(rng.choice(words) for _ in range(rng.randrange(60)))
        samples.append(("feeling " if rng.random() < 0.2 else "") + text)
    for low in samples:
        assert [m.span() for m in fast.finditer(low)] == [m.span() for m in rx.finditer(low)], low


def test_negation_precheck_matches_the_regex():
    rng = random.Random(4)
    words = [
        "not",
        "No",
        "NEVER",
        "isn't",
        "without",
        "avoided",
        "Declined",
        "rather",
        "than",
        "instead",
        "of",
        "less",
        "little",
        "fewer",
        "unlike",
        "could",
        "name",
        "hard",
        "to",
        "nor",
        "but",
        "and",
        ",",
        ".",
        ";",
        "talk",
        "feelings",
        "family",
        "know",
        "now",
        "another",
    ]
    for _ in range(20000):
        text = " ".join(rng.choice(words) for _ in range(rng.randrange(1, 14)))
        start = rng.randrange(len(text) + 1)
        window = text[max(0, start - 50) : start]
        last = None
        for last in negation.CLAUSE_BREAK.finditer(window):  # noqa: B007
            pass
        if last is not None:
            window = window[last.end() :]
        assert negation.negated(text, start) == bool(negation.NEGATION_BEFORE.search(window)), (text, start)


# ---------------------------------------------------------------------------------------------
# The results cache follows the data
# ---------------------------------------------------------------------------------------------


def test_results_cache_sees_every_change():
    client, sessions = _demo(77, 8)
    cache = AnalysisCache()
    before = [f.to_dict() for f in F.detect(client, sessions, cache=cache)]
    assert len(cache.flags) == 1
    assert [f.to_dict() for f in F.detect(client, sessions, cache=cache)] == before
    sessions[3].plan = "Review next week; I fear she may be beyond help."
    after = F.detect(client, sessions, cache=cache)
    assert "untreatable-label" in {f.kind for f in after}
    sessions[3].plan = ""
    assert [f.to_dict() for f in F.detect(client, sessions, cache=cache)] == before
    sessions[5].extra["rupture"] = True  # fields not on the model are read from ``extra``
    sessions[5].rupture = None
    F.detect(client, sessions, cache=cache)  # keyed by extra too: no stale result, no error


def test_sessions_as_plain_mappings_are_read_like_models():
    client, sessions = _demo(78, 10)
    as_dicts = []
    for s in sessions:
        data = s.to_dict()
        data["attendance"] = getattr(s.attendance, "value", s.attendance)
        as_dicts.append(data)
    expected = [f.to_dict() for f in F.detect(client, sessions)]
    assert [f.to_dict() for f in F.detect(client, as_dicts)] == expected
