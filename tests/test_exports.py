"""Letters, supervision summaries and record exports: safe by construction, checked after rendering."""

from __future__ import annotations

import datetime as dt
import io
import re
from dataclasses import replace

import pytest

from sessionnotes import services
from sessionnotes.domain.liaison import GPContact
from sessionnotes.domain.measures import MeasureResult, parse_items
from sessionnotes.domain.models import Attendance, Client, Feeling, Session
from sessionnotes.export.pseudonymise import IdentifierLeft
from sessionnotes.export.render import ExportError
from sessionnotes.vault.repository import RecordError, Repository

PRIVATE_ITEM = "PRIVMARK-ITEM-4471 early loss hypothesis"
PRIVATE_NOTE = "PRIVMARK-NOTE-9931 I felt pulled to rescue her"


class Clock:
    def __call__(self) -> dt.datetime:
        return dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)


def make_client(repo: Repository, **over) -> str:
    fields = dict(
        name="Marigold Quenby-Fable",
        pseudonym="Client M",
        dob=dt.date(1971, 4, 9),
        nhs_number="9434765919",
        gp_name="Dr Osric Vantablack",
        practice="Lindenfold Surgery",
        practice_address="14 Quillon Row, Fenwick Parva",
        address="3 Imaginary Lane, Fictionville",
        postcode="FV1 0ZZ",
        phone="07700 900123",
        email="marigold@example.org",
        referral_date=dt.date(2026, 1, 5),
        preferred_term="the headaches",
        patient_goal="to get back to walking",
        explanatory_model="She thinks a nerve is trapped and nobody has found it yet.",
        supervision_questions="How do I stay with the body talk without colluding?",
    )
    fields.update(over)
    cid = repo.add_client(Client(**fields))
    repo.add_session(
        cid,
        Session(
            date=dt.date(2026, 2, 2),
            attendance=Attendance.ATTENDED,
            stage="meeting",
            body_talk=2,
            feelings=[Feeling.BORED, Feeling.HOPELESS],
            plan="Six more sessions, focusing on pacing.",
            note="Marigold (born 09/04/1971) said Dr Vantablack at Lindenfold Surgery was kind. Her number is 07700 900123.",
            private_note=PRIVATE_NOTE,
        ),
    )
    repo.add_session(
        cid, Session(date=dt.date(2026, 2, 9), attendance=Attendance.DNA, stage="meeting", attendance_reason="symptom flare")
    )
    services.add_formulation_item(
        repo,
        cid,
        services.new_version(
            repo, "The pain has taken away the walks that mattered to her", "L1", status="shared", lens="intra-psychic"
        ),
    )
    services.add_formulation_item(repo, cid, services.new_version(repo, PRIVATE_ITEM, "L5", lens="relational"))
    repo.add_gp_contact(
        cid,
        GPContact(
            date=dt.date(2026, 1, 3),
            kind="call",
            discussed="Dr Vantablack explained the referral to Marigold",
            agreed="joint review in March",
        ),
    )
    repo.add_measure(
        cid, MeasureResult(instrument="phq9", date=dt.date(2026, 2, 2), responses=tuple(parse_items("2,2,2,2,2,1,1,1,0", "phq9")))
    )
    return cid


@pytest.fixture
def repo(vault):
    return Repository(vault, clock=Clock())


def text_of(path) -> str:
    data = path.read_bytes()
    if path.suffix == ".pdf":
        from pypdf import PdfReader

        return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)
    return data.decode("utf-8")


# -- letters ---------------------------------------------------------------------------------------


def test_default_letter_has_the_expected_structure_and_only_shared_layers(repo, tmp_path):
    cid = make_client(repo)
    letter = services.draft_letter(repo, cid)
    body = letter.body
    headings = re.findall(r"^## (.+)$", body, flags=re.MULTILINE)
    assert headings == [
        "Why we met",
        "What you are going through",
        "How we understand things so far",
        "In your own words",
        "What we plan to do",
        "What would help from the practice",
        "Questionnaires",
    ]
    assert body.startswith("Dear Marigold,")
    assert "NHS number 943 476 5919" in body and "cc: Dr Osric Vantablack, Lindenfold Surgery" in body
    assert "living with the headaches" in body and "walks that mattered" in body
    assert "Six more sessions" in body and "to get back to walking" in body
    assert "PRIVMARK" not in body
    gp = services.draft_letter(repo, cid, addressee="gp").body
    assert gp.startswith("Dear Dr Osric Vantablack,") and "cc: Marigold Quenby-Fable" in gp


