"""Formulation versioning, the as-of view, advisory warnings, stage timeline, GP liaison log."""

from __future__ import annotations

import datetime as dt

import pytest

from sessionnotes import services
from sessionnotes.analysis.formulation_checks import warnings_for
from sessionnotes.analysis.timeline import timeline
from sessionnotes.domain.formulation import FormulationItem, ItemVersion, formulation_as_of, shared_as_of
from sessionnotes.domain.liaison import GPContact
from sessionnotes.domain.models import Attendance, Client, Session
from sessionnotes.vault.repository import RecordError, Repository


class SettableClock:
    def __init__(self, day: dt.date) -> None:
        self.day = day

    def __call__(self) -> dt.datetime:
        return dt.datetime(self.day.year, self.day.month, self.day.day, 12, tzinfo=dt.UTC)


def v(layer="L1", status="private", text="The pain has taken away the walks that mattered to her", **kw) -> ItemVersion:
    base = dict(at=dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC), text=text, layer=layer, status=status)
    if status != "private":
        base["date_shared"] = dt.date(2026, 3, 1)
    base.update(kw)
    return ItemVersion(**base)


def sess(day: int, stage: str, attendance=Attendance.ATTENDED, **kw) -> Session:
    return Session(date=dt.date(2026, 1, day), stage=stage, attendance=attendance, **kw)


# -- warnings: each rule fires on its case and stays quiet otherwise --------------------------------

AT_YES = Client(name="Fictional Yes", emotional_agreement="yes")
AT_NO = Client(name="Fictional No")
AT_PARTLY = Client(name="Fictional Partly", emotional_agreement="partly")
HEDGED_L4 = "It may be that worry about her mother plays a part in how the pain builds"


def test_deep_item_shared_at_meeting_warns():
    w = warnings_for(v("L4", "shared", HEDGED_L4), None, AT_YES, "meeting")
    assert len(w) == 1 and "meeting stage" in w[0]
    w = warnings_for(v("L5", "shared-in-part", HEDGED_L4), None, AT_YES, "drawing-in")
    assert len(w) == 1 and "drawing-in" in w[0]


def test_deep_item_shared_before_agreement_warns():
    w = warnings_for(v("L4", "shared", HEDGED_L4), None, AT_NO, "nudging-forward")
    assert len(w) == 1 and "not yet agreed" in w[0]
    w = warnings_for(v("L4", "shared", HEDGED_L4), None, AT_PARTLY, "nudging-forward")
    assert len(w) == 1 and "only partly" in w[0]


def test_no_warning_for_deep_item_kept_private_or_shared_when_ready():
    assert warnings_for(v("L5", "private", HEDGED_L4), None, AT_NO, "meeting") == []
    assert warnings_for(v("L4", "shared", HEDGED_L4), None, AT_YES, "nudging-forward") == []
    assert warnings_for(v("L1", "shared"), None, AT_NO, "drawing-in") == []  # L0-L3 are safe territory


def test_sharing_again_after_disputed_warns_but_editing_a_response_does_not():
    disputed = v("L2", "shared", response="disputed")
    again = v("L2", "shared", date_shared=dt.date(2026, 3, 20))
    w = warnings_for(again, disputed, AT_YES, "nudging-forward")
    assert len(w) == 1 and "disputed" in w[0]
    same_share = v("L2", "shared", response="neutral")
    assert warnings_for(same_share, disputed, AT_YES, "nudging-forward") == []


@pytest.mark.parametrize(
    "text",
    ["The headaches are clearly caused by stress.", "Her pain is definitely psychological in origin."],
)
def test_certain_wording_in_shared_item_warns(text):
    w = warnings_for(v("L3", "shared", text), None, AT_YES, "nudging-forward")
    assert any("sounds certain" in x for x in w)


@pytest.mark.parametrize(
    "text",
    [HEDGED_L4, "One way of understanding this might be that the pain and the worry feed each other."],
)
def test_hedged_wording_does_not_warn(text):
    assert warnings_for(v("L3", "shared", text), None, AT_YES, "nudging-forward") == []


def test_certain_wording_in_private_item_is_the_clinicians_own():
    assert warnings_for(v("L3", "private", "Clearly caused by stress."), None, AT_YES, "meeting") == []


# -- versioning and the as-of view -----------------------------------------------------------------


