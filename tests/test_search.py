"""Full-text search on a small hand-made fictional vault: exact hits, prefixes, phrases, filters."""

from __future__ import annotations

import datetime as dt

import pytest

from sessionnotes import services
from sessionnotes.analysis.search import QueryError, SearchIndex, parse_query
from sessionnotes.domain.models import Attendance, Client, Session
from sessionnotes.vault.repository import Repository


@pytest.fixture
def world(vault):
    repo = Repository(vault)
    wren = repo.add_client(Client(name="Wren Oakfable"))
    hazel = repo.add_client(Client(name="Hazel Notreal"))
    s1 = repo.add_session(
        wren,
        Session(
            date=dt.date(2026, 3, 2),
            attendance=Attendance.ATTENDED,
            stage="meeting",
            note="She first mentioned her mother's illness today.",
            plan="Return to the walks.",
        ),
    )
    s2 = repo.add_session(
        wren,
        Session(
            date=dt.date(2026, 3, 9),
            attendance=Attendance.DNA,
            stage="meeting",
            note="Did not attend. Letter about the missed session.",
        ),
    )
    s3 = repo.add_session(
        hazel,
        Session(
            date=dt.date(2026, 4, 1),
            attendance=Attendance.ATTENDED,
            stage="nudging-forward",
            note="Talked about the mothering she never had.",
            private_note="I wondered about her mother's illness and my own.",
        ),
    )
    repo.sign_session(hazel, s3)
    repo.add_addendum(hazel, s3, "Correction: the illness was her aunt's, not her mother's.")
    services.add_formulation_item(
        repo, hazel, services.new_version(repo, "Caring for others may leave little room for her own needs", "L2")
    )
    index = services.build_index(repo)
    return repo, index, dict(wren=wren, hazel=hazel, s1=s1, s2=s2, s3=s3)


def refs(hits):
    return [(h.doc.ref, h.doc.field) for h in hits]


def test_words_are_case_insensitive_word_prefixes(world):
    _, index, ids = world
    got = refs(index.search("MOTHER"))
    assert set(got) == {(ids["s1"], "note"), (ids["s3"], "note"), (ids["s3"], "private"), (ids["s3"], "addendum")}
    assert (ids["s3"], "note") in refs(index.search("moth"))  # "mothering" via the prefix
    assert refs(index.search("ther")) == []  # a prefix of a word, not any substring


def test_all_words_must_match_and_ranking_prefers_more_matches(world):
    _, index, ids = world
    assert set(refs(index.search("mother illness"))) == {(ids["s1"], "note"), (ids["s3"], "private"), (ids["s3"], "addendum")}


def test_phrases_in_quotes(world):
    _, index, ids = world
    assert set(refs(index.search('"mother\'s illness"'))) == {(ids["s1"], "note"), (ids["s3"], "private")}
    assert refs(index.search('"illness mother"')) == []


def test_filters(world):
    _, index, ids = world
    assert refs(index.search("mother stage:nudging-forward field:note")) == [(ids["s3"], "note")]
    assert refs(index.search("attendance:dna")) == [(ids["s2"], "note")]
    assert refs(index.search("mother since:2026-03-15")) and all(
        h.doc.date >= dt.date(2026, 3, 15) for h in index.search("mother since:2026-03-15")
    )
    assert {h.doc.ref for h in index.search("mother until:2026-03-05")} == {ids["s1"]}
    # the private process note is not returned when the filter excludes that field
    assert all(h.doc.field != "private" for h in index.search("mother -field:private"))
    assert refs(index.search("caring field:formulation"))[0][1] == "formulation"
    assert refs(index.search("mother status:discharged")) == []


def test_snippet_highlights_the_match(world):
    _, index, ids = world
    (hit,) = [h for h in index.search('"mother\'s illness"') if h.doc.ref == ids["s1"]]
    assert hit.snippet == "She first mentioned her [[mother's illness]] today."
    assert hit.doc.client_name == "Wren Oakfable" and hit.doc.date == dt.date(2026, 3, 2)


def test_index_updates_after_a_save_and_empties(world):
    repo, index, ids = world
    assert index.search("lighthouse") == []
    repo.add_session(
        ids["wren"],
        Session(
            date=dt.date(2026, 5, 1), attendance=Attendance.ATTENDED, stage="meeting", note="She described the lighthouse walk."
        ),
    )
    services.refresh_index(index, repo, ids["wren"])
    assert [h.doc.client_id for h in index.search("lighthouse")] == [ids["wren"]]
    assert len(index.search("mother")) == 4  # nothing duplicated by the refresh
    index.clear()
    assert len(index) == 0 and index.search("mother") == []


def test_discharged_status_filter_and_flag_filter_use_providers():
    from sessionnotes.analysis.search import Document

    ix = SearchIndex()
    ix.add(Document("c1", "A Fictional", "discharged", "session", "s1", dt.date(2026, 1, 1), "note", "pain again"))
    ix.add(Document("c2", "B Fictional", "open", "session", "s2", dt.date(2026, 1, 1), "note", "pain again"))
    ix.flag_provider = lambda cid: {"repetitive-body-talk"} if cid == "c2" else set()
    assert refs(ix.search("pain status:discharged")) == [("s1", "note")]
    assert refs(ix.search("pain flag:repetitive-body-talk")) == [("s2", "note")]


def test_bad_queries_get_a_clear_message():
    with pytest.raises(QueryError, match="not closed"):
        parse_query('"unfinished phrase')
    with pytest.raises(QueryError, match="YYYY-MM-DD"):
        parse_query("since:March")
    q = parse_query('stage:meeting "two words" single')
    assert (q.stage, q.phrases, q.terms) == ("meeting", [["two", "words"]], ["single"])


def test_the_stored_index_is_encrypted_and_reread_only_for_changed_clients(world, monkeypatch):
    repo, _, ids = world
    services.build_index(repo, persist=True)
    stored = repo.vault.path / "search-index.snv"
    assert stored.exists() and b"mother" not in stored.read_bytes()  # never plaintext on disk
    reads: list[str] = []
    real = services.client_index_entry
    monkeypatch.setattr(services, "client_index_entry", lambda r, cid: reads.append(cid) or real(r, cid))
    assert set(refs(services.build_index(repo, persist=True).search("mother illness"))) == {
        (ids["s1"], "note"),
        (ids["s3"], "private"),
        (ids["s3"], "addendum"),
    }
    assert reads == []  # nothing changed: nothing read again
    repo.add_session(
        ids["wren"],
        Session(date=dt.date(2026, 5, 1), attendance=Attendance.ATTENDED, stage="meeting", note="The lighthouse walk."),
    )
    index = services.build_index(repo, persist=True)
    assert reads == [ids["wren"]] and [h.doc.client_id for h in index.search("lighthouse")] == [ids["wren"]]
    stored.write_bytes(b"damaged")  # a damaged copy is made again, not trusted
    assert [h.doc.client_id for h in services.build_index(repo, persist=True).search("lighthouse")] == [ids["wren"]]
    repo.erase_client(ids["hazel"], dt.date(2026, 6, 1), reason="Fictional erasure request")
    assert not stored.exists()  # an erased client's text is in no cache either
    assert {h.doc.client_id for h in services.build_index(repo, persist=True).search("mother")} == {ids["wren"]}
