"""All benchmarks in one run, printed as a table: python benchmarks/run_all.py [--sessions 30000] [--no-jrnl] [--only flags]

On a gen-demo vault of 300 clients x 10,000 sessions (fictional notes of realistic length: most
300-900 words, a few short, none empty but for a DNA), the KDF calibrated on this machine, measured
in this process, each figure beside its target and a baseline measured in the same run:
  cold start to the unlock screen (against `python -c "import textual.app"`), key echo in the
  caseload filter right after unlock and from its first frame (bench_echo.py, no baseline: target
  50 ms), unlock to caseload
  timed directly, search p95 for common clinical words, phrases and filters (against a naive scan
  of every text), save one session p95 (against one encrypted tinydb file and jrnl, both given the
  same notes), flags per client and the whole-caseload pass, and peak memory.
Nothing here asserts; nothing in tests is timed.
"""

from __future__ import annotations

import argparse
import dataclasses
import fcntl
import json
import os
import pty
import random
import re
import resource
import select
import shutil
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))
sys.path.insert(0, str(HERE))

import bench_echo  # noqa: E402
import bench_save  # noqa: E402

from sessionnotes import services  # noqa: E402
from sessionnotes.vault import Vault  # noqa: E402
from sessionnotes.vault.crypto import KdfParams, derive_key  # noqa: E402
from sessionnotes.vault.repository import Repository  # noqa: E402

PASS = bench_save.PASS
ROWS: list[tuple[str, str, str]] = []


def p95(xs):
    return bench_save.percentile(xs, 0.95)


def ms(x: float) -> str:
    return f"{x * 1000:.1f} ms"


def row(what: str, value: str, target: str = "") -> None:
    ROWS.append((what, value, target))
    print(f"  {what}: {value}  {target}", flush=True)


def cold_start(vault: Path, runs: int = 5) -> tuple[list[float], list[float]]:
    """Wall time from launching `sessionnotes` in a pseudo-terminal to the unlock prompt on screen,
    and of `python -c "import textual.app"` (what no change in sessionnotes can remove: Python plus
    Textual), taken in turns so that both see the same load on the machine.

    Both run as installed: with Python's bytecode cache written (as pip writes it at install), so
    one launch of each, not counted, comes first."""
    exe = str(Path(sys.executable).parent / "sessionnotes")
    if not os.path.exists(exe):
        exe = shutil.which("sessionnotes") or exe
    times, floor = [], []
    for i in range(runs + 1):
        env = {k: v for k, v in os.environ.items() if not k.startswith("SESSIONNOTES_") and k != "PYTHONDONTWRITEBYTECODE"}
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import textual.app"], check=True, env=env)
        if i:
            floor.append(time.perf_counter() - t)
        env.update(SESSIONNOTES_VAULT=str(vault), TERM="xterm-256color", COLUMNS="120", LINES="36", TEXTUAL_ANIMATIONS="none")
        start = time.perf_counter()
        pid, fd = pty.fork()
        if pid == 0:  # the same size as COLUMNS and LINES say, so Textual draws 120 x 36 whichever it reads
            fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 36, 120, 0, 0))
            os.execvpe(exe, [exe], env)
        seen, elapsed = b"", None
        while time.perf_counter() - start < 20:
            r, _, _ = select.select([fd], [], [], 0.05)
            if r:
                try:
                    seen += os.read(fd, 65536)
                except OSError:
                    break
                if b"assphrase" in seen:
                    elapsed = time.perf_counter() - start
                    break
        os.kill(pid, 9)
        os.waitpid(pid, 0)
        os.close(fd)
        if elapsed is not None and i:
            times.append(elapsed)
    return times, floor


def cold_start_row(vault: Path, runs: int) -> None:
    starts, floor = cold_start(vault, runs)
    base = statistics.median(floor)
    row(
        f"cold start to unlock screen (median of {runs})",
        f"{ms(statistics.median(starts))} (import textual.app {ms(base)}, ratio {statistics.median(starts) / base:.2f}x)"
        if starts
        else "not measured (no terminal?)",
        "target <= 1.15x importing Textual",
    )


