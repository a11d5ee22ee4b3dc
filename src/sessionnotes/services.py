"""Operations that combine the record store with the analysis rules (used by the CLI and the TUI).

The repository only stores; rules that need analysis (formulation warnings, later flags) are
applied here so the vault layer never depends on analysis.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING

from .analysis.formulation_checks import warnings_for
from .analysis.timeline import current_stage
from .domain.formulation import FormulationItem, ItemVersion
from .vault.repository import RecordError, Repository

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from .analysis.cache import AnalysisCache
    from .analysis.flags import Flag, Thresholds
    from .domain.letters import Letter


def _check(version: ItemVersion) -> None:
    problems = version.validate()
    if problems:
        raise RecordError(" ".join(problems), "Nothing was saved.")
    version.to_dict()  # structural check (layer, lens, status codes) before anything is written


def add_formulation_item(repo: Repository, cid: str, version: ItemVersion) -> FormulationItem:
    """Save a new item; its advisory warnings are stored with it (see item.current.warnings)."""
    _check(version)
    client = repo.get_client(cid)
    version.warnings = warnings_for(version, None, client, current_stage(repo.list_sessions(cid)))
    return repo.add_formulation_item(cid, version)


def change_formulation_item(repo: Repository, cid: str, item_id: str, **changes) -> FormulationItem:
    """A new version of an item with `changes` applied to its current state."""
    items = {i.id: i for i in repo.list_formulation(cid)}
    if item_id not in items:
        raise RecordError(f"This client has no formulation item '{item_id}'.")
    previous = items[item_id].current
    changes.setdefault("at", repo.clock())
    changes.setdefault("note", "")
    version = dataclasses.replace(previous, warnings=[], **changes)
    if version.is_shared and version.date_shared is None:
        version.date_shared = version.at.date()
    _check(version)
    client = repo.get_client(cid)
    version.warnings = warnings_for(version, previous, client, current_stage(repo.list_sessions(cid)))
    return repo.add_formulation_version(cid, item_id, version)


def new_version(repo: Repository, text: str, layer: str, **fields) -> ItemVersion:
    """An ItemVersion stamped with the repository clock; shared items default to shared today."""
    v = ItemVersion(at=repo.clock(), text=text, layer=layer, **fields)
    if v.is_shared and v.date_shared is None:
        v.date_shared = v.at.date()
    return v


def today(repo: Repository) -> dt.date:
    return repo.clock().date()


# -- exports ---------------------------------------------------------------------------------------


class LanguageGate(RecordError):
    """Export refused: high-severity wording findings not yet acknowledged."""

    def __init__(self, findings: list) -> None:
        self.findings = findings
        listed = "; ".join(f"\u201c{f.matched}\u201d ({f.category})" for f in findings[:6])
        super().__init__(
            f"The letter was not exported: {len(findings)} wording finding(s) need a look first: {listed}.",
            "Change the wording, or acknowledge each finding to keep it (sessionnotes letter acknowledge).",
        )


class MissingMergeFields(RecordError):
    def __init__(self, problems: list) -> None:
        self.problems = problems
        super().__init__(
            "The letter was not exported: " + "; ".join(p.message for p in problems) + ".",
            "Add them to the client's record (sessionnotes client update, or the Record tab), then export again.",
        )


def letter_findings(client, body: str) -> list:
    from .analysis.language import check

    return check(body, "letter", preferred_term=client.preferred_term)


def blocking_findings(letter, client) -> list:
    """High-severity findings in the letter that the therapist has not acknowledged."""
    return [
        f for f in letter_findings(client, letter.body) if f.severity == "high" and not letter.acknowledged(f.matched, f.category)
    ]


def draft_letter(
    repo: Repository,
    cid: str,
    *,
    addressee: str = "patient",
    user_templates=None,
    signed_by: str | None = None,
    quote_referral: bool = False,
    include_items: list[str] | tuple[str, ...] = (),
):
    """Draft a letter from the template. ``signed_by`` (your name and role) is kept in the settings
    for the next letters; without it the saved one is used. The referral is described, not quoted,
    unless ``quote_referral`` (the choice is kept with the letter); ``include_items`` are formulation
    items only ever shared by talking that the therapist chooses to put in writing."""
    from .domain.letters import Letter
    from .export.letter import draft_body, load_template

    b = repo.record(cid)
    known = {i.id for i in b.formulation}
    unknown = [i for i in include_items if i not in known]
    if unknown:
        raise RecordError(f"This client has no formulation item '{unknown[0]}'.", "Nothing was drafted.")
    settings = repo.settings()
    if signed_by is not None and signed_by.strip() != settings.get("therapist_name", ""):
        repo.set_setting("therapist_name", signed_by.strip())
        settings = repo.settings()
    body = draft_body(
        b.client,
        b.sessions,
        b.formulation,
        b.measures,
        today=today(repo),
        therapist_name=settings.get("therapist_name", ""),
        addressee=addressee,
        template=load_template(addressee, user_templates),
        quote_referral=quote_referral,
        chosen_items=include_items,
    )
    letter = Letter(created=repo.clock(), addressee=addressee, body=body)
    if quote_referral:
        letter.extra["quote_referral"] = True
    if include_items:
        letter.extra["chosen_items"] = list(include_items)
    return repo.save_letter(cid, letter)


def acknowledge_findings(repo: Repository, cid: str, lid: str, note: str = "") -> int:
    """Keep the wording of every current high-severity finding, with the acknowledgement and its
    reason recorded. A reason is required: wording kept without one still holds the letter back."""
    from .domain.letters import Acknowledgement

    if not note.strip():
        raise RecordError(
            "Keeping wording that may harm needs a reason.",
            "Say briefly why it stays (for example: the patient's own words, agreed with them), "
            "with --note. Nothing was changed.",
        )
    letter = repo.get_letter(cid, lid)
    client = repo.get_client(cid)
    pending = blocking_findings(letter, client)
    for f in pending:
        letter.acknowledgements.append(Acknowledgement(matched=f.matched, category=f.category, at=repo.clock(), note=note))
    if pending:
        repo.save_letter(cid, letter)
    return len(pending)


def letter_private_text(repo: Repository, cid: str, body: str) -> list[str]:
    """Private process-note or private-formulation text found in a letter's ``body``, each named by
    where it came from (the one check used at save, at every step and at export)."""
    from .export.letter import private_leaks

    return private_leaks(body, repo.list_formulation(cid), repo.list_sessions(cid))


def save_letter_text(repo: Repository, cid: str, lid: str, body: str) -> tuple[Letter, list[str]]:
    """Save a letter's new text (a sent letter gets a new version) and say what private text it
    holds, named by source: the text is kept (it is the therapist's), but no step can be recorded
    and it cannot be exported until that is resolved."""
    from .export.letter import exported_frame

    letter = repo.get_letter(cid, lid)
    frame = exported_frame(body, letter)
    if frame:
        raise RecordError(
            f"This text looks like an exported letter: it has {frame} that export puts around the letter, "
            "so they would appear twice.",
            f"Edit the letter's own text instead: sessionnotes letter show --client {cid} --letter {lid} > letter.md. "
            "Nothing was changed.",
        )
    if letter.frozen:
        letter = repo.new_letter_version(cid, letter.id)
    letter.body = body
    letter = repo.save_letter(cid, letter)
    return letter, letter_private_text(repo, cid, body)


def sending_blockers(repo: Repository, cid: str, letter, *, cache: AnalysisCache | None = None) -> list[str]:
    """What stops ``letter`` being sent, one sentence each: private material in it, high-severity
    wording findings not kept with a reason, and an open risk flag (``measure-risk``) not yet
    reviewed (dismissed with a reason on the Flags tab or ``sessionnotes flags dismiss``)."""
    client = repo.get_client(cid)
    out = [f"it contains {leak}" for leak in letter_private_text(repo, cid, letter.body)]
    if not letter.extra.get("quote_referral"):
        from .export.letter import third_party_quotes

        out += [
            f"it repeats {where} (describe it in your own words, or draft with the choice to quote it)"
            for where in third_party_quotes(letter.body, client)
        ]
    kept_bare = {(a.matched, a.category) for a in letter.acknowledgements}
    for f in letter_findings(client, letter.body):
        if f.severity == "high" and not letter.acknowledged(f.matched, f.category):
            kept = (f.matched, f.category) in kept_bare
            out.append(
                f"the wording \u201c{f.matched}\u201d ({f.category}) is "
                + ("kept without a reason" if kept else "neither changed nor kept with a reason")
            )
    for flag in flags_for(repo, cid, cache=cache):
        if flag.kind == "measure-risk" and not flag.dismissed:
            out.append(f"a risk flag is open and not yet reviewed ({flag.title or flag.kind})")
    return out


class LetterRefused(RecordError):
    """A letter step the workflow does not allow; nothing was changed."""


def advance_letter(
    repo: Repository,
    cid: str,
    lid: str,
    step: str,
    on: dt.date,
    *,
    body: str | None = None,
    comments: str | None = None,
    changes: str | None = None,
    sent_to: str = "",
    cache: AnalysisCache | None = None,
):
    """Move a letter one step on (shown, agreed, sent) with its date: the one way the CLI and the
    TUI record a step. ``body`` saves the text being edited with the step. Refused (nothing changed)
    out of order, backwards, dated before the previous step, or sending while anything in
    :func:`sending_blockers` is open."""
    from .domain.letters import STEP_DATES, step_problem

    letter = repo.get_letter(cid, lid)
    if body is not None and not letter.frozen:
        letter.body = body
    problem = step_problem(letter, step, on)
    if problem:
        raise LetterRefused(problem, "Nothing was changed.")
    private = letter_private_text(repo, cid, letter.body)
    if private:  # checked at every step: showing the patient private text releases it as much as sending
        raise LetterRefused(
            f"The letter was not marked {step}: it contains " + "; ".join(private) + ".",
            "Private material never goes into a letter: take that wording out (or rewrite it in words you "
            "would share), then record the step again. Nothing was changed.",
        )
    if step == "sent":
        if not sent_to.strip():
            raise LetterRefused("Say who the letter was sent to.", "Nothing was changed.")
        blockers = sending_blockers(repo, cid, letter, cache=cache)
        if blockers:
            raise LetterRefused(
                "The letter was not marked sent: " + "; ".join(blockers) + ".",
                "Resolve each one first (change the wording, or keep it with a reason: sessionnotes letter "
                "acknowledge --note; review the risk flag); nothing was changed.",
            )
        letter.sent_to = sent_to.strip()
    if step == "shown":
        letter.patient_comments = comments if comments is not None else letter.patient_comments
        letter.changes_made = changes if changes is not None else letter.changes_made
    letter.status = step
    setattr(letter, STEP_DATES[step], on)
    return repo.save_letter(cid, letter)


def export_letter(repo: Repository, cid: str, fmt: str, out, *, force: bool = False, letter_id: str | None = None):
    from .export.letter import letter_doc, merge_problems, private_leaks
    from .export.render import render, write_export

    letters = repo.list_letters(cid)
    if letter_id:
        letter = repo.get_letter(cid, letter_id)
    elif letters:
        letter = letters[-1]
    else:
        letter = draft_letter(repo, cid)
    client = repo.get_client(cid)
    problems = merge_problems(client)
    if problems:
        raise MissingMergeFields(problems)
    leaks = private_leaks(letter.body, repo.list_formulation(cid), repo.list_sessions(cid))
    if leaks:
        raise RecordError(
            "The letter was not exported: it contains " + ", ".join(leaks) + ".",
            "Private material never goes into a letter; remove that wording first.",
        )
    pending = blocking_findings(letter, client)
    if pending:
        raise LanguageGate(pending)
    path = write_export(render(letter_doc(letter, client, today=today(repo)), fmt), out, force=force)
    repo.record_event(cid, "exported", f"letter:{letter.id}", f"letter v{letter.version} as {fmt} to {path}")
    return path


def export_supervision(
    repo: Repository,
    cids: list[str],
    fmt: str,
    out,
    *,
    since=None,
    force: bool = False,
    cache: AnalysisCache | None = None,
    refuse_unreviewed: bool = False,
    confirmed: Iterable[str] = (),
):
    """Write the supervision summary. With ``refuse_unreviewed``, nothing is written while words that
    may be names are left after scrubbing (:class:`NeedsReview` lists them), except the words the
    therapist has ``confirmed`` are not names (compared case-insensitively)."""
    from .export.render import render, write_export
    from .export.supervision import supervision_doc

    bundles = [repo.record(cid) for cid in cids]
    if since == "last":  # since each client's last supervision summary (whole episode if none yet)
        for b in bundles:
            b.since = last_supervision_date(repo, b.client.id)
        since = None
    flags = {cid: flags_for(repo, cid, cache=cache) for cid in cids}  # the same flags as the Flags tab and the CLI
    review: list = []
    doc = supervision_doc(bundles, flags=flags, since=since, today=today(repo), review=review)
    fine = {w.casefold() for w in confirmed}
    unreviewed = [item for item in review if item.word.casefold() not in fine]
    if unreviewed and refuse_unreviewed:
        from .export.review import NeedsReview

        raise NeedsReview(unreviewed)
    path = write_export(render(doc, fmt), out, force=force)
    for cid in cids:
        repo.record_event(cid, "exported", "supervision", f"supervision summary as {fmt} to {path}")
    return path


def keep_out_of_summaries(repo: Repository, cid: str, names: Iterable[str]) -> list[str]:
    """Add ``names`` to the client's "keep out of summaries" list (each once, whatever its case) and
    save the record (noted in its audit trail). Returns the names that were new."""
    from .domain.models import split_names

    client = repo.get_client(cid)
    have = {n.casefold() for n in client.keep_out}
    added = [n for n in split_names(",".join(n.replace(",", " ") for n in names)) if n.casefold() not in have]
    if added:
        repo.update_client(dataclasses.replace(client, keep_out=[*client.keep_out, *added]))
    return added


def last_supervision_date(repo: Repository, cid: str):
    dates = [e.at.date() for e in repo.audit_trail(cid) if e.action == "exported" and e.target == "supervision"]
    return max(dates) if dates else None


def export_record(
    repo: Repository,
    cid: str,
    fmt: str,
    out,
    *,
    force: bool = False,
    include_private: bool = False,
    include_private_formulation: bool = False,
    cache: AnalysisCache | None = None,
):
    """The full record (subject access request). Private process notes and formulation items never
    shared are left out unless asked for; risk items and their review are always in."""
    from .export.record import record_doc
    from .export.render import render, write_export

    b = repo.record(cid)
    doc = record_doc(
        b,
        repo.audit_trail(cid),
        today=today(repo),
        include_private=include_private,
        include_private_formulation=include_private_formulation,
        risk_flags=list(flags_for(repo, cid, cache=cache)),
    )
    path = write_export(render(doc, fmt), out, force=force)
    extras = [
        what
        for what, asked in (("private notes", include_private), ("private formulation", include_private_formulation))
        if asked
    ]
    repo.record_event(
        cid, "exported", "record", f"full record{' with ' + ' and '.join(extras) if extras else ''} as {fmt} to {path}"
    )
    return path


# -- search ----------------------------------------------------------------------------------------


def client_index_entry(repo: Repository, cid: str):
    """The documents the search index holds about one client."""
    from .analysis.search import client_documents

    r = repo.record(cid)
    return client_documents(r.client, r.sessions, r.formulation, r.letters, r.contacts)


# -- flags -----------------------------------------------------------------------------------------


def flag_thresholds(repo: Repository) -> Thresholds:
    """The flag thresholds from settings (``flag_thresholds``); the defaults when a value there is
    not usable (a wrong type or a negative number), so a bad setting never hides the flags."""
    from .analysis.flags import Thresholds

    try:
        return Thresholds.from_mapping(repo.settings().get("flag_thresholds", {}))
    except (TypeError, ValueError):
        return Thresholds()


FACTS_KEY_PURPOSE = "analysis facts"
"""What the key of the text facts' keyed hashes is derived for (:meth:`Vault.derived_key`)."""


def _facts_bound(repo: Repository, cache: AnalysisCache) -> bool:
    """Whether the cache's fact store belongs to this vault as it is now (no derived file dropped since)."""
    bound = cache.facts.bound_to
    return isinstance(bound, tuple) and bound[0] is repo.vault and bound[1] == repo.vault.derived_epoch


def load_facts(repo: Repository, cache: AnalysisCache) -> None:
    """Give the cache's fact store (:mod:`.analysis.textfacts`) this vault's key and the facts kept
    in the vault, once per unlock (again after an erasure or a new master key dropped the file). A
    missing, damaged or outdated file only means the facts are worked out again."""
    store = cache.facts
    with store.binding:
        if _facts_bound(repo, cache) or not repo.vault.is_open:
            return
        vault = repo.vault
        store.attach(vault.derived_key(FACTS_KEY_PURPOSE), vault.read_derived("facts"), (vault, vault.derived_epoch))


def save_facts(repo: Repository, cache: AnalysisCache) -> bool:
    """Write the cache's new text facts to the vault, encrypted (one atomic write), when there are
    any and the store still belongs to this vault. Best effort: a failed write is only lost time."""
    from .vault.errors import VaultError

    store = cache.facts
    if not store.changed or not repo.vault.is_open or not _facts_bound(repo, cache):
        return False
    try:
        repo.vault.write_derived("facts", store.to_bytes())
    except (OSError, VaultError):
        store.changed = True
        return False
    return True


def flags_for(repo: Repository, cid: str, *, cache: AnalysisCache | None = None) -> list[Flag]:
    """The one way to get a client's flags, most serious first: the record (sessions, formulation,
    measures), the thresholds from settings and the therapist's dismissals (dismissed flags are
    returned, marked). ``cache`` is the unlocked vault's :class:`AnalysisCache` (results kept until
    it is cleared on lock); without one nothing is remembered past the call. With a cache, what the
    detectors read from each text comes from the facts kept in the vault (:func:`load_facts`); new
    facts stay in memory until :func:`save_facts` (the caseload pass calls it when it ends)."""
    from .analysis.flags import detect

    if cache is not None:
        load_facts(repo, cache)
    r = repo.record(cid)
    flags = detect(
        r.client,
        r.sessions,
        formulation=r.formulation,
        thresholds=flag_thresholds(repo),
        dismissed=r.dismissals,
        measures=r.measures,
        cache=cache,
    )
    return flags


def client_flag_kinds(repo: Repository, cid: str, *, cache: AnalysisCache | None = None) -> set[str]:
    """The kinds of the client's open flags (the caseload and search filter by flag)."""
    return {f.kind for f in flags_for(repo, cid, cache=cache) if not f.dismissed}


def caseload_flag_kinds(
    repo: Repository, *, cache: AnalysisCache | None = None, stop: Callable[[], bool] | None = None
) -> dict[str, set[str]]:
    """Open flag kinds for every client on the caseload (discharged ones too), from the client list
    itself, so a client with no session yet is covered: a questionnaire alone can carry a risk item.
    ``stop()`` returning True ends the pass early (what was done so far is returned); a client
    whose file cannot be read is left out.

    With a cache, the text facts kept in the vault are read first and, when the pass ends, the
    facts of texts no longer in any record are dropped and the new ones written back (in the
    caller's thread: the app runs this pass in a worker; the write asks ``stop()`` first, like
    each client)."""
    from .vault.errors import VaultError

    if cache is not None:
        load_facts(repo, cache)
    out: dict[str, set[str]] = {}
    finished = True
    for row in repo.list_clients(include_discharged=True):
        if stop is not None and stop():
            finished = False
            break
        try:
            out[row.id] = client_flag_kinds(repo, row.id, cache=cache)
        except VaultError:
            continue
    if cache is not None and _facts_bound(repo, cache):
        if finished:
            cache.facts.sweep()
        # the write (one JSON dump of every fact, which holds the interpreter) waits its turn too
        if cache.facts.changed and (stop is None or not stop()):
            save_facts(repo, cache)
    return out


def build_index(
    repo: Repository,
    include_discharged: bool = True,
    *,
    cache: AnalysisCache | None = None,
    persist: bool = False,
    stop: Callable[[], bool] | None = None,
):
    """Index every client's record. Flag kinds are worked out only when a query filters by flag
    (through ``cache``, the unlocked vault's analysis cache, when given). ``stop()`` is asked
    before each client; True ends the build early and the index returned is partial (not stored).

    With ``persist`` the index kept encrypted in the vault is loaded, only the clients whose file
    changed since (a new stamp) are read again, and it is stored back when anything changed: a
    search from the command line costs one decryption, not a read of every record."""
    import sqlite3

    from .analysis.search import SearchIndex

    persist = persist and include_discharged
    index = None
    data = repo.vault.read_derived("search") if persist else None
    if data is not None:
        try:
            index = SearchIndex(data)
        except (ValueError, sqlite3.DatabaseError):
            index = None  # another version or damaged: made again below
    if index is None:
        index = SearchIndex()
    index.flag_provider = lambda cid: client_flag_kinds(repo, cid, cache=cache)
    known = index.stamps()
    rows = repo.list_clients(include_discharged=include_discharged)
    changed = False
    for cid in set(known) - {row.id for row in rows}:
        index.remove_client(cid)
        changed = True
    for row in rows:
        if stop is not None and stop():
            return index
        stamp = repo.vault.client_stamp(row.id)  # before the read: a save in between is caught next time
        if stamp and known.get(row.id) == stamp:
            continue
        index.replace_client(row.id, client_index_entry(repo, row.id), stamp=stamp)
        changed = True
    if persist and changed:
        index.optimize()
        repo.vault.write_derived("search", index.to_bytes())
    return index


def refresh_index(index, repo: Repository, cid: str) -> None:
    """After a save: replace that client's documents (incremental update)."""
    if not repo.vault.has_client(cid):
        index.remove_client(cid)
        return
    stamp = repo.vault.client_stamp(cid)
    index.replace_client(cid, client_index_entry(repo, cid), stamp=stamp)
