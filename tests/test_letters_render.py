"""A letter looks like a letter: headings, practice block, date, NHS number, cc, page numbers and a
DRAFT mark until it is sent; rendered to a picture to look at."""

from __future__ import annotations

import datetime as dt
import html
import io

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


def _pixels(image):
    raw = image.tobytes()
    return zip(raw[0::3], raw[1::3], raw[2::3], strict=True)


def test_letter_renders_to_a_picture_with_a_visible_draft_mark(repo, tmp_path):
    """Rendered as a picture (pypdfium2, PDFium's renderer), the first page has text on it and the
    DRAFT watermark shows; once sent, the page carries no mark."""
    import pypdfium2 as pdfium

    cid, letter = _letter(repo)

    def picture(doc_letter):
        pdf = pdfium.PdfDocument(to_pdf(letter_doc(doc_letter, repo.get_client(cid), today=D)))
        image = pdf[0].render(scale=60 / 72).to_pil().convert("RGB")
        image.save(tmp_path / f"{doc_letter.status}.png")
        return image

    draft = picture(letter)
    assert (tmp_path / "draft.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    dark = sum(1 for p in _pixels(draft) if sum(p) < 200)
    assert dark > 2000, "the page should carry text"
    for step in ("shown", "agreed"):
        services.advance_letter(repo, cid, letter.id, step, D)
    sent = picture(services.advance_letter(repo, cid, letter.id, "sent", D, sent_to="Marigold"))

    def tinted(image):  # the DRAFT mark is drawn in colour; the letter itself is black on white
        return sum(1 for r, g, b in _pixels(image) if max(r, g, b) - min(r, g, b) > 40)

    assert tinted(draft) > 200 and tinted(sent) < tinted(draft) / 10
