"""Process-issue flags: patterns across sessions worth reflecting on or taking to supervision.

Pure functions from a client's record, sessions and (optionally) formulation items to a list of
:class:`Flag`. Each flag describes a *pattern in the work*, never the person; shows the evidence
(which sessions, which field, which words); says why the pattern matters with a seed citation; and
offers a tentative suggestion drawn from the seeds. Flags are prompts, not verdicts: the therapist
may dismiss one with a reason, and dismissed flags are still returned (marked) so they stay in the
history and in supervision summaries.

The detectors follow the flag catalogue of the seed extraction (§2.1, F1-F26) and ``DOMAIN.md`` §3.
Kinds (stable codes) and the pattern each looks for:

* ``repetitive-body-talk`` (F1, 000 L1024): body talk dominating several consecutive sessions,
  only once the work is nudging forward and past the first sessions; signals are the therapist's
  0-3 rating and :func:`body_talk_estimate` on the note, with the words that drove it.
* ``dna-pattern`` (F6, 000 L854, L1742-1757): a DNA at either of the first two appointments, or
  repeated absences (DNA or patient cancellation), with each recorded reason classified.
* ``starting-again`` (F5, 000 L833-835): little carries over between sessions (tick or note phrase).
* ``token-agreement`` (F3, 000 L821, L1928-1949) and ``passivity`` (F4, 000 L821): ticks and note
  phrases over a few sessions.
* ``negative-countertransference`` (F10, 000 L1028, L2248): boredom, irritation, hopelessness,
  helplessness or overwhelm recurring; a supervision prompt with a tacit-dualism self-check (F11).
* ``pushing-too-hard`` (F8/F13, 000 L727, L882-886): L4-L5 formulation items (or interpretations
  in the notes) offered early or after "disputed", followed by rupture, anger or a DNA.
* ``impasse`` (F9, 000 L1028-1030): no stage movement and no positive sign of engagement.
* ``untreatable-label`` (F23, 000 L1028): "untreatable" and its variants in the therapist's text.
* ``goal-conflict`` (F21, 000 L1212) and ``treatment-burden`` (F26, 004 L856-880).
* ``measure-risk`` (measures.md, rule 5): the latest PHQ-9 or CORE-10 has its risk item answered
  1 or more, or left unanswered. Not a process pattern but a safety prompt, shown with the flags
  so it reaches the caseload; it stays open until the therapist dismisses it with a reason
  (acknowledging the notice when the measure was entered is not the same as assessing the risk).

Every threshold is a named field of :class:`Thresholds` with its clinical basis; pass
``Thresholds(**overrides)`` (or :meth:`Thresholds.from_mapping` for settings) to adjust them.
Nothing here does I/O or imports Textual. Attendance is never turned into an engagement score
(000 L2236), and no flag ever proposes ending therapy because of absences.
"""

from __future__ import annotations

import datetime as dt
import operator
import re
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from enum import Enum
from functools import lru_cache
from typing import Any

from .language import tacit_dualism_markers, untreatable_labels
from .text import lexicon as lx
from .text import matching as mt
from .text.negation import NEGATOR_WORDS, negated, token_negated

__all__ = [
    "FLAG_KINDS",
    "Evidence",
    "Flag",
    "Thresholds",
    "body_talk_estimate",
    "detect",
    "measure_risk",
    "positive_signs",
]

FLAG_KINDS: dict[str, str] = {
    "measure-risk": "Risk item on the latest measure",
    "repetitive-body-talk": "Repetitive body talk",
    "dna-pattern": "Missed and cancelled appointments",
    "starting-again": "Each session starting again",
    "token-agreement": "Compliance / token agreement",
    "passivity": "Passivity",
    "negative-countertransference": "Difficult feelings in the therapist",
    "pushing-too-hard": "Pushing too hard / premature interpretation",
    "impasse": "Possible impasse",
    "untreatable-label": "'Untreatable' labelling",
    "goal-conflict": "Referrer's and patient's goals differ",
    "treatment-burden": "Treatment burden",
}
"""Stable flag kind codes and their display titles."""

_SEVERITY_RANK = {"high": 0, "medium": 1, "low": 2}


# =============================================================================================
# Results
# =============================================================================================


@dataclass(frozen=True)
class Evidence:
    """What triggered a flag: a session (id and date; "" / None for client-level facts), the field
    looked at (``note``, ``body_talk``, ``attendance``, ``feelings``, ``formulation``...) and the
    exact words or value that counted."""

    session_id: str
    date: dt.date | None
    field: str
    phrase: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "session_id": self.session_id,
            "date": self.date.isoformat() if self.date else None,
            "field": self.field,
            "phrase": self.phrase,
        }


@dataclass
class Flag:
    """A process pattern worth reflecting on.

    ``kind`` is a stable code from :data:`FLAG_KINDS`; ``sessions`` the ids of the sessions
    involved, in date order; ``rationale`` why the pattern matters (with seed citation);
    ``suggestion`` a tentative idea; ``source`` is ``"rule"`` for these detectors. ``key``
    identifies the flag across runs (kind + first session of the pattern) so a dismissal sticks;
    ``dismissed`` / ``dismissed_reason`` are filled from the ``dismissed`` argument of
    :func:`detect`.
    """

    kind: str
    severity: str
    sessions: list[str]
    evidence: list[Evidence]
    rationale: str
    suggestion: str
    source: str = "rule"
    title: str = ""
    summary: str = ""
    key: str = ""
    dismissed: bool = False
    dismissed_reason: str = ""

    @property
    def is_open(self) -> bool:
        return not self.dismissed

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "title": self.title,
            "severity": self.severity,
            "summary": self.summary,
            "sessions": list(self.sessions),
            "evidence": [e.to_dict() for e in self.evidence],
            "rationale": self.rationale,
            "suggestion": self.suggestion,
            "source": self.source,
            "key": self.key,
            "dismissed": self.dismissed,
            "dismissed_reason": self.dismissed_reason,
        }


# =============================================================================================
# Thresholds
# =============================================================================================


@dataclass(frozen=True)
class Thresholds:
    """Named, adjustable thresholds. Each comment gives the clinical basis; where the seeds give
    no number the value is a judgement, labelled as such.

    Sessions are counted as *held* sessions (attended or late) unless the name says *booked*.
    """

    # --- repetitive body talk (F1) ------------------------------------------------------------
    body_talk_grace_sessions: int = 3
    """Held sessions at the start that never count: body talk is expected and met during
    assessment and the early sessions (000 L949, L2524). 3 = assessment plus the next two
    (judgement; the seeds say only "after a period of sessions", 000 L1024)."""
    body_talk_run: int = 3
    """Consecutive eligible sessions dominated by body talk before flagging ("several
    consecutive sessions"; judgement)."""
    body_talk_rating_alone: int = 3
    """A therapist rating this high (3 = almost all the session) counts on its own: the
    therapist was in the room and the note may be brief."""
    body_talk_rating_with_text: int = 2
    """A rating of 2 counts when the note text agrees (see ``body_talk_text_share``)."""
    body_talk_text_share: float = 0.65
    """Share of symptom/investigation/medication words among all content words needed to back
    a rating of 2."""
    body_talk_text_share_unrated: float = 0.8
    """With no rating, the text alone must be this one-sided (and have enough words)."""
    body_talk_min_words: int = 4
    """Minimum symptom-side words before an unrated note can count (short notes say little)."""

    # --- DNAs and cancellations (F6) ----------------------------------------------------------
    dna_early_appointments: int = 2
    """A DNA at any of the first N booked appointments: risk of losing contact is highest at the
    initial assessment and the session after it (000 L854)."""
    absence_repeat: int = 2
    """Absences (DNA or cancelled by the patient) within ``absence_window`` booked sessions that
    make a pattern worth raising: clinicians address absences "particularly if they happen more
    than once" (000 L1742-1757)."""
    absence_window: int = 6
    """Booked sessions looked at together for repeated absences (judgement: about six weeks of
    weekly work)."""

    # --- each session starting again (F5) -----------------------------------------------------
    starting_again_count: int = 2
    """Sessions with the tick or a note phrase needed: one blank session can be a bad day or brain
    fog; a repeat is the pattern the seed describes (000 L833-835)."""
    starting_again_window: int = 6
    """Held sessions looked at together."""

    # --- compliance / token agreement (F3) and passivity (F4) ---------------------------------
    token_agreement_count: int = 2
    """Sessions with the tick or a note phrase; compliance is "a lot" of what clinicians see, so a
    single instance is ordinary (000 L821, L1928-1949)."""
    token_agreement_window: int = 6
    """Held sessions looked at together for compliance."""
    passivity_strong_count: int = 2
    """Sessions with a tick or a clear passivity phrase ("waited for me to lead")."""
    passivity_any_count: int = 3
    """Sessions with any passivity sign, including weak ones (homework not attempted), that also
    make the pattern (000 L821: passivity as a deeper barrier; judgement on numbers)."""
    passivity_window: int = 5
    """Held sessions looked at together for passivity."""

    # --- negative countertransference (F10) ---------------------------------------------------
    countertransference_count: int = 3
    """Sessions with boredom, irritation, hopelessness, helplessness or overwhelm recorded...
    (000 L821, L1028, L2248: these reactions build up when therapy is repeatedly thwarted)."""
    countertransference_window: int = 5
    """...within this many held sessions."""

    # --- pushing too hard / premature interpretation (F8, F13) --------------------------------
    early_sessions: int = 4
    """Deep ideas offered within the first N held sessions count as early even if the stage was
    already moved on (000 L2311-2319, L2541: "a bit early", "pre-emptive"; judgement)."""
    rupture_followup_sessions: int = 2
    """Booked sessions after the sharing in which a rupture, anger or DNA counts as following it."""

    # --- impasse (F9) -------------------------------------------------------------------------
    impasse_skip_first: int = 3
    """Held sessions at the start excluded: nothing is expected to move yet (000 L2546)."""
    impasse_sessions: int = 5
    """Consecutive held sessions at the same stage (nudging forward) with no positive sign of
    engagement (000 L1028-1030, sub-category 7.5; judgement)."""
    impasse_sessions_early_stage: int = 8
    """The same at drawing-in or meeting, where meeting the patient can take much longer
    ("others, it can take years", 000 L2546)."""
    impasse_stuck_sessions: int = 3
    """A shorter run is enough when the therapist's own notes say "stuck" ...
    """
    impasse_stuck_mentions: int = 2
    """... in at least this many of its sessions."""

    # --- treatment burden (F26) ---------------------------------------------------------------
    burden_services: int = 4
    """Other services or appointment streams listed for the client: someone already carrying many
    appointments may not have room for one more commitment (004 L880; the number is a judgement)."""
    burden_clashes: int = 2
    """Sessions missed because of clashing medical appointments (004 L858)."""
    burden_phrase_sessions: int = 2
    """Sessions whose notes mention the load of appointments (tired of the system, 004 L864)."""

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any] | None) -> Thresholds:
        """Thresholds from settings: unknown keys are ignored, values of the wrong type raise
        ``ValueError`` naming the setting."""
        if not data:
            return cls()
        known = {f.name: f for f in fields(cls)}
        kwargs: dict[str, Any] = {}
        defaults = cls()
        for name, value in data.items():
            if name not in known:
                continue
            expected = type(getattr(defaults, name))
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"Threshold {name!r} must be a number (got {value!r}).")
            if expected is int and not float(value).is_integer():
                raise ValueError(f"Threshold {name!r} must be a whole number (got {value!r}).")
            if value < 0:
                raise ValueError(f"Threshold {name!r} cannot be negative (got {value!r}).")
            kwargs[name] = expected(value)
        return cls(**kwargs)

    def to_dict(self) -> dict[str, Any]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


# =============================================================================================
# Reading inputs defensively
# =============================================================================================


def _get(obj: Any, name: str, default: Any = None) -> Any:
    """A field that may not exist yet on the model: attribute, else ``extra``, else default."""
    value = getattr(obj, name, None)
    if value is None or value == "":
        extra = getattr(obj, "extra", None)
        if isinstance(extra, Mapping):
            value = extra.get(name)
        elif isinstance(obj, Mapping):
            value = obj.get(name)
    return default if value is None else value


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return str(value)


