"""Who may call the API: personal access tokens and the browser session."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client, RequestFactory
from django.utils import timezone

from conftest import client_for
from passend.api import services
from passend.api.auth import ApiActor, SessionAuth, parse_bearer, resolve_token
from passend.api.models import ApiToken
from passend.api.tests.helpers import get, make_token, problem, token_of
from passend.common.api.problems import Problem
from passend.common.scope import organisation_scope
from passend.tenancy.models import Membership


def test_it_accepts_a_live_token(alice: Any, org_a: Any) -> None:
    raw = make_token(alice, org_a)

    response = get("/api/v1/me", raw)

    assert response.status_code == 200
    assert response.json()["email"] == alice.email


@pytest.mark.parametrize(
    "header",
    [
        "Bearer psd_not-a-real-token",
        "Bearer garbage",
        "Bearer ",
        "Bearer " + "psd_" + "x" * 200,
        "Basic YWxpY2U6c2VjcmV0",
        "psd_without_scheme",
    ],
)
def test_it_refuses_garbage_credentials(personas: Any, header: str) -> None:
    response = Client().get("/api/v1/me", HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    problem(response)
    assert 'error="invalid_token"' in response["WWW-Authenticate"]


def test_it_refuses_an_expired_token(alice: Any, org_a: Any) -> None:
    raw = make_token(alice, org_a)
    ApiToken.objects.unscoped().filter(key_hash=token_of(raw).key_hash).update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )

    assert get("/api/v1/me", raw).status_code == 401


def test_it_refuses_a_revoked_token(alice: Any, org_a: Any) -> None:
    raw = make_token(alice, org_a)
    services.api_token_revoke(token=token_of(raw))

    response = get("/api/v1/me", raw)

    assert response.status_code == 401
    problem(response)


def test_it_refuses_a_token_whose_holder_left_the_organisation(
    bob: Any, org_a: Any, org_b: Any
) -> None:
    raw_b = make_token(bob, org_b)
    raw_a = make_token(bob, org_a)
    with organisation_scope(org_b):
        Membership.objects.filter(user=bob).update(is_active=False)

    assert get("/api/v1/me", raw_b).status_code == 401
    assert get("/api/v1/me", raw_a).status_code == 200


def test_it_refuses_a_token_of_a_deactivated_account(alice: Any, org_a: Any) -> None:
    raw = make_token(alice, org_a)
    alice.is_active = False
    alice.save()

    assert get("/api/v1/me", raw).status_code == 401


def test_it_refuses_a_token_of_a_deactivated_organisation(alice: Any, org_a: Any) -> None:
    raw = make_token(alice, org_a)
    org_a.is_active = False
    org_a.save()

    assert get("/api/v1/me", raw).status_code == 401


def test_it_lets_a_bad_token_win_over_a_good_session(alice: Any, org_a: Any) -> None:
    client = client_for(alice, org_a)

    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer psd_wrong")

    assert response.status_code == 401


def test_it_acts_as_the_token_holder_even_beside_another_session(
    alice: Any, charlie: Any, org_a: Any, org_b: Any
) -> None:
    raw = make_token(charlie, org_b)
    client = client_for(alice, org_a)

    response = get("/api/v1/organisation", raw, client)

    assert response.json()["name"] == org_b.name


def test_it_accepts_the_browser_session(as_persona: Any, alice: Any) -> None:
    response = as_persona("alice", "a").get("/api/v1/me")

    assert response.status_code == 200
    assert response.json()["email"] == alice.email


def test_it_refuses_anonymous_requests(personas: Any) -> None:
    response = Client().get("/api/v1/me")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == 'Bearer realm="Passend API"'


def test_it_requires_csrf_for_unsafe_session_requests(alice: Any) -> None:
    request = RequestFactory().post("/api/v1/anything")
    request.user = alice
    request.membership = None  # type: ignore[attr-defined]

    with pytest.raises(Problem) as refused:
        SessionAuth()(request)

    assert refused.value.status == 403


def test_it_accepts_unsafe_session_requests_with_the_csrf_token(alice: Any) -> None:
    secret = _get_new_csrf_string()
    request = RequestFactory().post("/api/v1/anything", HTTP_X_CSRFTOKEN=secret)
    request.COOKIES[settings.CSRF_COOKIE_NAME] = secret
    request.user = alice
    request.membership = None  # type: ignore[attr-defined]

    actor = SessionAuth()(request)

    assert isinstance(actor, ApiActor)
    assert actor.user == alice


def test_it_refuses_members_without_two_factor_when_the_organisation_requires_it(
    alice: Any, org_a: Any
) -> None:
    raw = make_token(alice, org_a)
    org_a.require_two_factor = True
    org_a.save()

    by_token = get("/api/v1/me", raw)
    by_session = client_for(alice, org_a).get("/api/v1/me")

    assert by_token.status_code == 403
    assert by_session.status_code == 403
    assert "two-factor" in problem(by_token)["detail"]


def test_it_accepts_members_with_two_factor_when_the_organisation_requires_it(
    alice: Any, org_a: Any
) -> None:
    raw = make_token(alice, org_a)
    org_a.require_two_factor = True
    org_a.save()
    Authenticator.objects.create(user=alice, type=Authenticator.Type.TOTP, data={})

    assert get("/api/v1/me", raw).status_code == 200


def test_it_records_last_use_at_most_once_a_minute(alice: Any, org_a: Any) -> None:
    raw = make_token(alice, org_a)
    assert token_of(raw).last_used_at is None

    get("/api/v1/me", raw)
    first = token_of(raw).last_used_at
    get("/api/v1/me", raw)
    second = token_of(raw).last_used_at

    assert first is not None
    assert second == first


def test_it_records_last_use_again_after_a_minute(alice: Any, org_a: Any) -> None:
    raw = make_token(alice, org_a)
    token = token_of(raw)
    now = timezone.now()

    assert services.api_token_touch(token=token, now=now) is True
    assert services.api_token_touch(token=token, now=now + timedelta(seconds=59)) is False
    assert services.api_token_touch(token=token, now=now + timedelta(seconds=61)) is True
    assert token_of(raw).last_used_at == now + timedelta(seconds=61)


def test_it_does_not_write_when_another_request_already_recorded_the_use(
    alice: Any, org_a: Any
) -> None:
    raw = make_token(alice, org_a)
    stale = token_of(raw)
    now = timezone.now()
    services.api_token_touch(token=token_of(raw), now=now)

    assert services.api_token_touch(token=stale, now=now + timedelta(seconds=5)) is False
    assert token_of(raw).last_used_at == now


def test_it_resolves_only_bearer_credentials(alice: Any, org_a: Any) -> None:
    raw = make_token(alice, org_a)

    assert parse_bearer(f"bearer {raw}") == raw
    assert parse_bearer(f"Token {raw}") is None
    assert resolve_token(f"Bearer {raw}") is not None
    assert resolve_token(f"Token {raw}") is None


def test_it_stores_only_a_hash_of_the_token(alice: Any, org_a: Any) -> None:
    raw = make_token(alice, org_a)
    token = token_of(raw)

    assert raw not in (token.key_hash, token.key_hint)
    assert raw.startswith(token.key_hint)
    assert len(token.key_hint) == 8
