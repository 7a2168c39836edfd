"""Removing an e-mail address asks first, without JavaScript too."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings

from conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_address(alice: Any) -> EmailAddress:
    return EmailAddress.objects.create(
        user=alice, email="alice.prive@example.org", verified=True, primary=False
    )


def test_it_asks_before_removing_and_removes_nothing_yet(
    alice: Any, second_address: EmailAddress
) -> None:
    client = client_for(alice)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.post("/account/email/remove/", {"email": "alice.prive@example.org"})
    assert page.status_code == 200
    html = page.content.decode()
    assert "Remove the address alice.prive@example.org?" in html
    assert 'name="confirmed" value="yes"' in html
    assert EmailAddress.objects.filter(pk=second_address.pk).exists()


def test_it_removes_the_address_once_confirmed(alice: Any, second_address: EmailAddress) -> None:
    response = client_for(alice).post(
        "/account/email/remove/", {"email": "alice.prive@example.org", "confirmed": "yes"}
    )
    assert response.status_code == 302
    assert not EmailAddress.objects.filter(pk=second_address.pk).exists()


def test_it_never_removes_someone_elses_address(
    alice: Any, bob: Any, second_address: EmailAddress
) -> None:
    response = client_for(bob).post(
        "/account/email/remove/", {"email": "alice.prive@example.org", "confirmed": "yes"}
    )
    assert response.status_code == 302
    assert EmailAddress.objects.filter(pk=second_address.pk).exists()
