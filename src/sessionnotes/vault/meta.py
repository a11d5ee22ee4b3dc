"""vault.json: the vault's plaintext description and its two key slots.

    {"format", "version", "vault_id", "created", "cipher", "kdf": Argon2id parameters,
     "slots": {"passphrase": wrapped master key, "recovery": wrapped master key},
     "mac": HMAC-SHA256 of all of the above under a key derived from the master key,
     "checksum": SHA-256 of all of the above (unkeyed: tells damage from a wrong passphrase)}

Reading it needs no key (`parse`); the KDF parameters are checked against a floor and a ceiling
BEFORE any key derivation (`unwrap_passphrase`), so a hand-edited file cannot make unlock
allocate gigabytes or run for minutes. Once the master key is known, the MAC proves that no
field was edited; a vault.json written before the MAC existed is accepted once and given one
(`needs_mac`, see `Vault.open`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac as std_hmac
import json
from typing import Any

from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from . import crypto
from .crypto import KdfLimits, KdfParams
from .errors import UnsupportedVersion, VaultCorrupted, WrongPassphrase, WrongRecoveryKey
from .storage import dumps

META_FORMAT = "sessionnotes-vault"
META_VERSION = 1
_UNSIGNED = ("checksum", "mac")


def checksum(meta: dict[str, Any]) -> str:
    body = {k: v for k, v in meta.items() if k != "checksum"}
    return hashlib.sha256(dumps(body).encode()).hexdigest()


def _mac(master: bytes, meta: dict[str, Any]) -> str:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"sessionnotes vault.json v1").derive(master)
    h = hmac.HMAC(key, hashes.SHA256())
    h.update(dumps({k: v for k, v in meta.items() if k not in _UNSIGNED}).encode())
    return h.finalize().hex()


def seal(meta: dict[str, Any], master: bytes) -> dict[str, Any]:
    """`meta` with its MAC (under `master`) and checksum set."""
    out = {k: v for k, v in meta.items() if k not in _UNSIGNED}
    out["mac"] = _mac(master, out)
    out["checksum"] = checksum(out)
    return out


def encode(meta: dict[str, Any]) -> bytes:
    return (json.dumps(meta, indent=2, sort_keys=True) + "\n").encode()


def needs_mac(meta: dict[str, Any]) -> bool:
    """True for a vault.json written before vault.json carried a MAC (migrated at unlock)."""
    return "mac" not in meta


def check_mac(meta: dict[str, Any], master: bytes, where: str) -> None:
    if needs_mac(meta):
        return
    if not std_hmac.compare_digest(str(meta.get("mac")), _mac(master, meta)):
        raise VaultCorrupted(where, "it was edited: its authentication code does not match")


def slot_aad(slot: str, vault_id: str, kdf: dict[str, Any] | None) -> bytes:
    return f"sessionnotes {slot} slot v1|{vault_id}|".encode() + (dumps(kdf).encode() if kdf else b"")


def new_slots(vault_id: str, master: bytes, passphrase: str, params: KdfParams, recovery: bytes) -> dict[str, Any]:
    """The `kdf` and `slots` fields for a master key, a passphrase and a recovery key."""
    kdf = params.to_json()
    return {
        "kdf": kdf,
        "slots": {
            "passphrase": crypto.wrap(crypto.derive_key(passphrase, params), master, slot_aad("passphrase", vault_id, kdf)),
            "recovery": crypto.wrap(crypto.recovery_kek(recovery, vault_id), master, slot_aad("recovery", vault_id, None)),
        },
    }


def parse(raw: bytes, where: str) -> dict[str, Any]:
    """vault.json checked for damage (JSON, fields, checksum). Never needs a key."""
    try:
        meta = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        raise VaultCorrupted(where, "it is not valid JSON") from None
    if not isinstance(meta, dict) or meta.get("format") != META_FORMAT:
        raise VaultCorrupted(where, "it is not a sessionnotes vault description")
    if meta.get("checksum") != checksum(meta):
        raise VaultCorrupted(where, "its checksum does not match")
    if meta.get("version") != META_VERSION:
        raise UnsupportedVersion(where, meta.get("version"))
    try:
        KdfParams.from_json(meta["kdf"])
        for slot in ("passphrase", "recovery"):
            w = meta["slots"][slot]
            base64.b64decode(w["nonce"], validate=True), base64.b64decode(w["ct"], validate=True)
        str(meta["vault_id"])
        if "mac" in meta:
            bytes.fromhex(meta["mac"])
    except (KeyError, TypeError, ValueError):
        raise VaultCorrupted(where, "required fields are missing") from None
    return meta


def unwrap_passphrase(meta: dict[str, Any], passphrase: str, limits: KdfLimits, where: str) -> bytes:
    """The master key. The KDF parameters are checked before any derivation; the MAC after."""
    params = KdfParams.from_json(meta["kdf"])
    problem = limits.check(params)
    if problem:
        raise VaultCorrupted(where, problem)
    kek = crypto.derive_key(passphrase, params)
    master = crypto.unwrap(kek, meta["slots"]["passphrase"], slot_aad("passphrase", meta["vault_id"], meta["kdf"]))
    if master is None:
        raise WrongPassphrase()
    check_mac(meta, master, where)
    return master


def unwrap_recovery(meta: dict[str, Any], raw_key: bytes, where: str) -> bytes:
    kek = crypto.recovery_kek(raw_key, meta["vault_id"])
    master = crypto.unwrap(kek, meta["slots"]["recovery"], slot_aad("recovery", meta["vault_id"], None))
    if master is None:
        raise WrongRecoveryKey()
    check_mac(meta, master, where)
    return master
