"""A letter looks like a letter: headings, practice block, date, NHS number, cc, page numbers and a
DRAFT mark until it is sent; rendered to a picture to look at."""

from __future__ import annotations

import datetime as dt
import html
import io
import shutil
import subprocess

import pytest
from test_exports import make_client

from sessionnotes import services
from sessionnotes.export.letter import letter_doc
from sessionnotes.export.render import to_html, to_pdf
from sessionnotes.vault.repository import Repository


class Clock:
    def __call__(self) -> dt.datetime:
        return dt.datetime(2026, 3, 10, 12, tzinfo=dt.UTC)


@pytest.fixture
def repo(vault):
    return Repository(vault, clock=Clock())


D = dt.date(2026, 3, 11)


def _letter(repo):
    cid = make_client(repo)
    letter = services.draft_letter(repo, cid, signed_by="Dr A. Example, Clinical Psychologist")
    return cid, letter


def _pdf_text(data: bytes) -> list[str]:
    from pypdf import PdfReader

    return [p.extract_text() for p in PdfReader(io.BytesIO(data)).pages]


def test_draft_pdf_has_the_letter_parts_and_a_draft_mark_on_every_page(repo):
    cid, letter = _letter(repo)
    pages = _pdf_text(to_pdf(letter_doc(letter, repo.get_client(cid), today=D)))
    text = "\n".join(pages)
    for needle in ("Lindenfold Surgery", "14 Quillon Row", "11 March 2026", "NHS number: 943 476 5919", "cc: Dr Osric"):
        assert needle in text, needle
    assert all("DRAFT" in p for p in pages) and all(f"of {len(pages)}" in p for p in pages)


def test_sent_letter_has_no_draft_mark_and_html_has_real_headings(repo):
    cid, letter = _letter(repo)
    for step in ("shown", "agreed"):
        services.advance_letter(repo, cid, letter.id, step, D)
    sent = services.advance_letter(repo, cid, letter.id, "sent", D, sent_to="Marigold; copy to the GP")
    doc = letter_doc(sent, repo.get_client(cid), today=D)
    assert "DRAFT" not in "\n".join(_pdf_text(to_pdf(doc)))
    page = html.unescape(to_html(doc))
    assert "<h2>Why we met</h2>" in page and "DRAFT" not in page
    draft = html.unescape(to_html(letter_doc(letter, repo.get_client(cid), today=D)))
    assert 'class="mark"' in draft and "DRAFT" in draft


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_letter_renders_to_a_picture(repo, tmp_path):
    cid, letter = _letter(repo)
    pdf = tmp_path / "letter.pdf"
    pdf.write_bytes(to_pdf(letter_doc(letter, repo.get_client(cid), today=D)))
    subprocess.run(["pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")], check=True)
    png = next(tmp_path.glob("page*.png"))
    data = png.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000
