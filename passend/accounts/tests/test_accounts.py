import pytest
from allauth.mfa.models import Authenticator
from django.core import mail
from django.core.cache import cache
from django.test import Client

from passend.demo.personas import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def test_it_logs_a_person_in_with_email_and_password(personas):
    client = Client()
    response = client.post(
        "/accounts/login/", {"login": "alice@passend.test", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_it_throttles_repeated_wrong_passwords_with_a_message(personas):
    client = Client()
    for _attempt in range(5):
        client.post("/accounts/login/", {"login": "alice@passend.test", "password": "wrong"})
    response = client.post(
        "/accounts/login/", {"login": "alice@passend.test", "password": DEMO_PASSWORD}
    )
    assert response.status_code in (200, 429)
    assert b"Too many failed login attempts" in response.content
    assert "_auth_user_id" not in client.session


def test_it_answers_a_password_reset_the_same_way_for_known_and_unknown_addresses(personas):
    known = Client().post("/accounts/password/reset/", {"email": "alice@passend.test"})
    unknown = Client().post("/accounts/password/reset/", {"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    # The known address gets a reset link; the unknown one a notice that
    # reveals nothing on the page to whoever typed it.
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["alice@passend.test", "nobody@example.org"]
    assert "password/reset/key" in next(
        m.body for m in mail.outbox if m.to == ["alice@passend.test"]
    )
    assert "password/reset/key" not in next(
        m.body for m in mail.outbox if m.to == ["nobody@example.org"]
    )


def test_it_sends_members_to_two_factor_setup_when_the_organisation_requires_it(personas, org_a):
    org_a.require_two_factor = True
    org_a.save()
    client = Client()
    client.post("/accounts/login/", {"login": "carla@passend.test", "password": DEMO_PASSWORD})
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    # allauth asks for the password again before two-factor changes; our
    # middleware must let the person through both steps.
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    assert client.get(response["Location"]).status_code == 200
    client.post(response["Location"], {"password": DEMO_PASSWORD})
    assert client.get("/accounts/2fa/totp/activate/").status_code == 200


def test_it_lets_members_with_two_factor_through(as_persona, org_a, carla):
    org_a.require_two_factor = True
    org_a.save()
    Authenticator.objects.create(user=carla, type=Authenticator.Type.TOTP, data={"secret": "x"})
    assert as_persona("carla").get("/").status_code == 200


def test_it_does_not_require_two_factor_in_an_organisation_that_does_not_ask(
    as_persona, org_a, org_b
):
    org_b.require_two_factor = True
    org_b.save()
    assert as_persona("bob", "a").get("/").status_code == 200
    assert as_persona("bob", "b").get("/").status_code == 302


def test_it_saves_a_persons_name_and_language(as_persona, carla):
    client = as_persona("carla")
    response = client.post("/account/", {"name": "Carla B.", "preferred_language": "en"})
    assert response.status_code == 302
    carla.refresh_from_db()
    assert (carla.name, carla.preferred_language) == ("Carla B.", "en")


def test_it_keeps_platform_staff_out_of_organisation_pages(db):
    from django.contrib.auth import get_user_model

    staff = get_user_model().objects.create_user("staff@passend.test", "x", is_platform_staff=True)
    client = Client()
    client.force_login(staff)
    assert client.get("/organisations/members/").status_code == 404
    assert client.get("/organisations/current/").status_code == 404