def _value(x: Any) -> str:
    if x.__class__ is str:
        return x
    if isinstance(x, Enum):  # ``_value_`` is what ``.value`` returns, without the descriptor
        return str(x._value_ or "")
    return str(getattr(x, "value", x) or "")


def _as_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and value:
        try:
            return dt.date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


_HELD = frozenset({"attended", "late"})
_ABSENT = frozenset({"dna", "cancelled-by-patient"})
_EARLY_STAGES = frozenset({"drawing-in", "meeting"})
_NUDGING = "nudging-forward"


@dataclass(slots=True)
class _S:
    """One session with what the detectors need, computed once per :func:`detect` call."""

    s: Any
    sid: str
    date: dt.date | None
    index: int
    held_index: int | None
    attendance: str
    stage: str
    texts: dict[str, str]

    @property
    def held(self) -> bool:
        return self.held_index is not None

    @property
    def content(self) -> str:
        """The note plus themes: the text the body-talk estimate reads."""
        return "\n".join(t for t in (self.texts.get("note", ""), self.texts.get("themes", "")) if t)


_TEXT_FIELDS = ("note", "private_note", "plan", "homework", "feelings_other", "attendance_reason")


_FACT_FIELDS: tuple[tuple[str, Any], ...] = (
    ("date", None), ("number", 0), ("attendance", "attended"), ("id", ""), ("stage", ""), ("themes", []),
    ("addenda", []), *((name, "") for name in _TEXT_FIELDS),
)
_FACT_GETTER = operator.attrgetter(*(name for name, _ in _FACT_FIELDS))


def _read(obj: Any, getter: Callable[[Any], tuple], names: Sequence[tuple[str, Any]]) -> list[Any]:
    """``[_get(obj, name, default) for name, default in names]``, fetched in one go for the
    usual model objects (a missing, ``None`` or empty value still goes through :func:`_get`,
    unless the object has an empty ``extra`` and so the default is the answer)."""
    try:
        values = getter(obj)
    except AttributeError:
        return [_get(obj, name, default) for name, default in names]
    extra = getattr(obj, "extra", None)
    if isinstance(extra, dict) and not extra:
        return [default if v is None or v == "" else v for v, (_, default) in zip(values, names, strict=True)]
    return [
        _get(obj, name, default) if v is None or v == "" else v
        for v, (name, default) in zip(values, names, strict=True)
    ]


def _facts(sessions: Iterable[Any]) -> list[_S]:
    rows = [(s, _read(s, _FACT_GETTER, _FACT_FIELDS)) for s in sessions]
    rows.sort(key=lambda row: (_as_date(row[1][0]) or dt.date.min, row[1][1] or 0))
    out: list[_S] = []
    held = 0
    text_names = [name for name, _ in _FACT_FIELDS[7:]]
    for i, (s, values) in enumerate(rows):
        date, number, attendance, sid, stage, themes, addenda = values[:7]
        attendance = _value(attendance)
        texts = {name: v if v.__class__ is str else _text(v) for name, v in zip(text_names, values[7:], strict=True)}
        texts["themes"] = _text(themes)
        texts["addenda"] = "\n".join(_text(getattr(a, "text", a)) for a in addenda) if addenda else ""
        number = number or (i + 1)
        sid = (sid if sid.__class__ is str else _text(sid)) or f"session-{number}"
        is_held = attendance in _HELD
        out.append(
            _S(
                s=s,
                sid=sid,
                date=_as_date(date),
                index=i,
                held_index=held if is_held else None,
                attendance=attendance,
                stage=stage if stage.__class__ is str else _text(stage),
                texts=texts,
            )
        )
        if is_held:
            held += 1
    return out


# =============================================================================================
# Phrase matching with negation
# =============================================================================================

_NO_HITS: tuple[str, ...] = ()


def _hits(rx: _Phrases, text: str, *, negatable: bool = True) -> tuple[str, ...]:
    """The phrases of ``rx`` found in ``text`` (negated ones dropped), kept with the text's
    :class:`.matching.TextInfo` (so a text is read once per phrase set, whoever asks)."""
    if not text:
        return _NO_HITS
    info = mt.text_info(text)
    memo = info.memo
    index = rx._index or rx.shared_index()
    mask = memo.get(index)
    if mask is None:
        mask = memo[index] = index.mask(info)
    if not (mask >> rx._offset) & rx._bits:  # type: ignore[operator]
        return _NO_HITS
    key = rx if negatable else (rx, False)
    found = memo.get(key)
    if found is None:
        found = memo[key] = tuple(
            text[a:b].strip() for a, b in rx.spans(text, info) if not (negatable and negated(text, a))
        )
    return found  # type: ignore[return-value]


def _phrase_evidence(f: _S, rx: re.Pattern[str], names: Sequence[str] = ("note", "private_note")) -> list[Evidence]:
    ev = []
    for name in names:
        for phrase in _hits(rx, f.texts.get(name, "")):
            ev.append(Evidence(f.sid, f.date, name, phrase))
    return ev


class _Match:
    """A found phrase: the same ``start()`` / ``end()`` / ``group()`` as a regex match."""

    __slots__ = ("_end", "_start", "_text")

    def __init__(self, text: str, start: int, end: int) -> None:
        self._text, self._start, self._end = text, start, end

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._end

    def group(self) -> str:
        return self._text[self._start : self._end]


def _lower_pattern(source: str) -> str:
    """Lower-case a regex source without touching escapes (``\\W`` must stay ``\\W``)."""
    out, i = [], 0
    while i < len(source):
        if source[i] == "\\" and i + 1 < len(source):
            out.append(source[i : i + 2])
            i += 2
        else:
            out.append(source[i].lower())
            i += 1
    return "".join(out)


_WORDLIKE = re.compile(r"[\w-]")


class _Phrases:
    """Phrase patterns kept as data: each fragment is its own regex, run only on a text that
    could hold a match. Every fragment of every phrase set has a :class:`.matching.Gate` (the word
    sequences each match must contain, read from the pattern); one :class:`.matching.GateIndex`
    over all of them is consulted once per text, after which asking a phrase set about that text
    costs a shift and a mask, and most texts never run a regex at all. For speed the regex runs
    on the lower-cased text without ``IGNORECASE`` and the start-of-word check is done
    afterwards, which lets the regex engine skip ahead to the fragment's first letters. Nothing
    is compiled until first use, and results are cached per text, so re-running the flags after
    one note changes only re-reads that note."""

    registry: dict[str, list[_Phrases]] = {}
    """Every phrase set by family, in creation order. A family's fragments share one gate index;
    families are the kinds of text they are asked about (session notes, reasons for absence,
    the client's goals), so a note is never checked against words only goals can hold."""

    def __init__(self, *fragments: str, whole_words: bool = True, flags: int = re.IGNORECASE,
                 family: str = "notes") -> None:
        self.fragments = fragments
        self._whole_words = whole_words
        self._flags = flags
        self._family = family
        self._parts: list[tuple[int, mt.LazyPattern, mt.LazyPattern, bool]] | None = None
        self._offset = -1
        self._bits = (1 << len(fragments)) - 1
        self._fast: list[Any] = [None] * len(fragments)
        self._tails: dict[int, tuple[mt.LazyPattern, int]] = {}
        self._cache: dict[str, list[_Match]] = {}
        self._index: mt.GateIndex | None = None
        family_list = _Phrases.registry.setdefault(family, [])
        family_list.append(self)
        for other in family_list:  # a new member: the family's index is built again on next use
            other._index = None

    @property
    def parts(self) -> list[tuple[int, mt.LazyPattern, mt.LazyPattern, bool]]:
        """``(ident, full, fast, check_start)`` per fragment: ``full`` is the plain
        case-insensitive pattern, ``fast`` the lower-case one run on the lower-cased text."""
        if self._parts is None:
            parts = []
            flags, whole = self._flags, self._whole_words
            for ident, f in enumerate(self.fragments):
                full = r"(?<![\w-])(?:" + f + r")(?![\w-])" if whole else f
                fast = r"(?:" + f + r")(?![\w-])" if whole else f
                parts.append((ident, mt.LazyPattern(full, flags), mt.LazyPattern(_lower_pattern(fast), flags & ~re.IGNORECASE),
                              whole))
            self._parts = parts
        return self._parts

    def accelerate(self, k: int, tail: str, *, reach: int, flags: int = 0) -> None:
        """Run fragment ``k`` through :class:`_TailAnchored`: ``tail`` (lower-case) must match at
        the end of every match of the fragment, starting at most ``reach`` characters after it."""
        self._tails[k] = (mt.LazyPattern(tail, flags), reach)

    def shared_index(self) -> mt.GateIndex:
        """The gate index of this set's family (built on first use), where this set's fragments
        are bits ``offset`` onwards."""
        if self._index is None:
            gates: list[mt.Gate | None] = []
            family = _Phrases.registry[self._family]
            for phrases in family:
                phrases._offset = len(gates)
                gates += [mt.derive_gate(full.pattern, phrases._flags) for _, full, _, _ in phrases.parts]
            index = mt.GateIndex(gates)
            for phrases in family:
                phrases._index = index
                phrases._compile()
        return self._index  # type: ignore[return-value]

    def _compile(self) -> None:
        """Compile the fast patterns now, with the index: compiling one the first time some text
        passes its gate would put the cost on whichever client happens to come first."""
        for k, (_ident, _full, fast, _check) in enumerate(self.parts):
            if self._fast[k] is None:
                rx = fast.compiled
                if k in self._tails:
                    tail, reach = self._tails[k]
                    rx = _TailAnchored(rx, tail.compiled, reach)
                self._fast[k] = rx

    @property
    def offset(self) -> int:
        self.shared_index()
        return self._offset

    @property
    def bits(self) -> int:
        return self._bits

    def text_mask(self, info: mt.TextInfo) -> int:
        """Bit ``i``: fragment ``i`` of the family's index holds the text's key words (once per text)."""
        index = self._index or self.shared_index()
        mask = info.memo.get(index)
        if mask is None:
            mask = info.memo[index] = index.mask(info)
        return mask  # type: ignore[return-value]

    def could_match(self, info: mt.TextInfo) -> bool:
        """A cheap first check: ``False`` means :meth:`finditer` finds nothing in this text."""
        return bool((self.text_mask(info) >> self._offset) & self._bits)

    def spans(self, text: str, info: mt.TextInfo | None = None) -> list[tuple[int, int]]:
        """``(start, end)`` of each phrase found, in order, not overlapping (longest first at a
        position)."""
        info = info or mt.text_info(text)
        mask = (self.text_mask(info) >> self._offset) & self._bits
        if not mask:
            return []
        candidates = self._index.test(info, mask, self._offset)  # type: ignore[union-attr]
        if not candidates:
            return []
        parts = self.parts
        fast_rx = self._fast
        low = info.low
        spans: list[tuple[int, int]] = []
        for k in candidates:
            if len(low) != len(text):  # lower-casing changed lengths (rare Unicode): slow path
                spans += [m.span() for m in parts[k][1].finditer(text)]
                continue
            rx = fast_rx[k]
            if rx is None:
                rx = parts[k][2].compiled
                if k in self._tails:
                    tail, reach = self._tails[k]
                    rx = _TailAnchored(rx, tail.compiled, reach)
                fast_rx[k] = rx
            check_start = parts[k][3]
            for m in rx.finditer(low):
                start = m.start()
                if check_start and start and _WORDLIKE.match(low, start - 1):
                    continue
                spans.append((start, m.end()))
        if len(spans) > 1:
            spans.sort(key=lambda sp: (sp[0], -sp[1]))
            kept, end = [], -1
            for a, b in spans:
                if a >= end:
                    kept.append((a, b))
                    end = b
            return kept
        return spans

    def finditer(self, text: str) -> list[_Match]:
        found = self._cache.get(text)
        if found is None:
            found = [_Match(text, a, b) for a, b in self.spans(text)]
            if len(self._cache) > 8192:
                self._cache.clear()
            self._cache[text] = found
        return found

    def search(self, text: str) -> _Match | None:
        found = self._cache.get(text)
        if found is not None:
            return found[0] if found else None
        spans = self.spans(text)
        return _Match(text, *spans[0]) if spans else None


