"""Turn an export (a list of blocks) into Markdown, HTML or PDF files.

Exports are built as `Doc` objects: headings, paragraphs of user text, key/value lines, lists and
tables. Each format renders them itself, so user-provided text is escaped for the format it goes
into: a note can never inject HTML or script into an HTML export, nor fetch a remote image.
PDF goes through fpdf2 (pure Python) with an embedded DejaVu font (A4, page numbers).
"""

from __future__ import annotations

import html
import os
import re
from dataclasses import dataclass, field
from importlib.resources import files
from pathlib import Path
from typing import Any

from ..vault.errors import VaultError
from ..vault.fsio import human_os_error

FORMATS = ("md", "html", "pdf")


@dataclass
class Block:
    kind: str  # "h1", "h2", "h3", "p", "text" (user markdown), "kv", "ul", "table", "note", "rule"
    text: str = ""
    items: list[Any] = field(default_factory=list)
    """List entries (text) or, for "kv", (label, value) pairs."""
    rows: list[Any] = field(default_factory=list)
    """Table rows (a sequence of cell texts each)."""


@dataclass
class Doc:
    title: str
    blocks: list[Block] = field(default_factory=list)
    header_lines: list[str] = field(default_factory=list)  # e.g. letter addresses and date (top right)
    footer: str = ""
    address_lines: list[str] = field(default_factory=list)
    """Who the document is addressed to (a letter's address block, top left)."""
    mark: str = ""
    """A visible mark on every page (e.g. DRAFT until a letter is sent); empty for none."""

    def h1(self, t: str) -> None:
        self.blocks.append(Block("h1", t))

    def h2(self, t: str) -> None:
        self.blocks.append(Block("h2", t))

    def h3(self, t: str) -> None:
        self.blocks.append(Block("h3", t))

    def p(self, t: str) -> None:
        """A paragraph written by the app (still escaped)."""
        if t.strip():
            self.blocks.append(Block("p", t))

    def text(self, t: str) -> None:
        """Free text written by the therapist (Markdown allowed, escaped for HTML)."""
        if t.strip():
            self.blocks.append(Block("text", t))

    def kv(self, pairs: list[tuple[str, str]]) -> None:
        pairs = [(k, v) for k, v in pairs if str(v).strip()]
        if pairs:
            self.blocks.append(Block("kv", items=pairs))

    def ul(self, items: list[str]) -> None:
        items = [i for i in items if str(i).strip()]
        if items:
            self.blocks.append(Block("ul", items=items))

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        if rows:
            self.blocks.append(Block("table", items=header, rows=rows))

    def note(self, t: str) -> None:
        self.blocks.append(Block("note", t))

    def all_text(self) -> str:
        """Every piece of text in the document (used by the identifier scan)."""
        parts = [self.title, self.footer, self.mark, *self.header_lines, *self.address_lines]
        for b in self.blocks:
            parts.append(b.text)
            for i in b.items:
                parts.extend(i if isinstance(i, tuple | list) else [i])
            for r in b.rows:
                parts.extend(r)
        return "\n".join(str(p) for p in parts)


# -- Markdown ------------------------------------------------------------------------------------


def _md_escape_cell(s: str) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def to_markdown(doc: Doc) -> str:
    out = [f"# {doc.title}", ""]
    if doc.mark:
        out += [f"> **{doc.mark}**", ""]
    if doc.address_lines:
        out += [line + "  " for line in doc.address_lines] + [""]
    if doc.header_lines:
        out += [line + "  " for line in doc.header_lines] + [""]
    for b in doc.blocks:
        if b.kind == "h1":
            out += [f"# {b.text}", ""]
        elif b.kind == "h2":
            out += [f"## {b.text}", ""]
        elif b.kind == "h3":
            out += [f"### {b.text}", ""]
        elif b.kind in ("p", "text"):
            out += [b.text.strip(), ""]
        elif b.kind == "note":
            out += ["> " + b.text.strip().replace("\n", "\n> "), ""]
        elif b.kind == "kv":
            out += [f"- **{k}:** {v}" for k, v in b.items] + [""]
        elif b.kind == "ul":
            out += [f"- {str(i).strip()}" for i in b.items] + [""]
        elif b.kind == "table":
            out += ["| " + " | ".join(_md_escape_cell(h) for h in b.items) + " |"]
            out += ["|" + "---|" * len(b.items)]
            out += ["| " + " | ".join(_md_escape_cell(c) for c in r) + " |" for r in b.rows] + [""]
    if doc.footer:
        out += ["---", "", doc.footer, ""]
    return "\n".join(out).rstrip() + "\n"


