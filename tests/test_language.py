"""The clinical language checker (analysis/language/) against a labelled fictional corpus.

``tests/fixtures/language_corpus.json`` holds fictional letter, shared-formulation and private
sentences, each with the findings a clinician would expect (category + the words that should be
caught). Sentences with no expectations must produce no finding that is the clinician's own claim;
quoted or reported speech must be reported only as ``quoted`` (low severity). The suite prints
precision and recall per category and fails below 0.9 on either.
"""

from __future__ import annotations

import gc
import json
import re
import time
import uuid
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sessionnotes import analysis
from sessionnotes.analysis import language as L
from sessionnotes.analysis.cache import AnalysisCache
from sessionnotes.analysis.language import CATEGORIES, Finding, check, tacit_dualism_markers, untreatable_labels
from sessionnotes.analysis.text import matching as mt

CORPUS = json.loads((Path(__file__).parent / "fixtures" / "language_corpus.json").read_text(encoding="utf-8"))
CITATION = re.compile(
    r"\((?:[^()]*; )?(?:Balabanovic 2017|Wortman et al\. 2022|Scope et al\. 2021|Jackson 2023|"
    r"Joint Commissioning Panel for Mental Health 2017)\b"
)


def _span(text: str, phrase: str) -> tuple[int, int]:
    start = text.find(phrase)
    assert start >= 0, f"corpus error: {phrase!r} not in {text!r}"
    return start, start + len(phrase)


def _score(case: dict, findings: list[Finding]) -> tuple[Counter, Counter, Counter, list[str]]:
    """True positives, false positives and false negatives per category for one case."""
    tp, fp, fn = Counter(), Counter(), Counter()
    problems: list[str] = []
    text = case["text"]
    own = [f for f in findings if not f.quoted]
    used: set[int] = set()
    for expected in case["expect"]:
        start, end = _span(text, expected["match"])
        hit = next(
            (
                k
                for k, f in enumerate(own)
                if k not in used and f.category == expected["category"] and f.start < end and start < f.end
            ),
            None,
        )
        if hit is None:
            fn[expected["category"]] += 1
            problems.append(f"missed {expected['category']}: {expected['match']!r}")
        else:
            used.add(hit)
            tp[expected["category"]] += 1
    for k, f in enumerate(own):
        if k not in used:
            fp[f.category] += 1
            problems.append(f"unexpected {f.category}: {f.matched!r} ({f.rule})")
    for expected in case["quoted"]:
        start, end = _span(text, expected["match"])
        if not any(f.quoted and f.category == expected["category"] and f.start < end and start < f.end for f in findings):
            problems.append(f"quoted {expected['category']} not reported as quoted: {expected['match']!r}")
    return tp, fp, fn, problems


@pytest.mark.parametrize("case", CORPUS, ids=[c["id"] for c in CORPUS])
def test_corpus_case(case):
    findings = check(case["text"], case["context"], preferred_term=case["preferred_term"])
    _, _, _, problems = _score(case, findings)
    assert not problems, f"{case['text']!r}: " + "; ".join(problems)


def test_corpus_precision_and_recall_per_category():
    tp, fp, fn = Counter(), Counter(), Counter()
    for case in CORPUS:
        a, b, c, _ = _score(case, check(case["text"], case["context"], preferred_term=case["preferred_term"]))
        tp += a
        fp += b
        fn += c
    lines = [f"{'category':24s} precision recall  (tp/fp/fn)"]
    failing = []
    for category in CATEGORIES:
        t, p, n = tp[category], fp[category], fn[category]
        precision = t / (t + p) if t + p else 1.0
        recall = t / (t + n) if t + n else 1.0
        lines.append(f"{category:24s} {precision:9.2f} {recall:6.2f}  ({t}/{p}/{n})")
        if precision < 0.9 or recall < 0.9:
            failing.append(category)
        assert t + n > 0, f"the corpus has no positive example of {category!r}"
    print("\n" + "\n".join(lines))
    assert not failing, "below 0.9:\n" + "\n".join(lines)


def test_corpus_size_and_shape():
    assert len(CORPUS) >= 60
    clean = [c for c in CORPUS if not c["expect"] and not c["quoted"]]
    quoted = [c for c in CORPUS if c["quoted"]]
    assert len(clean) >= 20 and len(quoted) >= 10
    assert {c["context"] for c in CORPUS} == {"letter", "shared", "private"}