_SPACE_RUN = re.compile(r"\s\s")


class _TailAnchored:
    """``finditer`` of a pattern whose every match ends with a match of ``tail`` that starts at
    most ``reach`` characters after the match does (when no two whitespace characters are
    adjacent: ``\\s+`` then matches one). Instead of trying the pattern at every position, it
    finds the next ``tail`` and searches from ``reach`` before it: no match can start earlier,
    so each search finds the same leftmost match that ``finditer`` would."""

    __slots__ = ("_reach", "_rx", "_tail")

    def __init__(self, rx: re.Pattern[str], tail: re.Pattern[str], reach: int) -> None:
        self._rx, self._tail, self._reach = rx, tail, reach

    def finditer(self, low: str) -> Iterable[re.Match[str]]:
        rx = self._rx
        if len(low) <= 3 * self._reach or _SPACE_RUN.search(low):  # short: nothing to skip
            return rx.finditer(low)
        out = []
        pos = 0
        tail = self._tail
        while True:
            w = tail.search(low, pos)
            if w is None:
                break
            m = rx.search(low, max(pos, w.start() - self._reach))
            if m is None:
                break
            if m.end() == m.start():  # not expected (the tail is never empty): the plain way
                return rx.finditer(low)
            out.append(m)
            pos = m.end()
        return out


def _words(*fragments: str, family: str = "notes") -> _Phrases:
    return _Phrases(*fragments, family=family)


# =============================================================================================
# Body-talk estimate
# =============================================================================================

def _vocab() -> mt.TokenVocab:
    """One vocabulary, one scan: each phrase labelled marker / body / worry / feeling (the lists do
    not overlap; a test checks it). Built on first use; also available as ``_VOCAB``."""
    vocab = globals().get("_VOCAB")
    if vocab is None:
        vocab = globals()["_VOCAB"] = mt.TokenVocab(
            marker=lx.BODY_TALK_MARKERS,
            body=lx.BODY_WORDS,
            worry=lx.HEALTH_WORRY_WORDS,
            feeling=lx.FEELING_WORDS,
        )
    return vocab


def __getattr__(name: str) -> object:  # PEP 562: ``_VOCAB`` is built on first access
    if name == "_VOCAB":
        return _vocab()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
_MARKER_WEIGHT = 3.0
_WORRY_WEIGHT = 0.5


@lru_cache(maxsize=4096)
def _estimate(text: str) -> tuple[float, tuple[str, ...], tuple[str, ...], float, float]:
    toks = mt.tokens(text)
    body: list[str] = []
    feeling: list[str] = []
    b_weight = 0.0
    f_weight = 0.0
    vocab = _vocab()
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
    return score, tuple(body), tuple(feeling), b_weight, f_weight


def body_talk_estimate(text: str) -> tuple[float, list[str], list[str]]:
    """Estimate how much of a note is body talk, and show why.

    Counts symptom, investigation and medication words (``body_words``) against feeling,
    relationship and meaning words (``feeling_words``), skipping words a negator governs ("no
    talk of feelings"). The therapist's own markers ("body talk", "went over the tests again")
    count three times; worry words count half, because in body talk they are usually worry about
    the symptoms. ``score`` is the body share, 0..1 (0 when neither kind of word appears).

    A vocabulary estimate, not a judgement: it is one of two signals, beside the therapist's
    0-3 rating (000 L1024; extraction §2.1 F1).
    """
    score, body, feeling, _, _ = _estimate(text or "")
    return score, list(body), list(feeling)


@lru_cache(maxsize=4096)
def _word_summary(words: tuple[str, ...], limit: int = 6) -> str:
    if not words:
        return "none"
    counts = Counter(words)
    parts = [f"{w} ×{n}" if n > 1 else w for w, n in counts.most_common(limit)]
    more = len(counts) - limit
    return ", ".join(parts) + (f" (+{more} more)" if more > 0 else "")


# =============================================================================================
# Shared helpers for flags
# =============================================================================================


def _window_counts(items: Sequence[_S], marked: set[int], window: int, need: int) -> list[_S] | None:
    """The first window of ``window`` consecutive items holding ``need`` marked ones, extended to
    every marked item it chains into; ``None`` if there is none."""
    if need <= 0 or window <= 0:
        return None
    hits = [k for k, f in enumerate(items) if f.index in marked]
    for a in range(len(hits)):
        b = a + need - 1
        if b < len(hits) and hits[b] - hits[a] < window:
            group = hits[a : b + 1]
            # extend while the next hit still falls within a window of the last
            j = b + 1
            while j < len(hits) and hits[j] - hits[j - need + 1] < window:
                group.append(hits[j])
                j += 1
            return [items[k] for k in group]
    return None


def _session_label(f: _S) -> str:
    number = _get(f.s, "number", 0) or (f.index + 1)
    return f"session {number}" + (f" ({f.date.isoformat()})" if f.date else "")


def _span_label(fs: Sequence[_S]) -> str:
    if not fs:
        return ""
    if len(fs) == 1:
        return _session_label(fs[0])
    first = _get(fs[0].s, "number", 0) or fs[0].index + 1
    last = _get(fs[-1].s, "number", 0) or fs[-1].index + 1
    return f"sessions {first}–{last}"


def _flag(kind: str, severity: str, involved: Sequence[_S], evidence: list[Evidence], rationale: str,
          suggestion: str, summary: str, anchor: str = "") -> Flag:
    ids = []
    for f in involved:
        if f.sid not in ids:
            ids.append(f.sid)
    return Flag(
        kind=kind,
        severity=severity,
        sessions=ids,
        evidence=evidence,
        rationale=rationale,
        suggestion=suggestion,
        source="rule",
        title=FLAG_KINDS[kind],
        summary=summary,
        key=f"{kind}:{anchor or (ids[0] if ids else 'client')}",
    )


# =============================================================================================
# F1 repetitive body talk
# =============================================================================================

R_BODY = (
    "Talk about symptoms, tests and medicines is expected early on and is best met, not resisted "
    "(000 L949, L2524). When it still fills session after session once the work has moved on, "
    "clinicians describe it as possibly defensive and as the way therapy most often gets stuck "
    "(000 L1024, L729; sub-category 7.4)."
)
S_BODY = (
    "Perhaps use the illness experience as a way in: what did the latest test or flare mean, and "
    "how was it to go through it (000 L1228)? If a body–mind link was agreed earlier, it might be "
    "revisited warmly and tentatively; check the patient still feels believed, as challenge here "
    "can feel like disbelief (000 L1022, L1068)."
)


def _body_dominated(f: _S, th: Thresholds) -> tuple[bool, list[Evidence]]:
    rating = _get(f.s, "body_talk", None)
    rated = isinstance(rating, int) and not isinstance(rating, bool)
    if rated and rating < th.body_talk_rating_alone and rating < th.body_talk_rating_with_text:
        return False, []  # a low rating settles it; the note is not read
    score, body, feeling, b_weight, f_weight = _estimate(f.content)
    dominated = False
    if rated:
        if rating >= th.body_talk_rating_alone:
            dominated = True
        elif rating >= th.body_talk_rating_with_text:
            # the rating leads; the note can only overrule it when it clearly says otherwise
            too_little_text = (b_weight + f_weight) < 3
            dominated = too_little_text or score >= th.body_talk_text_share
    else:
        rating = None
        dominated = score >= th.body_talk_text_share_unrated and b_weight >= th.body_talk_min_words
    if not dominated:
        return False, []
    ev = []
    if rating is not None:
        ev.append(Evidence(f.sid, f.date, "body_talk", f"rated {rating}/3"))
    ev.append(
        Evidence(
            f.sid,
            f.date,
            "note",
            f"body-talk estimate {score:.0%}; symptom words: {_word_summary(body)}; "
            f"feeling/relationship words: {_word_summary(feeling)}",
        )
    )
    return True, ev


def _repetitive_body_talk(facts: list[_S], th: Thresholds) -> list[Flag]:
    held = [f for f in facts if f.held]
    flags: list[Flag] = []
    run: list[_S] = []
    run_ev: list[Evidence] = []

    def close(ongoing: bool) -> None:
        if len(run) >= max(th.body_talk_run, 1):
            severity = "medium" if ongoing else "low"
            when = "and is still going on" if ongoing else "(it has since eased)"
            summary = (
                f"Body talk filled most of {len(run)} consecutive sessions ({_span_label(run)}) at the "
                f"nudging-forward stage {when}."
            )
            flags.append(_flag("repetitive-body-talk", severity, run, list(run_ev), R_BODY, S_BODY, summary))

    for f in held:
        eligible = f.stage == _NUDGING and (f.held_index or 0) >= th.body_talk_grace_sessions
        dominated, ev = _body_dominated(f, th) if eligible else (False, [])
        if eligible and dominated:
            run.append(f)
            run_ev.extend(ev)
        else:
            close(False)
            run, run_ev = [], []
    close(True)
    return flags


# =============================================================================================
# F6 DNAs and cancellations
# =============================================================================================

_REASONS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("clashing medical appointment", _words(
        r"hospital", r"(?:gp|medical|clinic|outpatient|consultant|hospital|physio\w*|dental|dentist|specialist)\s+appointments?",
        r"appointments?\s+(?:at|with)\s+\w+", r"clinic", r"consultant", r"scan", r"mri", r"x-?ray", r"physio\w*",
        r"blood\s+tests?", r"a&e", r"procedure", r"operation", r"surgery", r"clash\w*", r"another\s+appointment",
        r"rheumatology", r"neurology", r"cardiology", r"gastro\w*", r"pain\s+clinic", r"endoscopy", r"colonoscopy",
        family="reasons")),
    ("symptom flare", _words(
        r"flare\w*", r"pain", r"painful", r"unwell", r"ill", r"sick", r"migraine", r"headache", r"fatigue", r"exhausted",
        r"too\s+tired", r"bad\s+day", r"symptoms?", r"poorly", r"bed", r"dizzy", r"dizziness", r"vomiting", r"nausea",
        r"seizures?", r"couldn't\s+get\s+up", r"could\s+not\s+get\s+up", r"bad\s+night", r"infection", r"covid", r"virus",
        family="reasons")),
    ("access", _words(
        r"transport", r"bus", r"train", r"taxi", r"car", r"parking", r"travel\w*", r"childcare", r"school", r"work",
        r"weather", r"snow", r"mobility", r"stairs", r"lift", r"carer", r"caring", r"money", r"cost",
        family="reasons")),
    ("forgot", _words(
        r"forgot", r"forgotten", r"overslept", r"wrong\s+(?:day|time)", r"mix-?up", r"confused\s+about", r"double[- ]booked",
        family="reasons")),
    ("ambivalence", _words(
        r"(?:didn't|did\s+not)\s+(?:want|feel\s+like)", r"not\s+sure", r"ambivalen\w*", r"pointless", r"no\s+point",
        r"not\s+ready", r"changed\s+(?:her|his|their)\s+mind", r"not\s+helping", r"doesn't\s+help", r"too\s+much",
        family="reasons")),
)


def _reason(text: str) -> str:
    text = text.strip()
    if not text:
        return "reason not known"
    for name, rx in _REASONS:
        if rx.search(text):
            return name
    return "other"


R_DNA = (
    "Attendance is not the same as engagement (000 L2236), but the risk of losing contact is highest "
    "at the first appointment and the one after (000 L854), and clinicians raise absences that happen "
    "more than once rather than leave them unspoken (000 L1742-1757; extraction F6)."
)


