"""Tenancy: organisations (the controllers), their people and their employers.

An organisation is a mediating party (reintegration agency, municipality,
staffing agency). Employers and clients are records *inside* it, not tenants.
"""

from __future__ import annotations

import hashlib
import secrets
from typing import Any, ClassVar

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passend.common.managers import ScopedManager
from passend.common.models import PublicIdModel
from passend.common.sorting import SORT_KEY_LENGTH, sort_key
from passend.common.validators import validate_btw, validate_iban, validate_kvk, validate_postcode
from passend.privacy.crypto.fields import EncryptedCharField


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    PROFESSIONAL = "professional", _("Career advisor")
    EMPLOYER = "employer", _("Employer")
    CANDIDATE = "candidate", _("Candidate")


class OrganisationKind(models.TextChoices):
    REINTEGRATION = "reintegration", _("Reintegration agency")
    MUNICIPALITY = "municipality", _("Municipality")
    STAFFING = "staffing", _("Staffing agency")


class AddressFields(models.Model):
    street = models.CharField(_("street and number"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=7, blank=True, validators=[validate_postcode]
    )
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, default="NL")

    class Meta:
        abstract = True


def masked_iban(value: str) -> str:
    """An IBAN shown without revealing it: its country and last four characters."""
    if not value:
        return ""
    compact = value.replace(" ", "")
    return f"{compact[:2]}•• •••• {compact[-4:]}"


class Organisation(PublicIdModel, AddressFields):
    """A tenant and the controller of what its people put in (P2, P3)."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    kvk_number = models.CharField(
        _("KvK number"), max_length=8, blank=True, validators=[validate_kvk]
    )
    vat_number = models.CharField(
        _("VAT (BTW) number"), max_length=14, blank=True, validators=[validate_btw]
    )
    iban = EncryptedCharField(
        _("bank account (IBAN)"),
        max_length=34,
        blank=True,
        validators=[validate_iban],
        organisation_field="self",
    )
    is_active = models.BooleanField(_("active"), default=True)
    require_two_factor = models.BooleanField(
        _("require two-factor authentication"),
        default=False,
        help_text=_("Members must set up an authenticator app before they can continue."),
    )
    publishes_vacancies = models.BooleanField(
        _("publish vacancies on public job pages"),
        default=False,
        help_text=_("Published vacancies appear on job pages anyone can read, without an account."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def iban_masked(self) -> str:
        return masked_iban(self.iban)


class OrganisationOwned(PublicIdModel):
    """Everything an organisation controls carries its own organisation key."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", verbose_name=_("organisation")
    )

    objects: ClassVar[ScopedManager] = ScopedManager()

    class Meta:
        abstract = True


