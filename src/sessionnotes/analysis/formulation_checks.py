"""Advisory warnings on formulation changes (non-blocking; kept with the version that raised them).

Rules (Balabanovic 2017, sub-categories 6.6 and 7.2; Joint Commissioning Panel for Mental Health 2017):
- a layer 4-5 item marked shared while the client is still at drawing-in or meeting;
- a layer 4-5 item marked shared before the patient has agreed emotional factors may be relevant;
- an item shared again after the patient disputed it;
- a shared item worded with certainty (the language checker's certainty rule, hedges respected).
"""

from __future__ import annotations

from ..domain.formulation import DEEP_LAYERS, ItemVersion
from ..domain.models import Client


def certainty_findings(text: str) -> list[str]:
    """Phrases in `text` that state a cause with certainty (hedged wording does not count)."""
    from .language import check

    return [f.matched for f in check(text, "shared") if f.category in ("certainty about cause", "dualistic") and not f.quoted]


def warnings_for(new: ItemVersion, previous: ItemVersion | None, client: Client, current_stage: str) -> list[str]:
    out: list[str] = []
    newly_shared = new.is_shared and (previous is None or not previous.is_shared or previous.date_shared != new.date_shared)
    if new.is_shared and new.layer in DEEP_LAYERS:
        if current_stage in ("drawing-in", "meeting") and newly_shared:
            out.append(
                f"A layer {new.layer[1]} hypothesis is marked shared while the work is at the "
                f"{'drawing-in' if current_stage == 'drawing-in' else 'meeting'} stage: deeper links "
                "usually land better once the alliance can hold them (Balabanovic 2017, sub-category 6.6)."
            )
        if client.emotional_agreement != "yes" and newly_shared:
            agreed = "only partly" if client.emotional_agreement == "partly" else "not yet"
            out.append(
                f"A layer {new.layer[1]} hypothesis is marked shared but the patient has {agreed} "
                "agreed that emotional factors may be relevant (Joint Commissioning Panel for Mental Health 2017)."
            )
    if previous is not None and newly_shared and (previous.response == "disputed"):
        out.append(
            "This item is marked shared again after the patient disputed it: consider revisiting "
            "what did not fit before offering it again (Balabanovic 2017, sub-category 6.6)."
        )
    if new.is_shared and (newly_shared or previous is None or previous.text != new.text):
        phrases = certainty_findings(new.text)
        if phrases:
            out.append(
                "Shared wording sounds certain (" + "; ".join(f"'{p}'" for p in phrases[:3]) + "): "
                "hold hypotheses tentatively, e.g. 'it may be that...' (Balabanovic 2017, sub-category 6.6)."
            )
    return out
