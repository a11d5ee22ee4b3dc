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
from ..vault.location import has_vault_file

if TYPE_CHECKING:
    from ..vault import Vault
    from ..vault.crypto import KdfLimits, KdfParams


Clock = Callable[[], dt.datetime]
"""Returns the current time, timezone-aware."""


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class VaultOpener:
    """Opens or creates the vault. ``params`` None means calibrated at creation (production).

    ``limits`` None means the production limits. Nothing here loads the crypto or storage modules
    until a vault is read, so the unlock screen can be drawn without them (see ``tui/warmup.py``).
    """

    limits: KdfLimits | None = None
    params_factory: Callable[[], KdfParams] | None = None
    clock: Clock = field(default=utc_now)

    def exists(self, path: Path) -> bool:
        """True when a vault is there (its vault.json, in whatever state); False for first run.

        Cheap (one stat): the unlock screen asks before it is first drawn. ``check`` reads the file."""
        return has_vault_file(path)

    def check(self, path: Path) -> None:
        """Read vault.json (no key needed): raises VaultError if it is damaged or unreadable."""
        from ..vault.vault import Vault

        try:
            Vault.read_meta(path)
        except VaultNotFound:
            pass  # first run, or removed meanwhile: the unlock or create that follows says so

    def _limits(self) -> KdfLimits:
        from ..vault.crypto import PRODUCTION_LIMITS

        return self.limits or PRODUCTION_LIMITS

    def _today(self) -> dt.date:
        return self.clock().astimezone().date()

    def open(self, path: Path, passphrase: str) -> Vault:
        from ..vault.vault import Vault

        return Vault.open(path, passphrase, limits=self._limits(), today=self._today)

    def create(self, path: Path, passphrase: str) -> tuple[Vault, str]:
        params = self.params_factory() if self.params_factory else None
        from ..vault.vault import Vault

        return Vault.create(path, passphrase, params=params, limits=self._limits(), today=self._today, now=self.clock)


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
