"""The token pages under /account/tokens/."""

from __future__ import annotations

import re
from typing import Any

from django.test import Client

from conftest import client_for
from passend.api import services
from passend.api.models import ApiToken
from passend.api.tests.helpers import get, make_token, token_of
from passend.tenancy.models import hash_token


def create(client: Client, organisation: Any, days: int = 30, name: str = "Rooster-sync") -> Any:
    return client.post(
        "/account/tokens/new/",
        {"name": name, "organisation": str(organisation.pk), "expires_in_days": days},
    )


def raw_token_in(html: str) -> str | None:
    found = re.search(r"psd_[A-Za-z0-9_-]{43}", html)
    return found.group(0) if found else None


def test_it_sends_anonymous_visitors_to_the_login_page(personas: Any) -> None:
    for response in (
        Client().get("/account/tokens/"),
        Client().get("/account/tokens/new/"),
    ):
        assert response.status_code == 302
        assert "/accounts/login/" in response["Location"]


def test_it_lists_only_the_persons_own_tokens(alice: Any, bob: Any, org_a: Any, org_b: Any) -> None:
    make_token(alice, org_a, name="Alice her script")
    make_token(bob, org_b, name="Bob his script")

    html = client_for(alice, org_a).get("/account/tokens/").content.decode()

    assert "Alice her script" in html
    assert "Bob his script" not in html


def test_it_lists_a_tokens_details(bob: Any, org_a: Any, org_b: Any) -> None:
    raw = make_token(bob, org_b, name="Planning export")

    html = client_for(bob, org_a).get("/account/tokens/").content.decode()

    assert "Planning export" in html
    assert org_b.name in html
    assert token_of(raw).key_hint in html
    assert raw not in html


def test_it_offers_only_the_persons_organisations(bob: Any, carla: Any, org_a: Any) -> None:
    bobs = client_for(bob, org_a).get("/account/tokens/new/").content.decode()
    carlas = client_for(carla, org_a).get("/account/tokens/new/").content.decode()

    assert "Flexkracht" in bobs
    assert "Werkpad" in bobs
    assert "Flexkracht" not in carlas
    assert '<label for="id_name">' in carlas


def test_it_shows_a_new_token_exactly_once(alice: Any, org_a: Any) -> None:
    client = client_for(alice, org_a)

    response = create(client, org_a)
    raw = raw_token_in(response.content.decode())
    listing = client.get("/account/tokens/").content.decode()

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert raw is not None
    assert raw_token_in(listing) is None
    token = ApiToken.objects.unscoped().get(user=alice)
    assert token.key_hash == hash_token(raw)
    assert token.name == "Rooster-sync"
    assert token.organisation == org_a
    assert get("/api/v1/me", raw).status_code == 200


def test_it_creates_a_token_for_another_organisation_of_the_person(
    bob: Any, org_a: Any, org_b: Any
) -> None:
    response = create(client_for(bob, org_a), org_b)

    raw = raw_token_in(response.content.decode())
    assert raw is not None
    assert get("/api/v1/organisation", raw).json()["name"] == org_b.name


def test_it_refuses_an_organisation_the_person_is_not_in(
    alice: Any, org_a: Any, org_b: Any
) -> None:
    response = create(client_for(alice, org_a), org_b)

    assert response.status_code == 200
    assert raw_token_in(response.content.decode()) is None
    assert response.context["form"].errors["organisation"]
    assert not ApiToken.objects.unscoped().filter(user=alice).exists()


def test_it_refuses_an_expiry_beyond_the_maximum(alice: Any, org_a: Any, settings: Any) -> None:
    settings.API_TOKEN_MAX_DAYS = 30

    too_long = create(client_for(alice, org_a), org_a, days=31)
    too_short = create(client_for(alice, org_a), org_a, days=0)

    assert too_long.context["form"].errors["expires_in_days"]
    assert too_short.context["form"].errors["expires_in_days"]
    assert not ApiToken.objects.unscoped().filter(user=alice).exists()


def test_it_requires_a_name(alice: Any, org_a: Any) -> None:
    response = create(client_for(alice, org_a), org_a, name="")

    assert response.context["form"].errors["name"]


def test_it_refuses_a_token_where_two_factor_is_required_but_missing(
    bob: Any, org_a: Any, org_b: Any
) -> None:
    org_b.require_two_factor = True
    org_b.save()

    response = create(client_for(bob, org_a), org_b)

    assert "two-factor" in " ".join(response.context["form"].errors["organisation"])
    assert not ApiToken.objects.unscoped().filter(user=bob).exists()


def test_it_keeps_the_first_revocation_moment(alice: Any, org_a: Any) -> None:
    token = token_of(make_token(alice, org_a))
    first = services.api_token_revoke(token=token).revoked_at

    again = services.api_token_revoke(token=token)

    assert again.revoked_at == first


def test_it_revokes_a_token(alice: Any, org_a: Any) -> None:
    raw = make_token(alice, org_a)
    client = client_for(alice, org_a)

    response = client.post(f"/account/tokens/{token_of(raw).pk}/revoke/")

    assert response.status_code == 302
    assert ApiToken.objects.unscoped().get(user=alice).revoked_at is not None
    assert get("/api/v1/me", raw).status_code == 401
    assert "revoked" in client.get("/account/tokens/").content.decode()


def test_it_answers_404_for_someone_elses_token(
    alice: Any, charlie: Any, org_a: Any, org_b: Any
) -> None:
    raw = make_token(charlie, org_b)
    token_id = token_of(raw).pk

    response = client_for(alice, org_a).post(f"/account/tokens/{token_id}/revoke/")

    assert response.status_code == 404
    assert get("/api/v1/me", raw).status_code == 200


def test_it_revokes_only_by_post(alice: Any, org_a: Any) -> None:
    raw = make_token(alice, org_a)

    # A GET asks first (a page whose form posts), and revokes nothing.
    response = client_for(alice, org_a).get(f"/account/tokens/{token_of(raw).pk}/revoke/")

    assert response.status_code == 200
    assert 'method="post"' in response.content.decode()
    assert get("/api/v1/me", raw).status_code == 200
