"""Access functions of the request desk: 404 for missing and not-yours alike.

Each rule sits on its own line, so coverage shows every branch is tested.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from passend.common.adapters import get_or_404
from passend.privacy.requests.models import DataSubjectRequest, UnroutedRequest
from passend.tenancy.models import Membership, Role


def get_request_for_admin(actor: Membership | None, request_id: Any) -> DataSubjectRequest:
    """A request of the admin's own organisation (the scoped manager sees no other)."""
    if actor is None:
        raise Http404
    if actor.role != Role.ADMIN:
        raise Http404
    req: DataSubjectRequest = get_or_404(
        DataSubjectRequest.objects.select_related("membership__user", "identity_checked_by__user"),
        request_id,
    )
    return req


def get_request_for_member(actor: Membership | None, request_id: Any) -> DataSubjectRequest:
    """A request the member filed or that is about them, in the active organisation."""
    if actor is None:
        raise Http404
    req: DataSubjectRequest = get_or_404(DataSubjectRequest.objects.all(), request_id)
    if req.user_id != actor.user_id:
        raise Http404
    return req


def get_unrouted_for_staff(user: Any, request_id: Any) -> UnroutedRequest:
    if not getattr(user, "is_platform_staff", False):
        raise Http404
    unrouted: UnroutedRequest = get_or_404(UnroutedRequest.objects.all(), request_id)
    return unrouted
