"""Access functions for support grants: 404 for missing and not-yours alike.

Each rule sits on its own line, so coverage shows every branch is tested.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from passend.common.adapters import get_or_404
from passend.privacy.support.models import SupportGrant
from passend.tenancy.models import Membership, Role


def get_grant_for_admin(actor: Membership | None, grant_id: Any) -> SupportGrant:
    """A grant of the admin's own organisation (the scoped manager sees no other)."""
    if actor is None:
        raise Http404
    if actor.role != Role.ADMIN:
        raise Http404
    return get_or_404(SupportGrant.objects.select_related("staff"), grant_id)


def get_live_grant_for_staff(user: Any, grant_id: Any) -> SupportGrant:
    """A staff member's own grant, only while it is approved and not expired or revoked."""
    if not getattr(user, "is_platform_staff", False):
        raise Http404
    grant = get_or_404(SupportGrant.objects.unscoped().select_related("organisation"), grant_id)
    if grant.staff_id != user.pk:
        raise Http404
    if not grant.is_live:
        raise Http404
    return grant
