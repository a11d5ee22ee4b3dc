"""Full-text search over everything written in the vault, held in memory while it is unlocked.

Documents are the searchable pieces of each client's record: session notes, private process
notes, addenda, themes/homework/plan, formulation items and letters. The index maps each word to
the documents that contain it (with counts); a query word matches every indexed word it is a
prefix of ("mum" finds "mum", "mums", "mumbled"), quoted phrases are checked against the text of
the candidate documents, and results are ranked by BM25. Nothing here touches the disk: the index
is built after unlock, updated when a client is saved, and dropped on lock.

Query syntax (shared with the caseload filter):
    words            all must match (as word prefixes), case-insensitive
    "exact phrase"   the words in this order
    stage:meeting    attendance:dna    flag:repetitive-body-talk    status:discharged
    since:2026-03-01 until:2026-03-31  field:note (note, private, addendum, plan, formulation, letter, ...)
    -field:private   exclude a field
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import re
import shlex
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from ..domain.formulation import FormulationItem
from ..domain.letters import Letter
from ..domain.liaison import GPContact
from ..domain.models import Client, Session

WORD = re.compile(r"[0-9A-Za-z\u00C0-\u024F]+(?:['\u2019][A-Za-z]+)?")
FILTER_KEYS = ("stage", "attendance", "flag", "status", "since", "until", "field", "-field", "client")
FIELDS = ("note", "private", "addendum", "themes", "homework", "plan", "formulation", "letter", "gp-contact")


def words(text: str) -> list[str]:
    return [w.casefold().replace("\u2019", "'") for w in WORD.findall(text)]


@dataclass(frozen=True)
class Document:
    client_id: str
    client_name: str
    client_status: str
    kind: str  # "session", "formulation", "letter", "gp-contact"
    ref: str  # session id / item id / letter id / contact id
    date: dt.date | None
    field: str  # one of FIELDS
    text: str
    stage: str = ""
    attendance: str = ""


@dataclass
class Query:
    terms: list[str] = field(default_factory=list)
    phrases: list[list[str]] = field(default_factory=list)
    raw_phrases: list[str] = field(default_factory=list)
    stage: str | None = None
    attendance: str | None = None
    flag: str | None = None
    status: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None
    fields: set[str] | None = None
    exclude_fields: set[str] = field(default_factory=set)
    client: str | None = None

    @property
    def has_text(self) -> bool:
        return bool(self.terms or self.phrases)


class QueryError(ValueError):
    pass


def parse_query(text: str) -> Query:
    """Parse the shared query syntax. Raises QueryError with a human message."""
    q = Query()
    try:
        tokens = shlex.split(text, posix=True)
    except ValueError:
        raise QueryError("A quotation mark is not closed.") from None
    phrase_spans = re.findall(r'"([^"]+)"', text)
    for tok in tokens:
        key, sep, value = tok.partition(":")
        if sep and key.lower() in FILTER_KEYS and value:
            key = key.lower()
            if key in ("since", "until"):
                try:
                    d = dt.date.fromisoformat(value)
                except ValueError:
                    raise QueryError(f"'{value}' is not a date: write {key}:YYYY-MM-DD.") from None
                setattr(q, key, d)
            elif key == "field":
                q.fields = (q.fields or set()) | {value.lower()}
            elif key == "-field":
                q.exclude_fields.add(value.lower())
            else:
                setattr(q, key, value.lower() if key != "client" else value)
            continue
        ws = words(tok)
        if tok in phrase_spans and len(ws) > 1:
            q.phrases.append(ws)
            q.raw_phrases.append(tok)
        else:
            q.terms.extend(ws)
    return q


@dataclass(frozen=True)
class Hit:
    doc: Document
    score: float
    snippet: str  # with the matches wrapped in [[...]]
    spans: tuple[tuple[int, int], ...]  # character spans of the matches in doc.text


class SearchIndex:
    """An in-memory inverted index. Not thread-safe for writes: update from one thread."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self.docs: list[Document | None] = []
        self._postings: dict[str, dict[int, int]] = defaultdict(dict)  # word -> {doc id: count}
        self._lengths: list[int] = []
        self._vocab: list[str] = []  # sorted, rebuilt lazily
        self._vocab_dirty = False
        self._by_client: dict[str, list[int]] = defaultdict(list)
        self._total_len = 0
        self._live = 0
        self.client_flags: dict[str, set[str]] = {}
        self.flag_provider: Callable[[str], set[str]] | None = None
        """The kinds of a client's open flags (``services.client_flag_kinds``), asked only when a query filters by flag."""

    # -- building --------------------------------------------------------------------------------

    def add(self, doc: Document) -> None:
        ws = words(doc.text)
        if not ws:
            return
        i = len(self.docs)
        self.docs.append(doc)
        self._lengths.append(len(ws))
        self._total_len += len(ws)
        self._live += 1
        counts: dict[str, int] = {}
        for w in ws:
            counts[w] = counts.get(w, 0) + 1
        for w, c in counts.items():
            posting = self._postings[w]
            if not posting:
                self._vocab_dirty = True
            posting[i] = c
        self._by_client[doc.client_id].append(i)

    def remove_client(self, client_id: str) -> None:
        for i in self._by_client.pop(client_id, []):
            doc = self.docs[i]
            if doc is None:
                continue
            for w in set(words(doc.text)):
                posting = self._postings.get(w)
                if posting is not None:
                    posting.pop(i, None)
                    if not posting:
                        del self._postings[w]
                        self._vocab_dirty = True
            self._total_len -= self._lengths[i]
            self._lengths[i] = 0
            self._live -= 1
            self.docs[i] = None
        self.client_flags.pop(client_id, None)

    def replace_client(self, client_id: str, docs: list[Document], flags: set[str] | None = None) -> None:
        self.remove_client(client_id)
        for d in docs:
            self.add(d)
        if flags is not None:
            self.client_flags[client_id] = flags

    def clear(self) -> None:
        self._reset()

    def __len__(self) -> int:
        return self._live

    # -- querying --------------------------------------------------------------------------------

    def _expand(self, prefix: str) -> list[str]:
        if self._vocab_dirty:
            self._vocab = sorted(self._postings)
            self._vocab_dirty = False
        lo = bisect.bisect_left(self._vocab, prefix)
        hi = bisect.bisect_left(self._vocab, prefix + "\U0010ffff")
        return self._vocab[lo:hi]

    def _matches_filters(self, d: Document, q: Query) -> bool:
        if q.stage and d.stage != q.stage:
            return False
        if q.attendance and d.attendance != q.attendance:
            return False
        if q.status and d.client_status != q.status:
            return False
        if q.since and (d.date is None or d.date < q.since):
            return False
        if q.until and (d.date is None or d.date > q.until):
            return False
        if q.fields and d.field not in q.fields:
            return False
        if d.field in q.exclude_fields:
            return False
        if q.client and q.client.casefold() not in d.client_name.casefold() and q.client != d.client_id:
            return False
        return not (q.flag and q.flag not in self.flags_of(d.client_id))

    def flags_of(self, client_id: str) -> set[str]:
        if client_id not in self.client_flags and self.flag_provider is not None:
            self.client_flags[client_id] = set(self.flag_provider(client_id))
        return self.client_flags.get(client_id, set())

    def search(self, query: str | Query, limit: int = 50) -> list[Hit]:
        q = parse_query(query) if isinstance(query, str) else query
        n = max(self._live, 1)
        avg = self._total_len / n if self._total_len else 1.0
        candidate: dict[int, float] | None = None
        # free words match as prefixes; the words of a quoted phrase match exactly
        all_terms = [(t, True) for t in q.terms] + [(w, False) for p in q.phrases for w in p]
        for term, prefix in all_terms:
            scores: dict[int, float] = {}
            for w in self._expand(term) if prefix else ([term] if term in self._postings else []):
                posting = self._postings[w]
                idf = math.log(1 + (n - len(posting) + 0.5) / (len(posting) + 0.5))
                for i, tf in posting.items():
                    length = self._lengths[i]
                    s = idf * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / avg))
                    if s > scores.get(i, 0.0):
                        scores[i] = s
            if candidate is None:
                candidate = scores
            else:
                candidate = {i: candidate[i] + s for i, s in scores.items() if i in candidate}
            if not candidate:
                return []
        if candidate is None:  # filters only: every document that passes them, newest first
            pool = [(i, 0.0) for i, d in enumerate(self.docs) if d is not None]
        else:
            pool = list(candidate.items())

        def newest(i: int) -> int:
            d = self.docs[i]
            return (d.date or dt.date.min).toordinal() if d is not None else 0

        if candidate is None:
            pool.sort(key=lambda h: -newest(h[0]))
        else:
            pool.sort(key=lambda h: (-h[1], -newest(h[0])))
        # Check filters and phrases in ranked order and stop at `limit`: the costly phrase check
        # runs only on as many documents as it takes to fill the page.
        hits: list[Hit] = []
        for i, s in pool:
            d = self.docs[i]
            if d is None or not self._matches_filters(d, q):
                continue
            if q.phrases and not all(_phrase_spans(d.text, p) for p in q.phrases):
                continue
            hits.append(self._hit(i, s, q))
            if len(hits) >= limit:
                break
        return hits

    def _hit(self, i: int, score: float, q: Query) -> Hit:
        d = self.docs[i]
        assert d is not None
        spans: list[tuple[int, int]] = []
        for p in q.phrases:
            spans += _phrase_spans(d.text, p)
        if q.terms:
            pattern = re.compile(
                r"(?<![0-9A-Za-z\u00C0-\u024F])(?:"
                + "|".join(re.escape(t) for t in q.terms)
                + r")[0-9A-Za-z\u00C0-\u024F'\u2019]*",
                re.IGNORECASE,
            )
            spans += [m.span() for m in pattern.finditer(d.text)]
        spans.sort()
        return Hit(d, score, snippet(d.text, spans), tuple(spans))


