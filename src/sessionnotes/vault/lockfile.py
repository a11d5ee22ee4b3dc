"""The single-instance lock of an open vault: an exclusive flock on `.lock`, which holds the pid."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

from .errors import VaultError, VaultLocked
from .fsio import human_os_error


class VaultLock:
    """Exclusive flock on `.lock` for the life of an open vault. Released by the OS if we die."""

    def __init__(self, path: Path) -> None:
        self.path = path
        flags = os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0)
        try:
            self.fd = os.open(path, flags, 0o600)
        except OSError as e:
            raise VaultError(f"Could not open the vault lock file: {human_os_error(e)}.") from e
        os.fchmod(self.fd, 0o600)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            pid = self._read_pid()
            os.close(self.fd)
            raise VaultLocked(pid) from None
        # we hold it: any pid written here before belonged to a process that has gone
        os.ftruncate(self.fd, 0)
        os.pwrite(self.fd, str(os.getpid()).encode(), 0)

    def _read_pid(self) -> int | None:
        try:
            return int(os.pread(self.fd, 32, 0).decode().strip() or 0) or None
        except (OSError, ValueError):
            return None

    def release(self) -> None:
        if self.fd >= 0:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_UN)
            finally:
                os.close(self.fd)
                self.fd = -1
