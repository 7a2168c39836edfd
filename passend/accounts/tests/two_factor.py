"""Test helpers: a real authenticator and a real two-factor check through allauth's pages."""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.core.cache import cache
from django.test import Client
from django.urls import reverse


def activate_totp(user: Any) -> str:
    """Give `user` a TOTP authenticator with a fresh secret; returns the secret."""
    Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).delete()
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def pass_two_factor(client: Client, user: Any) -> None:
    """Enter a valid code on allauth's re-authentication page, as a person would."""
    # allauth rate-limits re-authentication per user, in the cache; tests reuse user ids.
    cache.clear()
    secret = activate_totp(user)
    response = client.post(reverse("mfa_reauthenticate"), {"code": totp_code(secret)})
    if response.status_code == 200:
        # The code was refused: on a busy machine the 30-second step can turn
        # between making the code and checking it. The next step's code is new.
        time.sleep(30 - time.time() % 30 + 0.5)
        response = client.post(reverse("mfa_reauthenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302, response.status_code