# --------------------------------------------------------------------------------------------
# Behaviour the issue names explicitly
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "It may be that stress plays a part.",
        "Possibly, the headaches are connected with stress at work.",
        "One way of understanding this is that the pain is made worse by worry.",
        "I wonder whether her fatigue might be linked to grief.",
        "Perhaps his symptoms are partly caused by anxiety.",
    ],
)
def test_hedged_statements_do_not_fire_the_certainty_rule(text):
    assert [f for f in check(text) if f.category == L.CERTAINTY] == []


@pytest.mark.parametrize(
    "text, phrase",
    [
        ("Her pain is clearly caused by stress.", "caused by stress"),
        ("His chest pain is psychological in origin.", "psychological in origin"),
        ("The seizures are definitely due to repressed anger.", "due to repressed anger"),
        ("Stress is causing his headaches.", "causing his headaches"),
    ],
)
def test_unhedged_causes_fire_the_certainty_rule(text, phrase):
    found = [f for f in check(text) if f.category == L.CERTAINTY]
    assert found and phrase in text[found[0].start : found[0].end]


def test_patient_quote_is_reported_lower_and_marked_quoted():
    text = "She worried we would think it was all in her mind."
    (finding,) = check(text)
    assert finding.quoted and finding.severity == "low" and finding.category == L.DUALISTIC
    own = check("It was all in her mind.")
    assert own[0].severity == "high" and not own[0].quoted


def test_text_in_quotation_marks_is_quoted():
    text = 'He described the doctors as thinking he was "a hypochondriac".'
    assert all(f.quoted for f in check(text))
    assert check(text)


def test_private_context_reports_only_untreatable_and_tacit_dualism():
    text = (
        "Very concrete today, body talk again, secondary gain? No wonder she is depressed. "
        "Non-compliant with the diary. MUS. Part of me thinks it is all in her head, and that she is untreatable."
    )
    found = check(text, "private", preferred_term="persistent physical symptoms")
    rules = {f.rule for f in found}
    assert rules == {"all-in-the-mind", "untreatable"}
    letter = {f.category for f in check(text, "letter", preferred_term="persistent physical symptoms")}
    assert {L.JARGON, L.NORMALISING, L.BLAMING, L.PREFERRED_TERM} <= letter


def test_preferred_term_only_when_given_and_different():
    text = "She was referred with MUS and medically unexplained pain."
    assert [f for f in check(text) if f.category == L.PREFERRED_TERM] == []
    assert [f for f in check(text, preferred_term="MUS") if f.category == L.PREFERRED_TERM] == []
    found = [f for f in check(text, preferred_term="functional symptoms") if f.category == L.PREFERRED_TERM]
    assert [f.matched for f in found] == ["MUS", "medically unexplained pain"]
    assert all("functional symptoms" in f.suggestion and f.replacement == "functional symptoms" for f in found)
    assert L.with_replacement(text, found[0]) == "She was referred with functional symptoms and medically unexplained pain."
    # lower-case "mus" is not the abbreviation
    assert not [f for f in check("The mus musculus study.", preferred_term="PPS") if f.category == L.PREFERRED_TERM]


@pytest.mark.parametrize(
    "phrase, category",
    [
        ("it's all in her mind", L.DUALISTIC),
        ("all in your head", L.DUALISTIC),
        ("psychological in origin", L.CERTAINTY),
        ("is clearly caused by stress", L.CERTAINTY),
        ("somatising", L.STIGMATISING),
        ("hypochondriac", L.STIGMATISING),
        ("heartsink", L.STIGMATISING),
        ("non-compliant", L.BLAMING),
        ("attention seeking", L.STIGMATISING),
        ("nothing wrong with you", L.DUALISTIC),
        ("malingering", L.STIGMATISING),
        ("feigning", L.STIGMATISING),
        ("psychogenic", L.STIGMATISING),
        ("untreatable", L.STIGMATISING),
    ],
)
def test_named_phrases_are_caught(phrase, category):
    text = f"In the notes: the headaches, {phrase}."
    assert category in {f.category for f in check(text)}, text


def test_tests_were_normal_so_needs_a_dismissive_conclusion():
    assert [f.category for f in check("The tests were normal, so there is nothing wrong with her.")] == [L.DUALISTIC]
    assert check("The tests were normal, so we agreed to focus on coping with the pain.") == []


def test_findings_explain_themselves_with_citations_and_suggestions():
    for case in CORPUS:
        for f in check(case["text"], case["context"], preferred_term=case["preferred_term"]):
            assert f.severity in L.SEVERITIES and f.category in CATEGORIES
            assert f.suggestion and f.rule
            if f.category != L.PREFERRED_TERM:
                assert CITATION.search(f.why), f.why
            else:
                assert "Scope et al. 2021" in f.why