# -- HTML ----------------------------------------------------------------------------------------

_PRINT_CSS = """
@page { size: A4; margin: 20mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; font-size: 11pt; line-height: 1.45; color: #111;
       max-width: 46em; margin: 2em auto; }
h1 { font-size: 17pt; } h2 { font-size: 13.5pt; margin-top: 1.4em; } h3 { font-size: 12pt; }
table { border-collapse: collapse; width: 100%; font-size: 10pt; }
th, td { border: 1px solid #999; padding: 3px 6px; text-align: left; vertical-align: top; }
blockquote { border-left: 3px solid #999; margin-left: 0; padding-left: 1em; color: #333; }
.header { text-align: right; margin-bottom: 1em; }
.address { margin-bottom: 2em; }
.mark { border: 2px solid #a00; color: #a00; font-weight: bold; padding: 0.3em 0.6em; margin-bottom: 1em; }
.watermark { position: fixed; top: 40%; left: 0; right: 0; text-align: center; font-size: 90pt; font-weight: bold;
             color: rgba(170, 0, 0, 0.12); transform: rotate(-30deg); pointer-events: none; }
footer { margin-top: 3em; font-size: 9pt; color: #444; }
@media print { body { margin: 0; max-width: none; } }
"""

_SAFE_HREF = re.compile(r"""href="(?!https?://|mailto:)[^"]*\"""", re.IGNORECASE)


def _user_markdown_to_html(text: str) -> str:
    """Therapist's Markdown -> HTML with every raw tag escaped, no images, no script links."""
    import markdown

    rendered = markdown.markdown(html.escape(text, quote=False), extensions=["sane_lists"], output_format="html")
    rendered = re.sub(r"<img\b[^>]*>", "[image removed]", rendered, flags=re.IGNORECASE)
    return _SAFE_HREF.sub('href="#"', rendered)


