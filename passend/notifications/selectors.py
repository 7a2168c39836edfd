"""Reads of notifications: the bell's unread count, a person's list, preferences."""

from __future__ import annotations

from django.db.models import QuerySet

from passend.notifications.models import Kind, Notification, NotificationPreference
from passend.tenancy.models import Membership


def unread_count(recipient: Membership) -> int:
    """One COUNT on the (organisation, recipient, read_at) index."""
    return Notification.objects.filter(recipient=recipient, read_at__isnull=True).count()


def notifications_of(recipient: Membership) -> QuerySet[Notification]:
    """A person's notifications, newest first."""
    return Notification.objects.filter(recipient=recipient).order_by("-created_at")


def email_kinds_of(membership: Membership) -> list[str]:
    """The kinds a person gets by e-mail: every kind until they choose."""
    preference = NotificationPreference.objects.filter(membership=membership).first()
    return list(Kind.values) if preference is None else list(preference.email_kinds)


def wants_email(membership: Membership, kind: str) -> bool:
    return kind in email_kinds_of(membership)
