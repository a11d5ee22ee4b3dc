"""Fictional session-note prose for the demo vault, at the length therapists really write.

A note is built from paragraphs (symptom talk, the medical journey, feelings, daily life, links
between body and mood, the therapist's reflections, the plan), each made of sentences drawn from
the tables below with their slots filled (symptom, relative, activity, place, time). Lengths follow
a realistic spread: most notes 300-900 words, a few short ones, none empty (an empty note is for a
session that did not take place). Everything is invented; deterministic for a given random source.
"""

from __future__ import annotations

import random

RELATIVES = ["mother", "father", "sister", "brother", "partner", "son", "daughter", "grandmother", "aunt", "neighbour"]
ACTIVITIES = [
    "walking the dog",
    "gardening",
    "swimming",
    "cooking for the family",
    "the choir",
    "cycling to work",
    "reading in the evenings",
    "the allotment",
    "playing with the grandchildren",
    "a short walk to the shop",
    "yoga",
    "driving",
]
PLACES = ["the park", "the supermarket", "work", "the school gate", "church", "the bus", "the surgery", "a friend's house"]
WHEN = [
    "on Monday",
    "over the weekend",
    "last Thursday",
    "in the mornings",
    "most evenings",
    "after the last session",
    "at night",
    "since the holiday",
    "during the week",
]
BODY_PARTS = ["neck", "shoulders", "lower back", "stomach", "chest", "legs", "hands", "head", "jaw", "hips"]
FEEL_WORDS = ["frustrated", "low", "anxious", "tired", "hopeful", "ashamed", "irritable", "flat", "relieved", "scared"]

OPENINGS = [
    "{P} arrived on time and sat down heavily, saying the week had been hard.",
    "{P} came in a few minutes late, apologising, and said the bus had been cancelled.",
    "We began by looking back at what we had agreed last time.",
    "{P} started by saying {p} had almost cancelled because the {s} was bad {w}.",
    "{P} looked brighter today and said {p} had managed more than expected.",
    "The session opened with {o} asking whether I had read the letter from the hospital.",
    "{P} said straight away that nothing had changed and {p} was not sure this was helping.",
    "We checked in about the week; {p} rated the {s} as six out of ten on average.",
]
SYMPTOM = [
    "{P} described the {s} in detail: where it starts, how it spreads to the {b}, and what eases it.",
    "The {s} was worse {w}, and {p} spent most of one day lying down.",
    "{P} said the pain in the {b} comes and goes without warning, which makes planning anything difficult.",
    "{P} noticed the {s} flared after {act}, and then {p} rested for two days.",
    "{P} kept a diary of the {s} this week and brought it to show me.",
    "The pain had kept {o} awake, and {p} was exhausted and foggy in the session.",
    "{P} worried that the {s} is a sign of something serious that has been missed.",
    "{P} compared the {s} to a tight band around the {b} that never fully lets go.",
    "{P} said {p} could walk for about ten minutes before needing to stop and sit.",
    "Walking to {place} had been impossible {w} because of the {s}.",
    "{P} had tried heat packs, stretching and painkillers for the {s}, with little change.",
    "The {s} seemed to settle when {p} was busy and to return as soon as {p} sat still.",
]
MEDICAL = [
    "Much of the session was about the next scan and the results of the last blood tests.",
    "{P} listed the medications tried so far and the side effects of each.",
    "{P} wondered if the consultant had missed something, and wanted a second opinion.",
    "We went through the appointments with neurology and gastroenterology that are coming up.",
    "{P} had seen the GP again {w}; the GP suggested waiting for the clinic letter.",
    "{P} felt the physiotherapist understood the pain better than anyone so far.",
    "The hospital had cancelled the appointment twice, and {p} felt forgotten by the system.",
    "{P} read about the {s} online late at night and found stories that frightened {o}.",
    "{P} said each normal test result is a relief for a day and then the worry comes back.",
    "{P} asked whether I thought the pain was real; we talked about how real it is for {o}.",
]
FEELINGS = [
    "{P} became tearful talking about missing {q} {r}'s birthday party.",
    "{P} said {p} feels angry that nobody believes {o}, and then quieter, lonely.",
    "We noticed together that the {s} seemed worse in the week of the anniversary.",
    "{P} wondered whether worry might make the {s} harder to bear.",
    "{P} talked about {q} {r}'s illness and how frightening it was as a child.",
    "We talked about what {p} has lost: work, walks with friends, feeling useful.",
    "{P} described feeling {f} most of the week and not knowing why.",
    "When I asked how that felt, {p} said {p} did not know, only that the {b} tightened.",
    "{P} said being a burden to {q} {r} is the hardest part of being unwell.",
    "There was a long silence after {p} spoke about {q} {r}, and then {p} changed the subject.",
    "{P} said {p} has always been the one who copes, and does not like asking for help.",
    "{P} laughed when describing the week, though what {p} described sounded painful.",
]
LIFE = [
    "{P} used to enjoy {act} and has not done it for months.",
    "{P} went to {place} {w} for the first time in a while and managed half an hour.",
    "Things at home are tense; {q} {r} does most of the housework now and {p} feels guilty.",
    "{P} is on reduced hours at work and worries about the review meeting.",
    "{P} has been sleeping badly, waking at three and lying awake going over the day.",
    "{P} saw a friend {w} and said it was the first evening {p} had forgotten the {s}.",
    "Money is a worry since {p} stopped working full time.",
    "{P} has started {act} again for ten minutes a day, as we had planned.",
    "{P} described a typical day: a slow morning, a push to get things done, then exhaustion.",
    "{P} said the dog gets {o} out of the house even on bad days, which helps.",
]
LINKS = [
    "We looked at the pattern of doing too much on good days and paying for it afterwards.",
    "We drew the cycle together: pain, worry, resting, less activity, more stiffness, more pain.",
    "I wondered aloud whether stress at work and the {s} might rise and fall together; {p} was unsure.",
    "{P} noticed that the {s} was worse after the phone call with {q} {r}.",
    "We talked about pacing: a walk of a fixed length whatever the day, rather than as far as possible.",
    "{P} was curious when I suggested that tiredness and low mood might feed each other.",
    "{P} could see that checking the {b} many times a day kept the worry going.",
    "We tried a short breathing exercise; {p} said the {b} loosened a little.",
    "I asked what the {s} might be saying if it could speak; {p} smiled and said it would tell everyone to slow down.",
]
PROCESS = [
    "I noticed I felt sleepy and a little hopeless towards the end.",
    "I felt warm towards {o} and curious about the story behind the symptoms.",
    "I was aware of wanting to rescue; worth taking to supervision.",
    "I felt pulled to reassure and tried instead to stay with what {p} was feeling.",
    "The session felt slow; I wondered whether we were going round in circles.",
    "I felt pressure to agree that something had been missed medically.",
]
PLANS = [
    "We agreed {p} would try a ten-minute walk each morning and note the pain before and after.",
    "Next time we will come back to {q} {r} and what happened last year.",
    "{P} will keep the diary for another week, adding mood alongside the {s}.",
    "We agreed to write to the GP together about what has helped so far.",
    "{P} will try to rest before the {s} is bad rather than after.",
    "We will look at the formulation together next session and see what fits.",
]
SHORT = [
    "Brief session: {p} was in a lot of pain and we agreed to stop early.",
    "Telephone call instead of a session; {p} could not travel because of the {s}.",
    "Short check-in. {P} said the week was much the same and we reviewed the plan.",
]

