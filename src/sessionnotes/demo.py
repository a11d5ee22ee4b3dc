"""Fictional demo data: plausible-looking but obviously invented clients and session notes.

Every name is invented and marked with a '(demo)'-style pseudonym, every NHS number is in the 999
test range, every address is on an imaginary street. Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import random

from .domain.models import Attendance, Client, Feeling, Session
from .domain.nhs import make_fictional_nhs_number
from .domain.stages import SUBSTRATEGIES

FIRST = [
    "Juniper",
    "Marigold",
    "Rowan",
    "Wren",
    "Hazel",
    "Linden",
    "Saffron",
    "Bramble",
    "Tamsin",
    "Orrin",
    "Perrin",
    "Isolde",
    "Corin",
    "Elowen",
    "Fenwick",
    "Galen",
    "Ysolde",
    "Quill",
    "Tobias",
    "Marlowe",
]
LAST = [
    "Testwell",
    "Quenby-Fable",
    "Oakfable",
    "Makebelieve",
    "Fictive",
    "Notreal",
    "Dreamcastle",
    "Imaginy",
    "Storybrook",
    "Pretendly",
    "Inventon",
    "Fablewood",
    "Mockridge",
    "Sampleton",
    "Placeholder",
]
GPS = ["Dr Osric Vantablack", "Dr Imaginary Jones", "Dr Fable Okonkwo", "Dr Example Patel", "Dr Pretend Walsh"]
PRACTICES = ["Lindenfold Surgery", "Nowhere Green Medical Centre", "Fictional Road Practice", "Makebelieve Health Centre"]
SYMPTOMS = [
    "headaches",
    "back pain",
    "fatigue",
    "dizziness",
    "chest tightness",
    "stomach pain",
    "tingling in the hands",
    "widespread pain",
    "palpitations",
    "non-epileptic attacks",
]
BODY = [
    "She described the {s} in detail again: when it started, how it moves, what makes it worse.",
    "Much of the session was about the next scan and the results of the last blood tests.",
    "He listed the medications tried so far and the side effects of each.",
    "The {s} had been bad all week; she wondered if the consultant had missed something.",
    "We went through the appointments with neurology and gastroenterology that are coming up.",
]
FEELINGS = [
    "She became tearful talking about missing her daughter's school play.",
    "He said he feels angry that nobody believes him, and then quieter, lonely.",
    "We noticed together that the {s} seemed worse in the week of the anniversary.",
    "She wondered whether worry might make the {s} harder to bear.",
    "He talked about his father's illness and how frightening it was as a child.",
    "We talked about what she has lost: work, walks with friends, feeling useful.",
]
PROCESS = [
    "I noticed I felt sleepy and a little hopeless towards the end.",
    "I felt warm towards him and curious about the story behind the symptoms.",
    "I was aware of wanting to rescue; worth taking to supervision.",
    "",
]
THEMES = ["loss", "uncertainty", "anger at services", "family", "work", "sleep", "activity cycles", "being believed"]


def fictional_client(rng: random.Random, n: int) -> Client:
    first, last = rng.choice(FIRST), rng.choice(LAST)
    referral = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(0, 600))
    return Client(
        name=f"{first} {last}",
        pseudonym=f"Client {chr(65 + n % 26)}{n // 26 + 1}",
        dob=dt.date(1950, 1, 1) + dt.timedelta(days=rng.randrange(0, 18000)),
        nhs_number=make_fictional_nhs_number(rng),
        gp_name=rng.choice(GPS),
        practice=rng.choice(PRACTICES),
        practice_address=f"{rng.randrange(1, 99)} Imaginary Lane, Fictionville FV{rng.randrange(1, 9)} 0ZZ",
        referral_date=referral,
        referral_source="GP",
        referral_positioning=rng.choice(["GP suggested talking might help with coping", "GP said 'it may be stress'", ""]),
        referral_reaction=rng.choice(["open but unsure", "felt dismissed at first", "relieved", ""]),
        presenting_symptoms=", ".join(rng.sample(SYMPTOMS, 2)),
        investigations=rng.choice(["MRI head (normal), bloods", "endoscopy, bloods, ECG", "nerve conduction studies"]),
    )


def fictional_session(rng: random.Random, client: Client, index: int, start: dt.date) -> Session:
    stage = "drawing-in" if index == 0 else rng.choices(["meeting", "nudging-forward", "drawing-in"], [6, 4, 1])[0]
    if index > 6 and stage == "meeting" and rng.random() < 0.4:
        stage = "nudging-forward"
    attendance = rng.choices(list(Attendance), [70, 8, 10, 8, 4])[0]
    symptom = rng.choice((client.presenting_symptoms or "pain").split(", "))
    body_talk = rng.choices([0, 1, 2, 3], [2, 4, 3, 2])[0] if attendance in (Attendance.ATTENDED, Attendance.LATE) else None
    note = ""
    if body_talk is not None:
        parts = [rng.choice(BODY).format(s=symptom) for _ in range(body_talk + 1)]
        parts += [rng.choice(FEELINGS).format(s=symptom) for _ in range(3 - body_talk)]
        rng.shuffle(parts)
        note = "\n\n".join(parts) + "\n"
    subs = [s.code for s in SUBSTRATEGIES if s.stage == stage and rng.random() < 0.35]
    return Session(
        date=start + dt.timedelta(days=7 * index + rng.randrange(0, 3)),
        attendance=attendance,
        attendance_reason=rng.choice(["symptom flare", "hospital appointment", "unknown", "forgot"])
        if attendance not in (Attendance.ATTENDED, Attendance.LATE)
        else "",
        stage=stage,
        substrategies=subs,
        body_talk=body_talk,
        feelings=rng.sample(list(Feeling)[:8], rng.randrange(0, 3)) if body_talk is not None else [],
        themes=rng.sample(THEMES, rng.randrange(0, 3)),
        note=note,
        private_note=rng.choice(PROCESS) if body_talk is not None else "",
    )


def generate(vault, clients: int, sessions: int, seed: int = 1) -> list[str]:
    """Add `clients` fictional clients with `sessions` sessions spread over them. Returns client ids."""
    from .vault.repository import Repository

    rng = random.Random(seed)
    repo = Repository(vault)
    per = [sessions // clients + (1 if i < sessions % clients else 0) for i in range(clients)]
    ids = []
    for i in range(clients):
        client = fictional_client(rng, i)
        start = (client.referral_date or dt.date(2024, 1, 1)) + dt.timedelta(days=14)
        items = [fictional_session(rng, client, k, start) for k in range(per[i])]
        ids.append(repo.import_client(client, items, write_index=False))
    repo.rebuild_index()
    return ids
