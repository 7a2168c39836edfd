"""Encrypted model fields: plaintext on the instance, AES-GCM ciphertext in the column.

    bsn = EncryptedCharField(_("BSN"), max_length=9, blank=True)

- Saving encrypts (in `pre_save`) with the primary data key of the row's
  organisation: `organisation_field` names the foreign key that says which
  ("organisation" by default; "self" when the model *is* the organisation;
  None for platform data, encrypted with the platform key).
- Loading decrypts; anything that does not decrypt raises DecryptionError:
  a tampered value, an unknown key, garbage, plaintext, or a ciphertext copied
  from another column (associated data names the column) or from another
  organisation's row (the key's owner is checked against the row's).
- The empty string is stored as the empty string and NULL as NULL: blank is
  not a secret, and forms expect it.
- No lookups except `isnull`: search with a blind index (blind_index.py).
- `queryset.update(field="plaintext")` raises PlaintextWriteError: only
  `save()` knows the row's organisation. Ciphertext of this column (what
  dumpdata writes) is accepted as is.

Renaming a model or field changes the context: set `associated_data` to the
old "<app_label>.<model>.<field>" to keep reading existing values.
"""

from __future__ import annotations

from typing import Any

from django.core import checks
from django.core.exceptions import FieldDoesNotExist, FieldError
from django.db import models
from django.db.models.query_utils import DeferredAttribute

from passend.privacy.crypto.envelope import decrypt_text, encrypt_text, is_token
from passend.privacy.crypto.errors import DecryptionError, PlaintextWriteError
from passend.privacy.crypto.keys import owner_id_of

SELF = "self"


def owner_column(model: type[models.Model], organisation_field: str | None) -> str | None:
    """The column that holds a row's owner: "pk" for "self", None for platform data."""
    if organisation_field is None:
        return None
    if organisation_field == SELF:
        return "pk"
    field = model._meta.get_field(organisation_field)
    if not isinstance(field, models.Field):
        raise FieldError(f"{organisation_field!r} is not a concrete field of {model._meta.label}.")
    return field.attname


def owner_id_from(instance: models.Model, organisation_field: str | None) -> str | None:
    """The owner (organisation id, or None for the platform) of a row."""
    column = owner_column(type(instance), organisation_field)
    return None if column is None else owner_id_of(getattr(instance, column))


class Ciphertext(str):
    """A value this module encrypted; the only kind written to the column as is."""

    __slots__ = ()


class DecryptedValue(str):
    """A decrypted value fresh from the database, not yet checked against its row's owner."""

    owner_id: str | None

    def __new__(cls, value: str, owner_id: str | None) -> DecryptedValue:
        obj = super().__new__(cls, value)
        obj.owner_id = owner_id
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (DecryptedValue, (str(self), self.owner_id))


class EncryptedAttribute(DeferredAttribute):
    """Checks, on first access, that the key that decrypted a value belongs to the row's owner.

    A data descriptor (it has __set__), so that __get__ runs even when the
    value sits in the instance's __dict__.
    """

    field: EncryptedFieldMixin

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, DecryptedValue):
            if value.owner_id != self.field.owner_id_for(instance):
                raise DecryptionError(
                    f"The stored value of {self.field.context} was encrypted for another "
                    "organisation than its row's; refusing it."
                )
            value = str(value)
            instance.__dict__[self.field.attname] = value
        return value


class EncryptedFieldMixin(models.Field):
    descriptor_class = EncryptedAttribute
    # Read by the data map (`is_encrypted_field`), which sits below this app.
    stores_encrypted = True

    def __init__(
        self,
        *args: Any,
        organisation_field: str | None = "organisation",
        associated_data: str | None = None,
        **kwargs: Any,
    ) -> None:
        self.organisation_field = organisation_field
        self.associated_data = associated_data
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        if self.organisation_field != "organisation":
            kwargs["organisation_field"] = self.organisation_field
        if self.associated_data is not None:
            kwargs["associated_data"] = self.associated_data
        return name, path, args, kwargs

    def get_internal_type(self) -> str:
        # Ciphertext is longer than the plaintext: always a text column.
        return "TextField"

    @property
    def context(self) -> str:
        if self.associated_data:
            return self.associated_data
        return f"{self.model._meta.label_lower}.{self.name}"

    def owner_id_for(self, instance: Any) -> str | None:
        return owner_id_from(instance, self.organisation_field)

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        label = f"{self.model._meta.label}.{self.name}"
        if self.unique or getattr(self, "db_index", False) or self.primary_key:
            errors.append(
                checks.Error(
                    f"{label}: an encrypted field cannot be unique, indexed or a primary key.",
                    hint="Add a BlindIndexField for it and put the constraint on that.",
                    obj=self,
                    id="crypto.E001",
                )
            )
        organisation_field = self.organisation_field
        if organisation_field is not None and organisation_field != SELF:
            try:
                self.model._meta.get_field(organisation_field)
            except FieldDoesNotExist:
                errors.append(
                    checks.Error(
                        f"{label}: organisation_field {self.organisation_field!r} is not a "
                        "field of the model.",
                        hint='Name the organisation foreign key, "self", or None for '
                        "platform data.",
                        obj=self,
                        id="crypto.E002",
                    )
                )
        return errors

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        decrypted = decrypt_text(value, context=self.context)
        return DecryptedValue(decrypted.plaintext, decrypted.owner_id)

    def pre_save(self, model_instance: Any, add: bool) -> Any:
        value = getattr(model_instance, self.attname)
        if value is None or value == "":
            return value
        if isinstance(value, Ciphertext):
            return value
        return Ciphertext(
            encrypt_text(
                str(value),
                organisation=self.owner_id_for(model_instance),
                context=self.context,
            )
        )

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if value is None or value == "":
            return value
        if isinstance(value, Ciphertext):
            return str(value)
        if isinstance(value, str) and not isinstance(value, DecryptedValue) and is_token(value):
            # Ciphertext of this very column (dumpdata/loaddata): verify, then keep.
            decrypt_text(value, context=self.context)
            return value
        raise PlaintextWriteError(
            f"{self.context} is encrypted: write it with save() (which knows the row's "
            "organisation), not with update() or bulk_update()."
        )

    def value_to_string(self, obj: Any) -> Any:
        """Serialisers (dumpdata) get ciphertext, never the plaintext."""
        value = self.value_from_object(obj)
        if value is None or value == "":
            return value
        return encrypt_text(str(value), organisation=self.owner_id_for(obj), context=self.context)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        raise FieldError(
            f"{self.context} is encrypted and cannot be searched with '{lookup_name}'; "
            "use its blind index."
        )

    def get_transform(self, lookup_name: str) -> Any:
        raise FieldError(f"{self.context} is encrypted and has no '{lookup_name}' transform.")


class EncryptedCharField(EncryptedFieldMixin, models.CharField):
    """A CharField whose `max_length` limits the plaintext; the column holds ciphertext."""


class EncryptedTextField(EncryptedFieldMixin, models.TextField):
    """A TextField stored encrypted."""


def encrypted_fields(model: type[models.Model]) -> list[EncryptedFieldMixin]:
    """The encrypted fields of a model, its own and inherited, in declaration order."""
    return [f for f in model._meta.concrete_fields if isinstance(f, EncryptedFieldMixin)]