def print_table() -> None:
    width = max(len(r[0]) for r in ROWS)
    vwidth = max(len(r[1]) for r in ROWS)
    print("\n" + "benchmark".ljust(width) + "  " + "measured (baseline, ratio)".ljust(vwidth) + "  target")
    print("-" * (width + vwidth + 50))
    for what, value, target in ROWS:
        print(what.ljust(width) + "  " + value.ljust(vwidth) + "  " + target)


def jrnl_bench(notes: list[dict], k: int) -> dict | None:
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "sessionnotes-bench" / "jrnl-venv"
    py = cache / "bin" / "python"
    if not py.exists():
        print("  (installing jrnl into a throwaway venv for the comparison...)", flush=True)
        subprocess.run([sys.executable, "-m", "venv", str(cache)], check=True)
        r = subprocess.run([str(cache / "bin" / "pip"), "install", "-q", "jrnl"], capture_output=True, text=True)
        if r.returncode != 0:
            print("  jrnl could not be installed: " + r.stderr[-300:])
            return None
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(notes, f)
    try:
        out = subprocess.run([str(py), str(HERE / "jrnl_add.py"), f.name, str(k)], capture_output=True, text=True, timeout=1800)
    finally:
        os.unlink(f.name)
    if out.returncode != 0:
        print("  jrnl benchmark failed: " + out.stderr[-300:])
        return None
    return json.loads(out.stdout.strip().splitlines()[-1])


def services_documents(repo: Repository) -> list:
    """Every searchable document in the vault (for the naive search baseline)."""
    docs = []
    for r in repo.list_clients(include_discharged=True):
        docs += services.client_index_entry(repo, r.id)
    return docs


