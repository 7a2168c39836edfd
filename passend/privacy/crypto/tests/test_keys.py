from __future__ import annotations

import base64
import io
import os
from typing import Any

import pytest
from django.apps import apps
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.test import override_settings

from passend.privacy.crypto import keys
from passend.privacy.crypto.checks import check_data_keys_unwrap, check_development_keys
from passend.privacy.crypto.conf import (
    DEVELOPMENT_BLIND_INDEX_KEY,
    DEVELOPMENT_MASTER_KEYS,
    parse_master_keys,
    refuse_development_keys,
)
from passend.privacy.crypto.errors import MasterKeyError, UnknownKeyError
from passend.privacy.crypto.models import DataKey
from passend.privacy.crypto.tests.testmodels import Person
from passend.tenancy.models import Organisation


def new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


NEW_MASTER = new_key()
BOTH_MASTERS = f"{DEVELOPMENT_MASTER_KEYS},new-1:{NEW_MASTER}"


A_KEY = base64.b64encode(bytes(range(32))).decode()


@pytest.mark.parametrize(
    ("raw", "active", "message"),
    [
        ("", "a", "empty"),
        ("a:" + A_KEY, "b", "not one of the ids"),
        ("a:not base64!", "a", "not valid base64"),
        ("a:" + base64.b64encode(b"short").decode(), "a", "must be 32 bytes"),
        ("a:" + A_KEY + ",a:" + A_KEY, "a", "twice"),
        ("just-a-key", "a", "id:base64key"),
    ],
    ids=["empty", "unknown-active", "not-base64", "short", "duplicate", "no-id"],
)
def test_it_refuses_missing_or_malformed_master_keys(raw: str, active: str, message: str) -> None:
    with pytest.raises(ImproperlyConfigured, match=message):
        parse_master_keys(raw, active)


def test_it_refuses_to_start_without_a_master_key() -> None:
    config = apps.get_app_config("crypto")

    with (
        override_settings(PASSEND_MASTER_KEYS="", PASSEND_ACTIVE_MASTER_KEY="x"),
        pytest.raises(ImproperlyConfigured, match="will not start"),
    ):
        config.ready()


def test_it_refuses_to_start_with_a_weak_blind_index_key() -> None:
    config = apps.get_app_config("crypto")

    with (
        override_settings(PASSEND_BLIND_INDEX_KEY=base64.b64encode(b"short").decode()),
        pytest.raises(ImproperlyConfigured, match="at least 32 bytes"),
    ):
        config.ready()


def test_it_never_stores_a_master_key(crypto_db: None, org_a: Any) -> None:
    row = DataKey.objects.get(organisation=org_a)
    master = base64.b64decode(DEVELOPMENT_MASTER_KEYS.split(":", 1)[1])

    assert master not in bytes(row.wrapped_key)
    assert row.master_key_id == "dev-insecure-1"
    assert len(bytes(row.wrapped_key)) == 12 + 32 + 16


def test_it_refuses_to_decrypt_when_the_master_key_is_missing(crypto_db: None, org_a: Any) -> None:
    keys.forget_cached_keys()

    with (
        override_settings(
            PASSEND_MASTER_KEYS=f"new-1:{NEW_MASTER}", PASSEND_ACTIVE_MASTER_KEY="new-1"
        ),
        pytest.raises(MasterKeyError, match="not configured"),
    ):
        Organisation.objects.get(pk=org_a.pk)


def test_it_refuses_to_decrypt_with_a_wrong_master_key(crypto_db: None, org_a: Any) -> None:
    keys.forget_cached_keys()

    with (
        override_settings(PASSEND_MASTER_KEYS=f"dev-insecure-1:{NEW_MASTER}"),
        pytest.raises(MasterKeyError, match="wrong"),
    ):
        Organisation.objects.get(pk=org_a.pk)


def test_it_refuses_a_wrapped_key_moved_to_another_organisation(
    crypto_db: None, org_a: Any, org_b: Any
) -> None:
    key_a = DataKey.objects.get(organisation=org_a)
    DataKey.objects.filter(organisation=org_b).update(wrapped_key=bytes(key_a.wrapped_key))
    keys.forget_cached_keys()

    with pytest.raises(MasterKeyError):
        Organisation.objects.get(pk=org_b.pk)


def test_it_keeps_one_primary_key_per_organisation(crypto_db: None, org_a: Any) -> None:
    first = keys.primary_key(org_a)
    second = keys.primary_key(org_a.pk)

    assert first.key_id == second.key_id
    assert DataKey.objects.filter(organisation=org_a, is_primary=True).count() == 1


