"""TOTP secrets and recovery-code seeds are stored encrypted with the platform
key, through allauth's MFA adapter hooks (passend/privacy/crypto/mfa.py)."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
    yield_hotp_counters_from_time,
)
from django.apps import apps
from django.db import connection

from passend.privacy.crypto.envelope import is_token
from passend.privacy.crypto.mfa import decrypt_secret, encrypted_data

migration = __import__(
    "passend.privacy.crypto.migrations.0002_encrypt_mfa_secrets", fromlist=["encrypt_mfa_secrets"]
)


def stored_data(authenticator: Authenticator) -> dict[str, Any]:
    table = connection.ops.quote_name(Authenticator._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT data FROM {table} WHERE id = %s", [authenticator.pk])
        value = cursor.fetchone()[0]
    return value if isinstance(value, dict) else json.loads(value)


def current_code(secret: str) -> str:
    counter = next(iter(yield_hotp_counters_from_time()))
    return format_hotp_value(hotp_value(secret, counter))


def test_it_stores_the_totp_secret_encrypted_and_still_checks_codes(carla: Any) -> None:
    secret = generate_totp_secret()

    totp = TOTP.activate(carla, secret)

    stored = stored_data(totp.instance)["secret"]
    assert secret not in json.dumps(stored_data(totp.instance))
    assert is_token(stored)
    loaded = TOTP(Authenticator.objects.get(pk=totp.instance.pk))
    assert loaded.validate_code(current_code(secret))


def test_it_stores_the_recovery_code_seed_encrypted(carla: Any) -> None:
    codes = RecoveryCodes.activate(carla)

    assert is_token(stored_data(codes.instance)["seed"])
    loaded = RecoveryCodes(Authenticator.objects.get(pk=codes.instance.pk))
    assert loaded.generate_codes() == codes.generate_codes()
    assert len(codes.generate_codes()) > 1


def test_the_migration_encrypts_secrets_stored_in_the_clear(carla: Any) -> None:
    secret = generate_totp_secret()
    authenticator = Authenticator.objects.create(
        user=carla, type=Authenticator.Type.TOTP, data={"secret": secret}
    )
    # Stored before the adapter encrypted: still read.
    assert TOTP(authenticator).validate_code(current_code(secret))

    migration.encrypt_mfa_secrets(apps, SimpleNamespace(connection=connection))

    assert is_token(stored_data(authenticator)["secret"])
    assert secret not in json.dumps(stored_data(authenticator))
    assert decrypt_secret(Authenticator.objects.get(pk=authenticator.pk).data["secret"]) == secret
    # Running it again changes nothing.
    assert encrypted_data(stored_data(authenticator)) == stored_data(authenticator)
