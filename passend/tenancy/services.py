"""Writes for tenancy. Keyword-only, validated, transactional."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from passend.common.scope import current_organisation, organisation_scope
from passend.common.validators import normalise_btw, normalise_iban, normalise_kvk
from passend.privacy.audit.models import Action
from passend.privacy.audit.services import PLATFORM, Target, record
from passend.privacy.datamap import Purpose
from passend.tenancy.models import (
    Employer,
    EmployerContact,
    Invitation,
    Membership,
    Organisation,
    OrganisationContact,
    Role,
    hash_token,
    masked_iban,
)


def _normalise_identifiers(obj: Any) -> None:
    if getattr(obj, "kvk_number", ""):
        obj.kvk_number = normalise_kvk(obj.kvk_number)
    if getattr(obj, "vat_number", ""):
        obj.vat_number = normalise_btw(obj.vat_number)
    if getattr(obj, "iban", ""):
        obj.iban = normalise_iban(obj.iban)


@transaction.atomic
def organisation_create(*, name: str, slug: str, kind: str, **fields: Any) -> Organisation:
    organisation = Organisation(name=name, slug=slug, kind=kind, **fields)
    organisation.full_clean()
    _normalise_identifiers(organisation)
    organisation.save()
    return organisation


@transaction.atomic
def organisation_update(*, organisation: Organisation, data: dict[str, Any]) -> Organisation:
    """Change the organisation's details; the bank account only through
    `organisation_iban_change` (its own checks, audit event and notice)."""
    if "iban" in data:
        raise ValueError("Change an organisation's IBAN with organisation_iban_change().")
    # Compare with the stored row: a bound form may already have changed the instance.
    stored = Organisation.objects.get(pk=organisation.pk)
    for field, value in data.items():
        setattr(organisation, field, value)
    organisation.full_clean()
    _normalise_identifiers(organisation)
    organisation.save()
    changed = [field for field in data if getattr(stored, field) != getattr(organisation, field)]
    if changed:
        record(
            action=Action.UPDATE,
            target=organisation,
            fields=changed,
            purpose=Purpose.ORGANISATION_ADMIN,
            organisation=organisation,
        )
    return organisation


def _send_iban_changed(organisation_id: Any, changed_by: str, masked: str) -> None:
    """Tell every active admin, each in their own language; the mail names no full IBAN."""
    organisation = Organisation.objects.get(pk=organisation_id)
    with organisation_scope(organisation):
        admins = [
            membership.user
            for membership in Membership.objects.filter(
                role=Role.ADMIN, is_active=True, user__is_active=True
            ).select_related("user")
        ]
    link = settings.SITE_URL.rstrip("/") + reverse("tenancy:organisation")
    for user in admins:
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            subject = _("The bank account of %(org)s was changed") % {"org": organisation.name}
            body = render_to_string(
                "tenancy/email/iban_changed.txt",
                {
                    "organisation": organisation,
                    "changed_by": changed_by,
                    "masked": masked,
                    "link": link,
                },
            )
        send_mail(subject, body, None, [user.email])


@transaction.atomic
def organisation_iban_change(
    *, organisation: Organisation, iban: str, by: Membership
) -> Organisation:
    """Change the organisation's payout account (IBAN): its admins only.

    The caller has checked a fresh two-factor authentication (the view's
    `require_fresh_two_factor`). The value is validated and stored in its
    canonical form, encrypted; the change is audited, and every admin of the
    organisation is told by e-mail, with the new account masked, so a change
    nobody expected is noticed.
    """
    if by.organisation_id != organisation.pk or by.role != Role.ADMIN or not by.is_active:
        raise PermissionDenied
    new_iban = normalise_iban(iban)
    stored = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if stored.iban == new_iban:
        return organisation
    organisation.iban = new_iban
    organisation.full_clean()
    organisation.save(update_fields=["iban", "updated_at"])
    record(
        action=Action.UPDATE,
        target=organisation,
        fields=["iban"],
        purpose=Purpose.ORGANISATION_ADMIN,
        organisation=organisation,
        actor=by,
        detail="bank account changed after a two-factor check",
    )
    changed_by = str(by.user)
    masked = masked_iban(new_iban)
    organisation_id = organisation.pk
    transaction.on_commit(lambda: _send_iban_changed(organisation_id, changed_by, masked))
    return organisation


@transaction.atomic
def membership_create(
    *, organisation: Organisation, user: Any, role: str, employer: Employer | None = None
) -> Membership:
    with organisation_scope(organisation):
        membership = Membership(organisation=organisation, user=user, role=role, employer=employer)
        membership.full_clean()
        membership.save()
        record(
            action=Action.CREATE,
            target=membership,
            fields=["user", "role", "employer", "is_active"],
            purpose=Purpose.ACCOUNT,
        )
    return membership


@transaction.atomic
def membership_update(*, membership: Membership, role: str, is_active: bool) -> Membership:
    # Compare with the stored row: a bound form may already have changed the instance.
    stored = Membership.objects.get(pk=membership.pk)
    if stored.role == Role.ADMIN and (role != Role.ADMIN or not is_active):
        other_admins = Membership.objects.filter(role=Role.ADMIN, is_active=True).exclude(
            pk=membership.pk
        )
        if not other_admins.exists():
            raise ValidationError(_("An organisation needs at least one active administrator."))
    if role == Role.EMPLOYER and stored.employer_id is None:
        raise ValidationError(_("Invite employer contacts through their company instead."))
    membership.role = role
    membership.is_active = is_active
    if role != Role.EMPLOYER:
        membership.employer = None
    membership.full_clean()
    membership.save()
    changed = [
        name
        for name in ("role", "is_active", "employer_id")
        if getattr(stored, name) != getattr(membership, name)
    ]
    if changed:
        record(action=Action.UPDATE, target=membership, fields=changed, purpose=Purpose.ACCOUNT)
    return membership


def _send_invitation(invitation: Invitation, raw_token: str) -> None:
    link = settings.SITE_URL.rstrip("/") + reverse("tenancy:invitation_accept", args=[raw_token])
    context = {"invitation": invitation, "link": link, "organisation": invitation.organisation}
    with translation.override(translation.get_language() or settings.LANGUAGE_CODE):
        subject = _("You are invited to join %(org)s on Passend") % {
            "org": invitation.organisation.name
        }
        body = render_to_string("tenancy/email/invitation.txt", context)
    send_mail(subject, body, None, [invitation.email])


@transaction.atomic
def invitation_create(
    *,
    invited_by: Membership | None,
    email: str,
    role: str,
    employer: Employer | None = None,
) -> Invitation:
    """Create an invitation and e-mail its link; only the link holds the secret.

    `invited_by` is None only for an organisation's first admin, invited by the
    platform's operator (`manage.py create_organisation`)."""
    organisation = current_organisation()
    email = email.strip().lower()
    if role == Role.EMPLOYER and employer is None:
        raise ValidationError({"employer": _("Choose the company this employer contact acts for.")})
    if role != Role.EMPLOYER:
        employer = None
    already_member = Membership.objects.filter(user__email__iexact=email, is_active=True)
    if already_member.exists():
        raise ValidationError({"email": _("This person is already a member of the organisation.")})
    superseded = Invitation.objects.filter(email__iexact=email, accepted_at__isnull=True)
    for superseded_id in superseded.values_list("pk", flat=True):
        record(
            action=Action.UPDATE,
            target=Target(Invitation._meta.label_lower, str(superseded_id)),
            fields=["revoked_at"],
            purpose=Purpose.ACCOUNT,
            detail="superseded by a new invitation",
        )
    superseded.update(revoked_at=timezone.now())
    raw_token = Invitation.new_token()
    invitation = Invitation(
        organisation=organisation,
        email=email,
        role=role,
        employer=employer,
        invited_by=invited_by,
        token_hash=hash_token(raw_token),
        expires_at=timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS),
    )
    invitation.full_clean()
    invitation.save()
    record(
        action=Action.CREATE,
        target=invitation,
        fields=["email", "role", "employer", "invited_by", "expires_at"],
        purpose=Purpose.ACCOUNT,
    )
    transaction.on_commit(lambda: _send_invitation(invitation, raw_token))
    return invitation


