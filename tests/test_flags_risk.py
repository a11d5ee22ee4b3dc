"""The measure-risk flag: raised from the latest PHQ-9 / CORE-10 risk item, shown with the other
flags, dismissable with a reason, and counted for the caseload."""

from __future__ import annotations

import datetime as dt

from sessionnotes import services
from sessionnotes.analysis.flags import FLAG_KINDS, detect, measure_risk
from sessionnotes.domain.measures import MeasureResult
from sessionnotes.domain.models import Client
from sessionnotes.vault.repository import Repository

D = dt.date


def phq9(day: dt.date, item9, mid: str = "") -> MeasureResult:
    return MeasureResult(instrument="phq9", date=day, responses=(1, 1, 1, 1, 1, 1, 1, 1, item9), id=mid or f"p{day.day}")


def core10(day: dt.date, item6, mid: str = "") -> MeasureResult:
    return MeasureResult(instrument="core10", date=day, responses=(1, 1, 1, 1, 1, item6, 1, 1, 1, 1), id=mid or f"c{day.day}")


def test_no_measures_no_risk_flag():
    assert measure_risk([]) == []
    assert measure_risk([phq9(D(2026, 1, 5), 0), core10(D(2026, 1, 5), 0)]) == []


def test_positive_phq9_item9_raises_a_high_flag_with_evidence():
    [flag] = measure_risk([phq9(D(2026, 1, 5), 1)])
    assert flag.kind == "measure-risk" and flag.severity == "high"
    assert flag.title == FLAG_KINDS["measure-risk"]
    assert flag.evidence[0].field == "measure" and flag.evidence[0].date == D(2026, 1, 5)
    assert "PHQ-9" in flag.summary
    assert flag.key == "measure-risk:phq9:p5"


def test_unanswered_risk_item_raises_the_flag():
    [flag] = measure_risk([core10(D(2026, 2, 1), None)])
    assert "unanswered" in " ".join(e.phrase for e in flag.evidence).lower()


def test_only_the_latest_result_of_each_instrument_counts():
    older_risk_then_clear = [phq9(D(2026, 1, 5), 2), phq9(D(2026, 2, 5), 0)]
    assert measure_risk(older_risk_then_clear) == []
    clear_then_risk = [phq9(D(2026, 1, 5), 0), phq9(D(2026, 2, 5), 1), core10(D(2026, 2, 5), 3)]
    flags = measure_risk(list(reversed(clear_then_risk)))
    assert sorted(f.key for f in flags) == ["measure-risk:core10:c5", "measure-risk:phq9:p5"]


def test_acknowledged_notice_is_mentioned_but_the_flag_stays_open():
    m = phq9(D(2026, 1, 5), 1)
    m.extra["risk_acknowledged"] = {"at": "2026-01-05T10:00:00", "note": "asked directly"}
    [flag] = measure_risk([m])
    assert "acknowledged on 2026-01-05" in flag.summary
    assert flag.is_open


def test_detect_puts_the_risk_flag_first_and_honours_a_dismissal():
    client = Client(name="Test Person", pseudonym="T")
    flags = detect(client, [], measures=[phq9(D(2026, 1, 5), 1)])
    assert flags[0].kind == "measure-risk"
    dismissed = detect(
        client, [], measures=[phq9(D(2026, 1, 5), 1)], dismissed={"measure-risk:phq9:p5": "risk reviewed, safety plan in place"}
    )
    [flag] = [f for f in dismissed if f.kind == "measure-risk"]
    assert flag.dismissed and flag.dismissed_reason == "risk reviewed, safety plan in place"
    # a later positive result is a new flag, not covered by the old dismissal
    again = detect(
        client,
        [],
        measures=[phq9(D(2026, 1, 5), 1), phq9(D(2026, 3, 5), 1, mid="later")],
        dismissed={"measure-risk:phq9:p5": "risk reviewed"},
    )
    assert any(f.kind == "measure-risk" and f.is_open for f in again)


def test_client_flag_kinds_include_risk_from_the_vault(vault):
    repo = Repository(vault)
    cid = repo.add_client(Client(name="Fictional Riskitem", pseudonym="R"))
    assert "measure-risk" not in services.client_flag_kinds(repo, cid)
    repo.add_measure(cid, phq9(D(2026, 1, 5), 1))
    assert "measure-risk" in services.client_flag_kinds(repo, cid)