@pytest.mark.parametrize("fmt", ["md", "html", "pdf"])
def test_letter_and_supervision_never_contain_private_material(repo, tmp_path, fmt):
    cid = make_client(repo)
    letter_path = services.export_letter(repo, cid, fmt, tmp_path / f"letter.{fmt}")
    sup_path = services.export_supervision(repo, [cid], fmt, tmp_path / f"sup.{fmt}")
    for p in (letter_path, sup_path):
        t = text_of(p)
        assert "PRIVMARK" not in t, p
        assert p.stat().st_mode & 0o077 == 0
    assert "Why we met" in text_of(letter_path) and "Stage history" in text_of(sup_path)


def test_pdf_is_a_real_a4_pdf_with_extractable_headings(repo, tmp_path):
    from pypdf import PdfReader

    cid = make_client(repo)
    path = services.export_letter(repo, cid, "pdf", tmp_path / "letter.pdf")
    assert path.read_bytes().startswith(b"%PDF")
    reader = PdfReader(str(path))
    page = reader.pages[0]
    assert round(float(page.mediabox.width)) == 595 and round(float(page.mediabox.height)) == 842  # A4 in points
    text = text_of(path)
    for heading in ("Why we met", "What we plan to do", "page 1 of"):
        assert heading in text


def test_html_escapes_injected_markup(repo, tmp_path):
    cid = make_client(repo)
    letter = services.draft_letter(repo, cid)
    letter.body += '\n<script>alert("x")</script> <img src="http://tracker.example/p.png"> [click](javascript:alert(1))\n'
    repo.save_letter(cid, letter)
    html = (services.export_letter(repo, cid, "html", tmp_path / "l.html")).read_text()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img" not in html and "javascript:" not in html.split("</style>")[1]


def test_language_gate_refuses_until_acknowledged_and_keeps_the_acknowledgement(repo, tmp_path):
    cid = make_client(repo)
    letter = services.draft_letter(repo, cid)
    letter.body += "\nHer headaches are all in her mind.\n"
    repo.save_letter(cid, letter)
    with pytest.raises(services.LanguageGate) as e:
        services.export_letter(repo, cid, "md", tmp_path / "l.md")
    assert "all in her mind" in str(e.value)
    assert not (tmp_path / "l.md").exists()
    assert services.acknowledge_findings(repo, cid, letter.id, "quoting the GP's old letter") >= 1
    services.export_letter(repo, cid, "md", tmp_path / "l.md")
    kept = repo.get_letter(cid, letter.id).acknowledgements
    assert kept and kept[0].note == "quoting the GP's old letter"


def test_missing_merge_fields_are_listed(repo, tmp_path):
    cid = make_client(repo, nhs_number="", practice_address="")
    with pytest.raises(services.MissingMergeFields) as e:
        services.export_letter(repo, cid, "md", tmp_path / "l.md")
    assert "NHS number is missing" in str(e.value) and "practice address is missing" in str(e.value)


def test_sent_letter_is_frozen_and_changes_make_a_new_version(repo):
    cid = make_client(repo)
    letter = services.draft_letter(repo, cid)
    letter.status, letter.sent_date, letter.sent_to = "sent", dt.date(2026, 3, 10), "Dr Osric Vantablack"
    repo.save_letter(cid, letter)
    letter.body = "changed"
    with pytest.raises(RecordError):
        repo.save_letter(cid, letter)
    new = repo.new_letter_version(cid, letter.id)
    assert (new.version, new.parent_id, new.status) == (2, letter.id, "draft")
    assert repo.get_letter(cid, letter.id).body != "changed"


