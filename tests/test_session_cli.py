"""Every session field from the CLI: `session add --from-json`, the field options, `update` and `sign`.

All people and places are fictional.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys

import pytest
from conftest import PASS

from sessionnotes import session_input as si
from sessionnotes.domain.models import Session


@pytest.fixture
def sn(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("SESSIONNOTES_")}
    env.update(SESSIONNOTES_VAULT=str(tmp_path / "vault"), SESSIONNOTES_PASSPHRASE=PASS, HOME=str(tmp_path))

    def run(*args, expect=0):
        p = subprocess.run([sys.executable, "-m", "sessionnotes", *args], capture_output=True, text=True, env=env)
        assert "Traceback" not in p.stderr + p.stdout, p.stderr
        if expect is not None:
            assert p.returncode == expect, (p.returncode, p.stdout, p.stderr)
        return p

    run("init", "--kdf-memory-mib", "64")
    run.cid = run("client", "add", "--name", "Plover Testcase-Fictional").stdout.strip()
    run.tmp = tmp_path
    return run


def _write(sn, name, content) -> str:
    path = sn.tmp / name
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    return str(path)


def _show(sn, sid) -> dict:
    return json.loads(sn("session", "show", "--client", sn.cid, "--session", sid, "--json").stdout)["session"]


def _count(sn) -> int:
    return len(json.loads(sn("session", "list", "--client", sn.cid, "--json").stdout)["sessions"])


_ASSIGNED = ("id", "number", "created", "updated")


def test_every_field_option_on_add_and_show_round_trips_through_from_json(sn):
    note = _write(sn, "note.md", "We talked about the fictional allotment and her back pain.\n")
    private = _write(sn, "private.md", "I felt a pull to reassure.\n")
    sid = sn(
        "session", "add", "--client", sn.cid, "--date", "2026-03-02", "--stage", "meeting", "--attendance", "late",
        "--reason", "bus was late", "--body-talk", "2", "--duration", "40", "--file", note, "--private-file", private,
        "--strategies", "6.1,6.2", "--feelings", "curious,other", "--feeling-other", "protective",
        "--ticks", "rupture,compliance,passivity,no-recollection", "--themes", "pain,work", "--homework", "walk",
        "--plan", "review diary",
    ).stdout.strip()  # fmt: skip
    shown = _show(sn, sid)
    assert shown["substrategies"] == ["6.1", "6.2"] and shown["feelings"] == ["curious", "other"]
    assert shown["feelings_other"] == "protective" and shown["attendance_reason"] == "bus was late"
    assert shown["private_note"] == "I felt a pull to reassure.\n" and shown["duration_minutes"] == 40
    assert all(shown[k] is True for k in ("rupture", "token_agreement", "passivity", "no_recollection"))
    assert shown["themes"] == ["pain", "work"] and shown["homework"] == "walk" and shown["plan"] == "review diary"

    whole = sn("session", "show", "--client", sn.cid, "--session", sid, "--json").stdout
    copy_id = sn("session", "add", "--client", sn.cid, "--from-json", _write(sn, "s.json", whole)).stdout.strip()
    again = _show(sn, copy_id)
    assert copy_id != sid
    assert {k: v for k, v in again.items() if k not in _ASSIGNED} == {k: v for k, v in shown.items() if k not in _ASSIGNED}
    # the bare session object works too
    bare = sn("session", "add", "--client", sn.cid, "--from-json", _write(sn, "bare.json", shown)).stdout.strip()
    assert _show(sn, bare)["note"] == shown["note"]


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"colour": "blue"}, "'colour'"),
        ({"stage": "meting"}, "'stage'"),
        ({"body_talk": "3"}, "'body_talk'"),
        ({"body_talk": 7}, "'body_talk'"),
        ({"substrategies": ["9.9"]}, "'substrategies'"),
        ({"feelings": ["grumpy"]}, "'feelings'"),
        ({"rupture": "yes"}, "'rupture'"),
        ({"date": "2026-13-01"}, "'date'"),
        ({"attendance": "atended"}, "'attendance'"),
        ({"addenda": [{"text": "x"}]}, "'addenda'"),
        ({"feelings": ["other"]}, "'feelings_other'"),
        ({"number": "first"}, "'number'"),
        ({"signed_at": "yesterday"}, "'signed_at'"),
    ],
)
def test_bad_json_is_refused_naming_the_key_and_nothing_is_written(sn, change, named):
    good = {"date": "2026-03-02", "stage": "meeting", "attendance": "attended", "note": "Fictional note."}
    p = sn("session", "add", "--client", sn.cid, "--from-json", _write(sn, "bad.json", {**good, **change}), expect=2)
    assert named in p.stderr and "Nothing was saved" in p.stderr
    assert _count(sn) == 0


def test_bad_files_and_missing_keys_exit_2(sn):
    for content in ("{not json", "[1, 2]"):
        p = sn("session", "add", "--client", sn.cid, "--from-json", _write(sn, "x.json", content), expect=2)
        assert "JSON" in p.stderr
    p = sn("session", "add", "--client", sn.cid, "--from-json", _write(sn, "m.json", {"date": "2026-03-02"}), expect=2)
    assert "'stage' is missing" in p.stderr
    p = sn("session", "add", "--client", sn.cid, "--from-json", str(sn.tmp / "absent.json"), expect=2)
    assert "Could not read" in p.stderr
    note = _write(sn, "n.md", "Fictional.")
    base = ("session", "add", "--client", sn.cid, "--date", "2026-03-02", "--stage", "meeting", "--attendance", "dna")
    for extra in (("--strategies", "6.1,8.8"), ("--feelings", "grumpy"), ("--ticks", "rupture,repaired?")):
        p = sn(*base, "--file", note, *extra, expect=2)
        assert extra[0] in p.stderr
    p = sn(*base, expect=2)
    assert "note is missing" in p.stderr
    assert _count(sn) == 0


def test_update_changes_only_what_is_given_then_sign_and_refuse_further_edits(sn):
    note = _write(sn, "n.md", "Fictional first note.")
    sid = sn(
        "session", "add", "--client", sn.cid, "--date", "2026-03-02", "--stage", "meeting", "--attendance", "attended",
        "--file", note, "--strategies", "6.1",
    ).stdout.strip()  # fmt: skip
    sn("session", "update", "--client", sn.cid, "--session", sid, "--ticks", "rupture", "--plan", "go gently")
    partial = _write(sn, "p.json", {"homework": "notice the tension", "body_talk": 1})
    sn("session", "update", "--client", sn.cid, "--session", sid, "--from-json", partial)
    s = _show(sn, sid)
    assert (s["rupture"], s["plan"], s["homework"], s["body_talk"]) == (True, "go gently", "notice the tension", 1)
    assert s["substrategies"] == ["6.1"] and s["note"] == "Fictional first note."
    p = sn("session", "update", "--client", sn.cid, "--session", sid, expect=2)
    assert "Nothing to change" in p.stderr
    p = sn(
        "session", "update", "--client", sn.cid, "--session", sid, "--from-json", _write(sn, "o.json", {"id": "other"}), expect=2
    )
    assert "'id'" in p.stderr
    assert "Signed session" in sn("session", "sign", "--client", sn.cid, "--session", sid).stdout
    signed = _show(sn, sid)
    assert signed["signed_at"] and signed["content_hash"]
    p = sn("session", "update", "--client", sn.cid, "--session", sid, "--plan", "changed", expect=2)
    assert "signed" in p.stderr
    sn("session", "sign", "--client", sn.cid, "--session", sid, expect=2)
    assert _show(sn, sid) == signed
    # a signed session given back whole is added unsigned (the signature is not copied)
    whole = _write(sn, "signed.json", signed)
    p = sn("session", "add", "--client", sn.cid, "--from-json", whole)
    copy = _show(sn, p.stdout.strip())
    assert copy["signed_at"] is None and copy["content_hash"] == "" and "unsigned" in p.stderr


def test_session_input_uses_the_model_codecs():
    s, notes = si.new_session(
        {"date": "2026-03-02", "stage": "nudging-forward", "attendance": "attended", "note": ""},
        si.SessionOptions(ticks="passivity", strategies="7.1"),
    )
    assert isinstance(s, Session) and s.passivity and s.substrategies == ["7.1"] and notes == []
    with pytest.raises(si.SessionInputError, match="'duration_minutes'"):
        si.new_session(
            {"date": "2026-03-02", "stage": "meeting", "attendance": "attended", "duration_minutes": -5}, si.SessionOptions()
        )


def _week(n: int) -> str:
    return (dt.date(2026, 1, 5) + dt.timedelta(days=7 * (n - 1))).isoformat()


def _flag_kinds(sn, cid) -> set[str]:
    return {f["kind"] for f in json.loads(sn("flags", "--client", cid, "--json").stdout)["flags"] if not f["dismissed"]}


def test_sessions_given_whole_are_judged_by_the_flags(sn):
    body = "Went over the scan results and her back pain again; wants another MRI and new tablets."
    stuck = sn.cid
    for n in range(1, 9):
        s = {"date": _week(n), "stage": "meeting", "attendance": "attended", "body_talk": 3, "note": body}
        sn("session", "add", "--client", stuck, "--from-json", _write(sn, f"b{n}.json", s))
    assert "repetitive-body-talk" in _flag_kinds(sn, stuck)

    pushed = sn("client", "add", "--name", "Marram Testcase-Fictional").stdout.strip()
    for n in range(1, 8):
        s = {"date": _week(n), "stage": "meeting" if n <= 3 else "nudging-forward", "attendance": "attended", "body_talk": 1}
        s["note"] = "She spoke about her sister and felt sad; she linked the tiredness to worry."
        if n == 5:
            s["rupture"] = True
        if n == 6:
            s.update(attendance="dna", note="")
        sn("session", "add", "--client", pushed, "--from-json", _write(sn, f"p{n}.json", s))
    sn(
        "formulation", "add", "--client", pushed, "--layer", "L5",
        "--text", "Perhaps early losses shape how her body holds grief.",
        "--status", "shared", "--date-shared", _week(5), "--channel", "spoken", "--response", "disputed",
    )  # fmt: skip
    (flag,) = [
        f for f in json.loads(sn("flags", "--client", pushed, "--json").stdout)["flags"] if f["kind"] == "pushing-too-hard"
    ]
    assert "early losses" in flag["evidence"][0]["phrase"] and len(flag["sessions"]) == 2


def test_client_update_sets_and_checks_what_a_letter_needs(sn):
    """A letter export says to add the NHS number with `client update`: it must be able to."""
    sn("client", "update", "--client", sn.cid, "--nhs-number", "999 000 0019", expect=2)  # fails its check digit
    sn("client", "update", "--client", sn.cid, "--dob", "1970-02-31", expect=2)
    shown = json.loads(sn("client", "show", "--client", sn.cid, "--json").stdout)["client"]
    assert not shown.get("nhs_number") and not shown.get("dob")
    sn("client", "update", "--client", sn.cid, "--nhs-number", "999 000 0018", "--dob", "1970-02-28")
    shown = json.loads(sn("client", "show", "--client", sn.cid, "--json").stdout)["client"]
    assert shown["nhs_number"] == "9990000018" and shown["dob"] == "1970-02-28"


def test_a_draft_made_before_the_record_was_complete_is_pointed_out_at_export(sn):
    sn("client", "update", "--client", sn.cid, "--gp-name", "Dr Fictional Testgp", "--practice-address", "1 Test Row, ZZ9 9ZZ")
    sn("letter", "draft", "--client", sn.cid)
    sn("client", "update", "--client", sn.cid, "--nhs-number", "9990000018")
    out = sn.tmp / "letter.md"
    p = sn("export", "letter", "--client", sn.cid, "--format", "md", "--out", str(out))
    assert "NHS number is not recorded, but the record now has it" in p.stderr
    assert "NHS number (not recorded)" in out.read_text(encoding="utf-8")  # the text itself is left as written
