"""The allauth pages in Passend's shell: labelled, scripts from our origin only."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from passend.common.scope import organisation_scope
from passend.demo.personas import DEMO_PASSWORD
from passend.tenancy.models import Invitation, Membership, Role, hash_token
from passend.web.tests.html import inline_code, main_part, unlabelled_controls

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_rate_limits() -> Iterator[None]:
    # allauth counts attempts in the cache; every test starts with none.
    cache.clear()
    yield
    cache.clear()


def _assert_accessible(html: str) -> None:
    assert unlabelled_controls(html) == []
    assert inline_code(html) == []
    assert '<main id="main" tabindex="-1">' in html


def _reauthenticated(client: Client) -> Client:
    response = client.post("/accounts/reauthenticate/", {"password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def test_it_renders_the_login_page_with_labelled_inputs(client: Any) -> None:
    response = client.get("/accounts/login/")

    html = response.content.decode()
    assert response.status_code == 200
    _assert_accessible(html)
    assert '<label for="id_login">' in html
    assert '<label for="id_password">' in html
    assert 'href="/accounts/password/reset/"' in html
    assert "through an invitation" in html


def test_it_logs_alice_in_and_lands_on_her_home(client: Any, alice: Any) -> None:
    # Signing in applies the saved language (issue 11); alice reads English here.
    alice.preferred_language = "en"
    alice.save(update_fields=["preferred_language"])
    response = client.post(
        "/accounts/login/", {"login": "alice@passend.test", "password": DEMO_PASSWORD}, follow=True
    )

    assert response.redirect_chain[-1][0] == "/"
    assert "Welcome, Alice" in response.content.decode()


def test_it_shows_a_wrong_password_in_an_error_summary(client: Any, alice: Any) -> None:
    response = client.post("/accounts/login/", {"login": "alice@passend.test", "password": "nope"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary" role="alert"' in html
    assert "are not correct" in html


def test_it_shows_the_rate_limit_after_too_many_failed_logins(client: Any, alice: Any) -> None:
    for attempt in range(6):
        client.post(
            "/accounts/login/", {"login": "alice@passend.test", "password": f"wrong-{attempt}"}
        )

    response = client.post(
        "/accounts/login/", {"login": "alice@passend.test", "password": DEMO_PASSWORD}
    )

    html = response.content.decode()
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert 'class="error-summary" role="alert"' in html
    assert "Too many failed login attempts" in html


def test_it_shows_its_own_page_when_password_resets_are_rate_limited(
    client: Any, alice: Any
) -> None:
    responses = [
        client.post("/accounts/password/reset/", {"email": "alice@passend.test"}) for _ in range(6)
    ]

    assert responses[0].status_code == 302
    assert responses[-1].status_code == 429
    html = responses[-1].content.decode()
    assert "Too many attempts" in html
    assert 'role="alert"' in html


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/password/reset/",
        "/accounts/password/reset/done/",
        "/accounts/password/reset/key/1-not-a-key/",
        "/accounts/confirm-email/",
        "/accounts/confirm-email/not-a-key/",
        "/accounts/signup/",
    ],
)
def test_it_renders_the_public_account_pages(client: Any, path: str) -> None:
    response = client.get(path)

    assert response.status_code == 200
    _assert_accessible(response.content.decode())


def test_it_explains_that_signing_up_needs_an_invitation(client: Any) -> None:
    html = client.get("/accounts/signup/").content.decode()

    assert "Invitation needed" in html
    assert 'id="id_password1"' not in html


def test_it_renders_the_signup_form_for_an_invitation(client: Any, personas: Any) -> None:
    organisation = personas.organisations["a"]
    with organisation_scope(organisation):
        Invitation.objects.create(
            organisation=organisation,
            email="newcomer@passend.test",
            role=Role.CANDIDATE,
            invited_by=Membership.objects.get(user=personas["bob"]),
            token_hash=hash_token("the-secret-in-the-link"),
            expires_at=timezone.now() + timedelta(days=7),
        )

    response = client.get("/organisations/join/the-secret-in-the-link/", follow=True)

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/accounts/signup/"
    assert "Create your account" in html
    assert "newcomer@passend.test" in html
    _assert_accessible(html)


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/email/",
        "/accounts/password/change/",
        "/accounts/2fa/",
        "/accounts/logout/",
        "/accounts/reauthenticate/",
    ],
)
def test_it_renders_the_account_pages_in_the_shell(as_persona: Any, path: str) -> None:
    response = as_persona("alice").get(path)

    html = response.content.decode()
    assert response.status_code == 200
    _assert_accessible(html)
    assert '<nav class="subnav" aria-label="Account settings">' in html or "Log out" in html


def test_it_marks_the_account_section_that_is_open(as_persona: Any) -> None:
    html = as_persona("alice").get("/accounts/email/").content.decode()

    assert '<a href="/accounts/email/" aria-current="page">E-mail addresses</a>' in html
    assert '<a href="/accounts/2fa/">Two-factor authentication</a>' in html


def test_it_asks_before_removing_an_e_mail_address_without_inline_script(
    as_persona: Any,
) -> None:
    html = as_persona("alice").get("/accounts/email/").content.decode()

    assert 'name="action_remove"' in html
    # Remove goes to a page that asks first (passend/accounts/views.py).
    assert 'formaction="/account/email/remove/"' in html
    assert "alice@passend.test" in html
    assert inline_code(html) == []


def test_it_shows_the_qr_code_and_the_secret_when_activating_totp(as_persona: Any) -> None:
    client = _reauthenticated(as_persona("alice"))

    response = client.get("/accounts/2fa/totp/activate/")

    html = main_part(response.content.decode())
    assert response.status_code == 200
    assert '<img src="data:image/svg+xml;base64,' in html
    secret = response.context["form"].secret
    assert f'<code class="secret">{secret}</code>' in html
    _assert_accessible(response.content.decode())


def test_it_rejects_a_wrong_totp_code_visibly(as_persona: Any) -> None:
    client = _reauthenticated(as_persona("alice"))
    client.get("/accounts/2fa/totp/activate/")

    response = client.post("/accounts/2fa/totp/activate/", {"code": "000000"})

    html = response.content.decode()
    assert response.status_code == 200
    assert 'class="error-summary" role="alert"' in html
    assert 'aria-invalid="true"' in html


def _with_two_factor(user: Any) -> list[str]:
    TOTP.activate(user, generate_totp_secret())
    return RecoveryCodes.activate(user).get_unused_codes()


def test_it_lists_the_recovery_codes_without_inline_script(as_persona: Any, alice: Any) -> None:
    codes = _with_two_factor(alice)
    client = _reauthenticated(as_persona("alice"))

    response = client.get("/accounts/2fa/recovery-codes/")

    html = response.content.decode()
    assert response.status_code == 200
    assert f"<li><code>{codes[0]}</code></li>" in html
    assert inline_code(html) == []


def test_it_shows_the_state_of_two_factor_on_the_overview(as_persona: Any, alice: Any) -> None:
    before = as_persona("alice").get("/accounts/2fa/").content.decode()
    _with_two_factor(alice)
    after = as_persona("alice").get("/accounts/2fa/").content.decode()

    assert "Not active" in before
    assert 'href="/accounts/2fa/totp/activate/"' in before
    assert '<span class="badge badge-success">Active</span>' in after
    assert 'href="/accounts/2fa/totp/deactivate/"' in after


def test_it_asks_for_the_second_factor_after_the_password(client: Any, alice: Any) -> None:
    _with_two_factor(alice)

    response = client.post(
        "/accounts/login/", {"login": "alice@passend.test", "password": DEMO_PASSWORD}, follow=True
    )

    html = response.content.decode()
    assert response.redirect_chain[-1][0] == "/accounts/2fa/authenticate/"
    assert "Two-factor authentication" in html
    assert "recovery codes" in html
    _assert_accessible(html)
