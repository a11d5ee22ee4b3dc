"""Read-only views of outcome measures: one result with every answer, and the scoring rules with
their sources and licences."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Static

from ...domain.measures import (
    IAPT_RULES,
    INSTRUMENTS,
    WSAS,
    Instrument,
    MeasureResult,
    item_texts,
    reliable_change,
)
from ..labels import change_words
from .base import Dialog
from .measure_text import MUTED, RISK, answer_text, total_line, user_wsas_wording

# ------------------------------------------------------------------------------------------------
# Read-only views
# ------------------------------------------------------------------------------------------------


class MeasureDetailDialog(Dialog):
    """Every answer of one result, its score, notes and risk acknowledgement. Escape or Enter closes."""

    CSS_PATH = ["base.tcss", "measure_views.tcss"]
    AUTO_FOCUS = "#detail-scroll"
    BINDINGS = [Binding("escape,enter", "cancel", "Close", id="measure_detail.close")]

    def __init__(self, result: MeasureResult, previous: MeasureResult | None = None) -> None:
        super().__init__()
        self.result = result
        self.previous = previous

    def compose(self) -> ComposeResult:
        r = self.result
        ins = r.definition
        s = r.score
        wording, problem = user_wsas_wording() if ins is WSAS else (None, "")
        texts = item_texts(ins, wording)
        yield from self.compose_banner()
        with Vertical(classes="dialog -wide", id="detail-box"):
            yield Static(f"{ins.name} of {r.date.isoformat()}", classes="dialog-title")
            with VerticalScroll(id="detail-scroll"):
                yield Static(total_line(ins, s))
                if self.previous is not None and self.previous.score.total is not None and s.total is not None:
                    delta = s.total - self.previous.score.total
                    words, _kind = change_words(ins, delta, reliable_change(ins, self.previous, r))
                    yield Static(f"Change since {self.previous.date.isoformat()}: {words}.", classes="hint-text")
                if s.prorated or s.incomplete:
                    yield Static(f"{s.items_answered} of {s.items_applicable} applicable items answered.", classes="hint-text")
                ack = r.extra.get("risk_acknowledged")
                for reason in s.risk_reasons:
                    yield Static(Content.assemble(("RISK: ", RISK), (reason, "$error")))
                if s.risk:
                    if isinstance(ack, dict):
                        when = str(ack.get("at", ""))[:16].replace("T", " ")
                        note = str(ack.get("note") or "").strip()
                        yield Static(f"Acknowledged {when} UTC" + (f": {note}" if note else " (no note)."), classes="hint-text")
                    else:
                        yield Static(Content.styled("Not acknowledged yet: press r in the Measures table.", RISK))
                lines: list[Content] = []
                for n, (item, text) in enumerate(zip(ins.items, texts, strict=True), start=1):
                    value = r.responses[n - 1]
                    answer = answer_text(ins, n, value)
                    if isinstance(value, int) and item.reverse:
                        answer += f" (reverse-keyed: scores {s.item_scores[n - 1]})"
                    style = RISK if item.risk and (value is None or (isinstance(value, int) and value >= 1)) else ""
                    lines.append(Content.assemble((f"{n:>2}. ", "bold"), text, (" → ", MUTED), (answer, style or "bold")))
                yield Static(Content("\n").join(lines), id="detail-items")
                for note in s.notes:
                    yield Static(note, classes="hint-text detail-note")
                if ins is WSAS and wording is None:
                    yield Static(
                        "Domain labels only: the WSAS item wording is not licensed to sessionnotes.", classes="hint-text"
                    )
                if problem:
                    yield Static(problem, classes="error-text")
                yield Static(ins.copyright_line, classes="detail-copyright")
            yield Static("Escape or Enter closes. Arrows scroll.", classes="hint-text")


def rules_lines(first: Instrument | None) -> list[tuple[str, Content]]:
    """(kind, text) for every rule of every measure with its source mark; unconfirmed rules say so.
    ``kind`` is "heading", "rule" or "note" (for layout)."""
    order = list(INSTRUMENTS.values())
    if first is not None:
        order.sort(key=lambda i: i is not first)
    out: list[tuple[str, Content]] = []
    for ins in order:
        out.append(("heading", Content.styled(f"{ins.name}: {ins.full_name}", "bold $primary")))
        for rule in ins.rules().values():
            out.append(("rule", Content.styled("• " + rule.describe(), "" if rule.confirmed else "$warning")))
        out.append(("rule", Content.assemble(("• Licence: ", MUTED), ins.licence)))
        out.append(("rule", Content.styled("• " + ins.copyright_line, MUTED)))
    out.append(
        ("heading", Content.styled("IAPT-style change (PHQ-9 + GAD-7, first and latest pair on the same date)", "bold $primary"))
    )
    for rule in IAPT_RULES.values():
        out.append(("rule", Content.styled("• " + rule.describe(), "" if rule.confirmed else "$warning")))
    out.append(
        (
            "note",
            Content.styled(
                "Marks: C confirmed from a primary source; S secondary source; CamCOPS how CamCOPS does it; "
                "UNCONFIRMED: no source found, check before relying on it.",
                MUTED,
            ),
        )
    )
    return out


class RulesDialog(Dialog):
    """The rules, sources and licences of the measures (the current one first)."""

    CSS_PATH = ["base.tcss", "measure_views.tcss"]
    AUTO_FOCUS = "#rules-scroll"
    BINDINGS = [Binding("escape,enter,i", "cancel", "Close", id="measure_rules.close")]

    def __init__(self, first: Instrument | None = None) -> None:
        super().__init__()
        self.first = first

    def compose(self) -> ComposeResult:
        yield from self.compose_banner()
        with Vertical(classes="dialog -wide", id="rules-box"):
            yield Static("How the measures are scored: rules, sources, licences", classes="dialog-title")
            with VerticalScroll(id="rules-scroll"):
                for kind, text in rules_lines(self.first):
                    yield Static(text, classes=f"rules-{kind}")
            yield Static("Escape closes. Arrows scroll.", classes="hint-text")
