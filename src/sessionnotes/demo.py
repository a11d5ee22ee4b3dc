"""Fictional demo data: plausible-looking but obviously invented clients and session notes.

Every name is invented and marked with a '(demo)'-style pseudonym, every NHS number is in the 999
test range, every address is on an imaginary street. Deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt
import random

from .demo_text import session_note
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
PROCESS = [
    "I noticed I felt sleepy and a little hopeless towards the end.",
    "I felt warm towards {o} and curious about the story behind the symptoms.",
    "I was aware of wanting to rescue; worth taking to supervision.",
    "",
]
CANCELLED = [
    "Cancelled: {p} rang in the morning because of a flare; we rebooked for next week.",
    "Cancelled: {p} had a hospital appointment on the same afternoon.",
    "Cancelled on my side (training day); {p} was offered another slot.",
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


def pronouns(client: Client) -> dict[str, str]:
    """She/he for a fictional client, fixed by the name so every note about one client agrees."""
    she = sum(map(ord, client.name)) % 2 == 0
    return {"P": "She", "p": "she", "o": "her", "q": "her"} if she else {"P": "He", "p": "he", "o": "him", "q": "his"}


def _stage(rng: random.Random, index: int, previous: str | None) -> str:
    """A plausible path through the stages: drawing in first, then meeting, then mostly nudging
    forward, with the occasional step back (the stages are not linear)."""
    if index == 0:
        return "drawing-in"
    if index < 3:
        return "meeting" if rng.random() < 0.9 else "drawing-in"
    if previous == "nudging-forward":
        return "meeting" if rng.random() < 0.15 else "nudging-forward"
    return "nudging-forward" if rng.random() < 0.4 else "meeting"


def fictional_session(rng: random.Random, client: Client, index: int, start: dt.date, previous: str | None = None) -> Session:
    stage = _stage(rng, index, previous)
    who = pronouns(client)
    attendance = rng.choices(list(Attendance), [70, 8, 10, 8, 4])[0]
    symptom = rng.choice((client.presenting_symptoms or "pain").split(", "))
    body_talk = rng.choices([0, 1, 2, 3], [2, 4, 3, 2])[0] if attendance in (Attendance.ATTENDED, Attendance.LATE) else None
    if body_talk is not None:
        note = session_note(rng, who, symptom, body_talk)
    elif attendance is Attendance.DNA:
        note = ""  # nothing to write about a session nobody came to
    elif attendance is Attendance.CANCELLED_BY_THERAPIST:
        note = CANCELLED[-1].format(**who)
    else:
        note = rng.choice(CANCELLED[:-1]).format(**who)
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
        private_note=rng.choice(PROCESS).format(**who) if body_talk is not None else "",
        plan=rng.choice(["Carry on with pacing; notice the evenings.", "Come back to the walks.", "", ""])
        if body_talk is not None
        else "",
        token_agreement=body_talk is not None and rng.random() < 0.08,
        passivity=body_talk is not None and rng.random() < 0.06,
        no_recollection=body_talk is not None and rng.random() < 0.05,
    )


TERMS = ["the pain", "the headaches", "my symptoms", "the fatigue", "functional symptoms", "the dizzy spells"]
OWN_ACCOUNTS = [
    "I think a nerve is trapped and the scans have not found it yet.",
    "Something is wrong with my immune system; the doctors have not looked hard enough.",
    "It started after the virus and never went away.",
    "I don't know what it is, and that is the worst part.",
]
PATIENT_GOALS = [
    "to get back to walking the dog",
    "fewer bad days",
    "to understand what is happening",
    "to return to work part-time",
    "to sleep through the night",
]
REFERRER_GOALS = ["fewer urgent appointments", "help with coping and mood", "support with health anxiety", ""]
FORMULATION = [
    ("L0", "Living with symptoms nobody can explain has been exhausting and frightening.", "shared"),
    ("L1", "The symptoms have taken away work, walks and time with friends.", "shared"),
    ("L1", "Keeping going until collapse, then resting for days, seems to be how {p} copes.", "shared-in-part"),
    ("L2", "Being ill may mean being a burden, which feels unbearable to someone who always cared for others.", "private"),
    ("L3", "Worry about the symptoms, checking and rest seem to feed each other in a cycle.", "private"),
    ("L4", "It may be that stress at work plays a part in how the symptoms build.", "private"),
    ("L5", "Possible link with early experiences of illness in the family (hypothesis only).", "private"),
]


def fictional_extras(rng: random.Random, client: Client, sessions: list[Session]):
    """Formulation items, questionnaires and GP contacts so every tab of the demo has something."""
    from .domain.formulation import ItemVersion
    from .domain.liaison import GPContact
    from .domain.measures import MeasureResult

    start = client.referral_date or dt.date(2024, 1, 1)
    at = dt.datetime(start.year, start.month, start.day, 12, tzinfo=dt.UTC) + dt.timedelta(days=30)
    items = []
    for layer, text, status in rng.sample(FORMULATION, rng.randrange(2, 5)):
        v = ItemVersion(
            at=at,
            text=text.format(**pronouns(client)),
            layer=layer,
            lens=rng.choice(["structural", "relational", "intra-psychic"]),
            confidence=rng.choice(["hunch", "working-hypothesis"]),
            status=status,
            channel="spoken" if status != "private" else "",
            date_shared=at.date() if status != "private" else None,
            response=rng.choice(["resonated", "neutral", "not-yet"]) if status != "private" else "not-yet",
        )
        items.append(v)
    items.sort(key=lambda v: v.layer)
    measures = []
    held = [s for s in sessions if s.attendance in (Attendance.ATTENDED, Attendance.LATE)]
    if held:
        severity = rng.randrange(1, 3)
        for when, shift in ((held[0].date, 0), (held[-1].date, -1 if len(held) > 4 else 0)):

            def answers(n: int, top: int = 3, shift: int = shift) -> tuple[int, ...]:
                return tuple(max(0, min(top, severity + shift + rng.choice([-1, 0, 0, 1]))) for _ in range(n))

            phq = list(answers(9))
            phq[8] = 0
            measures.append(MeasureResult(instrument="phq9", date=when, responses=tuple(phq)))
            measures.append(MeasureResult(instrument="gad7", date=when, responses=answers(7)))
            measures.append(MeasureResult(instrument="phq15", date=when, responses=answers(15, 2)))
            if len(held) == 1:
                break
    contacts = [
        GPContact(
            date=start - dt.timedelta(days=rng.randrange(1, 10)),
            kind=rng.choice(["call", "letter", "corridor"]),
            with_whom=client.gp_name,
            discussed="How the referral was explained to the patient.",
            agreed="GP to keep seeing the patient regularly alongside therapy.",
        )
    ]
    return items, measures, contacts


def generate(vault, clients: int, sessions: int, seed: int = 1) -> list[str]:
    """Add `clients` fictional clients with `sessions` sessions spread over them. Returns client ids."""
    from .vault.repository import Repository

    rng = random.Random(seed)
    repo = Repository(vault)
    per = [sessions // clients + (1 if i < sessions % clients else 0) for i in range(clients)]
    ids = []
    names: set[str] = set()
    for i in range(clients):
        client = fictional_client(rng, i)
        for _ in range(20):  # no two demo clients with the same name while the lists allow it
            if client.name not in names:
                break
            client.name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        names.add(client.name)
        start = (client.referral_date or dt.date(2024, 1, 1)) + dt.timedelta(days=14)
        client.preferred_term = rng.choice(TERMS)
        client.explanatory_model = rng.choice(OWN_ACCOUNTS)
        client.patient_goal = rng.choice(PATIENT_GOALS)
        client.referrer_goal = rng.choice(REFERRER_GOALS)
        items: list[Session] = []
        for k in range(per[i]):
            items.append(fictional_session(rng, client, k, start, items[-1].stage if items else None))
        formulation, measures, contacts = fictional_extras(rng, client, items)
        ids.append(
            repo.import_client(client, items, write_index=False, formulation=formulation, measures=measures, contacts=contacts)
        )
    repo.rebuild_index()
    return ids
