"""The key material from the environment: master keys and the blind-index key.

Pure functions, no models: the settings import the development defaults from
here, and production.py can call `refuse_development_keys` before Django is
set up. See docs/crypto.md for the key hierarchy.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass
from functools import lru_cache

from django.core.exceptions import ImproperlyConfigured

# Fixed, published development keys: anyone can read them here, so they
# protect nothing. They let `make run` and the tests work without setup;
# production refuses them (refuse_development_keys, and the deploy check).
DEVELOPMENT_MASTER_KEY_ID = "dev-insecure-1"
DEVELOPMENT_MASTER_KEYS = (
    f"{DEVELOPMENT_MASTER_KEY_ID}:MdijnY5RW7PGlqKYRGzv24ib2NbcyHEmjqJKCuf3Qt4="
)
DEVELOPMENT_BLIND_INDEX_KEY = "IWSb7f8IzIM00lAK3ybuEJyAmyrGKr9cwJrNaycPQvA="

MASTER_KEY_BYTES = 32
MIN_BLIND_INDEX_KEY_BYTES = 32
_KEY_ID = re.compile(r"^[A-Za-z0-9_.-]{1,40}$")


@dataclass(frozen=True)
class MasterKeys:
    """The configured master keys by id, and the one new data keys are wrapped with."""

    keys: dict[str, bytes]
    active_id: str

    @property
    def active(self) -> bytes:
        return self.keys[self.active_id]


def _decode_key(encoded: str, *, what: str) -> bytes:
    try:
        return base64.b64decode(encoded.strip(), validate=True)
    except (binascii.Error, ValueError):
        raise ImproperlyConfigured(f"{what} is not valid base64.") from None


@lru_cache(maxsize=8)
def parse_master_keys(raw: str, active_id: str) -> MasterKeys:
    """Parse PASSEND_MASTER_KEYS ("id1:base64,id2:base64") and check the active id.

    Raises ImproperlyConfigured with a message that names the problem but
    never the key material.
    """
    keys: dict[str, bytes] = {}
    for entry in (raw or "").split(","):
        if not entry.strip():
            continue
        key_id, sep, encoded = entry.strip().partition(":")
        if not sep or not _KEY_ID.match(key_id):
            raise ImproperlyConfigured(
                "PASSEND_MASTER_KEYS must be a comma-separated list of id:base64key entries; "
                "ids use letters, digits, '.', '_' or '-'."
            )
        if key_id in keys:
            raise ImproperlyConfigured(f"PASSEND_MASTER_KEYS lists master key {key_id!r} twice.")
        key = _decode_key(encoded, what=f"Master key {key_id!r}")
        if len(key) != MASTER_KEY_BYTES:
            raise ImproperlyConfigured(
                f"Master key {key_id!r} must be {MASTER_KEY_BYTES} bytes (AES-256), not {len(key)}."
            )
        keys[key_id] = key
    if not keys:
        raise ImproperlyConfigured(
            "PASSEND_MASTER_KEYS is empty: Passend will not start without a master key, "
            "rather than store personal data unencrypted."
        )
    if active_id not in keys:
        raise ImproperlyConfigured(
            f"PASSEND_ACTIVE_MASTER_KEY {active_id!r} is not one of the ids in PASSEND_MASTER_KEYS."
        )
    return MasterKeys(keys=keys, active_id=active_id)


@lru_cache(maxsize=8)
def parse_blind_index_key(raw: str) -> bytes:
    if not raw:
        raise ImproperlyConfigured("PASSEND_BLIND_INDEX_KEY is empty.")
    key = _decode_key(raw, what="PASSEND_BLIND_INDEX_KEY")
    if len(key) < MIN_BLIND_INDEX_KEY_BYTES:
        raise ImproperlyConfigured(
            f"PASSEND_BLIND_INDEX_KEY must be at least {MIN_BLIND_INDEX_KEY_BYTES} bytes."
        )
    return key


def development_keys_in_use(master_keys: str, blind_index_key: str) -> list[str]:
    """Names of the settings that still hold a published development key."""
    found = []
    parsed = [entry.strip() for entry in (master_keys or "").split(",")]
    development = DEVELOPMENT_MASTER_KEYS.split(":", 1)[1]
    if any(
        entry.startswith(DEVELOPMENT_MASTER_KEY_ID + ":") or entry.endswith(development)
        for entry in parsed
    ):
        found.append("PASSEND_MASTER_KEYS")
    if (blind_index_key or "").strip() == DEVELOPMENT_BLIND_INDEX_KEY:
        found.append("PASSEND_BLIND_INDEX_KEY")
    return found


def refuse_development_keys(master_keys: str, active_id: str, blind_index_key: str) -> None:
    """For production settings: refuse missing, malformed or development keys."""
    parse_master_keys(master_keys, active_id)
    parse_blind_index_key(blind_index_key)
    found = development_keys_in_use(master_keys, blind_index_key)
    if found:
        raise ImproperlyConfigured(
            f"{', '.join(found)} still hold the published development keys; "
            "generate new ones (see docs/crypto.md)."
        )
