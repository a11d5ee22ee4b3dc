"""Everything an export needs about one client, loaded once by the caller."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..domain.models import Client


@dataclass
class ClientBundle:
    """Everything the summary needs for one client (loaded by the caller)."""

    client: Client
    sessions: list
    formulation: list
    measures: list
    contacts: list
    dismissals: list[dict]
    letters: list = field(default_factory=list)
    since: dt.date | None = None  # this client's own period (e.g. since its last supervision)
