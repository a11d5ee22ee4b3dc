"""Typed vault errors. Each carries one human sentence (`str(err)`) and what to do next (`hint`).

The CLI and the TUI show `str(err)` and `err.hint`; neither ever shows a traceback for these.
"""

from __future__ import annotations


class VaultError(Exception):
    """Base class: something about the vault the user needs to know about."""

    hint: str = ""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        if hint:
            self.hint = hint


class WrongPassphrase(VaultError):
    hint = "Check the passphrase (caps lock?) and try again, or use your recovery key: sessionnotes recover."

    def __init__(self, message: str = "That passphrase does not open this vault.") -> None:
        super().__init__(message)


class WrongRecoveryKey(VaultError):
    hint = "Check the recovery key you wrote down when the vault was created (letters and digits, groups of four)."

    def __init__(self, message: str = "That recovery key does not open this vault.") -> None:
        super().__init__(message)


class VaultCorrupted(VaultError):
    """A file failed authentication or could not be parsed: damage or tampering."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        if path.endswith(".snv") and ":" not in path:  # a data file: restore-file takes its name or path
            hint = (
                "Your other files are untouched. Restore the last good copy: sessionnotes restore-file "
                + path
                + " (or restore a backup archive with: sessionnotes restore FILE --vault NEWPATH)."
            )
        else:
            hint = "Check with: sessionnotes verify; or restore a backup archive with: sessionnotes restore FILE --vault NEWPATH"
        super().__init__(f"The vault file {path} is damaged or has been altered ({reason}).", hint)


class UnsupportedVersion(VaultError):
    def __init__(self, path: str, version: object) -> None:
        super().__init__(
            f"The vault file {path} was written by a newer or unknown version of sessionnotes (format {version}).",
            "Update sessionnotes before opening this vault; nothing has been changed.",
        )


class StaleKey(VaultError):
    """vault.json unwraps a key that opens none of the files beside it: an older copy."""

    def __init__(self, path: str) -> None:
        self.path = path
        super().__init__(
            f"The key in {path} opens none of the vault's files: it is an older copy of vault.json "
            "(from before a passphrase or recovery key change) or belongs to another vault. Nothing was changed.",
            "Put back the current vault.json and unlock with the current passphrase.",
        )


class VaultLocked(VaultError):
    """Another sessionnotes process holds the vault."""

    def __init__(self, pid: int | None) -> None:
        self.pid = pid
        who = f" (process {pid})" if pid else ""
        super().__init__(
            f"This vault is already open in another sessionnotes window{who}.",
            "Close the other window first; two programs writing one vault could lose notes.",
        )


class VaultNotFound(VaultError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"There is no vault at {path}.",
            "Create one with: sessionnotes init (or point to yours with --vault PATH).",
        )


class VaultExists(VaultError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"A vault already exists at {path}.",
            "Choose another place with --vault PATH, or open the existing vault.",
        )


class WeakPassphrase(VaultError):
    def __init__(self, reason: str, suggestion: str) -> None:
        self.suggestion = suggestion
        super().__init__(
            f"That passphrase is too easy to guess: {reason}",
            f"Choose a longer one, for example this generated passphrase: {suggestion}",
        )


class ConcurrentModification(VaultError):
    def __init__(self, path: str) -> None:
        super().__init__(
            f"The file {path} was changed by another program since this window opened it; your change was not written over it.",
            "Your change is still on screen. Lock and unlock the vault to load the newer file, then redo the change. "
            "If a sync tool (Dropbox, OneDrive) watches the vault folder, exclude it.",
        )


class WriteFailed(VaultError):
    """Nothing was changed on disk (the previous version is intact)."""


class DurabilityUnknown(VaultError):
    """The new file is in place (read back and authenticated) but a later step failed, so the
    system did not confirm the save reached the disk itself."""

    def __init__(self, path: str, reason: str) -> None:
        super().__init__(
            f"{path} WAS saved: it reads back correctly from the disk, but the system did not confirm "
            f"the save is safely stored ({reason}).",
            "Your change is not lost. Saving again updates the same record (it adds no copy); "
            "then check the vault with: sessionnotes verify",
        )


class KdfUnavailable(VaultError):
    def __init__(self) -> None:
        super().__init__(
            "This installation's cryptography library cannot do Argon2id.",
            "Reinstall sessionnotes with pip so it gets cryptography 44 or newer (the Debian package is too old).",
        )


class BadPath(VaultError):
    """A place given for an archive that cannot be used, e.g. inside the vault folder (bad input: exit code 2)."""

    code = 2


class BadName(VaultError):
    """A name given on the command line is not a vault file (bad input: exit code 2)."""

    code = 2