def _dna_suggestion(early: bool, reasons: Counter[str]) -> str:
    parts = []
    if early:
        parts.append(
            "Early on, a phone call or an opt-in letter can help, and so can asking the GP to support the "
            "referral or to offer a joint appointment (000 L927, L2453-2455)."
        )
    if reasons.get("symptom flare"):
        parts.append(
            "Where symptoms kept the patient away, consider phone or video on bad days (004 L588-590), and "
            "talk openly about how a bad day can make coming harder, and sometimes more worthwhile (000 L1747-1748)."
        )
    if reasons.get("clashing medical appointment"):
        parts.append(
            "Where medical appointments clashed, it may help to look at scheduling and the overall treatment burden "
            "together (004 L856-858)."
        )
    if reasons.get("reason not known") or reasons.get("forgot") or reasons.get("ambivalence") or reasons.get("other"):
        parts.append(
            "Perhaps name the pattern warmly and be curious about it together: the reason given may sit "
            "beside a harder one, such as difficulty leaving the house or worry about therapy itself (000 L1883-1889)."
        )
    parts.append(
        "Recording the reason for each absence keeps the picture fair; absences are something to explore, not to count "
        "against the patient."
    )
    return " ".join(parts)


def _dna_pattern(facts: list[_S], th: Thresholds) -> list[Flag]:
    if not facts:
        return []
    early = [f for f in facts[: th.dna_early_appointments] if f.attendance == "dna"]
    absent_idx = {f.index for f in facts if f.attendance in _ABSENT}
    repeated = _window_counts(facts, absent_idx, th.absence_window, th.absence_repeat)
    if not early and not repeated:
        return []
    involved = sorted({f.index: f for f in early + (repeated or [])}.values(), key=lambda f: f.index)
    # show every absence, not only the window, so the reasons are all in view
    all_absences = [f for f in facts if f.attendance in _ABSENT]
    evidence = []
    reasons: Counter[str] = Counter()
    for f in all_absences:
        reason_text = f.texts.get("attendance_reason", "")
        reason = _reason(reason_text)
        reasons[reason] += 1
        what = "did not attend" if f.attendance == "dna" else "cancelled by the patient"
        detail = f"{what}; reason: {reason_text.strip() or 'not recorded'} ({reason})"
        evidence.append(Evidence(f.sid, f.date, "attendance", detail))
    parts = []
    if early:
        missed = " and ".join(_session_label(f) for f in early)
        parts.append(f"did not attend {missed}, among the first {th.dna_early_appointments} appointments")
    if repeated:
        parts.append(f"{len(all_absences)} absences in all, {len(repeated)} of them close together ({_span_label(repeated)})")
    summary = "Attendance pattern: " + "; ".join(parts) + "."
    severity = "high" if early else "medium"
    return [_flag("dna-pattern", severity, involved, evidence, R_DNA, _dna_suggestion(bool(early), reasons), summary,
                  anchor=involved[0].sid)]


# =============================================================================================
# F5 each session starting again
# =============================================================================================

_STARTING_AGAIN = _words(
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
    r"no\s+continuity", r"blank\s+(?:about|on)\s+(?:last|the\s+previous)\s+(?:session|week)",
    r"no\s+recollection", r"(?:had|has)\s+no\s+memory\s+of\s+(?:what\s+we|our|the\s+last)",
)
R_STARTING = (
    "When little seems to carry over between sessions and each one feels like starting again, clinicians "
    "read it as a sign that the work is not yet being taken in, however much seems to be happening in the "
    "room (000 L833-835)."
)
S_STARTING = (
    "Consider brain fog, pain, fatigue or medication first: a short recap at the start, a written summary, "
    "or (with consent) a recording to listen back to can help (004 L582-584). If access is not the issue, it "
    "may help to wonder together what happens to the work between sessions (000 L835)."
)


def _starting_again(facts: list[_S], th: Thresholds) -> list[Flag]:
    held = [f for f in facts if f.held]
    evidence: dict[int, list[Evidence]] = {}
    for f in held:
        ev = []
        if _get(f.s, "no_recollection", False) is True:
            ev.append(Evidence(f.sid, f.date, "no_recollection", "ticked: no recollection of last session"))
        ev += _phrase_evidence(f, _STARTING_AGAIN)
        if ev:
            evidence[f.index] = ev
    group = _window_counts(held, set(evidence), th.starting_again_window, th.starting_again_count)
    if not group:
        return []
    ev = [e for f in group for e in evidence[f.index]]
    summary = f"Little seemed to carry over from the session before in {len(group)} sessions ({_span_label(group)})."
    return [_flag("starting-again", "medium", group, ev, R_STARTING, S_STARTING, summary)]


# =============================================================================================
# F3 compliance / token agreement and F4 passivity
# =============================================================================================

_TOKEN = _words(
    r"token\s+(?:yes|agreement|agreeing|nods?)",
    r"agree[sd]?\s+(?:very\s+)?(?:readily|quickly|immediately|with\s+everything|to\s+everything|without\s+(?:much\s+)?"
    r"(?:thought|reflection|engaging|conviction))",
    r"(?:says?|said)\s+yes\s+to\s+everything", r"(?:just|simply|politely|dutifully)\s+(?:agreed|agrees|nodded|nods)",
    r"nodd(?:ed|ing)\s+along", r"went\s+along\s+with", r"goes\s+along\s+with",
    r"agree[sd]?\s+(?:but|and)\s+then\s+(?:changed\s+the\s+subject|went\s+(?:quiet|silent)|moved\s+on|fell\s+silent|"
    r"talked\s+about\s+something\s+else)",
    r"agreement\s+(?:followed\s+by|then)\s+(?:silence|a\s+change\s+of\s+subject)",
    r"(?:superficial(?:ly)?|polite|surface)\s+(?:agreement|compliance|compliant|engagement)",
    r"(?:very|overly|excessively|quite|so|too)\s+compliant", r"(?<!non-)(?<!non\s)compliant(?!\s+with)", r"compliance(?!\s+with)",
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
    "(000 L821, L1928-1949)."
)
S_TOKEN = (
    "Notice what follows agreement: genuine agreement tends to bring feeling, an example from the patient's "
    "own life or an expansion of the idea (000 L1936-1949). It may help to wonder aloud, warmly, whether an "
    "idea really fits, and to return to the patient's own goals and request for help (001 L236-238)."
)

_PASSIVE_STRONG = _words(
    r"passive(?:ly)?", r"passivity",
    r"(?:brought|brings|bringing)\s+(?:nothing|little|no\s+material|no\s+topics?|nothing\s+of\s+(?:her|his|their)\s+own)",
    r"(?:didn't|did\s+not|doesn't|does\s+not)\s+bring\s+(?:anything|any\s+material|material|any\s+topics?|topics?)",
    r"nothing\s+(?:to\s+(?:bring|talk\s+about|say)|in\s+particular\s+to\s+(?:talk\s+about|discuss))", r"little\s+to\s+say",
    r"wait(?:s|ed|ing)?\s+for\s+me\s+to\s+(?:lead|start|ask|begin|suggest|decide|direct|say|do)",
    r"I\s+(?:did|was\s+doing|do|end\s+up\s+doing|ended\s+up\s+doing)\s+(?:most|all)\s+of\s+the\s+(?:talking|work)",
    r"(?:had|have)\s+to\s+(?:lead|drive|carry)\s+(?:the|each|every)\s+session",
    r"expects?\s+me\s+to\s+(?:fix|sort|cure|solve|make\s+(?:it|things)\s+better|take\s+(?:it|the\s+pain)\s+away)",
    r"wants?\s+me\s+to\s+(?:fix|sort|cure|solve)", r"leaves?\s+it\s+(?:all\s+)?(?:up\s+)?to\s+me", r"whatever\s+you\s+think",
    r"no\s+ideas?\s+of\s+(?:her|his|their)\s+own",
)
_PASSIVE_WEAK = _words(
    r"(?:homework|diary|task|exercise|practice|worksheet|monitoring)\s+(?:not|wasn't|was\s+not|hadn't\s+been|had\s+not\s+been)\s+"
    r"(?:done|attempted|tried|completed|started)",
    r"(?:didn't|did\s+not|hadn't|had\s+not)\s+(?:do|done|attempt|attempted|try|tried|start|started|complete|completed|look\s+at)\s+"
    r"(?:the|her|his|their|any)\s+(?:homework|diary|task|exercise|practice|worksheet|monitoring)",
    r"(?:hadn't|had\s+not|hasn't|has\s+not)\s+thought\s+about\s+(?:it|anything|last\s+(?:session|week)|what\s+we)",
    r"no\s+(?:reflection|thoughts)\s+(?:since|between|on)", r"long\s+silences?", r"one-word\s+answers",
)
R_PASSIVE = (
    "Clinicians found passivity, not taking an active part or bringing no material, a deeper and harder "
    "barrier to engagement than compliance (000 L821)."
)
S_PASSIVE = (
    "More structure may help when things feel very passive: circular questions (what would someone close to "
    "the patient notice if things were a little easier?) can get thinking going (000 L2401-2404); small tasks "
    "agreed together and the patient's own goals give the sessions a shared direction (001 L238)."
)


def _tick_or_phrases(f: _S, tick: str, label: str, rx: re.Pattern[str]) -> list[Evidence]:
    ev = []
    if _get(f.s, tick, False) is True:
        ev.append(Evidence(f.sid, f.date, tick, f"ticked: {label}"))
    return ev + _phrase_evidence(f, rx)


def _token_agreement(facts: list[_S], th: Thresholds) -> list[Flag]:
    held = [f for f in facts if f.held]
    evidence = {}
    for f in held:
        ev = _tick_or_phrases(f, "token_agreement", "token agreement / compliance", _TOKEN)
        if ev:
            evidence[f.index] = ev
    group = _window_counts(held, set(evidence), th.token_agreement_window, th.token_agreement_count)
    if not group:
        return []
    ev = [e for f in group for e in evidence[f.index]]
    summary = f"Agreement without much sign of engagement was noted in {len(group)} sessions ({_span_label(group)})."
    return [_flag("token-agreement", "low", group, ev, R_TOKEN, S_TOKEN, summary)]


def _passivity(facts: list[_S], th: Thresholds) -> list[Flag]:
    held = [f for f in facts if f.held]
    strong: dict[int, list[Evidence]] = {}
    weak: dict[int, list[Evidence]] = {}
    for f in held:
        ev = _tick_or_phrases(f, "passivity", "passivity", _PASSIVE_STRONG)
        if ev:
            strong[f.index] = ev
        wev = _phrase_evidence(f, _PASSIVE_WEAK)
        if wev:
            weak[f.index] = wev
    group = _window_counts(held, set(strong), th.passivity_window, th.passivity_strong_count)
    if not group:
        candidate = _window_counts(held, set(strong) | set(weak), th.passivity_window, th.passivity_any_count)
        if candidate and any(f.index in strong for f in candidate):
            group = candidate
    if not group:
        return []
    ev = [e for f in group for e in strong.get(f.index, []) + weak.get(f.index, [])]
    summary = f"The work seemed to wait on the therapist in {len(group)} sessions ({_span_label(group)})."
    return [_flag("passivity", "medium", group, ev, R_PASSIVE, S_PASSIVE, summary)]


# =============================================================================================
# F10 negative countertransference (+ F11 tacit-dualism self-check)
# =============================================================================================

_NEGATIVE_FEELINGS = frozenset({"bored", "irritated", "hopeless", "helpless", "overwhelmed"})
_NEG_WORDS = (
    r"bored", r"boredom", r"irritat(?:ed|ion|able)", r"frustrat(?:ed|ion)", r"hopeless(?:ness)?", r"helpless(?:ness)?",
    r"overwhelm(?:ed)?", r"drained", r"exhausted", r"dread(?:ed|ing)?", r"fed\s+up", r"switched\s+off", r"disengaged",
    r"disconnected", r"sleepy", r"clock[- ]watching", r"resent(?:ful|ment)", r"angry", r"annoyed", r"impatient",
    r"de-?skilled", r"useless", r"inadequate", r"powerless", r"heart[- ]?sink", r"stuck", r"weary", r"numb",
)
_NEG_OTHER = _words(*_NEG_WORDS)
_NEG_FIRST_PERSON = _Phrases(
    r"(?:\b(?:I|I'm|I've|I\s+was|myself|me)\b[^.;\n]{0,50}?|\bin\s+me\b[^.;\n]{0,10}?|^\s*(?:feeling|felt)\s+)"
    r"(?<![\w-])(?:" + "|".join(_NEG_WORDS) + r")(?![\w-])",
    r"(?<![\w-])(?:" + "|".join(_NEG_WORDS) + r")(?![\w-])\s+(?:feeling\s+)?in\s+me\b",
    whole_words=False,
    flags=re.IGNORECASE | re.MULTILINE,
)
"""Negative feelings in the therapist's private note, only where the note is about the therapist
("I felt bored", "a heart-sink feeling in me"), not the patient."""
_NEG_FIRST_PERSON.accelerate(
    0, r"(?<![\w-])(?:" + "|".join(_NEG_WORDS) + r")(?![\w-])", reach=60, flags=re.MULTILINE
)
"""Every match of the first pattern ends with one of the words, which starts at most 56 characters
after the match does ("myself" and 50 more) unless the text has a run of spaces: the regex is only
tried from shortly before each such word instead of at every "I" and "me" of the note."""
_FIRST_PERSON_CACHE: dict[str, list[str]] = {}


