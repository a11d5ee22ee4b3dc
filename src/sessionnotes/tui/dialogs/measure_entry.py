"""Entering an outcome measure from the keyboard, and the offer to carry on with one kept as a draft.

Entry goes: choose the measure (1-5 or arrows and Enter), confirm the date (today by default), then
item by item: a digit answers and moves on, ``-`` leaves the item unanswered (stored as ``None``,
never 0), ``n`` or ``a`` marks it not applicable where the measure allows that, Backspace goes back.
The response labels are always on screen. A summary with the score comes last; Enter saves.

Licences: PHQ-9, GAD-7 and PHQ-15 wording is shown (free to reproduce); CORE-10 wording verbatim
with its copyright line; WSAS shows domain labels only, unless the user has put their own licensed
wording in ``wsas_wording.toml`` in the config folder.
"""

from __future__ import annotations

import datetime as dt

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from ...domain.measures import (
    CORE10,
    INSTRUMENTS,
    NA,
    PHYSICAL_SYMPTOM_OVERLAP_NOTE,
    WSAS,
    WSAS_WORDING_FILENAME,
    Instrument,
    MeasureResult,
    Response,
    Score,
    item_texts,
    score,
)
from ...vault import VaultError
from ..context import ResumePoint, context_of
from ..labels import parse_day
from ..measure_drafts import MeasureDraft, draft_key, measure_drafts
from .base import ConfirmDialog, Dialog
from .measure_text import MUTED, RISK, answer_strip, total_line, user_wsas_wording, wsas_wording_dir

PICK_HINTS = {
    "phq9": "depression · 9 items · last 2 weeks",
    "gad7": "anxiety · 7 items · last 2 weeks",
    "phq15": "physical symptoms · 15 items · past 4 weeks",
    "wsas": "work and social functioning · 5 items",
    "core10": "psychological distress · 10 items · last week",
}

OVERLAP_SHORT = (
    "Several PHQ-9 and GAD-7 items overlap with physical symptoms (sleep, energy, appetite, concentration, "
    "restlessness); the full note is in the Measures tab."
)

# ------------------------------------------------------------------------------------------------
# The entry dialog
# ------------------------------------------------------------------------------------------------


class EntryPad(Static, can_focus=True):
    """The item or summary page; it holds the focus so the keys reach the entry dialog."""


