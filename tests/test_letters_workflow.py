"""The letter workflow: draft -> shown -> agreed -> sent, in order, dated, and guarded when sending."""

from __future__ import annotations

import datetime as dt

import pytest
from test_exports import make_client

from sessionnotes import services
from sessionnotes.domain.measures import MeasureResult, parse_items
from sessionnotes.vault.repository import RecordError, Repository


class Clock:
    def __call__(self) -> dt.datetime:
        return dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)


@pytest.fixture
def repo(vault):
    return Repository(vault, clock=Clock())


D = dt.date(2026, 3, 11)


def _signed(repo, cid):
    return services.draft_letter(repo, cid, signed_by="Dr A. Example, Clinical Psychologist")


def test_steps_go_in_order_with_dates_and_refusals_change_nothing(repo):
    cid = make_client(repo)
    letter = _signed(repo, cid)
    before = repo.get_letter(cid, letter.id).to_dict()
    for step in ("agreed", "sent"):
        with pytest.raises(RecordError, match="has not been shown"):
            services.advance_letter(repo, cid, letter.id, step, D, sent_to="Marigold")
    with pytest.raises(RecordError, match="before the letter was drafted"):
        services.advance_letter(repo, cid, letter.id, "shown", dt.date(2026, 3, 1))
    assert repo.get_letter(cid, letter.id).to_dict() == before

    services.advance_letter(repo, cid, letter.id, "shown", D, comments="asked to soften one line")
    with pytest.raises(RecordError, match="already shown"):
        services.advance_letter(repo, cid, letter.id, "shown", D)
    with pytest.raises(RecordError, match="before the letter was shown"):
        services.advance_letter(repo, cid, letter.id, "agreed", dt.date(2026, 3, 10))
    services.advance_letter(repo, cid, letter.id, "agreed", D)
    with pytest.raises(RecordError, match="Say who"):
        services.advance_letter(repo, cid, letter.id, "sent", D)
    sent = services.advance_letter(repo, cid, letter.id, "sent", D, sent_to="Marigold; copy to the GP")
    stored = repo.get_letter(cid, letter.id)
    assert (stored.status, stored.shown_date, stored.agreed_date, stored.sent_date) == ("sent", D, D, D)
    assert stored.patient_comments == "asked to soften one line" and sent.frozen
    with pytest.raises(RecordError, match="frozen"):
        services.advance_letter(repo, cid, letter.id, "agreed", D)


def _to_agreed(repo, cid, body_extra=""):
    letter = _signed(repo, cid)
    if body_extra:
        letter.body += body_extra
        repo.save_letter(cid, letter)
    services.advance_letter(repo, cid, letter.id, "shown", D)
    services.advance_letter(repo, cid, letter.id, "agreed", D)
    return letter


def test_sending_waits_for_high_wording_findings_kept_with_a_reason(repo):
    cid = make_client(repo)
    letter = _to_agreed(repo, cid, "\nHer headaches are all in her mind.\n")
    with pytest.raises(RecordError, match="all in her mind"):
        services.advance_letter(repo, cid, letter.id, "sent", D, sent_to="Marigold")
    with pytest.raises(RecordError, match="needs a reason"):
        services.acknowledge_findings(repo, cid, letter.id, "")
    with pytest.raises(RecordError, match="neither changed nor kept"):
        services.advance_letter(repo, cid, letter.id, "sent", D, sent_to="Marigold")
    assert repo.get_letter(cid, letter.id).status == "agreed"
    services.acknowledge_findings(repo, cid, letter.id, "quoting the old clinic letter, with her agreement")
    assert services.advance_letter(repo, cid, letter.id, "sent", D, sent_to="Marigold").status == "sent"


