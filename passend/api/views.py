"""Token pages under /account/tokens/: list, create (the secret is shown once), revoke."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from passend.api import selectors, services
from passend.api.access import get_api_token_for_user
from passend.api.forms import ApiTokenForm
from passend.common.adapters import apply_errors, confirm_first
from passend.tenancy.http import ScopedRequest


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    tokens = selectors.api_tokens_of(request.user)
    return render(
        request,
        "api/token_list.html",
        {"tokens": tokens, "docs_url": reverse("api:openapi-view")},
    )


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def token_create(request: ScopedRequest) -> HttpResponse:
    memberships = request.memberships
    initial = {"organisation": request.organisation}
    form = ApiTokenForm(request.POST or None, memberships=memberships, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = services.api_token_create(
                user=request.user,
                organisation=form.cleaned_data["organisation"],
                name=form.cleaned_data["name"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            # Rendered, not redirected: the secret must never be stored to show it later.
            return render(request, "api/token_created.html", {"token": token, "raw_token": raw})
    return render(
        request,
        "api/token_form.html",
        {"form": form, "has_memberships": bool(memberships)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def token_revoke(request: HttpRequest, token_id: str) -> HttpResponse:
    token = get_api_token_for_user(request.user, token_id)
    if page := confirm_first(
        request,
        question=_("Revoke the token “%(name)s”?") % {"name": token.name},
        detail=_("Programs that use it can no longer sign in with it."),
        confirm_label=_("Revoke"),
        cancel_url=reverse("api_tokens:list"),
    ):
        return page
    services.api_token_revoke(token=token)
    messages.success(request, _("The token “%(name)s” is revoked.") % {"name": token.name})
    return redirect("api_tokens:list")
