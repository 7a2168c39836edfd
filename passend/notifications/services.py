"""Writes of notifications: `notify` (called by the feature apps' services in
their own transaction), marking as read, and the e-mail preferences.

`notify` creates the in-app notification and, when the recipient wants
e-mail for its kind, enqueues the e-mail once the transaction commits, with
ids only (`passend.common.tasks.enqueue_on_commit`): a rolled-back event
sends nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passend.common.tasks import enqueue_on_commit
from passend.notifications.delivery import send_notification_email
from passend.notifications.models import Kind, Notification, NotificationPreference
from passend.notifications.selectors import wants_email
from passend.privacy.audit.models import Action
from passend.privacy.audit.services import record
from passend.privacy.datamap import Purpose
from passend.tenancy.models import Membership

PURPOSE = Purpose.ACCOUNT
MAX_PARAM_LENGTH = 200

_EMAIL_OFF: ContextVar[bool] = ContextVar("notifications_email_off", default=False)


@contextmanager
def without_email() -> Iterator[None]:
    """Notify in the app only, e-mail no one: for `seed_demo` and imports, which
    build through the services but must not mail the people they create."""
    token = _EMAIL_OFF.set(True)
    try:
        yield
    finally:
        _EMAIL_OFF.reset(token)


def _clean_params(params: Mapping[str, object] | None) -> dict[str, str]:
    cleaned: dict[str, str] = {}
    for key, value in (params or {}).items():
        if not isinstance(value, str) or len(value) > MAX_PARAM_LENGTH:
            raise ValidationError(f"notification parameter {key!r} must be a short string")
        cleaned[str(key)] = value
    return cleaned


@transaction.atomic
def notify(
    *,
    recipient: Membership,
    kind: str,
    params: Mapping[str, object] | None = None,
    link: str = "",
    dedupe_key: str = "",
) -> Notification | None:
    """Tell `recipient` about an event: in the app always, by e-mail if they want it.

    With a `dedupe_key`, an event notifies a person once: a second call with
    the same key (a beat job run twice) returns None and sends nothing. An
    inactive membership is not notified (None).
    """
    if kind not in Kind.values:
        raise ValidationError(f"unknown notification kind {kind!r}")
    if link and not link.startswith("/"):
        raise ValidationError("a notification links to a page of this site")
    if not recipient.is_active:
        return None
    notification = Notification(
        organisation_id=recipient.organisation_id,
        recipient=recipient,
        kind=kind,
        params=_clean_params(params),
        link=link,
        dedupe_key=dedupe_key,
    )
    notification.full_clean(validate_unique=False, validate_constraints=False)
    if dedupe_key:
        if Notification.objects.filter(recipient=recipient, dedupe_key=dedupe_key).exists():
            return None
        try:
            with transaction.atomic():
                notification.save()
        except IntegrityError:  # the same event, notified at the same moment
            return None
    else:
        notification.save()
    record(
        action=Action.CREATE,
        target=notification,
        fields=["kind", "params", "link"],
        purpose=PURPOSE,
        subject=recipient.user_id,
    )
    if not _EMAIL_OFF.get() and wants_email(recipient, kind):
        enqueue_on_commit(
            send_notification_email, str(recipient.organisation_id), str(notification.pk)
        )
    return notification


def notify_many(
    *,
    recipients: Iterable[Membership],
    kind: str,
    params: Mapping[str, object] | None = None,
    link: str = "",
    dedupe_key: str = "",
) -> list[Notification]:
    """`notify` each of `recipients`; the notifications that were made."""
    made = (
        notify(recipient=r, kind=kind, params=params, link=link, dedupe_key=dedupe_key)
        for r in recipients
    )
    return [n for n in made if n is not None]


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> Notification:
    """Mark one of a person's notifications as read (already read: unchanged)."""
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at", "updated_at"])
        record(
            action=Action.UPDATE,
            target=notification,
            fields=["read_at"],
            purpose=PURPOSE,
            subject=notification.recipient.user_id,
        )
    return notification


@transaction.atomic
def notifications_mark_all_read(*, recipient: Membership) -> int:
    """Mark every unread notification of `recipient` as read; how many were unread."""
    count = Notification.objects.filter(recipient=recipient, read_at__isnull=True).update(
        read_at=timezone.now(), updated_at=timezone.now()
    )
    if count:
        record(
            action=Action.UPDATE,
            target=Notification,
            fields=["read_at"],
            purpose=PURPOSE,
            subject=recipient.user_id,
            detail=f"{count} notifications marked as read",
        )
    return count


@transaction.atomic
def preference_save(
    *, membership: Membership, email_kinds: Iterable[str]
) -> NotificationPreference:
    """Which kinds `membership` wants by e-mail too (in the app they always come)."""
    kinds = sorted(set(email_kinds))
    unknown = [k for k in kinds if k not in Kind.values]
    if unknown:
        raise ValidationError({"email_kinds": _("Choose from the list.")})
    preference = NotificationPreference.objects.filter(membership=membership).first()
    if preference is None:
        preference = NotificationPreference(
            organisation_id=membership.organisation_id, membership=membership
        )
    preference.email_kinds = kinds
    preference.save()
    record(
        action=Action.UPDATE,
        target=preference,
        fields=["email_kinds"],
        purpose=PURPOSE,
        subject=membership.user_id,
    )
    return preference