def _first_person_feelings(private: str) -> list[str]:
    if not private:
        return []
    found = _FIRST_PERSON_CACHE.get(private)
    if found is None:
        found = [
            private[a:b].strip()
            for a, b in _NEG_FIRST_PERSON.spans(private)
            if not negated(private, b - len(private[a:b].split()[-1]))
        ]
        if len(_FIRST_PERSON_CACHE) > 8192:
            _FIRST_PERSON_CACHE.clear()
        _FIRST_PERSON_CACHE[private] = found
    return found


R_CT = (
    "Boredom, irritation, hopelessness, helplessness or overwhelm recurring over sessions are common when the "
    "work is repeatedly thwarted; under that strain clinicians can slip into tacit dualism, psychologising the "
    "symptoms and losing sight of the physical suffering (000 L1028, L2248, L675; extraction F10-F11)."
)
S_CT = (
    "Consider taking this to supervision. Tacit-dualism self-check: in recent notes, letters or formulation, "
    "have the symptoms started to sound less real, or purely psychological? Is the physical suffering still in "
    "view, and is the pace still the patient's? (000 L1068, L2248)"
)


def _negative_countertransference(facts: list[_S], th: Thresholds) -> list[Flag]:
    held = [f for f in facts if f.held]
    evidence: dict[int, list[Evidence]] = {}
    for f in held:
        ev = []
        feelings = [_value(x) for x in (_get(f.s, "feelings", []) or [])]
        negative = [x for x in feelings if x in _NEGATIVE_FEELINGS]
        if negative:
            ev.append(Evidence(f.sid, f.date, "feelings", ", ".join(negative)))
        other = f.texts.get("feelings_other", "")
        ev += [Evidence(f.sid, f.date, "feelings_other", p) for p in _hits(_NEG_OTHER, other)]
        private = f.texts.get("private_note", "")
        ev += [Evidence(f.sid, f.date, "private_note", p) for p in _first_person_feelings(private)]
        if ev:
            evidence[f.index] = ev
    group = _window_counts(held, set(evidence), th.countertransference_window, th.countertransference_count)
    if not group:
        return []
    ev = [e for f in group for e in evidence[f.index]]
    tacit = []
    for f in group:
        for name in ("note", "private_note", "plan"):
            for finding in tacit_dualism_markers(f.texts.get(name, "")):
                if not finding.quoted:
                    tacit.append(Evidence(f.sid, f.date, name, f"tacit-dualism marker: '{finding.matched}'"))
    ev += tacit
    severity = "high" if tacit else "medium"
    named = ", ".join(sorted({w for e in ev if e.field == "feelings" for w in e.phrase.split(", ")})) or "difficult feelings"
    summary = f"Therapist's own difficult feelings recorded in {len(group)} sessions ({_span_label(group)}): {named}."
    if tacit:
        summary += f" {len(tacit)} possible tacit-dualism wording(s) in the notes of those sessions."
    return [_flag("negative-countertransference", severity, group, ev, R_CT, S_CT, summary)]


# =============================================================================================
# F8/F13 pushing too hard / premature interpretation
# =============================================================================================

_DEEP_LAYERS = frozenset({"L4", "L5"})
_SHARED = frozenset({"shared", "shared-in-part"})
_INTERPRETATION = _words(
    r"(?:suggested|offered|proposed|wondered\s+aloud|interpreted|linked|made\s+(?:a|the)\s+link|"
    r"shared\s+(?:my|a|the|an)\s+(?:formulation|hypothesis|idea|interpretation|thought)|put\s+(?:it\s+)?to\s+(?:her|him|them)|"
    r"pointed\s+out|named|raised\s+the\s+(?:idea|possibility)|explained|told\s+(?:her|him|them))\b[^.;\n]{0,140}?"
    r"\b(?:childhood|mother|father|parents?|abuse|trauma\w*|grief|griev\w+|loss|anger|angry|unconscious|repressed|unexpressed|"
    r"buried|emotions?|emotional|feelings|stress\w*|anxiety|psychological|early\s+(?:life|experiences)|marriage|relationship|"
    r"divorce|bereavement|death)",
    r"(?:offered|made|gave|shared)\s+(?:an?\s+)?(?:deeper\s+|psychodynamic\s+|causal\s+)?(?:interpretation|formulation|hypothesis)\s+"
    r"(?:about|linking|that|of|connecting|around)",
)
"""The therapist offering a causal or developmental link. The offer must be the therapist's own:
see :func:`_interpretations` (first person within two words before the verb)."""
_FIRST_PERSON_BEFORE = mt.LazyPattern(r"\b(?:i|we)\s+(?:[\w'-]+\s+){0,2}$", re.IGNORECASE)


def _interpretations(text: str) -> list[str]:
    out = []
    for start, end in _INTERPRETATION.spans(text) if text else ():
        group = text[start:end]
        before = text[max(0, start - 40) : start]
        if group.lower().startswith(("offered", "made", "gave", "shared")) and "interpretation" in group.lower():
            pass
        elif not _FIRST_PERSON_BEFORE.search(before):
            continue
        if not negated(text, start):
            out.append(group.strip())
    return out


_REACTION = _words(
    r"angry", r"anger", r"furious", r"cross\s+with\s+me", r"annoyed", r"upset\s+with\s+me", r"offended", r"insulted",
    r"stormed\s+out", r"walked\s+out", r"left\s+(?:the\s+session\s+)?early", r"ended\s+the\s+session", r"rupture\w*",
    r"felt\s+(?:blamed|judged|accused|attacked|dismissed|disbelieved|not\s+believed|misunderstood|criticised|patronised)",
    r"(?:you|we)\s+(?:think|thought)\s+(?:it'?s|it\s+is|it\s+was|I'?m|I\s+am|she'?s|he'?s)\s+(?:all\s+)?(?:in\s+(?:my|her|his)\s+head|"
    r"mad|mental|making\s+it\s+up|imagining)",
    r"are\s+you\s+saying\s+(?:I'?m|it'?s|I\s+am|it\s+is)", r"rejected\s+the\s+(?:idea|link|interpretation|suggestion)",
    r"disagreed", r"disputed", r"withdr(?:ew|awn)", r"went\s+(?:quiet|silent|cold)", r"shut\s+down",
    r"wants?\s+to\s+stop\s+(?:therapy|coming|the\s+sessions)", r"wanted\s+to\s+(?:stop|end)\s+(?:therapy|the\s+sessions|coming)",
    r"(?:won't|will\s+not)\s+be\s+coming\s+back", r"hostile", r"defensive",
)
_DISPUTED = _words(
    r"rejected\s+the\s+(?:idea|link|interpretation|suggestion)", r"disagreed", r"disputed", r"dismissed\s+the\s+(?:idea|link)",
    r"(?:did\s+not|didn't)\s+(?:agree|accept)", r"not\s+in\s+my\s+head",
    r"nothing\s+to\s+do\s+with\s+(?:stress|feelings|my\s+\w+)",
)
R_PUSH = (
    "Deeper, causal or developmental ideas offered before the alliance can hold them, or pressed again after "
    "the patient has disputed them, can trigger strong reactions that are hard to contain; clinicians describe "
    "losing patients by being 'too analytic' too early (000 L727, L882-886, L1014, L1028; sub-category 7.3)."
)
S_PUSH = (
    "A repair conversation may help: acknowledge that something landed badly and ask what it was (000 L977). "
    "For now it may be safer to return to validation, impact and coping (L0-L1) and to hold the deeper idea "
    "privately until the patient brings something close to it (000 L983, L2533)."
)


def _versions(item: Any) -> list[Any]:
    versions = getattr(item, "versions", None)
    if isinstance(versions, list | tuple) and versions:
        return list(versions)
    history = _get(item, "history", None)
    if isinstance(history, list | tuple):
        return [*history, item]
    return [item]


def _stage_at(facts: list[_S], day: dt.date) -> tuple[str, int]:
    """The stage in force on ``day`` (latest session on or before it) and held sessions so far."""
    stage = facts[0].stage if facts else ""
    held = 0
    for f in facts:
        if f.date is not None and f.date <= day:
            stage = f.stage or stage
            if f.held:
                held += 1
    return stage, held


def _reaction(f: _S) -> list[Evidence]:
    ev = []
    if _get(f.s, "rupture", False) is True:
        ev.append(Evidence(f.sid, f.date, "rupture", "ticked: rupture in the alliance"))
    if f.attendance == "dna":
        ev.append(Evidence(f.sid, f.date, "attendance", "did not attend"))
    ev += _phrase_evidence(f, _REACTION)
    return ev


def _followed_by(facts: list[_S], day: dt.date, th: Thresholds, *, after_index: int | None = None) -> list[_S]:
    if after_index is not None:
        window = facts[after_index : after_index + 1 + th.rupture_followup_sessions]
    else:
        same_day = [f for f in facts if f.date == day]
        later = [f for f in facts if f.date is not None and f.date > day][: th.rupture_followup_sessions]
        window = same_day + later
    return [f for f in window if _reaction(f)]


def _pushing_too_hard(facts: list[_S], formulation: Sequence[Any] | None, th: Thresholds) -> list[Flag]:
    involved: dict[int, _S] = {}
    evidence: list[Evidence] = []
    reasons: list[str] = []
    # --- from the formulation: deep items shared early or after "disputed" --------------------
    items = list(formulation or [])
    disputed_dates: list[dt.date] = []
    events: list[tuple[dt.date, Any, str]] = []
    seen: set[tuple[int, dt.date]] = set()
    for n, item in enumerate(items):
        for v in _versions(item):
            layer = _text(_get(v, "layer", ""))
            if layer not in _DEEP_LAYERS:
                continue
            shared_on = _as_date(_get(v, "date_shared", None))
            when = _as_date(_get(v, "at", None)) or shared_on
            if _text(_get(v, "response", "")) == "disputed" and when is not None:
                disputed_dates.append(when)
            if _text(_get(v, "status", "")) in _SHARED and shared_on is not None and (n, shared_on) not in seen:
                seen.add((n, shared_on))
                events.append((shared_on, v, layer))
    for shared_on, v, layer in sorted(events, key=lambda e: e[0]):
        stage, held_before = _stage_at(facts, shared_on)
        why = []
        if stage in _EARLY_STAGES:
            why.append(f"while the work was at the {stage} stage")
        elif held_before < th.early_sessions:
            why.append(f"after only {held_before} session(s)")
        if any(d < shared_on for d in disputed_dates):
            why.append("after an earlier deep idea had been disputed")
        if not why:
            continue
        reacted = _followed_by(facts, shared_on, th)
        if not reacted:
            continue
        text = _text(_get(v, "text", ""))
        snippet = (text[:70] + "…") if len(text) > 70 else text
        on_day = next((f for f in facts if f.date == shared_on), None)
        evidence.append(
            Evidence(on_day.sid if on_day else "", shared_on, "formulation",
                     f"{layer} item shared {' and '.join(why)}" + (f": '{snippet}'" if snippet else ""))
        )
        if on_day:
            involved[on_day.index] = on_day
        for f in reacted:
            involved[f.index] = f
            evidence += _reaction(f)
        reasons.append(f"a layer {layer[1]} idea shared {why[0]}")
    # --- from the session notes: an interpretation offered early, then a reaction ------------
    disputed_before = False
    for pos, f in enumerate(facts):
        if not f.held:
            continue
        texts = (f.texts.get("note", ""), f.texts.get("private_note", ""))
        interp = [(name, phrase) for name, text in zip(("note", "private_note"), texts, strict=True)
                  for phrase in _interpretations(text)]
        subs = [str(c) for c in (_get(f.s, "substrategies", []) or [])]
        early = f.stage in _EARLY_STAGES or (f.held_index or 0) < th.early_sessions
        if "7.2" in subs and early and not interp:
            interp = [("substrategies", "sub-strategy 7.2 (digging deeper) ticked")]
        if interp and (early or disputed_before):
            reacted = _followed_by(facts, f.date or dt.date.min, th, after_index=pos)
            if reacted:
                why = f"at the {f.stage} stage" if f.stage in _EARLY_STAGES else (
                    "early in the work" if early else "after the patient had disputed a link")
                evidence.append(Evidence(f.sid, f.date, interp[0][0], f"interpretation offered {why}: '{interp[0][1][:90]}'"))
                involved[f.index] = f
                for r in reacted:
                    involved[r.index] = r
                    evidence += [e for e in _reaction(r) if e not in evidence]
                reasons.append(f"an interpretation offered {why}")
        if any(_hits(_DISPUTED, text) for text in texts):
            disputed_before = True
    if not evidence:
        return []
    sessions = sorted(involved.values(), key=lambda f: f.index)
    summary = (
        "Something deeper was offered (" + "; ".join(dict.fromkeys(reasons)) + ") and was followed by rupture, anger or "
        "a missed session."
    )
    return [_flag("pushing-too-hard", "high", sessions, evidence, R_PUSH, S_PUSH, summary)]


