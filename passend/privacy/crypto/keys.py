"""The key hierarchy: master keys (environment) wrap data keys (database).

- One *primary* data key per organisation encrypts new values and files of
  that organisation; the platform has its own (organisation null) for data
  that belongs to no organisation.
- Data keys are 256-bit AES-GCM keys, stored only wrapped: AES-GCM under a
  master key, with the key id and owner as associated data, so a wrapped key
  copied onto another organisation's row does not unwrap.
- Unwrapped data keys are cached per process, by key id, for
  PASSEND_DATA_KEY_CACHE_SECONDS (default 300 s): decrypting a page of rows
  costs one unwrap, not one per row. Which key is primary is never cached
  (one indexed query per encryption), so a rotation in another process is
  seen at once and a key created in a rolled-back transaction is never used.
  Decrypted values are never cached anywhere.
"""

from __future__ import annotations

import logging
import os
import secrets
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver

from passend.privacy.crypto.conf import MasterKeys, parse_master_keys
from passend.privacy.crypto.errors import MasterKeyError, UnknownKeyError
from passend.privacy.crypto.models import DataKey

# Whose key: an organisation (a saved tenancy.Organisation, typed as any model so
# that crypto imports no app above it), its id, or None for the platform's own.
KeyOwner = models.Model | uuid.UUID | str | None


logger = logging.getLogger(__name__)

DATA_KEY_BYTES = 32
NONCE_BYTES = 12
PLATFORM_KEY_OWNER = "platform"


@dataclass(frozen=True)
class LoadedKey:
    """An unwrapped data key, ready to encrypt and decrypt."""

    key_id: str
    owner_id: str | None
    aead: AESGCM
    loaded_at: float


_cache: dict[str, LoadedKey] = {}
_cache_lock = threading.Lock()


def master_keys() -> MasterKeys:
    """The configured master keys; raises ImproperlyConfigured if missing or malformed."""
    return parse_master_keys(
        getattr(settings, "PASSEND_MASTER_KEYS", ""),
        getattr(settings, "PASSEND_ACTIVE_MASTER_KEY", ""),
    )


def owner_id_of(organisation: KeyOwner) -> str | None:
    """The canonical owner of a key: an organisation's UUID as text, or None for the platform."""
    if organisation is None:
        return None
    if isinstance(organisation, uuid.UUID | str):
        return str(uuid.UUID(str(organisation)))
    return str(uuid.UUID(str(organisation.pk)))


def _wrap_aad(key_id: str, owner_id: str | None) -> bytes:
    return f"passend-datakey|v1|{key_id}|{owner_id or PLATFORM_KEY_OWNER}".encode()


def _wrap(data_key: bytes, *, key_id: str, owner_id: str | None, master_key: bytes) -> bytes:
    nonce = os.urandom(NONCE_BYTES)
    return nonce + AESGCM(master_key).encrypt(nonce, data_key, _wrap_aad(key_id, owner_id))


def _row_owner(row: DataKey) -> str | None:
    return owner_id_of(row.organisation_id)


def unwrap(row: DataKey) -> bytes:
    """The raw data key of `row`; raises MasterKeyError if its master key is absent or wrong."""
    master = master_keys().keys.get(row.master_key_id)
    if master is None:
        raise MasterKeyError(
            f"Data key {row.key_id} is wrapped by master key {row.master_key_id!r}, "
            "which is not configured in PASSEND_MASTER_KEYS."
        )
    blob = bytes(row.wrapped_key)
    try:
        return AESGCM(master).decrypt(
            blob[:NONCE_BYTES], blob[NONCE_BYTES:], _wrap_aad(row.key_id, _row_owner(row))
        )
    except (InvalidTag, ValueError):
        raise MasterKeyError(
            f"Master key {row.master_key_id!r} does not unwrap data key {row.key_id}: "
            "the configured master key is wrong, or the stored key was altered."
        ) from None


def _cache_seconds() -> float:
    return float(getattr(settings, "PASSEND_DATA_KEY_CACHE_SECONDS", 300))


def _cached(key_id: str) -> LoadedKey | None:
    loaded = _cache.get(key_id)
    if loaded is None or time.monotonic() - loaded.loaded_at > _cache_seconds():
        return None
    return loaded


def _load(row: DataKey) -> LoadedKey:
    loaded = _cached(row.key_id)
    if loaded is not None:
        return loaded
    loaded = LoadedKey(
        key_id=row.key_id,
        owner_id=_row_owner(row),
        aead=AESGCM(unwrap(row)),
        loaded_at=time.monotonic(),
    )
    with _cache_lock:
        _cache[row.key_id] = loaded
    return loaded


def forget_cached_keys() -> None:
    """Empty this process's cache of unwrapped data keys."""
    with _cache_lock:
        _cache.clear()