def to_html(doc: Doc) -> str:
    e = html.escape
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en-GB"><head><meta charset="utf-8">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">",
        f"<title>{e(doc.title)}</title><style>{_PRINT_CSS}</style></head><body>",
    ]
    if doc.mark:
        parts.append(f'<div class="watermark" aria-hidden="true">{e(doc.mark.split()[0].rstrip(":;,."))}</div>')
        parts.append(f'<div class="mark" role="note">{e(doc.mark)}</div>')
    if doc.header_lines:
        parts.append('<div class="header">' + "<br>".join(e(line) for line in doc.header_lines) + "</div>")
    if doc.address_lines:
        parts.append('<div class="address">' + "<br>".join(e(line) for line in doc.address_lines) + "</div>")
    parts.append(f"<h1>{e(doc.title)}</h1>")
    for b in doc.blocks:
        if b.kind in ("h1", "h2", "h3"):
            parts.append(f"<{b.kind}>{e(b.text)}</{b.kind}>")
        elif b.kind == "p":
            parts.append("<p>" + e(b.text).replace("\n", "<br>") + "</p>")
        elif b.kind == "text":
            parts.append(_user_markdown_to_html(b.text))
        elif b.kind == "note":
            parts.append("<blockquote>" + e(b.text).replace("\n", "<br>") + "</blockquote>")
        elif b.kind == "kv":
            parts.append("<ul>" + "".join(f"<li><strong>{e(k)}:</strong> {e(str(v))}</li>" for k, v in b.items) + "</ul>")
        elif b.kind == "ul":
            parts.append("<ul>" + "".join(f"<li>{e(str(i))}</li>" for i in b.items) + "</ul>")
        elif b.kind == "table":
            head = "".join(f"<th>{e(str(h))}</th>" for h in b.items)
            body = "".join("<tr>" + "".join(f"<td>{e(str(c))}</td>" for c in r) + "</tr>" for r in b.rows)
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
    if doc.footer:
        parts.append(f"<footer>{e(doc.footer)}</footer>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


# -- PDF -----------------------------------------------------------------------------------------


def _font_dir() -> Path:
    return Path(str(files("sessionnotes.export") / "fonts"))


def to_pdf(doc: Doc) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    class _PDF(FPDF):
        def header(self) -> None:  # the mark (DRAFT) across every page, behind the text
            if not doc.mark:
                return
            word = doc.mark.split()[0].rstrip(":;,.")
            self.set_font("DejaVu", "B", 90)
            self.set_text_color(235, 200, 200)
            with self.rotation(35, x=self.w / 2, y=self.h / 2):
                self.text(self.w / 2 - self.get_string_width(word) / 2, self.h / 2 + 12, word)
            self.set_text_color(0, 0, 0)
            self.set_xy(self.l_margin, self.t_margin)

        def footer(self) -> None:  # page numbers on every page
            self.set_y(-15)
            self.set_font("DejaVu", size=8)
            self.cell(0, 10, f"{doc.title} - page {self.page_no()} of {{nb}}", align="C")

    pdf = _PDF(format="A4", unit="mm")
    pdf.set_title(doc.title)
    pdf.set_creator("sessionnotes")
    fonts = _font_dir()
    pdf.add_font("DejaVu", "", str(fonts / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(fonts / "DejaVuSans-Bold.ttf"))
    pdf.add_font("DejaVu", "I", str(fonts / "DejaVuSans-Oblique.ttf"))
    pdf.add_font("DejaVu", "BI", str(fonts / "DejaVuSans-BoldOblique.ttf"))
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(True, margin=20)
    pdf.alias_nb_pages()
    pdf.add_page()
    width = pdf.epw

    def para(text: str, size: float = 10.5, style: str = "", gap: float = 2.5) -> None:
        pdf.set_font("DejaVu", style, size)
        pdf.multi_cell(width, size * 0.5, text.strip(), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(gap)

    if doc.mark:
        pdf.set_font("DejaVu", "B", 10)
        pdf.set_text_color(170, 0, 0)
        pdf.set_draw_color(170, 0, 0)
        pdf.multi_cell(width, 6, doc.mark, border=1, align="C", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(0, 0, 0)
        pdf.set_draw_color(0, 0, 0)
        pdf.ln(4)
    if doc.header_lines:
        pdf.set_font("DejaVu", "", 10)
        for line in doc.header_lines:
            pdf.cell(width, 5, line, align="R", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(4)
    if doc.address_lines:
        pdf.set_font("DejaVu", "", 10.5)
        for line in doc.address_lines:
            pdf.cell(width, 5.5, line, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.ln(6)
    para(doc.title, 16, "B", 4)
    for b in doc.blocks:
        if b.kind == "h1":
            para(b.text, 15, "B", 3)
        elif b.kind == "h2":
            pdf.ln(2)
            para(b.text, 13, "B", 2)
        elif b.kind == "h3":
            para(b.text, 11.5, "B", 1.5)
        elif b.kind == "p":
            for chunk in re.split(r"\n\s*\n", b.text.strip()):
                para(_plain(chunk))
        elif b.kind == "text":  # the therapist's Markdown: its headings stay headings
            for chunk in re.split(r"\n\s*\n", b.text.strip()):
                heading = re.fullmatch(r"(#{1,6})\s+(.+)", chunk.strip())
                if heading:
                    pdf.ln(1.5)
                    para(_plain(heading.group(2)), 13 if len(heading.group(1)) <= 2 else 11.5, "B", 1.5)
                elif re.fullmatch(r"(\*\*|__)[^\n]+\1", chunk.strip()):
                    para(_plain(chunk), style="B")
                else:
                    para(_plain(chunk))
        elif b.kind == "note":
            para(b.text, 9.5, "I")
        elif b.kind == "kv":
            for k, v in b.items:
                pdf.set_font("DejaVu", "B", 10.5)
                pdf.write(5.5, f"{k}: ")
                pdf.set_font("DejaVu", "", 10.5)
                pdf.write(5.5, str(v))
                pdf.ln(6)
            pdf.ln(1.5)
        elif b.kind == "ul":
            for i in b.items:
                para("\u2022 " + str(i), gap=0.8)
            pdf.ln(1.5)
        elif b.kind == "table":
            pdf.set_font("DejaVu", "", 8.5)
            with pdf.table(text_align="LEFT", line_height=4.5) as table:
                head = table.row()
                for h in b.items:
                    head.cell(str(h))
                for r in b.rows:
                    row = table.row()
                    for c in r:
                        row.cell(str(c))
            pdf.ln(3)
    if doc.footer:
        pdf.ln(4)
        para(doc.footer, 8.5, "I")
    return bytes(pdf.output())


def _plain(md: str) -> str:
    """Light Markdown clean-up for PDF text (emphasis markers and heading hashes removed)."""
    text = re.sub(r"^#{1,6}\s*", "", md, flags=re.MULTILINE)
    text = re.sub(r"(\*\*|__)(.+?)\1", r"\2", text)
    text = re.sub(r"(?<!\w)[*_](.+?)[*_](?!\w)", r"\1", text)
    return re.sub(r"^\s*[-*+]\s+", "\u2022 ", text, flags=re.MULTILINE)


# -- writing -------------------------------------------------------------------------------------


class ExportError(VaultError):
    """An export the therapist asked for that cannot be written as asked (bad input: exit code 2)."""

    code = 2


def render(doc: Doc, fmt: str) -> bytes:
    if fmt == "md":
        return to_markdown(doc).encode("utf-8")
    if fmt == "html":
        return to_html(doc).encode("utf-8")
    if fmt == "pdf":
        return to_pdf(doc)
    raise ExportError(f"'{fmt}' is not an export format.", "Use md, html or pdf.")


def write_export(data: bytes, out: str | os.PathLike[str], *, force: bool = False) -> Path:
    """Write an (unencrypted) export with mode 0600; never overwrite unless `force`.

    Never inside a vault folder (plaintext beside the encrypted files, or replacing one of them),
    and written through a temporary file, so a failed write leaves no partial export behind."""
    from ..vault.errors import DurabilityUnknown, VaultError
    from ..vault.fsio import atomic_write, vault_folder_holding

    out = Path(out).expanduser()
    vault = vault_folder_holding(out.resolve())
    if vault is not None:
        raise ExportError(
            f"{out} is inside the vault folder {vault}; exports are not written there.",
            "Choose a place outside the vault folder, e.g. your Documents folder.",
        )
    if out.exists() and not force:
        raise ExportError(
            f"{out} already exists; it was not overwritten.", "Choose another file name, or add --force to replace it."
        )
    if not out.parent.exists():
        raise ExportError(f"The folder {out.parent} does not exist.", "Create it first or choose another place.")
    if out.exists() and not out.is_file():
        raise ExportError(f"{out} is not a file; nothing was written.", "Choose a file name.")
    try:
        atomic_write(out, data)  # 0600 from the start; nothing half-written is ever left at `out`
    except DurabilityUnknown:
        raise  # the export is in place; only its durability is in doubt, and the message says so
    except VaultError as e:
        cause = e.__cause__
        why = human_os_error(cause) if isinstance(cause, OSError) else str(e)
        raise ExportError(f"Could not write {out}: {why}. Nothing was written there.") from e
    return out