def test_it_reads_the_winners_key_when_two_create_the_first_key_at_once(
    crypto_db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    organisation = Organisation.objects.create(name="Nieuw", slug="nieuw", kind="staffing")
    winner = keys._insert_key(str(organisation.pk), is_primary=True)
    real_lookup = keys._primary_row
    calls: list[str | None] = []

    def lookup(owner: str | None) -> DataKey | None:
        # The first lookup sees no key: the other process had not committed yet.
        calls.append(owner)
        return None if len(calls) == 1 else real_lookup(owner)

    monkeypatch.setattr(keys, "_primary_row", lookup)

    loaded = keys.primary_key(organisation)

    assert loaded.key_id == winner.key_id
    assert DataKey.objects.filter(organisation=organisation).count() == 1


def test_it_crypto_shreds_an_organisation(crypto_db: None, org_a: Any, org_b: Any) -> None:
    person = Person.objects.create(organisation=org_a, bsn="111222333")
    Person.objects.create(organisation=org_b, bsn="111222333")

    destroyed = keys.destroy_data_keys(organisation=org_a)

    assert destroyed == 1
    with pytest.raises(UnknownKeyError):
        Person.objects.get(pk=person.pk)
    with pytest.raises(UnknownKeyError):
        Organisation.objects.get(pk=org_a.pk)
    assert Person.objects.get(organisation=org_b).bsn == "111222333"


def test_it_crypto_shreds_when_an_organisation_is_deleted(crypto_db: None) -> None:
    organisation = Organisation.objects.create(
        name="Weg", slug="weg", kind="staffing", iban="NL91ABNA0417164300"
    )
    assert DataKey.objects.filter(organisation=organisation).exists()

    organisation.delete()

    assert not DataKey.objects.filter(organisation_id=organisation.pk).exists()


def test_it_refuses_to_destroy_the_platform_key(crypto_db: None) -> None:
    with pytest.raises(ValueError, match="platform"):
        keys.destroy_data_keys(organisation=None)  # type: ignore[arg-type]


def test_it_rewraps_data_keys_under_a_new_master_key(
    crypto_db: None, org_a: Any, org_b: Any
) -> None:
    before = {row.key_id: bytes(row.wrapped_key) for row in DataKey.objects.all()}

    with override_settings(PASSEND_MASTER_KEYS=BOTH_MASTERS, PASSEND_ACTIVE_MASTER_KEY="new-1"):
        call_command("rotate_keys", "--rewrap-only", "--batch-size", "1", stdout=io.StringIO())
        keys.forget_cached_keys()
        assert set(DataKey.objects.values_list("master_key_id", flat=True)) == {"new-1"}
        assert {row.key_id for row in DataKey.objects.all()} == set(before)

    # The old master key can go: everything opens with the new one alone.
    keys.forget_cached_keys()
    with override_settings(
        PASSEND_MASTER_KEYS=f"new-1:{NEW_MASTER}", PASSEND_ACTIVE_MASTER_KEY="new-1"
    ):
        assert Organisation.objects.get(pk=org_a.pk).iban == "NL91ABNA0417164300"
        assert Organisation.objects.get(pk=org_b.pk).iban == "NL39RABO0300065264"


def test_it_rewraps_in_resumable_steps(crypto_db: None, org_a: Any, org_b: Any) -> None:
    with override_settings(PASSEND_MASTER_KEYS=BOTH_MASTERS, PASSEND_ACTIVE_MASTER_KEY="new-1"):
        first = keys.rewrap_data_keys(batch_size=1, limit=1)
        second = keys.rewrap_data_keys(batch_size=1)

    assert (first.rewrapped, first.already_current) == (1, 0)
    assert (second.rewrapped, second.already_current) == (1, 1)


def test_it_refuses_development_keys_in_production() -> None:
    with pytest.raises(ImproperlyConfigured, match="development keys"):
        refuse_development_keys(DEVELOPMENT_MASTER_KEYS, "dev-insecure-1", new_key())
    with pytest.raises(ImproperlyConfigured, match="PASSEND_BLIND_INDEX_KEY"):
        refuse_development_keys(f"prod:{new_key()}", "prod", DEVELOPMENT_BLIND_INDEX_KEY)
    with pytest.raises(ImproperlyConfigured, match="empty"):
        refuse_development_keys("", "prod", new_key())

    refuse_development_keys(f"prod:{new_key()}", "prod", new_key())


def test_it_fails_the_deploy_check_on_development_keys() -> None:
    assert {error.id for error in check_development_keys()} == {"crypto.E010"}
    with override_settings(
        PASSEND_MASTER_KEYS=f"prod:{new_key()}",
        PASSEND_ACTIVE_MASTER_KEY="prod",
        PASSEND_BLIND_INDEX_KEY=new_key(),
    ):
        assert check_development_keys() == []


def test_it_reports_data_keys_the_master_keys_cannot_open(crypto_db: None, org_a: Any) -> None:
    assert check_data_keys_unwrap(databases=["default"]) == []
    assert check_data_keys_unwrap() == []

    with override_settings(PASSEND_MASTER_KEYS=f"dev-insecure-1:{NEW_MASTER}"):
        errors = check_data_keys_unwrap(databases=["default"])

    assert errors
    assert all(isinstance(e, checks.Error) and e.id == "crypto.E011" for e in errors)
