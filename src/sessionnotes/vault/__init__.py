"""Everything about bytes on disk: the encrypted, crash-safe vault. No Textual here.

The error types are imported at once (they are small); everything else is loaded on first use,
so that starting the app (and showing the unlock screen) does not pay for the crypto and storage
modules before it needs them.
"""

from importlib import import_module
from typing import TYPE_CHECKING

from .errors import (
    ConcurrentModification,
    DurabilityUnknown,
    UnsupportedVersion,
    VaultCorrupted,
    VaultError,
    VaultExists,
    VaultLocked,
    VaultNotFound,
    WeakPassphrase,
    WriteFailed,
    WrongPassphrase,
    WrongRecoveryKey,
)

if TYPE_CHECKING:  # the real types for the checker; at run time they load on first use
    from .crypto import KdfLimits, KdfParams
    from .location import default_vault_path
    from .storage import EncryptedStorage
    from .vault import Vault

_LAZY = {
    "EncryptedStorage": ".storage",
    "KdfLimits": ".crypto",
    "KdfParams": ".crypto",
    "Vault": ".vault",
    "default_vault_path": ".location",
}


def __getattr__(name: str) -> object:
    if name in _LAZY:
        return getattr(import_module(_LAZY[name], __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "ConcurrentModification",
    "DurabilityUnknown",
    "EncryptedStorage",
    "KdfLimits",
    "KdfParams",
    "UnsupportedVersion",
    "Vault",
    "VaultCorrupted",
    "VaultError",
    "VaultExists",
    "VaultLocked",
    "VaultNotFound",
    "WeakPassphrase",
    "WriteFailed",
    "WrongPassphrase",
    "WrongRecoveryKey",
    "default_vault_path",
]
