"""The client record's "also known as" and "keep out" fields: stored, loaded, validated, edited."""

from __future__ import annotations

import datetime as dt

from sessionnotes.domain.models import Client, split_names


def test_old_records_without_the_new_fields_still_load() -> None:
    old = Client(name="Quillon Testperson").to_dict()
    old.pop("aka", None)
    old.pop("keep_out", None)
    c = Client.from_dict(old)
    assert c.aka == [] and c.keep_out == []


def test_aka_and_keep_out_round_trip() -> None:
    c = Client(name="Quillon Testperson", aka=["Quill", "Q-Bear"], keep_out=["Dr Fenwick Imaginary", "Zorbly Mills"])
    back = Client.from_dict(c.to_dict())
    assert back.aka == ["Quill", "Q-Bear"]
    assert back.keep_out == ["Dr Fenwick Imaginary", "Zorbly Mills"]


def test_split_names_trims_drops_empties_and_repeats() -> None:
    assert split_names(" Roz ,Bernie,, roz , Tom  Quill ") == ["Roz", "Bernie", "Tom Quill"]
    assert split_names("") == []


def test_a_one_letter_entry_is_refused() -> None:
    c = Client(name="Quillon Testperson", aka=["Q"], keep_out=["Zorbly Mills"])
    errors = c.validate(dt.date(2026, 1, 1))
    assert [e.field for e in errors] == ["aka"]
    assert "two letters" in errors[0].message
