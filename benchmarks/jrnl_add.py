"""Runs inside a throwaway venv that has jrnl (installed only for the benchmark by run_all.py).

Reads notes (JSON list of {"date": "YYYY-MM-DD", "text": ...}) from argv[1], builds an encrypted
jrnl journal holding them, then times adding one entry, K times:
  full   = open (decrypt + parse) + new_entry + write (encrypt + atomic write): what `jrnl "..."` does
  write  = new_entry + write on an already-open journal (closest to a save in an unlocked app)
Prints one JSON line with the timings in seconds.
"""

import json
import sys
import tempfile
import time
from pathlib import Path

from jrnl.journals.Journal import Journal

PASSWORD = "Benchmark-Fictional-Lantern-Orbit-2026"


def journal(path: str) -> Journal:
    j = Journal("bench", journal=path, encrypt=True)
    j._reconfigure_encryption_method()
    j.encryption_method.password = PASSWORD
    j.encryption_method.check_keyring = False
    return j


def main() -> None:
    notes = json.loads(Path(sys.argv[1]).read_text())
    k = int(sys.argv[2]) if len(sys.argv) > 2 else 15
    with tempfile.TemporaryDirectory() as tmp:
        path = str(Path(tmp) / "journal.txt")
        j = journal(path)
        Path(path).touch()
        for n in notes:
            j.new_entry(f"[{n['date']} 09:00] " + n["text"].replace("\n", " "), sort=False)
        j.sort()
        j.write()
        # the entries added are real-length notes from the same set (not one short line)
        samples = [n["text"].replace("\n", " ") for n in notes if len(n["text"].split()) >= 300] or ["(no note)"]
        full, write_only = [], []
        for i in range(k):
            t = time.perf_counter()
            jj = journal(path).open()
            jj.new_entry(f"Benchmark entry {i}. " + samples[i % len(samples)])
            jj.write()
            full.append(time.perf_counter() - t)
        jj = journal(path).open()
        for i in range(k):
            t = time.perf_counter()
            jj.new_entry(f"Benchmark entry w{i}. " + samples[-1 - i % len(samples)])
            jj.write()
            write_only.append(time.perf_counter() - t)
        print(json.dumps({"entries": len(jj.entries), "full": full, "write": write_only}))


if __name__ == "__main__":
    main()