def test_sending_waits_for_an_open_risk_flag(repo):
    cid = make_client(repo)
    risky = tuple(parse_items("1,1,1,1,1,1,1,1,2", "phq9"))
    repo.add_measure(cid, MeasureResult(instrument="phq9", date=dt.date(2026, 3, 9), responses=risky))
    assert any(f.kind == "measure-risk" and not f.dismissed for f in services.flags_for(repo, cid))
    letter = _to_agreed(repo, cid)
    with pytest.raises(RecordError, match="risk flag"):
        services.advance_letter(repo, cid, letter.id, "sent", D, sent_to="Marigold")
    assert repo.get_letter(cid, letter.id).status == "agreed"


def test_cli_status_refuses_out_of_order_and_early_dates_with_exit_2(tmp_path):
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
    lid = sn("letter", "draft", "--client", cid).stdout.strip()
    listing = sn("letter", "list", "--client", cid, "--json").stdout
    p = sn("letter", "status", "--client", cid, "--letter", lid, "--sent", "2099-01-01", "--to", "GP", expect=2)
    assert "has not been shown" in p.stderr
    p = sn("letter", "status", "--client", cid, "--letter", lid, "--shown", "2000-01-01", expect=2)
    assert "before the letter was drafted" in p.stderr
    p = sn("letter", "status", "--client", cid, "--letter", "nosuch", "--shown", "2099-01-01", expect=2)
    assert "no letter" in p.stderr
    assert sn("letter", "list", "--client", cid, "--json").stdout == listing
    sn("letter", "status", "--client", cid, "--letter", lid, "--shown", "2099-01-01")
    p = sn("letter", "status", "--client", cid, "--letter", lid, "--shown", "2099-01-02", expect=2)
    assert "already shown" in p.stderr


def test_wording_is_kept_only_with_a_reason_and_a_reason_can_be_added_later(repo):
    """An acknowledgement recorded without a reason (older data) does not clear the way to sending,
    and giving the reason later does."""
    from sessionnotes.domain.letters import Acknowledgement

    cid = make_client(repo)
    letter = services.draft_letter(repo, cid)
    letter.body += "\nYour symptoms are clearly caused by stress.\n"
    repo.save_letter(cid, letter)
    with pytest.raises(RecordError):
        services.acknowledge_findings(repo, cid, letter.id, "  ")
    letter = repo.get_letter(cid, letter.id)
    (f,) = services.blocking_findings(letter, repo.get_client(cid))
    letter.acknowledgements.append(Acknowledgement(matched=f.matched, category=f.category, at=repo.clock(), note=""))
    repo.save_letter(cid, letter)
    letter = repo.get_letter(cid, letter.id)
    assert services.blocking_findings(letter, repo.get_client(cid))
    assert any("kept without a reason" in b for b in services.sending_blockers(repo, cid, letter))
    assert services.acknowledge_findings(repo, cid, letter.id, "the patient's own words, agreed with her") == 1
    letter = repo.get_letter(cid, letter.id)
    assert not services.blocking_findings(letter, repo.get_client(cid))
    assert not any("wording" in b for b in services.sending_blockers(repo, cid, letter))


def test_an_exported_page_given_back_as_the_letter_text_is_refused_and_show_gives_the_text(repo, tmp_path):
    """Exporting to Markdown and editing that file is a natural round trip; the page's frame
    (title, DRAFT mark, address block) must not end up inside the letter and print twice."""
    from sessionnotes.export.letter import letter_doc
    from sessionnotes.export.render import to_markdown

    cid = make_client(repo)
    letter = services.draft_letter(repo, cid)
    page = to_markdown(letter_doc(letter, repo.get_client(cid), today=D))
    with pytest.raises(RecordError, match="exported letter"):
        services.save_letter_text(repo, cid, letter.id, page.replace("Dear", "Dear dear"))
    assert repo.get_letter(cid, letter.id).body == letter.body
    edited, _ = services.save_letter_text(repo, cid, letter.id, letter.body + "\nA line of my own.\n")
    assert edited.body.endswith("A line of my own.\n")
