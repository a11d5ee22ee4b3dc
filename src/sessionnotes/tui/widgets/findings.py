"""Live wording findings beside a text: the pieces shared by the letter and formulation editors.

* :class:`MarkedTextArea` underlines the spans of the current findings (by severity) and can put a
  finding's drop-in rewording in place of its words (one undo step);
* :class:`FindingsList` lists the findings (one option each) and keeps the same one chosen when the
  text is checked again;
* :func:`chosen_finding`, :func:`finding_detail`, :func:`finding_prompt` and
  :func:`apply_suggestion` are the behaviour both editors share: which finding a key acts on, how one
  is explained, and what "use the suggestion" does (and says) when there is no drop-in rewording or
  the text changed since it was checked.

The checking itself (``analysis.language.check``) stays in the core; the hosts decide the context
("letter", "shared", "private") and re-check a moment after typing stops (``CHECK_DELAY``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from rich.text import Text
from textual.app import App
from textual.document._document import Document
from textual.widgets import OptionList, TextArea
from textual.widgets.option_list import Option

from ...analysis.language import Finding, with_replacement

CHECK_DELAY = 0.35
"""Seconds after the last key press before the wording is checked again."""

Mark = tuple[int, int, str, str]
"""(start, end, style, matched) in character offsets of the text; style is a severity or "kept"."""


class MarkedTextArea(TextArea):
    """A TextArea that underlines the spans of the current wording findings."""

    COMPONENT_CLASSES = {"marked-text--high", "marked-text--medium", "marked-text--low", "marked-text--kept"}
    DEFAULT_CSS = """
    MarkedTextArea > .marked-text--high { color: $error; text-style: bold underline; }
    MarkedTextArea > .marked-text--medium { color: $warning; text-style: underline; }
    MarkedTextArea > .marked-text--low { text-style: underline; }
    MarkedTextArea > .marked-text--kept { color: $text-muted; text-style: underline; }
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.marks: list[Mark] = []

    def set_marks(self, marks: list[Mark]) -> None:
        self.marks = marks
        cache = getattr(self, "_line_cache", None)
        if cache is not None:
            cache.clear()
        self.refresh()

    def mark_findings(self, findings: Sequence[Finding], kept: Callable[[Finding], bool] | None = None) -> None:
        """Underline every finding's span by its severity (or as "kept" when ``kept(f)`` says so)."""
        self.set_marks([(f.start, f.end, "kept" if kept is not None and kept(f) else f.severity, f.matched) for f in findings])

    def drop_stale_marks(self) -> None:
        """After an edit, keep only the marks whose words are still where they were."""
        text = self.text
        kept = [m for m in self.marks if text[m[0] : m[1]] == m[3]]
        if len(kept) != len(self.marks):
            self.set_marks(kept)

    def get_line(self, line_index: int) -> Text:
        line = super().get_line(line_index)
        if not self.marks:
            return line
        start = self.text_document.get_index_from_location((line_index, 0))
        end = start + len(line.plain)
        for a, b, kind, _ in self.marks:
            if b <= start or a >= end:
                continue
            style = self.get_component_rich_style(f"marked-text--{kind}", partial=True)
            line.stylize(style, max(a, start) - start, min(b, end) - start)
        return line

    # -- positions -------------------------------------------------------------------------------

    @property
    def text_document(self) -> Document:
        """The text as a ``Document``, which can turn offsets into locations (a TextArea always holds
        one; its declared type is the base class, which cannot)."""
        doc = self.document
        assert isinstance(doc, Document)
        return doc

    def cursor_offset(self) -> int:
        return self.text_document.get_index_from_location(self.cursor_location)

    def line_of(self, f: Finding) -> int:
        """The (1-based) line the finding starts on."""
        return self.text_document.get_location_from_index(f.start)[0] + 1

    def select_span(self, f: Finding) -> None:
        from textual.widgets.text_area import Selection

        doc = self.text_document
        self.selection = Selection(doc.get_location_from_index(f.start), doc.get_location_from_index(f.end))
        self.scroll_cursor_visible()

    def put_replacement(self, f: Finding) -> None:
        """Replace the finding's words with its drop-in rewording (ctrl+z undoes); the cursor goes after it."""
        from textual.widgets.text_area import Selection

        doc = self.text_document
        result = self.replace(f.replacement, doc.get_location_from_index(f.start), doc.get_location_from_index(f.end))
        self.selection = Selection.cursor(result.end_location)  # typing next must not overwrite the new words


