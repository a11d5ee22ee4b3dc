"""Typed load/save of domain objects on top of the vault's encrypted tinydb files.

Files keep tinydb's document layout (``{table: {doc_id: doc}}``) so any of them opens with
``TinyDB(path, storage=EncryptedStorage, key=...)``. Each logical change (a session and its audit
entry, say) is applied to a copy of the document and written in ONE atomic write, so a crash can
never keep a session without its audit entry or the reverse.

The index (caseload rows, settings, drafts) is derived data plus small state. Each caseload row
remembers the save counter of the client file it was computed from; when a crash (or anything else)
left it stale, it is recomputed from the client file on the next listing.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from typing import Any

from ..domain.formulation import LAYER_CODES, FormulationItem, ItemVersion
from ..domain.letters import Letter
from ..domain.liaison import GPContact
from ..domain.measures import MeasureResult
from ..domain.record import ClientRecord
from ..domain.models import (
    AUDIT_ACTIONS,
    Addendum,
    AuditEntry,
    Client,
    ClientStatus,
    ClientSummary,
    Session,
    verify_chain,
)
from .errors import UnsupportedVersion, VaultError
from .vault import Vault

GENESIS = "0" * 64
INDEX_SCHEMA = 1
CLIENT_SCHEMA = 1  # layout of a client file; each record inside also carries its own "schema"


class RecordError(VaultError):
    """A request the record rules refuse (unknown client, editing a signed session, ...)."""


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _table(doc: dict, name: str) -> dict[str, Any]:
    return doc.setdefault(name, {})


def _next_id(table: dict[str, Any]) -> str:
    return str(max((int(k) for k in table), default=0) + 1)


class Repository:
    """The only way the rest of the app reads and writes clinical records."""

    def __init__(self, vault: Vault, clock: Callable[[], dt.datetime] = _utcnow) -> None:
        self.vault = vault
        self.clock = clock
        self._fresh_summaries: dict[str, ClientSummary] = {}
        self.listeners: list[Callable[[str], None]] = []
        """Called with a client id after each durable change to that client (search index, flags)."""

    # -- low level -------------------------------------------------------------------------------

    def _client_doc(self, cid: str) -> dict:
        if not self.vault.has_client(cid):
            raise RecordError(f"There is no client with id '{cid}'.", "List clients with: sessionnotes client list")
        doc = self.vault.client_storage(cid).read()
        if not doc:
            raise RecordError(f"The record of client '{cid}' is empty.", "Run sessionnotes verify.")
        schema = doc.get("meta", {}).get("1", {}).get("schema", 1)
        if not isinstance(schema, int) or schema > CLIENT_SCHEMA:
            raise UnsupportedVersion(f"clients/{cid}.snv", schema)
        return doc

    def _index_doc(self) -> dict:
        return self.vault.index_storage().read() or {}

    def _write_client(self, cid: str, doc: dict) -> ClientSummary:
        st = self.vault.client_storage(cid)
        st.write(doc)
        summary = self._summarise_doc(cid, doc, st.counter)
        self._write_index_row(summary)
        self._changed(cid)
        return summary

    def _changed(self, cid: str) -> None:
        for listener in list(self.listeners):
            listener(cid)

    def _write_index_row(self, summary: ClientSummary) -> None:
        idx = self._index_doc()
        rows = _table(idx, "clients")
        key = next((k for k, r in rows.items() if r.get("id") == summary.id), None) or _next_id(rows)
        rows[key] = summary.to_dict()
        for cid, fresh in self._fresh_summaries.items():  # carry repairs found while listing
            if cid != summary.id:
                k = next((k for k, r in rows.items() if r.get("id") == cid), None) or _next_id(rows)
                rows[k] = fresh.to_dict()
        _table(idx, "meta")["1"] = {"schema": INDEX_SCHEMA}
        self.vault.index_storage().write(idx)
        self._fresh_summaries.clear()

    def _audit(self, doc: dict, action: str, target: str, detail: str = "") -> AuditEntry:
        assert action in AUDIT_ACTIONS, action
        table = _table(doc, "audit")
        entries = sorted(table.values(), key=lambda e: e["seq"])
        last = entries[-1] if entries else None
        entry = AuditEntry.make(
            seq=(last["seq"] + 1) if last else 1,
            at=self.clock(),
            action=action,
            target=target,
            detail=detail,
            prev_hash=last["hash"] if last else GENESIS,
        )
        table[_next_id(table)] = entry.to_dict()
        return entry

    @staticmethod
    def _sessions_of(doc: dict) -> list[Session]:
        sessions = [Session.from_dict(d) for d in doc.get("sessions", {}).values()]
        sessions.sort(key=lambda s: (s.date, s.created or dt.datetime.min.replace(tzinfo=dt.UTC), s.id))
        for n, s in enumerate(sessions, 1):
            s.number = n
        return sessions

    def _summarise_doc(self, cid: str, doc: dict, counter: int) -> ClientSummary:
        """The caseload row, read straight from the stored dicts: this runs on every save, and
        parsing every session into a `Session` would cost more than the encrypted write itself."""
        client = Client.from_dict(next(iter(doc["client"].values())))
        rows = list(doc.get("sessions", {}).values())
        latest = max(rows, key=lambda d: (d["date"], d.get("created") or "", d.get("id", "")), default=None)
        return ClientSummary(
            id=client.id,
            name=client.name,
            pseudonym=client.pseudonym,
            status=client.status,
            stage=latest["stage"] if latest else "",
            last_session=dt.date.fromisoformat(latest["date"]) if latest else None,
            sessions=len(rows),
            dnas=sum(1 for d in rows if d.get("attendance") == "dna"),
            source_counter=counter,
        )

    # -- clients ---------------------------------------------------------------------------------

    def add_client(self, client: Client) -> str:
        cid = self.vault.new_client_id()
        client.id = cid
        client.created = client.created or self.clock()
        doc: dict = {"client": {"1": client.to_dict()}, "sessions": {}, "audit": {}, "meta": {"1": {"schema": CLIENT_SCHEMA}}}
        self._audit(doc, "created", "client", "client record created")
        self._write_client(cid, doc)
        return cid

    def import_client(
        self,
        client: Client,
        sessions: list[Session],
        write_index: bool = True,
        *,
        formulation: list[ItemVersion] = (),
        measures: list[MeasureResult] = (),
        contacts: list[GPContact] = (),
    ) -> str:
        """Add a client with many sessions in one write (demo data, imports). Returns the id."""
        cid = self.vault.new_client_id()
        client.id = cid
        client.created = client.created or self.clock()
        doc: dict = {"client": {"1": client.to_dict()}, "sessions": {}, "audit": {}, "meta": {"1": {"schema": CLIENT_SCHEMA}}}
        self._audit(doc, "created", "client", "client record created")
        now = self.clock()
        for n, s in enumerate(sessions, 1):
            s.id, s.created, s.updated = f"{n:04x}{secrets.token_hex(2)}", now, now
            doc["sessions"][str(n)] = s.to_dict()
            self._audit(doc, "created", f"session:{s.id}", f"session of {s.date.isoformat()}")
        for n, v in enumerate(formulation, 1):
            item = FormulationItem(id=f"f{n:03d}{secrets.token_hex(1)}", created=v.at.date(), versions=[v])
            doc.setdefault("formulation", {})[str(n)] = item.to_dict()
            self._audit(doc, "created", f"formulation:{item.id}", f"layer {v.layer}, {v.status}")
        for n, m in enumerate(measures, 1):
            m.id = f"m{n:03d}{secrets.token_hex(1)}"
            doc.setdefault("measures", {})[str(n)] = m.to_dict()
        for n, c in enumerate(contacts, 1):
            c.id, c.created = f"g{n:03d}{secrets.token_hex(1)}", now
            doc.setdefault("liaison", {})[str(n)] = c.to_dict()
        st = self.vault.client_storage(cid)
        st.write(doc)
        summary = self._summarise_doc(cid, doc, st.counter)
        if write_index:
            self._write_index_row(summary)
        else:
            self._fresh_summaries[cid] = summary
        return cid

    def rebuild_index(self) -> None:
        """Write every caseload row recomputed or repaired since the last index write."""
        self.list_clients(include_discharged=True)
        idx = self._index_doc()
        rows = _table(idx, "clients")
        by_id = {r.get("id"): k for k, r in rows.items()}
        for cid, fresh in self._fresh_summaries.items():
            rows[by_id.get(cid) or _next_id(rows)] = fresh.to_dict()
        _table(idx, "meta")["1"] = {"schema": INDEX_SCHEMA}
        self.vault.index_storage().write(idx)
        self._fresh_summaries.clear()

    def get_client(self, cid: str) -> Client:
        return Client.from_dict(next(iter(self._client_doc(cid)["client"].values())))

    def update_client(self, client: Client) -> None:
        doc = self._client_doc(client.id)
        old = Client.from_dict(doc["client"]["1"])
        new_d, old_d = client.to_dict(), old.to_dict()
        changed = sorted(k for k in set(new_d) | set(old_d) if new_d.get(k) != old_d.get(k))
        if not changed:
            return
        doc["client"]["1"] = new_d
        if old.status != client.status:
            self._audit(doc, "discharged" if str(client.status) == "discharged" else "reopened", "client")
        self._audit(doc, "edited", "client", "fields: " + ", ".join(changed))
        self._write_client(client.id, doc)

    def list_clients(self, include_discharged: bool = False) -> list[ClientSummary]:
        """Caseload rows, repaired from client files when a row is stale or missing."""
        rows = {r["id"]: r for r in _table(self._index_doc(), "clients").values()}
        out: list[ClientSummary] = []
        for cid in self.vault.client_ids():
            row = rows.get(cid)
            summary = ClientSummary.from_dict(row) if row else None
            on_disk = self.vault.client_counter_on_disk(cid)
            if summary is None or on_disk is None or summary.source_counter != on_disk:
                st = self.vault.client_storage(cid)
                summary = self._summarise_doc(cid, self._client_doc(cid), st.counter)
                self._fresh_summaries[cid] = summary
            if include_discharged or str(summary.status) != "discharged":
                out.append(summary)
        out.sort(key=lambda s: (s.name.casefold(), s.id))
        return out

    def discharge_client(self, cid: str, on: dt.date, reason: str = "") -> Client:
        """Mark a client discharged; the retention date follows from the discharge date."""
        client = self.get_client(cid)
        client.status = ClientStatus.DISCHARGED
        client.discharge_date = on
        if reason:
            client.extra["discharge_reason"] = reason
        self.update_client(client)
        return client

    def reopen_client(self, cid: str) -> Client:
        client = self.get_client(cid)
        client.status = ClientStatus.OPEN
        client.discharge_date = None
        self.update_client(client)
        return client

    def erase_client(self, cid: str, today: dt.date, reason: str = "") -> None:
        """Erase a client's record and its backups. Allowed after the retention date, or before it
        only with a reason typed by the therapist; either way the erasure is kept in the vault's
        own audit trail (client id, pseudonym, date, reason: no clinical content)."""
        client = self.get_client(cid)
        retention = client.retention_date()
        due = retention is not None and retention <= today
        if not due and not reason.strip():
            raise RecordError(
                "This record is still inside its retention period"
                + (f" (until {retention.isoformat()})" if retention else " (the client has not been discharged)")
                + ".",
                "Erasing it early needs a reason, which is kept in the vault's audit trail.",
            )
        idx = self._index_doc()
        table = _table(idx, "vault_audit")
        entries = sorted(table.values(), key=lambda e: e["seq"])
        last = entries[-1] if entries else None
        detail = f"client {cid} ({client.pseudonym or 'no pseudonym'}) erased; " + (
            f"retention date {retention.isoformat()} had passed" if due else f"reason: {reason.strip()}"
        )
        entry = AuditEntry.make(
            seq=(last["seq"] + 1) if last else 1,
            at=self.clock(),
            action="erased",
            target=f"client:{cid}",
            detail=detail,
            prev_hash=last["hash"] if last else GENESIS,
        )
        table[_next_id(table)] = entry.to_dict()
        idx["clients"] = {k: r for k, r in _table(idx, "clients").items() if r.get("id") != cid}
        idx["drafts"] = {k: d for k, d in _table(idx, "drafts").items() if d.get("client") != cid}
        self.vault.index_storage().write(idx)  # the erasure is recorded before the files go
        self.vault.erase_client_files(cid)
        self._fresh_summaries.pop(cid, None)
        self._changed(cid)

    def vault_audit_trail(self) -> list[AuditEntry]:
        entries = [AuditEntry.from_dict(d) for d in _table(self._index_doc(), "vault_audit").values()]
        return sorted(entries, key=lambda e: e.seq)

    def record(self, cid: str) -> ClientRecord:
        """The whole record of one client, read and parsed from one decryption of its file."""
        doc = self._client_doc(cid)
        return ClientRecord(
            client=Client.from_dict(next(iter(doc["client"].values()))),
            sessions=self._sessions_of(doc),
            formulation=sorted((FormulationItem.from_dict(d) for d in doc.get("formulation", {}).values()),
                               key=lambda i: (LAYER_CODES.index(i.current.layer), i.created, i.id)),
            measures=sorted((MeasureResult.from_dict(d) for d in doc.get("measures", {}).values()), key=lambda r: (r.date, r.id)),
            contacts=sorted((GPContact.from_dict(d) for d in doc.get("liaison", {}).values()), key=lambda c: (c.date, c.id)),
            dismissals=sorted(doc.get("flag_dismissals", {}).values(), key=lambda r: r["at"]),
            letters=sorted((Letter.from_dict(d) for d in doc.get("letters", {}).values()), key=lambda x: (x.created, x.version, x.id)),
        )

    # -- sessions --------------------------------------------------------------------------------

    def list_sessions(self, cid: str) -> list[Session]:
        return self._sessions_of(self._client_doc(cid))

    def get_session(self, cid: str, sid: str) -> Session:
        for s in self.list_sessions(cid):
            if s.id == sid:
                return s
        raise RecordError(
            f"Client '{cid}' has no session '{sid}'.", f"List sessions with: sessionnotes session list --client {cid}"
        )

    def _session_key(self, doc: dict, sid: str) -> str:
        for k, d in doc.get("sessions", {}).items():
            if d.get("id") == sid:
                return k
        raise RecordError(f"This client has no session '{sid}'.")

    def add_session(self, cid: str, session: Session) -> str:
        doc = self._client_doc(cid)
        table = _table(doc, "sessions")
        existing = {d.get("id") for d in table.values()}
        sid = secrets.token_hex(4)
        while sid in existing:
            sid = secrets.token_hex(4)
        now = self.clock()
        session.id, session.created, session.updated = sid, now, now
        table[_next_id(table)] = session.to_dict()
        self._audit(doc, "created", f"session:{sid}", f"session of {session.date.isoformat()}")
        self._write_client(cid, doc)
        return sid

    def update_session(self, cid: str, session: Session) -> None:
        doc = self._client_doc(cid)
        key = self._session_key(doc, session.id)
        stored = Session.from_dict(doc["sessions"][key])
        if stored.is_signed:
            raise RecordError("This session is signed and can no longer be edited.", "Add a dated addendum instead.")
        session.created = stored.created
        session.updated = self.clock()
        session.addenda = stored.addenda
        doc["sessions"][key] = session.to_dict()
        self._audit(doc, "edited", f"session:{session.id}")
        self._write_client(cid, doc)

    def sign_session(self, cid: str, sid: str) -> Session:
        doc = self._client_doc(cid)
        key = self._session_key(doc, sid)
        s = Session.from_dict(doc["sessions"][key])
        if s.is_signed:
            raise RecordError("This session is already signed.")
        s.signed_at = self.clock()
        s.content_hash = s.compute_content_hash()
        doc["sessions"][key] = s.to_dict()
        self._audit(doc, "signed", f"session:{sid}", f"sha256 {s.content_hash}")
        self._write_client(cid, doc)
        return s

    def add_addendum(self, cid: str, sid: str, text: str) -> Addendum:
        if not text.strip():
            raise RecordError("An addendum cannot be empty.")
        doc = self._client_doc(cid)
        key = self._session_key(doc, sid)
        s = Session.from_dict(doc["sessions"][key])
        if not s.is_signed:
            raise RecordError("Addenda are for signed sessions; this session can still be edited directly.")
        add = Addendum(id=secrets.token_hex(4), created=self.clock(), text=text)
        s.addenda.append(add)
        doc["sessions"][key] = s.to_dict()
        self._audit(doc, "addendum", f"session:{sid}", f"addendum {add.id}")
        self._write_client(cid, doc)
        return add

    # -- formulation -------------------------------------------------------------------------------

    def list_formulation(self, cid: str) -> list[FormulationItem]:
        items = [FormulationItem.from_dict(d) for d in self._client_doc(cid).get("formulation", {}).values()]
        return sorted(items, key=lambda i: (LAYER_CODES.index(i.current.layer), i.created, i.id))

    def add_formulation_item(self, cid: str, version: ItemVersion) -> FormulationItem:
        doc = self._client_doc(cid)
        table = _table(doc, "formulation")
        existing = {d.get("id") for d in table.values()}
        iid = secrets.token_hex(3)
        while iid in existing:
            iid = secrets.token_hex(3)
        item = FormulationItem(id=iid, created=version.at.date(), versions=[version])
        table[_next_id(table)] = item.to_dict()
        self._audit(doc, "created", f"formulation:{iid}", f"layer {version.layer}, {version.status}")
        self._write_client(cid, doc)
        return item

    def add_formulation_version(self, cid: str, item_id: str, version: ItemVersion) -> FormulationItem:
        """Record a change to an item as a new version; earlier versions are kept unchanged."""
        doc = self._client_doc(cid)
        table = _table(doc, "formulation")
        key = next((k for k, d in table.items() if d.get("id") == item_id), None)
        if key is None:
            raise RecordError(f"This client has no formulation item '{item_id}'.")
        item = FormulationItem.from_dict(table[key])
        item.versions.append(version)
        table[key] = item.to_dict()
        self._audit(doc, "edited", f"formulation:{item_id}", f"version {len(item.versions)}: layer {version.layer}, {version.status}")
        self._write_client(cid, doc)
        return item

    # -- outcome measures ------------------------------------------------------------------------

    def list_measures(self, cid: str) -> list[MeasureResult]:
        results = [MeasureResult.from_dict(d) for d in self._client_doc(cid).get("measures", {}).values()]
        return sorted(results, key=lambda r: (r.date, r.id))

    def add_measure(self, cid: str, result: MeasureResult) -> str:
        """Store raw responses; scores are always recomputed from them, never trusted from disk."""
        doc = self._client_doc(cid)
        table = _table(doc, "measures")
        result.id = secrets.token_hex(3)
        result.extra["entered"] = self.clock().isoformat()
        table[_next_id(table)] = result.to_dict()
        detail = f"{result.instrument} on {result.date.isoformat()}"
        if result.score.risk:
            detail += " (risk item positive or unanswered)"
        self._audit(doc, "created", f"measure:{result.id}", detail)
        self._write_client(cid, doc)
        return result.id

    def acknowledge_risk(self, cid: str, measure_id: str, note: str = "") -> None:
        """Keep the therapist's acknowledgement of a risk notice with the measure (and in the audit)."""
        doc = self._client_doc(cid)
        table = _table(doc, "measures")
        key = next((k for k, d in table.items() if d.get("id") == measure_id), None)
        if key is None:
            raise RecordError(f"This client has no measure '{measure_id}'.")
        table[key]["risk_acknowledged"] = {"at": self.clock().isoformat(), "note": note}
        self._audit(doc, "edited", f"measure:{measure_id}", "risk notice acknowledged")
        self._write_client(cid, doc)

    # -- letters ---------------------------------------------------------------------------------

    def list_letters(self, cid: str) -> list[Letter]:
        letters = [Letter.from_dict(d) for d in self._client_doc(cid).get("letters", {}).values()]
        return sorted(letters, key=lambda x: (x.created, x.version, x.id))

    def get_letter(self, cid: str, lid: str) -> Letter:
        for letter in self.list_letters(cid):
            if letter.id == lid:
                return letter
        raise RecordError(f"This client has no letter '{lid}'.", f"List letters with: sessionnotes letter list --client {cid}")

    def save_letter(self, cid: str, letter: Letter) -> Letter:
        """Add a new letter (no id yet) or save changes to an unsent one. A sent letter is frozen:
        saving changes to it raises; make a new version with `new_letter_version`."""
        doc = self._client_doc(cid)
        table = _table(doc, "letters")
        now = self.clock()
        if not letter.id:
            letter.id = secrets.token_hex(3)
            letter.created = letter.created or now
            table[_next_id(table)] = letter.to_dict()
            self._audit(doc, "created", f"letter:{letter.id}", f"{letter.title} v{letter.version}")
        else:
            key = next((k for k, d in table.items() if d.get("id") == letter.id), None)
            if key is None:
                raise RecordError(f"This client has no letter '{letter.id}'.")
            stored = Letter.from_dict(table[key])
            if stored.frozen:
                raise RecordError("This letter has been sent and can no longer be changed.", "Make a new version of it instead.")
            letter.updated = now
            table[key] = letter.to_dict()
            self._audit(doc, "edited", f"letter:{letter.id}", f"status {letter.status}")
        self._write_client(cid, doc)
        return letter

    def new_letter_version(self, cid: str, lid: str) -> Letter:
        old = self.get_letter(cid, lid)
        new = Letter.from_dict(old.to_dict())
        new.id, new.created, new.updated = "", self.clock(), None
        new.status, new.version, new.parent_id = "draft", old.version + 1, old.id
        new.shown_date = new.agreed_date = new.sent_date = None
        new.patient_comments = new.changes_made = new.sent_to = ""
        new.acknowledgements = []
        return self.save_letter(cid, new)

    # -- process flags ---------------------------------------------------------------------------

    def flag_dismissals(self, cid: str) -> list[dict]:
        """Dismissed flags: {kind, key, reason, at}. They stay in history and supervision summaries."""
        rows = list(self._client_doc(cid).get("flag_dismissals", {}).values())
        return sorted(rows, key=lambda r: r["at"])

    def dismiss_flag(self, cid: str, kind: str, key: str, reason: str) -> None:
        if not reason.strip():
            raise RecordError("Dismissing a flag needs a reason.", "Say briefly why this pattern does not need attention now.")
        doc = self._client_doc(cid)
        table = _table(doc, "flag_dismissals")
        table[_next_id(table)] = {"kind": kind, "key": key, "reason": reason.strip(), "at": self.clock().isoformat()}
        self._audit(doc, "edited", f"flag:{kind}", f"dismissed: {reason.strip()}")
        self._write_client(cid, doc)

    # -- GP liaison ------------------------------------------------------------------------------

    def list_gp_contacts(self, cid: str) -> list[GPContact]:
        contacts = [GPContact.from_dict(d) for d in self._client_doc(cid).get("liaison", {}).values()]
        return sorted(contacts, key=lambda c: (c.date, c.id))

    def add_gp_contact(self, cid: str, contact: GPContact) -> str:
        doc = self._client_doc(cid)
        table = _table(doc, "liaison")
        contact.id = secrets.token_hex(3)
        contact.created = self.clock()
        table[_next_id(table)] = contact.to_dict()
        self._audit(doc, "created", f"gp-contact:{contact.id}", f"{contact.kind} on {contact.date.isoformat()}")
        self._write_client(cid, doc)
        return contact.id

    # -- audit -----------------------------------------------------------------------------------

    def audit_trail(self, cid: str) -> list[AuditEntry]:
        entries = [AuditEntry.from_dict(d) for d in self._client_doc(cid).get("audit", {}).values()]
        return sorted(entries, key=lambda e: e.seq)

    def record_event(self, cid: str, action: str, target: str, detail: str = "") -> None:
        """Append an audit entry on its own (exports, views-in-export)."""
        doc = self._client_doc(cid)
        self._audit(doc, action, target, detail)
        self._write_client(cid, doc)

    def check_integrity(self, cid: str) -> list[str]:
        """Problems with the audit chain or signed sessions of one client (empty when intact)."""
        doc = self._client_doc(cid)
        problems = verify_chain(self.audit_trail(cid))
        for s in self._sessions_of(doc):
            if s.is_signed and s.compute_content_hash() != s.content_hash:
                problems.append(f"signed session of {s.date.isoformat()} ({s.id}) was changed after signing")
        return problems

    # -- drafts and settings (index) ---------------------------------------------------------------

    def save_draft(self, cid: str, key: str, draft: dict) -> None:
        """Autosaved, unsigned editor state (encrypted in the index). `key` is a session id or 'new'."""
        idx = self._index_doc()
        table = _table(idx, "drafts")
        k = next((k for k, d in table.items() if d.get("client") == cid and d.get("key") == key), None) or _next_id(table)
        table[k] = {"client": cid, "key": key, "saved": self.clock().isoformat(), "draft": draft}
        self.vault.index_storage().write(idx)

    def drafts(self) -> list[dict]:
        return list(_table(self._index_doc(), "drafts").values())

    def discard_draft(self, cid: str, key: str) -> None:
        idx = self._index_doc()
        table = _table(idx, "drafts")
        keep = {k: d for k, d in table.items() if not (d.get("client") == cid and d.get("key") == key)}
        if len(keep) != len(table):
            idx["drafts"] = keep
            self.vault.index_storage().write(idx)

    def settings(self) -> dict:
        return dict(_table(self._index_doc(), "settings").get("1", {}))

    def set_setting(self, name: str, value: Any) -> None:
        idx = self._index_doc()
        table = _table(idx, "settings")
        current = dict(table.get("1", {}))
        current[name] = value
        table["1"] = current
        self.vault.index_storage().write(idx)
