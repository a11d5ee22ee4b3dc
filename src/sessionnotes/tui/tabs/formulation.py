"""The Formulation tab: a layered, versioned formulation beside the patient's own account.

* The patient's own account (client.explanatory_model) sits in its own, visibly different panel
  above the therapist's formulation, never merged into it (``p`` edits it).
* The client-level state "the patient has agreed emotional factors may be relevant" (not yet /
  partly / yes) is shown and cycled with ``f``; it gates sharing of layer 4-5 items.
* Items are grouped by layer L0-L5, or (``v``) by the 5 Ps or the thought-emotion-body-behaviour
  cycle. ``a`` adds, Enter or ``e`` changes an item (a new version: nothing is overwritten), ``h``
  shows its history, ``d`` shows the formulation as it stood on a date and what had been shared.
* Advisory warnings are worked out by ``services`` when a version is saved and kept with it; they
  are shown under the item and in a notification, and never block saving.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from rich.console import Group
from rich.padding import Padding
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...analysis.timeline import current_stage
from ...domain.formulation import (
    CYCLE,
    FIVE_P,
    LAYERS,
    FormulationItem,
    ItemVersion,
    formulation_as_of,
)
from ...domain.models import AGREEMENT_STATES, Session
from ...services import add_formulation_item, change_formulation_item, new_version
from ...vault import VaultError
from ..dialogs.formulation import (
    CHANNEL_LABELS,
    CONFIDENCE_LABELS,
    CYCLE_LABELS,
    FIVE_P_LABELS,
    LENS_LABELS,
    RESPONSE_LABELS,
    STATUS_LABELS,
    AccountDialog,
    AsOfDialog,
    FormulationItemDialog,
    HistoryDialog,
    ItemFields,
    changes_between,
    session_label,
)
from ..labels import STAGE_NAMES
from .base import ClientTab
from .stages import theme_colour

AGREEMENT_LABELS = {"not-yet": "not yet", "partly": "partly", "yes": "yes"}
VIEWS = ("layer", "five-p", "cycle")
VIEW_NAMES = {
    "layer": "by layer (L0 to L5)",
    "five-p": "by the 5 Ps",
    "cycle": "by the vicious cycle",
}
# The default sharing of each layer, shown beside its heading (the layers are distilled from Balabanovic 2017,
# sub-categories 6.6 and 7.2).
LAYER_SHARING_SHORT = {
    "L0": "share from the first contact",
    "L1": "safe territory",
    "L2": "when the alliance forms; tentatively",
    "L3": "as collaborative, qualified observations",
    "L4": "later, and only as hypotheses",
    "L5": "usually kept private",
}
FIVE_P_HELP = {
    "predisposing": "what made this person vulnerable",
    "precipitating": "what set things off",
    "perpetuating": "what keeps things going",
    "protective": "strengths and what helps",
}

Pair = tuple[FormulationItem, ItemVersion]


class FormulationTab(ClientTab):
    """The formulation workspace of one client."""

    DEFAULT_CSS = """
    FormulationTab { padding: 0 1; }
    FormulationTab #formulation-state { height: auto; margin-top: 1; }
    FormulationTab #patient-account {
        height: auto; max-height: 8; margin-top: 1; padding: 0 1;
        border: double $secondary; border-title-color: $secondary; border-title-style: bold;
        background: $secondary 8%; text-style: italic;
    }
    FormulationTab #formulation-view { height: auto; margin-top: 1; color: $text-muted; }
    FormulationTab #formulation-view.-as-of { color: $warning; text-style: bold; }
    FormulationTab #formulation-items {
        height: 1fr; border: round $primary; border-title-color: $primary; border-title-style: bold;
    }
    FormulationTab #formulation-items.-as-of { border: round $warning; border-title-color: $warning; }
    FormulationTab #formulation-items > .option-list--option-disabled { color: $text; }
    """

    BINDINGS = [
        Binding(
            "a",
            "add_item",
            "Add item",
            id="formulation.add",
            tooltip="Add a formulation item: text, layer, lens, confidence, sharing and response",
        ),
        Binding(
            "e",
            "edit_item",
            "Change",
            id="formulation.edit",
            tooltip="Change the highlighted item (kept as a new version; Enter does the same)",
        ),
        Binding(
            "h",
            "history",
            "History",
            id="formulation.history",
            tooltip="Every version of the highlighted item, with dates, status, response and warnings",
        ),
        Binding(
            "d",
            "as_of",
            "As of date",
            id="formulation.as_of",
            tooltip="The formulation as it stood on a date, marking what had been shared by then",
        ),
        Binding(
            "v",
            "next_view",
            "Grouping",
            id="formulation.view",
            tooltip="Group the items by layer, by the 5 Ps, or by the thought-emotion-body-behaviour cycle",
        ),
        Binding(
            "p",
            "edit_account",
            "Patient's account",
            id="formulation.account",
            tooltip="Edit the patient's own account of their symptoms",
        ),
        Binding(
            "f",
            "cycle_agreement",
            "Agreement",
            id="formulation.agreement",
            tooltip="Has the patient agreed emotional factors may be relevant? not yet, partly, yes",
        ),
        Binding("escape", "leave_as_of", "Back to today", id="formulation.leave_as_of", tooltip="Leave the as-of-date view"),
    ]

    def __init__(self, client_id: str, **kwargs) -> None:
        super().__init__(client_id, **kwargs)
        self.items: list[FormulationItem] = []
        self.sessions: list[Session] = []
        self.agreement = "not-yet"
        self.account = ""
        self.preferred_term = ""
        self.stage = ""
        self.view = "layer"
        self.as_of: dt.date | None = None

    # -- layout ----------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("", id="formulation-state")
        yield Static("", id="patient-account")
        yield Static("", id="formulation-view")
        yield OptionList(id="formulation-items")

    def on_mount(self) -> None:
        self.query_one("#patient-account", Static).border_title = "The patient's own account, in their words"
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self.show_items() if self.is_mounted else None)
        self.call_after_refresh(self.reload)

    # -- loading ---------------------------------------------------------------------------------

    def reload(self) -> None:
        if not self.is_mounted or not self.unlocked:
            return
        try:
            client = self.repo.get_client(self.client_id)
            self.items = self.repo.list_formulation(self.client_id)
            self.sessions = self.repo.list_sessions(self.client_id)
        except VaultError as e:
            self._error(e, "The formulation could not be read")
            return
        self.agreement = client.emotional_agreement
        self.account = client.explanatory_model
        self.preferred_term = client.preferred_term
        self.stage = current_stage(self.sessions)
        self.show_state()
        self.show_account()
        self.show_items()
        self.refresh_bindings()

    def _error(self, error: Exception, title: str) -> None:
        self.ctx.show_error(error, title)

    def _today(self) -> dt.date:
        return self.ctx.today()

    # -- display ---------------------------------------------------------------------------------

    def show_state(self) -> None:
        stage = STAGE_NAMES.get(self.stage, "no sessions yet")
        agreed = AGREEMENT_LABELS.get(self.agreement, self.agreement)
        style = "bold $success" if self.agreement == "yes" else "bold"
        self.query_one("#formulation-state", Static).update(
            Content.assemble(
                "Has the patient agreed emotional factors may be relevant? ",
                (agreed, style),
                ("  (f changes it)", "dim"),
                "\nStage now: ",
                (stage, "bold"),
            )
        )

    def show_account(self) -> None:
        box = self.query_one("#patient-account", Static)
        if self.account.strip():
            box.update(Content(self.account))
        else:
            box.update(
                Content.styled(
                    "Not written yet. Press p to write what the patient thinks is happening and why, in their own words.", "dim"
                )
            )

    def pairs(self) -> list[Pair]:
        if self.as_of is not None:
            return formulation_as_of(self.items, self.as_of)
        return [(i, i.current) for i in self.items]

    def show_items(self) -> None:
        items = self.query_one("#formulation-items", OptionList)
        view_line = self.query_one("#formulation-view", Static)
        keep = items.highlighted_option.id if items.highlighted_option is not None else None
        pairs = self.pairs()
        if self.as_of is not None:
            shared = sum(1 for _, v in pairs if self._shared_by(v, self.as_of))
            view_line.update(
                f"As it stood on {self.as_of.isoformat()}: {len(pairs)} item{'s' if len(pairs) != 1 else ''}, "
                f"{shared} shared by then. Read only; Escape returns to today."
            )
            items.border_title = f"The formulation on {self.as_of.isoformat()}"
        else:
            view_line.update(f"Grouped {VIEW_NAMES[self.view]}. v changes the grouping; d shows an earlier date.")
            items.border_title = "Your working formulation (the therapist's view)"
        view_line.set_class(self.as_of is not None, "-as-of")
        items.set_class(self.as_of is not None, "-as-of")

        options: list[Option | None] = []
        if not pairs:
            message = (
                "Nothing had been written by then."
                if self.as_of is not None
                else "No items yet. Press a to add one. Start where it is safe: validation (L0) and "
                "impact and coping (L1); hold deeper ideas as hypotheses."
            )
            options.append(Option(Content.styled(message, "dim"), disabled=True))
        else:
            for title, group in self.groups(pairs):
                options.append(Option(title, disabled=True))
                for item, version in group:
                    options.append(Option(self.describe(item, version), id=item.id))
        items.set_options(options)
        ids = [o.id for o in items.options if o.id]
        if keep in ids:
            items.highlighted = next(i for i, o in enumerate(items.options) if o.id == keep)
        elif ids:
            items.highlighted = next(i for i, o in enumerate(items.options) if o.id)

    def groups(self, pairs: list[Pair]) -> list[tuple[Content, list[Pair]]]:
        out: list[tuple[Content, list[Pair]]] = []
        if self.view == "layer":
            for code, (name, _what) in LAYERS.items():
                group = [p for p in pairs if p[1].layer == code]
                title = Content.assemble((f"{code} {name}", "bold $primary"), (f"  {LAYER_SHARING_SHORT[code]}", "dim"))
                if not group:
                    title = Content.assemble(title, ("  · nothing yet", "dim italic"))
                out.append((title, group))
            return out
        field, codes, labels = ("five_p", FIVE_P, FIVE_P_LABELS) if self.view == "five-p" else ("cycle", CYCLE, CYCLE_LABELS)
        for code in codes:
            group = [p for p in pairs if getattr(p[1], field) == code]
            hint = FIVE_P_HELP.get(code, "") if self.view == "five-p" else ""
            title = Content.assemble((labels[code], "bold $primary"), (f"  {hint}" if hint else "", "dim"))
            if self.view == "cycle" and code == "thought":
                title = Content.assemble(title, ("  thought → emotion → body → behaviour → thought", "dim"))
            if not group:
                title = Content.assemble(title, ("  · nothing yet", "dim italic"))
            out.append((title, group))
        rest = [p for p in pairs if not getattr(p[1], field)]
        if rest:
            out.append(
                (Content.assemble(("Not placed yet", "bold $text-muted"), ("  press e on an item to place it", "dim")), rest)
            )
        return out

    @staticmethod
    def _shared_by(v: ItemVersion, day: dt.date) -> bool:
        return v.is_shared and v.date_shared is not None and v.date_shared <= day

    def describe(self, item: FormulationItem, v: ItemVersion) -> Table:
        """The item's wording, a line of facts, and its warnings; wrapped lines keep their indent."""
        success = theme_colour(self.app, ("success",)).hex
        warning = theme_colour(self.app, ("warning",)).hex
        facts: list[str] = []
        if self.view != "layer":
            facts.append(f"{v.layer} {LAYERS[v.layer][0]}")
        if v.lens:
            facts.append(f"{LENS_LABELS.get(v.lens, v.lens).lower()} lens")
        facts.append(CONFIDENCE_LABELS.get(v.confidence, v.confidence).lower())
        if self.as_of is not None:
            if self._shared_by(v, self.as_of):
                share = (
                    f"✓ shared by then ({v.date_shared.isoformat() if v.date_shared else 'date not recorded'}"
                    + (f", {CHANNEL_LABELS.get(v.channel, v.channel).lower()}" if v.channel else "")
                    + ")"
                )
                share_style = f"bold {success}"
            else:
                share, share_style = "not shared by then", "dim"
        elif v.is_shared:
            share = STATUS_LABELS[v.status].lower()
            if v.date_shared:
                share += f" {v.date_shared.isoformat()}"
            if v.channel:
                share += f", {CHANNEL_LABELS.get(v.channel, v.channel).lower()}"
            share_style = f"bold {success}"
        else:
            share, share_style = "private", "dim"
        response = RESPONSE_LABELS.get(v.response, v.response).lower()
        response_style = f"bold {warning}" if v.response == "disputed" else "dim"
        body = Text(v.text)
        body.append("\n")
        body.append(" · ".join(facts) + " · ", style="dim")
        body.append(share, style=share_style)
        body.append(" · response: ", style="dim")
        body.append(response, style=response_style)
        if len(item.versions) > 1 and self.as_of is None:
            body.append(f" · {len(item.versions)} versions (h)", style="dim")
        parts: list = [body]
        for w in v.warnings:
            parts.append(Padding(Text("⚠ " + w, style=warning), (0, 0, 0, 2)))
        grid = Table.grid()
        grid.add_column(width=3)
        grid.add_column(ratio=1)
        grid.add_row(" •", Group(*parts))
        return grid

    # -- the highlighted item --------------------------------------------------------------------

    def highlighted_item(self) -> FormulationItem | None:
        option = self.query_one("#formulation-items", OptionList).highlighted_option
        if option is None or not option.id:
            return None
        return next((i for i in self.items if i.id == option.id), None)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "leave_as_of":
            return self.as_of is not None
        if action in ("add_item", "edit_account", "cycle_agreement", "next_view"):
            return True if self.as_of is None else None
        if action in ("edit_item",):
            return True if self.as_of is None and self.items else None
        if action == "history":
            return True if self.items else None
        return True

    @on(OptionList.OptionHighlighted, "#formulation-items")
    def _moved(self) -> None:
        self.refresh_bindings()

    @on(OptionList.OptionSelected, "#formulation-items")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.as_of is None:
            self.action_edit_item()
        else:
            self.action_history()

    # -- actions ---------------------------------------------------------------------------------

    def _sessions_by_id(self) -> dict[str, str]:
        return {s.id: session_label(s) for s in self.sessions}

    def action_add_item(self) -> None:
        def save(fields: ItemFields | None) -> None:
            if fields is None or not self._usable():
                return
            try:
                version = new_version(self.repo, fields.pop("text"), fields.pop("layer"), **fields)
                item = add_formulation_item(self.repo, self.client_id, version)
            except (VaultError, ValueError) as e:
                self._error(e, "The item was not saved")
                return
            self._after_save(item, "Item added.")

        self.app.push_screen(FormulationItemDialog(self._today(), self.sessions, preferred_term=self.preferred_term), save)

    def action_edit_item(self) -> None:
        item = self.highlighted_item()
        if item is None:
            self.notify("Move to an item first (up and down arrows).", timeout=4)
            return

        def save(fields: ItemFields | None) -> None:
            if fields is None or not self._usable():
                return
            changes = changes_between(item.current, fields)
            if not changes:
                self.notify("Nothing was changed, so no new version was made.", timeout=4)
                return
            try:
                updated = change_formulation_item(self.repo, self.client_id, item.id, **changes)
            except (VaultError, ValueError) as e:
                self._error(e, "The change was not saved")
                return
            self._after_save(updated, "Change saved as a new version.")

        self.app.push_screen(
            FormulationItemDialog(self._today(), self.sessions, item.current, preferred_term=self.preferred_term), save
        )

    def _usable(self) -> bool:
        return self.is_mounted and self.unlocked

    def _after_save(self, item: FormulationItem, message: str) -> None:
        self.reload()
        options = self.query_one("#formulation-items", OptionList)
        for index, option in enumerate(options.options):
            if option.id == item.id:
                options.highlighted = index
                break
        warnings = item.current.warnings
        if warnings:
            self.notify("\n".join(warnings), title=message + " Worth a second look:", severity="warning", timeout=15)
        else:
            self.notify(message)

    def action_history(self) -> None:
        item = self.highlighted_item()
        if item is None:
            self.notify("Move to an item first (up and down arrows).", timeout=4)
            return
        self.app.push_screen(HistoryDialog(item, self._sessions_by_id()))

    def action_as_of(self) -> None:
        first = min((i.created for i in self.items), default=None)

        def chosen(day: dt.date | None) -> None:
            if day is None or not self._usable():
                return
            self.as_of = day
            self.show_items()
            self.refresh_bindings()

        self.app.push_screen(AsOfDialog(self.as_of or self._today(), first), chosen)

    def action_leave_as_of(self) -> None:
        self.as_of = None
        self.show_items()
        self.refresh_bindings()

    def action_next_view(self) -> None:
        self.view = VIEWS[(VIEWS.index(self.view) + 1) % len(VIEWS)]
        self.show_items()
        self.notify(f"Grouped {VIEW_NAMES[self.view]}.", timeout=3)

    def action_edit_account(self) -> None:
        def save(text: str | None) -> None:
            if text is None or not self._usable():
                return
            if text == self.account.strip():
                self.notify("Nothing was changed.", timeout=3)
                return
            if not self._update_client(explanatory_model=text):
                return
            self.notify("The patient's account was saved.")

        self.app.push_screen(AccountDialog(self.account), save)

    def action_cycle_agreement(self) -> None:
        states = list(AGREEMENT_STATES)
        new = states[(states.index(self.agreement) + 1) % len(states)] if self.agreement in states else states[0]
        if not self._update_client(emotional_agreement=new):
            return
        self.notify(f"Recorded: has the patient agreed emotional factors may be relevant? {AGREEMENT_LABELS[new]}.", timeout=4)

    def _update_client(self, **changes: Any) -> bool:
        try:
            client = self.repo.get_client(self.client_id)
            self.repo.update_client(dataclasses.replace(client, **changes))
        except VaultError as e:
            self._error(e, "Not saved")
            return False
        self.reload()
        return True
