"""The review step before a supervision summary is written: words left after scrubbing that may be names.

Scrubbing removes what the record declares and what has a known shape; an undeclared name (a
neighbour, a second GP) can only be caught by the therapist. This dialog lists each such word with
where it appears. Space (or k) marks a word to keep out of summaries: it is added to the client's
"keep out" list and the summary is scrubbed and reviewed again. Enter confirms the rest are not
names and lets the file be written; Escape writes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from ...export.review import ReviewItem
from .base import Dialog

LEAVE_ROWS = 14
"""Rows of the screen the list leaves for the frame, title, intro, keys and buttons."""


@dataclass(frozen=True)
class ReviewResult:
    """What the therapist decided: words to add to the keep-out list, and words confirmed as fine."""

    keep_out: tuple[str, ...]
    fine: tuple[str, ...]


def keep_out_name(word: str) -> str:
    """The name to add to the keep-out list for a listed word ("Ottoline's" -> "Ottoline")."""
    for suffix in ("'s", "\u2019s", "'", "\u2019"):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            return word[: -len(suffix)]
    return word


def near(context: str, word: str, width: int = 24) -> str:
    """The part of ``context`` around ``word``, so each listed word fits on two lines of a small screen."""
    at = context.find(word)
    if at < 0:
        return context[: 2 * width]
    return context[max(0, at - width) : at + len(word) + width].strip()


class ReviewList(OptionList):
    """The listed words. Space or k marks (or unmarks) the highlighted one; Enter confirms all."""

    BINDINGS = [
        Binding("space,k", "mark", "Keep out", show=False),
        Binding("enter", "confirm", "Confirm", show=False),
    ]

    def action_mark(self) -> None:
        screen = self.screen
        if isinstance(screen, ReviewDialog) and self.highlighted is not None:
            screen.toggle(self.highlighted)

    def action_confirm(self) -> None:
        screen = self.screen
        if isinstance(screen, ReviewDialog):
            screen.confirm()


class ReviewDialog(Dialog):
    """Each remaining name-like word with its context; dismisses with a :class:`ReviewResult`, or
    None when cancelled (then nothing is written)."""

    CSS_PATH = ["base.tcss", "review.tcss"]
    AUTO_FOCUS = "#review-list"

    def __init__(self, items: list[ReviewItem], who: str = "this client") -> None:
        super().__init__()
        self.items = items
        self.who = who
        self.marked: set[int] = set()

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        n = len(self.items)
        with Vertical(classes="dialog -wide", id="review-box"):
            yield Static("Check these words before the summary is written", classes="dialog-title")
            yield Static(
                f"{n} word{'s' if n != 1 else ''} left after scrubbing may be {'names' if n != 1 else 'a name'} "
                f"nobody declared. A word you mark is added to {self.who}'s keep-out list, and the summary is "
                "scrubbed again.",
                id="review-intro",
            )
            yield ReviewList(*[Option(self.prompt(i), id=f"w{i}") for i in range(n)], id="review-list")
            yield Static("", id="review-status", classes="hint-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="review-cancel", compact=True)
                yield Button("Confirm and write", id="review-go", variant="primary", compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#review-list", ReviewList).highlighted = 0 if self.items else None
        self.fit_list()
        self.show_status()

    def on_resize(self) -> None:
        self.fit_list()

    def fit_list(self) -> None:
        """The list may take what the title, intro, keys and buttons leave of the screen."""
        self.query_one("#review-list", ReviewList).styles.max_height = max(4, self.app.size.height - LEAVE_ROWS)

    def prompt(self, index: int) -> Content:
        item = self.items[index]
        times = f" ({item.count} times)" if item.count > 1 else ""
        if index in self.marked:
            mark = Content.styled("[k] keep out ", "bold $error")
        else:
            mark = Content.styled("[ ] fine     ", "$text-muted")
        context = Content.from_markup("    \u2026$context\u2026", context=near(item.context, item.word)).stylize("$text-muted")
        return Content.assemble(mark, Content.styled(item.word, "bold"), times, "\n", context)

    def toggle(self, index: int) -> None:
        if index in self.marked:
            self.marked.discard(index)
        else:
            self.marked.add(index)
        self.query_one("#review-list", ReviewList).replace_option_prompt_at_index(index, self.prompt(index))
        self.show_status()

    def show_status(self) -> None:
        marked = len(self.marked)
        go = self.query_one("#review-go", Button)
        if marked:
            go.label = f"Keep out {marked}, scrub again"
            text = (
                f"{marked} marked. Space or k: mark or unmark. Enter: add the marked words to the keep-out list "
                "and scrub again. Escape: cancel, nothing is written."
            )
        else:
            go.label = "Confirm and write"
            text = (
                "Space or k: mark the highlighted word to keep out. Enter: none of these is a name, write the "
                "file. Escape: cancel, nothing is written."
            )
        self.query_one("#review-status", Static).update(text)

    def result(self) -> ReviewResult:
        keep = [keep_out_name(self.items[i].word) for i in sorted(self.marked)]
        fine = [item.word for i, item in enumerate(self.items) if i not in self.marked]
        return ReviewResult(tuple(dict.fromkeys(keep)), tuple(fine))

    def confirm(self) -> None:
        self.dismiss(self.result())

    @on(Button.Pressed, "#review-go")
    def _go(self) -> None:
        self.confirm()

    @on(Button.Pressed, "#review-cancel")
    def _cancel(self) -> None:
        self.dismiss(None)
