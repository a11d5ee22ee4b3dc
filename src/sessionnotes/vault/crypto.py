"""Key derivation, key wrapping and authenticated encryption, from pyca `cryptography` only.

Nothing here is hand-rolled: Argon2id, HKDF-SHA256 and AES-256-GCM are the library's primitives.
"""

from __future__ import annotations

import base64
import os
import secrets
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

from cryptography.exceptions import InvalidTag, UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from .errors import KdfUnavailable

KEY_BYTES = 32
NONCE_BYTES = 12
SALT_BYTES = 16
RECOVERY_KEY_BYTES = 20  # 160 random bits, 32 base32 characters


@dataclass(frozen=True)
class KdfParams:
    """Argon2id parameters as stored in vault.json. memory_kib is in KiB (65536 = 64 MiB)."""

    memory_kib: int
    iterations: int
    lanes: int
    salt: bytes

    def to_json(self) -> dict[str, Any]:
        d = asdict(self)
        d["salt"] = base64.b64encode(self.salt).decode()
        d["name"] = "argon2id"
        return d

    @classmethod
    def from_json(cls, d: Mapping[str, Any]) -> KdfParams:
        if d.get("name") != "argon2id":
            raise ValueError(f"unknown key derivation {d.get('name')!r}")
        return cls(
            memory_kib=int(d["memory_kib"]),
            iterations=int(d["iterations"]),
            lanes=int(d["lanes"]),
            salt=base64.b64decode(d["salt"], validate=True),
        )


@dataclass(frozen=True)
class KdfLimits:
    """Floor and ceiling checked before any key derivation is run.

    The floor is RFC 9106's second recommended option (64 MiB, t=3, p=4). The ceiling stops a
    tampered vault.json from making the app allocate huge memory or spin for minutes.
    Tests pass cheaper limits explicitly; production code never lowers the floor.
    """

    min_memory_kib: int = 64 * 1024
    max_memory_kib: int = 1024 * 1024  # what `calibrate` can choose at most
    min_iterations: int = 3
    max_iterations: int = 10
    min_lanes: int = 1
    max_lanes: int = 16
    max_cost: int = 4 * 1024 * 1024  # memory (KiB) x iterations: a few seconds at most, never minutes

    def check(self, p: KdfParams) -> str | None:
        """A reason the parameters are out of bounds, or None when they are acceptable."""
        if p.memory_kib * p.iterations > self.max_cost:
            return f"key derivation cost {p.memory_kib} KiB x {p.iterations} passes is above the ceiling"
        if not self.min_memory_kib <= p.memory_kib <= self.max_memory_kib:
            return f"key derivation memory {p.memory_kib} KiB outside {self.min_memory_kib}..{self.max_memory_kib}"
        if not self.min_iterations <= p.iterations <= self.max_iterations:
            return f"key derivation iterations {p.iterations} outside {self.min_iterations}..{self.max_iterations}"
        if not self.min_lanes <= p.lanes <= self.max_lanes:
            return f"key derivation lanes {p.lanes} outside {self.min_lanes}..{self.max_lanes}"
        if len(p.salt) != SALT_BYTES:
            return "key derivation salt has the wrong length"
        return None


PRODUCTION_LIMITS = KdfLimits()
FLOOR_PARAMS = dict(memory_kib=64 * 1024, iterations=3, lanes=4)


def _argon2id(passphrase: str, p: KdfParams) -> bytes:
    try:
        from cryptography.hazmat.primitives.kdf.argon2 import Argon2id
    except ImportError as e:  # cryptography < 44
        raise KdfUnavailable() from e
    try:
        kdf = Argon2id(salt=p.salt, length=KEY_BYTES, iterations=p.iterations, lanes=p.lanes, memory_cost=p.memory_kib)
        return kdf.derive(passphrase.encode("utf-8"))
    except UnsupportedAlgorithm as e:  # OpenSSL < 3.2
        raise KdfUnavailable() from e


def derive_key(passphrase: str, p: KdfParams) -> bytes:
    """The key-encryption key for a passphrase (slow on purpose)."""
    return _argon2id(passphrase, p)


