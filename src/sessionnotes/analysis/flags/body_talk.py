"""Repetitive body talk: sessions dominated by symptoms, tests and medicines once the work moves on.

Two signals: the therapist's own 0-3 rating of how much of the session was body talk, and
:func:`body_talk_estimate`, a vocabulary estimate over the note that shows the words that drove it.
The flag needs a run of consecutive held sessions at the nudging-forward stage past the first few,
because body talk is expected, and best met, early on (Balabanovic 2017, sub-categories 6.1
and 7.4).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from functools import cache, partial
from operator import itemgetter
from typing import NamedTuple

from ..cache import AnalysisCache
from ..text import lexicon, matching
from ..text.negation import NEGATOR_WORDS, token_negated
from ..textfacts import text_fact
from .facts import NUDGING, DetectorInput, SessionFacts, make_flag, read_field, span_label
from .model import Evidence, Flag, Thresholds

# ---------------------------------------------------------------------------------------------
# The body-talk estimate
# ---------------------------------------------------------------------------------------------


@cache
def vocabulary() -> matching.TokenVocab:
    """One vocabulary, one scan: each phrase labelled marker / body / worry / feeling (the lists do
    not overlap; a test checks it). Built on first use from the lexicon (no note text)."""
    return matching.TokenVocab(
        marker=lexicon.BODY_TALK_MARKERS,
        body=lexicon.BODY_WORDS,
        worry=lexicon.HEALTH_WORRY_WORDS,
        feeling=lexicon.FEELING_WORDS,
    )


_MARKER_WEIGHT = 3.0
_WORRY_WEIGHT = 0.5


class Estimate(NamedTuple):
    """The body share of a note's vocabulary (0..1), the words on each side, and their weights."""

    score: float
    body: tuple[str, ...]
    feeling: tuple[str, ...]
    body_weight: float
    feeling_weight: float


def estimate(text: str, cache: AnalysisCache | None = None) -> Estimate:
    """:func:`body_talk_estimate` in full, kept in ``cache.text`` (keyed by the text) when a cache
    is given."""
    if cache is None:
        return _estimate(text)
    found = text_fact(cache.facts, "body-talk-estimate", text, lambda: _estimate(text))
    if isinstance(found, Estimate):
        return found
    score, body, feeling, body_weight, feeling_weight = found  # read back from the vault: lists
    return Estimate(score, tuple(body), tuple(feeling), body_weight, feeling_weight)


def session_estimate(f: SessionFacts, cache: AnalysisCache | None = None) -> Estimate:
    """:func:`estimate` of the session's :attr:`.SessionFacts.content` (its note and themes), kept
    as a fact found by the two texts (:meth:`.FactStore.joined_entry`), so the joined text is only
    made and hashed when the estimate has to be worked out."""
    if cache is None:
        return _estimate(f.content)
    texts = f.texts
    store = cache.facts
    entry = store.joined_entry(texts.get("note", ""), texts.get("themes", ""))
    found = entry.get("body-talk-estimate")
    if found is None:
        found = _estimate(f.content)
        store.put(entry, "body-talk-estimate", found)
    if isinstance(found, Estimate):
        return found
    score, body, feeling, body_weight, feeling_weight = found  # read back from the vault: lists
    return Estimate(score, tuple(body), tuple(feeling), body_weight, feeling_weight)


def _estimate(text: str) -> Estimate:
    toks = matching.tokens(text)
    body: list[str] = []
    feeling: list[str] = []
    b_weight = 0.0
    f_weight = 0.0
    vocab = vocabulary()
    labels = vocab.labels
    # most hits have no negator in the five tokens before them: skip the careful check for those
    maybe_nt = "n't" in " ".join(toks)
    for i, _k, phrase in vocab.scan(toks):
        window = toks[max(0, i - 5) : i]
        if (maybe_nt or not NEGATOR_WORDS.isdisjoint(window)) and token_negated(toks, i):
            continue
        label = labels[phrase]
        if label == "marker":
            body.append(phrase)
            b_weight += _MARKER_WEIGHT
        elif label == "body":
            body.append(phrase)
            b_weight += 1.0
        else:
            feeling.append(phrase)
            f_weight += _WORRY_WEIGHT if label == "worry" else 1.0
    total = b_weight + f_weight
    score = round(b_weight / total, 2) if total else 0.0
    return Estimate(score, tuple(body), tuple(feeling), b_weight, f_weight)


