"""kill -9 of a writer at random moments: the vault always opens, every acknowledged save is there."""

from __future__ import annotations

import datetime as dt
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import NEWPASS, PASS, TEST_LIMITS, cheap_params, open_vault

from sessionnotes.domain.models import Attendance, Client, Session
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


ROTATOR = r"""
import sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from conftest import TEST_LIMITS, cheap_params, open_vault
v = open_vault(Path(sys.argv[2]), sys.argv[3])
print("READY", flush=True)
v.change_passphrase(sys.argv[4], params=cheap_params(), limits=TEST_LIMITS)
print("DONE", flush=True)
"""

ROTATION_TRIALS = 30


def test_kill_minus_nine_during_passwd_leaves_no_unreadable_vault(tmp_path):
    """Kill a key rotation at random moments: the vault always opens with the old or the new passphrase,
    the next unlock finishes the rotation, and every note is there."""
    from sessionnotes.vault import WrongPassphrase, rotation

    path = tmp_path / "vault"
    v, _ = Vault.create(path, PASS, params=cheap_params(), limits=TEST_LIMITS)
    repo = Repository(v)
    cids = [repo.add_client(Client(name=f"Rotation Crash Probe Fictional {i}")) for i in range(8)]
    for cid in cids:
        for n in range(6):
            repo.add_session(
                cid, Session(date=dt.date(2026, 1, 5), attendance=Attendance.ATTENDED, stage="meeting", note=f"{cid} {n}")
            )
    expected = {cid: sorted(s.note for s in repo.list_sessions(cid)) for cid in cids}
    v.close()
    rng = random.Random(4321)
    here = str(Path(__file__).parent)
    # one rotation run to the end measures how long one takes here, so the kills can be spread over it
    proc = subprocess.Popen([sys.executable, "-c", ROTATOR, here, str(path), PASS, NEWPASS], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "READY"
    start = time.perf_counter()
    assert proc.stdout.readline().strip() == "DONE"
    span = time.perf_counter() - start
    proc.communicate()
    current, other = NEWPASS, PASS
    interrupted = 0
    for _ in range(ROTATION_TRIALS):
        proc = subprocess.Popen(
            [sys.executable, "-c", ROTATOR, here, str(path), current, other], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout.readline().strip() == "READY"
        time.sleep(rng.uniform(0.0, span * 1.2))
        proc.send_signal(signal.SIGKILL)
        proc.communicate()
        interrupted += (path / rotation.JOURNAL_NAME).exists()
        try:  # 0 unreadable vaults: one of the two passphrases opens it
            v = open_vault(path, current)
        except WrongPassphrase:
            v = open_vault(path, other)
        try:
            assert v.verify() == []
            assert {cid: sorted(s.note for s in Repository(v).list_sessions(cid)) for cid in cids} == expected
        finally:
            v.close()
        assert not (path / rotation.JOURNAL_NAME).exists()  # the unlock finished any rotation
        try:
            open_vault(path, other).close()
            current, other = other, current
        except WrongPassphrase:
            open_vault(path, current).close()
    assert interrupted > 0  # some kills really landed inside a rotation


RECOVERY_ROTATOR = r"""
import sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from conftest import open_vault
v = open_vault(Path(sys.argv[2]), sys.argv[3])
print("READY", flush=True)
key, _ = v.rotate_recovery_key(sys.argv[3], announce=lambda k: print("KEY " + k, flush=True))
print("DONE", flush=True)
"""

RECOVERY_TRIALS = 6


def test_kill_minus_nine_during_recovery_key_rotate_leaves_no_unreadable_vault(tmp_path):
    """A handful of kills inside 'recovery-key rotate' (raise RECOVERY_TRIALS for a longer loop):
    the passphrase always opens the vault, the next unlock finishes the rotation, every note is there,
    and once a new recovery key was announced it is the one that works."""
    from sessionnotes.vault import WrongRecoveryKey, rotation

    path = tmp_path / "vault"
    v, _ = Vault.create(path, PASS, params=cheap_params(), limits=TEST_LIMITS)
    repo = Repository(v)
    cids = [repo.add_client(Client(name=f"Recovery Crash Probe Fictional {i}")) for i in range(6)]
    for cid in cids:
        for n in range(4):
            repo.add_session(
                cid, Session(date=dt.date(2026, 1, 5), attendance=Attendance.ATTENDED, stage="meeting", note=f"{cid} {n}")
            )
    expected = {cid: sorted(s.note for s in repo.list_sessions(cid)) for cid in cids}
    v.close()
    rng = random.Random(2468)
    here = str(Path(__file__).parent)
    proc = subprocess.Popen([sys.executable, "-c", RECOVERY_ROTATOR, here, str(path), PASS], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "READY"
    start = time.perf_counter()
    current = proc.stdout.readline().split(" ", 1)[1].strip()
    assert proc.stdout.readline().strip() == "DONE"
    span = time.perf_counter() - start
    proc.communicate()
    interrupted = 0
    for _ in range(RECOVERY_TRIALS):
        proc = subprocess.Popen(
            [sys.executable, "-c", RECOVERY_ROTATOR, here, str(path), PASS], stdout=subprocess.PIPE, text=True
        )
        assert proc.stdout.readline().strip() == "READY"
        time.sleep(rng.uniform(0.0, span * 1.2))
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        announced = [line.split(" ", 1)[1] for line in out.splitlines() if line.startswith("KEY ")]
        interrupted += (path / rotation.JOURNAL_NAME).exists()
        v = open_vault(path, PASS)  # 0 unreadable vaults: the passphrase never changes here
        try:
            assert v.verify() == []
            assert {cid: sorted(s.note for s in Repository(v).list_sessions(cid)) for cid in cids} == expected
        finally:
            v.close()
        assert not (path / rotation.JOURNAL_NAME).exists()  # the unlock finished any rotation
        if announced:  # the announced key was certain to become the recovery key; the previous one is revoked
            Vault.open_with_recovery_key(path, announced[0]).close()
            try:
                Vault.open_with_recovery_key(path, current).close()
                raise AssertionError("the revoked recovery key still opens the vault")
            except WrongRecoveryKey:
                pass
            current = announced[0]
        else:
            Vault.open_with_recovery_key(path, current).close()
    assert interrupted > 0  # some kills really landed inside a rotation