def calibrate(target_seconds: float = 0.5, max_memory_kib: int = 1024 * 1024) -> KdfParams:
    """Parameters that take about `target_seconds` here, never below the floor.

    Times one derivation at the floor, then scales memory (in 16 MiB steps) towards the target.
    """
    floor = KdfParams(salt=os.urandom(SALT_BYTES), **FLOOR_PARAMS)
    start = time.perf_counter()
    _argon2id("calibration", floor)
    elapsed = max(time.perf_counter() - start, 1e-3)
    scale = target_seconds / elapsed
    step = 16 * 1024
    memory = int(floor.memory_kib * scale) // step * step
    memory = max(floor.memory_kib, min(memory, max_memory_kib))
    return KdfParams(memory_kib=memory, iterations=3, lanes=4, salt=os.urandom(SALT_BYTES))


def new_params(memory_kib: int = 64 * 1024, iterations: int = 3, lanes: int = 4) -> KdfParams:
    return KdfParams(memory_kib=memory_kib, iterations=iterations, lanes=lanes, salt=os.urandom(SALT_BYTES))


def random_key() -> bytes:
    return secrets.token_bytes(KEY_BYTES)


def wrap(kek: bytes, secret: bytes, aad: bytes) -> dict[str, str]:
    """AES-256-GCM-wrap `secret` under `kek`; returns a JSON-safe dict."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    ct = AESGCM(kek).encrypt(nonce, secret, aad)
    return {"nonce": base64.b64encode(nonce).decode(), "ct": base64.b64encode(ct).decode()}


def unwrap(kek: bytes, wrapped: Mapping[str, Any], aad: bytes) -> bytes | None:
    """The wrapped secret, or None when the key (or the associated data) is wrong."""
    nonce = base64.b64decode(wrapped["nonce"], validate=True)
    ct = base64.b64decode(wrapped["ct"], validate=True)
    try:
        return AESGCM(kek).decrypt(nonce, ct, aad)
    except InvalidTag:
        return None


def seal(key: bytes, plaintext: bytes, aad: bytes) -> tuple[bytes, bytes]:
    """(nonce, ciphertext+tag) with a fresh random 96-bit nonce."""
    nonce = secrets.token_bytes(NONCE_BYTES)
    return nonce, AESGCM(key).encrypt(nonce, plaintext, aad)


def open_sealed(key: bytes, nonce: bytes, ciphertext: bytes, aad: bytes) -> bytes | None:
    try:
        return AESGCM(key).decrypt(nonce, ciphertext, aad)
    except InvalidTag:
        return None


# --- recovery key -------------------------------------------------------------------------------


def new_recovery_key() -> bytes:
    return secrets.token_bytes(RECOVERY_KEY_BYTES)


def format_recovery_key(raw: bytes) -> str:
    """Base32 in groups of four, easy to write down: 'ABCD-EFGH-...' (8 groups)."""
    text = base64.b32encode(raw).decode().rstrip("=")
    return "-".join(text[i : i + 4] for i in range(0, len(text), 4))


def parse_recovery_key(text: str) -> bytes | None:
    """Accepts any spacing, dashes and case; tolerates 0/O and 1/I/L confusion. None if malformed."""
    cleaned = "".join(ch for ch in text.upper() if ch.isalnum())
    cleaned = cleaned.replace("0", "O").replace("1", "I").replace("8", "B")
    if len(cleaned) != 32:
        return None
    try:
        raw = base64.b32decode(cleaned)
    except ValueError:
        return None
    return raw if len(raw) == RECOVERY_KEY_BYTES else None


def subkey(master: bytes, purpose: str) -> bytes:
    """A key for one use of the master key (HKDF-SHA256, the purpose as info): knowing it tells
    nothing about the master key or another purpose's key."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=None, info=b"sessionnotes " + purpose.encode()).derive(master)


def recovery_kek(raw: bytes, vault_id: str) -> bytes:
    """160 random bits need no slow KDF; HKDF binds the key to this vault."""
    return HKDF(algorithm=hashes.SHA256(), length=KEY_BYTES, salt=vault_id.encode(), info=b"sessionnotes recovery v1").derive(raw)