def flags_bench(path: Path, sample: int = 150) -> None:
    """The flags rows, each on a vault opened afresh (what the app does after unlock).

    First-ever pass: no facts file yet (after gen-demo, or after an upgrade changed the analysis):
    every note is read, once. Then the vault is locked and opened again, and the rows the therapist
    lives with are timed with the facts read from the vault: the whole-caseload pass (the app's
    background worker after unlock: facts file read, every record read, flags combined), one client
    cold (a fresh cache, facts loaded), the same client again later (records read afresh), and after
    editing a session (only the changed note is new)."""
    from sessionnotes.analysis.cache import AnalysisCache
    from sessionnotes.analysis.flags import detect

    facts_file = path / "analysis-facts.snv"
    facts_file.unlink(missing_ok=True)
    vault = Vault.open(path, PASS)
    repo = Repository(vault)
    t = time.perf_counter()
    services.caseload_flag_kinds(repo, cache=AnalysisCache())
    first = time.perf_counter() - t
    vault.close()
    row(
        "flags, first-ever caseload pass (no facts file yet: after gen-demo or an upgrade; once)",
        f"{first:.2f} s (facts file written: {facts_file.stat().st_size / 2**20:.1f} MiB)",
        "no target: a one-off, in the background",
    )

    vault = Vault.open(path, PASS)
    repo = Repository(vault)
    t = time.perf_counter()
    services.caseload_flag_kinds(repo, cache=AnalysisCache())
    caseload = time.perf_counter() - t
    vault.close()

    vault = Vault.open(path, PASS)
    repo = Repository(vault)
    records = [repo.record(r.id) for r in repo.list_clients()[:sample]]
    # Three rounds, each as after a fresh unlock (a new cache, the facts file read again): the
    # first round's p95 is the figure; the p95 of each client's best round is printed beside it,
    # since on a shared machine one preemption of 10 ms lands in the top 5% of 150 timings.
    cold: list[list[float]] = []
    edit: list[list[float]] = []
    for _ in range(3):
        analysis = AnalysisCache()  # what the unlocked vault holds in the app (cleared on lock)
        t = time.perf_counter()
        services.load_facts(repo, analysis)
        load = time.perf_counter() - t
        ftimes, etimes = [], []
        for rec in records:
            t = time.perf_counter()
            detect(rec.client, rec.sessions, formulation=rec.formulation, measures=rec.measures, cache=analysis)
            ftimes.append(time.perf_counter() - t)
            edited = list(rec.sessions)
            if edited:
                last = edited[-1]
                edited[-1] = dataclasses.replace(last, note=(last.note or "") + " We agreed to look at the walks again.")
            t = time.perf_counter()
            detect(rec.client, edited, formulation=rec.formulation, measures=rec.measures, cache=analysis)
            etimes.append(time.perf_counter() - t)
        cold.append(ftimes)
        edit.append(etimes)
    otimes = []
    for r in repo.list_clients()[:sample]:  # the records read afresh, as when the Flags tab opens
        rec = repo.record(r.id)
        t = time.perf_counter()
        detect(rec.client, rec.sessions, formulation=rec.formulation, measures=rec.measures, cache=analysis)
        otimes.append(time.perf_counter() - t)
    vault.close()

    def figure(rounds: list[list[float]]) -> str:
        best = [min(times) for times in zip(*rounds, strict=True)]
        return f"{ms(p95(rounds[0]))} (best of 3 rounds per client: {ms(p95(best))}; median {ms(statistics.median(rounds[0]))})"

    row("flags, reading the facts file after unlock", f"{ms(load)} ({len(analysis.facts)} texts)")
    row(
        "flags, whole-caseload pass after unlock (facts read from the vault; records read)",
        f"{caseload:.2f} s",
        "target <= 3 s at 10,000",
    )
    row("flags for one client p95, cold (after unlock, facts read from the vault)", figure(cold), "target <= 5 ms")
    row("flags for one client p95, opening its Flags tab later", ms(p95(otimes)), "target <= 5 ms")
    row("flags for one client p95, after editing a session (one note new)", figure(edit), "target <= 5 ms")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=300)
    ap.add_argument("--sessions", type=int, default=10_000)
    ap.add_argument("--saves", type=int, default=60)
    ap.add_argument("--no-jrnl", action="store_true")
    ap.add_argument("--only", choices=["coldstart", "flags"], help="run only these rows (coldstart: needs no large vault; flags)")
    ap.add_argument("--runs", type=int, default=9, help="launches for the cold start row (each also times importing Textual)")
    args = ap.parse_args()
    if args.only == "coldstart":
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "vault"
            Vault.create(path, PASS)[0].close()  # the app reads only vault.json before the prompt
            cold_start_row(path, args.runs)
        print_table()
        return
    rng = random.Random(3)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        t = time.perf_counter()
        path = bench_save.build(root, args.clients, args.sessions)
        print(f"built a {args.clients} x {args.sessions} gen-demo vault in {time.perf_counter() - t:.1f} s", flush=True)
        if args.only == "flags":
            flags_bench(path)
            print_table()
            return

        cold_start_row(path, args.runs)

        echo = bench_echo.measure(path, runs=3)
        filled = [f for f in echo["flags_filled"] if f is not None]
        burst = "-" if echo["burst_max"] is None else ms(echo["burst_max"])
        done = f"background done {max(filled):.1f} s after unlock" if filled else "background not seen to finish"
        row(
            "key echo right after unlock, caseload filter (40 keys 70 ms apart + a burst of 10, x3)",
            f"p50 {ms(echo['p50'])}, p95 {ms(echo['p95'])}, max {ms(echo['max'])}; burst {burst}; "
            f"dropped {echo['dropped']} of {echo['typed']}; {done}",
            "target p95 <= 50 ms, none dropped",
        )

        first = bench_echo.measure(path, runs=2, start_at="frame")
        row(
            "key echo from the caseload's first frame (footer still being built; 40 keys + a burst of 10, x2)",
            f"p50 {ms(first['p50'])}, p95 {ms(first['p95'])}, max {ms(first['max'])}; "
            f"burst {'-' if first['burst_max'] is None else ms(first['burst_max'])}; "
            f"dropped {first['dropped']} of {first['typed']}",
            "target p95 <= 50 ms, none dropped",
        )

        meta = Vault.read_meta(path)
        params = KdfParams.from_json(meta["kdf"])
        kdfs = []
        for _ in range(3):
            t = time.perf_counter()
            derive_key(PASS, params)
            kdfs.append(time.perf_counter() - t)
        kdf = statistics.median(kdfs)
        row(
            "KDF (Argon2id, calibrated on this machine at creation)",
            f"{ms(kdf)} (m={params.memory_kib // 1024} MiB, t={params.iterations}, p={params.lanes})",
            "calibrated to about 500 ms",
        )
        unlocks = []
        for _ in range(3):  # the passphrase to the caseload rows, timed as one piece (KDF included)
            t = time.perf_counter()
            vault = Vault.open(path, PASS)
            repo = Repository(vault)
            rows = repo.list_clients()
            unlocks.append(time.perf_counter() - t)
            vault.close()
        unlock = statistics.median(unlocks)
        row(
            "unlock to caseload, measured directly (KDF included)",
            f"{ms(unlock)} ({len(rows)} clients; {ms(max(0.0, unlock - kdf))} beyond the KDF, ratio {unlock / kdf:.2f}x the KDF)",
            "target <= KDF + 500 ms",
        )
        tracemalloc.start()
        vault = Vault.open(path, PASS)
        repo = Repository(vault)

        t = time.perf_counter()
        index = services.build_index(repo)
        build = time.perf_counter() - t
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        row("search index build (in a worker after unlock)", f"{build:.2f} s, {len(index)} documents")
        row(
            "peak memory after unlock + index (tracemalloc)",
            f"{peak / 2**20:.0f} MB (max RSS of this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB: "
            f"it built the vault, and the KDF alone takes {params.memory_kib // 1024} MiB while it runs)",
            "target <= 300 MB",
        )

        singles = ["pain", "walk", "tired", "sleep", "mother", "worry", "scan", "work", "headaches", "GP"]
        phrases = [
            '"the pain"',
            '"next scan"',
            '"side effects"',
            '"nobody believes"',
            '"the consultant"',
            '"walks with friends"',
            '"feeling useful"',
            '"blood tests"',
            '"worse in the week"',
            '"her mother"',
        ]
        filtered = [
            "pain stage:meeting",
            "scan attendance:attended since:2025-01-01",
            "tearful stage:nudging-forward",
            "walk since:2025-06-01 until:2025-12-31",
            "worry field:note",
            "attendance:dna since:2025-03-01 until:2025-03-31",
            "pain -field:private",
            "sleep status:open",
            "medications stage:drawing-in",
            "walk field:note since:2024-06-01",
        ]
        texts = [(d.client_id, d.text) for d in services_documents(repo)]
        for name, qs in (("common words", singles), ("phrases", phrases), ("filtered", filtered)):
            times, naive = [], []
            for q in qs * 3:
                t = time.perf_counter()
                index.search(q, limit=50)
                times.append(time.perf_counter() - t)
            for q in qs:  # the baseline: every text scanned for every word, as a plain loop would
                ws = [w for w in q.replace('"', " ").split() if ":" not in w]
                t = time.perf_counter()
                pats = [re.compile(r"\b" + re.escape(w), re.IGNORECASE) for w in ws]
                [cid for cid, text in texts if all(p.search(text) for p in pats)]
                naive.append(time.perf_counter() - t)
            row(
                f"search p95, {name} ({len(qs)} queries x3)",
                f"{ms(p95(times))} (naive scan {ms(p95(naive))}, ratio {p95(naive) / p95(times):.0f}x)",
                "target <= 50 ms at 10,000, <= 100 ms at 30,000",
            )
        vault.close()

        ours, v, repo = bench_save.bench_sharded(path, args.saves, rng)
        v.close()
        flags_bench(path)
        v = Vault.open(path, PASS)
        repo = Repository(v)
        naive = bench_save.bench_naive(root, v, repo, max(10, args.saves // 3), rng)
        row("save one session p95 (sharded vault)", ms(p95(ours)), "target <= 15 ms")
        row(
            "save, naive single-file encrypted tinydb p95",
            f"{ms(p95(naive))} (ratio {p95(naive) / p95(ours):.0f}x)",
            "ratio >= 20x",
        )

        if not args.no_jrnl:
            notes = []
            for r in repo.list_clients():
                notes += [{"date": s.date.isoformat(), "text": s.note or "(no note)"} for s in repo.list_sessions(r.id)]
            j = jrnl_bench(notes, k=10)
            if j:
                row("jrnl: add one entry (open+add+write) p95", f"{ms(p95(j['full']))} (ratio {p95(j['full']) / p95(ours):.0f}x)")
                row(
                    "jrnl: add to an open journal (write only) p95",
                    f"{ms(p95(j['write']))} (ratio {p95(j['write']) / p95(ours):.0f}x)",
                )
        v.close()

    print_table()


if __name__ == "__main__":
    main()
