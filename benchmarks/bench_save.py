"""Save latency: one edited session in a 300-client x 10,000-session vault, against a naive baseline.

Baseline (measured in the same run): the same data in ONE tinydb file, encrypted whole with the same
AEAD and the same atomic write on every save. sessionnotes shards the vault per client, so a save
rewrites one client's file (about 33 sessions) and the small caseload index.

    python benchmarks/bench_save.py [--clients 300] [--sessions 10000] [--saves 60]

Prints p50/p95 for both and the ratio. Targets: p95 <= 15 ms, ratio >= 20x. No assertions.

    python benchmarks/bench_save.py --compare REF [--saves 200]

Compares this checkout's repository.py with the one at git REF, in the same run: each gets its own
vault of 20 clients with 40 sessions of about 700 words, and saves alternate between the two
(`add_session`, then `update_session`), so disk and CPU drift fall on both alike.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.util
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from tinydb import Query, TinyDB  # noqa: E402

from sessionnotes.demo import generate  # noqa: E402
from sessionnotes.domain.models import Attendance, Client, Session  # noqa: E402
from sessionnotes.vault import EncryptedStorage, Vault  # noqa: E402
from sessionnotes.vault.crypto import new_params  # noqa: E402  (--compare vaults)
from sessionnotes.vault.repository import Repository  # noqa: E402

PASS = "Benchmark-Fictional-Lantern-Orbit-2026"
ROOT = Path(__file__).resolve().parents[1]
WORDS = (
    "she described the headaches again and how the walks had stopped since the spring her mother "
    "was ill and the doctor said the scans were clear which left her feeling unheard we talked "
    "about evenings tiredness work the garden sleep worry and what might help next week"
).split()


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    k = (len(xs) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def build(root: Path, clients: int, sessions: int) -> Path:
    path = root / "vault"
    v, _ = Vault.create(path, PASS)  # the KDF calibrated on this machine, as `sessionnotes init` does
    with v:
        generate(v, clients=clients, sessions=sessions, seed=7)
    return path


def bench_sharded(path: Path, saves: int, rng: random.Random) -> tuple[list[float], Vault, Repository]:
    v = Vault.open(path, PASS)
    repo = Repository(v)
    ids = [c.id for c in repo.list_clients(include_discharged=True)]
    times = []
    for i in range(saves):
        cid = rng.choice(ids)
        sessions = repo.list_sessions(cid)
        if not sessions:
            continue
        s = rng.choice(sessions)
        s.note += f"\nEdited {i}."
        t = time.perf_counter()
        repo.update_session(cid, s)
        times.append(time.perf_counter() - t)
    return times, v, repo


def bench_naive(root: Path, vault: Vault, repo: Repository, saves: int, rng: random.Random) -> list[float]:
    """All clients and sessions in one encrypted tinydb file; each save rewrites all of it."""
    key = bytes(32)
    db = TinyDB(root / "naive.snv", storage=EncryptedStorage, key=key)
    clients, sessions = db.table("clients"), db.table("sessions")
    for row in repo.list_clients(include_discharged=True):
        clients.insert(repo.get_client(row.id).to_dict())
    docs = []
    for row in repo.list_clients(include_discharged=True):
        for s in repo.list_sessions(row.id):
            d = s.to_dict()
            d["client"] = row.id
            docs.append(d)
    sessions.insert_multiple(docs)
    times = []
    q = Query()
    for i in range(saves):
        d = rng.choice(docs)
        t = time.perf_counter()
        sessions.update({"note": d["note"] + f"\nEdited {i}."}, (q.client == d["client"]) & (q.id == d["id"]))
        times.append(time.perf_counter() - t)
    return times


def repository_at(ref: str, tmp: Path) -> type[Repository]:
    """The `Repository` class of repository.py at git `ref`, loaded beside this checkout's."""
    text = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{ref}:src/sessionnotes/vault/repository.py"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    path = tmp / "repository_at_ref.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location("sessionnotes.vault._repository_at_ref", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    cls: type[Repository] = module.Repository
    return cls


def note(rng: random.Random, words: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(words))


def compare(ref: str, saves: int, clients: int = 20, sessions: int = 40, words: int = 700, caseload: int = 20) -> None:
    """Saves go to the first `clients` clients; `caseload` clients in all (the others have short notes)."""
    rng = random.Random(3)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        kinds = {f"before ({ref})": repository_at(ref, root), "after (checkout)": Repository}
        setups = {}
        for label, cls in kinds.items():
            v, _ = Vault.create(root / label.split()[0], PASS, params=new_params())
            repo = cls(v)
            cids = []
            for c in range(max(clients, caseload)):
                w = words if c < clients else 20
                items = [
                    Session(
                        date=dt.date(2025, 1, 6) + dt.timedelta(days=7 * k),
                        attendance=Attendance.ATTENDED,
                        stage="meeting",
                        note=note(rng, w),
                    )
                    for k in range(sessions)
                ]
                cids.append(repo.import_client(Client(name=f"Fictional Client {c}"), items, write_index=False))
            repo.rebuild_index()
            setups[label] = (v, repo, cids)
        times: dict[tuple[str, str], list[float]] = {(label, op): [] for label in kinds for op in ("add", "update")}
        labels = list(kinds)
        for i in range(saves):
            for label in labels if i % 2 == 0 else labels[::-1]:  # alternate who goes first
                _, repo, cids = setups[label]
                cid = cids[i % clients]  # the measured clients
                s = Session(date=dt.date(2026, 3, 2), attendance=Attendance.ATTENDED, stage="meeting", note=note(rng, words))
                t = time.perf_counter()
                sid = repo.add_session(cid, s)
                times[(label, "add")].append(time.perf_counter() - t)
                s = repo.get_session(cid, sid)
                s.note += f" edited {i}"
                t = time.perf_counter()
                repo.update_session(cid, s)
                times[(label, "update")].append(time.perf_counter() - t)
        for v, _, _ in setups.values():
            v.close()
    print(
        f"{clients} clients x {sessions} sessions of {words} words (each gains {saves // clients} while measured),"
        f" caseload of {max(clients, caseload)} clients"
    )
    print(f"{'save':<10}{'repository':<26}{'p50 ms':>10}{'p95 ms':>10}{'n':>6}")
    for (label, op), xs in times.items():
        print(f"{op:<10}{label:<26}{1000 * statistics.median(xs):>10.2f}{1000 * percentile(xs, 0.95):>10.2f}{len(xs):>6}")
    for op in ("add", "update"):
        before, after = times[(labels[0], op)], times[(labels[1], op)]
        print(
            f"{op}: after/before p50 {statistics.median(after) / statistics.median(before):.3f}, "
            f"p95 {percentile(after, 0.95) / percentile(before, 0.95):.3f}"
        )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=300)
    ap.add_argument("--sessions", type=int, default=10_000)
    ap.add_argument("--saves", type=int, default=60)
    ap.add_argument("--compare", metavar="REF", help="compare with repository.py at this git ref (same run)")
    ap.add_argument("--caseload", type=int, default=20, help="with --compare: clients in each vault")
    args = ap.parse_args()
    if args.compare:
        compare(args.compare, args.saves, caseload=args.caseload)
        return
    rng = random.Random(1)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t = time.perf_counter()
        path = build(root, args.clients, args.sessions)
        print(f"built a {args.clients} x {args.sessions} gen-demo vault in {time.perf_counter() - t:.1f} s")
        ours, v, repo = bench_sharded(path, args.saves, rng)
        naive = bench_naive(root, v, repo, max(10, args.saves // 3), rng)
        v.close()
    ms = lambda x: x * 1000  # noqa: E731
    print(f"{'save one edited session':<28}{'p50 ms':>10}{'p95 ms':>10}{'n':>6}")
    print(f"{'sessionnotes (sharded)':<28}{ms(statistics.median(ours)):>10.2f}{ms(percentile(ours, 0.95)):>10.2f}{len(ours):>6}")
    print(f"{'naive single file':<28}{ms(statistics.median(naive)):>10.2f}{ms(percentile(naive, 0.95)):>10.2f}{len(naive):>6}")
    ratio50 = statistics.median(naive) / statistics.median(ours)
    ratio95 = percentile(naive, 0.95) / percentile(ours, 0.95)
    print(f"ratio naive/sessionnotes: p50 {ratio50:.1f}x, p95 {ratio95:.1f}x   (targets: p95 <= 15 ms, ratio >= 20x)")


if __name__ == "__main__":
    main()
