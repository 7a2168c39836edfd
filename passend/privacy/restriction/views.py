"""My choices (/my-choices/): object to purposes, restrict processing; and the
administrators' list of restrictions and objections with the lift action.

Each view: parse -> access -> service/selector -> render.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from passend.common.adapters import apply_errors
from passend.privacy.restriction import selectors, services
from passend.privacy.restriction.access import get_active_restriction_for_admin
from passend.privacy.restriction.forms import (
    OBJECT,
    AdminRestrictionForm,
    ObjectionForm,
    RestrictionForm,
)
from passend.tenancy.access import require_role
from passend.tenancy.http import MemberRequest
from passend.tenancy.models import Role


def _page(
    request: MemberRequest,
    *,
    restriction_form: RestrictionForm | None = None,
    objection_form: ObjectionForm | None = None,
    status: int = 200,
) -> HttpResponse:
    actor = request.membership
    context = {
        "choices": selectors.choices_of(actor),
        "restriction": selectors.active_restriction_of(actor),
        "restriction_form": restriction_form or RestrictionForm(),
        "objection_form": objection_form,
    }
    return render(request, "restriction/mine.html", context, status=status)


@require_role()
def mine(request: MemberRequest) -> HttpResponse:
    return _page(request)


@require_role()
@require_POST
def objection(request: MemberRequest) -> HttpResponse:
    actor = request.membership
    form = ObjectionForm(request.POST)
    if form.is_valid():
        purpose = form.cleaned_data["purpose"]
        try:
            if form.cleaned_data["action"] == OBJECT:
                services.objection_make(membership=actor, purpose=purpose, by=actor)
            else:
                services.objection_withdraw(membership=actor, purpose=purpose, by=actor)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            if form.cleaned_data["action"] == OBJECT:
                messages.success(request, _("Your objection was recorded and applies at once."))
            else:
                messages.success(request, _("You withdrew your objection."))
            return redirect("restriction:mine")
    return _page(request, objection_form=form, status=400)


@require_role()
@require_POST
def restrict(request: MemberRequest) -> HttpResponse:
    actor = request.membership
    form = RestrictionForm(request.POST)
    if form.is_valid():
        try:
            services.restriction_start(membership=actor, by=actor, **form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Processing of your data is restricted from now on."))
            return redirect("restriction:mine")
    return _page(request, restriction_form=form, status=400)


@require_role(Role.ADMIN)
def admin_list(request: MemberRequest) -> HttpResponse:
    context = {
        "restrictions": selectors.restriction_list(),
        "objections": selectors.objection_list(),
        "history": selectors.restriction_history(),
    }
    return render(request, "restriction/admin_list.html", context)


@require_role(Role.ADMIN)
def admin_restrict(request: MemberRequest) -> HttpResponse:
    """Record a restriction a member asked for by letter, e-mail or phone."""
    actor = request.membership
    form = AdminRestrictionForm(request.POST or None, members=selectors.members_to_restrict())
    if request.method == "POST" and form.is_valid():
        try:
            services.restriction_start(
                membership=form.cleaned_data["membership"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                by=actor,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The restriction was recorded and applies from now on."))
            return redirect("restriction:admin_list")
    status = 400 if request.method == "POST" else 200
    return render(request, "restriction/admin_restrict.html", {"form": form}, status=status)


@require_role(Role.ADMIN)
def lift(request: MemberRequest, restriction_id: str) -> HttpResponse:
    actor = request.membership
    restriction = get_active_restriction_for_admin(actor, restriction_id)
    error = None
    if request.method == "POST":
        try:
            services.restriction_lift(restriction=restriction, by=actor)
        except ValidationError as exc:
            error = exc
        else:
            messages.success(
                request, _("The restriction was lifted; the person was informed by e-mail.")
            )
            return redirect("restriction:admin_list")
    return render(
        request,
        "restriction/lift.html",
        {"restriction": restriction, "errors": error.messages if error else []},
        status=400 if error else 200,
    )