# =============================================================================================
# F9 impasse, and positive signs of engagement (extraction §2.2)
# =============================================================================================

_POSITIVE = _words(
    r"(?:made|making|saw|sees|noticed|notices|found|drew|drawing)\s+(?:a\s+|the\s+|some\s+|her\s+own\s+|his\s+own\s+)?"
    r"(?:link|links|connection|connections)",
    r"linked\s+(?:her|his|their|the)\s+\w+", r"reflect(?:ed|ing|s)\s+on", r"had\s+been\s+thinking\s+about",
    r"thought\s+about\s+(?:what\s+we|last\s+(?:session|week)|our\s+(?:last|previous)|it\s+during\s+the\s+week)",
    r"(?:acknowledged|admitted|named|voiced|expressed|spoke|talked|opened\s+up|shared|described)\s+(?:\w+ly\s+)?(?:about\s+|of\s+)?"
    r"(?:(?:her|his|their|some|the|how|a|feeling|feelings\s+of)\s+)?(?:\w+\s+){0,2}?(?:feelings?|sadness|sad|anger|angry|grief|fear|"
    r"loneliness|lonely|guilt|shame|hurt|loss|frustration|disappointment|resentment|upset|worries|tears)",
    r"opened\s+up", r"cried", r"tearful", r"tears", r"wept",
    r"(?:she|he|they)\s+(?:was|were|seemed|is|are)?\s*curious", r"(?:she|he|they)\s+wondered\s+(?:whether|if|why|aloud)",
    r"(?:tried|started|began|managed|went\s+back\s+to|got\s+back\s+to|returned\s+to)\s+(?:to\s+)?(?:\w+\s+){0,2}?"
    r"(?:walk\w*|swim\w*|garden\w*|going\s+out|go\s+out|see(?:ing)?\s+friends|visit\w*|work|volunteer\w*|class|group|hobby|"
    r"paint\w*|pacing|singing|choir|cook\w*)",
    r"(?:did|completed|kept|brought|filled\s+in)\s+(?:the\s+|her\s+|his\s+|their\s+)?(?:homework|diary|task|exercise|worksheet|practice|log)",
    r"(?:as\s+if|as\s+though|it's\s+like)\s+(?:she|he|I|I'm|she's|he's|she\s+is|he\s+is|she\s+was|he\s+was)",
    r"more\s+hopeful", r"hopeful", r"more\s+(?:able|confident|open|engaged|reflective)", r"proud", r"positive\s+change",
    r"(?:a|some)\s+shift", r"shifted", r"progress", r"insight", r"made\s+sense", r"breakthrough", r"lighter",
    r"(?:her|his|their)\s+own\s+(?:idea|ideas|links?|theory|understanding|explanation)", r"remembered\s+(?:a|an|when|how|being)",
    r"laughed", r"engaged", r"enjoyed", r"(?:was|felt|seemed)\s+able\s+to\s+(?:talk|think|say|stay)",
    r"(?:felt|feels|feeling|was|is|seemed)\s+(?:very\s+|so\s+|quite\s+|really\s+)?(?:sad|angry|guilty|ashamed|lonely|hurt|afraid|"
    r"scared|frightened|tearful|upset|hopeful|relieved|proud|jealous|resentful|bereft|heartbroken|abandoned|rejected)",
    r"explor(?:ed|ing)\s+(?:[\w'-]+\s+){0,3}?(?:feelings?|relationships?|meaning|links?|connections?|what|how|why|past|childhood|"
    r"mother|father|family|marriage|husband|wife|partner|loss|grief)",
    r"productive", r"(?:good|helpful|useful|thoughtful)\s+session", r"engaged\s+well", r"thoughtful", r"insightful",
    r"motivated", r"(?:she|he|they)\s+(?:has\s+|had\s+)?noticed", r"practis(?:ed|ing)", r"tried\s+out",
)
_STUCK = _words(
    r"stuck", r"going\s+(?:round|around)\s+in\s+circles", r"round\s+in\s+circles",
    r"no\s+(?:movement|change|progress|shift)", r"nothing\s+(?:has\s+)?(?:changed|changing|shifting|moving|shifted)",
    r"same\s+as\s+(?:ever|always|last\s+(?:week|time|session))", r"impasse", r"getting\s+nowhere", r"going\s+nowhere",
    r"groundhog", r"(?:going|went)\s+over\s+(?:the\s+)?same\s+ground", r"thwarted", r"at\s+a\s+standstill",
    r"repeat(?:ing|ed)\s+(?:the\s+)?same", r"treading\s+water", r"not\s+moving\s+forward",
)
R_IMPASSE = (
    "Several sessions with no movement in stage and no sign of engagement in the process can mark a therapeutic "
    "impasse; clinicians manage it with restraint and by changing approach, not by pushing harder "
    "(000 L729, L1028-1030; sub-category 7.5)."
)
S_IMPASSE = (
    "Consider changing the focus rather than the intensity: more active coping and self-management work, systemic "
    "or GP-linked work, or reviewing the goals with the patient (000 L1028, L2483-2495). Coping and quality of life "
    "count as outcomes too (000 L2488). Supervision can help hold the frustration (000 L1030)."
)


def _positive(f: _S) -> list[Evidence]:
    ev = _phrase_evidence(f, _POSITIVE, ("note", "private_note", "homework"))
    score, _, feeling, _, f_weight = _estimate(f.content)
    if f_weight >= 2 and score <= 0.5:
        ev.append(Evidence(f.sid, f.date, "note", f"feelings and relationships talked about: {_word_summary(feeling, 5)}"))
    return ev


def _is_positive(f: _S) -> bool:
    """``bool(_positive(f))``, without the vocabulary estimate when a phrase already counts."""
    if any(_hits(_POSITIVE, f.texts.get(name, "")) for name in ("note", "private_note", "homework")):
        return True
    score, _, _, _, f_weight = _estimate(f.content)
    return f_weight >= 2 and score <= 0.5


def positive_signs(sessions: Iterable[Any]) -> list[Evidence]:
    """Signs of engagement in held sessions' notes: links made, feelings acknowledged, reflection
    between sessions, new behaviour, symbolic statements, the patient's own ideas (extraction §2.2;
    000 L833, L1824-1826, L1936-1949, L2524). Shown beside the flags so the record is not only
    about problems."""
    return [e for f in _facts(sessions) if f.held for e in _positive(f)]


def _impasse(facts: list[_S], th: Thresholds) -> list[Flag]:
    held = [f for f in facts if f.held and (f.held_index or 0) >= th.impasse_skip_first]
    runs: list[list[_S]] = []
    run: list[_S] = []
    for f in held:
        positive = _is_positive(f)
        if run and (f.stage != run[-1].stage or positive):
            runs.append(run)
            run = []
        if not positive:
            run.append(f)
    if run:
        runs.append(run)
    flags = []
    for run in runs:
        stuck = {f.index: _phrase_evidence(f, _STUCK) for f in run}
        stuck = {k: v for k, v in stuck.items() if v}
        need = th.impasse_sessions if run[0].stage == _NUDGING else th.impasse_sessions_early_stage
        by_length = len(run) >= need
        by_notes = len(run) >= th.impasse_stuck_sessions and len(stuck) >= th.impasse_stuck_mentions
        if not (by_length or by_notes):
            continue
        ev = [Evidence(f.sid, f.date, "stage", f"{f.stage}; no sign of engagement noted") for f in run]
        ev += [e for v in stuck.values() for e in v]
        ongoing = run[-1] is held[-1]
        summary = (
            f"{len(run)} sessions in a row ({_span_label(run)}) at the {run[0].stage} stage with no movement and no "
            f"positive sign of engagement in the notes" + (", and the notes say the work feels stuck." if stuck else ".")
        )
        flags.append(_flag("impasse", "medium" if ongoing else "low", run, ev, R_IMPASSE, S_IMPASSE, summary))
    return flags


# =============================================================================================
# F23 "untreatable" labelling
# =============================================================================================

R_UNTREATABLE = (
    "Labelling a patient 'untreatable' is over-generalised: it ignores the fit between patient and approach and "
    "a readiness that can change over time, and it can be a sign of the therapist's own exhaustion acting out "
    "(000 L933, L1028; extraction F23)."
)
S_UNTREATABLE = (
    "It may help to take this to supervision and to describe instead what has and has not helped so far and "
    "what might fit better now, e.g. a more practical, self-management focus (000 L1028, L2483-2495)."
)
class _Gate:
    """A cheap substring pre-check: only texts holding one of these stems can carry an
    'untreatable' label (every alternative of the language checker's untreatable rule contains
    one; a test checks it). Answers are cached per text."""

    STEMS = ("treat", "beyond", "hopeless", "lost cause", "helpable", "reachable", "helped", "impossible", "be done",
             "no point")

    def __init__(self) -> None:
        self._cache: dict[str, bool] = {}

    def possible_any(self, texts: list[str]) -> bool:
        """``any(self.possible(t) for t in texts)`` in one pass (no stem spans a separator)."""
        low = "\x00".join(texts).lower()
        return any(map(low.__contains__, self.STEMS))

    def possible(self, text: str) -> bool:
        if not text:
            return False
        found = self._cache.get(text)
        if found is None:
            low = text.lower()
            found = any(map(low.__contains__, self.STEMS))
            if len(self._cache) > 8192:
                self._cache.clear()
            self._cache[text] = found
        return found


_UNTREATABLE_GATE = _Gate()
_CLIENT_TEXT_FIELDS = (
    "referral_positioning", "referral_reaction", "presenting_symptoms", "investigations", "risk_notes",
    "referrer_goal", "patient_goal", "explanatory_model", "other_professionals",
)