def _phrase_spans(text: str, phrase: list[str]) -> list[tuple[int, int]]:
    sep = r"[^0-9A-Za-z\u00C0-\u024F]+"
    pat = re.compile(
        r"(?<![0-9A-Za-z\u00C0-\u024F])" + sep.join(re.escape(w) for w in phrase) + r"(?![0-9A-Za-z\u00C0-\u024F])", re.IGNORECASE
    )
    return [m.span() for m in pat.finditer(text)]


def snippet(text: str, spans: list[tuple[int, int]], width: int = 140) -> str:
    """The part of `text` around the first match, with every match inside it wrapped in [[...]]."""
    merged: list[list[int]] = []
    for a, b in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    first = merged[0][0] if merged else 0
    start = max(0, first - width // 3)
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    end = min(len(text), start + width)
    while end < len(text) and not text[end].isspace() and end - start < width + 30:
        end += 1
    pieces, pos = [], start
    for a, b in merged:
        if b <= start or a >= end:
            continue
        a, b = max(a, start), min(b, end)
        pieces += [text[pos:a], "[[", text[a:b], "]]"]
        pos = b
    pieces.append(text[pos:end])
    out = " ".join("".join(pieces).split())
    return ("..." if start > 0 else "") + out + ("..." if end < len(text) else "")


# -- documents from records ------------------------------------------------------------------------


def client_documents(
    client: Client,
    sessions: Iterable[Session],
    formulation: Iterable[FormulationItem] = (),
    letters: Iterable[Letter] = (),
    contacts: Iterable[GPContact] = (),
) -> list[Document]:
    base: dict[str, Any] = dict(
        client_id=client.id,
        client_name=client.name,
        client_status=str(client.status.value if hasattr(client.status, "value") else client.status),
    )
    docs: list[Document] = []
    for s in sessions:
        common: dict[str, Any] = dict(base, kind="session", ref=s.id, date=s.date, stage=s.stage, attendance=s.attendance.value)
        for fld, text in (
            ("note", s.note),
            ("private", s.private_note),
            ("themes", " ".join(s.themes)),
            ("homework", s.homework),
            ("plan", s.plan),
        ):
            if text.strip():
                docs.append(Document(field=fld, text=text, **common))
        for a in s.addenda:
            docs.append(Document(field="addendum", text=a.text, **common))
    for item in formulation:
        v = item.current
        docs.append(Document(kind="formulation", ref=item.id, date=v.at.date(), field="formulation", text=v.text, **base))
    for letter in letters:
        docs.append(Document(kind="letter", ref=letter.id, date=letter.created.date(), field="letter", text=letter.body, **base))
    for c in contacts:
        docs.append(
            Document(kind="gp-contact", ref=c.id, date=c.date, field="gp-contact", text=f"{c.discussed}\n{c.agreed}", **base)
        )
    return docs
