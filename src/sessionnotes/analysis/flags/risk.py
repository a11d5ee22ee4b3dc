"""The risk item on outcome measures: a safety prompt shown with the flags.

Not a process pattern: when the latest PHQ-9 or CORE-10 has its risk item (PHQ-9 item 9, CORE-10
item 6) answered 1 or more, or left unanswered, a ``measure-risk`` flag is raised so the notice
reaches the caseload. Following the scoring guidance of both measures, it stays open until the
therapist dismisses it with a reason: acknowledging the notice when the measure was entered is not
the same as reviewing the risk.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from .facts import as_date, as_text, make_flag, read_field
from .model import Evidence, Flag

R_RISK = (
    "A risk item answered above zero, or left unanswered, calls for the clinician's review whatever the total: "
    "PHQ-9 item 9 and CORE-10 item 6 (the scoring guidance of both measures; the rules are under i in the Measures "
    "tab). An unanswered risk item is not the same as a reassuring answer."
)
S_RISK = (
    "Ask about it directly, assess risk following your service's procedure, and record what was agreed. Dismiss this "
    "flag with a short reason (for example when the risk assessment is done and recorded)."
)
_RISK_INSTRUMENTS = ("phq9", "core10")


def measure_risk(measures: Sequence[Any]) -> list[Flag]:
    """One ``measure-risk`` flag for each of PHQ-9 and CORE-10 whose latest result has its risk
    item endorsed or unanswered. Keyed by the measure's id, so a dismissal covers that result and a
    later positive result raises a new flag."""
    latest: dict[str, Any] = {}
    for m in measures:
        code = as_text(read_field(m, "instrument", ""))
        if code not in _RISK_INSTRUMENTS:
            continue
        order = (read_field(m, "date", None) or dt.date.min, as_text(read_field(m, "id", "")))
        if code not in latest or order >= latest[code][0]:
            latest[code] = (order, m)
    out: list[Flag] = []
    for code in _RISK_INSTRUMENTS:
        if code not in latest:
            continue
        m = latest[code][1]
        try:
            score = m.score
        except (AttributeError, ValueError):
            continue
        if not score.risk:
            continue
        name = m.definition.name if hasattr(m, "definition") else code
        date = as_date(read_field(m, "date", None))
        evidence = [Evidence("", date, "measure", reason) for reason in score.risk_reasons]
        ack = read_field(m, "risk_acknowledged", None)
        when = date.isoformat() if date else "an undated day"
        summary = f"The latest {name} ({when}) has its risk item endorsed or unanswered."
        if isinstance(ack, dict) and ack.get("at"):
            summary += f" The notice was acknowledged on {str(ack['at'])[:10]}; the flag stays until the risk is reviewed."
        out.append(
            make_flag(
                "measure-risk",
                "high",
                [],
                evidence,
                R_RISK,
                S_RISK,
                summary,
                anchor=f"{code}:{as_text(read_field(m, 'id', '')) or when}",
            )
        )
    return out