def body_talk_estimate(text: str) -> tuple[float, list[str], list[str]]:
    """Estimate how much of a note is body talk, and show why.

    Counts symptom, investigation and medication words (``body_words``) against feeling,
    relationship and meaning words (``feeling_words``), skipping words a negator governs ("no
    talk of feelings"). The therapist's own markers ("body talk", "went over the tests again")
    count three times; worry words count half, because in body talk they are usually worry about
    the symptoms. ``score`` is the body share, 0..1 (0 when neither kind of word appears).

    A vocabulary estimate, not a judgement: it is one of two signals, beside the therapist's
    0-3 rating (Balabanovic 2017, sub-category 7.4 “Addressing process issues”).
    """
    score, body, feeling, _, _ = estimate(text or "")
    return score, list(body), list(feeling)


def word_summary(words: tuple[str, ...], limit: int = 6) -> str:
    """ "pain ×3, scan, tests (+2 more)": the commonest words first."""
    if not words:
        return "none"
    counts = Counter(words)
    # ``most_common(limit)`` is ``sorted(..., reverse=True)[:limit]`` (stable: ties in first-seen
    # order), done here with one sort instead of a heap, which is slower for these short lists
    common = sorted(counts.items(), key=itemgetter(1), reverse=True)[:limit]
    parts = [f"{w} ×{n}" if n > 1 else w for w, n in common]
    more = len(counts) - limit
    return ", ".join(parts) + (f" (+{more} more)" if more > 0 else "")


R_BODY = (
    "Talk about symptoms, tests and medicines is expected early on and is best met, not resisted (Balabanovic 2017, "
    "sub-category 6.1 “Engaging with patients' experience”). When it still fills session after session once the work "
    "has moved on, clinicians describe it as possibly defensive and as the way therapy most often gets stuck "
    "(Balabanovic 2017, sub-category 7.4 “Addressing process issues”)."
)
S_BODY = (
    "Perhaps use the illness experience as a way in: what did the latest test or flare mean, and "
    "how was it to go through it (Balabanovic 2017)? If a body–mind link was agreed earlier, it might be "
    "revisited warmly and tentatively; check the patient still feels believed, as challenge here "
    "can feel like disbelief (Balabanovic 2017, sub-category 7.4 “Addressing process issues”)."
)


def _body_dominated(f: SessionFacts, thresholds: Thresholds, cache: AnalysisCache) -> Callable[[], list[Evidence]] | None:
    """Whether body talk filled the session: ``None`` when not, else what makes its evidence (only
    worked out for sessions in a run long enough to be flagged)."""
    rating = read_field(f.session, "body_talk", None)
    rated = isinstance(rating, int) and not isinstance(rating, bool)
    if rated and rating < thresholds.body_talk_rating_alone and rating < thresholds.body_talk_rating_with_text:
        return None  # a low rating settles it; the note is not read
    if rated and rating >= thresholds.body_talk_rating_alone:
        return partial(_dominated_evidence, f, rating, cache, None)  # the note is read for the evidence only
    est = session_estimate(f, cache)
    score, _, _, b_weight, f_weight = est
    dominated = False
    if rated:
        if rating >= thresholds.body_talk_rating_with_text:
            # the rating leads; the note can only overrule it when it clearly says otherwise
            too_little_text = (b_weight + f_weight) < 3
            dominated = too_little_text or score >= thresholds.body_talk_text_share
    else:
        rating = None
        dominated = score >= thresholds.body_talk_text_share_unrated and b_weight >= thresholds.body_talk_min_words
    if not dominated:
        return None
    return partial(_dominated_evidence, f, rating, cache, est)


def _dominated_evidence(f: SessionFacts, rating: int | None, cache: AnalysisCache, estimate: Estimate | None) -> list[Evidence]:
    score, body, feeling, _, _ = estimate or session_estimate(f, cache)
    ev = []
    if rating is not None:
        ev.append(Evidence(f.session_id, f.date, "body_talk", f"rated {rating}/3"))
    ev.append(
        Evidence(
            f.session_id,
            f.date,
            "note",
            f"body-talk estimate {score:.0%}; symptom words: {word_summary(body)}; "
            f"feeling/relationship words: {word_summary(feeling)}",
        )
    )
    return ev


