"""The risk notice: shown at once when a saved measure has a risk answer (PHQ-9 item 9 answered above
"Not at all" or left unanswered; CORE-10 item 6 answered above "Not at all").

It cannot be missed and cannot be waved away: Escape does not close it, only the Acknowledge button
does. The acknowledgement (time and an optional note) is written to the vault with the result
(``Repository.acknowledge_risk``) before the notice closes. If the vault locks while it is open, the
result keeps its "not acknowledged" marker in the Measures tab, which reopens the notice with ``r``.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Input, Static

from ...domain.measures import MeasureResult
from ...vault import VaultError
from ..context import ResumePoint, context_of
from .base import Dialog

ESCAPE_REFUSED = (
    "This notice stays open until you acknowledge it. Type a note if you wish, then press Tab to reach "
    "'Acknowledge' and press Enter."
)


class RiskNotice(Dialog):
    """A prominent modal about one result's risk answers. Dismisses with True once acknowledged."""

    CSS_PATH = ["base.tcss", "risk_notice.tcss"]
    AUTO_FOCUS = "#risk-note"
    BINDINGS = [Binding("escape", "cancel", "Stays open until acknowledged", id="risk.escape", show=False)]

    def __init__(self, client_id: str, result: MeasureResult, who: str = "") -> None:
        super().__init__()
        self.client_id = client_id
        self.result = result
        self.who = who

    def compose(self) -> ComposeResult:
        r = self.result
        s = r.score
        ins = r.definition
        total = "no total (incomplete)" if s.total is None else f"total {s.display()}"
        where = f"{self.who}: " if self.who else ""
        with Vertical(classes="dialog -wide -danger", id="risk-box"):
            yield Static("RISK ANSWER: PLEASE READ BEFORE YOU GO ON", id="risk-title")
            yield Static(f"{where}{ins.name} of {r.date.isoformat()}, {total}.", classes="dialog-body")
            for reason in s.risk_reasons:
                yield Static(reason, classes="risk-reason")
            yield Static(
                "A risk answer is flagged whatever the total. Acknowledging records that you have seen it; "
                "the time and your note are kept with this result. A risk flag stays on the client (Flags tab, "
                "caseload) until you dismiss it with a reason once the risk has been reviewed.",
                classes="dialog-body",
            )
            yield Input(id="risk-note", placeholder="Note (optional), e.g. asked directly today; no plans; safety plan reviewed")
            yield Static("", id="risk-error", classes="error-text")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Acknowledge", id="risk-ack", variant="error")
            yield Static("Tab reaches Acknowledge; Enter presses it. Escape does not close this notice.", classes="hint-text")

    def prepare_lock(self) -> ResumePoint | None:
        """After unlocking, come back to the Measures tab, where the result is marked 'not acknowledged'."""
        return ResumePoint(self.client_id, None, "measures")

    def action_cancel(self) -> None:
        self.query_one("#risk-error", Static).update(ESCAPE_REFUSED)

    @on(Input.Submitted, "#risk-note")
    def _note_done(self, event: Input.Submitted) -> None:
        if event.value.strip():
            self.query_one("#risk-ack", Button).focus()
        else:
            self.query_one("#risk-error", Static).update(
                "To acknowledge without a note, press Tab to reach 'Acknowledge', then Enter."
            )

    @on(Button.Pressed, "#risk-ack")
    def _acknowledge(self) -> None:
        repo = context_of(self).repo
        error = self.query_one("#risk-error", Static)
        if repo is None:
            error.update("The vault is locked, so the acknowledgement could not be saved. Unlock it and try again.")
            return
        note = self.query_one("#risk-note", Input).value.strip()
        try:
            repo.acknowledge_risk(self.client_id, self.result.id, note)
        except VaultError as e:
            hint = getattr(e, "hint", "")
            error.update(f"The acknowledgement was not saved: {e} {hint}".strip())
            return
        self.dismiss(True)
