"""The recipients register (J4, P9): every third party and sub-processor that
receives personal data, for what purpose and on what basis.

The register is code, reviewed like code. Which data each recipient receives
is not kept here: the data map says it, field by field (`recipients=[...]` in
each app's `privacy.py`), and `categories_for()` / `fields_for()` derive it.

`transfer()` is the one way out to a third party: it refuses a recipient that
is not in the register, a record that declares nothing for that recipient and
a purpose the recipient does not serve, and records about a person who
restricted processing or objects to the purpose (see
passend/privacy/restriction/gate.py); it sends only the declared fields and
records a "transfer" event in the audit trail for every record.
See docs/support-access.md for how to add a recipient.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.apps import AppConfig
from django.conf import settings
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.db import models, transaction
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from passend.privacy.datamap import (
    Basis,
    DataMap,
    ModelDeclaration,
    Personal,
    Purpose,
    declaration_for,
    default_map,
)


class RecipientKind(models.TextChoices):
    THIRD_PARTY = "third_party", _("third party")
    PROCESSOR = "processor", _("sub-processor of the platform")
    GROUP = "group", _("affiliated group company")


class TransferRefused(Exception):
    """A transfer that the register or the data map does not allow. Nothing was sent."""


@dataclass(frozen=True, kw_only=True)
class Recipient:
    """One entry of the register.

    `purpose` is what the recipient receives data for. A sub-processor that
    serves the whole platform (hosting, e-mail delivery) lists the further
    purposes it serves in `also_for`; `purposes` is both together.
    """

    key: str
    name: Promise | str
    kind: RecipientKind
    purpose: Purpose
    basis: Basis
    location: str
    safeguards: str = ""
    description: Promise | str = ""
    also_for: tuple[Purpose, ...] = ()

    @property
    def purposes(self) -> tuple[Purpose, ...]:
        return (self.purpose, *(p for p in self.also_for if p != self.purpose))


ALL_PURPOSES = tuple(Purpose)

_REGISTER: tuple[Recipient, ...] = (
    Recipient(
        key="bank",
        name=_("The workers' and organisation's bank"),
        kind=RecipientKind.THIRD_PARTY,
        purpose=Purpose.PAYMENTS,
        basis=Basis.CONTRACT,
        location="NL/EU",
        description=_("Receives SEPA payout files to pay workers for approved hours (J3f, J4)."),
    ),
    Recipient(
        key="insurer",
        name=_("The liability insurer"),
        kind=RecipientKind.THIRD_PARTY,
        purpose=Purpose.MEDIATION,
        basis=Basis.CONTRACT,
        location="NL/EU",
        description=_(
            "Receives the registration of flex workers for liability insurance while "
            "they work on an assignment (J4)."
        ),
    ),
    Recipient(
        key="group",
        name=_("Affiliated group companies"),
        kind=RecipientKind.GROUP,
        purpose=Purpose.MEDIATION,
        basis=Basis.LEGITIMATE_INTERESTS,
        location="NL/EU",
        description=_(
            "Companies of the same group that mediate work, when they take over or "
            "share an assignment (J4)."
        ),
    ),
    Recipient(
        key="hosting",
        name=_("The hosting provider"),
        kind=RecipientKind.PROCESSOR,
        purpose=Purpose.ACCOUNT,
        also_for=ALL_PURPOSES,
        basis=Basis.CONTRACT,
        location="EU",
        description=_(
            "Runs the servers, database and file storage on which the platform stores "
            "all data, under a processing agreement (J2, P9)."
        ),
    ),
    Recipient(
        key="email",
        name=_("The e-mail delivery service"),
        kind=RecipientKind.PROCESSOR,
        purpose=Purpose.ACCOUNT,
        also_for=(
            Purpose.SUPPORT,
            Purpose.SECURITY,
            Purpose.MEDIATION,
            Purpose.COACHING,
            Purpose.TIMESHEETS,
            Purpose.NEWSLETTER,
            Purpose.OFFERS,
            Purpose.SCREENING,
            Purpose.ORGANISATION_ADMIN,
        ),
        basis=Basis.CONTRACT,
        location="EU",
        description=_(
            "Delivers the e-mails the platform sends (invitations, password resets, "
            "notifications and, with consent, newsletters), under a processing agreement."
        ),
    ),
)

_BY_KEY: dict[str, Recipient] = {r.key: r for r in _REGISTER}


def recipients() -> list[Recipient]:
    """The whole register, in a stable order."""
    return list(_REGISTER)


def get_recipient(key: str) -> Recipient:
    """The recipient with this key; KeyError for a key that is not in the register."""
    try:
        return _BY_KEY[key]
    except (KeyError, TypeError):
        raise KeyError(f"{key!r} is not in the recipients register.") from None


def _declared_for(key: str) -> list[tuple[ModelDeclaration, str, Personal]]:
    return [
        (declaration, name, decl)
        for declaration in default_map().registry()
        for name, decl in declaration.personal_fields().items()
        if key in decl.recipients
    ]


def fields_for(key: str) -> list[tuple[type[models.Model], str]]:
    """Every (model, field name) whose declaration lists this recipient."""
    get_recipient(key)
    return [(declaration.model, name) for declaration, name, _decl in _declared_for(key)]


def categories_for(key: str) -> list[str]:
    """The data categories this recipient receives, as the data map declares them."""
    get_recipient(key)
    return sorted({decl.category for _declaration, _name, decl in _declared_for(key)})


def _purpose(purpose: Any) -> Purpose:
    try:
        return Purpose(getattr(purpose, "value", purpose))
    except ValueError:
        raise TransferRefused(f"{purpose!r} is not a purpose of the data map.") from None


def _transferable_fields(record: models.Model, recipient: Recipient, purpose: Purpose) -> list[str]:
    declaration = declaration_for(type(record))
    label = type(record)._meta.label
    if declaration is None:
        raise TransferRefused(f"{label} is not declared in the data map.")
    names = [
        name
        for name, decl in declaration.personal_fields().items()
        if recipient.key in decl.recipients and purpose in decl.purposes
    ]
    if not names:
        raise TransferRefused(
            f"{label} declares no field for recipient {recipient.key!r} "
            f"and purpose {purpose.value!r}."
        )
    return names


def _value(record: models.Model, name: str) -> Any:
    field = record._meta.get_field(name)
    if field.many_to_many:
        return sorted(str(pk) for pk in getattr(record, name).values_list("pk", flat=True))
    value = field.value_from_object(record)  # type: ignore[union-attr]
    # Plain values only: a foreign key leaves as its id, a date as ISO 8601, a UUID as text.
    if isinstance(value, date | datetime):
        return value.isoformat()
    if value is not None and not isinstance(value, str | int | float | bool):
        return str(value)
    return value


def subject_id(record: models.Model, *, _depth: int = 0) -> int | None:
    """The id of the user a record is about, following its declared subject field."""
    declaration = declaration_for(type(record))
    if declaration is None or not declaration.subject_field or _depth > 5:
        return None
    try:
        field = record._meta.get_field(declaration.subject_field)
    except FieldDoesNotExist:
        return None
    if getattr(field, "primary_key", False) and record._meta.label == settings.AUTH_USER_MODEL:
        return int(record.pk)
    if not field.is_relation:
        value = getattr(record, field.attname)  # type: ignore[union-attr]
        return int(value) if value is not None else None
    target = field.related_model
    if not (isinstance(target, type) and issubclass(target, models.Model)):
        return None
    if target._meta.label == settings.AUTH_USER_MODEL:
        value = getattr(record, field.attname)  # type: ignore[union-attr]
        return int(value) if value is not None else None
    related = getattr(record, field.name)
    return subject_id(related, _depth=_depth + 1) if related is not None else None


def _organisation_of(record: models.Model) -> Any:
    from passend.tenancy.models import Organisation

    if isinstance(record, Organisation):
        return record.pk
    return getattr(record, "organisation_id", None)


def _refuse_blocked(batch: list[models.Model], wanted: Purpose) -> None:
    """Nothing about a person who restricted processing (Art. 18), or who objects to
    this purpose (Art. 21), leaves: see passend/privacy/restriction/gate.py."""
    from passend.privacy.restriction.gate import blocked_transfer_subjects

    blocked = blocked_transfer_subjects(
        [(subject_id(item), _organisation_of(item)) for item in batch], wanted
    )
    if blocked:
        raise TransferRefused(
            f"{len(blocked)} person(s) in this transfer restricted processing of their data "
            f"or object to purpose {wanted.value!r}."
        )


def transfer(
    *,
    recipient: str,
    records: Iterable[models.Model],
    purpose: Any,
    actor: Any = None,
) -> list[dict[str, Any]]:
    """Hand `records` to a recipient of the register: the one way out (J4).

    Returns one plain dict per record holding exactly the fields the data map
    declares for this recipient and purpose, and records a "transfer" audit
    event per record (fields named, subject where known). Everything is
    checked before anything is sent or recorded: one refused record refuses
    the whole transfer with TransferRefused.
    """
    from passend.privacy.audit.services import Target, record

    try:
        to = get_recipient(recipient)
    except KeyError as error:
        raise TransferRefused(str(error.args[0])) from None
    wanted = _purpose(purpose)
    if wanted not in to.purposes:
        raise TransferRefused(
            f"Recipient {to.key!r} does not receive data for purpose {wanted.value!r}."
        )
    batch = list(records)
    plans = [(item, _transferable_fields(item, to, wanted)) for item in batch]
    _refuse_blocked(batch, wanted)
    payload: list[dict[str, Any]] = []
    with transaction.atomic():
        for item, names in plans:
            concrete = {f.name for f in item._meta.concrete_fields}
            target: Any = item
            if not set(names) <= concrete:
                target = Target(item._meta.label_lower, str(item.pk))
            organisation = _organisation_of(item)
            record(
                action="transfer",
                target=target,
                purpose=wanted,
                fields=names,
                subject=subject_id(item),
                detail=f"to recipient {to.key}",
                actor=actor,
                organisation=organisation,
            )
            payload.append({name: _value(item, name) for name in names})
    return payload


# --- the system check: the map names only recipients of the register ---------------


def check_recipients(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[checks.CheckMessage]:
    """Registered under the tag "privacy" (by the support app's ready())."""
    return recipient_errors(default_map())


def recipient_errors(datamap: DataMap) -> list[checks.CheckMessage]:
    """Every recipient named in the map is in the register, and each field
    declared for a recipient is processed for a purpose that recipient serves."""
    errors: list[checks.CheckMessage] = []
    for declaration in datamap.registry():
        for name, decl in declaration.personal_fields().items():
            for key in decl.recipients:
                where = f"{declaration.label}.{name}"
                if key not in _BY_KEY:
                    errors.append(
                        checks.Error(
                            f"{where} names recipient {key!r}, which is not in the "
                            "recipients register.",
                            hint="Add it to passend/privacy/recipients.py or fix the key.",
                            obj=declaration.model,
                            id="privacy.E030",
                        )
                    )
                    continue
                if not set(decl.purposes) & set(_BY_KEY[key].purposes):
                    errors.append(
                        checks.Error(
                            f"{where} is declared for recipient {key!r}, but none of its "
                            "purposes is a purpose that recipient serves.",
                            hint="Correct the field's purposes or the recipient's.",
                            obj=declaration.model,
                            id="privacy.E031",
                        )
                    )
    return errors
