"""Backup archives (`sessionnotes backup`): one file holding vault.json and every data file.

Version 2 layout::

    8  magic b"SNARCHV2"
    4  length M of vault.json, then M bytes of vault.json (no secrets: wrapped keys only)
    4  length T of the contents, then T bytes: a sealed .snv image (kind 4, under the master key)
       of {"vault_json": ..., "files": [[logical name, length, sha256], ...]}
    ...  the files' own .snv images, one after another, in the order of the contents

Each file inside is still its own authenticated .snv image, so damage to one entry loses that
entry alone: restore brings back every other one and names the damaged ones. The sealed contents
tell a removed or swapped entry from an intact one. Version 1 archives (one sealed blob) are read
too; inside them each entry is still checked on its own.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import struct
from typing import Any

from . import fileformat
from .errors import VaultCorrupted, VaultError
from .fileformat import FileKind
from .storage import dumps

MAGIC_V1 = b"SNARCHV1"
MAGIC_V2 = b"SNARCHV2"
_NAME = re.compile(r"^(index\.snv|clients/[a-z0-9]{6,32}\.snv)$")


def pack(key: bytes, vault_id: str, meta_raw: bytes, files: list[tuple[str, bytes]]) -> bytes:
    toc = {
        "vault_json": meta_raw.decode(),
        "files": [[name, len(blob), hashlib.sha256(blob).hexdigest()] for name, blob in files],
    }
    sealed, _ = fileformat.encode(key, FileKind.ARCHIVE, vault_id, 2, "archive contents", dumps(toc).encode())
    parts = [MAGIC_V2, struct.pack(">I", len(meta_raw)), meta_raw, struct.pack(">I", len(sealed)), sealed]
    return b"".join(parts + [blob for _, blob in files])


def split(data: bytes, where: str) -> tuple[bytes, bytes, bytes]:
    """(magic, vault.json bytes, the rest). Needs no key."""
    if len(data) < 12 or data[:8] not in (MAGIC_V1, MAGIC_V2):
        raise VaultCorrupted(where, "it is not a sessionnotes backup archive")
    (mlen,) = struct.unpack_from(">I", data, 8)
    if 12 + mlen > len(data):
        raise VaultCorrupted(where, "it is truncated")
    return data[:8], data[12 : 12 + mlen], data[12 + mlen :]


def entries(key: bytes, magic: bytes, meta_raw: bytes, rest: bytes, where: str) -> list[tuple[str, bytes | None, str]]:
    """(logical name, file image or None, why it is damaged) for every entry the archive lists.

    Raises VaultCorrupted only when the list itself cannot be trusted."""
    if magic == MAGIC_V1:
        _, payload = fileformat.decode(key, rest, "archive", where)
        doc: dict[str, Any] = json.loads(payload)
        if doc.get("vault_json") != meta_raw.decode():
            raise VaultCorrupted(where, "its parts do not belong together")
        listed = [(name, base64.b64decode(v)) for name, v in doc["files"].items()]
        return [(name, *_check(key, name, blob, None, where)) for name, blob in listed]
    if len(rest) < 4:
        raise VaultCorrupted(where, "it is truncated")
    (tlen,) = struct.unpack_from(">I", rest, 0)
    _, payload = fileformat.decode(key, rest[4 : 4 + tlen], "archive contents", where)
    toc: dict[str, Any] = json.loads(payload)
    if toc.get("vault_json") != meta_raw.decode():
        raise VaultCorrupted(where, "its parts do not belong together")
    out: list[tuple[str, bytes | None, str]] = []
    offset = 4 + tlen
    for name, length, sha in toc["files"]:
        blob = rest[offset : offset + int(length)]
        offset += int(length)
        out.append((str(name), *_check(key, str(name), blob, str(sha), where)))
    return out


def _check(key: bytes, name: str, blob: bytes, sha: str | None, where: str) -> tuple[bytes | None, str]:
    if not _NAME.match(name):
        return None, "not a vault file name"
    if sha is not None and hashlib.sha256(blob).hexdigest() != sha:
        return None, "damaged in the archive" if blob else "missing from the archive (truncated)"
    try:
        fileformat.decode(key, blob, name, f"{where}:{name}")
    except VaultError as e:
        return None, getattr(e, "reason", str(e))
    return blob, ""
