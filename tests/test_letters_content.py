"""What may go into a letter the patient reads: no third-party words quoted, no disputed or
only-spoken items unless chosen, and a GP cover that says what has really happened."""

from __future__ import annotations

import datetime as dt

import pytest
from test_exports import make_client

from sessionnotes import services
from sessionnotes.vault.repository import RecordError, Repository


class Clock:
    def __call__(self) -> dt.datetime:
        return dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)


@pytest.fixture
def repo(vault):
    return Repository(vault, clock=Clock())


REFERRAL = "Regular visitor to the surgery with unexplained pains, query worry about illness, kindly assess"
REACTION = "She felt the doctor had decided the pains were imagined and nobody believed her"


def _client(repo):
    return make_client(
        repo, referral_positioning=REFERRAL, referral_reaction=REACTION, investigations="bloods and a scan came back clear"
    )


@pytest.mark.parametrize("to", ["patient", "gp"])
def test_referral_and_reaction_are_described_not_quoted(repo, to):
    cid = _client(repo)
    body = services.draft_letter(repo, cid, addressee=to).body
    folded = " ".join(body.lower().split())
    for source in (REFERRAL, REACTION, "bloods and a scan came back clear"):
        assert source.lower()[:30] not in folded
    assert "referred" in body and "how the referral felt" in body


def test_quoting_the_referral_is_an_explicit_choice_kept_with_the_letter(repo):
    cid = _client(repo)
    letter = services.draft_letter(repo, cid, quote_referral=True)
    assert REFERRAL in letter.body and letter.extra["quote_referral"] is True
    # a therapist pasting the referral into a letter drafted without that choice is held at sending
    plain = services.draft_letter(repo, cid)
    plain.body += "\n" + REFERRAL.replace("kindly", "please") + ".\n"
    repo.save_letter(cid, plain)
    assert any("referral" in b for b in services.sending_blockers(repo, cid, repo.get_letter(cid, plain.id)))


def _item(repo, cid, text, **fields):
    return services.add_formulation_item(repo, cid, services.new_version(repo, text, "L1", status="shared", **fields))


def test_disputed_and_only_spoken_items_stay_out_unless_chosen(repo):
    cid = _client(repo)
    disputed = _item(repo, cid, "Pushing through on good days leads to longer crashes afterwards")
    services.change_formulation_item(repo, cid, disputed.id, response="disputed")
    spoken = _item(repo, cid, "The worry about the heart rises when the chest tightens at night", channel="spoken")
    written = _item(repo, cid, "Walking with a friend makes the pain easier to live with", channel="written")
    body = services.draft_letter(repo, cid).body
    assert "longer crashes" not in body and "chest tightens" not in body
    assert "Walking with a friend" in body and written.id
    chosen = services.draft_letter(repo, cid, include_items=[spoken.id, disputed.id]).body
    assert "chest tightens" in chosen and "longer crashes" not in chosen
    with pytest.raises(RecordError, match="no formulation item"):
        services.draft_letter(repo, cid, include_items=["nosuch"])


def test_gp_cover_does_not_claim_the_letter_was_discussed(repo):
    cid = _client(repo)
    body = services.draft_letter(repo, cid, addressee="gp").body
    assert "talked about what it says" not in body
    assert "before it is sent" in body


def test_cli_draft_never_carries_the_referral_wording(tmp_path):
    import json
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
    sn("client", "update", "--client", cid, "--referral-positioning", REFERRAL)
    sn("letter", "draft", "--client", cid)
    sn("letter", "draft", "--client", cid, "--quote-referral")
    bodies = [x["body"] for x in json.loads(sn("letter", "list", "--client", cid, "--json").stdout)["letters"]]
    assert "query worry" not in bodies[0] and "query worry" in bodies[1]


def test_the_letter_reads_as_prose_how_often_we_met_in_words_and_the_plan_as_a_sentence(repo):
    import datetime as dt

    from sessionnotes.domain.models import Session

    cid = _client(repo)
    for day in (3, 17):
        repo.add_session(
            cid,
            Session(
                date=dt.date(2026, 2, day),
                stage="meeting",
                attendance="attended",
                note="We talked.",
                plan="Meet fortnightly for six more",
            ),
        )
    body = services.draft_letter(repo, cid).body
    met = sum(s.attendance.value in ("attended", "late") for s in repo.list_sessions(cid))
    words = {1: "once", 2: "twice", 3: "three times", 4: "four times", 5: "five times", 6: "six times"}
    assert f"meeting with me {words[met]} so far" in body
    assert "Meet fortnightly for six more." in body
