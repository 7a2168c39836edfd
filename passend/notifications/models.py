"""In-app notifications and what each person wants by e-mail.

A notification is addressed to one membership (a person in one organisation)
and stores its kind and a few short parameters, not a rendered sentence: the
text is rendered in the reader's language when it is shown or e-mailed
(`passend.notifications.kinds`). In-app notifications are always on; e-mail
follows the person's preference per kind.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from passend.tenancy.models import Membership, OrganisationOwned


class Kind(models.TextChoices):
    APPOINTMENT_PLANNED = "appointment_planned", _("A new appointment")
    APPOINTMENT_CHANGED = "appointment_changed", _("A changed appointment")
    TASK_ASSIGNED = "task_assigned", _("A task for you")
    TASK_DUE = "task_due", _("A task due tomorrow")
    PROFILE_SHARED = "profile_shared", _("A profile shared with your company")
    REQUEST_DEADLINE = "request_deadline", _("A privacy request whose deadline is near")
    APPLICATION_UPDATED = "application_updated", _("News about your application")
    APPLICATION_PROPOSED = "application_proposed", _("A vacancy proposed to you")


class Notification(OrganisationOwned):
    recipient = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    # Short strings that fill in the kind's sentence (a task's title, a date).
    params = models.JSONField(_("details"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    # Makes an event notify once: a beat job that runs twice finds the key taken.
    dedupe_key = models.CharField(_("once-only key"), max_length=200, blank=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [
            models.Index(
                fields=["organisation", "recipient", "read_at"], name="notification_unread"
            ),
            models.Index(
                fields=["organisation", "recipient", "-created_at"], name="notification_recent"
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "recipient", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="notification_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.created_at:%Y-%m-%d})"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class NotificationPreference(OrganisationOwned):
    """Which kinds a person wants by e-mail as well. No row: every kind."""

    membership = models.OneToOneField(
        Membership, on_delete=models.CASCADE, related_name="+", verbose_name=_("member")
    )
    email_kinds = models.JSONField(_("by e-mail"), default=list, blank=True)

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)
