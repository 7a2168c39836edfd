"""Two-factor requirements.

- Members of an organisation that requires two-factor set it up before anything else.
- Platform staff open the Django admin (`/platform-admin/`) only with an
  authenticator set up and in a session that passed a two-factor check: the
  admin is the platform's most powerful door, so it never opens on a password
  alone.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
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


def passed_two_factor(request: HttpRequest, *, within: float | None = None) -> bool:
    """Whether this session passed a two-factor check, at sign-in or since.

    With `within` (seconds), only a check that recent counts: a "fresh" one.
    allauth records each authentication step of the session; a TOTP or
    recovery code, at sign-in or on re-authentication, is method "mfa".
    """
    from allauth.account.authentication import get_authentication_records

    now = time.time()
    for entry in get_authentication_records(request, request.user):
        if entry.get("method") != "mfa":
            continue
        if within is None or now - float(entry.get("at", 0)) < within:
            return True
    return False


def redirect_to_two_factor_check(request: HttpRequest) -> HttpResponse:
    """To allauth's "enter a code from your authenticator" page, and back here after."""
    query = urlencode({"next": request.get_full_path()})
    return HttpResponseRedirect(f"{reverse('mfa_reauthenticate')}?{query}")


def _admin_prefix() -> str:
    return reverse("admin:index")


class RequireTwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user: Any = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_staff
            and request.path.startswith(_admin_prefix())
        ):
            if not has_two_factor(user):
                messages.warning(
                    request,
                    _("Set up two-factor authentication before you open the platform admin."),
                )
                return redirect("mfa_activate_totp")
            if not passed_two_factor(request):
                return redirect_to_two_factor_check(request)
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
