"""Unsaved work found after unlocking: what each kind of draft is, and the list to reopen one from."""

from __future__ import annotations

import re

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ...domain.measures import INSTRUMENTS
from ..measure_drafts import PREFIX as MEASURE_PREFIX
from ..measure_drafts import MeasureDraft
from .base import Dialog

SESSION_ID = re.compile(r"[0-9a-f]{8}")


def draft_kind(key: object) -> str:
    """What a draft key is: "record", "new" (a new session), "session", "addendum", "measure", or
    "unknown" (a kind this version cannot reopen, e.g. written by a newer version)."""
    if not isinstance(key, str):
        return "unknown"
    if key in ("record", "new"):
        return key
    if key.startswith("addendum:") and SESSION_ID.fullmatch(key.removeprefix("addendum:")):
        return "addendum"
    if key.startswith(MEASURE_PREFIX):
        return "measure" if key.removeprefix(MEASURE_PREFIX) in INSTRUMENTS else "unknown"
    return "session" if SESSION_ID.fullmatch(key) else "unknown"


class DraftsDialog(Dialog):
    """Unsaved work found after unlocking (the app was closed or crashed mid-edit)."""

    CSS_PATH = ["base.tcss", "drafts.tcss"]
    AUTO_FOCUS = "#drafts"

    def __init__(self, drafts: list[dict], names: dict[str, str] | None = None) -> None:
        super().__init__()
        self.drafts = drafts
        self.names = names or {}

    def describe(self, d: dict) -> str:
        who = self.names.get(d.get("client", ""), "a client")
        draft = d.get("draft") or {}
        if not isinstance(draft, dict):
            draft = {}
        key = d.get("key")
        kind = draft_kind(key)
        dated = f" of {draft.get('date')}" if isinstance(draft.get("date"), str) and draft.get("date") else ""
        if kind == "record":
            what = "changes to the client record"
        elif kind == "addendum":
            what = "an addendum"
        elif kind == "new":
            what = "a new session" + dated
        elif kind == "session":
            what = "changes to the session" + dated
        elif kind == "measure":
            measure = MeasureDraft.from_record(d)
            what = measure.describe() + dated if measure is not None else "a measure in progress"
        else:
            what = f"unsaved work this version cannot reopen ({str(key)[:40]}); it is kept"
        saved = str(d.get("saved", ""))[:16].replace("T", " ")
        return f"{who}: {what} (autosaved {saved} UTC)"

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        with Vertical(classes="dialog -wide"):
            yield Static("Unsaved work was kept for you", classes="dialog-title")
            yield Static(
                "The vault locked or the app closed before this was saved. It is stored encrypted. "
                "Enter reopens it; Escape leaves it for later (it is offered again when you open it).",
                classes="dialog-body",
            )
            yield OptionList(*[Option(self.describe(d), id=str(i)) for i, d in enumerate(self.drafts)], id="drafts")

    @on(OptionList.OptionSelected, "#drafts")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self.drafts[int(event.option.id or 0)])
