"""What the app needs from the outside world, passed in through its constructor.

The default ``VaultOpener`` uses production key-derivation settings; tests pass one with cheap
parameters. The app never touches files or crypto itself: it asks the opener and the repository.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..vault.errors import VaultNotFound

if TYPE_CHECKING:
    from ..vault import Vault
    from ..vault.crypto import KdfLimits, KdfParams


def _production_limits() -> KdfLimits:
    from ..vault.crypto import PRODUCTION_LIMITS

    return PRODUCTION_LIMITS


Clock = Callable[[], dt.datetime]
"""Returns the current time, timezone-aware."""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class VaultOpener:
    """Opens or creates the vault. ``params`` None means calibrated at creation (production)."""

    limits: KdfLimits = field(default_factory=_production_limits)
    params_factory: Callable[[], KdfParams] | None = None
    clock: Clock = field(default=utc_now)

    def exists(self, path: Path) -> bool:
        """True when a vault is there; False for first run. A damaged vault.json raises VaultError."""
        try:
            from ..vault.vault import Vault

            Vault.read_meta(path)
        except VaultNotFound:
            return False
        return True

    def _today(self) -> dt.date:
        return self.clock().astimezone().date()

    def open(self, path: Path, passphrase: str) -> Vault:
        from ..vault.vault import Vault

        return Vault.open(path, passphrase, limits=self.limits, today=self._today)

    def create(self, path: Path, passphrase: str) -> tuple[Vault, str]:
        params = self.params_factory() if self.params_factory else None
        from ..vault.vault import Vault

        return Vault.create(path, passphrase, params=params, limits=self.limits, today=self._today, now=self.clock)


class IdleWatch:
    """Seconds since the last key or click, against a limit. ``monotonic`` is injectable for tests."""

    WARNING_SECONDS = 30.0

    def __init__(self, seconds: float, monotonic: Callable[[], float] = time.monotonic) -> None:
        self.seconds = seconds
        self.monotonic = monotonic
        self.last = monotonic()

    def touch(self) -> None:
        self.last = self.monotonic()

    def remaining(self) -> float:
        return self.seconds - (self.monotonic() - self.last)

    def warning(self) -> bool:
        return 0 < self.remaining() <= min(self.WARNING_SECONDS, self.seconds / 2)
