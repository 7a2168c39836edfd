"""Writes for support grants. Each records its own event in the organisation's
audit trail, so the organisation sees every request, answer and use."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from passend.common.scope import organisation_scope
from passend.privacy.audit.services import Target, record
from passend.privacy.datamap import Purpose
from passend.privacy.support.models import MAX_GRANT_DURATION, SupportGrant
from passend.tenancy.models import Membership, Organisation, Role


def _target(grant: SupportGrant) -> Target:
    return Target(SupportGrant._meta.label_lower, str(grant.pk))


def _audit(
    grant: SupportGrant,
    *,
    action: str,
    actor: Any,
    detail: str,
    fields: Iterable[str] = (),
    subject: Any = None,
) -> None:
    record(
        action=action,
        target=_target(grant),
        purpose=Purpose.SUPPORT,
        fields=fields,
        subject=subject,
        detail=detail,
        actor=actor,
        organisation=grant.organisation_id,
    )


def _require_admin_of(grant: SupportGrant, by: Membership) -> None:
    if by.role != Role.ADMIN or not by.is_active or by.organisation_id != grant.organisation_id:
        raise ValidationError(_("Only an admin of the organisation can answer this request."))


@transaction.atomic
def grant_request(*, staff: Any, organisation: Organisation, reason: str) -> SupportGrant:
    """Platform staff ask an organisation for access; its admins decide."""
    if not getattr(staff, "is_platform_staff", False):
        raise ValidationError(_("Only platform staff can request support access."))
    if not organisation.is_active:
        raise ValidationError({"organisation": _("This organisation is not active.")})
    with organisation_scope(organisation):
        open_request = SupportGrant.objects.filter(
            staff=staff, refused_at__isnull=True, revoked_at__isnull=True
        ).exclude(approved_at__isnull=False, expires_at__lte=timezone.now())
        if open_request.exists():
            raise ValidationError(
                {"organisation": _("You already have an open request or grant for it.")}
            )
        grant = SupportGrant(organisation=organisation, staff=staff, reason=reason.strip())
        grant.full_clean()
        grant.save()
    _audit(grant, action="create", actor=staff, detail="support access requested",
           fields=["staff", "reason"])  # fmt: skip
    return grant


@transaction.atomic
def grant_approve(*, grant: SupportGrant, by: Membership, duration: timedelta) -> SupportGrant:
    """An admin of the organisation approves a pending request for `duration`."""
    _require_admin_of(grant, by)
    if not grant.is_pending:
        raise ValidationError(_("Only a request that waits for approval can be approved."))
    if duration <= timedelta(0) or duration > MAX_GRANT_DURATION:
        hours = MAX_GRANT_DURATION // timedelta(hours=1)
        raise ValidationError(
            {"expires_at": _("A grant lasts at most %(hours)d hours.") % {"hours": hours}}
        )
    now = timezone.now()
    grant.approved_by = by
    grant.approved_at = now
    grant.expires_at = now + duration
    grant.full_clean()
    grant.save()
    _audit(grant, action="grant", actor=by, detail="support access approved",
           fields=["approved_by", "approved_at", "expires_at"])  # fmt: skip
    return grant


@transaction.atomic
def grant_refuse(*, grant: SupportGrant, by: Membership) -> SupportGrant:
    _require_admin_of(grant, by)
    if not grant.is_pending:
        raise ValidationError(_("Only a request that waits for approval can be refused."))
    grant.refused_by = by
    grant.refused_at = timezone.now()
    grant.full_clean()
    grant.save()
    _audit(grant, action="update", actor=by, detail="support access refused",
           fields=["refused_by", "refused_at"])  # fmt: skip
    return grant


@transaction.atomic
def grant_revoke(*, grant: SupportGrant, by: Membership) -> SupportGrant:
    """An admin ends a grant (or withdraws a pending request) at once."""
    _require_admin_of(grant, by)
    if not (grant.is_pending or grant.is_live):
        raise ValidationError(_("This grant has already ended."))
    grant.revoked_by = by
    grant.revoked_at = timezone.now()
    grant.full_clean()
    grant.save()
    _audit(grant, action="update", actor=by, detail="support access revoked",
           fields=["revoked_by", "revoked_at"])  # fmt: skip
    return grant


def grant_use_record(
    *,
    grant: SupportGrant,
    staff: Any,
    detail: str,
    fields: Iterable[str] = (),
    subject: Any = None,
) -> None:
    """One use of a live grant: what was looked at, in the organisation's trail.

    The target is the grant (its id); `detail` says which view, `fields` which
    fields were shown, `subject` whose data it was where it is one person.
    """
    _audit(grant, action="grant_use", actor=staff, detail=detail, fields=fields,
           subject=subject)  # fmt: skip