@transaction.atomic
def invitation_revoke(*, invitation: Invitation) -> Invitation:
    if invitation.accepted_at is None and invitation.revoked_at is None:
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at", "updated_at"])
        record(
            action=Action.UPDATE,
            target=invitation,
            fields=["revoked_at"],
            purpose=Purpose.ACCOUNT,
            organisation=invitation.organisation_id,
            detail="revoked",
        )
    return invitation


class InvitationUnusable(Exception):
    """The invitation has been used, revoked or has expired."""


@transaction.atomic
def invitation_accept(*, invitation: Invitation, user: Any) -> Membership:
    """Turn a usable invitation into a membership, exactly once."""
    # Lock the row: two tabs accepting at once must not make two memberships.
    with organisation_scope(invitation.organisation):
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not invitation.is_usable:
            raise InvitationUnusable
        if invitation.email.lower() != user.email.lower():
            raise InvitationUnusable
        membership = Membership.objects.filter(user=user).first()
        if membership is None:
            membership = Membership(
                organisation=invitation.organisation,
                user=user,
                role=invitation.role,
                employer=invitation.employer,
            )
        else:
            membership.role = invitation.role
            membership.employer = invitation.employer
            membership.is_active = True
        created = membership._state.adding
        membership.full_clean()
        membership.save()
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by", "updated_at"])
        # The person accepting acts, through the membership they now hold.
        record(
            action=Action.CREATE if created else Action.UPDATE,
            target=membership,
            fields=["user", "role", "employer", "is_active"],
            purpose=Purpose.ACCOUNT,
            actor=membership,
            detail="invitation accepted",
        )
        record(
            action=Action.UPDATE,
            target=invitation,
            fields=["accepted_at", "accepted_by"],
            purpose=Purpose.ACCOUNT,
            actor=membership,
        )
    return membership


