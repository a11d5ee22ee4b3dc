"""The key bar at the bottom of every screen: the most important keys first, the rest dropped when
the terminal is too narrow to show them all (f1 Help, which is always kept, lists every key).

Textual's own footer shows the keys in the order the focused widget, the screen and the app declare
them and cuts off the end of the line: at 80 columns the caseload lost "f1 Help" and "/ Search". Here
each key has a rank (``RANK``, by binding id; otherwise by where it is declared), the keys are shown
in rank order until the line is full; the less important rest is left out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.binding import Binding
from textual.events import Resize
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

if TYPE_CHECKING:
    from textual.screen import Screen

PRIMARY = 0
"""The one or two things a therapist opens the screen to do."""
ESSENTIAL = 10
"""Getting about and getting help: back, help, tabs, search, lock."""
CONTEXT = 15
"""The other keys of the focused part of the screen (a tab's own keys): before search."""
SCREEN = 40
"""The other keys of the screen."""
APP = 50
"""Other keys that work everywhere."""
RARE = 80
"""Keys used rarely or with care: they are the first to go (all are in f1 Help)."""
DISABLED = 100
"""Keys that do nothing here just now (shown dimmed when there is room)."""

RANK: dict[str, int] = {
    # primary actions
    "caseload.new": PRIMARY,
    "client.new_session": PRIMARY,
    "client.save": PRIMARY + 1,
    "editor.sign": PRIMARY,
    "editor.save": PRIMARY + 1,
    "editor.private": PRIMARY + 2,
    "editor.details": PRIMARY + 3,
    "letter.save": PRIMARY,
    "letter.export": PRIMARY + 1,
    "letter.shown": PRIMARY + 2,
    "letter.agreed": PRIMARY + 2,
    "letter.sent": PRIMARY + 2,
    "letter.new_version": PRIMARY + 2,
    "letter.preview": PRIMARY + 3,
    "unlock.reveal": PRIMARY,
    "letters.new": PRIMARY + 2,
    "measures.new": PRIMARY + 2,
    "measures.risk": PRIMARY + 2,
    "formulation.add": PRIMARY + 2,
    "formulation.leave_as_of": PRIMARY + 2,
    "flags.dismiss": PRIMARY + 2,
    "stages.gp_contact": PRIMARY + 2,
    # getting about
    "app.help": ESSENTIAL,
    "back": ESSENTIAL + 1,
    "client.back": ESSENTIAL + 1,
    "editor.back": ESSENTIAL + 1,
    "letter.back": ESSENTIAL + 1,
    "search.back": ESSENTIAL + 1,
    "app.lock": ESSENTIAL + 2,
    "client.tab1": ESSENTIAL + 3,
    "editor.note": ESSENTIAL + 3,
    "app.search": ESSENTIAL + 10,
    # rarely, or with care
    "caseload.sort": RARE,
    "caseload.discharged": RARE,
    "client.discharge": RARE + 1,
    "client.erase": RARE + 2,
    "app.quit": RARE - 1,
}

# The compact look (less space around each key) is used below this width.
COMPACT_BELOW = 100


def key_width(key_display: str, description: str, compact: bool) -> int:
    """Cells one key takes in the bar (see the CSS of Textual's FooterKey)."""
    if compact:  # "^n New client" + margin
        return len(key_display) + 1 + len(description) + 1
    return 1 + len(key_display) + 1 + len(description) + 1  # " ^n New client "


class KeyFooter(Footer):
    """A Footer that orders keys by importance and leaves out what does not fit."""

    def __init__(self) -> None:
        super().__init__()
        self._shown: tuple[bool, list[tuple[str, str, str, str, bool, str, bool]]] | None = None

    def _rank(self, node: object, binding: Binding, enabled: bool) -> int:
        if not enabled:
            return DISABLED
        if binding.id and binding.id in RANK:
            return RANK[binding.id]
        if node is self.app:
            return APP
        if node is self.screen:
            return SCREEN
        return CONTEXT

    def plan(self) -> tuple[bool, list[tuple[str, str, str, str, bool, str, bool]]]:
        """What the footer shows at the terminal's width: compact or not, and each key as (key, key
        shown, description, action, enabled, tooltip, is the palette key), most important first."""
        width = self.app.size.width
        compact = width < COMPACT_BELOW
        active = self.screen.active_bindings
        palette = None
        if self.show_command_palette and self.app.ENABLE_COMMAND_PALETTE:
            palette = active.get(self.app.COMMAND_PALETTE_BINDING)
        budget = width
        if palette is not None:
            shown = self.app.get_key_display(palette[1])
            budget -= key_width(shown, palette[1].description, compact) + (0 if compact else 1) + 1
        seen: set[str] = set()
        ranked = []
        for node, binding, enabled, tooltip in active.values():
            if not binding.show or binding.action in seen:
                continue
            seen.add(binding.action)
            ranked.append((self._rank(node, binding, enabled), binding, enabled, tooltip))
        ranked.sort(key=lambda row: row[0])
        keys = []
        for _, binding, enabled, tooltip in ranked:
            shown = self.app.get_key_display(binding)
            need = key_width(shown, binding.description, compact)
            if need > budget:
                break  # the rest is less important: f1 Help lists it
            budget -= need
            keys.append((binding.key, shown, binding.description, binding.action, enabled, tooltip, False))
        if palette is not None:
            _node, binding, enabled, _tooltip = palette
            shown = self.app.get_key_display(binding)
            tooltip = binding.tooltip or binding.description
            keys.append((binding.key, shown, binding.description, binding.action, enabled, tooltip, True))
        return compact, keys

    def compose(self) -> ComposeResult:
        if not self._bindings_ready:
            return
        compact, keys = self._shown = self.plan()
        self.set_reactive(Footer.compact, compact)
        self.set_class(compact, "-compact")
        for key, shown, description, action, enabled, tooltip, is_palette in keys:
            if is_palette:
                yield FooterKey(
                    key, shown, description, action, classes="-command-palette", disabled=not enabled, tooltip=tooltip
                )
            else:
                yield FooterKey(key, shown, description, action, disabled=not enabled, tooltip=tooltip).data_bind(
                    compact=Footer.compact
                )

    def bindings_changed(self, screen: Screen) -> None:
        """Textual rebuilds the footer whenever the bindings may have changed (every focus change);
        this one is rebuilt only when what it shows changes: rebuilding it took about a fifth of the
        work right after unlock, when the first keys are typed."""
        self._bindings_ready = True
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        if self.is_attached and self.plan() != self._shown:
            await self.recompose()

    def on_resize(self, event: Resize) -> None:
        if self._bindings_ready:  # a new width may fit more or fewer keys
            self.call_after_refresh(self._recompose_if_changed)
