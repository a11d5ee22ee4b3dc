"""The encrypted file container (`.snv`).

Layout, big-endian::

    0   8  magic  b"SNVAULT\\0"
    8   2  format version (1)
    10  2  header length H (bytes from 0 to the end of the nonce)
    12  4  CRC-32 of header bytes [0:12] + [16:H]   (tells damage from an unknown version)
    16  1  file kind (1 index, 2 client, 3 standalone tinydb, 4 archive)
    17  1  reserved, 0
    18  8  save counter (+1 on every write of this file)
    26  2  id length n
    28  n  file id (UTF-8: "index", the client id, ...)
    28+n 12 nonce (fresh random per write)
    H   ... AES-256-GCM ciphertext + 16-byte tag of the JSON document

The associated data is the whole header plus the file's logical name (e.g. ``clients/ab12.snv``),
so a file copied over another file, or a header edited by hand, fails to open.
The CRC is only a diagnostic (damage vs. newer version); the AEAD tag is the security.
"""

from __future__ import annotations

import secrets
import struct
import zlib
from dataclasses import dataclass
from enum import IntEnum

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from . import crypto
from .errors import UnsupportedVersion, VaultCorrupted

MAGIC = b"SNVAULT\x00"
FORMAT_VERSION = 1
_PREFIX = struct.Struct(">8sHHI")  # magic, version, header length, crc
_FIXED = struct.Struct(">BBQH")  # kind, reserved, counter, id length
MIN_HEADER = _PREFIX.size + _FIXED.size + crypto.NONCE_BYTES
TAG_BYTES = 16


class FileKind(IntEnum):
    INDEX = 1
    CLIENT = 2
    STANDALONE = 3
    ARCHIVE = 4


@dataclass(frozen=True)
class Header:
    kind: int
    counter: int
    file_id: str
    nonce: bytes
    raw: bytes  # the header bytes exactly as on disk (part of the associated data)


def _aad(raw_header: bytes, logical_name: str) -> bytes:
    return raw_header + b"\x00" + logical_name.encode("utf-8")


def encode(key: bytes, kind: int, file_id: str, counter: int, logical_name: str, payload: bytes) -> tuple[bytes, Header]:
    """Seal `payload` into a complete file image. Returns (bytes, header)."""
    fid = file_id.encode("utf-8")
    nonce = secrets.token_bytes(crypto.NONCE_BYTES)
    body = _FIXED.pack(kind, 0, counter, len(fid)) + fid + nonce
    hlen = _PREFIX.size + len(body)
    start = struct.pack(">8sHH", MAGIC, FORMAT_VERSION, hlen)
    crc = zlib.crc32(start + body)
    raw = start + struct.pack(">I", crc) + body
    ct = AESGCM(key).encrypt(nonce, payload, _aad(raw, logical_name))
    return raw + ct, Header(kind, counter, file_id, nonce, raw)


def read_header(data: bytes, path: str) -> Header:
    """Parse and check the header without a key. Raises VaultCorrupted / UnsupportedVersion."""
    if len(data) < _PREFIX.size:
        raise VaultCorrupted(path, "the file is truncated" if data else "the file is empty")
    magic, version, hlen, crc = _PREFIX.unpack_from(data, 0)
    if magic != MAGIC:
        raise VaultCorrupted(path, "it is not a sessionnotes vault file")
    if hlen < MIN_HEADER or hlen > len(data):
        raise VaultCorrupted(path, "the header is damaged or the file is truncated")
    if zlib.crc32(data[:12] + data[16:hlen]) != crc:
        raise VaultCorrupted(path, "the header checksum does not match")
    if version != FORMAT_VERSION:
        raise UnsupportedVersion(path, version)
    kind, reserved, counter, idlen = _FIXED.unpack_from(data, _PREFIX.size)
    off = _PREFIX.size + _FIXED.size
    if reserved != 0 or off + idlen + crypto.NONCE_BYTES != hlen:
        raise VaultCorrupted(path, "the header is inconsistent")
    try:
        file_id = data[off : off + idlen].decode("utf-8")
    except UnicodeDecodeError:
        raise VaultCorrupted(path, "the header is damaged") from None
    nonce = data[off + idlen : hlen]
    return Header(kind, counter, file_id, nonce, data[:hlen])


def decode(key: bytes, data: bytes, logical_name: str, path: str) -> tuple[Header, bytes]:
    """Authenticate and decrypt a file image. Any damage raises VaultCorrupted."""
    header = read_header(data, path)
    ct = data[len(header.raw) :]
    if len(ct) < TAG_BYTES:
        raise VaultCorrupted(path, "the file is truncated")
    payload = crypto.open_sealed(key, header.nonce, ct, _aad(header.raw, logical_name))
    if payload is None:
        raise VaultCorrupted(path, "authentication failed: the content was changed, truncated or moved from another file")
    return header, payload