class FindingsList(OptionList):
    """One option per finding; the option ids are the findings' indexes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.findings: list[Finding] = []

    def show_findings(
        self, findings: Sequence[Finding], chosen: Finding | None, prompt: Callable[[Finding], Text]
    ) -> Finding | None:
        """List ``findings``, highlighting the one nearest ``chosen`` (same words); returns the highlighted one."""
        self.findings = list(findings)
        self.clear_options()
        if not self.findings:
            return None
        highlight = same_finding(self.findings, chosen)
        for i, f in enumerate(self.findings):
            self.add_option(Option(prompt(f), id=str(i)))
        self.highlighted = highlight
        return self.findings[highlight]

    def finding_of(self, option: Option) -> Finding | None:
        index = int(option.id or 0)
        return self.findings[index] if 0 <= index < len(self.findings) else None

    @property
    def highlighted_finding(self) -> Finding | None:
        index = self.highlighted
        if index is not None and 0 <= index < len(self.findings):
            return self.findings[index]
        return None

    def highlight_finding(self, f: Finding) -> None:
        index = self.findings.index(f)
        if self.highlighted != index:
            self.highlighted = index


def same_finding(findings: Sequence[Finding], chosen: Finding | None) -> int:
    """The index of the finding with the same words and category as ``chosen``, nearest to it; else 0."""
    if chosen is None:
        return 0
    same = [i for i, f in enumerate(findings) if (f.matched, f.category) == (chosen.matched, chosen.category)]
    if not same:
        return 0
    return min(same, key=lambda i: abs(findings[i].start - chosen.start))


def chosen_finding(body: MarkedTextArea, options: FindingsList) -> Finding | None:
    """The finding at the cursor when the text has the focus, else the one highlighted in the list."""
    if not options.findings:
        return None
    if body.has_focus:
        at = body.cursor_offset()
        for f in options.findings:
            if f.start <= at <= f.end:
                return f
    return options.highlighted_finding


def follow_cursor(body: MarkedTextArea, options: FindingsList) -> None:
    """While writing, highlight in the list the finding the cursor is on."""
    if not body.has_focus or not options.findings:
        return
    f = chosen_finding(body, options)
    if f is not None:
        options.highlight_finding(f)


def severity_colour(app: App, severity: str) -> str:
    """The theme's colour for a severity, as "#rrggbb" ("" when the theme has none)."""
    name = {"high": "error", "medium": "warning"}.get(severity, "text-muted")
    value = app.theme_variables.get(name, "")
    return value if value.startswith("#") else ""


def finding_prompt(
    app: App, f: Finding, *, line: int | None = None, kept: bool = False, compact: bool = False, category: str = ""
) -> Text:
    """A finding as a list entry: (line), severity, category, then the matched words.

    ``compact`` puts the words on the same line (for small panels); ``category`` overrides the
    category's wording (e.g. to say a private note's finding is a self-check)."""
    prompt = Text()
    if line is not None:
        prompt.append(f"Line {line}  ", style="dim")
    prompt.append(f.severity, style=f"bold {severity_colour(app, f.severity)}".strip())
    prompt.append(f"  {category or f.category}")
    if kept:
        prompt.append("  kept", style="dim")
    if f.quoted:
        prompt.append("  quoted", style="dim")
    prompt.append("  " if compact else "\n  ")
    prompt.append(f"\u201c{f.matched}\u201d")
    return prompt


def finding_detail(f: Finding, apply_key: str = "f5", *, compact: bool = False) -> Text:
    """Why the wording may harm, a tentative alternative, and what the apply key would put in.

    ``compact`` (for small panels) starts with what the apply key puts in, then the alternative and
    why, and leaves out the line saying there is no drop-in rewording."""
    out = Text()
    if compact:
        if f.replacement:
            out.append(f"{apply_key} puts in \u201c{f.replacement}\u201d.\n", style="bold")
        out.append("Instead: ", style="bold")
        out.append(f.suggestion + "\n")
        out.append("Why: ", style="bold")
        out.append(f.why, style="dim")
    else:
        out.append("Why: ", style="bold")
        out.append(f.why + "\n")
        out.append("Instead: ", style="bold")
        out.append(f.suggestion + "\n")
        if f.replacement:
            out.append(f"{apply_key} puts in \u201c{f.replacement}\u201d.", style="bold")
            if f.alternatives:
                out.append("\nOr: " + " / ".join(f"\u201c{a}\u201d" for a in f.alternatives), style="dim")
        else:
            out.append("No drop-in rewording: rewrite the sentence in your own words.", style="dim")
    if f.quoted:
        out.append(
            "\nThese look like someone else's words (quoted or reported), so this is reported at a lower severity.", style="dim"
        )
    return out


def apply_suggestion(body: MarkedTextArea, f: Finding | None) -> tuple[str, str]:
    """Put in the finding's drop-in rewording. Returns (outcome, what to tell the user).

    The outcome is "applied"; "none" (no finding chosen; no message); "no-rewording" (the message
    gives the suggestion instead); or "stale" (the text changed since it was checked: check again,
    then try once more). Only "applied" changes the text.
    """
    if f is None:
        return "none", ""
    if not f.replacement:
        return "no-rewording", f"There is no drop-in rewording for \u201c{f.matched}\u201d. {f.suggestion}"
    if with_replacement(body.text, f) == body.text:
        return "stale", "The text changed since it was checked; the findings are up to date again. Try once more."
    body.put_replacement(f)
    return "applied", f"\u201c{f.matched}\u201d is now \u201c{f.replacement}\u201d. ctrl+z undoes it."