def test_spans_index_the_original_text_exactly():
    for case in CORPUS:
        text = case["text"]
        for f in check(text, case["context"], preferred_term=case["preferred_term"]):
            assert text[f.start : f.end] == f.matched


def test_unknown_context_is_refused():
    with pytest.raises(ValueError, match="context"):
        check("text", "email")


def test_empty_text_has_no_findings():
    assert check("") == [] and check("   \n") == [] and untreatable_labels("") == [] and tacit_dualism_markers("") == []


def test_helpers_for_the_flags_engine():
    assert [f.matched for f in untreatable_labels("I think she is untreatable. It's all in her head.")] == ["untreatable"]
    assert [f.rule for f in tacit_dualism_markers("I think she is untreatable. It's all in her head.")] == ["all-in-the-mind"]


def test_finding_to_dict_round_trips_json():
    (finding,) = check("He is a hypochondriac.")
    assert json.loads(json.dumps(finding.to_dict()))["matched"] == "hypochondriac"


def test_anchors_never_change_results():
    """The anchor pre-checks are an optimisation only: with them switched off every corpus text
    gives the same findings."""
    texts = [(c["text"], c["context"], c["preferred_term"]) for c in CORPUS]
    with_anchors = [check(*t[:2], preferred_term=t[2]) for t in texts]
    saved_rules, saved_possible = L.RULES, mt.Phrase.possible
    try:
        L.RULES = tuple(r.__class__(**{**r.__dict__, "anchors": None}) for r in saved_rules)
        mt.Phrase.possible = lambda self, low: True  # type: ignore[method-assign]
        without = [check(*t[:2], preferred_term=t[2]) for t in texts]
    finally:
        L.RULES, mt.Phrase.possible = saved_rules, saved_possible  # type: ignore[method-assign]
    assert with_anchors == without


@given(st.text(max_size=300))
def test_any_text_gives_valid_sorted_spans(text):
    for context in L.CONTEXTS:
        found = check(text, context, preferred_term="PPS")
        assert [f.start for f in found] == sorted(f.start for f in found)
        for f in found:
            assert 0 <= f.start < f.end <= len(text) and text[f.start : f.end] == f.matched


@given(st.lists(st.sampled_from([c["text"] for c in CORPUS]), min_size=1, max_size=6))
def test_sentences_keep_their_findings_inside_a_paragraph(sentences):
    """Joining sentences into a letter finds at least what each sentence had on its own."""
    paragraph = " ".join(sentences)
    found = {(f.category, f.matched) for f in check(paragraph) if not f.quoted}
    for sentence in sentences:
        for f in check(sentence):
            if not f.quoted and f.category != L.CERTAINTY:  # pronoun subjects may pick up context
                assert (f.category, f.matched) in found or any(g[0] == f.category and f.matched in g[1] for g in found)


def test_a_long_letter_is_checked_quickly():
    letter = " ".join(c["text"] for c in CORPUS if c["context"] == "letter")[:4000]
    check(letter)
    started = time.perf_counter()
    check(letter + " ")
    assert time.perf_counter() - started < 0.5


