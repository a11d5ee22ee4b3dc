"""The record export (subject access request): private formulation left out unless asked, risk
items and their review in, each section saying what it holds and leaves out."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from test_exports import PRIVATE_ITEM, PRIVATE_NOTE, make_client, text_of

from sessionnotes import services
from sessionnotes.domain.measures import MeasureResult, parse_items
from sessionnotes.vault.repository import Repository


class Clock:
    def __call__(self) -> dt.datetime:
        return dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)


@pytest.fixture
def repo(vault):
    return Repository(vault, clock=Clock())


L4_PRIVATE = "Anger at her sister may be feeding the tension in her shoulders"


def _client(repo):
    cid = make_client(repo)
    services.add_formulation_item(repo, cid, services.new_version(repo, L4_PRIVATE, "L4"))
    return cid


@pytest.mark.parametrize("fmt", ["md", "html", "pdf"])
def test_private_formulation_is_left_out_by_default_and_said_so(repo, tmp_path, fmt):
    cid = _client(repo)
    text = " ".join(html.unescape(text_of(services.export_record(repo, cid, fmt, tmp_path / f"r.{fmt}"))).split())
    for private in (PRIVATE_ITEM, L4_PRIVATE, PRIVATE_NOTE):
        assert private not in text
    assert "The pain has taken away the walks" in text
    assert "Leaves out: 2 item(s) never shared" in text
    assert "Leaves out: the therapist's private process notes" in text


def test_private_formulation_only_with_the_option_and_a_warning(repo, tmp_path):
    cid = _client(repo)
    text = text_of(services.export_record(repo, cid, "md", tmp_path / "r.md", include_private_formulation=True))
    assert PRIVATE_ITEM in text and L4_PRIVATE in text and "never shared with the patient" in text
    assert PRIVATE_NOTE not in text
    assert "private formulation" in repo.audit_trail(cid)[-1].detail


def test_an_open_risk_item_and_its_review_are_in_the_record(repo, tmp_path):
    cid = _client(repo)
    risky = tuple(parse_items("1,1,1,1,1,1,1,1,2", "phq9"))
    repo.add_measure(cid, MeasureResult(instrument="phq9", date=dt.date(2026, 3, 9), responses=risky))
    text = text_of(services.export_record(repo, cid, "md", tmp_path / "r.md"))
    risk = text[text.index("Risk items") :]
    assert "Open: not yet reviewed" in risk


def test_cli_record_export_leaves_private_formulation_out_unless_asked(tmp_path):
    import os
    import subprocess
    import sys

    from conftest import PASS

    env = {k: v for k, v in os.environ.items() if not k.startswith("SESSIONNOTES_")}
    env.update(SESSIONNOTES_VAULT=str(tmp_path / "vault"), SESSIONNOTES_PASSPHRASE=PASS, HOME=str(tmp_path))

    def sn(*args, expect=0):
        p = subprocess.run([sys.executable, "-m", "sessionnotes", *args], capture_output=True, text=True, env=env)
        assert "Traceback" not in p.stderr and p.returncode == expect, (p.returncode, p.stderr)
        return p

    sn("init", "--kdf-memory-mib", "64")
    cid = sn("client", "add", "--name", "Wren Oakley-Testfield", "--gp", "Dr Imaginary").stdout.strip()
    sn("formulation", "add", "--client", cid, "--layer", "L5", "--text", "PRIVMARK hidden hypothesis about early losses")
    out = tmp_path / "r.md"
    sn("export", "record", "--client", cid, "--format", "md", "--out", str(out))
    assert "PRIVMARK" not in out.read_text()
    p = sn("export", "record", "--client", cid, "--format", "md", "--out", str(out), expect=2)
    assert "already exists" in p.stderr and "PRIVMARK" not in out.read_text()
    p = sn("export", "record", "--client", cid, "--format", "md", "--out", str(out), "--force", "--include-private-formulation")
    assert "PRIVMARK" in out.read_text() and "never shared" in p.stderr
