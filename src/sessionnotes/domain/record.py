"""Everything held for one client, loaded together (for exports, search and the client screen)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from .models import Client


@dataclass
class ClientRecord:
    client: Client
    sessions: list
    formulation: list
    measures: list
    contacts: list
    dismissals: list[dict]
    letters: list = field(default_factory=list)
    since: dt.date | None = None
    """For a supervision summary: this client's own period (e.g. since its last supervision)."""
