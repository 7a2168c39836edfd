"""Access functions: the same 404 for "missing" and "not yours".

Each rule sits on its own line so that coverage shows every branch is tested.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from passend.common.adapters import get_or_404
from passend.tenancy.models import Employer, Invitation, Membership, OrganisationContact, Role


def require_role(*roles: str) -> Callable[..., Any]:
    """Let a view run only for a signed-in member with one of `roles`.

    Anonymous visitors are sent to the login page. A signed-in person with no
    organisation gets 404 (there is nothing of theirs here); a member with
    another role gets 403: they already know their own organisation exists.
    """

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            membership = getattr(request, "membership", None)
            if membership is None:
                raise Http404
            if roles and membership.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


def get_employer_for_actor(actor: Membership, employer_id: Any) -> Employer:
    employer: Employer = get_or_404(Employer.objects.all(), employer_id)
    if actor.role == Role.EMPLOYER and actor.employer_id != employer.pk:
        raise Http404
    return employer


def get_member_for_actor(actor: Membership, membership_id: Any) -> Membership:
    if actor.role != Role.ADMIN:
        raise Http404
    member: Membership = get_or_404(Membership.objects.select_related("user"), membership_id)
    return member


def get_invitation_for_actor(actor: Membership, invitation_id: Any) -> Invitation:
    invitation: Invitation = get_or_404(Invitation.objects.all(), invitation_id)
    if actor.role == Role.ADMIN:
        return invitation
    if invitation.invited_by_id != actor.pk:
        raise Http404
    return invitation


def get_contact_for_actor(actor: Membership, contact_id: Any) -> OrganisationContact:
    if actor.role != Role.ADMIN:
        raise Http404
    contact: OrganisationContact = get_or_404(OrganisationContact.objects.all(), contact_id)
    return contact


def roles_that_may_invite(actor: Membership) -> Iterable[str]:
    """Admins invite anyone; career advisors invite candidates and employer contacts."""
    if actor.role == Role.ADMIN:
        return [Role.ADMIN, Role.PROFESSIONAL, Role.EMPLOYER, Role.CANDIDATE]
    if actor.role == Role.PROFESSIONAL:
        return [Role.CANDIDATE, Role.EMPLOYER]
    return []