def _untreatable(client: Any, facts: list[_S], formulation: Sequence[Any] | None) -> list[Flag]:
    evidence: list[Evidence] = []
    involved: dict[int, _S] = {}
    names = ("note", "private_note", "plan", "homework", "feelings_other", "addenda", "themes")
    for f in facts:
        texts = f.texts
        if not _UNTREATABLE_GATE.possible_any([texts.get(n, "") for n in names]):
            continue
        for name in names:
            for finding in untreatable_labels(f.texts.get(name, "")):
                if not finding.quoted:
                    evidence.append(Evidence(f.sid, f.date, name, finding.matched))
                    involved[f.index] = f
    for name in _CLIENT_TEXT_FIELDS:
        for finding in untreatable_labels(_text(_get(client, name, ""))):
            if not finding.quoted:
                evidence.append(Evidence("", None, f"client.{name}", finding.matched))
    for item in formulation or []:
        current = _versions(item)[-1]
        for finding in untreatable_labels(_text(_get(current, "text", ""))):
            if not finding.quoted:
                evidence.append(Evidence("", _as_date(_get(current, "at", None)), "formulation", finding.matched))
    if not evidence:
        return []
    sessions = sorted(involved.values(), key=lambda f: f.index)
    words = ", ".join(dict.fromkeys(f"'{e.phrase}'" for e in evidence))
    summary = f"The therapist's own text calls the work or the patient {words}."
    return [_flag("untreatable-label", "high", sessions, evidence, R_UNTREATABLE, S_UNTREATABLE, summary, anchor="client")]


# =============================================================================================
# F21 goal conflict
# =============================================================================================

_REF_UTILISATION = _words(
    r"(?:reduc\w*|fewer|less|cut(?:ting)?\s+down|stop\w*|decreas\w*|lower\w*|limit\w*|manag\w*|curb\w*)\b[^.;\n]{0,40}?"
    r"\b(?:attendance|attending|attends|appointments|consultations|visits|a&e|gp\s+use|use\s+of\s+(?:services|the\s+gp|a&e|the\s+practice)|"
    r"requests?|investigations|tests|scans|referrals|presentations|calls|contacts?|health[- ]?care\s+use|utili[sz]ation|"
    r"demands?|help[- ]seeking|reassurance[- ]seeking)",
    r"health[- ]seeking\s+behaviou?rs?", r"frequent(?:ly)?\s+attend\w*", r"reassurance[- ]seeking",
    r"stop\s+(?:asking|requesting|seeking)", r"no\s+(?:further|more)\s+(?:tests|investigations|referrals)",
    r"(?:accept\w*|understand\w*|come\s+to\s+terms\s+with)\b[^.;\n]{0,40}?\b(?:no\s+(?:further|more)\s+(?:tests|investigations)|"
    r"(?:there\s+is\s+)?no\s+(?:physical|organic|medical|underlying)\s+(?:cause|explanation|disease)|psychological|emotional|"
    r"stress|anxiety|(?:results|tests)\s+(?:are|were)\s+normal|nothing\s+(?:is\s+)?(?:physically\s+)?wrong)",
        family="client")
_REF_PSYCH = _words(
    r"low\s+mood", r"depress\w*", r"anxi\w*", r"health\s+anxiety", r"coping", r"cope", r"mood", r"emotional\w*",
    r"psycholog\w*", r"stress\w*", r"trauma\w*", r"grief", r"bereavement", r"adjustment", r"mental\s+health", r"worry",
        family="client")
_PAT_RELIEF = _words(
    r"pain[- ]free", r"symptom[- ]free", r"get\s+rid\s+of",
    r"(?:make|get)\s+(?:the\s+|my\s+|her\s+|his\s+)?(?:pain|symptoms?|it|them)\s+(?:to\s+)?(?:go\s+away|stop|disappear)",
    r"(?:pain|symptoms?|seizures|attacks|dizziness|fatigue)\s+(?:to\s+)?(?:go\s+away|stop|"
    r"disappear|gone|ease)", r"cure\w*", r"fix(?:ed)?", r"(?:get\s+)?back\s+to\s+normal", r"(?:be\s+)?better\s+again",
    r"(?:less|no\s+more|no|reduce\w*|relief\s+from|relieve|ease)\s+(?:the\s+|my\s+|her\s+|his\s+)?(?:pain|symptoms?|fatigue|dizziness|"
    r"seizures|attacks|headaches?|migraines?)", r"stop\s+the\s+(?:pain|seizures|attacks|symptoms)", r"pain\s+relief",
    r"feel\s+(?:physically\s+)?well\s+again", r"(?:get|be)\s+well",
        family="client")
_PAT_DIAGNOSIS = _words(
    r"diagnos\w*", r"find\s+out\s+what(?:'s|\s+is)\s+(?:wrong|causing)", r"what(?:'s|\s+is)\s+(?:wrong|causing)", r"the\s+cause",
    r"more\s+tests", r"further\s+(?:tests|investigations)", r"(?:another|a\s+second)\s+opinion",
    r"(?:a|another|new)\s+(?:scan|referral|specialist)",
    r"answers", r"to\s+be\s+(?:believed|taken\s+seriously)",
        family="client")
_PAT_COPING = _words(
    r"cope", r"coping", r"manage", r"managing", r"live\s+with", r"living\s+with", r"quality\s+of\s+life", r"understand\w*",
    r"make\s+sense", r"get\s+back\s+to\s+(?!normal)\w+", r"return\s+to", r"do\s+more", r"enjoy\w*",
    r"feel\s+less\s+(?:low|anxious|down|worried)",
    r"mood", r"confidence", r"worry\s+less", r"sleep", r"pacing", r"relationship", r"family", r"work",
        family="client")
_PAT_NOT_PSYCH = _words(
    r"(?:not|nothing)\s+(?:psychological|in\s+(?:my|her|his)\s+head|mental)",
    r"(?:don't|do\s+not|doesn't)\s+need\s+(?:a\s+)?(?:psycholog\w*|therap\w*|counsell\w*)",
    r"(?:not|isn't)\s+(?:a\s+)?mental\s+health", r"talking\s+(?:won't|will\s+not|can't|cannot)\s+(?:help|change)",
        family="client")
R_GOALS = (
    "GPs often refer because of health-care use (frequent attendance, requests for tests) while patients come hoping "
    "for relief from their symptoms; this goal conflict shapes engagement and is worth naming early "
    "(000 L622, L1212; 001 L236; extraction F21)."
)
S_GOALS = (
    "It may help to talk openly about what each hopes for and to agree goals in the patient's own words, for example "
    "living better with the symptoms, while being honest that therapy is not a cure (000 L2442; 001 L238); the agreed "
    "goals can then be shared with the GP."
)


def _goal_conflict(client: Any) -> list[Flag]:
    referrer = _text(_get(client, "referrer_goal", "")).strip()
    patient = _text(_get(client, "patient_goal", "")).strip()
    if not patient:
        return []
    fallback = " ".join(_text(_get(client, n, "")) for n in ("referral_positioning", "referral_source"))
    ref_util = _hits(_REF_UTILISATION, referrer, negatable=False) or (
        not referrer and _hits(_REF_UTILISATION, fallback, negatable=False)
    )
    ref_psych = _hits(_REF_PSYCH, referrer, negatable=False)
    relief = _hits(_PAT_RELIEF, patient, negatable=False) + _hits(_PAT_DIAGNOSIS, patient, negatable=False)
    coping = _hits(_PAT_COPING, patient, negatable=False)
    not_psych = _hits(_PAT_NOT_PSYCH, patient, negatable=False)
    reasons = []
    if ref_util and relief:
        reasons.append("the referral is about use of health care, the patient's hope is about the symptoms themselves")
    elif ref_psych and relief and not coping:
        reasons.append("the referral names psychological goals, the patient's goal is about the symptoms themselves")
    if not_psych and (ref_util or ref_psych or referrer):
        reasons.append("the patient does not see a psychological side to the problem")
    if not reasons:
        return []
    evidence = []
    if referrer:
        evidence.append(Evidence("", _as_date(_get(client, "referral_date", None)), "referrer_goal", referrer))
    elif ref_util:
        evidence.append(Evidence("", _as_date(_get(client, "referral_date", None)), "referral_positioning", fallback.strip()))
    evidence.append(Evidence("", None, "patient_goal", patient))
    summary = "The referrer's and the patient's goals point different ways: " + "; ".join(reasons) + "."
    return [_flag("goal-conflict", "medium", [], evidence, R_GOALS, S_GOALS, summary, anchor="client")]


# =============================================================================================
# Risk items on outcome measures (measures.md rule 5)
# =============================================================================================

R_RISK = (
    "A risk item answered above zero, or left unanswered, calls for the clinician's review whatever the total: "
    "PHQ-9 item 9 and CORE-10 item 6 (the scoring guidance of both measures; the rules are under i in the Measures "
    "tab). An unanswered risk item is not the same as a reassuring answer."
)
S_RISK = (
    "Ask about it directly, assess risk following your service's procedure, and record what was agreed. Dismiss this "
    "flag with a short reason (for example when the risk assessment is done and recorded)."
)
_RISK_INSTRUMENTS = ("phq9", "core10")


def measure_risk(measures: Sequence[Any]) -> list[Flag]:
    """One ``measure-risk`` flag for each of PHQ-9 and CORE-10 whose latest result has its risk
    item endorsed or unanswered. Keyed by the measure's id, so a dismissal covers that result and a
    later positive result raises a new flag."""
    latest: dict[str, Any] = {}
    for m in measures:
        code = _text(_get(m, "instrument", ""))
        if code not in _RISK_INSTRUMENTS:
            continue
        when = (_get(m, "date", None) or dt.date.min, _text(_get(m, "id", "")))
        if code not in latest or when >= latest[code][0]:
            latest[code] = (when, m)
    out = []
    for code in _RISK_INSTRUMENTS:
        if code not in latest:
            continue
        m = latest[code][1]
        try:
            score = m.score
        except (AttributeError, ValueError):
            continue
        if not score.risk:
            continue
        name = m.definition.name if hasattr(m, "definition") else code
        date = _as_date(_get(m, "date", None))
        evidence = [Evidence("", date, "measure", reason) for reason in score.risk_reasons]
        ack = _get(m, "risk_acknowledged", None)
        when = date.isoformat() if date else "an undated day"
        summary = f"The latest {name} ({when}) has its risk item endorsed or unanswered."
        if isinstance(ack, dict) and ack.get("at"):
            summary += f" The notice was acknowledged on {str(ack['at'])[:10]}; the flag stays until the risk is reviewed."
        out.append(_flag("measure-risk", "high", [], evidence, R_RISK, S_RISK, summary,
                         anchor=f"{code}:{_text(_get(m, 'id', '')) or when}"))
    return out


# =============================================================================================
# F26 treatment burden
# =============================================================================================

_SPLIT_SERVICES = mt.LazyPattern(r"[,;\n/+•·]|\s+(?:and|&|plus)\s+|\s+-\s+", re.IGNORECASE)
_NOT_A_SERVICE = mt.LazyPattern(r"^\s*(?:none|n/?a|nil|no|not\s+known|unknown|-|—)?\s*[.]?\s*$", re.IGNORECASE)
_BURDEN = _words(
    r"(?:so\s+many|too\s+many|lots\s+of|a\s+lot\s+of|endless|constant|back-to-back|multiple|several)\s+(?:hospital\s+|medical\s+|health\s+)?"
    r"(?:appointments|clinics|professionals|specialists|referrals|investigations|services)",
    r"tired\s+of\s+(?:the\s+|all\s+the\s+)?(?:appointments|hospitals?|clinics|the\s+system|being\s+(?:poked|prodded|referred|tested|passed))",
    r"exhausted\s+by\s+(?:the\s+|all\s+the\s+)?(?:appointments|hospital|system|clinics|tests)",
    r"(?:another|yet\s+another)\s+(?:hospital\s+)?(?:appointment|referral|clinic)", r"back\s+and\s+forth\s+(?:to|between)",
    r"confus(?:ed|es|ing)\s+(?:me\s+with|who|about\s+who|which\s+(?:professional|clinician|service))",
    r"clash(?:es|ed|ing)?\s+with\s+(?:a|her|his|their|another)", r"juggl(?:e|es|ing)\s+(?:appointments|clinics)",
    r"poked\s+and\s+prodded", r"passed\s+(?:from|between)\s+(?:service|clinic|department)s?",
)
R_BURDEN = (
    "People living with persistent and long-term symptoms often have many medical appointments that take priority and "
    "can clash with therapy; many professionals can be confusing, and patients can be tired of the system (004 L856-880)."
)
S_BURDEN = (
    "Consider whether now is the right time and which format fits: fewer or shorter sessions, phone or video, or timing "
    "around other appointments (004 L594-596, L880). Liaising with the other services and introducing yourself each time "
    "can help (004 L870)."
)


