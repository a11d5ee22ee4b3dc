"""Everything about bytes on disk: the encrypted, crash-safe vault. No Textual here."""

from .crypto import KdfLimits, KdfParams
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
from .storage import EncryptedStorage
from .vault import Vault, default_vault_path

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
