from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.db import connection

from passend.privacy.crypto.envelope import is_token
from passend.privacy.crypto.migration_helpers import encrypt_existing_values
from passend.privacy.crypto.tests.test_fields import raw, write_raw
from passend.tenancy.models import Organisation
from passend.tenancy.services import organisation_iban_change

IBAN = "NL91ABNA0417164300"


def raw_iban(organisation: Any) -> str:
    table = connection.ops.quote_name(Organisation._meta.db_table)
    pk = Organisation._meta.pk.get_db_prep_value(organisation.pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT iban FROM {table} WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_it_stores_no_organisation_iban_in_the_clear(db: Any, org_a: Any) -> None:
    stored = raw_iban(org_a)

    assert IBAN not in stored
    assert IBAN.lower() not in stored.lower()
    assert stored.startswith("enc1:")
    assert Organisation.objects.get(pk=org_a.pk).iban == IBAN


def test_it_encrypts_an_iban_changed_through_the_service(
    db: Any, org_a: Any, personas: Any
) -> None:
    organisation_iban_change(
        organisation=org_a, iban="nl20 ingb 0001 2345 67", by=personas.memberships["alice"]
    )

    assert "INGB" not in raw_iban(org_a)
    assert Organisation.objects.get(pk=org_a.pk).iban == "NL20INGB0001234567"


def test_the_migration_encrypts_ibans_stored_before_it(db: Any, org_a: Any, org_b: Any) -> None:
    write_raw(Organisation, org_a.pk, "iban", IBAN)
    already = raw(Organisation, org_b.pk, "iban")
    operation = encrypt_existing_values("tenancy", "Organisation", "iban")
    schema_editor = SimpleNamespace(connection=connection)

    operation.code(apps, schema_editor)

    assert is_token(raw_iban(org_a))
    assert raw_iban(org_b) == already
    assert Organisation.objects.get(pk=org_a.pk).iban == IBAN

    operation.reverse_code(apps, schema_editor)

    assert raw_iban(org_a) == IBAN
    assert raw_iban(org_b) == "NL39RABO0300065264"
