"""Operations that combine the record store with the analysis rules (used by the CLI and the TUI).

The repository only stores; rules that need analysis (formulation warnings, later flags) are
applied here so the vault layer never depends on analysis.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from .analysis.formulation_checks import warnings_for
from .analysis.timeline import current_stage
from .domain.formulation import FormulationItem, ItemVersion
from .vault.repository import RecordError, Repository


def _check(version: ItemVersion) -> None:
    problems = version.validate()
    if problems:
        raise RecordError(" ".join(problems), "Nothing was saved.")
    version.to_dict()  # structural check (layer, lens, status codes) before anything is written


def add_formulation_item(repo: Repository, cid: str, version: ItemVersion) -> FormulationItem:
    """Save a new item; its advisory warnings are stored with it (see item.current.warnings)."""
    _check(version)
    client = repo.get_client(cid)
    version.warnings = warnings_for(version, None, client, current_stage(repo.list_sessions(cid)))
    return repo.add_formulation_item(cid, version)


def change_formulation_item(repo: Repository, cid: str, item_id: str, **changes) -> FormulationItem:
    """A new version of an item with `changes` applied to its current state."""
    items = {i.id: i for i in repo.list_formulation(cid)}
    if item_id not in items:
        raise RecordError(f"This client has no formulation item '{item_id}'.")
    previous = items[item_id].current
    changes.setdefault("at", repo.clock())
    version = dataclasses.replace(previous, warnings=[], note="", **changes)
    if version.is_shared and version.date_shared is None:
        version.date_shared = version.at.date()
    _check(version)
    client = repo.get_client(cid)
    version.warnings = warnings_for(version, previous, client, current_stage(repo.list_sessions(cid)))
    return repo.add_formulation_version(cid, item_id, version)


def new_version(repo: Repository, text: str, layer: str, **fields) -> ItemVersion:
    """An ItemVersion stamped with the repository clock; shared items default to shared today."""
    v = ItemVersion(at=repo.clock(), text=text, layer=layer, **fields)
    if v.is_shared and v.date_shared is None:
        v.date_shared = v.at.date()
    return v


def today(repo: Repository) -> dt.date:
    return repo.clock().date()