class MeasureEntry(Dialog):
    """Enter one measure; saves it and dismisses with the saved MeasureResult (None if cancelled)."""

    CSS_PATH = ["base.tcss", "measure_entry.tcss"]
    AUTO_FOCUS = "#entry-pick"
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="measure_entry.cancel")]

    def __init__(self, client_id: str, today: dt.date, who: str = "", draft: MeasureDraft | None = None) -> None:
        super().__init__()
        self.client_id = client_id
        self.today = today
        self.who = who
        self.ins: Instrument = next(iter(INSTRUMENTS.values()))
        self.on_date: dt.date = today
        self.step = "start"
        self.pos = 0
        self.answers: list[Response] = []
        self.decided: list[bool] = []
        self.answers_code = ""
        """The measure ``answers`` belong to (the pick may already show another one)."""
        self.resume_draft = draft
        """The draft to carry on from when the dialog opens."""
        self.resumed: MeasureDraft | None = None
        """The kept draft this entry carries on from (removed when the entry is saved or discarded)."""
        self.drafts: dict[str, MeasureDraft] = {}
        """This client's measure drafts by measure code (shown in the pick list)."""
        self.prorate = False
        self.texts: tuple[str, ...] = ()
        self.wording_problem = ""
        self.user_wsas = False
        self.message = ""
        self.notice = ""
        """A remark that is not an error (a kept draft was resumed), shown until the next answer."""

    # -- layout ----------------------------------------------------------------------------------

    def _read_drafts(self) -> dict[str, MeasureDraft]:
        repo = context_of(self).repo
        if repo is None:
            return {}
        try:
            return {d.ins.code: d for d in reversed(measure_drafts(repo.drafts(), self.client_id))}
        except VaultError:
            return {}

    def _pick_prompt(self, n: int, code: str, ins: Instrument) -> Content:
        draft = self.drafts.get(code)
        hint = (PICK_HINTS[code], MUTED)
        if draft is not None:
            hint = (f"in progress: {draft.progress()} · choose it to carry on", "bold $warning")
        return Content.assemble((f"{n}  {ins.name:<8}", "bold"), hint)

    def compose(self) -> ComposeResult:
        self.drafts = self._read_drafts()
        yield from self.compose_banner()
        title = "New measure" + (f" for {self.who}" if self.who else "")
        with Vertical(classes="dialog -wide", id="entry-box"):
            yield Static(title, classes="dialog-title", id="entry-title")
            with Vertical(id="entry-start"):
                yield Static("Which measure? Press its number, or use the arrows and Enter.", classes="dialog-body")
                yield OptionList(
                    *[
                        Option(self._pick_prompt(n, code, ins), id=code)
                        for n, (code, ins) in enumerate(INSTRUMENTS.items(), start=1)
                    ],
                    id="entry-pick",
                )
                yield Static(
                    "Date the form was completed (YYYY-MM-DD); Enter starts the items.",
                    classes="hint-text",
                    id="entry-date-label",
                )
                yield Input(self.today.isoformat(), id="entry-date", placeholder="YYYY-MM-DD")
                yield Static("", id="entry-error", classes="error-text")
                yield Static("Escape cancels.", classes="hint-text")
            with VerticalScroll(id="entry-scroll", can_focus=False):
                yield EntryPad("", id="entry-pad")

    def on_mount(self) -> None:
        super().on_mount()
        if self.resume_draft is not None:
            draft, self.resume_draft = self.resume_draft, None
            self._resume(draft)

    # -- the kept draft ----------------------------------------------------------------------------

    def draft_state(self) -> dict | None:
        """The entry as a draft payload, or None when there is nothing to keep (no answer, date unchanged)."""
        if self.step == "start":
            date_text = self.query_one("#entry-date", Input).value.strip()
        else:
            date_text = self.on_date.isoformat()
        has_answers = any(self.decided) and self.answers_code in INSTRUMENTS
        if not has_answers and date_text == self.today.isoformat():
            return None
        ins = INSTRUMENTS[self.answers_code] if has_answers else self.ins
        answers: list[Response] = list(self.answers) if has_answers else [None] * ins.n_items
        decided = list(self.decided) if has_answers else [False] * ins.n_items
        return MeasureDraft(ins, date_text, answers, decided, self.prorate and has_answers).payload()

    def prepare_lock(self) -> ResumePoint | None:
        """Keep the answers so far as an encrypted draft (``measure:<code>``) before the vault locks."""
        state = self.draft_state()
        repo = context_of(self).repo
        if state is not None and repo is not None:
            repo.save_draft(self.client_id, draft_key(state["instrument"]), state)
        return ResumePoint(self.client_id, None, "measures")

    def _resume(self, draft: MeasureDraft) -> None:
        """Carry on from a kept draft: the answers in place, at the first item not reached yet."""
        self.resumed = draft
        self.ins = draft.ins
        self.answers, self.decided = list(draft.answers), list(draft.decided)
        self.answers_code = draft.ins.code
        self.prorate = draft.prorate
        codes = list(INSTRUMENTS)
        self.query_one("#entry-pick", OptionList).highlighted = codes.index(draft.ins.code)
        try:
            on_date = parse_day(draft.date_text)
        except ValueError:
            on_date = None
        first = draft.first_open()
        self.pos = first if first is not None else self.ins.n_items - 1
        if on_date is not None and on_date <= self.today and any(self.decided):
            self.on_date = on_date
            self._start_items()
            if first is None:
                self.step = "summary"
            self.notice = f"Carrying on with the answers kept when the vault locked ({draft.progress()})."
            self._show()
            return
        # Only the date was changed (or it is not usable): back on the first page, as it was.
        self._choose(draft.ins.code, resume=False)
        self.query_one("#entry-date", Input).value = draft.date_text
        self.query_one("#entry-error", Static).update(
            f"Carrying on with the {draft.ins.name} kept when the vault locked ({draft.progress()}). "
            "Check the date and press Enter."
        )

    def _forget_draft(self, key: str | None) -> None:
        repo = context_of(self).repo
        if key is None or repo is None:
            return
        try:
            repo.discard_draft(self.client_id, key)
        except VaultError as e:
            self.app.notify(f"The kept draft could not be removed: {e}", severity="warning")

    # -- step 1: measure and date ------------------------------------------------------------------

    def on_key(self, event: events.Key) -> None:
        handled = False
        if self.step == "start":
            handled = self._start_key(event)
        elif self.step == "items":
            handled = self._item_key(event)
        elif self.step == "summary":
            handled = self._summary_key(event)
        if handled:
            event.stop()
            event.prevent_default()

    def _start_key(self, event: events.Key) -> bool:
        pick = self.query_one("#entry-pick", OptionList)
        if self.focused is not pick or not event.character or not event.character.isdigit():
            return False
        number = int(event.character)
        if 1 <= number <= len(INSTRUMENTS):
            pick.highlighted = number - 1
            self._choose(list(INSTRUMENTS)[number - 1])
        else:
            self.query_one("#entry-error", Static).update(f"Press a number from 1 to {len(INSTRUMENTS)}.")
        return True

    @on(OptionList.OptionSelected, "#entry-pick")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id or "phq9")

    def _choose(self, code: str, resume: bool = True) -> None:
        draft = self.drafts.get(code)
        if resume and draft is not None and self.resumed is None and not any(self.decided):
            self._resume(draft)
            return
        self.ins = INSTRUMENTS[code]
        self.query_one("#entry-error", Static).update("")
        self.query_one("#entry-date-label", Static).update(
            f"{self.ins.name}: date the form was completed (YYYY-MM-DD). Enter starts the items."
        )
        self.query_one("#entry-date", Input).focus()

    @on(Input.Submitted, "#entry-date")
    def _date_done(self, event: Input.Submitted) -> None:
        error = self.query_one("#entry-error", Static)
        try:
            on_date = parse_day(event.value)
        except ValueError as e:
            error.update(str(e))
            return
        if on_date is None:
            error.update(f"Type the date the form was completed, e.g. {self.today.isoformat()}.")
            return
        if on_date > self.today:
            error.update(f"{on_date.isoformat()} is in the future. Type the date the form was completed.")
            return
        pick = self.query_one("#entry-pick", OptionList)
        if self.step == "start" and pick.highlighted is not None and self.ins.code != list(INSTRUMENTS)[pick.highlighted]:
            self.ins = INSTRUMENTS[list(INSTRUMENTS)[pick.highlighted]]
        error.update("")
        self.on_date = on_date
        self._start_items()

    def _start_items(self) -> None:
        ins = self.ins
        if len(self.answers) != ins.n_items or self.answers_code != ins.code:
            self.answers = [None] * ins.n_items
            self.decided = [False] * ins.n_items
            self.answers_code = ins.code
            self.pos = 0
            self.prorate = False
        wording = None
        self.wording_problem = ""
        if ins is WSAS:
            wording, self.wording_problem = user_wsas_wording()
        self.user_wsas = wording is not None
        self.texts = item_texts(ins, wording)
        self.query_one("#entry-start").display = False
        self.query_one("#entry-scroll").display = True
        pad = self.query_one("#entry-pad", EntryPad)
        self.step = "items"
        self.message = ""
        self._show()
        pad.focus()

    def _back_to_start(self) -> None:
        self.step = "start"
        self.query_one("#entry-scroll").display = False
        self.query_one("#entry-start").display = True
        self.query_one("#entry-title", Static).update("New measure" + (f" for {self.who}" if self.who else ""))
        self.query_one("#entry-date", Input).focus()

    # -- step 2: items -----------------------------------------------------------------------------

    def _item_key(self, event: events.Key) -> bool:
        ins = self.ins
        item = ins.items[self.pos]
        char = event.character or ""
        if event.key == "backspace" or event.key == "left":
            self.message = ""
            if self.pos == 0:
                self._back_to_start()
            else:
                self.pos -= 1
                self._show()
            return True
        if char.isdigit():
            value = int(char)
            if ins.item_min <= value <= ins.item_max:
                self._answer(value)
            else:
                self.message = f"{ins.name} answers are {ins.item_min} to {ins.item_max}."
                self._show()
            return True
        if char == "-":
            self._answer(None)
            return True
        if char in ("n", "a", "N", "A"):
            if item.na_allowed:
                self._answer(NA)
            else:
                self.message = f"Item {item.number} cannot be marked not applicable. Press - to leave it unanswered."
                self._show()
            return True
        if event.key in ("enter", "right"):
            if self.decided[self.pos]:
                self._advance()
            else:
                self.message = "Type an answer, or press - to leave this item unanswered."
                self._show()
            return True
        return False

    def _answer(self, value: Response) -> None:
        self.notice = ""
        self.answers[self.pos] = value
        self.decided[self.pos] = True
        self.message = ""
        self._advance()

    def _advance(self) -> None:
        if self.pos < self.ins.n_items - 1:
            self.pos += 1
        else:
            self.step = "summary"
        self.message = ""
        self._show()

    # -- step 3: summary ---------------------------------------------------------------------------

    def current_score(self) -> Score:
        return score(self.ins, self.answers, prorate=self.prorate)

    def can_prorate(self) -> bool:
        s = self.current_score()
        return self.ins is not CORE10 and self.ins.proration_max_missing > 0 and bool(s.items_missing)

    def _summary_key(self, event: events.Key) -> bool:
        if event.key == "backspace" or event.key == "left":
            self.step = "items"
            self.pos = self.ins.n_items - 1
            self.message = ""
            self._show()
            return True
        if event.key == "enter":
            self._save()
            return True
        if event.character in ("p", "P"):
            if self.can_prorate() or self.prorate:
                self.prorate = not self.prorate
                self.message = ""
            else:
                self.message = (
                    "Proration does not apply here."
                    if self.ins is not CORE10
                    else ("CORE-10 follows its own rule: prorated only when exactly one item is missing.")
                )
            self._show()
            return True
        return False

    def _save(self) -> None:
        repo = context_of(self).repo
        if repo is None:
            self.message = "The vault is locked; unlock it and enter the measure again."
            self._show()
            return
        result = MeasureResult(instrument=self.ins.code, date=self.on_date, responses=tuple(self.answers), prorate=self.prorate)
        try:
            repo.add_measure(self.client_id, result)
        except VaultError as e:
            hint = getattr(e, "hint", "")
            self.message = f"The measure was not saved: {e} {hint}".strip()
            self._show()
            return
        self._forget_draft(draft_key(self.ins.code))  # saved: a draft kept for this measure is done with
        self.dismiss(result)

    # -- cancel --------------------------------------------------------------------------------

    def action_cancel(self) -> None:
        resumed = self.resumed
        if resumed is None and (not any(self.decided) or self.step == "start"):
            self.dismiss(None)
            return

        def answer(discard: bool | None) -> None:
            if discard:
                self._forget_draft(resumed.key if resumed is not None else None)
                self.dismiss(None)

        if resumed is not None:
            title = f"Discard the {resumed.ins.name} in progress?"
            body = "The answers kept when the vault locked, and any you typed since, are removed. They have not been saved."
        else:
            title, body = f"Discard this {self.ins.name}?", "The answers you typed have not been saved."
        self.app.push_screen(ConfirmDialog(title, body, "Discard", "Keep entering", danger=True), answer)

    # -- drawing -------------------------------------------------------------------------------

    def _show(self) -> None:
        where = f"item {self.pos + 1} of {self.ins.n_items}" if self.step == "items" else "check before saving"
        self.query_one("#entry-title", Static).update(
            f"{self.ins.name}" + (f" for {self.who}" if self.who else "") + f" · {self.on_date.isoformat()} · {where}"
        )
        pad = self.query_one("#entry-pad", EntryPad)
        pad.update(self.items_view() if self.step == "items" else self.summary_view())
        if self.step == "summary":
            self.query_one("#entry-scroll", VerticalScroll).scroll_home(animate=False)

    def _attribution(self) -> list[Content]:
        ins = self.ins
        lines = []
        if ins is WSAS and not self.user_wsas:
            lines.append(
                Content.styled(
                    "Domain labels only: the WSAS item wording is not licensed to sessionnotes. To use your own licensed "
                    f"wording, put it in {wsas_wording_dir() / WSAS_WORDING_FILENAME}.",
                    MUTED,
                )
            )
        if self.wording_problem:
            lines.append(Content.styled(self.wording_problem, "$warning"))
        lines.append(Content.styled(ins.copyright_line, MUTED if ins is not CORE10 else ""))
        return lines

    def items_view(self) -> Content:
        ins = self.ins
        item = ins.items[self.pos]
        current = self.answers[self.pos] if self.decided[self.pos] else object()
        lines: list[Content] = [
            Content.styled(ins.stem, MUTED),
            Content.assemble((f"{item.number}. ", "bold"), (self.texts[self.pos], "bold $accent")),
        ]
        if item.help:
            # WSAS items carry a licence remark; the attribution lines below say it once.
            help_text = item.help.split("Domain label only")[0]
            if help_text.strip():
                lines.append(Content.styled(help_text.strip(), RISK if item.risk else "$warning"))
        lines.append(Content(""))
        for value in range(ins.item_min, ins.item_max + 1):
            label = ins.response_label(value, item.number) or "·"
            chosen = current == value
            lines.append(
                Content.assemble(
                    ("▸ " if chosen else "  ", "bold $accent"),
                    (f"{value}", "bold reverse" if chosen else "bold"),
                    "  ",
                    (label, "bold" if chosen else ("" if label != "·" else MUTED)),
                )
            )
        chosen = current is None
        lines.append(
            Content.assemble(
                ("▸ " if chosen else "  ", "bold $accent"),
                ("-", "bold reverse" if chosen else "bold"),
                ("  leave unanswered (never counted as 0)", MUTED),
            )
        )
        if item.na_allowed:
            chosen = current == NA
            lines.append(
                Content.assemble(
                    ("▸ " if chosen else "  ", "bold $accent"),
                    ("n", "bold reverse" if chosen else "bold"),
                    ("  " + (item.na_label or "not applicable"), MUTED),
                )
            )
        lines.append(Content(""))
        lines.append(answer_strip(ins, self.answers, self.decided, self.pos))
        if self.notice:
            lines.append(Content.styled(self.notice, "bold $accent"))
        if self.message:
            lines.append(Content.styled(self.message, "bold $error"))
        keys = "Digit: answer and go on · -: unanswered"
        if ins.na_items:
            keys += " · n: not applicable (where allowed)"
        keys += " · Backspace: back · Escape: cancel"
        lines.append(Content.styled(keys, MUTED))
        lines.extend(self._attribution())
        return Content("\n").join(lines)

    def summary_view(self) -> Content:
        ins = self.ins
        s = self.current_score()
        lines: list[Content] = [
            answer_strip(ins, self.answers, self.decided, None),
            Content(""),
            total_line(ins, s),
        ]
        if s.total is not None:
            lines.append(Content.styled(f"{s.items_answered} of {s.items_applicable} applicable items answered.", MUTED))
        for reason in s.risk_reasons:
            lines.append(Content.assemble(("RISK: ", RISK), (reason, "$error")))
        for note in s.notes:
            if note == PHYSICAL_SYMPTOM_OVERLAP_NOTE:
                note = OVERLAP_SHORT
            lines.append(Content.styled(note, MUTED))
        lines.append(Content(""))
        if self.notice:
            lines.append(Content.styled(self.notice, "bold $accent"))
        if self.message:
            lines.append(Content.styled(self.message, "bold $error"))
        keys = "Enter saves · Backspace goes back to change an answer"
        if self.prorate:
            keys += " · p turns proration off"
        elif self.can_prorate():
            keys += f" · p prorates (optional setting: at most {ins.proration_max_missing} missing; interpret cautiously)"
        keys += " · Escape cancels"
        lines.append(Content.styled(keys, MUTED))
        if s.risk:
            lines.append(Content.styled("After saving, a risk notice asks you to acknowledge the risk answer.", "$error"))
        lines.extend(self._attribution())
        return Content("\n").join(lines)


