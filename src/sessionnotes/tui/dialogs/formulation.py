"""Dialogs of the Formulation tab: an item (new or changed), its history, a date, the patient's account.

The item dialog returns the fields as a dict (``ItemFields``); the tab saves them through
``services`` so every change becomes a new version with its advisory warnings. Problems are shown
as sentences in the dialog and nothing is saved until they are fixed.

While the item is written its wording is checked a moment after typing stops, as in the letter
editor: for an item marked shared (in part or in full) as the patient will read it (context
"shared"); for a private item only "untreatable" labelling and tacit-dualism markers, shown as a
self-check (context "private"). Matched words are underlined, a compact panel under the text lists
them with a tentative alternative and why, and ``f5`` puts in the chosen finding's drop-in rewording.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Input, Label, OptionList, Select, SelectionList, Static, TextArea
from textual.widgets.selection_list import Selection

from ...analysis.language import Finding, check
from ...domain.formulation import (
    CHANNELS,
    CONFIDENCE,
    CYCLE,
    DEEP_LAYERS,
    FIVE_P,
    LAYERS,
    LENSES,
    RESPONSES,
    SHARED_STATUSES,
    STATUSES,
    FormulationItem,
    ItemVersion,
)
from ...domain.models import Session
from ..labels import parse_day
from ..widgets.error_line import ErrorLine
from ..widgets.findings import (
    CHECK_DELAY,
    FindingsList,
    MarkedTextArea,
    apply_suggestion,
    chosen_finding,
    finding_detail,
    finding_prompt,
    follow_cursor,
)
from .base import Dialog, default_css

# Display words for the stored codes.
CONFIDENCE_LABELS = {"hunch": "Hunch", "working-hypothesis": "Working hypothesis", "supported": "Supported"}
STATUS_LABELS = {"private": "Private", "shared-in-part": "Shared in part", "shared": "Shared"}
CHANNEL_LABELS = {"spoken": "Spoken", "written": "Written", "letter": "Letter"}
RESPONSE_LABELS = {"not-yet": "Not yet known", "resonated": "Resonated", "neutral": "Neutral", "disputed": "Disputed"}
LENS_LABELS = {"structural": "Structural", "relational": "Relational", "intra-psychic": "Intra-psychic"}
FIVE_P_LABELS = {p: p.capitalize() for p in FIVE_P}
CYCLE_LABELS = {c: c.capitalize() for c in CYCLE}
LAYER_SHARING = {
    "L0": "Usually shared from the first contact.",
    "L1": "Safe territory to share.",
    "L2": "Share tentatively once the alliance forms.",
    "L3": "Offer as collaborative, qualified observations.",
    "L4": "Later, and only as a hypothesis: best once the patient agrees emotional factors may be relevant.",
    "L5": "Usually kept private; never in early letters.",
}

ItemFields = dict[str, Any]
"""text, layer, lens, confidence, status, date_shared, channel, response, five_p, cycle, evidence."""

EDITABLE = ("text", "layer", "lens", "confidence", "status", "date_shared", "channel", "response", "five_p", "cycle", "evidence")

_CSS = default_css(__file__, "formulation.tcss")


def _pair(left: tuple[str, Any], right: tuple[str, Any] | None) -> Horizontal:
    """Two labelled fields side by side."""
    columns = [Vertical(Label(left[0], classes="field-label"), left[1])]
    columns.append(Vertical(Label(right[0], classes="field-label"), right[1]) if right else Vertical())
    return Horizontal(*columns, classes="pair")


def session_label(s: Session) -> str:
    return f"Session {s.number}, {s.date.isoformat()}"


class FormulationItemDialog(Dialog):
    """A new item, or a change to an item (the change is kept as a new version). ctrl+s saves.

    The wording is checked live (see the module's docstring); ``f5`` puts in the chosen finding's
    rewording, ``f4`` goes to the list of findings, Enter on one goes back to it in the text.
    """

    CONFIRM_DISCARD = True

    CSS_PATH = "base.tcss"
    DEFAULT_CSS = _CSS
    AUTO_FOCUS = "#fi-text"
    BINDINGS = [
        Binding("ctrl+s", "save", "Save", id="formulation_item.save"),
        Binding(
            "f5",
            "apply_suggestion",
            "Suggestion",
            id="formulation_item.apply",
            tooltip="Replace the chosen finding's words with its suggested rewording (ctrl+z undoes)",
        ),
        Binding("f4", "focus_findings", "Findings", id="formulation_item.focus_findings", tooltip="Go to the wording findings"),
    ]

    def __init__(
        self, today: dt.date, sessions: list[Session], current: ItemVersion | None = None, preferred_term: str = ""
    ) -> None:
        super().__init__()
        self.today = today
        self.sessions = sessions
        self.current = current
        self.preferred_term = preferred_term
        self.findings: list[Finding] = []
        self.checked_as = ""
        """The context of the last check: "shared" or "private"."""
        self.check_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        v = self.current
        title = "Add a formulation item" if v is None else "Change this item (the earlier wording stays in its history)"
        evidence = set(v.evidence) if v else set()
        yield from self.compose_banner()
        with Vertical(classes="dialog -wide tab-dialog"):
            yield Static(title, classes="dialog-title")
            yield Static("Tab moves between fields; Enter opens a list. ctrl+s saves. Escape cancels.", classes="hint-text")
            yield ErrorLine("", id="fi-error", classes="error-text")
            with VerticalScroll(classes="dialog-fields"):
                yield Label("The understanding, held tentatively (e.g. 'it may be that...')", classes="field-label")
                yield MarkedTextArea(v.text if v else "", id="fi-text", soft_wrap=True, tab_behavior="focus")
                yield Static("", id="fi-findings-title")
                yield FindingsList(id="fi-findings")
                yield Static("", id="fi-finding-detail")
                yield _pair(
                    (
                        "Layer",
                        Select(
                            [(f"{code} {name}", code) for code, (name, _) in LAYERS.items()],
                            id="fi-layer",
                            value=v.layer if v else "L1",
                            allow_blank=False,
                            compact=True,
                        ),
                    ),
                    (
                        "Disconnection lens",
                        Select(
                            [(LENS_LABELS[c], c) for c in LENSES],
                            id="fi-lens",
                            value=(v.lens or Select.NULL) if v else Select.NULL,
                            prompt="none",
                            compact=True,
                        ),
                    ),
                )
                yield Static("", id="fi-layer-help")
                yield _pair(
                    (
                        "Confidence",
                        Select(
                            [(CONFIDENCE_LABELS[c], c) for c in CONFIDENCE],
                            id="fi-confidence",
                            value=v.confidence if v else "hunch",
                            allow_blank=False,
                            compact=True,
                        ),
                    ),
                    (
                        "Status",
                        Select(
                            [(STATUS_LABELS[s], s) for s in STATUSES],
                            id="fi-status",
                            value=v.status if v else "private",
                            allow_blank=False,
                            compact=True,
                        ),
                    ),
                )
                yield _pair(
                    (
                        "Date shared (YYYY-MM-DD)",
                        Input(
                            v.date_shared.isoformat() if v and v.date_shared else "",
                            id="fi-date",
                            compact=True,
                            placeholder="empty: today, once shared",
                        ),
                    ),
                    (
                        "How it was shared",
                        Select(
                            [(CHANNEL_LABELS[c], c) for c in CHANNELS],
                            id="fi-channel",
                            value=(v.channel or Select.NULL) if v else Select.NULL,
                            prompt="not shared",
                            compact=True,
                        ),
                    ),
                )
                yield _pair(
                    (
                        "The patient's response",
                        Select(
                            [(RESPONSE_LABELS[r], r) for r in RESPONSES],
                            id="fi-response",
                            value=v.response if v else "not-yet",
                            allow_blank=False,
                            compact=True,
                        ),
                    ),
                    (
                        "5 Ps (optional)",
                        Select(
                            [(FIVE_P_LABELS[p], p) for p in FIVE_P],
                            id="fi-five-p",
                            value=(v.five_p or Select.NULL) if v else Select.NULL,
                            prompt="not placed",
                            compact=True,
                        ),
                    ),
                )
                yield _pair(
                    (
                        "Vicious cycle (optional)",
                        Select(
                            [(CYCLE_LABELS[c], c) for c in CYCLE],
                            id="fi-cycle",
                            value=(v.cycle or Select.NULL) if v else Select.NULL,
                            prompt="not placed",
                            compact=True,
                        ),
                    ),
                    None,
                )
                yield Label("Evidence: sessions that support it (optional; space ticks)", classes="field-label")
                if self.sessions:
                    yield SelectionList[str](
                        *[Selection(session_label(s), s.id, s.id in evidence) for s in reversed(self.sessions)],
                        id="fi-evidence",
                    )
                else:
                    yield Static("No sessions yet.", classes="hint-text")

    def on_mount(self) -> None:
        super().on_mount()
        self._show_layer_help()
        self.run_check()
        self.call_after_refresh(lambda: self.query_one(".dialog-fields", VerticalScroll).scroll_home(animate=False))

    # -- live wording findings -------------------------------------------------------------------

    @property
    def body(self) -> MarkedTextArea:
        return self.query_one("#fi-text", MarkedTextArea)

    @property
    def findings_list(self) -> FindingsList:
        return self.query_one("#fi-findings", FindingsList)

    @property
    def context(self) -> str:
        """The language checker's context: shared while the item is marked shared (in part or in full)."""
        return "shared" if self._choice(self.query_one("#fi-status", Select)) in SHARED_STATUSES else "private"

    @on(TextArea.Changed, "#fi-text")
    def _text_changed(self) -> None:
        self.body.drop_stale_marks()
        if self.check_timer is not None:
            self.check_timer.stop()
        self.check_timer = self.set_timer(CHECK_DELAY, self.run_check, name="formulation-item-check")

    @on(Select.Changed, "#fi-status")
    def _status_changed(self) -> None:
        self._show_layer_help()
        before = self.checked_as
        self.run_check()
        if before and self.checked_as != before and self.body.text.strip():
            # the panel is above, often scrolled out of sight while the status is chosen: say what changed
            n = len(self.findings)
            found = f"{n} wording{'s' if n != 1 else ''} to look at" if n else "nothing to look at"
            how = "as the patient will read it" if self.checked_as == "shared" else "as a private self-check"
            self.notify(f"Checked {how}: {found}" + (" (shown under the text)." if n else "."), timeout=5)

    def run_check(self) -> None:
        """Check the wording now (as shared or private) and redraw the underlines and the panel."""
        if self.check_timer is not None:
            self.check_timer.stop()
            self.check_timer = None
        chosen = self.chosen_finding()
        title = self.query_one("#fi-findings-title", Static)
        self.checked_as = self.context
        try:
            self.findings = check(self.body.text, self.checked_as, preferred_term=self.preferred_term)
        except Exception as e:  # a checker problem must never lose the therapist's text
            self.findings = []
            self.body.set_marks([])
            self.findings_list.show_findings([], None, self._prompt)
            self.show_panel(None)
            title.update(f"The wording check did not run: {e}")
            return
        self.body.mark_findings(self.findings)
        shown = self.findings_list.show_findings(self.findings, chosen, self._prompt)
        n = len(self.findings)
        if self.checked_as == "shared":
            if n:
                title.update(f"Wording to look at ({n}), as the patient will read it \u00b7 f4 the list \u00b7 f5 the rewording")
            else:
                title.update("Wording, as the patient will read it: nothing to look at.")
        elif n:
            title.update(f"Self-check ({n}) of your private wording \u00b7 f4 the list \u00b7 f5 the rewording")
        else:
            title.update("Private item: checked only for tacit dualism and 'untreatable' labels; none found.")
        title.set_class(bool(n), "-found")
        self.show_panel(shown)
        self.refresh_bindings()

    def _prompt(self, f: Finding) -> Text:
        category = f.category
        if self.checked_as == "private" and f.rule != "untreatable":
            category += " (self-check)"
        return finding_prompt(self.app, f, compact=True, category=category)

    def show_panel(self, f: Finding | None) -> None:
        """Show the list (when there are findings) and the explanation of ``f``."""
        self.findings_list.display = bool(self.findings)
        detail = self.query_one("#fi-finding-detail", Static)
        detail.display = f is not None
        if f is not None:
            detail.update(finding_detail(f, "f5", compact=True))

    def chosen_finding(self) -> Finding | None:
        if not self.findings:
            return None
        return chosen_finding(self.body, self.findings_list)

    @on(OptionList.OptionHighlighted, "#fi-findings")
    def _finding_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        f = self.findings_list.finding_of(event.option)
        if f is not None:
            self.show_panel(f)
            if event.option_list.has_focus:
                self.body.select_span(f)

    @on(OptionList.OptionSelected, "#fi-findings")
    def _finding_selected(self, event: OptionList.OptionSelected) -> None:
        f = self.findings_list.finding_of(event.option)
        if f is not None:
            self.body.focus()
            self.body.select_span(f)

    @on(TextArea.SelectionChanged, "#fi-text")
    def _cursor_moved(self) -> None:
        if self.findings:
            follow_cursor(self.body, self.findings_list)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("apply_suggestion", "focus_findings"):
            return True if self.findings else None
        return True

    def action_focus_findings(self) -> None:
        if not self.findings:
            return
        options = self.findings_list
        options.focus()
        f = options.highlighted_finding
        if f is not None:
            self.body.select_span(f)

    def action_apply_suggestion(self) -> None:
        f = self.chosen_finding()
        if f is None:
            self.notify("There is no wording finding to act on.")
            return
        outcome, message = apply_suggestion(self.body, f)
        if outcome == "no-rewording":  # the suggestion is already in view under the text
            self.notify(
                f"There is no drop-in rewording for \u201c{f.matched}\u201d: rewrite it in your own words "
                "(\u201cInstead\u201d under the text suggests how).",
                timeout=6,
            )
            return
        self.run_check()
        self.notify(message)

    @on(Select.Changed, "#fi-layer")
    def _show_layer_help(self) -> None:
        """What the layer holds; for a deep layer (4-5) marked shared, a warning now, before saving."""
        layer = self.query_one("#fi-layer", Select).value
        if isinstance(layer, str) and layer in LAYERS:
            name, what = LAYERS[layer]
            help_text = Text(f"{layer} {name}: {what}. {LAYER_SHARING[layer]}")
            if layer in DEEP_LAYERS and self.context == "shared":
                help_text.append(
                    f"\nWarning before you save: a layer {layer[1]} hypothesis marked shared. Deeper links usually "
                    "land once the alliance can hold them and the patient agrees emotional factors may be relevant "
                    "(Balabanovic 2017, sub-category 6.6). Keep it private, or save and the warning stays with it.",
                    style="bold",
                )
            self.query_one("#fi-layer-help", Static).update(help_text)

    @staticmethod
    def _choice(select: Select) -> str:
        value = select.value
        return value if isinstance(value, str) else ""

    def values(self) -> ItemFields:
        q = self.query_one
        evidence: list[str] = []
        if self.sessions:
            chosen = set(q("#fi-evidence", SelectionList).selected)
            evidence = [s.id for s in self.sessions if s.id in chosen]
        return {
            "text": q("#fi-text", TextArea).text.strip(),
            "layer": self._choice(q("#fi-layer", Select)),
            "lens": self._choice(q("#fi-lens", Select)),
            "confidence": self._choice(q("#fi-confidence", Select)),
            "status": self._choice(q("#fi-status", Select)),
            "date_shared": q("#fi-date", Input).value,
            "channel": self._choice(q("#fi-channel", Select)),
            "response": self._choice(q("#fi-response", Select)),
            "five_p": self._choice(q("#fi-five-p", Select)),
            "cycle": self._choice(q("#fi-cycle", Select)),
            "evidence": evidence,
        }

    def _problem(self, message: str, focus: str) -> None:
        self.query_one("#fi-error", Static).update(message)
        self.query_one(focus).focus()

    def action_save(self) -> None:
        fields = self.values()
        if not fields["text"]:
            self._problem("Write the item first: a sentence or two is enough.", "#fi-text")
            return
        try:
            shared_on = parse_day(fields["date_shared"])
        except ValueError as e:
            self._problem(str(e), "#fi-date")
            return
        if shared_on is not None and shared_on > self.today:
            self._problem("The date shared is in the future; record it once it has been shared.", "#fi-date")
            return
        if fields["status"] in SHARED_STATUSES and shared_on is None:
            shared_on = self.today
        fields["date_shared"] = shared_on
        self.dismiss(fields)


def changes_between(current: ItemVersion, fields: ItemFields) -> dict[str, Any]:
    """Only the fields that differ from the current version."""
    out = {}
    for name in EDITABLE:
        if name not in fields:
            continue
        before, after = getattr(current, name), fields[name]
        if name == "evidence" and set(before) == set(after):
            continue
        if after != before:
            out[name] = after
    return out


class HistoryDialog(Dialog):
    """Every version of one item, oldest first: when, the wording, status, response and warnings."""

    CSS_PATH = "base.tcss"
    DEFAULT_CSS = _CSS
    AUTO_FOCUS = "#history"
    BINDINGS = [Binding("escape,enter,h", "cancel", "Close", id="history.close")]

    def __init__(self, item: FormulationItem, session_names: dict[str, str]) -> None:
        super().__init__()
        self.item = item
        self.session_names = session_names

    def compose(self) -> ComposeResult:
        n = len(self.item.versions)
        yield from self.compose_banner()
        with Vertical(classes="dialog -wide tab-dialog"):
            yield Static(f"History of this item: {n} version{'s' if n != 1 else ''}, oldest first", classes="dialog-title")
            with VerticalScroll(id="history"):
                for i, v in enumerate(self.item.versions, 1):
                    yield Static(self.describe(i, v), classes="version" + (" -current" if i == n else ""))
            yield Static("Every change is kept. Escape closes.", classes="hint-text")

    def describe(self, number: int, v: ItemVersion) -> Text:
        when = v.at.astimezone().strftime("%Y-%m-%d %H:%M")
        text = Text()
        text.append(f"Version {number}, {when}", style="bold")
        if number == len(self.item.versions):
            text.append("  (current)", style="italic")
        text.append("\n")
        text.append(v.text)
        layer_name = LAYERS.get(v.layer, ("", ""))[0]
        facts = [f"{v.layer} {layer_name}", CONFIDENCE_LABELS.get(v.confidence, v.confidence)]
        if v.lens:
            facts.append(f"{LENS_LABELS.get(v.lens, v.lens).lower()} lens")
        status = STATUS_LABELS.get(v.status, v.status)
        if v.is_shared and v.date_shared:
            status += f" on {v.date_shared.isoformat()}"
            if v.channel:
                status += f" ({CHANNEL_LABELS.get(v.channel, v.channel).lower()})"
        facts.append(status)
        facts.append("response: " + RESPONSE_LABELS.get(v.response, v.response).lower())
        text.append("\n" + " · ".join(facts), style="dim")
        if v.evidence:
            names = [self.session_names.get(sid, "a session no longer in the record") for sid in v.evidence]
            text.append("\nEvidence: " + "; ".join(names), style="dim")
        if v.note:
            text.append(f"\nWhy changed: {v.note}", style="dim")
        for w in v.warnings:
            text.append(f"\n⚠ {w}", style="bold")
        return text


class AsOfDialog(Dialog):
    """Ask for the date to view the formulation as it stood then."""

    CSS_PATH = "base.tcss"
    DEFAULT_CSS = _CSS
    AUTO_FOCUS = "#as-of-date"

    def __init__(self, today: dt.date, first: dt.date | None) -> None:
        super().__init__()
        self.today, self.first = today, first

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        with Vertical(classes="dialog tab-dialog"):
            yield Static("The formulation as it stood on a date", classes="dialog-title")
            since = f" The first item was written on {self.first.isoformat()}." if self.first else ""
            yield Static(
                "Shows each item as it was worded then, and marks what had been shared with the patient by that date." + since,
                classes="dialog-body",
            )
            yield Input(self.today.isoformat(), id="as-of-date", placeholder="YYYY-MM-DD")
            yield ErrorLine("", id="as-of-error", classes="error-text")
            yield Static("Enter shows it. Escape cancels.", classes="hint-text")

    @on(Input.Submitted, "#as-of-date")
    def _done(self, event: Input.Submitted) -> None:
        error = self.query_one("#as-of-error", Static)
        try:
            chosen = parse_day(event.value)
        except ValueError as e:
            error.update(str(e))
            return
        if chosen is None:
            error.update("Enter a date, e.g. " + self.today.isoformat() + ".")
            return
        self.dismiss(chosen)


class AccountDialog(Dialog):
    """The patient's own account of their symptoms, in their words. ctrl+s saves."""

    CONFIRM_DISCARD = True

    CSS_PATH = "base.tcss"
    DEFAULT_CSS = _CSS
    AUTO_FOCUS = "#account-text"
    BINDINGS = [Binding("ctrl+s", "save", "Save", id="account.save")]

    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        with Vertical(classes="dialog -wide tab-dialog"):
            yield Static("The patient's own account", classes="dialog-title")
            yield Static(
                "What the patient thinks is happening and why, in their own words where you can. "
                "It is kept beside your formulation, never merged into it.",
                classes="dialog-body",
            )
            yield TextArea(self.text, id="account-text", soft_wrap=True, tab_behavior="focus")
            yield Static("ctrl+s saves. Escape cancels.", classes="hint-text")

    def action_save(self) -> None:
        self.dismiss(self.query_one("#account-text", TextArea).text.strip())