def test_exports_never_overwrite_unasked_and_are_audited(repo, tmp_path):
    cid = make_client(repo)
    out = tmp_path / "l.md"
    out.write_text("something the therapist wrote")
    with pytest.raises(ExportError):
        services.export_letter(repo, cid, "md", out)
    assert out.read_text() == "something the therapist wrote"
    services.export_letter(repo, cid, "md", out, force=True)
    services.export_record(repo, cid, "md", tmp_path / "r.md")
    exported = [e for e in repo.audit_trail(cid) if e.action == "exported"]
    assert [e.target.split(":")[0] for e in exported] == ["letter", "record"]
    assert str(out) in exported[0].detail and "md" in exported[0].detail


# -- supervision -----------------------------------------------------------------------------------

IDENTIFIER_STRINGS = [
    "Marigold",
    "Quenby",
    "Fable",
    "1971",
    "09/04",
    "9434765919",
    "943 476 5919",
    "Vantablack",
    "Osric",
    "Lindenfold",
    "Quillon",
    "Fenwick",
    "Imaginary Lane",
    "FV1 0ZZ",
    "07700",
    "marigold@example.org",
]


@pytest.mark.parametrize("fmt", ["md", "html", "pdf"])
def test_supervision_summary_is_pseudonymised_in_every_format(repo, tmp_path, fmt):
    cid = make_client(repo)
    t = text_of(services.export_supervision(repo, [cid], fmt, tmp_path / f"s.{fmt}"))
    for ident in IDENTIFIER_STRINGS:
        assert ident.lower() not in t.lower(), ident
    assert "Client M" in t and "[GP]" in t
    for section in (
        "Stage history",
        "Attendance and reasons",
        "Process flags",
        "My feelings",
        "Tacit dualism",
        "Formulation by layer",
        "GP liaison",
        "Risk",
        "Measures",
        "Questions for supervision",
    ):
        assert section in t, section
    assert "read this summary before you share it" in t.replace("\n", " ")


def test_supervision_refused_naming_the_field_when_an_identifier_survives(repo, tmp_path, monkeypatch):
    cid = make_client(repo)
    import sessionnotes.export.supervision as sup

    monkeypatch.setattr(sup, "scrub", lambda text, ids: text)  # a scrubbing bug must not leak
    with pytest.raises(IdentifierLeft) as e:
        services.export_supervision(repo, [cid], "md", tmp_path / "s.md")
    assert "name" in e.value.fields and "Marigold" not in str(e.value)
    assert not (tmp_path / "s.md").exists()


# -- record export ---------------------------------------------------------------------------------


def test_record_export_holds_everything_and_private_notes_only_on_request(repo, tmp_path):
    cid = make_client(repo)
    sid = repo.list_sessions(cid)[0].id
    repo.sign_session(cid, sid)
    repo.add_addendum(cid, sid, "ADDENDUM-MARK corrected the date of the scan")
    services.draft_letter(repo, cid)
    plain = text_of(services.export_record(repo, cid, "md", tmp_path / "r.md"))
    for needle in ("ADDENDUM-MARK", "Audit trail", "signed", "Assessment letter", "Marigold Quenby-Fable"):
        assert needle in plain, needle
    assert "PRIVMARK-NOTE" not in plain and PRIVATE_ITEM not in plain  # private material only on request
    full = text_of(services.export_record(repo, cid, "md", tmp_path / "r2.md", include_private=True))
    assert PRIVATE_NOTE in full and "private process notes" in full and PRIVATE_ITEM not in full
    both = text_of(
        services.export_record(repo, cid, "md", tmp_path / "r3.md", include_private=True, include_private_formulation=True)
    )
    assert PRIVATE_ITEM in both and "never shared with the patient" in both


def test_a_first_person_preferred_term_is_fitted_to_the_reader():
    from sessionnotes.export.letter import preferred_term

    assert preferred_term("my symptoms", "patient", "Sam") == "your symptoms"
    assert preferred_term("what I'm going through", "patient", "Sam") == "what you're going through"
    assert preferred_term("my symptoms", "gp", "Sam") == "what Sam calls \u201cmy symptoms\u201d"
    assert preferred_term("the headaches", "gp", "Sam") == "the headaches"
    assert preferred_term("the headaches", "patient", "Sam") == "the headaches"
    assert preferred_term("  ", "patient", "Sam") == "these symptoms"
    # "mine" inside another word is left alone
    assert preferred_term("the migraines", "patient", "Sam") == "the migraines"


