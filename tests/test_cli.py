"""The CLI verbs end to end, in a subprocess, as a script (or the contract checks) would use them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from conftest import NEWPASS, PASS


@pytest.fixture
def sn(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SESSIONNOTES_")}
    env.update(SESSIONNOTES_VAULT=str(tmp_path / "vault"), SESSIONNOTES_PASSPHRASE=PASS, HOME=str(tmp_path))

    def run(*args, input=None, expect=0, **extra_env):
        e = {**env, **extra_env}
        p = subprocess.run([sys.executable, "-m", "sessionnotes", *args], capture_output=True, text=True, input=input, env=e)
        assert "Traceback" not in p.stderr + p.stdout, p.stderr
        if expect is not None:
            assert p.returncode == expect, (p.returncode, p.stdout, p.stderr)
        return p

    run.vault = tmp_path / "vault"
    run.tmp = tmp_path
    return run


@pytest.fixture
def initialised(sn):
    p = sn("init", "--kdf-memory-mib", "64")
    assert "RECOVERY KEY" in p.stdout
    sn.recovery = next(line.strip() for line in p.stdout.splitlines() if line.count("-") == 7)
    return sn


def add_client(sn, *extra):
    return sn("client", "add", "--name", "Wren Oakley-Testfield", "--gp", "Dr Imaginary", *extra).stdout.strip()


def test_init_refuses_weak_passphrase_and_existing_vault(sn):
    p = sn("init", expect=None, SESSIONNOTES_PASSPHRASE="password1")
    assert p.returncode != 0 and "too easy to guess" in p.stderr and "generated passphrase" in p.stderr
    assert not (sn.vault / "vault.json").exists()
    sn("init", "--kdf-memory-mib", "64")
    p = sn("init", "--kdf-memory-mib", "64", expect=None)
    assert p.returncode != 0 and "already exists" in p.stderr


def test_client_and_session_verbs_with_json(initialised, tmp_path):
    sn = initialised
    cid = add_client(sn, "--nhs-number", "943 476 5919", "--dob", "1971-04-09", "--practice", "Lindenfold Surgery")
    listed = json.loads(sn("client", "list", "--json").stdout)
    (row,) = listed["clients"]
    assert row["id"] == cid and row["name"] == "Wren Oakley-Testfield" and row["sessions"] == 0
    note = tmp_path / "note.md"
    note.write_text("# Session\nShe described the ZEBRAMARKER headaches again.\n", encoding="utf-8")
    sid = sn(
        "session",
        "add",
        "--client",
        cid,
        "--date",
        "2026-03-02",
        "--stage",
        "meeting",
        "--attendance",
        "attended",
        "--body-talk",
        "2",
        "--file",
        str(note),
    ).stdout.strip()
    sid2 = sn(
        "session",
        "add",
        "--client",
        cid,
        "--date",
        "2026-03-09",
        "--stage",
        "nudging-forward",
        "--attendance",
        "dna",
        "--file",
        "-",
        input="Did not attend; letter sent.\n",
    ).stdout.strip()
    sessions = json.loads(sn("session", "list", "--client", cid, "--json").stdout)["sessions"]
    assert [(s["id"], s["date"], s["number"], s["stage"], s["attendance"], s["body_talk"]) for s in sessions] == [
        (sid, "2026-03-02", 1, "meeting", "attended", 2),
        (sid2, "2026-03-09", 2, "nudging-forward", "dna", None),
    ]
    shown = json.loads(sn("session", "show", "--client", cid, "--session", sid, "--json").stdout)["session"]
    assert "ZEBRAMARKER" in shown["note"] and shown["body_talk"] == 2
    row = json.loads(sn("client", "list", "--json").stdout)["clients"][0]
    assert (row["sessions"], row["dnas"], row["last_session"], row["stage"]) == (2, 1, "2026-03-09", "nudging-forward")
    client = json.loads(sn("client", "show", "--client", cid, "--json").stdout)["client"]
    assert client["nhs_number"] == "9434765919" and client["dob"] == "1971-04-09"
    for p in sn.vault.rglob("*"):
        if p.is_file():
            assert b"ZEBRAMARKER" not in p.read_bytes()
    assert "intact" in sn("verify").stdout


def test_bad_input_gets_one_clear_sentence(initialised, tmp_path):
    sn = initialised
    p = sn("client", "add", "--name", "X Fictional", "--nhs-number", "9434765918", expect=None)
    assert p.returncode != 0 and "NHS number" in p.stderr
    p = sn("client", "add", "--name", "X Fictional", "--dob", "09/04/1971", expect=None)
    assert p.returncode != 0 and "YYYY-MM-DD" in p.stderr
    cid = add_client(sn)
    p = sn(
        "session",
        "add",
        "--client",
        cid,
        "--date",
        "2026-03-02",
        "--stage",
        "sideways",
        "--attendance",
        "attended",
        "--file",
        "-",
        input="x",
        expect=None,
    )
    assert p.returncode != 0 and "drawing-in" in p.stderr
    p = sn(
        "session",
        "add",
        "--client",
        cid,
        "--date",
        "2026-03-02",
        "--stage",
        "meeting",
        "--attendance",
        "maybe",
        "--file",
        "-",
        input="x",
        expect=None,
    )
    assert p.returncode != 0 and "cancelled-by-patient" in p.stderr
    huge = tmp_path / "huge.md"
    huge.write_bytes(b"a" * (3 * 1024 * 1024))
    p = sn(
        "session",
        "add",
        "--client",
        cid,
        "--date",
        "2026-03-02",
        "--stage",
        "meeting",
        "--attendance",
        "attended",
        "--file",
        str(huge),
        expect=None,
    )
    assert p.returncode != 0 and "larger than" in p.stderr
    p = sn("session", "list", "--client", "nosuchclient1", expect=None)
    assert p.returncode != 0 and "no client" in p.stderr
    p = sn("client", "list", expect=None, SESSIONNOTES_VAULT=str(tmp_path / "nowhere"))
    assert p.returncode != 0 and "no vault" in p.stderr.lower() and "sessionnotes init" in p.stderr
    assert json.loads(sn("session", "list", "--client", cid, "--json").stdout)["sessions"] == []


def test_wrong_passphrase_changes_nothing(initialised):
    sn = initialised
    add_client(sn)
    before = {p: p.read_bytes() for p in sn.vault.rglob("*") if p.is_file() and p.name != ".lock"}
    p = sn("client", "list", "--json", expect=None, SESSIONNOTES_PASSPHRASE="wrong-" + PASS)
    assert p.returncode != 0 and "passphrase" in p.stderr
    after = {p: p.read_bytes() for p in sn.vault.rglob("*") if p.is_file() and p.name != ".lock"}
    assert before == after


def test_passphrase_file_passwd_and_recover(initialised, tmp_path):
    sn = initialised
    cid = add_client(sn)
    pf = tmp_path / "pass.txt"
    pf.write_text(PASS + "\n")
    assert cid in sn("client", "list", "--passphrase-file", str(pf), SESSIONNOTES_PASSPHRASE="").stdout
    out = sn("passwd", SESSIONNOTES_NEW_PASSPHRASE=NEWPASS).stdout
    new_recovery = next(line.strip() for line in out.splitlines() if line.count("-") == 7)
    assert new_recovery != sn.recovery
    assert sn("client", "list", expect=None).returncode != 0
    assert cid in sn("client", "list", SESSIONNOTES_PASSPHRASE=NEWPASS).stdout
    third = "Quiet-Meadow-Lantern-Orbit-5521"
    p = sn("recover", "--recovery-key", sn.recovery, SESSIONNOTES_NEW_PASSPHRASE=third, expect=None)
    assert p.returncode != 0 and "recovery key" in p.stderr  # revoked by passwd
    sn("recover", "--recovery-key", new_recovery, SESSIONNOTES_PASSPHRASE="", SESSIONNOTES_NEW_PASSPHRASE=third)
    assert cid in sn("client", "list", SESSIONNOTES_PASSPHRASE=third).stdout
    p = sn("recover", "--recovery-key", "nonsense", SESSIONNOTES_NEW_PASSPHRASE=third, expect=None)
    assert p.returncode != 0 and "recovery key" in p.stderr


def test_verify_names_a_damaged_file(initialised):
    sn = initialised
    cid = add_client(sn)
    f = sn.vault / "clients" / f"{cid}.snv"
    data = bytearray(f.read_bytes())
    data[len(data) // 2] ^= 1
    f.write_bytes(bytes(data))
    p = sn("verify", expect=1)
    assert cid in p.stdout and "restore-file" in p.stdout
    report = json.loads(sn("verify", "--json", expect=1).stdout)
    assert report["ok"] is False and report["problems"][0]["file"] == f"clients/{cid}.snv"


def test_backup_and_restore(initialised, tmp_path):
    sn = initialised
    cid = add_client(sn)
    archive = tmp_path / "practice.snarchive"
    sn("backup", "--out", str(archive))
    target = tmp_path / "restored"
    sn("restore", str(archive), "--vault", str(target))
    assert cid in sn("client", "list", "--vault", str(target)).stdout
    p = sn("restore", str(archive), "--vault", str(target), expect=None)
    assert p.returncode != 0 and "already exists" in p.stderr


def test_second_instance_refused(initialised):
    sn = initialised
    add_client(sn)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys,time; from sessionnotes.vault import Vault; v=Vault.open(sys.argv[1], sys.argv[2]); "
            "print('open', flush=True); time.sleep(30)",
            str(sn.vault),
            PASS,
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "open"
        p = sn("client", "list", expect=None)
        assert p.returncode != 0 and "already open" in p.stderr and str(holder.pid) in p.stderr
    finally:
        holder.kill()
        holder.wait()
    assert "Wren" in sn("client", "list").stdout  # the lock of the dead process does not block


def test_gen_demo_is_deterministic_and_fictional(sn, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for v in (a, b):
        sn("gen-demo", "--clients", "5", "--sessions", "40", "--seed", "7", "--vault", str(v))
    la = json.loads(sn("client", "list", "--json", "--vault", str(a)).stdout)["clients"]
    lb = json.loads(sn("client", "list", "--json", "--vault", str(b)).stdout)["clients"]
    strip = lambda rows: sorted((r["name"], r["sessions"], r["dnas"], r["last_session"], r["stage"]) for r in rows)  # noqa: E731
    assert strip(la) == strip(lb)
    assert sum(r["sessions"] for r in la) == 40 and len(la) == 5
    stages = set()
    for r in la:
        sessions = json.loads(sn("session", "list", "--client", r["id"], "--json", "--vault", str(a)).stdout)["sessions"]
        stages |= {s["stage"] for s in sessions}
        client = json.loads(sn("client", "show", "--client", r["id"], "--json", "--vault", str(a)).stdout)["client"]
        assert client["nhs_number"].startswith("999")  # NHS test range: obviously not a real person
    assert stages == {"drawing-in", "meeting", "nudging-forward"}


def test_formulation_stages_and_gp_contact_verbs(initialised):
    sn = initialised
    cid = add_client(sn)
    for d, stage in (
        ("2026-01-05", "drawing-in"),
        ("2026-01-12", "meeting"),
        ("2026-01-19", "nudging-forward"),
        ("2026-01-26", "meeting"),
    ):
        sn(
            "session",
            "add",
            "--client",
            cid,
            "--date",
            d,
            "--stage",
            stage,
            "--attendance",
            "attended",
            "--file",
            "-",
            input="note",
        )
    stages = json.loads(sn("stages", "--client", cid, "--json").stdout)
    assert [s["movement"] for s in stages["sessions"]] == ["start", "forward", "forward", "back"]
    assert stages["current_stage"] == "meeting"
    p = sn(
        "formulation",
        "add",
        "--client",
        cid,
        "--layer",
        "L1",
        "--lens",
        "intra-psychic",
        "--status",
        "shared",
        "--text",
        "The pain has taken away the walks that mattered to her",
    )
    assert "warning:" not in p.stderr
    item = p.stdout.strip()
    p = sn(
        "formulation",
        "add",
        "--client",
        cid,
        "--layer",
        "L5",
        "--lens",
        "relational",
        "--status",
        "shared",
        "--text",
        "Anger may be held in the body",
    )
    assert p.stderr.count("warning:") == 2  # meeting stage, no agreement yet
    listed = json.loads(sn("formulation", "list", "--client", cid, "--json").stdout)["items"]
    assert {i["layer"] for i in listed} == {"L1", "L5"}
    assert json.loads(sn("formulation", "list", "--client", cid, "--as-of", "2000-01-01", "--json").stdout)["items"] == []
    sn("formulation", "update", "--client", cid, "--item", item, "--response", "resonated")
    hist = json.loads(sn("formulation", "history", "--client", cid, "--item", item, "--json").stdout)["item"]
    assert [x["response"] for x in hist["versions"]] == ["not-yet", "resonated"]
    sn("client", "update", "--client", cid, "--emotional-agreement", "yes", "--preferred-term", "my pain")
    assert json.loads(sn("client", "show", "--client", cid, "--json").stdout)["client"]["emotional_agreement"] == "yes"
    p = sn("client", "update", "--client", cid, "--emotional-agreement", "maybe", expect=None)
    assert p.returncode != 0 and "not-yet, partly, yes" in p.stderr
    sn(
        "gp-contact",
        "add",
        "--client",
        cid,
        "--date",
        "2026-01-02",
        "--kind",
        "call",
        "--discussed",
        "how therapy was introduced",
    )
    contacts = json.loads(sn("gp-contact", "list", "--client", cid, "--json").stdout)["contacts"]
    assert contacts[0]["kind"] == "call"
    p = sn("gp-contact", "add", "--client", cid, "--date", "2026-01-02", "--kind", "pigeon", expect=None)
    assert p.returncode != 0 and "joint-consultation" in p.stderr


def test_measure_add_and_list(initialised):
    sn = initialised
    cid = add_client(sn)
    p = sn("measure", "add", "--client", cid, "--instrument", "phq9", "--date", "2026-01-05", "--items", "2,2,3,2,2,2,2,2,1")
    assert "RISK:" in p.stderr and "item 9" in p.stderr
    sn("measure", "add", "--client", cid, "--instrument", "gad7", "--date", "2026-01-05", "--items", "2,2,2,2,2,2,2")
    sn("measure", "add", "--client", cid, "--instrument", "phq9", "--date", "2026-03-05", "--items", "1,1,0,1,0,1,0,1,0")
    sn("measure", "add", "--client", cid, "--instrument", "gad7", "--date", "2026-03-05", "--items", "1,0,1,0,0,1,0")
    sn(
        "measure",
        "add",
        "--client",
        cid,
        "--instrument",
        "phq15",
        "--date",
        "2026-03-05",
        "--items",
        "1,1,1,na,1,1,1,1,1,1,1,1,1,1,1",
    )
    sn("measure", "add", "--client", cid, "--instrument", "phq9", "--date", "2026-03-06", "--items", "1,1,-,1,0,1,0,1,0")
    listed = json.loads(sn("measure", "list", "--client", cid, "--json").stdout)
    rows = sorted(
        (r["instrument"], r["date"], r["total"], r["maximum"], r["risk"], r["change_since_previous"]) for r in listed["results"]
    )
    assert rows == [
        ("gad7", "2026-01-05", 14, 21, False, None),
        ("gad7", "2026-03-05", 3, 21, False, "improved"),
        ("phq15", "2026-03-05", 14, 28, False, None),
        ("phq9", "2026-01-05", 18, 27, True, None),
        ("phq9", "2026-03-05", 5, 27, False, "improved"),
        ("phq9", "2026-03-06", None, 27, False, None),  # an unanswered item is never scored as 0
    ]
    assert listed["iapt_change"]["reliable_recovery"] is True
    p = sn(
        "measure", "add", "--client", cid, "--instrument", "wsas", "--date", "2026-03-05", "--items", "3,4,na,2,1", expect=None
    )
    assert p.returncode != 0 and "not applicable" in p.stderr


def test_flags_and_check_language_verbs(initialised, tmp_path):
    sn = initialised
    cid = add_client(sn)
    sn(
        "session",
        "add",
        "--client",
        cid,
        "--date",
        "2026-01-05",
        "--stage",
        "drawing-in",
        "--attendance",
        "dna",
        "--file",
        "-",
        input="",
    )
    sn(
        "session",
        "add",
        "--client",
        cid,
        "--date",
        "2026-01-12",
        "--stage",
        "drawing-in",
        "--attendance",
        "dna",
        "--file",
        "-",
        input="",
    )
    flags = json.loads(sn("flags", "--client", cid, "--json").stdout)["flags"]
    dna = [f for f in flags if f["kind"] == "dna-pattern"]
    assert dna and not dna[0]["dismissed"] and "discharge" not in json.dumps(dna).lower()
    p = sn("flags", "--client", cid, "--dismiss", dna[0]["key"], expect=None)
    assert p.returncode != 0 and "reason" in p.stderr
    sn("flags", "--client", cid, "--dismiss", dna[0]["key"], "--reason", "Fictional: hospital admission, known to GP")
    again = [f for f in json.loads(sn("flags", "--client", cid, "--json").stdout)["flags"] if f["kind"] == "dna-pattern"]
    assert again[0]["dismissed"] and "hospital admission" in again[0]["dismissed_reason"]

    letter = tmp_path / "draft.md"
    letter.write_text("Her pain is all in her mind.\nIt may be that stress plays a part.\n")
    p = sn("check-language", str(letter), "--json", expect=1)
    findings = json.loads(p.stdout)["findings"]
    assert [(f["category"], f["matched"]) for f in findings] == [("dualistic", "all in her mind")]
    letter.write_text("It may be that stress plays a part in how the pain builds.\n")
    assert sn("check-language", str(letter), expect=0).stdout.strip() == "No findings."
    assert sn("check-language", str(tmp_path / "missing.md"), expect=2).returncode == 2
    private = tmp_path / "private.md"
    private.write_text("Secondary gain? Alexithymia. Probably untreatable.\n")
    kinds = {
        f["matched"].lower()
        for f in json.loads(sn("check-language", str(private), "--context", "private", "--json", expect=1).stdout)["findings"]
    }
    assert kinds == {"untreatable"}


def test_letter_draft_signed_by_and_export_warns_about_gaps(initialised, tmp_path):
    sn = initialised
    cid = add_client(sn, "--nhs-number", "943 476 5919", "--practice-address", "1 Example Row, Fictionville")
    sn("letter", "draft", "--client", cid)
    p = sn("export", "letter", "--client", cid, "--format", "md", "--out", str(tmp_path / "a.md"))
    assert "not signed" in p.stderr
    sn("letter", "draft", "--client", cid, "--signed-by", "Dr A. Example, Counselling Psychologist")
    p = sn("export", "letter", "--client", cid, "--format", "md", "--out", str(tmp_path / "b.md"))
    assert "not signed" not in p.stderr
    assert "Dr A. Example, Counselling Psychologist" in (tmp_path / "b.md").read_text(encoding="utf-8")


def test_an_unknown_client_is_bad_input_and_a_closed_pipe_is_not_an_error(initialised):
    p = initialised("flags", "--client", "no-such-client", "--json", expect=2)
    assert "There is no client with id 'no-such-client'" in p.stderr and "sessionnotes client list" in p.stderr
    cid = add_client(initialised)
    # a reader that has gone away before the output comes (like `| head` after its lines): no error
    env = {**os.environ, "SESSIONNOTES_VAULT": str(initialised.vault), "SESSIONNOTES_PASSPHRASE": PASS}
    writer = subprocess.Popen(
        [sys.executable, "-m", "sessionnotes", "client", "list", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    writer.stdout.close()  # nobody will read: the first write meets a closed pipe
    stderr = writer.stderr.read()
    assert writer.wait() == 0 and b"unexpected" not in stderr and b"Traceback" not in stderr, stderr
    assert cid


def test_client_list_counts_open_flags_as_the_flags_verb_reports_them(initialised):
    sn = initialised
    sn("gen-demo", "--clients", "4", "--sessions", "60")
    quiet = add_client(sn)
    rows = {r["id"]: r for r in json.loads(sn("client", "list", "--json").stdout)["clients"]}
    for cid, row in rows.items():
        flags = json.loads(sn("flags", "--client", cid, "--json").stdout)["flags"]
        kinds = {f["kind"] for f in flags if not f.get("dismissed")}
        assert row["open_flags"] == len(kinds), (cid, row["open_flags"], kinds)
    assert rows[quiet]["open_flags"] == 0
    assert any(r["open_flags"] > 0 for r in rows.values())
    text = sn("client", "list").stdout
    assert f"flags {max(r['open_flags'] for r in rows.values())}" in text
