"""The Flags tab: process patterns worth reflecting on, with the evidence behind each one.

Flags are prompts for reflection and supervision, never verdicts about the person. Each shows what
was noticed (sessions and the exact words or values), why the pattern matters (with its source) and
a tentative idea. Enter on an evidence line opens that session; ``x`` dismisses a flag with a reason,
and a dismissed flag stays listed in the history with the reason. Below the open flags, the positive
signs of engagement found in the notes (links made, feelings named, homework done...), so the tab is
not only about problems (Balabanovic 2017, sub-category 3.6).
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
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from ... import services
from ...analysis.flags import FLAG_KINDS, Evidence, Flag, positive_signs
from ...vault import VaultError
from ..dialogs.dismiss_flag import DismissFlagDialog
from ..dialogs.export import open_supervision_export
from ..messages import OpenSession, ShowClientTab
from .base import ClientTab

SEVERITY_WORDS = {"high": "worth a look soon", "medium": "worth keeping an eye on", "low": "for reflection"}
SEVERITY_MARKS = {"high": "\u25b2", "medium": "\u25cf", "low": "\u25cb"}
POSITIVE_SHOWN = 12
"""Positive signs listed in the tree (the latest first); the section's title counts them all."""
POSITIVE_WHY = (
    "Signs that the patient is engaging in the process itself: links they make, feelings named, reflection between "
    "sessions, something new tried, homework done. Attendance alone is not engagement; these are what clinicians look "
    "for beside it (Balabanovic 2017, sub-category 3.6 “Signs of (dis)engagement”)."
)
TREE_LINE = 50
"""Characters of an evidence line in the tree (the full phrase is shown beside it)."""
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
    "measure": "measure",
    "substrategies": "strategies ticked",
    "rupture": "tick: rupture",
}


def field_label(name: str) -> str:
    return FIELD_LABELS.get(name, name.replace("_", " "))


def evidence_line(e: Evidence, width: int | None = None) -> str:
    """'2025-06-03, note: “…”', the phrase shortened so the whole line fits `width` when given."""
    phrase = " ".join(e.phrase.split())
    when = e.date.isoformat() if e.date else "record"
    head = f"{when}, {field_label(e.field)}: "
    if width:
        limit = max(12, width - len(head) - 2)
        if len(phrase) > limit:
            phrase = phrase[: limit - 1].rstrip() + "\u2026"
    return f"{head}\u201c{phrase}\u201d"


def _css(name: str) -> str:
    return (Path(__file__).with_name(name)).read_text(encoding="utf-8")


@dataclass(frozen=True)
class Row:
    """What a line of the flags tree stands for."""

    kind: str  # "section", "history", "flag", "evidence", "past" (a dismissal whose pattern is not detected now),
    # "positives" (the positive signs' heading), "positive" (one sign)
    flag: Flag | None = None
    evidence: Evidence | None = None
    dismissal: dict | None = None