def test_a_signature_is_asked_for_once_and_gaps_are_listed(repo):
    from sessionnotes.export.letter import TO_ADD, UNSIGNED, gaps

    cid = make_client(repo, explanatory_model="")
    unsigned = services.draft_letter(repo, cid)
    assert {g.field for g in gaps(unsigned.body)} == {"signature", "patient_view"}
    assert UNSIGNED in unsigned.body and TO_ADD in unsigned.body
    signed = services.draft_letter(repo, cid, signed_by="Dr A. Example, Counselling Psychologist")
    assert "Dr A. Example, Counselling Psychologist" in signed.body and UNSIGNED not in signed.body
    assert repo.settings()["therapist_name"] == "Dr A. Example, Counselling Psychologist"
    again = services.draft_letter(repo, cid)  # kept for the next letter
    assert "Dr A. Example, Counselling Psychologist" in again.body
    assert [g.field for g in gaps("Dear {{first_name}},")] == ["template"]


def test_flag_evidence_from_the_private_note_is_named_not_quoted_in_supervision(repo, tmp_path):
    cid = make_client(repo)
    for day in (16, 23):
        repo.add_session(
            cid,
            Session(
                date=dt.date(2026, 2, day),
                attendance=Attendance.ATTENDED,
                stage="meeting",
                feelings=[Feeling.BORED, Feeling.IRRITATED],
                private_note="I noticed I felt sleepy and wanted the hour to end.",
            ),
        )
    from sessionnotes.analysis.flags import detect

    rec = repo.record(cid)
    found = detect(rec.client, rec.sessions, formulation=rec.formulation)
    assert any(e.field == "private_note" for f in found for e in f.evidence), "the fixture must quote the private note"
    out = services.export_supervision(repo, [cid], "md", tmp_path / "sup.md")
    text = out.read_text(encoding="utf-8")
    assert "felt sleepy" not in text and "wanted the hour to end" not in text
    assert "private process note: (not quoted" in text
    assert "Difficult feelings in the therapist" in text  # the flag's title, not its code


def test_supervision_and_record_show_ruptures_repairs_positive_signs_and_strategies_in_words(repo, tmp_path):
    cid = make_client(repo)
    days = (16, 23, 2)
    extra = [
        dict(rupture=True, substrategies=["7.2"], note="Marigold cried when she spoke of her sister Petronel."),
        dict(repair=True, substrategies=["6.1", "7.3"], note="She linked the headaches to the worry about work."),
        dict(rupture=True, substrategies=["6.2"], note="Quiet session."),
    ]
    for n, (day, more) in enumerate(zip(days, extra, strict=True)):
        month = 2 if n < 2 else 3
        repo.add_session(
            cid, Session(date=dt.date(2026, month, day), attendance=Attendance.ATTENDED, stage="nudging-forward", **more)
        )
    repo.update_client(replace(repo.get_client(cid), keep_out=["Petronel"]))
    text = services.export_supervision(repo, [cid], "md", tmp_path / "sup.md").read_text(encoding="utf-8")
    flat = " ".join(text.split())
    assert "rupture in session 3 (2026-02-16), repaired in session 4 (2026-02-23)" in flat
    assert "rupture in session 5 (2026-03-02), no repair recorded since" in flat
    assert "Rupture not yet repaired" in flat  # the prompt, among the flags
    assert "Positive signs of engagement" in flat and "cried" in flat and "Petronel" not in text and "Marigold" not in text
    assert "7.2 Digging deeper" in flat and "7.3 Balancing and pacing" in flat
    assert "Collusion and confrontation" in flat and "1 validating only, 1 challenging only" in flat
    assert "sub-category 4.5" in flat and "Holism versus tacit dualism" in flat
    assert "How do I stay with the body talk without colluding?" in flat
    record = " ".join(text_of(services.export_record(repo, cid, "md", tmp_path / "r.md")).split())
    assert "Ruptures and repairs" in record and "repaired in session 4 (2026-02-23)" in record
    assert "6.1 Engaging with the patient's experience; 7.3 Balancing and pacing" in record