SECTIONS = [(SYMPTOM, 3), (MEDICAL, 2), (FEELINGS, 3), (LIFE, 2), (LINKS, 2), (PROCESS, 1)]


def note_length(rng: random.Random) -> int:
    """Words for one note: a few short (30-150), most between 300 and 900 (median about 600)."""
    if rng.random() < 0.05:
        return rng.randint(30, 150)
    return max(300, min(900, int(rng.gauss(600, 150))))


def _fill(template: str, rng: random.Random, who: dict[str, str], symptom: str) -> str:
    return template.format(
        s=symptom,
        b=rng.choice(BODY_PARTS),
        r=rng.choice(RELATIVES),
        act=rng.choice(ACTIVITIES),
        place=rng.choice(PLACES),
        w=rng.choice(WHEN),
        f=rng.choice(FEEL_WORDS),
        **who,
    )


def session_note(rng: random.Random, who: dict[str, str], symptom: str, body_talk: int, words: int | None = None) -> str:
    """A fictional note of about `words` words (drawn by :func:`note_length` when not given).

    ``body_talk`` (0-3) tilts the note towards symptom and medical talk, as in the structured field.
    """
    target = note_length(rng) if words is None else words
    if target < 160:
        parts = [_fill(rng.choice(SHORT), rng, who, symptom)]
        while sum(len(p.split()) for p in parts) < target:
            parts.append(_fill(rng.choice(SYMPTOM + FEELINGS + LIFE), rng, who, symptom))
        return " ".join(parts) + "\n"
    weights = [w + (body_talk if table in (SYMPTOM, MEDICAL) else 0) for table, w in SECTIONS]
    paragraphs = [_fill(rng.choice(OPENINGS), rng, who, symptom)]
    count = len(paragraphs[0].split())
    while count < target - 20:
        table = rng.choices([t for t, _ in SECTIONS], weights)[0]
        sentences = [_fill(s, rng, who, symptom) for s in rng.sample(table, min(len(table), rng.randint(2, 4)))]
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        count += len(paragraph.split())
    paragraphs.append(_fill(rng.choice(PLANS), rng, who, symptom))
    return "\n\n".join(paragraphs) + "\n"
