"""Members of an organisation that requires two-factor set it up before anything else."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

# Paths a member must still reach while two-factor is pending: the set-up
# itself, logging out, switching to another organisation, static files, i18n.
ALLOWED_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/logout/",
    "/accounts/reauthenticate/",
    "/organisations/switch/",
    "/static/",
    "/i18n/",
    "/privacy/",
)


def has_two_factor(user: Any) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        organisation = getattr(request, "organisation", None)
        if (
            organisation is not None
            and organisation.require_two_factor
            and not request.path.startswith(ALLOWED_PREFIXES)
            and not request.path.startswith("/api/")
            and not has_two_factor(request.user)
        ):
            messages.warning(
                request,
                _("%(org)s requires two-factor authentication. Please set it up to continue.")
                % {"org": organisation.name},
            )
            return redirect("mfa_activate_totp")
        return self.get_response(request)
