"""One way to get flags (services.flags_for) and what the flags remember about note text.

The CLI, the search flag filter and the supervision summary all take a client's flags from
``services.flags_for``, so they agree with each other and honour the ``flag_thresholds`` setting.
The flags keep results and per-text tables only in the :class:`AnalysisCache` they are given; the
last tests show that once the cache is cleared (the vault locking) no string holding a note's words
is reachable any more, and that without the clear it would be.
"""

from __future__ import annotations

import datetime as dt
import gc
import json
import os
import secrets
import subprocess
import sys

import pytest
from conftest import PASS, open_vault

from sessionnotes import services
from sessionnotes.analysis.cache import AnalysisCache
from sessionnotes.analysis.flags import FLAG_KINDS, Thresholds, detect
from sessionnotes.domain.models import Attendance, Client, Session
from sessionnotes.vault.repository import Repository

LOOSE = {
    "body_talk_run": 1,
    "body_talk_grace_sessions": 0,
    "starting_again_count": 1,
    "token_agreement_count": 1,
    "passivity_strong_count": 1,
    "countertransference_count": 1,
    "absence_repeat": 1,
    "impasse_sessions": 2,
    "impasse_sessions_early_stage": 2,
}
"""Thresholds that let far more through than the defaults, so a caller that ignored the setting
would show different flags."""


