"""Save latency: one edited session in a 300-client x 10,000-session vault, against a naive baseline.

Baseline (measured in the same run): the same data in ONE tinydb file, encrypted whole with the same
AEAD and the same atomic write on every save. sessionnotes shards the vault per client, so a save
rewrites one client's file (about 33 sessions) and the small caseload index.

    python benchmarks/bench_save.py [--clients 300] [--sessions 10000] [--saves 60]

Prints p50/p95 for both and the ratio. Targets: p95 <= 15 ms, ratio >= 20x. No assertions.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from tinydb import Query, TinyDB  # noqa: E402

from sessionnotes.demo import generate  # noqa: E402
from sessionnotes.vault import EncryptedStorage, Vault  # noqa: E402
from sessionnotes.vault.crypto import new_params  # noqa: E402
from sessionnotes.vault.repository import Repository  # noqa: E402

PASS = "Benchmark-Fictional-Lantern-Orbit-2026"


def percentile(xs: list[float], p: float) -> float:
    xs = sorted(xs)
    k = (len(xs) - 1) * p
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def build(root: Path, clients: int, sessions: int) -> Path:
    path = root / "vault"
    v, _ = Vault.create(path, PASS, params=new_params())
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


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=300)
    ap.add_argument("--sessions", type=int, default=10_000)
    ap.add_argument("--saves", type=int, default=60)
    args = ap.parse_args()
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
