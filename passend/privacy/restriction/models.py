"""Restriction of processing (GDPR Art. 18) and objections (Art. 21), per membership.

Each organisation is a separate controller, so a person restricts or objects
towards one organisation at a time. A row is evidence, not a switch: lifting a
restriction or withdrawing an objection sets a date, and a new one is a new
row, so the history shows every step. What these rows block is decided in one
place, `passend.privacy.restriction.gate`.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from passend.privacy.crypto.fields import EncryptedTextField
from passend.tenancy.models import Membership, OrganisationOwned

NOTE_MAX_LENGTH = 1000


class RestrictionReason(models.TextChoices):
    """The four grounds of Art. 18(1), in the words of the person who asks."""

    CONTESTS_ACCURACY = "contests_accuracy", _("I contest the accuracy of my data")
    UNLAWFUL_NO_ERASURE = (
        "unlawful_no_erasure",
        _("The processing is unlawful, but I do not want my data erased"),
    )
    LEGAL_CLAIMS = "legal_claims", _("I need my data for a legal claim")
    OBJECTION_PENDING = (
        "objection_pending",
        _("I objected and await the organisation's decision"),
    )


class ObjectablePurpose(models.TextChoices):
    """The purposes a person can object to (Art. 21)."""

    MATCHING = "matching", _("Matching with vacancies")
    NEWSLETTER = "newsletter", _("The newsletter")
    OFFERS = "offers", _("Offers")
    STATISTICS = "statistics", _("Statistics")
    SCREENING = "screening", _("Pre-employment screening")


class Restriction(OrganisationOwned):
    membership = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        related_name="restrictions",
        verbose_name=_("person"),
    )
    reason = models.CharField(_("reason"), max_length=30, choices=RestrictionReason.choices)
    # People explain a restriction in their own words, often with their health
    # or circumstances: encrypted with the organisation's key (issue 9).
    note = EncryptedTextField(_("explanation"), blank=True, max_length=NOTE_MAX_LENGTH)
    started_at = models.DateTimeField(_("restricted since"))
    started_by = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("restricted by"),
    )
    lifted_at = models.DateTimeField(_("lifted at"), null=True, blank=True)
    lifted_by = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("lifted by"),
    )
    lift_notified_at = models.DateTimeField(
        _("person informed of the lifting at"), null=True, blank=True
    )

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("restriction of processing")
        verbose_name_plural = _("restrictions of processing")
        constraints = [
            models.UniqueConstraint(
                fields=["membership"],
                condition=Q(lifted_at__isnull=True),
                name="restriction_one_active_per_membership",
                violation_error_message=_(
                    "Processing of this person's data is already restricted."
                ),
            ),
            models.CheckConstraint(
                condition=Q(lifted_at__isnull=True) | Q(lifted_at__gte=F("started_at")),
                name="restriction_lifted_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} ({self.started_at:%Y-%m-%d})"

    @property
    def is_active(self) -> bool:
        return self.lifted_at is None


class Objection(OrganisationOwned):
    membership = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        related_name="objections",
        verbose_name=_("person"),
    )
    purpose = models.CharField(_("purpose"), max_length=20, choices=ObjectablePurpose.choices)
    made_at = models.DateTimeField(_("objected at"))
    # Who recorded it: the person themselves, or an administrator of the
    # organisation who registered an objection the person made by letter,
    # e-mail or at the request desk. Empty on objections made before this was kept.
    made_by = models.ForeignKey(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)

    class Meta:
        ordering = ["-made_at"]
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "purpose"],
                condition=Q(withdrawn_at__isnull=True),
                name="objection_one_active_per_purpose",
                violation_error_message=_("You already object to this."),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_at__isnull=True) | Q(withdrawn_at__gte=F("made_at")),
                name="objection_withdrawn_after_made",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_purpose_display()} ({self.made_at:%Y-%m-%d})"

    @property
    def is_active(self) -> bool:
        return self.withdrawn_at is None

    @property
    def registered_for_the_person(self) -> bool:
        """Recorded by someone else (an administrator) on the person's behalf."""
        return self.made_by_id is not None and self.made_by_id != self.membership_id