def _cli(vault_path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SESSIONNOTES_")}
    env.update(SESSIONNOTES_VAULT=str(vault_path), SESSIONNOTES_PASSPHRASE=PASS, HOME=str(vault_path.parent))
    p = subprocess.run([sys.executable, "-m", "sessionnotes", *args], capture_output=True, text=True, env=env)
    assert p.returncode == 0 and "Traceback" not in p.stderr, p.stderr
    return p


@pytest.fixture(scope="module")
def demo_vault(tmp_path_factory):
    """A demo vault (the CLI's gen-demo) with loose flag thresholds in its settings."""
    path = tmp_path_factory.mktemp("flags-service") / "vault"
    _cli(path, "gen-demo", "--clients", "6", "--sessions", "72", "--seed", "11", "--vault", str(path))
    vault = open_vault(path)
    try:
        Repository(vault).set_setting("flag_thresholds", LOOSE)
    finally:
        vault.close()
    return path


def _client_where_the_setting_matters(repo: Repository) -> tuple[str, set[str]]:
    """A client whose flags with the setting differ from the defaults, and the kinds only the setting raises."""
    for row in repo.list_clients():
        r = repo.record(row.id)
        default = {f.kind for f in detect(r.client, r.sessions, formulation=r.formulation, measures=r.measures)}
        loose = {f.kind for f in services.flags_for(repo, row.id)}
        if loose - default:
            return row.id, loose - default
    raise AssertionError("the demo vault should have a client the loose thresholds flag differently")


def test_flags_for_reads_the_thresholds_setting(demo_vault):
    vault = open_vault(demo_vault)
    try:
        repo = Repository(vault)
        assert services.flag_thresholds(repo) == Thresholds(**LOOSE)
        repo.set_setting("flag_thresholds", {"body_talk_run": "three"})  # unusable: the defaults, not an error
        assert services.flag_thresholds(repo) == Thresholds()
        repo.set_setting("flag_thresholds", LOOSE)
    finally:
        vault.close()


def test_flags_for_equals_what_the_cli_prints(demo_vault):
    vault = open_vault(demo_vault)
    try:
        repo = Repository(vault)
        cid, _only_loose = _client_where_the_setting_matters(repo)
        expected = json.loads(json.dumps([f.to_dict() for f in services.flags_for(repo, cid)]))
        kinds = services.client_flag_kinds(repo, cid)
    finally:
        vault.close()
    printed = json.loads(_cli(demo_vault, "flags", "--client", cid, "--json").stdout)
    assert printed["client"] == cid
    assert printed["flags"] == expected and expected
    assert kinds == {f["kind"] for f in expected if not f["dismissed"]}


def test_flags_for_with_a_cache_gives_the_same_flags(demo_vault):
    vault = open_vault(demo_vault)
    try:
        repo = Repository(vault)
        cache = AnalysisCache()
        for row in repo.list_clients():
            plain = [f.to_dict() for f in services.flags_for(repo, row.id)]
            assert [f.to_dict() for f in services.flags_for(repo, row.id, cache=cache)] == plain
            assert [f.to_dict() for f in services.flags_for(repo, row.id, cache=cache)] == plain  # from the cache
        assert len(cache.flags) == len(repo.list_clients())
    finally:
        vault.close()


def test_supervision_uses_the_same_thresholds(demo_vault, tmp_path):
    vault = open_vault(demo_vault)
    try:
        repo = Repository(vault)
        cid, only_loose = _client_where_the_setting_matters(repo)
        open_flags = [f for f in services.flags_for(repo, cid) if not f.dismissed]
        out = services.export_supervision(repo, [cid], "md", tmp_path / "sup.md")
    finally:
        vault.close()
    text = out.read_text(encoding="utf-8")
    for kind in only_loose:  # raised only because of the setting, and in the summary
        assert f"{FLAG_KINDS[kind]} (" in text, kind
    for f in open_flags:
        assert f"{f.title} ({f.severity})" in text, f.kind


# ---------------------------------------------------------------------------------------------
# Nothing made of note text outlives the cache
# ---------------------------------------------------------------------------------------------


def _strings_holding(needle: str) -> int:
    """How many strings (other than ``needle`` itself) holding ``needle`` are reachable from any
    object the garbage collector tracks, looking into tuples and frozensets too (gc may untrack
    those that hold only atomic values, so they are reached through their containers)."""
    gc.collect()
    found = 0
    seen: set[int] = set()
    pending: list[object] = []
    for container in gc.get_objects():
        pending += gc.get_referents(container)
        while pending:
            ref = pending.pop()
            kind = type(ref)
            if kind is str:
                if ref is not needle and needle in ref:
                    found += 1
            elif kind is tuple or kind is frozenset:
                if id(ref) not in seen:
                    seen.add(id(ref))
                    pending += gc.get_referents(ref)
        del container
    return found


def _sessions_with(needle: str) -> list[Session]:
    """Sessions whose notes carry the needle where the detectors read it (notes, private notes,
    feelings), enough of them to raise flags."""
    start = dt.date(2025, 3, 3)
    return [
        Session(
            date=start + dt.timedelta(days=7 * n),
            attendance=Attendance.ATTENDED,
            stage="nudging-forward",
            body_talk=3,
            note=f"Went over the scan results and the {needle} pain again; she waited for me to lead.",
            private_note=f"I felt bored and stuck with the {needle} story.",
            feelings_other=f"irritated ({needle})",
        )
        for n in range(6)
    ]


def _run_detect(needle: str, cache: AnalysisCache | None) -> int:
    """Flags for a fictional client whose notes hold ``needle``; only the count leaves this frame."""
    sessions = _sessions_with(needle)
    flags = detect(Client(name="A Fictional"), sessions, cache=cache)
    return len(flags)


def test_a_cleared_cache_keeps_no_note_text():
    needle = "zq" + secrets.token_hex(12)  # made now: no other string in the process holds it
    cache = AnalysisCache()
    assert _run_detect(needle, cache) > 0
    assert _strings_holding(needle) > 0, "before clear() the cache holds the notes (else this test proves nothing)"
    cache.clear()
    assert _strings_holding(needle) == 0


def test_without_a_cache_nothing_is_remembered():
    needle = "zq" + secrets.token_hex(12)
    assert _run_detect(needle, None) > 0
    assert _strings_holding(needle) == 0


def test_caseload_pass_covers_a_client_whose_only_record_is_a_questionnaire(tmp_path):
    path = tmp_path / "vault"
    _cli(path, "init", "--kdf-memory-mib", "64")
    at_risk = _cli(path, "client", "add", "--name", "Fictional Onlyquestionnaire").stdout.strip()
    quiet = _cli(path, "client", "add", "--name", "Fictional Nothingyet").stdout.strip()
    _cli(
        path,
        "measure",
        "add",
        "--client",
        at_risk,
        "--instrument",
        "phq9",
        "--date",
        "2026-01-05",
        "--items",
        "1,1,1,1,1,1,1,1,2",
    )
    vault = open_vault(path)
    try:
        repo = Repository(vault)
        # no session, formulation or letter: the search index holds nothing for this client
        assert services.build_index(repo).search(f"client:{at_risk}") == []
        kinds = services.caseload_flag_kinds(repo, cache=AnalysisCache())
        assert kinds == {at_risk: {"measure-risk"}, quiet: set()}
        assert services.caseload_flag_kinds(repo, stop=lambda: True) == {}
    finally:
        vault.close()
