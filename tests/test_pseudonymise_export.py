"""End to end: identifiers planted in session notes and formulation items never reach the written
supervision summary, and undeclared names stop the export until the therapist has reviewed them."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys

import pytest
from conftest import PASS

from sessionnotes import services
from sessionnotes.domain.models import Attendance, Client, Session
from sessionnotes.export.review import NeedsReview
from sessionnotes.vault.repository import Repository

PLANTED_NOTE = (
    "roz came with Bernie's sister; Bernie said Tom Quill drove. She was born 5-Nov-1964 and lives off "
    "Larkspurt Rd. NHS 999 001 0005 on the letter; email roz dot fp at example dot com. Dr T. Halloran and "
    "Dr Varga disagree about the scan; she works at Brightwater."
)
PLANTED_ITEM = "Roz's pain flares after shifts at brightwater bakery, when tom quill is away"
NEVER = [
    "roz",
    "bernie",
    "quill",
    "1964",
    "larkspurt",
    "9990010005",
    "example dot com",
    "halloran",
    "varga",
    "brightwater",
    "rosalind",
    "fakename",
]


class Clock:
    def __call__(self) -> dt.datetime:
        return dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)


def _client(repo: Repository, note: str = PLANTED_NOTE) -> str:
    cid = repo.add_client(
        Client(
            name="Rosalind Fakename-Pip",
            pseudonym="Client R",
            dob=dt.date(1964, 11, 5),
            nhs_number="9990010005",
            gp_name="Dr Tobias Halloran",
            practice="Quellbrook Surgery",
            address="14 Larkspurt Road, Fakechester",
            aka=["Roz", "Bernie"],
            keep_out=["Tom Quill", "Brightwater Bakery", "Dr Ilse Varga"],
            supervision_questions=note,
            patient_goal="to get back to work at Brightwater Bakery, Roz says",
        )
    )
    repo.add_session(cid, Session(date=dt.date(2026, 2, 2), attendance=Attendance.ATTENDED, stage="meeting", note=note))
    repo.add_session(
        cid, Session(date=dt.date(2026, 2, 9), attendance=Attendance.DNA, stage="meeting", attendance_reason=note[:120])
    )
    services.add_formulation_item(
        repo, cid, services.new_version(repo, PLANTED_ITEM, "L1", status="shared", lens="intra-psychic")
    )
    return cid


@pytest.fixture
def repo(vault):
    return Repository(vault, clock=Clock())


def _digits_and_words(text: str) -> str:
    return text.lower() + " " + re.sub(r"\D", "", text)


def test_planted_identifiers_never_reach_the_file(repo, tmp_path):
    cid = _client(repo)
    out = services.export_supervision(repo, [cid], "md", tmp_path / "s.md", refuse_unreviewed=True)
    text = out.read_text(encoding="utf-8")
    # the planted text is there, scrubbed
    assert "Client R" in text and PLANTED_ITEM not in text and "flares after shifts" in text
    assert "[date of birth]" in text and "[NHS number]" in text and "[email]" in text and "[GP]" in text
    seen = _digits_and_words(text)
    for planted in NEVER:
        assert not re.search(rf"(?<!\w){re.escape(planted)}(?!\w)", seen), planted


def test_an_undeclared_name_stops_the_export_until_reviewed(repo, tmp_path):
    cid = _client(repo, note=PLANTED_NOTE + " Her neighbour Zebediah Wrangleford helps.")
    with pytest.raises(NeedsReview) as e:
        services.export_supervision(repo, [cid], "md", tmp_path / "s.md", refuse_unreviewed=True)
    assert not (tmp_path / "s.md").exists()
    assert "Zebediah Wrangleford" in {i.word for i in e.value.items}  # the whole name, as one item
    assert "neighbour Zebediah Wrangleford helps" in str(e.value)
    # declared, it is scrubbed and the export goes through
    client = repo.get_client(cid)
    client.keep_out = [*client.keep_out, "Zebediah Wrangleford"]
    repo.update_client(client)
    text = services.export_supervision(repo, [cid], "md", tmp_path / "s.md", refuse_unreviewed=True).read_text()
    assert "Zebediah" not in text and "Wrangleford" not in text


def test_cli_sets_the_lists_and_refuses_unreviewed_names(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SESSIONNOTES_")}
    env.update(SESSIONNOTES_VAULT=str(tmp_path / "vault"), SESSIONNOTES_PASSPHRASE=PASS, HOME=str(tmp_path))

    def sn(*args: str) -> subprocess.CompletedProcess[str]:
        p = subprocess.run([sys.executable, "-m", "sessionnotes", *args], capture_output=True, text=True, env=env)
        assert "Traceback" not in p.stdout + p.stderr, p.stderr
        return p

    assert sn("init", "--kdf-memory-mib", "64").returncode == 0
    cid = sn("client", "add", "--name", "Rosalind Fakename-Pip", "--gp", "Dr Tobias Halloran").stdout.strip()
    p = sn("client", "update", "--client", cid, "--aka", "Roz,Bernie", "--keep-out", "Tom Quill,Brightwater Bakery,Dr Ilse Varga")
    assert p.returncode == 0, p.stderr
    shown = json.loads(sn("client", "show", "--client", cid, "--json").stdout)["client"]
    assert shown["aka"] == ["Roz", "Bernie"] and shown["keep_out"] == ["Tom Quill", "Brightwater Bakery", "Dr Ilse Varga"]
    bad = sn("client", "update", "--client", cid, "--aka", "R")
    assert bad.returncode == 2 and "two letters" in bad.stderr
    assert json.loads(sn("client", "show", "--client", cid, "--json").stdout)["client"]["aka"] == ["Roz", "Bernie"]

    risk = "Roz says Tom Quill is supportive; her neighbour Zebediah Wrangleford is not."
    assert sn("client", "update", "--client", cid, "--pseudonym", "Client R", "--risk-notes", risk).returncode == 0
    out = tmp_path / "s.md"
    p = sn("export", "supervision", "--client", cid, "--format", "md", "--out", str(out))
    assert p.returncode == 2 and not out.exists()
    assert "Zebediah" in p.stderr and "--reviewed" in p.stderr
    p = sn("export", "supervision", "--client", cid, "--format", "md", "--out", str(out), "--reviewed")
    assert p.returncode == 0, p.stderr
    text = out.read_text(encoding="utf-8")
    assert "Zebediah" in text  # the therapist confirmed it
    assert not re.search(r"(?i)\broz\b|quill|rosalind", text)
