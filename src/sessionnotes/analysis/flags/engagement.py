"""Signs of (dis)engagement: each session starting again, token agreement, passivity, and the positive signs.

What a clinician reads across a few sessions to judge whether the patient is taking part in the
work: whether anything carries over, whether agreement is more than a token yes, whether the work
waits on the therapist (Balabanovic 2017, sub-categories 3.4 and 3.6). :func:`positive_signs` lists
the signs of engagement shown beside the flags, and the impasse detector uses them too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ..cache import AnalysisCache
from .body_talk import session_estimate, word_summary
from .facts import DetectorInput, SessionFacts, make_flag, read_field, read_sessions, span_label, window_counts
from .model import Evidence, Flag
from .phrases import Phrases, hits, phrase_evidence, words

# ---------------------------------------------------------------------------------------------
# Each session starting again
# ---------------------------------------------------------------------------------------------

_STARTING_AGAIN = words(
    r"no\s+(?:recollection|memory|recall)\s+of\s+(?:the\s+|our\s+)?(?:last|previous)\s+(?:session|week|meeting|time|appointment)",
    r"(?:didn't|did\s+not|couldn't|could\s+not|can't|cannot|unable\s+to)\s+(?:remember|recall)\s+(?:anything\s+(?:about|from|of)\s+)?"
    r"(?:the\s+|our\s+)?(?:last|previous)\s+(?:session|week|meeting|time|appointment)",
    r"(?:didn't|did\s+not|couldn't|could\s+not)\s+(?:remember|recall)\s+(?:what\s+we|anything\s+we|our)\s+"
    r"(?:discussed|talked\s+about|covered|agreed|did)",
    r"(?:forgot|forgotten)\s+(?:what\s+we|everything\s+we|all\s+(?:that\s+)?we|our)\s+(?:discussed|talked\s+about|covered|agreed|did)",
    r"(?:starting|start|started)\s+(?:again\s+)?(?:from\s+scratch|all\s+over\s+again|again\s+from\s+the\s+beginning)",
    r"(?:each|every)\s+session\s+(?:is|feels|seems|felt|was)\s+(?:like\s+)?(?:starting\s+(?:again|afresh|over)|a\s+fresh\s+start|a\s+new\s+start)",
    r"(?:as\s+if|as\s+though|like)\s+(?:we\s+(?:had\s+)?never\s+(?:met|talked|spoken)(?:\s+before)?|(?:it\s+was\s+)?(?:our\s+)?first\s+(?:session|meeting))",
    r"back\s+to\s+square\s+one",
    r"(?:felt|feels|feel|was|is|were)\s+(?:like\s+)?starting\s+(?:again|over|afresh)",
    r"(?:we|it)\s+(?:were|was|are|is)\s+starting\s+(?:again|over|afresh)",
    r"nothing\s+(?:seems\s+to\s+|seemed\s+to\s+)?(?:carry|carries|carried|carrying)\s+(?:over|forward)",
    r"no\s+continuity",
    r"blank\s+(?:about|on)\s+(?:last|the\s+previous)\s+(?:session|week)",
    r"no\s+recollection",
    r"(?:had|has)\s+no\s+memory\s+of\s+(?:what\s+we|our|the\s+last)",
)
R_STARTING = (
    "When little seems to carry over between sessions and each one feels like starting again, clinicians "
    "read it as a sign that the work is not yet being taken in, however much seems to be happening in the "
    "room (Balabanovic 2017, sub-category 3.6 “Signs of (dis)engagement”)."
)
S_STARTING = (
    "Consider brain fog, pain, fatigue or medication first: a short recap at the start, a written summary, or (with "
    "consent) a recording to listen back to can help (Jackson 2023, “The treatment plan”). If access is not the issue, "
    "it may help to wonder together what happens to the work between sessions (Balabanovic 2017, sub-category 3.6 "
    "“Signs of (dis)engagement”)."
)


def starting_again(case: DetectorInput) -> list[Flag]:
    """Little carrying over between sessions, ticked or in the notes, more than once in a window."""
    thresholds = case.thresholds
    held = case.held
    evidence: dict[int, list[Evidence]] = {}
    for f in held:
        ev = []
        if read_field(f.session, "no_recollection", False) is True:
            ev.append(Evidence(f.session_id, f.date, "no_recollection", "ticked: no recollection of last session"))
        ev += phrase_evidence(f, _STARTING_AGAIN, case.cache)
        if ev:
            evidence[f.index] = ev
    group = window_counts(held, set(evidence), thresholds.starting_again_window, thresholds.starting_again_count)
    if not group:
        return []
    ev = [e for f in group for e in evidence[f.index]]
    summary = f"Little seemed to carry over from the session before in {len(group)} sessions ({span_label(group)})."
    return [make_flag("starting-again", "medium", group, ev, R_STARTING, S_STARTING, summary)]


# =============================================================================================
# F3 compliance / token agreement and F4 passivity
# =============================================================================================

# ---------------------------------------------------------------------------------------------
# Compliance / token agreement, and passivity
# ---------------------------------------------------------------------------------------------

_TOKEN = words(
    r"token\s+(?:yes|agreement|agreeing|nods?)",
    r"agree[sd]?\s+(?:very\s+)?(?:readily|quickly|immediately|with\s+everything|to\s+everything|without\s+(?:much\s+)?"
    r"(?:thought|reflection|engaging|conviction))",
    r"(?:says?|said)\s+yes\s+to\s+everything",
    r"(?:just|simply|politely|dutifully)\s+(?:agreed|agrees|nodded|nods)",
    r"nodd(?:ed|ing)\s+along",
    r"went\s+along\s+with",
    r"goes\s+along\s+with",
    r"agree[sd]?\s+(?:but|and)\s+then\s+(?:changed\s+the\s+subject|went\s+(?:quiet|silent)|moved\s+on|fell\s+silent|"
    r"talked\s+about\s+something\s+else)",
    r"agreement\s+(?:followed\s+by|then)\s+(?:silence|a\s+change\s+of\s+subject)",
    r"(?:superficial(?:ly)?|polite|surface)\s+(?:agreement|compliance|compliant|engagement)",
    r"(?:very|overly|excessively|quite|so|too)\s+compliant",
    r"(?<!non-)(?<!non\s)compliant(?!\s+with)",
    r"compliance(?!\s+with)",
    r"(?:only|just)\s+(?:came|comes|coming|attends?|attended|here)\s+(?:because|as|since)\s+(?:her|his|their|the)\s+"
    r"(?:gp|doctor|husband|wife|partner|family|mother|daughter|son|employer)",
    r"to\s+(?:keep|make)\s+(?:her|his|their|the)\s+(?:gp|doctor|husband|wife|partner|family)\s+happy",
    r"to\s+please\s+(?:me|her|his|the|their)",
    r"(?:because|as)\s+(?:her|his|their)\s+(?:gp|doctor|husband|wife|partner|family)\s+"
    r"(?:wants?|wanted|told|insisted)",
    r"(?:tells|told)\s+me\s+what\s+(?:she|he|they)\s+(?:thinks?|thought)\s+I\s+want(?:ed)?\s+to\s+hear",
)
R_TOKEN = (
    "Compliance can look like engagement: patients may attend or agree to avoid upsetting a GP or family who "
    "want them there, and agreement followed by silence or a change of subject may be only a token yes "
    "(Balabanovic 2017, sub-category 3.4 “Self-sabotaging behaviours”)."
)
S_TOKEN = (
    "Notice what follows agreement: genuine agreement tends to bring feeling, an example from the patient's "
    "own life or an expansion of the idea (Balabanovic 2017). It may help to wonder aloud, warmly, whether an "
    "idea really fits, and to return to the patient's own goals and request for help (Wortman et al. 2022)."
)

_PASSIVE_STRONG = words(
    r"passive(?:ly)?", r"passivity",
    r"(?:brought|brings|bringing)\s+(?:nothing|little|no\s+material|no\s+topics?|nothing\s+of\s+(?:her|his|their)\s+own)",
    r"(?:didn't|did\s+not|doesn't|does\s+not)\s+bring\s+(?:anything|any\s+material|material|any\s+topics?|topics?)",
    r"nothing\s+(?:to\s+(?:bring|talk\s+about|say)|in\s+particular\s+to\s+(?:talk\s+about|discuss))",
    r"little\s+to\s+say", r"wait(?:s|ed|ing)?\s+for\s+me\s+to\s+(?:lead|start|ask|begin|suggest|decide|direct|say|do)",
    r"I\s+(?:did|was\s+doing|do|end\s+up\s+doing|ended\s+up\s+doing)\s+(?:most|all)\s+of\s+the\s+(?:talking|work)",
    r"(?:had|have)\s+to\s+(?:lead|drive|carry)\s+(?:the|each|every)\s+session",
    r"expects?\s+me\s+to\s+(?:fix|sort|cure|solve|make\s+(?:it|things)\s+better|take\s+(?:it|the\s+pain)\s+away)",
    r"wants?\s+me\s+to\s+(?:fix|sort|cure|solve)", r"leaves?\s+it\s+(?:all\s+)?(?:up\s+)?to\s+me",
    r"whatever\s+you\s+think", r"no\s+ideas?\s+of\s+(?:her|his|their)\s+own",
)  # fmt: skip
_PASSIVE_WEAK = words(
    r"(?:homework|diary|task|exercise|practice|worksheet|monitoring)\s+(?:not|wasn't|was\s+not|hadn't\s+been|had\s+not\s+been)\s+"
    r"(?:done|attempted|tried|completed|started)",
    r"(?:didn't|did\s+not|hadn't|had\s+not)\s+(?:do|done|attempt|attempted|try|tried|start|started|complete|completed|look\s+at)\s+"
    r"(?:the|her|his|their|any)\s+(?:homework|diary|task|exercise|practice|worksheet|monitoring)",
    r"(?:hadn't|had\s+not|hasn't|has\s+not)\s+thought\s+about\s+(?:it|anything|last\s+(?:session|week)|what\s+we)",
    r"no\s+(?:reflection|thoughts)\s+(?:since|between|on)",
    r"long\s+silences?",
    r"one-word\s+answers",
)
R_PASSIVE = (
    "Clinicians found passivity, not taking an active part or bringing no material, a deeper and harder "
    "barrier to engagement than compliance (Balabanovic 2017, sub-category 3.4 “Self-sabotaging behaviours”)."
)
S_PASSIVE = (
    "More structure may help when things feel very passive: circular questions (what would someone close to "
    "the patient notice if things were a little easier?) can get thinking going (Balabanovic 2017); small tasks "
    "agreed together and the patient's own goals give the sessions a shared direction (Wortman et al. 2022)."
)


def _tick_or_phrases(f: SessionFacts, tick: str, label: str, rx: Phrases, cache: AnalysisCache) -> list[Evidence]:
    ev = []
    if read_field(f.session, tick, False) is True:
        ev.append(Evidence(f.session_id, f.date, tick, f"ticked: {label}"))
    return ev + phrase_evidence(f, rx, cache)


def token_agreement(case: DetectorInput) -> list[Flag]:
    """Agreement without much sign of engagement, ticked or in the notes, more than once in a window."""
    thresholds = case.thresholds
    held = case.held
    evidence = {}
    for f in held:
        ev = _tick_or_phrases(f, "token_agreement", "token agreement / compliance", _TOKEN, case.cache)
        if ev:
            evidence[f.index] = ev
    group = window_counts(held, set(evidence), thresholds.token_agreement_window, thresholds.token_agreement_count)
    if not group:
        return []
    ev = [e for f in group for e in evidence[f.index]]
    summary = f"Agreement without much sign of engagement was noted in {len(group)} sessions ({span_label(group)})."
    return [make_flag("token-agreement", "low", group, ev, R_TOKEN, S_TOKEN, summary)]


def passivity(case: DetectorInput) -> list[Flag]:
    """The work waiting on the therapist: strong signs in a window, or enough signs of any strength."""
    thresholds = case.thresholds
    held = case.held
    strong: dict[int, list[Evidence]] = {}
    weak: dict[int, list[Evidence]] = {}
    for f in held:
        ev = _tick_or_phrases(f, "passivity", "passivity", _PASSIVE_STRONG, case.cache)
        if ev:
            strong[f.index] = ev
        wev = phrase_evidence(f, _PASSIVE_WEAK, case.cache)
        if wev:
            weak[f.index] = wev
    group = window_counts(held, set(strong), thresholds.passivity_window, thresholds.passivity_strong_count)
    if not group:
        candidate = window_counts(held, set(strong) | set(weak), thresholds.passivity_window, thresholds.passivity_any_count)
        if candidate and any(f.index in strong for f in candidate):
            group = candidate
    if not group:
        return []
    ev = [e for f in group for e in strong.get(f.index, []) + weak.get(f.index, [])]
    summary = f"The work seemed to wait on the therapist in {len(group)} sessions ({span_label(group)})."
    return [make_flag("passivity", "medium", group, ev, R_PASSIVE, S_PASSIVE, summary)]


# ---------------------------------------------------------------------------------------------
# Positive signs of engagement
# ---------------------------------------------------------------------------------------------

_POSITIVE = words(
    r"(?:made|making|saw|sees|noticed|notices|found|drew|drawing)\s+(?:a\s+|the\s+|some\s+|her\s+own\s+|his\s+own\s+)?"
    r"(?:link|links|connection|connections)",
    r"linked\s+(?:her|his|their|the)\s+\w+",
    r"reflect(?:ed|ing|s)\s+on",
    r"had\s+been\s+thinking\s+about",
    r"thought\s+about\s+(?:what\s+we|last\s+(?:session|week)|our\s+(?:last|previous)|it\s+during\s+the\s+week)",
    r"(?:acknowledged|admitted|named|voiced|expressed|spoke|talked|opened\s+up|shared|described)\s+(?:\w+ly\s+)?(?:about\s+|of\s+)?"
    r"(?:(?:her|his|their|some|the|how|a|feeling|feelings\s+of)\s+)?(?:\w+\s+){0,2}?(?:feelings?|sadness|sad|anger|angry|grief|fear|"
    r"loneliness|lonely|guilt|shame|hurt|loss|frustration|disappointment|resentment|upset|worries|tears)",
    r"opened\s+up",
    r"cried",
    r"tearful",
    r"tears",
    r"wept",
    r"(?:she|he|they)\s+(?:was|were|seemed|is|are)?\s*curious",
    r"(?:she|he|they)\s+wondered\s+(?:whether|if|why|aloud)",
    r"(?:tried|started|began|managed|went\s+back\s+to|got\s+back\s+to|returned\s+to)\s+(?:to\s+)?(?:\w+\s+){0,2}?"
    r"(?:walk\w*|swim\w*|garden\w*|going\s+out|go\s+out|see(?:ing)?\s+friends|visit\w*|work|volunteer\w*|class|group|hobby|"
    r"paint\w*|pacing|singing|choir|cook\w*)",
    r"(?:did|completed|kept|brought|filled\s+in)\s+(?:the\s+|her\s+|his\s+|their\s+)?(?:homework|diary|task|exercise|worksheet|practice|log)",
    r"(?:as\s+if|as\s+though|it's\s+like)\s+(?:she|he|I|I'm|she's|he's|she\s+is|he\s+is|she\s+was|he\s+was)",
    r"more\s+hopeful",
    r"hopeful",
    r"more\s+(?:able|confident|open|engaged|reflective)",
    r"proud",
    r"positive\s+change",
    r"(?:a|some)\s+shift",
    r"shifted",
    r"progress",
    r"insight",
    r"made\s+sense",
    r"breakthrough",
    r"lighter",
    r"(?:her|his|their)\s+own\s+(?:idea|ideas|links?|theory|understanding|explanation)",
    r"remembered\s+(?:a|an|when|how|being)",
    r"laughed",
    r"engaged",
    r"enjoyed",
    r"(?:was|felt|seemed)\s+able\s+to\s+(?:talk|think|say|stay)",
    r"(?:felt|feels|feeling|was|is|seemed)\s+(?:very\s+|so\s+|quite\s+|really\s+)?(?:sad|angry|guilty|ashamed|lonely|hurt|afraid|"
    r"scared|frightened|tearful|upset|hopeful|relieved|proud|jealous|resentful|bereft|heartbroken|abandoned|rejected)",
    r"explor(?:ed|ing)\s+(?:[\w'-]+\s+){0,3}?(?:feelings?|relationships?|meaning|links?|connections?|what|how|why|past|childhood|"
    r"mother|father|family|marriage|husband|wife|partner|loss|grief)",
    r"productive",
    r"(?:good|helpful|useful|thoughtful)\s+session",
    r"engaged\s+well",
    r"thoughtful",
    r"insightful",
    r"motivated",
    r"(?:she|he|they)\s+(?:has\s+|had\s+)?noticed",
    r"practis(?:ed|ing)",
    r"tried\s+out",
)


def positive_evidence(f: SessionFacts, cache: AnalysisCache | None = None) -> list[Evidence]:
    """The signs of engagement in one session: phrases, and feeling talk outweighing body talk."""
    ev = phrase_evidence(f, _POSITIVE, cache, ("note", "private_note", "homework"))
    score, _, feeling, _, f_weight = session_estimate(f, cache)
    if f_weight >= 2 and score <= 0.5:
        ev.append(Evidence(f.session_id, f.date, "note", f"feelings and relationships talked about: {word_summary(feeling, 5)}"))
    return ev


def is_positive(f: SessionFacts, cache: AnalysisCache | None = None) -> bool:
    """``bool(positive_evidence(f))``, without the vocabulary estimate when a phrase already counts."""
    if any(hits(_POSITIVE, f.texts.get(name, ""), cache) for name in ("note", "private_note", "homework")):
        return True
    score, _, _, _, f_weight = session_estimate(f, cache)
    return f_weight >= 2 and score <= 0.5


def positive_signs(sessions: Iterable[Any]) -> list[Evidence]:
    """Signs of engagement in held sessions' notes: links made, feelings acknowledged, reflection
    between sessions, new behaviour, symbolic statements, the patient's own ideas (Balabanovic
    2017, sub-category 3.6 “Signs of (dis)engagement”). Shown beside the flags so the record is not
    only about problems. Nothing is remembered past the call."""
    cache = AnalysisCache()
    return [e for f in read_sessions(sessions) if f.held for e in positive_evidence(f, cache)]
