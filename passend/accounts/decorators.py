"""View decorators for changes that need more than a signed-in session."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from allauth.account import app_settings as account_settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from passend.accounts.middleware import (
    has_two_factor,
    passed_two_factor,
    redirect_to_two_factor_check,
)


def require_fresh_two_factor(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let the view run (GET and POST alike) only right after a two-factor check.

    A person without an authenticator is sent to set one up; one with an
    authenticator but no check in the last few minutes
    (`ACCOUNT_REAUTHENTICATION_TIMEOUT`) is asked for a code and comes back
    here. A password alone never suffices: whoever has taken over a session
    or a password still cannot make the change.
    """

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not has_two_factor(request.user):
            messages.warning(
                request, _("Set up two-factor authentication first: this change requires it.")
            )
            return redirect("mfa_activate_totp")
        if not passed_two_factor(request, within=account_settings.REAUTHENTICATION_TIMEOUT):
            messages.info(request, _("Confirm it is you with a code from your authenticator app."))
            return redirect_to_two_factor_check(request)
        return view(request, *args, **kwargs)

    return wrapped
