"""Issue 9, defect 3: failed logins must not lock anyone out.

Failures are counted per address and client together; the limit is a cool-down,
not a lock; and a sign-in code by e-mail is always a way in, answered the same
for known and unknown addresses.
"""

from __future__ import annotations

import re
import time
from unittest import mock

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from passend.accounts.tests.two_factor import activate_totp
from passend.demo.personas import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

ATTACKER_IP = "203.0.113.9"
CARLA_IP = "198.51.100.7"
TOO_MANY = b"Too many failed login attempts"


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def login(client: Client, email: str, password: str):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_it_lets_the_person_in_from_their_own_client_while_someone_hammers_their_address(
    personas,
):
    attacker = Client(REMOTE_ADDR=ATTACKER_IP)
    for _attempt in range(20):
        login(attacker, "carla@passend.test", "wrong password")

    carla = Client(REMOTE_ADDR=CARLA_IP)
    response = login(carla, "carla@passend.test", DEMO_PASSWORD)

    assert response.status_code == 302
    assert signed_in(carla)


def test_it_slows_down_the_client_that_keeps_failing(personas):
    attacker = Client(REMOTE_ADDR=ATTACKER_IP)
    for _attempt in range(5):
        login(attacker, "carla@passend.test", "wrong password")

    # Even the right password waits for the cool-down on the failing client.
    response = login(attacker, "carla@passend.test", DEMO_PASSWORD)

    assert TOO_MANY in response.content
    assert not signed_in(attacker)


def test_it_cools_down_after_a_minute_instead_of_locking(personas):
    client = Client(REMOTE_ADDR=CARLA_IP)
    for _attempt in range(5):
        login(client, "carla@passend.test", "typo")
    assert TOO_MANY in login(client, "carla@passend.test", DEMO_PASSWORD).content

    later = time.time() + 61
    with mock.patch("allauth.core.internal.ratelimit.time.time", return_value=later):
        response = login(client, "carla@passend.test", DEMO_PASSWORD)

    assert response.status_code == 302
    assert signed_in(client)


def test_it_limits_one_client_trying_many_addresses(personas):
    attacker = Client(REMOTE_ADDR=ATTACKER_IP)
    for number in range(30):
        login(attacker, f"guess{number}@example.org", "wrong password")

    response = login(attacker, "carla@passend.test", DEMO_PASSWORD)

    assert response.status_code in (200, 429)
    assert not signed_in(attacker)
    # Somebody else, elsewhere, is not affected.
    assert (
        login(Client(REMOTE_ADDR=CARLA_IP), "carla@passend.test", DEMO_PASSWORD).status_code == 302
    )


def test_it_offers_a_sign_in_code_on_the_login_page(db):
    page = Client().get(reverse("account_login")).content.decode()
    assert reverse("account_request_login_code") in page


def _request_code(email: str) -> tuple[Client, object]:
    client = Client()
    response = client.post(reverse("account_request_login_code"), {"email": email})
    return client, response


def test_it_answers_a_code_request_the_same_for_known_and_unknown_addresses(personas):
    mail.outbox.clear()
    known_client, known = _request_code("carla@passend.test")
    unknown_client, unknown = _request_code("nobody@example.org")

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"] == reverse("account_confirm_login_code")
    known_page = known_client.get(known["Location"])
    unknown_page = unknown_client.get(unknown["Location"])
    assert known_page.status_code == unknown_page.status_code == 200
    # Apart from the address typed and the CSRF tokens, the pages are the same.
    strip = re.compile(r"[A-Za-z0-9]{64}|carla@passend\.test|nobody@example\.org")
    assert strip.sub("", known_page.content.decode()) == strip.sub(
        "", unknown_page.content.decode()
    )
    # Only the known address gets a mail: the login page mails no strangers.
    assert [m.to for m in mail.outbox] == [["carla@passend.test"]]


def _code_from(body: str) -> str:
    [code] = re.findall(r"^\s*([A-Z0-9]{3,}(?:-[A-Z0-9]{3,})*)\s*$", body, re.M)
    return code


def test_it_signs_the_person_in_with_the_code_from_the_mail(personas):
    # Her attacker has made password log-ins wait on every client she might use.
    attacker = Client(REMOTE_ADDR=ATTACKER_IP)
    for _attempt in range(20):
        login(attacker, "carla@passend.test", "wrong password")
    mail.outbox.clear()
    client, _response = _request_code("carla@passend.test")

    response = client.post(
        reverse("account_confirm_login_code"), {"code": _code_from(mail.outbox[0].body)}
    )

    assert response.status_code == 302
    assert signed_in(client)


def test_it_still_asks_for_the_second_factor_after_a_code(personas):
    activate_totp(personas["alice"])
    mail.outbox.clear()
    client, _response = _request_code("alice@passend.test")

    response = client.post(
        reverse("account_confirm_login_code"), {"code": _code_from(mail.outbox[0].body)}
    )

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    assert not signed_in(client)