def test_analysis_modules_import_no_ui_library():
    root = Path(analysis.__file__).parent  # all of analysis/, the language package included
    for path in sorted(root.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        assert not re.search(r"^\s*(?:from|import)\s+(?:textual|rich)\b", source, re.MULTILINE), path.name


@pytest.mark.parametrize(
    "text,severity",
    [
        ("It is clearly caused by stress.", "medium"),  # no symptom named: still certain about a psychological cause
        ("This is clearly stress-related.", "medium"),
        ("Her headaches began in May. It is clearly caused by stress.", "high"),  # "it" is the headaches
    ],
)
def test_a_certain_cause_with_a_bare_pronoun_is_still_reported(text, severity):
    found = [f for f in check(text, "letter") if f.category == "certainty about cause"]
    assert [f.severity for f in found] == [severity]


@pytest.mark.parametrize(
    "text",
    ["It is caused by stress at work, she thinks.", "It was clearly caused by the fall.", "It may be that stress plays a part."],
)
def test_a_bare_pronoun_without_certainty_or_psychological_cause_is_left_alone(text):
    assert not [f for f in check(text, "letter") if f.category == "certainty about cause"]


def test_all_in_her_mind_has_a_drop_in_rewording_unless_negated_or_quoted():
    from sessionnotes.analysis.language import with_replacement

    text = "Her symptoms are all in her head."
    (f,) = [f for f in check(text, "letter") if f.category == "dualistic"]
    assert with_replacement(text, f) == "Her symptoms are real, and shaped by body and mind together."
    for kept in ("It is not all in her mind.", "She worried we would think it was all in her mind."):
        assert all(not f.replacement for f in check(kept, "letter"))


def _containers_holding(marker: str) -> int:
    """How many live containers hold a string (or bytes) with ``marker`` in it, looking one level
    into tuples and frozensets (cache keys)."""
    needle = marker.lower()
    needle_bytes = needle.encode("ascii")

    def holds(value: object) -> bool:
        if value is marker:
            return False
        if isinstance(value, str):
            return needle in value.lower()
        if isinstance(value, bytes):
            return needle_bytes in value
        return False

    found = 0
    for obj in gc.get_objects():
        if isinstance(obj, dict):
            items: list[object] = [*obj.keys(), *obj.values()]
        elif isinstance(obj, list | tuple | set | frozenset):
            items = list(obj)
        else:
            items = list(getattr(obj, "__dict__", {}).values())
        for item in items:
            if isinstance(item, tuple | frozenset):
                if any(holds(x) for x in item):
                    found += 1
                    break
            elif holds(item):
                found += 1
                break
    return found


def _check_marked_letter(marker: str, cache: AnalysisCache) -> int:
    letter = f"Dear Dr Shah, {marker} has been a somatiser for years. Her pain is all in her mind. {marker} agrees."
    return len(check(letter, cache=cache)) + len(tacit_dualism_markers(letter, cache=cache))


def test_a_cleared_cache_keeps_no_letter_text():
    """Nothing made of a checked letter outlives ``AnalysisCache.clear()`` (the vault locking)."""
    marker = "Zqv" + uuid.uuid4().hex
    cache = AnalysisCache()
    assert _check_marked_letter(marker, cache) > 0
    gc.collect()
    assert _containers_holding(marker) > 0  # remembered while the vault is unlocked
    cache.clear()
    gc.collect()
    assert _containers_holding(marker) == 0


def test_without_a_cache_nothing_is_remembered():
    marker = "Zqw" + uuid.uuid4().hex
    letter = f"{marker} is a heart-sink patient and a somatiser."
    assert check(letter) == check(letter)
    del letter
    gc.collect()
    assert _containers_holding(marker) == 0


# --------------------------------------------------------------------------------------------
# Structure and scope (issue 15): per-category recall and false alarms, rewordings, lazy loading
# --------------------------------------------------------------------------------------------


def _figures(cases: list[dict]) -> tuple[dict[str, tuple[int, int]], tuple[int, int]]:
    """Per category: (caught, expected) over the cases; and (false alarms, clean cases), a false
    alarm being a medium or high finding of the writer's own on a sentence expected clean."""
    caught: Counter = Counter()
    total: Counter = Counter()
    alarms = clean = 0
    for case in cases:
        findings = [f for f in check(case["text"], case["context"], preferred_term=case["preferred_term"]) if not f.quoted]
        for expected in case["expect"]:
            start, end = _span(case["text"], expected["match"])
            total[expected["category"]] += 1
            if any(f.category == expected["category"] and f.start < end and start < f.end for f in findings):
                caught[expected["category"]] += 1
        if not case["expect"]:
            clean += 1
            alarms += any(f.severity in ("medium", "high") for f in findings)
    return {c: (caught[c], total[c]) for c in total}, (alarms, clean)


def test_corpus_recall_and_false_alarms_per_category():
    per_category, (alarms, clean) = _figures(CORPUS)
    lines = [f"{c:24s} recall {h:3d}/{t:<3d} {h / t:6.1%}" for c, (h, t) in sorted(per_category.items())]
    lines.append(f"{'clean sentences':24s} medium/high false alarms {alarms}/{clean} {alarms / clean:6.1%}")
    print("\n" + "\n".join(lines))
    assert clean >= len(CORPUS) * 0.45 and len(CORPUS) >= 300
    assert all(h / t >= 0.95 for h, t in per_category.values()), "\n".join(lines)
    assert alarms / clean <= 0.03, "\n".join(lines)


def _blind(name: str) -> list[tuple[str, str]]:
    rows = []
    for line in (Path(__file__).parent / "fixtures" / name).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            label, sentence = line.split("\t", 1)
            rows.append((label, sentence))
    return rows


@pytest.mark.parametrize("name", ["language_blind_2.txt", "language_blind_3.txt", "language_blind_4.txt"])
def test_held_out_set_in_letter_context(name):
    """Blind sets in letter context: at least 90% of harmful sentences caught, at most 5% medium/high
    false alarms. Set 3 is the held-out one (measured once, never tuned on); set 2 was measured
    fresh once (93% / 5%) and then used to improve the mechanism, so it is a regression check; set 4 too
    (written from outside, 92% / 0% at first measure)."""
    before = "Dear Dr Notreal, thank you for referring Wren Notreal. "
    harmful = caught = clean = alarms = 0
    for label, sentence in _blind(name):
        text = before + sentence + " Yours sincerely, Ash Fakename."
        lo, hi = len(before), len(before) + len(sentence)
        own = [f for f in check(text) if not f.quoted and f.start < hi and f.end > lo]
        if label == "clean":
            clean += 1
            alarms += any(f.severity in ("medium", "high") for f in own)
        else:
            harmful += 1
            caught += bool(own)
    print(f"\n{name}: caught {caught}/{harmful}, false alarms {alarms}/{clean}")
    assert caught / harmful >= 0.9 and alarms / clean <= 0.05


@pytest.mark.parametrize(
    "text",
    [
        "Nobody is suggesting that your symptoms are imagined.",
        "I do not think it would be right to call his condition untreatable.",
        "We are not assuming that stress is the cause of her pain.",
        "It is not the case that her symptoms are psychological in origin.",
        "Nobody doubts that your seizures are real.",
    ],
)
def test_negation_in_clause_scope_silences_the_claim(text):
    assert not [f for f in check(text) if f.severity != "low"]


@pytest.mark.parametrize(
    ("text", "category"),
    [
        ("I doubt that her seizures are genuine.", L.DUALISTIC),
        ("She did not sleep, and her pain is clearly caused by stress.", L.CERTAINTY),
        ("There is no doubt that his tinnitus is driven by worry.", L.CERTAINTY),
        ("Several somatisers attend the clinic.", L.STIGMATISING),
        ("Several somatizers attend the clinic.", L.STIGMATISING),
        ("He has refused to attend physiotherapy.", L.BLAMING),
        ("You have to accept that this is long-term.", L.COERCIVE),
    ],
)
def test_a_negation_outside_the_scope_or_a_pseudo_negation_leaves_the_claim(text, category):
    assert any(f.category == category and f.severity != "low" for f in check(text))


def test_a_certain_cause_gets_grammatical_rewordings_that_keep_the_possessive():
    text = "Her migraines were shown to be caused by her unresolved grief."
    (f,) = [f for f in check(text) if f.category == L.CERTAINTY]
    assert f.replacement == "may be partly connected with her unresolved grief"
    assert len(f.alternatives) >= 2 and all("her unresolved grief" in a for a in f.alternatives)
    assert L.with_replacement(text, f) == "Her migraines may be partly connected with her unresolved grief."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("He refuses to engage with the group.", "He finds it hard to engage with the group."),
        ("She failed to comply with the plan.", "She found it hard to comply with the plan."),
        ("You need to accept that there is no cure.", "You may find it helpful to consider that there is no cure."),
    ],
)
def test_blame_and_coercion_rewordings_keep_tense_and_meaning(text, expected):
    (f,) = [f for f in check(text) if f.replacement]
    assert L.with_replacement(text, f) == expected


