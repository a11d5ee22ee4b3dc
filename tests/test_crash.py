"""kill -9 of a writer at random moments: the vault always opens, every acknowledged save is there."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import PASS, TEST_LIMITS, cheap_params, open_vault

from sessionnotes.domain.models import Client
from sessionnotes.vault import Vault
from sessionnotes.vault.repository import Repository

WRITER = r"""
import sys, datetime as dt
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from conftest import open_vault
from sessionnotes.vault.repository import Repository
from sessionnotes.domain.models import Session, Attendance
v = open_vault(Path(sys.argv[2]))
repo = Repository(v)
cid, trial = sys.argv[3], sys.argv[4]
print("READY", flush=True)
n = 0
while True:
    n += 1
    repo.add_session(cid, Session(date=dt.date(2026, 1, 1), attendance=Attendance.ATTENDED, stage="meeting",
                                  note=f"trial {trial} save {n} " + "words " * 200))
    print(f"ACK {n}", flush=True)
"""

TRIALS = 50


def test_kill_minus_nine_during_saves_loses_nothing_acknowledged(tmp_path):
    path = tmp_path / "vault"
    v, _ = Vault.create(path, PASS, params=cheap_params(), limits=TEST_LIMITS)
    cid = Repository(v).add_client(Client(name="Crash Probe Fictional"))
    v.close()
    rng = random.Random(1234)
    here = str(Path(__file__).parent)
    acknowledged: dict[str, int] = {}
    for trial in range(TRIALS):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, here, str(path), cid, str(trial)], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout.readline().strip() == "READY"
        time.sleep(rng.uniform(0.0, 0.12))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        acks = [int(line.split()[1]) for line in out.splitlines() if line.startswith("ACK")]
        acknowledged[str(trial)] = max(acks, default=0)
        # after every kill: the vault opens, verifies, and holds every acknowledged save
        v = open_vault(path)
        try:
            assert v.verify() == []
            notes = [s.note for s in Repository(v).list_sessions(cid)]
            assert not Repository(v).check_integrity(cid)
        finally:
            v.close()
        for t, n in acknowledged.items():
            present = {int(x.split()[3]) for x in notes if x.startswith(f"trial {t} save ")}
            assert set(range(1, n + 1)) <= present, f"trial {t}: acknowledged {n}, present {sorted(present)}"
    assert sum(acknowledged.values()) > 0  # the kills really landed among saves
    # the caseload row is repaired from the client file when a kill fell between the two writes
    v = open_vault(path)
    (row,) = Repository(v).list_clients()
    assert row.sessions == len(Repository(v).list_sessions(cid))
    v.close()
