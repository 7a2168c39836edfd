"""Access to restrictions: administrators of the organisation only; 404 for "missing"
and "not yours" alike (another organisation's restriction is not in the scope)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404

from passend.privacy.restriction.models import Restriction
from passend.tenancy.models import Membership, Role


def get_active_restriction_for_admin(actor: Membership, restriction_id: Any) -> Restriction:
    if actor.role != Role.ADMIN:
        raise Http404
    try:
        restriction: Restriction = Restriction.objects.select_related(
            "membership__user", "started_by__user"
        ).get(pk=restriction_id, lifted_at__isnull=True)
    except (Restriction.DoesNotExist, ValidationError, ValueError):
        raise Http404 from None
    return restriction
