"""Blind index: exact lookup and uniqueness of encrypted values without decrypting.

    blind_index(value, organisation=org, purpose="bsn") -> 64 hex characters

HMAC-SHA256 under a per-organisation, per-purpose subkey, derived with HKDF
from PASSEND_BLIND_INDEX_KEY (a key of its own, not the master key). There
are only about 10^9 BSNs, so a plain or salted hash is reversed by trying
them all; without the key an index reveals nothing. Indexes of the same BSN
differ between organisations, so they do not link people across tenants.

The pattern: next to an encrypted field keep a BlindIndexField that is
recomputed on every save, and put lookups and constraints on it.

    bsn = EncryptedCharField(_("BSN"), max_length=9, blank=True)
    bsn_index = BlindIndexField(source="bsn", purpose="bsn")

    class Meta:
        constraints = [UniqueConstraint(fields=["organisation", "bsn_index"], name=...)]

    Person.objects.filter(bsn_index=blind_index(bsn, organisation=org))

`save(update_fields=[...])` naming the source but not the index raises, so
the two cannot drift apart.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models
from django.db.models.signals import pre_save

from passend.common.validators import normalise_bsn, normalise_iban
from passend.privacy.crypto.conf import parse_blind_index_key
from passend.privacy.crypto.fields import EncryptedFieldMixin, owner_id_from
from passend.privacy.crypto.keys import PLATFORM_KEY_OWNER, KeyOwner, owner_id_of

INDEX_LENGTH = 64
_SALT = b"passend-blind-index-v1"


@lru_cache(maxsize=4096)
def _subkey(root: bytes, owner_id: str | None, purpose: str) -> bytes:
    return HKDF(
        algorithm=hashes.SHA256(),
        length=32,
        salt=_SALT,
        info=f"{owner_id or PLATFORM_KEY_OWNER}|{purpose}".encode(),
    ).derive(root)


def normalise_for_index(value: str, purpose: str) -> str:
    """One canonical form per purpose, so "1112.22.333" and "111222333" match.

    Raises ValidationError for an invalid BSN or IBAN.
    """
    if purpose == "bsn":
        return normalise_bsn(value)
    if purpose == "iban":
        return normalise_iban(value)
    return value.strip()


def blind_index(value: str, *, organisation: KeyOwner, purpose: str = "bsn") -> str:
    """The keyed index of `value` within `organisation` (None: platform) for `purpose`."""
    root = parse_blind_index_key(getattr(settings, "PASSEND_BLIND_INDEX_KEY", ""))
    key = _subkey(root, owner_id_of(organisation), purpose)
    message = normalise_for_index(value, purpose).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


class BlindIndexField(models.CharField):
    """Keeps the blind index of `source` in sync: recomputed from it on every save."""

    def __init__(
        self,
        *args: Any,
        source: str,
        purpose: str = "bsn",
        organisation_field: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.source = source
        self.purpose = purpose
        self.organisation_field = organisation_field
        kwargs.setdefault("max_length", INDEX_LENGTH)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", True)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        if self.purpose != "bsn":
            kwargs["purpose"] = self.purpose
        if self.organisation_field is not None:
            kwargs["organisation_field"] = self.organisation_field
        # Omit what equals our defaults, state what differs (even a Django default).
        ours = {
            "max_length": INDEX_LENGTH,
            "null": True,
            "blank": True,
            "editable": False,
            "db_index": True,
        }
        for option, default in ours.items():
            current = getattr(self, option)
            if current == default:
                kwargs.pop(option, None)
            else:
                kwargs[option] = current
        return name, path, args, kwargs

    def _owner_field(self) -> str | None:
        if self.organisation_field is not None:
            return self.organisation_field
        source = self.model._meta.get_field(self.source)
        if isinstance(source, EncryptedFieldMixin):
            return source.organisation_field
        return "organisation"

    def owner_id_for(self, instance: Any) -> str | None:
        return owner_id_from(instance, self._owner_field())

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        value = getattr(model_instance, self.source)
        index = (
            None
            if value is None or value == ""
            else blind_index(
                str(value), organisation=self.owner_id_for(model_instance), purpose=self.purpose
            )
        )
        setattr(model_instance, self.attname, index)
        return index

    def contribute_to_class(self, cls: Any, name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only=private_only)
        if not cls._meta.abstract:
            pre_save.connect(self._guard_update_fields, sender=cls, weak=False)

    def _guard_update_fields(self, sender: Any, update_fields: Any = None, **kwargs: Any) -> None:
        if (
            update_fields is not None
            and self.source in update_fields
            and (self.name not in update_fields)
        ):
            raise ValueError(
                f"save(update_fields=...) names {self.source!r} but not its blind index "
                f"{self.name!r}; add it, or the index goes stale."
            )
