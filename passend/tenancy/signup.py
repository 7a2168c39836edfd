"""Sign-up by invitation only: the allauth adapter Passend runs with (ACCOUNT_ADAPTER).

A valid invitation in the session opens sign-up; the address must be the one the
invitation was sent to (the link reached it, so it counts as verified), and the
new account accepts the invitation as it is saved. Without one, sign-up is closed.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from passend.accounts.adapters import AccountAdapter
from passend.tenancy.models import Invitation
from passend.tenancy.services import invitation_accept

INVITATION_SESSION_KEY = "passend_invitation"


class InvitationAccountAdapter(AccountAdapter):
    def pending_invitation(self, request: HttpRequest) -> Any:
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
        invitation = self.pending_invitation(request)
        user = super().save_user(request, user, form, commit=commit)
        if commit and invitation is not None and invitation.email.lower() == user.email.lower():
            invitation_accept(invitation=invitation, user=user)
            request.session.pop(INVITATION_SESSION_KEY, None)
        return user
