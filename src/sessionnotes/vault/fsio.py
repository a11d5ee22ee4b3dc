"""Crash-safe file writes: temp file in the same directory, fsync, atomic rename, fsync the directory.

A crash at any instant leaves either the old or the new file, never a torn one. fsync errors are
not retried (after a failed fsync Linux may have dropped the dirty pages): the write is abandoned,
the old file is kept and the error reported.
"""

from __future__ import annotations

import errno
import os
import secrets
from pathlib import Path

from .errors import DurabilityUnknown, WriteFailed

FILE_MODE = 0o600
DIR_MODE = 0o700


def human_os_error(e: OSError) -> str:
    if e.errno == errno.ENOSPC:
        return "the disk is full"
    if e.errno == errno.EDQUOT:
        return "your disk quota is used up"
    if e.errno in (errno.EACCES, errno.EPERM):
        return "permission was refused by the operating system"
    if e.errno == errno.EROFS:
        return "the disk is read-only"
    if e.errno == errno.EIO:
        return "the disk reported an input/output error"
    return e.strerror or str(e)


def ensure_private_dir(path: Path) -> None:
    """Create `path` (and parents) if needed; the directory itself is made owner-only (0700)."""
    path.mkdir(parents=True, exist_ok=True)
    os.chmod(path, DIR_MODE)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        n = os.write(fd, view)
        view = view[n:]


def write_new_file(path: Path, data: bytes) -> None:
    """Write a file that must not exist yet, 0600, fsynced (temp files, backups made by copy).
    If any step fails the file is removed: a failed write never leaves a partial file."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(path, flags, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)  # whatever the umask
        _write_all(fd, data)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        try:
            path.unlink()
        except OSError:
            pass
        raise
    os.close(fd)


def vault_folder_holding(path: Path) -> Path | None:
    """The sessionnotes vault folder that ``path`` would be inside (at any depth), or None.

    Exports (plaintext) and backup archives (which must outlive the folder) are never written there."""
    for folder in path.parents:
        meta = folder / "vault.json"
        try:
            if meta.is_file() and b'"sessionnotes-vault"' in meta.read_bytes()[:65536]:
                return folder
        except OSError:
            continue
    return None


def atomic_write(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically and durably.

    Raises WriteFailed when nothing changed on disk (old file intact), DurabilityUnknown when the
    new file is in place but the directory fsync failed.
    """
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    try:
        write_new_file(tmp, data)
        os.replace(tmp, path)
    except OSError as e:
        try:
            tmp.unlink()
        except OSError:
            pass
        raise WriteFailed(
            f"Could not save {path.name}: {human_os_error(e)}. Nothing was lost: the previous version is intact.",
            "Free some disk space (or fix the problem) and save again; your change is still on screen.",
        ) from e
    try:
        fsync_dir(path.parent)
    except OSError as e:
        raise DurabilityUnknown(str(path), human_os_error(e)) from e


def remove_stale_temp_files(directory: Path) -> None:
    """Temp files left by a crash hold only ciphertext; remove them on open."""
    try:
        entries = list(directory.glob(".*.tmp"))
    except OSError:
        return
    for p in entries:
        try:
            p.unlink()
        except OSError:
            pass
