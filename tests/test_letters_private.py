"""Private text stays out of letters even after small edits, and is named by where it came from."""

from __future__ import annotations

import datetime as dt

import pytest
from test_exports import PRIVATE_NOTE, make_client

from sessionnotes import services
from sessionnotes.export.letter import private_leaks
from sessionnotes.export.overlap import Target, found_in
from sessionnotes.vault.repository import RecordError, Repository


class Clock:
    def __call__(self) -> dt.datetime:
        return dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)


@pytest.fixture
def repo(vault):
    return Repository(vault, clock=Clock())


SOURCE = "I noticed a strong urge to rescue her when she described the long nights alone with the pain."


@pytest.mark.parametrize(
    "letter",
    [
        SOURCE,
        "i noticed a STRONG urge, to rescue her -- when she described the long nights alone with the pain",
        "We noticed a strong wish to rescue you when you described the long nights alone with the pain.",
        "Thank you for coming. I noticed a strong urge to rescue her when she described long nights on her own.",
    ],
)
def test_edited_copies_are_still_found(letter):
    assert found_in(Target(letter), SOURCE) is not None


@pytest.mark.parametrize(
    "letter",
    [
        "Thank you for meeting with me. We talked about how the pain affects your sleep and your walks.",
        "The long nights are hard.",
    ],
)
def test_unrelated_text_is_not_found(letter):
    assert found_in(Target(letter), SOURCE) is None


def test_a_changed_verb_and_pronoun_do_not_hide_a_private_sentence():
    source = "I found myself wanting to rescue him from the whole medical system today."
    assert found_in(Target("I find myself wanting to rescue you from the whole medical system."), source)


PRIVATE_HUNCH = (
    "I wonder privately whether her aching legs keep her close to her daughter, who otherwise would move away to Leeds."
)


@pytest.mark.parametrize(
    "letter",
    [
        # turned from a note about her into a letter to her: person, agreement and a word or two changed
        "I do wonder if your aching legs keep you close to your daughter, who might otherwise move away to Leeds.",
        "Perhaps your aching legs keep you close to your daughter; otherwise she would move away to Leeds.",
        "She wonders whether her aching leg keeps her close to the daughter who would otherwise move away to Leeds.",
    ],
)
def test_a_private_sentence_turned_into_the_second_person_is_still_found(letter):
    match = found_in(Target(letter), PRIVATE_HUNCH)
    assert match is not None and match.source.startswith("I wonder privately")  # named as written


@pytest.mark.parametrize(
    "letter",
    [
        "You told me about the pain in your legs and your sleep.",  # common words in the same order are not copying
        "Your daughter lives nearby and you see her most weeks.",
    ],
)
def test_pronouns_and_common_words_alone_are_not_evidence(letter):
    assert found_in(Target(letter), "She told me about her pain and how it affects her. Her daughter visits.") is None
    assert found_in(Target(letter), PRIVATE_HUNCH) is None


def _private_session_note(repo, cid):
    return next(s for s in repo.list_sessions(cid) if s.private_note).date


def test_private_note_edited_slightly_blocks_every_step_and_names_its_session(repo):
    cid = make_client(repo)
    letter = services.draft_letter(repo, cid, signed_by="Dr A. Example, Clinical Psychologist")
    edited = PRIVATE_NOTE.replace("I felt pulled", "i FELT pulled,").replace("her", "you") + " today"
    letter, found = services.save_letter_text(repo, cid, letter.id, letter.body + "\n" + edited + "\n")
    day = _private_session_note(repo, cid).isoformat()
    assert found and day in found[0]
    assert repo.get_letter(cid, letter.id).body.endswith(edited + "\n")  # the therapist's text is kept
    with pytest.raises(RecordError, match=day):
        services.advance_letter(repo, cid, letter.id, "shown", dt.date(2026, 3, 11))
    assert repo.get_letter(cid, letter.id).status == "draft"


def test_private_formulation_item_is_named_and_found_after_rewording(repo):
    cid = make_client(repo)
    items = repo.list_formulation(cid)
    private = next(i for i in items if i.current.layer == "L5")
    text = private.current.text
    leaks = private_leaks(f"Dear Marigold,\n\n{text.upper()}!\n", items, repo.list_sessions(cid))
    assert leaks and "Deep / developmental" in leaks[0]
    shared = next(i for i in items if i.current.layer == "L1")
    assert private_leaks(shared.current.text, items, repo.list_sessions(cid)) == []