@transaction.atomic
def invitation_accept_with_password(
    *, invitation: Invitation, user: Any, password: str
) -> Membership:
    """Accept an invitation for an account without a password (made when its person
    confirmed an application on a public job page): the invitation's link
    reached the address, so the address counts as verified and the password
    chosen with it becomes the account's."""
    membership = invitation_accept(invitation=invitation, user=user)
    user.set_password(password)
    user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(
        user=user,
        email=user.email,
        defaults={"verified": True},
        create_defaults={"verified": True, "primary": True},
    )
    record(
        action=Action.UPDATE,
        target=user,
        fields=["password"],
        purpose=Purpose.ACCOUNT,
        subject=user.pk,
        organisation=PLATFORM,
        actor=user,
        detail="password chosen with an invitation",
    )
    return membership


@transaction.atomic
def employer_create(*, name: str, **fields: Any) -> Employer:
    employer = Employer(organisation=current_organisation(), name=name, **fields)
    employer.full_clean()
    _normalise_identifiers(employer)
    employer.save()
    return employer


@transaction.atomic
def employer_update(*, employer: Employer, data: dict[str, Any]) -> Employer:
    for field, value in data.items():
        setattr(employer, field, value)
    employer.full_clean()
    _normalise_identifiers(employer)
    employer.save()
    return employer


@transaction.atomic
def employer_contact_create(*, employer: Employer, **fields: Any) -> EmployerContact:
    contact = EmployerContact(organisation=current_organisation(), employer=employer, **fields)
    contact.full_clean()
    contact.save()
    record(
        action=Action.CREATE,
        target=contact,
        fields=["employer", *fields],
        purpose=Purpose.MEDIATION,
    )
    return contact


@transaction.atomic
def organisation_contact_create(**fields: Any) -> OrganisationContact:
    contact = OrganisationContact(organisation=current_organisation(), **fields)
    contact.full_clean()
    contact.save()
    record(
        action=Action.CREATE,
        target=contact,
        fields=list(fields),
        purpose=Purpose.ORGANISATION_ADMIN,
    )
    return contact


@transaction.atomic
def organisation_contact_delete(*, contact: OrganisationContact) -> None:
    # Recorded first: after delete() the instance no longer has its id.
    record(action=Action.DELETE, target=contact, purpose=Purpose.ORGANISATION_ADMIN)
    contact.delete()
