"""Support access pages (P9).

Organisation admins: /support-access/ lists requests to answer, live grants
to revoke and the grant history. Platform staff: ask for access
(/support-access/request/), see their grants (/support-access/mine/) and,
while a grant is live, a read-only view of the organisation's members.
Each view: parse -> access -> service/selector -> render.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from passend.common.adapters import apply_errors, confirm_first
from passend.privacy.support import selectors, services
from passend.privacy.support.access import get_grant_for_admin, get_live_grant_for_staff
from passend.privacy.support.forms import GrantApproveForm, GrantRequestForm
from passend.privacy.support.models import GrantStatus
from passend.privacy.support.scope import support_scope
from passend.tenancy.access import require_role
from passend.tenancy.http import MemberRequest
from passend.tenancy.models import Role
from passend.tenancy.selectors import member_list

# What the support view of the members shows; named in each grant_use event.
MEMBER_FIELDS = ("user", "role", "employer", "is_active")


def _staff_only(request: HttpRequest) -> Any:
    user: Any = request.user
    if not user.is_platform_staff:
        raise Http404
    return user


@login_required
def index(request: HttpRequest) -> HttpResponse:
    membership: Any = getattr(request, "membership", None)
    if membership is not None and membership.role == Role.ADMIN:
        return _admin_page(request)
    if request.user.is_platform_staff:  # type: ignore[union-attr]
        return redirect("support:mine")
    if membership is not None:
        raise PermissionDenied
    raise Http404


def _admin_page(request: HttpRequest) -> HttpResponse:
    grants = list(selectors.grant_list_for_organisation())
    pending = [g for g in grants if g.status == GrantStatus.PENDING]
    live = [g for g in grants if g.status == GrantStatus.LIVE]
    history = [g for g in grants if g.status not in (GrantStatus.PENDING, GrantStatus.LIVE)]
    return render(
        request,
        "support/admin_grants.html",
        {"pending": pending, "live": live, "history": history},
    )


@require_role(Role.ADMIN)
def approve(request: MemberRequest, grant_id: str) -> HttpResponse:
    grant = get_grant_for_admin(request.membership, grant_id)
    if not grant.is_pending:
        raise Http404
    form = GrantApproveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_approve(
                grant=grant,
                by=request.membership,
                duration=timedelta(hours=form.cleaned_data["hours"]),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Support access was approved."))
            return redirect("support:index")
    status = 400 if request.method == "POST" else 200
    return render(request, "support/approve.html", {"form": form, "grant": grant}, status=status)


@require_role(Role.ADMIN)
@require_POST
def refuse(request: MemberRequest, grant_id: str) -> HttpResponse:
    grant = get_grant_for_admin(request.membership, grant_id)
    if not grant.is_pending:
        raise Http404
    services.grant_refuse(grant=grant, by=request.membership)
    messages.success(request, _("The request for support access was refused."))
    return redirect("support:index")


@require_role(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def revoke(request: MemberRequest, grant_id: str) -> HttpResponse:
    grant = get_grant_for_admin(request.membership, grant_id)
    if not (grant.is_pending or grant.is_live):
        raise Http404
    if page := confirm_first(
        request,
        question=_("Revoke support access?"),
        detail=_("The platform's support staff can no longer see this organisation's data."),
        confirm_label=_("Revoke"),
        cancel_url=reverse("support:index"),
    ):
        return page
    services.grant_revoke(grant=grant, by=request.membership)
    messages.success(request, _("Support access was revoked."))
    return redirect("support:index")


@login_required
def request_access(request: HttpRequest) -> HttpResponse:
    staff = _staff_only(request)
    form = GrantRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.grant_request(
                staff=staff,
                organisation=form.cleaned_data["organisation"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("Your request was sent to the organisation's administrators.")
            )
            return redirect("support:mine")
    status = 400 if request.method == "POST" else 200
    return render(request, "support/request.html", {"form": form}, status=status)


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    staff = _staff_only(request)
    grants = selectors.grant_list_for_staff(staff)
    return render(request, "support/staff_grants.html", {"grants": grants})


@login_required
def members(request: HttpRequest, grant_id: str) -> HttpResponse:
    """Read-only: the organisation's members, seen through a live grant."""
    grant = get_live_grant_for_staff(request.user, grant_id)
    with support_scope(
        request.user, grant.organisation, detail="support view of members", fields=MEMBER_FIELDS
    ):
        rows = list(member_list())
    return render(request, "support/members.html", {"grant": grant, "members": rows})
