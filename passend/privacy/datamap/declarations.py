"""What a declaration says about one field, and about one model."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import Enum
from typing import Any, TypeVar

from django.db import models

from passend.privacy.datamap.vocabulary import (
    Basis,
    Erasure,
    Protection,
    Purpose,
    RetentionAction,
    Subject,
    Trigger,
)

E = TypeVar("E", bound=Enum)


def _coerce(enum: type[E], value: Any) -> Any:
    """Accept an enum member or its value; leave anything else for the check to report."""
    if isinstance(value, enum):
        return value
    try:
        return enum(value)
    except ValueError:
        return value


@dataclass(frozen=True, kw_only=True)
class Retention:
    """How long a field is kept: `period` after `trigger`, then `action`.

    `legal_obligation` names the law that requires keeping (e.g. "AWR art. 52");
    it is required when `action` is KEEP or when erasure keeps the field.
    """

    trigger: Trigger
    period: timedelta
    action: RetentionAction
    legal_obligation: str | None = None
    # Kept `consent_period` after the trigger instead, while the person's
    # consent `consent_purpose` (a passend.privacy.consent purpose) is active.
    consent_period: timedelta | None = None
    consent_purpose: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "trigger", _coerce(Trigger, self.trigger))
        object.__setattr__(self, "action", _coerce(RetentionAction, self.action))


@dataclass(frozen=True, kw_only=True)
class Personal:
    """A field holding personal data, and everything the map says about it.

    Inconsistent declarations (no purposes, no basis, KEEP without a law,
    Art. 9 without a condition, ...) construct fine; the system check
    (passend.privacy.checks) reports them.

    A sensitive field must be an encrypted field. `protection` names how a
    sensitive field that is not encrypted is protected instead (a one-way
    hash, a keyed index, ...): see `Protection`.

    `internal=True` marks a platform-internal value the person has no use for
    on their data page (a system flag such as superuser status, the last
    sign-in): the page keeps it under "technical details"; the export and the
    privacy statement still list it.
    """

    subject: Subject
    category: str
    purposes: tuple[Purpose, ...] = ()
    basis: Basis | None = None
    art9: str | None = None
    sensitive: bool = False
    retention: Retention | None = None
    recipients: tuple[str, ...] = ()
    erasure: Erasure = Erasure.DELETE
    protection: Protection | None = None
    internal: bool = False

    personal = True

    def __post_init__(self) -> None:
        object.__setattr__(self, "subject", _coerce(Subject, self.subject))
        purposes: Iterable[Any] = self.purposes
        if isinstance(purposes, str):
            purposes = (purposes,)
        object.__setattr__(self, "purposes", tuple(_coerce(Purpose, p) for p in purposes))
        if self.basis is not None:
            object.__setattr__(self, "basis", _coerce(Basis, self.basis))
        recipients: Iterable[Any] = self.recipients
        if isinstance(recipients, str):
            recipients = (recipients,)
        object.__setattr__(self, "recipients", tuple(recipients))
        object.__setattr__(self, "erasure", _coerce(Erasure, self.erasure))
        if self.protection is not None:
            object.__setattr__(self, "protection", _coerce(Protection, self.protection))


def personal_shape(**shape: Any) -> Callable[..., Personal]:
    """One declaration shape shared by many fields of a model.

    `_proof = personal_shape(subject=Subject.USER, basis=..., ...)` and then
    `"given_at": _proof("passend.record_metadata")`; keywords given in the call
    override the shape for that one field.
    """

    def personal(category: str, **override: Any) -> Personal:
        return Personal(**{**shape, "category": category, **override})

    return personal


def proof_shape(retention: Retention) -> Callable[..., Personal]:
    """A record the controller keeps to prove it met the law (a consent given,
    an erasure honoured): about the user, on the legal-obligation basis, kept
    through an erasure until `retention` ends."""
    return personal_shape(
        subject=Subject.USER,
        purposes=(Purpose.LEGAL_OBLIGATION,),
        basis=Basis.LEGAL_OBLIGATION,
        retention=retention,
        recipients=("hosting",),
        erasure=Erasure.KEEP,
    )


@dataclass(frozen=True)
class NotPersonal:
    """A field that holds no personal data. `reason` is optional."""

    reason: str = ""

    personal = False


NOT_PERSONAL = NotPersonal()

FieldDeclaration = Personal | NotPersonal


@dataclass(frozen=True, kw_only=True)
class Hold:
    """A legal hold on one whole row: erasure keeps it, named law, until when.

    `until` is None while the end is not yet known (e.g. still employed).
    """

    law: str
    until: date | datetime | None = None


# Given a row, the hold that applies to it now, or None.
LegalHold = Callable[[Any], Hold | None]


@dataclass(frozen=True)
class ModelDeclaration:
    """Everything declared about one model.

    `subject_field` names the field that points at the person a row is
    about: the primary key of the user model itself, a foreign key to the user
    model, a foreign key to another declared model that has a subject field
    (followed in turn), or a plain field holding a user's primary key.
    `not_personal_reason` is set when the whole model was declared not
    personal with declare_not_personal(). `legal_hold`, if given, says of a
    row whether a law requires keeping it whole (erasure then keeps it and
    the receipt names the law and the end date).
    """

    model: type[models.Model]
    fields: Mapping[str, FieldDeclaration]
    subject_field: str | None = None
    not_personal_reason: str = ""
    declared_in: str = ""
    legal_hold: LegalHold | None = None

    @property
    def label(self) -> str:
        return self.model._meta.label

    def personal_fields(self) -> dict[str, Personal]:
        return {name: decl for name, decl in self.fields.items() if isinstance(decl, Personal)}


@dataclass(frozen=True)
class DeclaredField:
    """One field of one model with its declaration: what the map's queries return."""

    model: type[models.Model]
    name: str
    declaration: FieldDeclaration = field(compare=False)

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.name}"