def test_every_change_is_a_version_and_as_of_shows_what_stood_then(vault):
    clock = SettableClock(dt.date(2026, 2, 1))
    repo = Repository(vault, clock=clock)
    cid = repo.add_client(Client(name="Rowan Fictive-Stage"))
    repo.add_session(cid, Session(date=dt.date(2026, 1, 20), stage="nudging-forward", attendance=Attendance.ATTENDED))
    first = services.add_formulation_item(repo, cid, services.new_version(repo, "The pain has taken away her walks", "L1"))
    clock.day = dt.date(2026, 2, 10)
    services.change_formulation_item(repo, cid, first.id, status="shared", channel="spoken")
    clock.day = dt.date(2026, 2, 20)
    second = services.add_formulation_item(
        repo, cid, services.new_version(repo, "Possibly, keeping busy helps her avoid the sadness", "L3")
    )
    clock.day = dt.date(2026, 3, 1)
    services.change_formulation_item(repo, cid, first.id, response="resonated")

    items = Repository(vault).list_formulation(cid)
    (one,) = [i for i in items if i.id == first.id]
    assert [(x.status, x.response, x.at.date()) for x in one.versions] == [
        ("private", "not-yet", dt.date(2026, 2, 1)),
        ("shared", "not-yet", dt.date(2026, 2, 10)),
        ("shared", "resonated", dt.date(2026, 3, 1)),
    ]
    assert formulation_as_of(items, dt.date(2026, 1, 31)) == []
    assert [(i.id, x.status) for i, x in formulation_as_of(items, dt.date(2026, 2, 5))] == [(first.id, "private")]
    assert shared_as_of(items, dt.date(2026, 2, 5)) == []
    assert [(i.id, x.response) for i, x in shared_as_of(items, dt.date(2026, 2, 25))] == [(first.id, "not-yet")]
    assert {i.id for i, _ in formulation_as_of(items, dt.date(2026, 2, 25))} == {first.id, second.id}
    assert [e.action for e in repo.audit_trail(cid)].count("edited") == 2


def test_invalid_items_are_refused_before_saving(vault):
    repo = Repository(vault)
    cid = repo.add_client(Client(name="Hazel Notreal"))
    with pytest.raises(RecordError):
        services.add_formulation_item(repo, cid, services.new_version(repo, "   ", "L1"))
    with pytest.raises(ValueError):
        services.add_formulation_item(repo, cid, services.new_version(repo, "text", "L9"))
    with pytest.raises(RecordError):
        services.change_formulation_item(repo, cid, "nosuch", status="shared")
    assert repo.list_formulation(cid) == []


def test_item_round_trips():
    item = FormulationItem(
        id="abc123", created=dt.date(2026, 3, 1), versions=[v("L2", "shared", evidence=["s1"], channel="letter")]
    )
    assert FormulationItem.from_dict(item.to_dict()) == item


# -- stage timeline --------------------------------------------------------------------------------


def test_timeline_marks_moves_forward_and_back_plainly():
    sessions = [
        sess(5, "drawing-in"),
        sess(12, "meeting", substrategies=["6.1"], body_talk=3),
        sess(19, "nudging-forward", body_talk=1),
        sess(26, "meeting", attendance=Attendance.LATE),
        sess(27, "meeting", attendance=Attendance.DNA, attendance_reason="symptom flare"),
    ]
    for n, s in enumerate(sessions, 1):
        s.number, s.id = n, f"s{n}"
    entries = timeline(sessions)
    assert [e.movement for e in entries] == ["start", "forward", "forward", "back", "same"]
    assert entries[3].movement_label == "back to meeting patients where they're at"
    assert "fail" not in " ".join(e.movement_label for e in entries)
    assert [e.attendance_mark for e in entries] == ["", "", "", "late", "DNA"]
    assert entries[1].substrategies == ("6.1",) and entries[1].body_talk == 3


# -- GP liaison and client fields ------------------------------------------------------------------


def test_gp_contacts_and_drawing_in_fields_are_kept(vault):
    repo = Repository(vault)
    cid = repo.add_client(
        Client(
            name="Linden Imaginy",
            referrer_goal="fewer urgent appointments",
            patient_goal="to walk the dog again",
            preferred_term="my pain",
            explanatory_model="a trapped nerve nobody has found",
            access_needs=["brain-fog"],
        )
    )
    repo.add_gp_contact(
        cid,
        GPContact(
            date=dt.date(2026, 1, 3),
            kind="joint-consultation",
            discussed="how to introduce therapy",
            agreed="GP to stay involved",
        ),
    )
    repo.add_gp_contact(cid, GPContact(date=dt.date(2025, 12, 1), kind="corridor"))
    contacts = repo.list_gp_contacts(cid)
    assert [c.kind for c in contacts] == ["corridor", "joint-consultation"]
    c = repo.get_client(cid)
    assert (c.referrer_goal, c.patient_goal, c.preferred_term, c.access_needs) == (
        "fewer urgent appointments",
        "to walk the dog again",
        "my pain",
        ["brain-fog"],
    )
