"""Display text for outcome measures shared by the entry dialog and the read-only views: answers,
totals, caseness, the answer strip, and the user's own licensed WSAS wording."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual.content import Content

from ...domain.measures import (
    NA,
    Instrument,
    Response,
    Score,
    format_total,
    load_wsas_wording,
)

MUTED = "$text-muted"
RISK = "bold $error"


# ------------------------------------------------------------------------------------------------
# Shared display helpers
# ------------------------------------------------------------------------------------------------


def wsas_wording_dir() -> Path:
    """The config folder where the user may put their own licensed WSAS wording."""
    import platformdirs

    return Path(platformdirs.user_config_dir("sessionnotes", appauthor=False))


def user_wsas_wording() -> tuple[tuple[str, ...] | None, str]:
    """The user's licensed WSAS wording (or None) and a sentence when the file could not be used."""
    try:
        return load_wsas_wording(wsas_wording_dir()), ""
    except ValueError as e:
        return None, f"{e} The domain labels are shown instead."
    except OSError as e:
        return None, f"The WSAS wording file could not be read ({e.strerror or e}). The domain labels are shown instead."


def answer_text(ins: Instrument, number: int, value: Response, decided: bool = True) -> str:
    """'2 More than half the days', 'unanswered', 'not applicable' (or '·' when not reached yet)."""
    if not decided:
        return "·"
    if value is None:
        return "unanswered"
    if value == NA:
        return "not applicable"
    label = ins.response_label(int(value), number)
    return f"{value} {label}".strip()


def short_answer(value: Response, decided: bool = True) -> str:
    if not decided:
        return "·"
    if value is None:
        return "–"
    if value == NA:
        return "na"
    return str(value)


def caseness_text(ins: Instrument, s: Score) -> str:
    if ins.caseness is None:
        return f"no caseness cut-off is established for {ins.name}"
    if s.caseness is None:
        return f"caseness cannot be judged without a total (cut-off {ins.caseness})"
    if s.caseness:
        return f"at or above the cut-off ({ins.caseness} or more)"
    return f"below the cut-off ({ins.caseness})"


def total_line(ins: Instrument, s: Score) -> Content:
    if s.total is None:
        answered = f" ({s.items_answered} of {s.items_applicable} items answered). "
        return Content.assemble(("No total: incomplete", "bold"), answered, "A missing item is never counted as 0.")
    parts: list[str | tuple[str, str]] = [("Total ", "bold"), (f"{format_total(s.total)} out of {s.maximum}", "bold")]
    if s.prorated:
        parts.append((" (prorated)", "bold $warning"))
    parts.append(f" · {s.band} · {caseness_text(ins, s)}")
    return Content.assemble(*parts)


def answer_strip(ins: Instrument, answers: Sequence[Response], decided: Sequence[bool], current: int | None) -> Content:
    """Two lines: item numbers and the answers so far, the current item highlighted."""
    numbers: list[str | tuple[str, str]] = [("item   ", MUTED)]
    values: list[str | tuple[str, str]] = [("answer ", MUTED)]
    for index in range(ins.n_items):
        style = "reverse bold" if index == current else ""
        risk = ins.items[index].risk
        numbers.append((f"{index + 1:>3}", style or (RISK if risk else MUTED)))
        values.append((f"{short_answer(answers[index], decided[index]):>3}", style))
    return Content.assemble(*numbers, "\n", *values)
