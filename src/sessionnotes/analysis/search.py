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

import datetime as dt
import re
import shlex
import sqlite3
import threading
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
    """A full-text index in an in-memory SQLite database (FTS5: BM25 ranking, prefix queries).

    ``docs`` holds each document's fields and text; ``fts`` indexes the text (external content, so
    the text is stored once); ``stamps`` holds, per client, the version of the client file the
    documents were read from, so a copy saved encrypted in the vault (:meth:`to_bytes`) can be
    brought up to date by re-reading only the clients changed since. Safe to share between the
    app's worker and its main thread: every call holds a lock.
    """

    def __init__(self, data: bytes | None = None) -> None:
        self._lock = threading.RLock()
        self._db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
        if data is not None:
            self._db.deserialize(data)
            self._check_schema()
        else:
            self._db.executescript(_SCHEMA)
        self._names: dict[str, str] = dict(self._db.execute("SELECT DISTINCT client_id, client_name FROM docs"))
        self.client_flags: dict[str, set[str]] = {}
        self.flag_provider: Callable[[str], set[str]] | None = None
        """The kinds of a client's open flags (``services.client_flag_kinds``), asked only when a query filters by flag."""

    def _check_schema(self) -> None:
        try:
            (version,) = self._db.execute("SELECT value FROM info WHERE key = 'schema'").fetchone()
        except (sqlite3.DatabaseError, TypeError):
            raise ValueError("not a search index") from None
        if version != SCHEMA_VERSION:
            raise ValueError("a search index of another version")

    # -- building --------------------------------------------------------------------------------

    def add(self, doc: Document) -> None:
        if not WORD.search(doc.text):
            return
        with self._lock:
            cur = self._db.execute(
                "INSERT INTO docs(client_id, client_name, status, kind, ref, date, field, stage, attendance, text)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    doc.client_id,
                    doc.client_name,
                    doc.client_status,
                    doc.kind,
                    doc.ref,
                    doc.date.toordinal() if doc.date else None,
                    doc.field,
                    doc.stage,
                    doc.attendance,
                    doc.text,
                ),
            )
            self._db.execute("INSERT INTO fts(rowid, text) VALUES (?, ?)", (cur.lastrowid, doc.text))
            self._names[doc.client_id] = doc.client_name

    def remove_client(self, client_id: str) -> None:
        with self._lock:
            self._db.execute("BEGIN")
            self._db.execute(
                "INSERT INTO fts(fts, rowid, text) SELECT 'delete', id, text FROM docs WHERE client_id = ?", (client_id,)
            )
            self._db.execute("DELETE FROM docs WHERE client_id = ?", (client_id,))
            self._db.execute("DELETE FROM stamps WHERE client_id = ?", (client_id,))
            self._db.execute("COMMIT")
            self._names.pop(client_id, None)
            self.client_flags.pop(client_id, None)

    def replace_client(self, client_id: str, docs: list[Document], flags: set[str] | None = None, stamp: str = "") -> None:
        """Put `docs` in place of the client's documents; `stamp` names the version they were read from."""
        with self._lock:
            self.remove_client(client_id)
            self._db.execute("BEGIN")
            for d in docs:
                self.add(d)
            if stamp:
                self._db.execute("INSERT INTO stamps(client_id, stamp) VALUES (?, ?)", (client_id, stamp))
            self._db.execute("COMMIT")
        if flags is not None:
            self.client_flags[client_id] = flags

    def stamps(self) -> dict[str, str]:
        """Client id -> the stamp given when its documents were last put in."""
        with self._lock:
            return dict(self._db.execute("SELECT client_id, stamp FROM stamps"))

    def clear(self) -> None:
        with self._lock:
            self._db.close()
            self._db = sqlite3.connect(":memory:", check_same_thread=False, isolation_level=None)
            self._db.executescript(_SCHEMA)
            self._names.clear()
            self.client_flags.clear()

    def optimize(self) -> None:
        """Merge the full-text index into one segment (after a bulk build: faster queries)."""
        with self._lock:
            self._db.execute("INSERT INTO fts(fts) VALUES ('optimize')")

    def to_bytes(self) -> bytes:
        """The whole index as one database image (note text included: encrypt it before it is stored)."""
        with self._lock:
            return self._db.serialize()

    def __len__(self) -> int:
        with self._lock:
            return int(self._db.execute("SELECT count(*) FROM docs").fetchone()[0])

    # -- querying --------------------------------------------------------------------------------

    def flags_of(self, client_id: str) -> set[str]:
        if client_id not in self.client_flags and self.flag_provider is not None:
            self.client_flags[client_id] = set(self.flag_provider(client_id))
        return self.client_flags.get(client_id, set())

    def _filters(self, q: Query) -> tuple[list[str], list[Any]]:
        """SQL conditions on ``d`` (the docs table) for every filter but the flag one."""
        where: list[str] = []
        args: list[Any] = []
        for column, value in (("stage", q.stage), ("attendance", q.attendance), ("status", q.status)):
            if value:
                where.append(f"d.{column} = ?")
                args.append(value)
        if q.since:
            where.append("d.date >= ?")
            args.append(q.since.toordinal())
        if q.until:
            where.append("d.date <= ?")
            args.append(q.until.toordinal())
        if q.fields:
            where.append(f"d.field IN ({','.join('?' * len(q.fields))})")
            args += sorted(q.fields)
        if q.exclude_fields:
            where.append(f"d.field NOT IN ({','.join('?' * len(q.exclude_fields))})")
            args += sorted(q.exclude_fields)
        if q.client:
            wanted = q.client.casefold()
            ids = [cid for cid, name in self._names.items() if wanted in name.casefold() or cid == q.client]
            where.append(f"d.client_id IN ({','.join('?' * len(ids))})")
            args += ids
        return where, args

    def search(self, query: str | Query, limit: int = 50) -> list[Hit]:
        q = parse_query(query) if isinstance(query, str) else query
        where, args = self._filters(q)
        if q.has_text:
            # free words match as word prefixes; the words of a quoted phrase match in order
            match = " AND ".join([_fts_tokens(t) + "*" for t in q.terms] + [_fts_tokens(" ".join(p)) for p in q.phrases])
            if where:
                sql = (
                    "SELECT d.id, -bm25(fts) FROM fts JOIN docs d ON d.id = fts.rowid WHERE fts MATCH ?"
                    + "".join(" AND " + w for w in where)
                    + " ORDER BY bm25(fts), d.date DESC, d.id"
                )
            else:  # FTS5 ranks on its own, without a join (equal scores: the older document first)
                sql = "SELECT rowid, -rank FROM fts WHERE fts MATCH ? ORDER BY rank"
            args = [match, *args]
        else:  # filters only: every document that passes them, newest first
            sql = "SELECT d.id, 0.0 FROM docs d" + (" WHERE " + " AND ".join(where) if where else "")
            sql += " ORDER BY d.date DESC, d.id"
        # FTS5 matches a phrase token by token; one with an apostrophe ("mother's illness") is
        # checked against the text here, as is a flag filter, row by row in ranked order
        exact = bool(q.flag) or any("'" in w for p in q.phrases for w in p)
        hits: list[Hit] = []
        with self._lock:
            if not exact:
                ranked = self._db.execute(sql + f" LIMIT {int(limit)}", args).fetchall()
                docs = self._documents([i for i, _ in ranked])
                return [self._hit(docs[i], float(score), q) for i, score in ranked]
            for i, score in self._db.execute(sql, args).fetchall():
                doc = self._documents([i])[i]
                if q.phrases and not all(_phrase_spans(doc.text, p) for p in q.phrases):
                    continue
                if q.flag and q.flag not in self.flags_of(doc.client_id):
                    continue
                hits.append(self._hit(doc, float(score), q))
                if len(hits) >= limit:
                    break
        return hits

    def _documents(self, ids: list[int]) -> dict[int, Document]:
        rows = self._db.execute(
            "SELECT id, client_id, client_name, status, kind, ref, date, field, text, stage, attendance FROM docs"
            f" WHERE id IN ({','.join('?' * len(ids))})",
            ids,
        )
        return {
            row[0]: Document(
                row[1], row[2], row[3], row[4], row[5], dt.date.fromordinal(row[6]) if row[6] is not None else None, *row[7:]
            )
            for row in rows
        }

    def _hit(self, d: Document, score: float, q: Query) -> Hit:
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


SCHEMA_VERSION = "1"
_SCHEMA = f"""
CREATE TABLE info(key TEXT PRIMARY KEY, value TEXT);
INSERT INTO info VALUES ('schema', '{SCHEMA_VERSION}');
CREATE TABLE docs(
    id INTEGER PRIMARY KEY, client_id TEXT NOT NULL, client_name TEXT, status TEXT, kind TEXT, ref TEXT,
    date INTEGER, field TEXT, stage TEXT, attendance TEXT, text TEXT NOT NULL
);
CREATE INDEX docs_client ON docs(client_id);
CREATE INDEX docs_date ON docs(date);
CREATE TABLE stamps(client_id TEXT PRIMARY KEY, stamp TEXT NOT NULL);
CREATE VIRTUAL TABLE fts USING fts5(
    text, content='docs', content_rowid='id', tokenize='unicode61 remove_diacritics 0', prefix='1 2'
);
"""
_FTS_TOKEN = re.compile(r"[0-9A-Za-z\u00C0-\u024F]+")


def _fts_tokens(text: str) -> str:
    """`text` as one FTS5 phrase of its tokens (quoted, so no word is read as an operator)."""
    return '"' + " ".join(_FTS_TOKEN.findall(text)) + '"'


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
