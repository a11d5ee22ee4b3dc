"""The text facts kept in the vault: the same flags with or without them, never a stale one.

What the detectors read from each text (:mod:`sessionnotes.analysis.textfacts`) is kept under a
keyed hash of the text and written to the vault encrypted (``analysis-facts.snv``), so the flags
after the next unlock are combined from stored facts. These tests hold the promises: the flags are
identical with and without the stored facts; a changed note, or a changed analysis version, never
reuses a fact; a damaged or missing file is worked out again without a word; the file is
encrypted; and nothing of it is left in memory after lock or in the file after an erasure.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest
from conftest import open_vault

from sessionnotes import demo, services
from sessionnotes.analysis import textfacts
from sessionnotes.analysis.cache import AnalysisCache
from sessionnotes.analysis.flags import body_talk
from sessionnotes.analysis.textfacts import FactStore, text_fact
from sessionnotes.vault.repository import Repository

FACTS_FILE = "analysis-facts.snv"


@pytest.fixture
def demo_vault(vault):
    demo.generate(vault, clients=4, sessions=90, seed=5)
    path = vault.path
    vault.close()
    return path


def _all_flags(repo: Repository, cache: AnalysisCache | None) -> dict[str, list]:
    return {row.id: services.flags_for(repo, row.id, cache=cache) for row in repo.list_clients(include_discharged=True)}


def _count_estimates(monkeypatch) -> list[str]:
    calls: list[str] = []
    real = body_talk._estimate
    monkeypatch.setattr(body_talk, "_estimate", lambda text: calls.append(text) or real(text))
    return calls


def test_flags_are_identical_with_and_without_the_stored_facts(demo_vault, monkeypatch):
    repo = Repository(open_vault(demo_vault))
    plain = _all_flags(repo, None)
    assert any(plain.values())  # the demo caseload has flags to compare
    services.caseload_flag_kinds(repo, cache=AnalysisCache())  # works the facts out and stores them
    repo.vault.close()
    assert (demo_vault / FACTS_FILE).exists()

    repo = Repository(open_vault(demo_vault))
    calls = _count_estimates(monkeypatch)
    assert _all_flags(repo, AnalysisCache()) == plain
    assert calls == []  # every note's body-talk estimate came from the vault, none was worked out again
    repo.vault.close()


def test_a_changed_note_is_read_again_and_never_gets_the_old_facts(demo_vault, monkeypatch):
    repo = Repository(open_vault(demo_vault))
    services.caseload_flag_kinds(repo, cache=AnalysisCache())
    cid = repo.list_clients()[0].id
    session = repo.list_sessions(cid)[-1]
    changed = "I felt bored and hopeless again today. Her pain is clearly caused by stress and nothing else."
    repo.update_session(cid, dataclasses.replace(session, note=changed, private_note=changed))
    repo.vault.close()

    repo = Repository(open_vault(demo_vault))
    calls = _count_estimates(monkeypatch)
    cache = AnalysisCache()
    with_facts = services.flags_for(repo, cid, cache=cache)
    assert calls and all(text.startswith(changed) for text in calls)  # only the changed note was read again
    assert with_facts == services.flags_for(repo, cid)
    repo.vault.close()


def test_text_facts_are_keyed_by_the_whole_text():
    store = FactStore()
    seen: list[str] = []

    def words(text: str) -> list[str]:
        return text_fact(store, "words", text, lambda: seen.append(text) or text.split())

    assert words("her pain at night") == ["her", "pain", "at", "night"]
    assert words("her pain at night") == ["her", "pain", "at", "night"]
    assert words("her pain at night.") == ["her", "pain", "at", "night."]
    assert seen == ["her pain at night", "her pain at night."]
    assert text_fact(None, "words", "no store", lambda: "computed") == "computed"


def test_a_note_and_its_themes_are_keyed_together_and_by_both_texts():
    # the body-talk estimate reads a session's note and themes as one text; its facts are found by
    # the two texts (without hashing the joined text), so a change to either is a new entry
    store = FactStore()
    both = store.joined_entry("Pain all week, another scan.", "health; work")
    both["estimate"] = 1
    assert store.joined_entry("Pain all week, another scan.", "health; work") is both
    assert store.joined_entry("Pain all week, another scan.", "health; family") is not both
    assert store.joined_entry("Pain all week, another scan!", "health; work") is not both
    assert store.joined_entry("Pain all week, another scan.", "") is store.entry("Pain all week, another scan.")
    assert store.joined_entry("", "health; work") is store.entry("health; work")
    assert store.entry("Pain all week, another scan.\nhealth; work") is not both  # not the plain hash of the joined text


def test_changed_themes_give_a_new_body_talk_estimate(demo_vault, monkeypatch):
    repo = Repository(open_vault(demo_vault))
    services.caseload_flag_kinds(repo, cache=AnalysisCache())
    cid = repo.list_clients()[0].id
    session = next(s for s in reversed(repo.list_sessions(cid)) if s.note)
    repo.update_session(cid, dataclasses.replace(session, themes=["fictional theme of pain, scans and tests"]))
    repo.vault.close()

    repo = Repository(open_vault(demo_vault))
    plain = services.flags_for(repo, cid)
    calls = _count_estimates(monkeypatch)
    assert services.flags_for(repo, cid, cache=AnalysisCache()) == plain
    assert len(calls) == 1 and calls[0].endswith("\nfictional theme of pain, scans and tests")  # only that session read again
    repo.vault.close()


def test_facts_of_another_analysis_version_are_not_used(demo_vault, monkeypatch):
    repo = Repository(open_vault(demo_vault))
    services.caseload_flag_kinds(repo, cache=AnalysisCache())
    repo.vault.close()

    monkeypatch.setattr(textfacts, "_VERSION", ["999:the rules changed"])
    repo = Repository(open_vault(demo_vault))
    cache = AnalysisCache()
    services.load_facts(repo, cache)
    assert len(cache.facts) == 0  # the whole file is set aside
    calls = _count_estimates(monkeypatch)
    assert _all_flags(repo, cache) == _all_flags(repo, None)
    assert calls  # worked out again under the new version
    repo.vault.close()


@pytest.mark.parametrize("damage", ["missing", "garbage", "truncated"])
def test_a_missing_or_damaged_facts_file_is_worked_out_again_silently(demo_vault, damage):
    repo = Repository(open_vault(demo_vault))
    plain = _all_flags(repo, None)
    services.caseload_flag_kinds(repo, cache=AnalysisCache())
    repo.vault.close()
    stored = demo_vault / FACTS_FILE
    if damage == "missing":
        stored.unlink()
    elif damage == "garbage":
        stored.write_bytes(b"not a facts file at all")
    else:
        stored.write_bytes(stored.read_bytes()[:-40])

    repo = Repository(open_vault(demo_vault))
    cache = AnalysisCache()
    assert services.caseload_flag_kinds(repo, cache=cache) == {
        cid: {f.kind for f in flags if not f.dismissed} for cid, flags in plain.items()
    }
    assert _all_flags(repo, cache) == plain
    repo.vault.close()
    repo = Repository(open_vault(demo_vault))  # and written afresh, readable again
    fresh = AnalysisCache()
    services.load_facts(repo, fresh)
    assert len(fresh.facts) > 0
    repo.vault.close()


def test_the_facts_file_is_encrypted(demo_vault):
    repo = Repository(open_vault(demo_vault))
    services.caseload_flag_kinds(repo, cache=AnalysisCache())
    notes = [s.note for row in repo.list_clients() for s in repo.list_sessions(row.id) if s.note]
    repo.vault.close()
    data = (demo_vault / FACTS_FILE).read_bytes()
    note_words = {w for note in notes for w in re.findall(r"[A-Za-z]{6,}", note)}
    assert len(note_words) > 50
    assert not [w for w in note_words if w.encode() in data]


def test_nothing_of_the_facts_is_left_after_lock(demo_vault):
    repo = Repository(open_vault(demo_vault))
    cache = AnalysisCache()
    services.caseload_flag_kinds(repo, cache=cache)
    note = repo.list_sessions(repo.list_clients()[0].id)[0].note
    assert len(cache.facts) > 0 and cache.facts.entry(note)
    cache.clear()  # what the app does when the vault locks
    assert len(cache.facts) == 0 and cache.facts.bound_to is None and not cache.facts.changed
    assert cache.facts.entry(note) == {}  # under a new key, nothing known
    assert not services.save_facts(repo, cache)  # a late write after lock writes nothing
    repo.vault.close()


def test_an_erasure_drops_the_stored_facts_and_they_are_not_written_back(demo_vault):
    repo = Repository(open_vault(demo_vault))
    cache = AnalysisCache()
    services.caseload_flag_kinds(repo, cache=cache)
    assert (demo_vault / FACTS_FILE).exists()
    gone, kept = [row.id for row in repo.list_clients()][:2]
    erased_notes = [s.note for s in repo.list_sessions(gone) if s.note]
    repo.erase_client(gone, dt.date(2026, 6, 1), reason="Fictional erasure request")
    assert not (demo_vault / FACTS_FILE).exists()
    assert not services.save_facts(repo, cache)  # the facts held in memory belong to the dropped file
    services.flags_for(repo, kept, cache=cache)  # the store starts again from the vault as it is now
    assert all(cache.facts.entry(note) == {} for note in erased_notes)
    repo.vault.close()
