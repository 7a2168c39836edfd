"""allauth, the Passend way.

- Sign-up is by invitation only: the adapter opens the door for a valid invitation.
- Failed logins are counted per address and client together, so nobody can
  lock someone else out by failing on their address (issue 9).
- A sign-in code asked for an unknown address sends nothing: the page answers
  the same either way, and the login page cannot be used to mail strangers.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

INVITATION_SESSION_KEY = "passend_invitation"
UNKNOWN_ACCOUNT_MAIL = "account/email/unknown_account"


class AccountAdapter(DefaultAccountAdapter):
    def _get_login_attempts_cache_key(self, request: HttpRequest, **credentials: Any) -> str:
        # allauth keys the "login_failed" limits per address; with the client's
        # address in the key, one client's failures slow down that client only.
        # (allauth hashes the key before it goes into the cache.)
        per_address = super()._get_login_attempts_cache_key(request, **credentials)
        return f"{per_address}:{self.get_client_ip(request)}"

    def send_mail(self, template_prefix: str, email: str, context: dict[str, Any]) -> None:
        request = context.get("request")
        match = getattr(request, "resolver_match", None)
        if (
            template_prefix == UNKNOWN_ACCOUNT_MAIL
            and match is not None
            and match.url_name == "account_request_login_code"
        ):
            return
        super().send_mail(template_prefix, email, context)

    def pending_invitation(self, request: HttpRequest) -> Any:
        from passend.tenancy.models import Invitation

        raw = request.session.get(INVITATION_SESSION_KEY)
        invitation = Invitation.objects.by_token(raw) if raw else None
        if invitation is None or not invitation.is_usable:
            return None
        return invitation

    def is_open_for_signup(self, request: HttpRequest) -> bool:
        return self.pending_invitation(request) is not None

    def is_email_verified(self, request: HttpRequest, email: str) -> bool:
        # The invitation link reached this address, which proves it is theirs.
        invitation = self.pending_invitation(request)
        return invitation is not None and invitation.email.lower() == email.lower()

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        request = getattr(self, "request", None)
        invitation = self.pending_invitation(request) if request is not None else None
        if invitation is not None and invitation.email.lower() != email.lower():
            raise ValidationError(
                _("Sign up with the address the invitation was sent to: %(email)s.")
                % {"email": invitation.email}
            )
        return email.lower()

    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        from passend.tenancy.services import invitation_accept

        invitation = self.pending_invitation(request)
        user = super().save_user(request, user, form, commit=commit)
        if commit and invitation is not None and invitation.email.lower() == user.email.lower():
            invitation_accept(invitation=invitation, user=user)
            request.session.pop(INVITATION_SESSION_KEY, None)
        return user
