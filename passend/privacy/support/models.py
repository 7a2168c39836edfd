"""Support grants (P9): platform staff see an organisation's personal data only
while an admin of that organisation has approved a reasoned, expiring grant."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passend.tenancy.models import Membership, OrganisationOwned

# The longest an admin may approve a grant for; ask again for longer work.
MAX_GRANT_DURATION = timedelta(hours=72)
REASON_MAX_LENGTH = 1000


class GrantStatus(models.TextChoices):
    PENDING = "pending", _("waiting for approval")
    LIVE = "live", _("active")
    REFUSED = "refused", _("refused")
    REVOKED = "revoked", _("revoked")
    EXPIRED = "expired", _("expired")


class SupportGrant(OrganisationOwned):
    """A request by platform staff for access to one organisation, and its answer."""

    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="support_grants",
        verbose_name=_("staff member"),
    )
    reason = models.TextField(_("reason"), max_length=REASON_MAX_LENGTH)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    approved_by = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("approved by"),
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True)
    refused_by = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("refused by"),
    )
    refused_at = models.DateTimeField(_("refused at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("revoked by"),
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        verbose_name = _("support grant")
        verbose_name_plural = _("support grants")
        indexes = [
            models.Index(fields=["staff", "organisation", "expires_at"], name="support_grant_live"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(approved_at__isnull=True)
                | models.Q(expires_at__isnull=False, refused_at__isnull=True),
                name="support_grant_approved_has_expiry",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Support grant %(id)s") % {"id": self.pk})

    def clean(self) -> None:
        super().clean()
        if not (self.reason or "").strip():
            raise ValidationError({"reason": _("Give the reason you need access.")})
        if self.approved_at is not None:
            if self.expires_at is None or self.expires_at <= self.approved_at:
                raise ValidationError({"expires_at": _("The expiry must be after the approval.")})
            if self.expires_at - self.approved_at > MAX_GRANT_DURATION:
                raise ValidationError(
                    {
                        "expires_at": _("A grant lasts at most %(hours)d hours.")
                        % {"hours": MAX_GRANT_DURATION // timedelta(hours=1)}
                    }
                )

    @property
    def status(self) -> str:
        if self.revoked_at is not None:
            return GrantStatus.REVOKED
        if self.refused_at is not None:
            return GrantStatus.REFUSED
        if self.approved_at is None:
            return GrantStatus.PENDING
        if self.expires_at is None or self.expires_at <= timezone.now():
            return GrantStatus.EXPIRED
        return GrantStatus.LIVE

    def get_status_display(self) -> str:
        return str(GrantStatus(self.status).label)

    @property
    def is_live(self) -> bool:
        return self.status == GrantStatus.LIVE

    @property
    def is_pending(self) -> bool:
        return self.status == GrantStatus.PENDING
