"""Settings > Account > Delete my account (J5, Art. 17), the receipt, and an
admin's erasure of a person in their organisation (a request at the desk).

The erasure commits model by model and removes files after each commit, so
these views run outside the per-request transaction.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from passend.privacy.erasure import engine, receipts, services
from passend.privacy.erasure.forms import ConfirmEraseForm, ConfirmPasswordForm
from passend.privacy.erasure.models import RunStatus
from passend.tenancy.access import require_role
from passend.tenancy.models import Membership, Role


@login_required
@transaction.non_atomic_requests
def start(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    form = ConfirmPasswordForm(request.POST or None, user=user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.check_can_close(user)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                user_id = user.pk
                logout(request)
                run = services.close_account(user=_user(user_id))
                return redirect("erasure:receipt", token=receipts.receipt_token(run))
        status = 400
    preview = receipts.readable(engine.preview(user.pk))
    context = {
        "form": form,
        "preview": preview,
        "sole_admin_of": services.sole_admin_of(user),
    }
    return render(request, "erasure/start.html", context, status=status)


def _user(user_id: int) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model()._default_manager.get(pk=user_id)


def receipt(request: HttpRequest, token: str) -> HttpResponse:
    run = receipts.run_for_token(token)
    if run is None:
        raise Http404
    context = {
        "run": run,
        "done": run.status == RunStatus.DONE,
        "receipt": receipts.readable(run.receipt),
    }
    return render(request, "erasure/receipt.html", context)


@require_role(Role.ADMIN)
@transaction.non_atomic_requests
def member(request: HttpRequest, membership_id: Any) -> HttpResponse:
    admin: Any = request.membership  # type: ignore[attr-defined]
    target = Membership.objects.filter(pk=membership_id).select_related("user").first()
    if target is None:
        raise Http404
    form = ConfirmEraseForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                run = services.erase_member(membership=target, by=admin)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                return redirect(
                    reverse("erasure:receipt", kwargs={"token": receipts.receipt_token(run)})
                )
        status = 400
    preview = receipts.readable(engine.preview(target.user_id, target.organisation_id))
    context = {"form": form, "preview": preview, "target": target}
    return render(request, "erasure/member.html", context, status=status)
