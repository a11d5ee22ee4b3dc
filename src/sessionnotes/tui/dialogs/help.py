"""The help screen: every key, generated from the bindings themselves so it never goes stale.

The app says which screens to describe (it knows them all) and which keys work everywhere; this
module imports no screen.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from .base import default_css

INTRO = (
    "sessionnotes is used entirely from the keyboard. The bar at the bottom of every screen shows the keys "
    "that work there, most important first (a narrow window shows fewer: all are listed here); ctrl+p "
    "opens the command palette, where every action can be found by name. Tab moves "
    "between fields; Escape goes back. Locking (ctrl+l, or automatically when idle) saves what you are typing "
    "first and brings you back to it after you unlock."
)


def _lines(bindings: list[Binding], app) -> list[tuple[str, str]]:
    """(keys, what they do) for each binding with a description."""
    out = []
    seen = set()
    for b in bindings:
        if not isinstance(b, Binding) or not b.description or (b.key, b.action) in seen:
            continue
        seen.add((b.key, b.action))
        keys = b.key_display or ", ".join(app.get_key_display(Binding(k.strip(), b.action)) for k in b.key.split(","))
        out.append((keys, b.description + (f": {b.tooltip}" if b.tooltip and b.tooltip != b.description else "")))
    return out


def _table(rows: list[tuple[str, str]]) -> Table | str:
    """Keys in a column of their own, so a long explanation wraps under itself (80 columns), not under the keys."""
    if not rows:
        return "  (type and press Enter)"
    table = Table.grid(padding=(0, 1))
    table.add_column(width=1)
    table.add_column(width=18, no_wrap=True)
    table.add_column(ratio=1)
    for keys, what in rows:
        table.add_row("", keys, what)
    return table


def _bindings_of(cls: type) -> list[Binding]:
    """Our own bindings of a screen class; a subclass's binding for a key replaces its base's."""
    by_key: dict[str, Binding] = {}
    for klass in reversed(cls.__mro__):
        if not klass.__module__.startswith("sessionnotes"):
            continue
        for b in klass.__dict__.get("BINDINGS", []):
            if isinstance(b, Binding):
                by_key[b.key] = b
    return list(by_key.values())


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,q,question_mark,f1", "close", "Close help", id="help.close")]
    DEFAULT_CSS = default_css(__file__, "help.tcss")

    def __init__(self, current: Screen, screens: Sequence[tuple[str, type]], everywhere: Sequence[Binding]) -> None:
        """``screens``: (title, class) of each screen and tab to describe; ``everywhere``: the app's own keys."""
        super().__init__()
        self.current = current
        self.screens = list(screens)
        self.everywhere = list(everywhere)

    def compose(self) -> ComposeResult:
        app = self.app
        with Vertical():
            with VerticalScroll():
                yield Static(INTRO)
                screens = list(self.screens)
                screens.sort(key=lambda pair: type(self.current) is not pair[1])  # where you are, first
                for title, cls in screens:
                    here = " (you are here)" if type(self.current) is cls else ""
                    yield Static(title + here, classes="help-heading")
                    yield Static(_table(_lines(_bindings_of(cls), app)))
                yield Static("Everywhere", classes="help-heading")
                yield Static(
                    _table(
                        _lines(
                            self.everywhere
                            + [
                                Binding("ctrl+p", "command_palette", "Command palette", tooltip="Find any action by name"),
                                Binding("tab", "focus_next", "Next field"),
                                Binding("shift+tab", "focus_previous", "Previous field"),
                            ],
                            app,
                        )
                    )
                )
                yield Static("Search (/) and the caseload filter: one query syntax", classes="help-heading")
                yield Static(
                    "  words             match the start of words, any case (mum finds mums)\n"
                    '  "a phrase"        these words in this order\n'
                    "  stage:meeting     drawing-in, meeting or nudging-forward\n"
                    "  attendance:dna    attended, late, dna, cancelled-by-patient, cancelled-by-therapist\n"
                    "  flag:KIND         e.g. flag:repetitive-body-talk, flag:dna-pattern\n"
                    "  status:discharged open or discharged\n"
                    "  since:2026-03-01  until:2026-03-31  (dates of sessions; last session in the caseload)\n"
                    "  field:note        note, private, addendum, plan, formulation, letter; -field:private leaves one out"
                )
                yield Static("In the note", classes="help-heading")
                yield Static(
                    "  ctrl+z / ctrl+y     Undo / redo\n  ctrl+x, ctrl+c, ctrl+v  Cut, copy, paste\n"
                    "  Text wraps at the edge; the word count is shown under the private note."
                )
            yield Static(" Escape closes this help.", classes="hint-text")

    def action_close(self) -> None:
        self.dismiss(None)