class MeasureDraftOffer(Dialog):
    """A measure entry kept when the vault locked: carry on, discard, or decide later.

    Dismisses with "resume", "discard" or None (later: the draft stays and is offered again)."""

    CSS_PATH = ["base.tcss", "measure_entry.tcss"]
    AUTO_FOCUS = "#draft-choice"

    def __init__(self, draft: MeasureDraft, who: str = "") -> None:
        super().__init__()
        self.draft = draft
        self.who = who

    def compose(self) -> ComposeResult:
        d = self.draft
        saved = d.saved[:16].replace("T", " ")
        dated = f", dated {d.date_text}" if d.date_text else ""
        yield from self.compose_banner()
        with Vertical(classes="dialog -wide", id="draft-offer"):
            yield Static(f"{d.ins.name} in progress" + (f" for {self.who}" if self.who else ""), classes="dialog-title")
            yield Static(
                f"A {d.ins.name} was being entered when the vault locked: {d.progress()}{dated}. "
                f"The answers were kept encrypted" + (f" at {saved} UTC" if saved else "") + ". "
                "Nothing has been saved as a result yet.",
                classes="dialog-body",
            )
            first = d.first_open()
            where = f"at item {first + 1}" if first is not None else "at the summary"
            yield OptionList(
                Option(f"Carry on {where}, with the earlier answers in place", id="resume"),
                Option("Discard these answers", id="discard"),
                Option("Decide later (kept; choosing it after n carries on)", id="later"),
                id="draft-choice",
            )
            yield Static("Enter chooses. Escape decides later.", classes="hint-text")

    @on(OptionList.OptionSelected, "#draft-choice")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id
        self.dismiss(choice if choice in ("resume", "discard") else None)