def test_a_label_has_no_drop_in_and_says_so_about_the_words_used():
    (f,) = check("She presented as a histrionic woman.")
    assert f.replacement == "" and "histrionic" in f.suggestion and "No safe drop-in" in f.suggestion


def test_check_language_json_carries_the_replacement(tmp_path, capsys):
    from sessionnotes.cli import main

    letter = tmp_path / "letter.txt"
    letter.write_text("His pain is clearly caused by her stressful marriage.", encoding="utf-8")
    main(["check-language", str(letter), "--json"])
    finding = json.loads(capsys.readouterr().out)["findings"][0]
    assert finding["replacement"] == "may be partly connected with her stressful marriage"
    assert finding["alternatives"]


def test_the_app_starts_without_loading_the_lemmatiser():
    import subprocess
    import sys

    code = "import sys, sessionnotes.tui.app; print(sorted(m for m in ('lemminflect', 'spacy', 'numpy') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.mark.parametrize(
    ("text", "drop_in"),
    [
        ("Grief is the root cause of his chest pain.", "Grief may be playing a part in his chest pain"),
        ("Stress is clearly the main driver of your bowel symptoms.", "Stress may be playing a part in your bowel symptoms"),
    ],
)
def test_a_cause_named_as_a_noun_is_reworded_grammatically(text, drop_in):
    (finding,) = [f for f in check(text) if f.category == L.CERTAINTY]
    assert finding.replacement and text.replace(finding.matched, finding.replacement).startswith(drop_in)
    assert " of " not in finding.replacement