_FREQUENCY = mt.LazyPattern(
    r"\b(?:weekly|monthly|fortnightly|daily|yearly|annual(?:ly)?|regular(?:ly)?|every\s+\w+(?:\s+weeks?|\s+months?)?|"
    r"twice|once|a\s+(?:week|month)|per\s+(?:week|month)|\d+\s*x|appointments?\s+(?:with|at)|the|her|his|their|with|at)\b",
    re.IGNORECASE,
)


def _services(client: Any) -> list[str]:
    """Other services or appointment streams listed on the client, de-duplicated loosely
    ("weekly physio" and "physiotherapy" count once)."""
    items: list[str] = []
    keys: set[str] = set()
    for name in ("concurrent_appointments", "other_professionals"):
        for part in _SPLIT_SERVICES.split(_text(_get(client, name, ""))):
            part = part.strip(" .:-\t")
            if not part or _NOT_A_SERVICE.match(part):
                continue
            key = re.sub(r"[^a-z]", "", _FREQUENCY.sub(" ", part.lower()))[:6]
            if key and key not in keys:
                keys.add(key)
                items.append(part)
    return items


def _treatment_burden(client: Any, facts: list[_S], th: Thresholds) -> list[Flag]:
    services = _services(client)
    clashes = [
        f
        for f in facts
        if f.attendance in _ABSENT and _reason(f.texts.get("attendance_reason", "")) == "clashing medical appointment"
    ]
    phrase_sessions: dict[int, list[Evidence]] = {}
    for f in facts:
        ev = _phrase_evidence(f, _BURDEN, ("note", "private_note", "attendance_reason"))
        if ev:
            phrase_sessions[f.index] = ev
    n_services, n_clash, n_phrase = len(services), len(clashes), len(phrase_sessions)
    triggered = (
        (th.burden_services and n_services >= th.burden_services)
        or (th.burden_clashes and n_clash >= th.burden_clashes)
        or (th.burden_phrase_sessions and n_phrase >= th.burden_phrase_sessions)
        or ((n_clash + n_phrase) >= 1 and n_services >= max(th.burden_services - 2, 1))
    )
    if not triggered:
        return []
    evidence = []
    if services:
        listed = "; ".join(services)
        evidence.append(Evidence("", None, "client.services", f"{n_services} other services or appointment streams: {listed}"))
    for f in clashes:
        evidence.append(Evidence(f.sid, f.date, "attendance", f"missed: {f.texts.get('attendance_reason', '').strip()}"))
    for k in sorted(phrase_sessions):
        evidence += phrase_sessions[k]
    involved = sorted({f.index: f for f in clashes + [facts[k] for k in phrase_sessions]}.values(), key=lambda f: f.index)
    bits = []
    if services:
        bits.append(f"{n_services} other services involved")
    if clashes:
        bits.append(f"{n_clash} session(s) missed for clashing medical appointments")
    if phrase_sessions:
        bits.append(f"the load of appointments mentioned in {n_phrase} session note(s)")
    summary = "Treatment burden: " + ", ".join(bits) + "."
    return [_flag("treatment-burden", "low" if not clashes else "medium", involved, evidence, R_BURDEN, S_BURDEN, summary,
                  anchor="client")]


# =============================================================================================
# The engine
# =============================================================================================


def _dismissals(dismissed: Any) -> dict[str, str]:
    """Normalise the ``dismissed`` argument to {key or kind: reason}."""
    out: dict[str, str] = {}
    if not dismissed:
        return out
    if isinstance(dismissed, Mapping):
        return {str(k): _text(v) for k, v in dismissed.items()}
    for d in dismissed:
        if isinstance(d, str):
            out[d] = ""
        elif isinstance(d, tuple) and d:
            out[str(d[0])] = _text(d[1]) if len(d) > 1 else ""
        else:
            key = _text(_get(d, "key", "")) or _text(_get(d, "kind", ""))
            if key:
                out[key] = _text(_get(d, "reason", ""))
    return out


def detect(
    client: Any,
    sessions: Sequence[Any],
    formulation: Sequence[Any] | None = None,
    thresholds: Thresholds | None = None,
    dismissed: Any = (),
    measures: Sequence[Any] | None = None,
) -> list[Flag]:
    """All process-issue flags for one client, most serious first.

    ``client`` and ``sessions`` are the domain models (any objects with the same attributes work;
    fields not yet on the model are read from ``extra``). ``formulation`` is an optional list of
    formulation items (``FormulationItem`` with ``versions``, or any objects with ``layer``,
    ``status``, ``date_shared``, ``response`` and optional ``history``). ``dismissed`` holds the
    therapist's dismissals: flag keys or kinds (strings), ``(key, reason)`` pairs, a mapping
    ``{key: reason}``, or objects with ``key``/``kind`` and ``reason``. Dismissed flags are still
    returned, marked ``dismissed`` with the reason, so they stay visible in history.
    ``measures`` (``MeasureResult`` objects) add the ``measure-risk`` flag when the latest PHQ-9 or
    CORE-10 has its risk item endorsed or unanswered.
    """
    th = thresholds or Thresholds()
    key = _fingerprint(client, sessions or [], formulation, th)
    cached = _RESULTS.get(key) if key is not None else None
    if cached is None:
        cached = _detect(client, sessions or [], formulation, th)
        if key is not None:
            if len(_RESULTS) >= _RESULTS_MAX:
                _RESULTS.pop(next(iter(_RESULTS)))
            _RESULTS[key] = cached
    flags = [replace(f, sessions=list(f.sessions), evidence=list(f.evidence)) for f in cached]
    flags += measure_risk(measures or [])
    marks = _dismissals(dismissed)
    if marks:
        flags = [
            replace(f, dismissed=True, dismissed_reason=marks.get(f.key, marks.get(f.kind, "")))
            if (f.key in marks or f.kind in marks)
            else f
            for f in flags
        ]
    order = list(FLAG_KINDS)
    flags.sort(key=lambda f: (f.dismissed, _SEVERITY_RANK.get(f.severity, 3), order.index(f.kind)))
    return flags


_RESULTS: dict[_Key, list[Flag]] = {}
_RESULTS_MAX = 1024
"""Enough for a large caseload: the background pass after unlock leaves every client's flags ready
(the keys keep the notes' text, a few MB for 10,000 sessions)."""
_SESSION_KEY_FIELDS = (
    "id", "date", "number", "attendance", "attendance_reason", "stage", "body_talk", "feelings_other", "homework",
    "plan", "note", "private_note", "no_recollection", "token_agreement", "passivity", "rupture",
)
_CLIENT_KEY_FIELDS = (
    "referrer_goal", "patient_goal", "referral_positioning", "referral_source", "referral_date", "concurrent_appointments",
    "other_professionals", *_CLIENT_TEXT_FIELDS,
)
_VERSION_KEY_FIELDS = ("layer", "status", "date_shared", "response", "at", "text")


def _frozen(value: Any) -> Any:
    """A hashable stand-in for a field value (lists become tuples, enums their values)."""
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _frozen(v)) for k, v in value.items()))
    value = getattr(value, "value", value)
    try:
        hash(value)
    except TypeError:
        return repr(value)
    return value


_PLAIN = frozenset({str, int, float, bool, type(None), dt.date, dt.datetime})
_SESSION_KEY_GETTER = operator.attrgetter(*_SESSION_KEY_FIELDS, "substrategies", "feelings", "themes", "addenda", "extra")
_CLIENT_KEY_GETTER = operator.attrgetter(*_CLIENT_KEY_FIELDS, "extra")


def _quick_key(values: tuple) -> tuple | None:
    """The fields as read, when they are plain values, or ``None`` (then :func:`_get` is used)."""
    *fields, extra = values
    if extra:
        return None
    out = ["quick"]
    for v in fields:
        if v.__class__ in _PLAIN:
            out.append(v)
        elif isinstance(v, list | tuple) and all(x.__class__ in _PLAIN or hasattr(x, "value") for x in v):
            out.append(_frozen(v))
        elif hasattr(v, "value") and v.value.__class__ in _PLAIN:  # an enum
            out.append(v.value)
        else:
            return None
    return tuple(out)


_N_SESSION_KEY = len(_SESSION_KEY_FIELDS)


def _session_key(s: Any) -> tuple:
    try:
        values = _SESSION_KEY_GETTER(s)
    except AttributeError:
        values = None
    if values is not None:
        *fields, substrategies, feelings, themes, addenda, extra = values
        if not addenda and not extra and extra is not None:
            quick = _quick_fields(fields, substrategies, feelings, themes)
            if quick is not None:
                return quick
    return (
        tuple(_frozen(_get(s, name)) for name in _SESSION_KEY_FIELDS),
        _frozen(_get(s, "substrategies", [])),
        _frozen(_get(s, "feelings", [])),
        _frozen(_get(s, "themes", [])),
        tuple(_text(getattr(a, "text", a)) for a in (_get(s, "addenda", []) or [])),
    )


_KEY_TYPES: set[type] = set(_PLAIN)
"""Value types a session key may hold as they are: plain values, and enums whose values are."""


def _key_type(kind: type) -> bool:
    if kind in _KEY_TYPES:
        return True
    if isinstance(kind, type) and issubclass(kind, Enum) and all(m.value.__class__ in _PLAIN for m in kind):
        _KEY_TYPES.add(kind)
        return True
    return False


def _quick_fields(fields: list, *lists: Any) -> tuple | None:
    """A session key from the field values as they are (plain values and enums are immutable and
    hashable), or ``None`` when some value is of another kind."""
    if not _KEY_TYPES.issuperset(map(type, fields)) and not all(_key_type(type(v)) for v in fields):
        return None
    frozen = []
    for items in lists:
        if items.__class__ is list:
            if not _KEY_TYPES.issuperset(map(type, items)) and not all(_key_type(type(v)) for v in items):
                return None
            frozen.append(tuple(items))
        elif items is None:
            frozen.append(None)
        else:
            return None
    return ("quick", *fields, *frozen)


def _client_key(client: Any) -> tuple:
    try:
        quick = _quick_key(_CLIENT_KEY_GETTER(client))
    except AttributeError:
        quick = None
    return quick if quick is not None else tuple(_frozen(_get(client, name)) for name in _CLIENT_KEY_FIELDS)


class _Key:
    """A fingerprint with its hash worked out once (it is looked up, then stored)."""

    __slots__ = ("_hash", "value")

    def __init__(self, value: tuple) -> None:
        self.value = value
        self._hash = hash(value)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Key) and self._hash == other._hash and self.value == other.value


def _fingerprint(client: Any, sessions: Sequence[Any], formulation: Sequence[Any] | None, th: Thresholds) -> _Key | None:
    """Everything :func:`detect` reads, as one hashable key, so a repeat run on unchanged data
    (the caseload recounting open flags, the flags tab re-opening) is a dictionary look-up.
    ``None`` when something cannot be keyed safely; then nothing is cached."""
    try:
        session_keys = tuple(_session_key(s) for s in sessions)
        client_key = _client_key(client)
        formulation_key = tuple(
            tuple(tuple(_frozen(_get(v, name)) for name in _VERSION_KEY_FIELDS) for v in _versions(item))
            for item in (formulation or [])
        )
        return _Key((session_keys, client_key, formulation_key, th))
    except Exception:  # noqa: BLE001 - anything odd: just do not cache
        return None


def _detect(client: Any, sessions: Sequence[Any], formulation: Sequence[Any] | None, th: Thresholds) -> list[Flag]:
    facts = _facts(sessions)
    flags: list[Flag] = []
    flags += _repetitive_body_talk(facts, th)
    flags += _dna_pattern(facts, th)
    flags += _starting_again(facts, th)
    flags += _token_agreement(facts, th)
    flags += _passivity(facts, th)
    flags += _negative_countertransference(facts, th)
    flags += _pushing_too_hard(facts, formulation, th)
    flags += _impasse(facts, th)
    flags += _untreatable(client, facts, formulation)
    flags += _goal_conflict(client)
    flags += _treatment_burden(client, facts, th)
    return flags