@receiver(post_delete, sender=DataKey)
def _evict_deleted_key(sender: Any, instance: DataKey, **kwargs: Any) -> None:
    with _cache_lock:
        _cache.pop(instance.key_id, None)


def load_key(key_id: str) -> LoadedKey:
    """The data key named in a ciphertext; raises UnknownKeyError if it does not exist."""
    loaded = _cached(key_id)
    if loaded is not None:
        return loaded
    row = DataKey.objects.filter(key_id=key_id).first()
    if row is None:
        raise UnknownKeyError(
            f"Data key {key_id} does not exist: it was destroyed (crypto-shredded) "
            "or the value did not come from this database."
        )
    return _load(row)


def _insert_key(owner_id: str | None, *, is_primary: bool) -> DataKey:
    keys = master_keys()
    key_id = secrets.token_hex(8)
    data_key = AESGCM.generate_key(bit_length=DATA_KEY_BYTES * 8)
    return DataKey.objects.create(
        key_id=key_id,
        organisation_id=uuid.UUID(owner_id) if owner_id else None,
        wrapped_key=_wrap(data_key, key_id=key_id, owner_id=owner_id, master_key=keys.active),
        master_key_id=keys.active_id,
        is_primary=is_primary,
    )


def owned_by(owner_id: str | None) -> models.QuerySet[DataKey]:
    """The data keys of an owner (None: the platform)."""
    if owner_id is None:
        return DataKey.objects.filter(organisation__isnull=True)
    return DataKey.objects.filter(organisation_id=uuid.UUID(owner_id))


def _primary_row(owner_id: str | None) -> DataKey | None:
    return owned_by(owner_id).filter(is_primary=True).first()


def primary_key(organisation: KeyOwner) -> LoadedKey:
    """The key new data of `organisation` (None: the platform) is encrypted with.

    Created on first use. Two processes creating it at once cannot both win:
    a unique constraint allows one primary key per owner, and the loser reads
    the winner's key.
    """
    owner_id = owner_id_of(organisation)
    row = _primary_row(owner_id)
    if row is None:
        try:
            with transaction.atomic():
                row = _insert_key(owner_id, is_primary=True)
        except IntegrityError:
            row = _primary_row(owner_id)
            if row is None:
                raise
        logger.info("Created data key %s", row.key_id)
    return _load(row)


@transaction.atomic
def replace_primary_key(organisation: KeyOwner) -> DataKey:
    """Make a new primary key for an owner; the old one stays to decrypt older values."""
    owner_id = owner_id_of(organisation)
    owned_by(owner_id).filter(is_primary=True).update(is_primary=False)
    row = _insert_key(owner_id, is_primary=True)
    logger.info("Created data key %s to replace the primary key", row.key_id)
    return row


@transaction.atomic
def destroy_data_keys(*, organisation: KeyOwner) -> int:
    """Crypto-shred an organisation: delete its data keys, so its ciphertexts become noise.

    Irreversible. Values and files encrypted for the organisation raise
    UnknownKeyError from then on, in this database and in every backup made
    afterwards (see docs/crypto.md for older backups).
    """
    owner_id = owner_id_of(organisation)
    if owner_id is None:
        raise ValueError("Destroying the platform key is not an organisation-level operation.")
    rows = list(owned_by(owner_id))
    for row in rows:
        row.delete()
    logger.warning("Destroyed %d data keys of an organisation", len(rows))
    return len(rows)


@dataclass
class RewrapReport:
    rewrapped: int = 0
    already_current: int = 0


def rewrap_data_keys(*, batch_size: int = 500, limit: int | None = None) -> RewrapReport:
    """Re-wrap every data key under the active master key, in batches of one transaction each.

    Values are untouched (their data keys do not change). Resumable: keys
    already wrapped by the active master key are skipped.
    """
    keys = master_keys()
    report = RewrapReport()
    report.already_current = DataKey.objects.filter(master_key_id=keys.active_id).count()
    last_pk = 0
    while limit is None or report.rewrapped < limit:
        with transaction.atomic():
            batch = list(
                DataKey.objects.select_for_update()
                .filter(pk__gt=last_pk)
                .exclude(master_key_id=keys.active_id)
                .order_by("pk")[:batch_size]
            )
            if not batch:
                break
            for row in batch:
                if limit is not None and report.rewrapped >= limit:
                    break
                data_key = unwrap(row)
                row.wrapped_key = _wrap(
                    data_key,
                    key_id=row.key_id,
                    owner_id=_row_owner(row),
                    master_key=keys.active,
                )
                row.master_key_id = keys.active_id
                row.save(update_fields=["wrapped_key", "master_key_id"])
                report.rewrapped += 1
            last_pk = batch[-1].pk
    return report