R_BODY_PERSIST = (
    "Body talk is expected while meeting patients where they are, and is best met rather than resisted (Balabanovic "
    "2017, sub-category 6.1 “Engaging with patients' experience”). When it persists across many consecutive "
    "sessions it becomes a process issue whatever the stage: clinicians describe repetitive body talk as the way "
    "therapy most often gets stuck, and the work may be stuck in meeting (Balabanovic 2017, sub-category 7.4 "
    "“Addressing process issues”)."
)
S_BODY_PERSIST = (
    "It may be worth taking to supervision whether the work is stuck in meeting. Perhaps use the illness experience "
    "as a way in: what the latest test or flare meant and how it was to go through it, or the impact on daily life "
    "(Balabanovic 2017, sub-category 6.2 “Establishing emotional connection”); a gentle, tentative body–mind link may "
    "be possible once the patient feels believed (Balabanovic 2017, sub-category 7.1 “Fostering body–mind links”)."
)


def _stage_words(run: list[SessionFacts]) -> str:
    stages = list(dict.fromkeys(f.stage for f in run if f.stage))
    if len(stages) == 1:
        return f"all at the {stages[0]} stage"
    return "at the " + ", ".join(stages) + " stages"


def repetitive_body_talk(case: DetectorInput) -> list[Flag]:
    """Body talk filling most of consecutive held sessions (see :class:`.Thresholds`).

    Two ways: ``body_talk_run`` sessions in a row at nudging forward after the grace sessions, or
    ``body_talk_persistent_run`` sessions in a row at any stage (duration-aware: expected while
    meeting, a process issue when it persists). A stretch that meets both is raised once, as the
    longer one.
    """
    thresholds = case.thresholds
    flags: list[Flag] = []
    runs: list[list[tuple[SessionFacts, Callable[[], list[Evidence]]]]] = []
    run: list[tuple[SessionFacts, Callable[[], list[Evidence]]]] = []
    held = case.held
    for f in held:
        ev = _body_dominated(f, thresholds, case.cache)
        if ev is not None:
            run.append((f, ev))
        elif run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    last_held = held[-1] if held else None
    persistent = max(thresholds.body_talk_persistent_run, thresholds.body_talk_grace_sessions + 1, 1)
    for stretch in runs:
        ongoing = stretch[-1][0] is last_held
        severity = "medium" if ongoing else "low"
        when = "and is still going on" if ongoing else "(it has since eased)"
        if len(stretch) >= persistent:
            sessions = [f for f, _ in stretch]
            stuck = sessions[-1].stage != NUDGING
            summary = (
                f"Body talk filled most of {len(sessions)} consecutive sessions ({span_label(sessions)}), "
                f"{_stage_words(sessions)}, {when}." + (f" The work may be stuck in {sessions[-1].stage}." if stuck else "")
            )
            evidence = [e for _, evs in stretch for e in evs()]
            flags.append(make_flag("repetitive-body-talk", severity, sessions, evidence, R_BODY_PERSIST, S_BODY_PERSIST, summary))
            continue
        # the nudging-forward rule: a shorter run counts once the work has moved on
        grace = thresholds.body_talk_grace_sessions
        pieces: list[list[tuple[SessionFacts, Callable[[], list[Evidence]]]]] = [[]]
        for f, ev in stretch:
            if f.stage == NUDGING and (f.held_index or 0) >= grace:
                pieces[-1].append((f, ev))
            elif pieces[-1]:
                pieces.append([])
        for nudge in pieces:
            if len(nudge) < max(thresholds.body_talk_run, 1):
                continue
            sessions = [g for g, _ in nudge]
            still = ongoing and sessions[-1] is stretch[-1][0]
            summary = (
                f"Body talk filled most of {len(sessions)} consecutive sessions ({span_label(sessions)}) at the "
                f"nudging-forward stage {'and is still going on' if still else '(it has since eased)'}."
            )
            ev_all = [e for _, evs in nudge for e in evs()]
            sev = "medium" if still else "low"
            flags.append(make_flag("repetitive-body-talk", sev, sessions, ev_all, R_BODY, S_BODY, summary))
    return flags