class OrganisationContact(OrganisationOwned):
    """A contact person of the organisation itself (P3)."""

    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone number"), max_length=32, blank=True)
    function = models.CharField(_("function"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self) -> str:
        return self.name


class Employer(OrganisationOwned, AddressFields):
    """A company that hires through the organisation (employer or flex client)."""

    name = models.CharField(_("name"), max_length=200)
    kvk_number = models.CharField(
        _("KvK number"), max_length=8, blank=True, validators=[validate_kvk]
    )
    vat_number = models.CharField(
        _("VAT (BTW) number"), max_length=14, blank=True, validators=[validate_btw]
    )
    is_client = models.BooleanField(
        _("flex-work client"),
        default=False,
        help_text=_("Posts shifts for flex workers besides vacancies."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        constraints = [
            models.UniqueConstraint(
                "organisation",
                Lower("name"),
                name="employer_unique_name_per_organisation",
                violation_error_code="duplicate_name",
                violation_error_message=_(
                    "Your organisation already has an employer with this name."
                ),
            )
        ]

    def __str__(self) -> str:
        return self.name


class EmployerContact(OrganisationOwned):
    """A contact person at an employer (who may or may not have an account)."""

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("employer")
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail address"))
    phone = models.CharField(_("phone number"), max_length=32, blank=True)
    function = models.CharField(_("function"), max_length=100, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("employer contact")
        verbose_name_plural = _("employer contacts")

    def __str__(self) -> str:
        return self.name


class MembershipManager(ScopedManager):
    def of_user(self, user: Any) -> models.QuerySet[Membership]:
        """A person's own memberships across organisations: what the switcher lists.

        The one cross-organisation read outside the privacy engine, and it is
        bounded to the signed-in person's own rows.
        """
        return (
            self._all_organisations()
            .filter(user=user, is_active=True, organisation__is_active=True)
            .select_related("organisation", "employer")
            .order_by("organisation__name")
        )

    def refresh_sort_names(self, user: Any) -> list[Membership]:
        """Keep the lists' sort key true after a person's name changed: their
        memberships in every organisation. Returns the memberships changed, so
        the rows that copy the key (candidate profiles) follow."""
        key = sort_key(user.name)
        stale = list(self._all_organisations().filter(user=user).exclude(sort_name=key))
        if stale:
            self._all_organisations().filter(pk__in=[m.pk for m in stale]).update(sort_name=key)
            for membership in stale:
                membership.sort_name = key
        return stale


class Membership(OrganisationOwned):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    employer = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="memberships",
        verbose_name=_("employer"),
        help_text=_("The company an employer member acts for."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    # The user's name, folded (passend.common.sorting): what the lists sort by,
    # in an index. Set on save; kept true on a rename by `refresh_sort_names`.
    sort_name = models.CharField(
        _("name to sort by"), max_length=SORT_KEY_LENGTH, blank=True, default="", editable=False
    )

    objects: ClassVar[MembershipManager] = MembershipManager()

    class Meta:
        ordering = ["organisation__name"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], name="membership_one_per_user_and_organisation"
            ),
            models.CheckConstraint(
                condition=models.Q(role="employer", employer__isnull=False)
                | (~models.Q(role="employer") & models.Q(employer__isnull=True)),
                name="membership_employer_iff_employer_role",
            ),
        ]
        indexes = [
            # The candidate list: an organisation's active candidates by name,
            # read in order (partial: only the rows the list shows).
            models.Index(
                fields=["organisation", "sort_name", "id"],
                condition=models.Q(role="candidate", is_active=True),
                name="membership_list_by_name",
            ),
            # The career advisors a form offers (coaching.forms.advisors), by name.
            models.Index(
                fields=["organisation", "sort_name", "id"],
                condition=models.Q(role__in=["admin", "professional"], is_active=True),
                name="membership_staff_by_name",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation} ({self.get_role_display()})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # A new row takes its user's name; a later save only when the user is
        # at hand (no query): renames reach it through refresh_sort_names.
        loaded = self._state.adding or Membership.user.is_cached(self)
        if kwargs.get("update_fields") is None and loaded:
            self.sort_name = sort_key(self.user.name)
        super().save(*args, **kwargs)

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


def hash_token(raw: str) -> str:
    """Tokens are stored only as SHA-256: they carry 256 bits, so no salt is needed."""
    return hashlib.sha256(raw.encode()).hexdigest()


class InvitationManager(ScopedManager):
    def by_token(self, raw_token: str) -> Invitation | None:
        """Find an invitation by the secret in its link, before any scope exists."""
        if not raw_token or len(raw_token) > 100:
            return None
        return (
            self._all_organisations()
            .select_related("organisation", "employer")
            .filter(token_hash=hash_token(raw_token))
            .first()
        )


class Invitation(OrganisationOwned):
    """A single-use, expiring invitation bound to an e-mail address and a role."""

    email = models.EmailField(_("e-mail address"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("employer")
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        Membership, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)

    objects: ClassVar[InvitationManager] = InvitationManager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} ({self.get_role_display()})"

    @staticmethod
    def new_token() -> str:
        return secrets.token_urlsafe(32)

    @property
    def is_usable(self) -> bool:
        return (
            self.accepted_at is None
            and self.revoked_at is None
            and self.expires_at > timezone.now()
        )

    @property
    def status(self) -> str:
        if self.accepted_at:
            return "accepted"
        if self.revoked_at:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "pending"
