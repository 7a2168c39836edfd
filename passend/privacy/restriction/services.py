"""Restricting processing (Art. 18) and objecting (Art. 21): every write is audited.

A person restricts or objects themselves, at once; an administrator of the
organisation may record a restriction or an objection the person made in
another way (by letter, e-mail, phone or at the request desk), which is
recorded as registered by that administrator; only an administrator lifts a
restriction, and the person is told by e-mail before it is lifted (Art. 18(3)).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from passend.privacy.audit.models import Action
from passend.privacy.audit.services import record
from passend.privacy.datamap import Purpose
from passend.privacy.restriction.models import (
    ObjectablePurpose,
    Objection,
    Restriction,
    RestrictionReason,
)
from passend.tenancy.models import Membership, Role

ALREADY_RESTRICTED = _("Processing of your data is already restricted.")
ONLY_ADMINS_LIFT = _("Only an administrator of the organisation can lift a restriction.")
OWN_CHOICE = _("Only the person themselves can make this choice.")
ONLY_ADMINS_REGISTER = _(
    "Only an administrator of the organisation can record this on the person's behalf."
)


def _own(membership: Membership, by: Membership | None) -> None:
    if by is not None and by.pk != membership.pk:
        raise ValidationError(OWN_CHOICE)


def _require_admin_of(membership: Membership, by: Membership) -> None:
    if by.role != Role.ADMIN or not by.is_active:
        raise ValidationError(ONLY_ADMINS_REGISTER)
    if by.organisation_id != membership.organisation_id:
        raise ValidationError(ONLY_ADMINS_REGISTER)


@transaction.atomic
def objection_make(
    *, membership: Membership, purpose: str, by: Membership | None = None
) -> Objection:
    """The person objects to `purpose`; objecting again while it stands keeps the first record."""
    _own(membership, by)
    return _object(membership=membership, purpose=purpose, by=membership)


@transaction.atomic
def objection_register(*, membership: Membership, purpose: str, by: Membership) -> Objection:
    """An administrator records an objection the person made by letter, e-mail or at the
    request desk; it applies at once, like the person's own, and names who recorded it."""
    _require_admin_of(membership, by)
    return _object(membership=membership, purpose=purpose, by=by)


def _object(*, membership: Membership, purpose: str, by: Membership) -> Objection:
    if purpose not in ObjectablePurpose.values:
        raise ValidationError({"purpose": [_("Choose a purpose you can object to.")]})
    active = (
        Objection.objects.select_for_update()
        .filter(membership=membership, purpose=purpose, withdrawn_at__isnull=True)
        .first()
    )
    if active is not None:
        return active
    objection = Objection(
        organisation_id=membership.organisation_id,
        membership=membership,
        purpose=purpose,
        made_at=timezone.now(),
        made_by=by,
    )
    objection.full_clean()
    objection.save()
    on_behalf = by.pk != membership.pk
    record(
        action=Action.CREATE,
        target=objection,
        fields=["purpose", "made_at", "made_by"],
        purpose=Purpose.LEGAL_OBLIGATION,
        subject=membership.user_id,
        actor=by,
        detail="objection registered by an administrator" if on_behalf else "objection made",
    )
    return objection


@transaction.atomic
def objection_withdraw(
    *, membership: Membership, purpose: str, by: Membership | None = None
) -> int:
    """The person withdraws their objection to `purpose`; returns how many were withdrawn."""
    _own(membership, by)
    now = timezone.now()
    active = list(
        Objection.objects.select_for_update().filter(
            membership=membership, purpose=purpose, withdrawn_at__isnull=True
        )
    )
    for objection in active:
        objection.withdrawn_at = now
        objection.save(update_fields=["withdrawn_at", "updated_at"])
        record(
            action=Action.UPDATE,
            target=objection,
            fields=["withdrawn_at"],
            purpose=Purpose.LEGAL_OBLIGATION,
            subject=membership.user_id,
            detail="objection withdrawn",
        )
    return len(active)


@transaction.atomic
def restriction_start(
    *, membership: Membership, reason: str, note: str = "", by: Membership | None = None
) -> Restriction:
    """Restrict processing of the person's data at once (Art. 18(1)).

    The person asks for themselves; an administrator may record a restriction
    the person asked for in another way (by letter, say). From this moment the
    gate blocks matching, mailings, statistics, screening, sharing with
    employers and transfers to recipients.
    """
    if by is not None and by.pk != membership.pk and (by.role != Role.ADMIN or not by.is_active):
        raise ValidationError(OWN_CHOICE)
    if by is not None and by.organisation_id != membership.organisation_id:
        raise ValidationError(OWN_CHOICE)
    if Restriction.objects.filter(membership=membership, lifted_at__isnull=True).exists():
        raise ValidationError(ALREADY_RESTRICTED)
    restriction = Restriction(
        organisation_id=membership.organisation_id,
        membership=membership,
        reason=reason,
        note=(note or "").strip(),
        started_at=timezone.now(),
        started_by=by if by is not None else membership,
    )
    restriction.full_clean()
    try:
        with transaction.atomic():
            restriction.save()
    except IntegrityError:  # a second request at the same moment
        raise ValidationError(ALREADY_RESTRICTED) from None
    on_behalf = by is not None and by.pk != membership.pk
    record(
        action=Action.CREATE,
        target=restriction,
        fields=["reason", "note", "started_at", "started_by"],
        purpose=Purpose.LEGAL_OBLIGATION,
        subject=membership.user_id,
        actor=by,
        detail="processing restricted, registered by an administrator"
        if on_behalf
        else "processing restricted",
    )
    return restriction


def _send_lift_notice(restriction: Restriction) -> None:
    user: Any = restriction.membership.user
    organisation = restriction.membership.organisation
    link = settings.SITE_URL.rstrip("/") + reverse("restriction:mine")
    language = getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        subject = gettext("%(org)s lifts the restriction of processing of your data") % {
            "org": organisation.name
        }
        body = render_to_string(
            "restriction/email/lift_notice.txt",
            {"restriction": restriction, "organisation": organisation, "user": user, "link": link},
        )
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def restriction_lift(*, restriction: Restriction, by: Membership) -> Restriction:
    """An administrator lifts a restriction; the person is told first (Art. 18(3)).

    The notice is sent before the restriction is lifted: if it cannot be
    sent, the restriction stays in force.
    """
    if by.role != Role.ADMIN or by.organisation_id != restriction.organisation_id:
        raise ValidationError(ONLY_ADMINS_LIFT)
    restriction = (
        Restriction.objects.select_for_update()
        .select_related("membership__user", "membership__organisation")
        .get(pk=restriction.pk)
    )
    if restriction.lifted_at is not None:
        raise ValidationError(_("This restriction was lifted already."))
    _send_lift_notice(restriction)
    now = timezone.now()
    restriction.lift_notified_at = now
    restriction.lifted_at = now
    restriction.lifted_by = by
    restriction.full_clean()
    restriction.save(update_fields=["lift_notified_at", "lifted_at", "lifted_by", "updated_at"])
    record(
        action=Action.UPDATE,
        target=restriction,
        fields=["lift_notified_at", "lifted_at", "lifted_by"],
        purpose=Purpose.LEGAL_OBLIGATION,
        subject=restriction.membership.user_id,
        detail="restriction lifted after notice",
    )
    return restriction


__all__ = [
    "RestrictionReason",
    "objection_make",
    "objection_register",
    "objection_withdraw",
    "restriction_lift",
    "restriction_start",
]
