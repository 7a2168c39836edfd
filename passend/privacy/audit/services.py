"""Writing the audit trail: `record()` for every write of personal data, and
`record_read()` for every read of sensitive data.

Services call these themselves, inside their own transaction, so an event is
stored exactly when the change it describes is committed, and no caller can
forget it (conventions, habit 8).
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from uuid import UUID

from django.contrib.auth import get_user_model
from django.db import connection, models, transaction
from django.utils import timezone

from passend.common.scope import current_organisation, has_scope
from passend.privacy.audit import chain
from passend.privacy.audit.middleware import SYSTEM, Actor, acting_as, current_actor
from passend.privacy.audit.models import Action, AuditChain, AuditEvent
from passend.privacy.datamap import Purpose, declaration_for

logger = logging.getLogger(__name__)

DETAIL_MAX = 200

# Pass as `organisation` for an event outside any organisation, even when a
# scope is active.
PLATFORM: Any = object()

# `detail` is for short, fixed, non-personal text ("role changed", "via API").
# These catch the personal values most likely to slip in by mistake.
_PERSONAL_SHAPES = (
    re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+"),  # e-mail address
    re.compile(r"\b\d{8,}\b"),  # BSN, phone number, account number
    re.compile(r"\b[A-Z]{2}\d{2}[A-Z]{4}\d{7,}\b", re.IGNORECASE),  # IBAN
)


@dataclass(frozen=True)
class Target:
    """A reference to what an event is about, for when there is no instance at hand."""

    model: str  # "app_label.modelname"
    id: str = ""


def target_of(obj: Any) -> Target:
    if isinstance(obj, Target):
        return obj
    if isinstance(obj, type) and issubclass(obj, models.Model):
        return Target(obj._meta.label_lower)
    if isinstance(obj, models.Model):
        if obj.pk is None or obj._state.adding:
            raise ValueError("Record the event for a saved object (before deleting it).")
        return Target(obj._meta.label_lower, str(obj.pk))
    raise TypeError(f"An audit target is a model instance, a model or a Target, not {obj!r}")


@functools.cache
def _concrete_names(model: type[models.Model]) -> frozenset[str]:
    names = set()
    for field in model._meta.concrete_fields:
        names.add(field.name)
        names.add(field.attname)
    return frozenset(names)


def _field_names(target: Any, fields: Iterable[str]) -> list[str]:
    names = sorted(set(fields))
    model = target if isinstance(target, type) else type(target)
    if isinstance(target, Target) or not issubclass(model, models.Model):
        return names
    unknown = [name for name in names if name not in _concrete_names(model)]
    if unknown:
        # Field names, never values: an unknown name is usually a value passed by mistake.
        raise ValueError(
            f"{model._meta.label}: {len(unknown)} unknown field name(s); "
            "pass the names of fields, never their values"
        )
    return names


def _actor(actor: Any) -> Actor:
    if actor is None:
        return current_actor()
    if isinstance(actor, Actor):
        return actor
    if hasattr(actor, "role") and hasattr(actor, "user_id"):
        return Actor.for_membership(actor)
    return Actor.for_user(actor)


def _organisation_id(organisation: Any) -> UUID | None:
    if organisation is PLATFORM:
        return None
    if organisation is None:
        return current_organisation().pk if has_scope() else None
    if isinstance(organisation, UUID):
        return organisation
    if isinstance(organisation, models.Model):
        return organisation.pk
    return UUID(str(organisation))


def _subject_from_map(target: Any) -> int | None:
    """The person a row is about, where the data map names a field that says so directly."""
    if not isinstance(target, models.Model):
        return None
    declaration = declaration_for(target)
    if declaration is None or not declaration.subject_field:
        return None
    field = target._meta.get_field(declaration.subject_field)
    user_model = get_user_model()
    if isinstance(target, user_model) and getattr(field, "primary_key", False):
        return int(target.pk)
    if field.is_relation and field.related_model is user_model:
        value = getattr(target, field.attname)  # type: ignore[union-attr]
        return int(value) if value is not None else None
    if not field.is_relation:
        value = getattr(target, field.attname)  # type: ignore[union-attr]
        return value if isinstance(value, int) else None
    return None


def _subject_id(subject: Any, target: Any) -> int | None:
    if subject is None:
        return _subject_from_map(target)
    if isinstance(subject, int):
        return subject
    return int(subject.pk)


def _purpose(purpose: Any) -> str:
    value = getattr(purpose, "value", purpose)
    return str(Purpose(value).value)


def _detail(detail: str) -> str:
    detail = str(detail).strip()
    if len(detail) > DETAIL_MAX:
        raise ValueError(f"An audit detail is at most {DETAIL_MAX} characters.")
    if any(shape.search(detail) for shape in _PERSONAL_SHAPES):
        raise ValueError("An audit detail must not contain personal data.")
    return detail


@dataclass(frozen=True)
class _Statement:
    insert: str
    # (attribute, field whose database preparation it needs, or None for plain values)
    params: tuple[tuple[str, models.Field[Any, Any] | None], ...]


_statements: dict[str, _Statement] = {}

# Fields whose values the database driver cannot take as they are; strings and
# integers go through unchanged.
PREPARED = (models.UUIDField, models.DateTimeField, models.JSONField)

# The chain's own columns, which only the sealer fills in.
SEAL_COLUMNS = ("sequence", "prev_hash", "hash")


def _sql() -> _Statement:
    """The INSERT of an event, written once per database engine.

    An append runs on every write of personal data, so it skips the ORM's
    query compiler (most of its cost). It is one statement that takes no lock
    anyone else waits for: the chain's columns stay empty until `audit_seal`.
    """
    vendor = connection.vendor
    if vendor not in _statements:
        qn = connection.ops.quote_name
        events = qn(AuditEvent._meta.db_table)
        fields = tuple(
            f
            for f in AuditEvent._meta.concrete_fields
            if not f.primary_key and f.attname not in SEAL_COLUMNS
        )
        columns = ", ".join(qn(f.column) for f in fields)
        values = ", ".join(["%s"] * len(fields))
        _statements[vendor] = _Statement(
            insert=f"INSERT INTO {events} ({columns}) VALUES ({values}) RETURNING id",  # noqa: S608
            params=tuple((f.attname, f if isinstance(f, PREPARED) else None) for f in fields),
        )
    return _statements[vendor]


def _append(event: AuditEvent) -> None:
    """Store the event unsealed: no sequence number or hash yet, and no lock on its
    chain, so concurrent writers of one organisation never wait for each other."""
    sql = _sql()
    event.occurred_at = timezone.now()
    params = [
        field.get_db_prep_save(getattr(event, name), connection)
        if field is not None
        else getattr(event, name)
        for name, field in sql.params
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql.insert, params)
        event.pk = cursor.fetchone()[0]
    event._state.adding = False
    event._state.db = connection.alias


def record(
    *,
    action: str,
    target: Any,
    purpose: Any,
    fields: Iterable[str] = (),
    subject: Any = None,
    detail: str = "",
    actor: Any = None,
    organisation: Any = None,
) -> AuditEvent:
    """Store one event for the organisation's chain (or the platform's) and return it.

    The event is stored unsealed, in the caller's transaction: `audit_seal`
    (every minute, and before `verify_audit`) later gives it its place in the
    chain, its sequence number and hash.

    `target` is the model instance (or model, or `Target`) the event is about;
    `fields` the names of the fields touched, never their values; `subject` the
    person (a user or user id) whose data it is, where known; without it, the
    data map's subject field of the target is used when it points at a user.
    `actor` defaults to whoever the request or `acting_as` says acts,
    `organisation` to the active scope (no scope, or `PLATFORM`: the
    platform's own chain). No signals are sent for audit events.
    """
    action = Action(action).value
    ref = target_of(target)
    event = AuditEvent(
        organisation_id=_organisation_id(organisation),
        action=action,
        target_model=ref.model,
        target_id=ref.id,
        subject_user_id=_subject_id(subject, target),
        fields=_field_names(target, fields),
        purpose=_purpose(purpose),
        detail=_detail(detail),
    )
    who = _actor(actor)
    event.actor_kind = who.kind
    event.actor_user_id = who.user_id
    event.actor_membership_id = who.membership_id
    event.actor_role = who.role
    event.chain = chain.chain_key(event.organisation_id)
    _append(event)
    return event


def record_read(
    *,
    target: Any,
    fields: Iterable[str],
    purpose: Any,
    subject: Any = None,
    detail: str = "",
    actor: Any = None,
    organisation: Any = None,
) -> AuditEvent:
    """Record that sensitive fields (BSN, IBAN, ID document, screening) were shown or used.

    Call it where the value is decrypted for display or use, not where a row
    is merely loaded: the event says who saw what, so it shows up in the
    person's "who looked at my data".
    """
    names = list(fields)
    if not names:
        raise ValueError("Name the sensitive fields that were read.")
    return record(
        action=Action.READ,
        target=target,
        fields=names,
        purpose=purpose,
        subject=subject,
        detail=detail,
        actor=actor,
        organisation=organisation,
    )


# Events sealed per transaction: the chain's head row is locked for one batch only.
SEAL_BATCH = 500


def chains_to_seal() -> list[str]:
    """The chains that have unsealed events (committed ones: others are not visible)."""
    return list(
        AuditEvent.objects.unscoped()
        .filter(hash__isnull=True)
        .order_by("chain")
        .values_list("chain", flat=True)
        .distinct()
    )


def _seal_batch(key: str, limit: int) -> int:
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with transaction.atomic():
        AuditChain.objects.bulk_create([AuditChain(key=key)], ignore_conflicts=True)
        # Locks the head row (PostgreSQL) for this batch only: another sealer of
        # the same chain waits here, then sees this batch's events as sealed.
        head = AuditChain.objects.select_for_update().get(pk=key)
        events = list(
            AuditEvent.objects.unscoped()
            .filter(chain=key, hash__isnull=True)
            .order_by("id")[:limit]
        )
        if not events:
            return 0
        previous = head.head
        rows = []
        for event in events:
            event.sequence = previous.sequence + 1
            event.prev_hash = previous.hash
            event.hash = event.compute_hash()
            previous = chain.Head(event.sequence, event.hash)
            rows.append((event.sequence, event.prev_hash, event.hash, event.pk))
        with connection.cursor() as cursor:
            # Only an unsealed event can be sealed, once: the PostgreSQL trigger
            # also refuses any other change.
            cursor.executemany(
                f"UPDATE {table} SET sequence = %s, prev_hash = %s, hash = %s "  # noqa: S608
                "WHERE id = %s AND hash IS NULL",
                rows,
            )
        AuditChain.objects.filter(pk=key).update(
            sequence=previous.sequence, head_hash=previous.hash
        )
    return len(events)


def audit_seal(*, chain: str | None = None, batch: int = SEAL_BATCH) -> int:
    """Chain every committed, unsealed event (of one chain, or all); returns how many.

    Per chain, in short transactions of at most `batch` events, in insertion
    order: each event gets the next sequence number, the hash of the event
    before it, and its own hash; the head row moves along. An event whose
    transaction commits after later ones were sealed is sealed in the next
    run, behind them: the chain's order is the order of sealing. Idempotent:
    a second run seals nothing, and two sealers of one chain take turns.
    """
    keys = [key for key in chains_to_seal() if chain is None or key == chain]
    sealed = 0
    for key in keys:
        while True:
            count = _seal_batch(key, batch)
            sealed += count
            if count < batch:
                break
    if sealed:
        logger.info("Audit sealing chained %d events.", sealed)
    return sealed


def _delete_through(key: str, sequence: int) -> int:
    # The one delete of audit events: the PostgreSQL trigger allows it only at
    # or below the chain's pruning base, which the caller has just moved.
    table = connection.ops.quote_name(AuditEvent._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE chain = %s AND sequence <= %s",  # noqa: S608
            [key, sequence],
        )
        return int(cursor.rowcount)


def audit_prune(*, before: datetime) -> int:
    """Remove events older than `before` (the retention period); returns how many.

    Each chain keeps verifying: its head records the last removed event as the
    new base, and a `prune` event in the same chain says what was removed.
    """
    removed = 0
    audit_seal()  # only sealed events are pruned; the base must be in the chain
    keys = list(AuditChain.objects.order_by("key").values_list("key", flat=True))
    for key in keys:
        with transaction.atomic():
            # Locks the head row (PostgreSQL) so no sealing interleaves with pruning.
            # Sealed events only (unsealed ones have no sequence). Time follows the
            # sequence only to within how long a transaction stays open, so an
            # event a few seconds younger than `before` may go with its elders.
            head = AuditChain.objects.select_for_update().get(pk=key)
            last = (
                AuditEvent.objects.unscoped()
                .filter(chain=key, sequence__gt=head.base_sequence, occurred_at__lt=before)
                .order_by("-sequence")
                .values("sequence", "hash")
                .first()
            )
            if last is None or last["sequence"] is None:
                continue
            AuditChain.objects.filter(pk=key).update(
                base_sequence=last["sequence"], base_hash=last["hash"]
            )
            count = _delete_through(key, last["sequence"])
            removed += count
            organisation = PLATFORM if key == chain.PLATFORM_CHAIN else UUID(key)
            with acting_as(SYSTEM):
                # The target id is the last removed sequence number.
                record(
                    action=Action.PRUNE,
                    target=Target(AuditEvent._meta.label_lower, str(last["sequence"])),
                    purpose=Purpose.SECURITY,
                    organisation=organisation,
                    detail="retention period ended",
                )
    audit_seal()  # chain the prune events right away
    logger.info("Audit retention removed %d events.", removed)
    return removed
