"""Dates: real ISO dates (YYYY-MM-DD only) in a plausible span, consistent with the record; one
home in the domain, used by the CLI, `session add --from-json` and the TUI forms."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from conftest import PASS

from sessionnotes.domain.models import Attendance, Client, ClientStatus, Session, parse_iso_date
from sessionnotes.tui.labels import parse_day
from sessionnotes.tui.widgets.client_form import field_problem
from sessionnotes.vault.repository import RecordError, Repository

IMPLAUSIBLE = ["0001-01-01", "9999-12-31", "20260302", "2026-W10-1", "2026-02-30", "2026-3-2", " 1899-12-31", "2026-03-02T10:00"]


@pytest.mark.parametrize("text", IMPLAUSIBLE)
def test_every_entry_point_refuses_the_same_implausible_dates(text):
    with pytest.raises(ValueError):
        parse_iso_date(text)
    with pytest.raises(ValueError):
        parse_day(text)
    assert field_problem("date", text)


def test_a_real_date_passes_everywhere():
    assert parse_iso_date("2026-03-02") == parse_day("2026-03-02") == dt.date(2026, 3, 2)
    assert field_problem("date", "1984-05-17") == ""


@pytest.mark.parametrize("day", [dt.date(1, 1, 1), dt.date(9999, 12, 31), dt.date(1999, 12, 31)])
def test_a_session_dated_implausibly_does_not_validate(day):
    s = Session(date=day, stage="meeting", attendance=Attendance.ATTENDED)
    assert any(e.field == "date" for e in s.validate())


def test_a_discharge_before_the_last_session_or_the_referral_is_refused_and_nothing_saved(vault):
    repo = Repository(vault)
    cid = repo.add_client(Client(name="Wren Notreal", referral_date=dt.date(2025, 1, 10)))
    repo.add_session(cid, Session(date=dt.date(2025, 6, 1), stage="meeting", attendance=Attendance.ATTENDED))
    with pytest.raises(RecordError, match="last session"):
        repo.discharge_client(cid, dt.date(2025, 3, 1))
    assert repo.get_client(cid).status == ClientStatus.OPEN and repo.get_client(cid).discharge_date is None
    c = repo.get_client(cid)
    c.status, c.discharge_date = ClientStatus.DISCHARGED, dt.date(2024, 1, 1)
    assert any(e.field == "discharge_date" for e in c.validate(dt.date(2026, 1, 1)))  # before the referral
    repo.discharge_client(cid, dt.date(2025, 6, 2))  # after the last session: fine
    assert repo.get_client(cid).discharge_date == dt.date(2025, 6, 2)


@pytest.mark.parametrize("text", ["0001-01-01", "9999-12-31", "20260302", "2026-W10-1"])
def test_cli_and_from_json_refuse_implausible_dates_with_exit_2_and_save_nothing(tmp_path, text):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SESSIONNOTES_")}
    env.update(SESSIONNOTES_VAULT=str(tmp_path / "v"), SESSIONNOTES_PASSPHRASE=PASS, HOME=str(tmp_path))

    def sn(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "sessionnotes", *args], input=stdin, capture_output=True, text=True, env=env)

    assert sn("init", "--kdf-memory-mib", "64").returncode == 0
    cid = sn("client", "add", "--name", "Wren Notreal").stdout.strip()
    opts = ("--client", cid, "--stage", "meeting", "--attendance", "attended")
    p = sn("session", "add", *opts, "--date", text, "--file", "-", stdin="note")
    assert p.returncode == 2 and ("YYYY-MM-DD" in p.stderr or "implausibly" in p.stderr), p.stderr
    doc = tmp_path / "s.json"
    doc.write_text(json.dumps({"date": text, "stage": "meeting", "attendance": "attended", "note": "x"}))
    p = sn("session", "add", "--client", cid, "--from-json", str(doc))
    assert p.returncode == 2 and "Traceback" not in p.stderr
    p = sn("client", "add", "--name", "Ash Notreal", "--referral-date", text)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert json.loads(sn("session", "list", "--client", cid, "--json").stdout)["sessions"] == []
    assert len(json.loads(sn("client", "list", "--json").stdout)["clients"]) == 1
