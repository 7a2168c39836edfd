"""The sign-up adapter's own answers, asked directly: allauth asks some of them
only on paths the invitation view never takes (an address it did not stash)."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.test import RequestFactory

from passend.accounts.adapters import AccountAdapter
from passend.common.scope import organisation_scope
from passend.tenancy.models import Invitation, Membership, Role, hash_token
from passend.tenancy.services import invitation_create
from passend.tenancy.signup import INVITATION_SESSION_KEY, InvitationAccountAdapter

pytestmark = pytest.mark.django_db


@pytest.fixture
def invited(org_a: Any, personas: Any) -> tuple[Invitation, str]:
    raw = "raw-invitation-secret"
    with organisation_scope(org_a):
        invitation = invitation_create(
            invited_by=personas.memberships["alice"], email="nieuw@example.org", role=Role.CANDIDATE
        )
        Invitation.objects.filter(pk=invitation.pk).update(token_hash=hash_token(raw))
    return invitation, raw


def request_with(raw: str | None) -> Any:
    request = RequestFactory().post("/accounts/signup/")
    request.session = SessionStore()
    if raw is not None:
        request.session[INVITATION_SESSION_KEY] = raw
    return request


def test_it_counts_only_the_invited_address_as_verified(invited: Any) -> None:
    _invitation, raw = invited
    adapter = InvitationAccountAdapter(request_with(raw))
    assert adapter.is_email_verified(request_with(raw), "Nieuw@Example.org") is True
    assert adapter.is_email_verified(request_with(raw), "ander@example.org") is False
    assert adapter.is_email_verified(request_with(None), "nieuw@example.org") is False


def test_it_keeps_sign_up_closed_without_the_tenancy_adapter(invited: Any) -> None:
    _invitation, raw = invited
    assert AccountAdapter(request_with(raw)).is_open_for_signup(request_with(raw)) is False
    assert InvitationAccountAdapter().is_open_for_signup(request_with(raw)) is True
    assert InvitationAccountAdapter().is_open_for_signup(request_with(None)) is False


def test_it_accepts_no_invitation_for_an_account_with_another_address(
    invited: Any, org_a: Any
) -> None:
    invitation, raw = invited
    request = request_with(raw)
    user = get_user_model()(email="ander@example.org")
    form: Any = type("Form", (), {"cleaned_data": {"email": "ander@example.org"}})()
    InvitationAccountAdapter(request).save_user(request, user, form, commit=True)
    with organisation_scope(org_a):
        assert not Membership.objects.filter(user=user).exists()
        assert Invitation.objects.get(pk=invitation.pk).accepted_at is None
    assert request.session[INVITATION_SESSION_KEY] == raw
