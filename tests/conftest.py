"""Shared fixtures: cheap KDF parameters (tests only; production keeps the floor), temp vaults."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from sessionnotes.vault import Vault
from sessionnotes.vault.crypto import KdfLimits, new_params

# derandomize: the same examples on every run, so a run that lands cannot fail on the next one by
# chance; SESSIONNOTES_HYPOTHESIS=explore searches afresh (new finds get pinned with @example).
settings.register_profile("ci", deadline=None, max_examples=60, derandomize=True)
settings.register_profile("explore", deadline=None, max_examples=300)
settings.load_profile("explore" if os.environ.get("SESSIONNOTES_HYPOTHESIS") == "explore" else "ci")

os.environ.setdefault("TEXTUAL_ANIMATIONS", "none")

PASS = "Tangerine-Orbit-Velvet-Canyon-1987"
NEWPASS = "Harbour-Lantern-Quietly-Spruce-2210"
TEST_LIMITS = KdfLimits(min_memory_kib=8, min_iterations=1)


def cheap_params():
    return new_params(memory_kib=1024, iterations=1, lanes=1)


@pytest.fixture
def vault_path(tmp_path: Path) -> Path:
    return tmp_path / "vault"


@pytest.fixture
def vault(vault_path: Path):
    v, _ = Vault.create(vault_path, PASS, params=cheap_params(), limits=TEST_LIMITS)
    yield v
    if v.is_open:
        v.close()


def open_vault(path: Path, passphrase: str = PASS) -> Vault:
    return Vault.open(path, passphrase, limits=TEST_LIMITS)
