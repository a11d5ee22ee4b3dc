"""Everything held for one client, loaded together (for exports, search and the client screen)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from .formulation import FormulationItem
from .letters import Letter
from .liaison import GPContact
from .measures import MeasureResult
from .models import Client, Session


@dataclass
class ClientRecord:
    client: Client
    sessions: list[Session]
    formulation: list[FormulationItem]
    measures: list[MeasureResult]
    contacts: list[GPContact]
    dismissals: list[dict[str, Any]]
    letters: list[Letter] = field(default_factory=list)
    since: dt.date | None = None
    """For a supervision summary: this client's own period (e.g. since its last supervision)."""
