"""AES-GCM with the data keys: the ciphertext formats of values and files.

A value is stored as text: ``enc1:<key id>:<base64(nonce || ciphertext || tag)>``.
Its associated data binds it to the format version, the key id and a
*context* (for fields: ``<app_label>.<model>.<field>``), so a ciphertext
pasted into another column, or given another key id, fails to decrypt.

A file is stored as bytes: ``PSF1`` ``<key id, 16 ASCII>`` ``<nonce>``
``<ciphertext || tag>``; its associated data also names the owning
organisation, which the reader must state.
"""

from __future__ import annotations

import base64
import binascii
import os
import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag

from passend.privacy.crypto.errors import DecryptionError
from passend.privacy.crypto.keys import (
    NONCE_BYTES,
    PLATFORM_KEY_OWNER,
    KeyOwner,
    LoadedKey,
    load_key,
    owner_id_of,
    primary_key,
)

VALUE_PREFIX = "enc1"
FILE_MAGIC = b"PSF1"
KEY_ID_LENGTH = 16
# AES-GCM in `cryptography` takes at most 2**31 - 1 bytes at once; personal
# files are at most tens of megabytes, so whole-file encryption suffices.
MAX_FILE_BYTES = 2**31 - 1 - 1024
_TOKEN = re.compile(r"^enc1:([0-9a-f]{16}):([A-Za-z0-9+/]+={0,2})$")


@dataclass(frozen=True)
class Decrypted:
    plaintext: str
    key_id: str
    owner_id: str | None


def _value_aad(key_id: str, context: str) -> bytes:
    return f"passend-value|{VALUE_PREFIX}|{key_id}|{context}".encode()


def encrypt_text(
    plaintext: str, *, organisation: KeyOwner, context: str, key: LoadedKey | None = None
) -> str:
    """Encrypt with the primary data key of `organisation` (None: the platform key).

    `key`: that primary key, looked up once by a caller that encrypts many
    values in a row (a bulk load); it must be `organisation`'s own.
    """
    if key is None:
        key = primary_key(organisation)
    elif key.owner_id != owner_id_of(organisation):
        raise ValueError("encrypt_text() was given another organisation's key.")
    nonce = os.urandom(NONCE_BYTES)
    sealed = key.aead.encrypt(nonce, plaintext.encode("utf-8"), _value_aad(key.key_id, context))
    return f"{VALUE_PREFIX}:{key.key_id}:{base64.b64encode(nonce + sealed).decode('ascii')}"


def key_id_of(token: str) -> str:
    """The data key id a stored value names; raises DecryptionError if it is not ciphertext."""
    return _parse(token, context="")[0]


def is_token(value: object) -> bool:
    return isinstance(value, str) and _TOKEN.match(value) is not None


def _parse(token: str, *, context: str) -> tuple[str, bytes]:
    match = _TOKEN.match(token) if isinstance(token, str) else None
    if match is None:
        raise DecryptionError(
            f"The stored value of {context or 'an encrypted column'} is not ciphertext "
            "of a known format; refusing to treat it as plaintext."
        )
    try:
        blob = base64.b64decode(match.group(2), validate=True)
    except (binascii.Error, ValueError):
        raise DecryptionError(f"The stored value of {context} is garbled.") from None
    if len(blob) < NONCE_BYTES + 16:
        raise DecryptionError(f"The stored value of {context} is truncated.")
    return match.group(1), blob


def decrypt_text(token: str, *, context: str) -> Decrypted:
    """Decrypt a stored value; raises DecryptionError (never returns the input)."""
    key_id, blob = _parse(token, context=context)
    key = load_key(key_id)
    try:
        plaintext = key.aead.decrypt(
            blob[:NONCE_BYTES], blob[NONCE_BYTES:], _value_aad(key_id, context)
        )
    except InvalidTag:
        raise DecryptionError(
            f"The stored value of {context} failed authentication: it was altered, "
            "or copied from another column."
        ) from None
    try:
        text = plaintext.decode("utf-8")
    except UnicodeDecodeError:
        raise DecryptionError(f"The stored value of {context} is not text.") from None
    return Decrypted(plaintext=text, key_id=key_id, owner_id=key.owner_id)


def _file_aad(key_id: str, owner_id: str | None, context: str) -> bytes:
    return f"passend-file|v1|{key_id}|{owner_id or PLATFORM_KEY_OWNER}|{context}".encode()


def encrypt_bytes(data: bytes, *, organisation: KeyOwner, context: str) -> bytes:
    """Encrypt a file's bytes with the primary data key of `organisation` (None: platform).

    `context` names what the bytes are (e.g. "candidates.document.file"); the
    same context must be given to decrypt them.
    """
    if len(data) > MAX_FILE_BYTES:
        raise ValueError("The file is too large to encrypt in one piece.")
    owner_id = owner_id_of(organisation)
    key = primary_key(owner_id)
    nonce = os.urandom(NONCE_BYTES)
    sealed = key.aead.encrypt(nonce, bytes(data), _file_aad(key.key_id, owner_id, context))
    return FILE_MAGIC + key.key_id.encode("ascii") + nonce + sealed


def file_key_id(blob: bytes) -> str:
    """The data key id an encrypted file names; raises DecryptionError if it is not one."""
    header = len(FILE_MAGIC) + KEY_ID_LENGTH
    if len(blob) < header or not blob.startswith(FILE_MAGIC):
        raise DecryptionError("The file is not an encrypted Passend file.")
    key_id = blob[len(FILE_MAGIC) : header].decode("ascii", errors="replace")
    if not re.fullmatch(r"[0-9a-f]{16}", key_id):
        raise DecryptionError("The encrypted file's header is garbled.")
    return key_id


def decrypt_bytes(blob: bytes, *, organisation: KeyOwner, context: str) -> bytes:
    """Decrypt bytes made by `encrypt_bytes` for the same organisation and context.

    Raises DecryptionError if the file is not ours, was altered or truncated,
    belongs to another organisation or context; UnknownKeyError if its key
    was destroyed.
    """
    key_id = file_key_id(blob)
    owner_id = owner_id_of(organisation)
    key = load_key(key_id)
    if key.owner_id != owner_id:
        raise DecryptionError("The encrypted file belongs to another organisation.")
    body = blob[len(FILE_MAGIC) + KEY_ID_LENGTH :]
    if len(body) < NONCE_BYTES + 16:
        raise DecryptionError("The encrypted file is truncated.")
    try:
        return key.aead.decrypt(
            body[:NONCE_BYTES], body[NONCE_BYTES:], _file_aad(key_id, owner_id, context)
        )
    except InvalidTag:
        raise DecryptionError(
            "The encrypted file failed authentication: it was altered, truncated, "
            "or belongs to another context."
        ) from None
