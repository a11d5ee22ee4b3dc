"""The Flags tab: process patterns worth reflecting on, with the evidence behind each one.

Flags are prompts for reflection and supervision, never verdicts about the person. Each shows what
was noticed (sessions and the exact words or values), why the pattern matters (with its source) and
a tentative idea. Enter on an evidence line opens that session; ``x`` dismisses a flag with a reason,
and a dismissed flag stays listed in the history with the reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Input, Static, Tree
from textual.widgets.tree import TreeNode

from ...analysis.flags import FLAG_KINDS, Evidence, Flag, Thresholds, detect
from ...vault import VaultError
from ..screens.base import Dialog
from .base import ClientTab

SEVERITY_WORDS = {"high": "worth a look soon", "medium": "worth keeping an eye on", "low": "for reflection"}
SEVERITY_MARKS = {"high": "\u25b2", "medium": "\u25cf", "low": "\u25cb"}
FIELD_LABELS = {
    "note": "note",
    "private_note": "private note",
    "body_talk": "body-talk rating",
    "attendance": "attendance",
    "attendance_reason": "reason recorded",
    "feelings": "your feelings",
    "feelings_other": "your feelings",
    "no_recollection": "tick: no recollection of last session",
    "token_agreement": "tick: token agreement",
    "passivity": "tick: passivity",
    "formulation": "formulation",
    "stage": "stage",
    "themes": "themes",
    "plan": "plan",
    "referrer_goal": "referrer's goal",
    "patient_goal": "patient's goal",
}


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_", " "))


def evidence_line(e: Evidence, limit: int | None = None) -> str:
    """'2025-06-03, note: “…”' (the phrase shortened to `limit` characters when given)."""
    phrase = " ".join(e.phrase.split())
    if limit and len(phrase) > limit:
        phrase = phrase[: limit - 1].rstrip() + "\u2026"
    when = e.date.isoformat() if e.date else "record"
    return f"{when}, {field_label(e.field)}: \u201c{phrase}\u201d"


def _css(name: str) -> str:
    return (Path(__file__).with_name(name)).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Row:
    """What a line of the flags tree stands for."""

    kind: str  # "section", "flag", "evidence", "past" (a dismissal whose pattern is not detected now)
    flag: Flag | None = None
    evidence: Evidence | None = None
    dismissal: dict | None = None


class DismissFlagDialog(Dialog):
    """Asks why a flag does not need attention now. The reason is required and kept."""

    CSS_PATH = "../screens/dialogs.tcss"
    AUTO_FOCUS = "#dismiss-reason"

    def __init__(self, flag: Flag) -> None:
        super().__init__()
        self.flag = flag

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        with Vertical(classes="dialog"):
            yield Static(f"Dismiss \u201c{self.flag.title or self.flag.kind}\u201d?", classes="dialog-title")
            yield Static(
                "Say briefly why this pattern does not need attention now (for example, it was taken to "
                "supervision, or it is explained by something the rules cannot see). The flag stays in the "
                "history with your reason, and in supervision summaries.",
                classes="dialog-body",
            )
            yield Input(id="dismiss-reason", placeholder="Reason, e.g. discussed in supervision on 2 March")
            yield Static("", id="dismiss-error", classes="error-text")
            yield Static("Enter dismisses the flag. Escape leaves it open.", classes="hint-text")

    @on(Input.Submitted, "#dismiss-reason")
    def _done(self, event: Input.Submitted) -> None:
        reason = event.value.strip()
        if not reason:
            self.query_one("#dismiss-error", Static).update(
                "Type a reason first: a dismissed flag keeps the reason so you and your supervisor can see why."
            )
            return
        self.dismiss(reason)


class FlagsTab(ClientTab):
    """Open flags with their evidence, then the history of dismissed ones."""

    DEFAULT_CSS = _css("flags.tcss")
    BINDINGS = [
        Binding("x", "dismiss_flag", "Dismiss flag", id="flags.dismiss",
                tooltip="Dismiss the chosen flag with a reason (it stays in the history)"),
        Binding("s", "supervision", "Supervision summary", id="flags.supervision",
                tooltip="Export this client's supervision summary (pseudonymised)"),
    ]

    def __init__(self, client_id: str, **kwargs: Any) -> None:
        super().__init__(client_id, **kwargs)
        self.flags: list[Flag] = []
        self.past: list[dict] = []
        self.dismissed_at: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Static(
            "Patterns in the process worth reflecting on. They are prompts for reflection and supervision, "
            "not verdicts: each one shows what it is based on.",
            id="flags-intro",
        )
        with Horizontal(id="flags-body"):
            tree: Tree[Row] = Tree("Flags", id="flags-tree")
            tree.show_root = False
            tree.guide_depth = 2
            yield tree
            with VerticalScroll(id="flag-detail"):
                yield Static("", id="fd-title")
                yield Static("", id="fd-summary")
                yield Static("", id="fd-why-title", classes="fd-heading")
                yield Static("", id="fd-why")
                yield Static("", id="fd-idea-title", classes="fd-heading")
                yield Static("", id="fd-idea")
                yield Static("", id="fd-evidence-title", classes="fd-heading")
                yield Static("", id="fd-evidence")
                yield Static("", id="fd-dismissed")
        yield Static(
            "Enter on an evidence line opens that session. x dismisses the chosen flag (a reason is needed).",
            id="flags-keys",
            classes="hint-text",
        )

    def on_mount(self) -> None:
        self.reload()

    # -- data ------------------------------------------------------------------------------------

    def _thresholds(self) -> Thresholds:
        try:
            return Thresholds.from_mapping(self.repo.settings().get("flag_thresholds", {}) or {})
        except (TypeError, ValueError):
            return Thresholds()

    def reload(self) -> None:
        if getattr(self.screen, "repo", None) is None or not getattr(self.app, "repo", None):
            return
        try:
            record = self.repo.record(self.client_id)
            self.flags = detect(record.client, record.sessions, formulation=record.formulation,
                                thresholds=self._thresholds(), dismissed=record.dismissals)
        except VaultError as e:
            self.app.show_error(e, "The flags could not be worked out")  # type: ignore[attr-defined]
            return
        keys = {f.key for f in self.flags} | {f.kind for f in self.flags}
        self.past = [d for d in record.dismissals if d.get("key") not in keys and d.get("kind") not in keys]
        self.dismissed_at = {d.get("key"): d.get("at", "") for d in record.dismissals}
        self.dismissed_at.update({d.get("kind"): d.get("at", "") for d in record.dismissals if d.get("kind") not in self.dismissed_at})
        self.build_tree()

    # -- tree ------------------------------------------------------------------------------------

    def _colour(self, severity: str) -> str:
        variables = self.app.theme_variables
        name = {"high": "flag-high", "medium": "warning", "low": "text-muted"}.get(severity, "foreground")
        value = variables.get(name) or variables.get("foreground") or ""
        return value if value.startswith("#") else ""

    def _flag_label(self, flag: Flag) -> Text:
        label = Text()
        if flag.dismissed:
            label.append("\u2713 ", style="dim")
            label.append(flag.title or flag.kind, style="dim")
            return label
        label.append(SEVERITY_MARKS.get(flag.severity, "\u25cf") + " ", style=self._colour(flag.severity) or "")
        label.append(flag.title or flag.kind, style="bold")
        label.append(f"  {flag.severity}", style="dim")
        return label

    def build_tree(self) -> None:
        tree = self.query_one("#flags-tree", Tree)
        previous = tree.cursor_node.data if tree.cursor_node is not None else None
        tree.clear()
        open_flags = [f for f in self.flags if not f.dismissed]
        dismissed = [f for f in self.flags if f.dismissed]
        restore: TreeNode[Row] | None = None

        open_node = tree.root.add(f"Open flags ({len(open_flags)})", data=Row("section"), expand=True)
        if not open_flags:
            open_node.add_leaf(Text("Nothing flagged at the moment.", style="dim"), data=Row("section"))
        for flag in open_flags:
            node = open_node.add(self._flag_label(flag), data=Row("flag", flag), expand=True)
            restore = restore or self._match(previous, node)
            for e in flag.evidence:
                leaf = node.add_leaf(Text("  " + evidence_line(e, 60)), data=Row("evidence", flag, e))
                restore = restore or self._match(previous, leaf)

        history = tree.root.add(f"Dismissed, with your reasons ({len(dismissed) + len(self.past)})",
                                data=Row("section"), expand=True)
        if not dismissed and not self.past:
            history.add_leaf(Text("No flags dismissed.", style="dim"), data=Row("section"))
        for flag in dismissed:
            node = history.add(self._flag_label(flag), data=Row("flag", flag), expand=False)
            restore = restore or self._match(previous, node)
            for e in flag.evidence:
                node.add_leaf(Text("  " + evidence_line(e, 60)), data=Row("evidence", flag, e))
        for d in self.past:
            title = d.get("kind", "flag")
            history.add_leaf(Text(f"\u2713 {FLAG_KINDS.get(title, title)} (earlier)", style="dim"), data=Row("past", dismissal=d))

        target = restore or (open_node.children[0] if open_node.children else open_node)
        self.call_after_refresh(self._put_cursor, target)

    @staticmethod
    def _match(previous: Row | None, node: TreeNode[Row]) -> TreeNode[Row] | None:
        row = node.data
        if previous is None or row is None or previous.flag is None or row.flag is None:
            return None
        if previous.kind == row.kind and previous.flag.key == row.flag.key and previous.evidence == row.evidence:
            return node
        return None

    def _put_cursor(self, node: TreeNode[Row]) -> None:
        tree = self.query_one("#flags-tree", Tree)
        tree.move_cursor(node)
        self.show_detail(node.data)

    # -- detail ----------------------------------------------------------------------------------

    @on(Tree.NodeHighlighted, "#flags-tree")
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        self.show_detail(event.node.data)

    def show_detail(self, row: Row | None) -> None:
        parts = {name: self.query_one(f"#fd-{name}", Static) for name in
                 ("title", "summary", "why-title", "why", "idea-title", "idea", "evidence-title", "evidence", "dismissed")}
        for widget in parts.values():
            widget.update("")
        if row is None or row.kind == "section":
            open_count = sum(1 for f in self.flags if not f.dismissed)
            if open_count:
                parts["summary"].update(f"{open_count} open flag{'s' if open_count != 1 else ''}. "
                                        "Move to one to read why it was raised and what might help.")
            else:
                parts["summary"].update("No process patterns are flagged for this client at the moment. "
                                        "Flags appear here as sessions are written.")
            return
        if row.kind == "past" and row.dismissal is not None:
            d = row.dismissal
            parts["title"].update(FLAG_KINDS.get(d.get("kind", ""), d.get("kind", "Flag")))
            parts["summary"].update("This pattern was dismissed earlier and is not detected at the moment.")
            parts["dismissed"].update(f"Dismissed {self._when(d.get('at', ''))}: {d.get('reason', '')}")
            return
        flag = row.flag
        assert flag is not None
        title = Text(flag.title or flag.kind, style="bold")
        if flag.dismissed:
            title.append("   dismissed", style="dim")
        else:
            title.append(f"   {flag.severity}: {SEVERITY_WORDS.get(flag.severity, '')}",
                         style=self._colour(flag.severity) or "")
        parts["title"].update(title)
        parts["summary"].update(flag.summary)
        parts["why-title"].update("Why this pattern can matter")
        parts["why"].update(flag.rationale)
        if flag.suggestion:
            parts["idea-title"].update("Something to consider (tentative)")
            parts["idea"].update(flag.suggestion)
        if flag.evidence:
            parts["evidence-title"].update("What it is based on")
            lines = Text()
            for i, e in enumerate(flag.evidence):
                chosen = row.evidence is not None and e == row.evidence
                lines.append(("\u25b8 " if chosen else "  ") + evidence_line(e), style="bold" if chosen else "")
                if i < len(flag.evidence) - 1:
                    lines.append("\n")
            parts["evidence"].update(lines)
        if flag.dismissed:
            at = self.dismissed_at.get(flag.key) or self.dismissed_at.get(flag.kind, "")
            parts["dismissed"].update(f"Dismissed {self._when(at)}. Reason: {flag.dismissed_reason}")
        elif row.kind == "evidence" and row.evidence is not None:
            parts["dismissed"].update("Enter opens this session." if row.evidence.session_id
                                      else "This comes from the client record, not from one session.")

    @staticmethod
    def _when(at: str) -> str:
        try:
            return "on " + dt.datetime.fromisoformat(at).date().isoformat()
        except (TypeError, ValueError):
            return "earlier"

    # -- actions ---------------------------------------------------------------------------------

    @on(Tree.NodeSelected, "#flags-tree")
    def _selected(self, event: Tree.NodeSelected) -> None:
        row = event.node.data
        if row is None or row.kind != "evidence" or row.evidence is None:
            return
        self.open_session(row.evidence)

    def open_session(self, evidence: Evidence) -> None:
        from ..screens.session_editor import SessionEditorScreen

        if not evidence.session_id:
            self.notify("This evidence comes from the client record, not from one session: see the Record tab.")
            return
        try:
            known = {s.id for s in self.repo.list_sessions(self.client_id)}
        except VaultError as e:
            self.app.show_error(e, "The session could not be opened")  # type: ignore[attr-defined]
            return
        if evidence.session_id not in known:
            self.notify("That session is no longer in the record.", severity="warning")
            return
        self.app.push_screen(SessionEditorScreen(self.client_id, evidence.session_id), lambda _: self.reload())

    def chosen_flag(self) -> Flag | None:
        node = self.query_one("#flags-tree", Tree).cursor_node
        return node.data.flag if node is not None and node.data is not None else None

    def action_dismiss_flag(self) -> None:
        flag = self.chosen_flag()
        if flag is None:
            self.notify("Move to a flag first, then press x to dismiss it.")
            return
        if flag.dismissed:
            self.notify(f"This flag is already dismissed. Your reason: {flag.dismissed_reason}")
            return

        def dismissed(reason: str | None) -> None:
            if not reason or not getattr(self.app, "repo", None):
                return
            try:
                self.repo.dismiss_flag(self.client_id, flag.kind, flag.key, reason)
            except VaultError as e:
                self.app.show_error(e, "The flag was not dismissed")  # type: ignore[attr-defined]
                return
            self.reload()
            self.notify("Dismissed. It stays in the history below with your reason, and in supervision summaries.")

        self.app.push_screen(DismissFlagDialog(flag), dismissed)

    def action_supervision(self) -> None:
        from .export_dialog import open_supervision_export

        open_supervision_export(self, self.client_id)