class FlagsTab(ClientTab):
    """Open flags with their evidence, then the history of dismissed ones."""

    DEFAULT_CSS = _css("flags.tcss")
    BINDINGS = [
        Binding(
            "x",
            "dismiss_flag",
            "Dismiss flag",
            id="flags.dismiss",
            tooltip="Dismiss the chosen flag with a reason (it stays in the history)",
        ),
        Binding(
            "s",
            "supervision",
            "Supervision summary",
            id="flags.supervision",
            tooltip="Export this client's supervision summary (pseudonymised)",
        ),
    ]

    def __init__(self, client_id: str, **kwargs: Any) -> None:
        super().__init__(client_id, **kwargs)
        self.flags: list[Flag] = []
        self.positives: list[Evidence] = []
        self.past: list[dict] = []
        self.dismissed_at: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Static(
            "Patterns in the process worth reflecting on: prompts for reflection and supervision, not verdicts. "
            "\u25b2 worth a look soon  \u25cf worth keeping an eye on  \u25cb for reflection",
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
                yield Static("", id="fd-dismissed")
                yield Static("", id="fd-evidence-title", classes="fd-heading")
                yield Static("", id="fd-evidence")
                yield Static("", id="fd-why-title", classes="fd-heading")
                yield Static("", id="fd-why")
                yield Static("", id="fd-idea-title", classes="fd-heading")
                yield Static("", id="fd-idea")
        yield Static(
            "Enter on an evidence line opens that session (or the measure). x dismisses the chosen flag (a reason is needed).",
            id="flags-keys",
            classes="hint-text",
        )

    def on_mount(self) -> None:
        self.reload()

    # -- data ------------------------------------------------------------------------------------

    def reload(self, select: str | None = None) -> None:
        """Work the flags out again; `select` is a flag key to put the cursor on (else it stays put)."""
        if not self.unlocked:
            return
        try:
            self.flags = services.flags_for(self.repo, self.client_id, cache=self.ctx.analysis_cache)
            dismissals = self.repo.flag_dismissals(self.client_id)
            self.positives = positive_signs(self.repo.list_sessions(self.client_id))
        except VaultError as e:
            self.ctx.show_error(e, "The flags could not be worked out")
            return
        keys = {f.key for f in self.flags} | {f.kind for f in self.flags}
        self.past = [d for d in dismissals if d.get("key") not in keys and d.get("kind") not in keys]
        self.dismissed_at = {}
        for d in dismissals:  # when each flag was dismissed, by key (and by kind, for older rows)
            self.dismissed_at[d.get("key", "")] = d.get("at", "")
            self.dismissed_at.setdefault(d.get("kind", ""), d.get("at", ""))
        self.build_tree(select)

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
        return label

    def build_tree(self, select: str | None = None) -> None:
        tree = self.query_one("#flags-tree", Tree)
        previous = tree.cursor_node.data if tree.cursor_node is not None else None
        if select is not None:
            chosen = next((f for f in self.flags if f.key == select), None)
            previous = Row("flag", chosen) if chosen is not None else previous
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
                leaf = node.add_leaf(Text(evidence_line(e, TREE_LINE)), data=Row("evidence", flag, e))
                restore = restore or self._match(previous, leaf)

        positives = tree.root.add(f"Positive signs of engagement ({len(self.positives)})", data=Row("positives"), expand=False)
        if not self.positives:
            positives.add_leaf(Text("None found in the notes yet.", style="dim"), data=Row("positives"))
        for e in list(reversed(self.positives))[:POSITIVE_SHOWN]:
            leaf = positives.add_leaf(Text("+ " + evidence_line(e, TREE_LINE)), data=Row("positive", evidence=e))
            if previous is not None and previous.kind == "positive" and previous.evidence == e:
                restore = restore or leaf

        history = tree.root.add(
            f"Dismissed, with your reasons ({len(dismissed) + len(self.past)})", data=Row("history"), expand=True
        )
        if not dismissed and not self.past:
            history.add_leaf(Text("No flags dismissed.", style="dim"), data=Row("section"))
        for flag in dismissed:
            node = history.add(self._flag_label(flag), data=Row("flag", flag), expand=False)
            restore = restore or self._match(previous, node)
            for e in flag.evidence:
                node.add_leaf(Text(evidence_line(e, TREE_LINE)), data=Row("evidence", flag, e))
            if restore is None and previous is not None and previous.flag is not None and previous.flag.key == flag.key:
                restore = node  # the flag just dismissed: show it in the history with its reason
        for d in self.past:
            title = d.get("kind", "flag")
            history.add_leaf(Text(f"\u2713 {FLAG_KINDS.get(title, title)} (earlier)", style="dim"), data=Row("past", dismissal=d))

        target = restore or (open_node.children[0] if open_node.children else open_node)
        self._put_cursor(target)

    @staticmethod
    def _match(previous: Row | None, node: TreeNode[Row]) -> TreeNode[Row] | None:
        row = node.data
        if previous is None or row is None or previous.flag is None or row.flag is None:
            return None
        if previous.kind == row.kind and previous.flag.key == row.flag.key and previous.evidence == row.evidence:
            return node
        return None

    def _put_cursor(self, node: TreeNode[Row]) -> None:
        """Move the cursor to `node`, counting its line ourselves: the tree may not have been drawn yet
        (when this tab is reloaded while another screen is on top), so `node.line` can still be -1."""
        tree = self.query_one("#flags-tree", Tree)
        line = 0

        def walk(parent: TreeNode[Row]) -> bool:
            nonlocal line
            for child in parent.children:
                if child is node:
                    return True
                line += 1
                if child.is_expanded and walk(child):
                    return True
            return False

        if walk(tree.root):
            try:
                tree.move_cursor_to_line(line)
            except IndexError:
                pass
        self.show_detail(node.data)

    # -- detail ----------------------------------------------------------------------------------

    @on(Tree.NodeHighlighted, "#flags-tree")
    def _highlighted(self, event: Tree.NodeHighlighted) -> None:
        self.show_detail(event.node.data)

    def show_detail(self, row: Row | None) -> None:
        parts = {
            name: self.query_one(f"#fd-{name}", Static)
            for name in ("title", "summary", "why-title", "why", "idea-title", "idea", "evidence-title", "evidence", "dismissed")
        }
        for widget in parts.values():
            widget.update("")
            widget.display = False

        def put(name: str, value: str | Text) -> None:
            parts[name].update(value)
            parts[name].display = bool(str(value))

        if row is not None and row.kind == "history":
            put(
                "summary",
                "Flags you dismissed stay here with your reasons, and in supervision summaries. Move to one to read it again.",
            )
            return
        if row is None or row.kind == "section":
            open_count = sum(1 for f in self.flags if not f.dismissed)
            if open_count:
                put(
                    "summary",
                    f"{open_count} open flag{'s' if open_count != 1 else ''}. "
                    "Move to one to read why it was raised and what might help.",
                )
            else:
                put(
                    "summary",
                    "No process patterns are flagged for this client at the moment. Flags appear here as sessions are written.",
                )
            return
        if row.kind in ("positives", "positive"):
            put("title", Text("Positive signs of engagement", style="bold"))
            if row.kind == "positive" and row.evidence is not None:
                put("summary", evidence_line(row.evidence))
                put("dismissed", "Enter opens this session.")
            else:
                count = len(self.positives)
                if not count:
                    words = "None found in the notes yet."
                elif count > POSITIVE_SHOWN:
                    words = (
                        f"{count} signs found in the notes; the latest {POSITIVE_SHOWN} are listed (Enter shows or hides them)."
                    )
                else:
                    words = f"{count} sign{'s' if count != 1 else ''} found in the notes (Enter shows or hides them)."
                put("summary", words)
            put("why-title", "Why they matter")
            put("why", POSITIVE_WHY)
            return
        if row.kind == "past" and row.dismissal is not None:
            d = row.dismissal
            put("title", FLAG_KINDS.get(d.get("kind", ""), d.get("kind", "Flag")))
            put("summary", "This pattern was dismissed earlier and is not detected at the moment.")
            put("dismissed", f"Dismissed {self._when(d.get('at', ''))}: {d.get('reason', '')}")
            return
        flag = row.flag
        assert flag is not None
        title = Text(flag.title or flag.kind, style="bold")
        if flag.dismissed:
            title.append("   dismissed", style="dim")
        else:
            title.append(f"   {flag.severity}: {SEVERITY_WORDS.get(flag.severity, '')}", style=self._colour(flag.severity) or "")
        put("title", title)
        put("summary", flag.summary)
        put("why-title", "Why this pattern can matter")
        put("why", flag.rationale)
        if flag.suggestion:
            put("idea-title", "Something to consider (tentative)")
            put("idea", flag.suggestion)
        if flag.evidence:
            put("evidence-title", "What it is based on")
            lines = Text()
            for i, e in enumerate(flag.evidence):
                chosen = row.evidence is not None and e == row.evidence
                lines.append(("\u25b8 " if chosen else "  ") + evidence_line(e), style="bold" if chosen else "")
                if i < len(flag.evidence) - 1:
                    lines.append("\n")
            put("evidence", lines)
        if flag.dismissed:
            at = self.dismissed_at.get(flag.key) or self.dismissed_at.get(flag.kind, "")
            put("dismissed", f"Dismissed {self._when(at)}. Reason: {flag.dismissed_reason}")
        elif row.kind == "evidence" and row.evidence is not None:
            put(
                "dismissed",
                "Enter opens this session."
                if row.evidence.session_id
                else "This comes from the client record, not from one session.",
            )

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
        if row is None or row.kind not in ("evidence", "positive") or row.evidence is None:
            return
        self.open_session(row.evidence)

    def open_session(self, evidence: Evidence) -> None:
        if evidence.field == "measure":
            self.post_message(ShowClientTab("measures", focus=False))
            return
        if not evidence.session_id:
            self.notify("This evidence comes from the client record, not from one session: see the Record tab.")
            return
        try:
            known = {s.id for s in self.repo.list_sessions(self.client_id)}
        except VaultError as e:
            self.ctx.show_error(e, "The session could not be opened")
            return
        if evidence.session_id not in known:
            self.notify("That session is no longer in the record.", severity="warning")
            return
        self.post_message(OpenSession(self.client_id, evidence.session_id, then=lambda _: self.reload()))

    def chosen_flag(self) -> Flag | None:
        node = self.query_one("#flags-tree", Tree).cursor_node
        return node.data.flag if node is not None and node.data is not None else None  # None on a positive sign

    def action_dismiss_flag(self) -> None:
        flag = self.chosen_flag()
        if flag is None:
            self.notify("Move to a flag first, then press x to dismiss it.")
            return
        if flag.dismissed:
            self.notify(f"This flag is already dismissed. Your reason: {flag.dismissed_reason}")
            return

        def dismissed(reason: str | None) -> None:
            if not reason or not self.unlocked:
                return
            try:
                self.repo.dismiss_flag(self.client_id, flag.kind, flag.key, reason)
            except VaultError as e:
                self.ctx.show_error(e, "The flag was not dismissed")
                return
            self.reload(select=flag.key)
            self.notify("Dismissed. It stays in the history below with your reason, and in supervision summaries.")

        self.app.push_screen(DismissFlagDialog(flag), dismissed)

    def action_supervision(self) -> None:
        open_supervision_export(self, self.client_id)
