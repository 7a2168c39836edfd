from __future__ import annotations

import base64
import json
from typing import Any

import pytest
from django.core import serializers
from django.core.exceptions import FieldError
from django.db import connection, models, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from passend.privacy.crypto.envelope import decrypt_text, encrypt_text, key_id_of
from passend.privacy.crypto.errors import DecryptionError, PlaintextWriteError
from passend.privacy.crypto.fields import EncryptedCharField, EncryptedTextField
from passend.privacy.crypto.models import DataKey
from passend.privacy.crypto.tests.testmodels import Person, PlatformNote
from passend.tenancy.models import Organisation

BSN = "111222333"
OTHER_BSN = "123456782"


def raw(model: type[models.Model], pk: Any, column: str) -> Any:
    table = model._meta.db_table
    pk_value = model._meta.pk.get_db_prep_value(pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {connection.ops.quote_name(column)} FROM {connection.ops.quote_name(table)} "
            "WHERE id = %s",
            [pk_value],
        )
        return cursor.fetchone()[0]


def write_raw(model: type[models.Model], pk: Any, column: str, value: Any) -> None:
    table = model._meta.db_table
    pk_value = model._meta.pk.get_db_prep_value(pk, connection)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(table)} "
            f"SET {connection.ops.quote_name(column)} = %s WHERE id = %s",
            [value, pk_value],
        )


def test_it_round_trips_a_value_through_the_database(crypto_db: None, org_a: Any) -> None:
    person = Person.objects.create(organisation=org_a, bsn=BSN, notes="Zoë wérkt — 🙂")

    loaded = Person.objects.get(pk=person.pk)

    assert loaded.bsn == BSN
    assert loaded.notes == "Zoë wérkt — 🙂"
    assert type(loaded.bsn) is str


def test_it_stores_ciphertext_that_names_its_key(crypto_db: None, org_a: Any) -> None:
    person = Person.objects.create(organisation=org_a, bsn=BSN)

    stored = raw(Person, person.pk, "bsn")

    assert BSN not in stored
    version, key_id, _payload = stored.split(":")
    assert version == "enc1"
    assert DataKey.objects.get(key_id=key_id).organisation_id == org_a.pk


def test_it_encrypts_each_organisation_with_its_own_key(
    crypto_db: None, org_a: Any, org_b: Any
) -> None:
    in_a = Person.objects.create(organisation=org_a, bsn=BSN)
    in_b = Person.objects.create(organisation=org_b, bsn=BSN)

    key_a = key_id_of(raw(Person, in_a.pk, "bsn"))
    key_b = key_id_of(raw(Person, in_b.pk, "bsn"))

    assert key_a != key_b
    assert DataKey.objects.get(key_id=key_b).organisation_id == org_b.pk


def test_it_uses_a_fresh_nonce_for_every_save(crypto_db: None, org_a: Any) -> None:
    first = Person.objects.create(organisation=org_a, notes="same")
    second = Person.objects.create(organisation=org_a, notes="same")

    assert raw(Person, first.pk, "notes") != raw(Person, second.pk, "notes")


def test_it_encrypts_platform_data_with_the_platform_key(crypto_db: None) -> None:
    note = PlatformNote.objects.create(text="platform secret")

    key_id = key_id_of(raw(PlatformNote, note.pk, "text"))

    assert DataKey.objects.get(key_id=key_id).organisation_id is None
    assert PlatformNote.objects.get(pk=note.pk).text == "platform secret"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=st.text(max_size=300))
def test_it_round_trips_any_text(crypto_db: None, org_a: Any, value: str) -> None:
    token = encrypt_text(value, organisation=org_a, context="crypto_tests.person.notes")

    assert decrypt_text(token, context="crypto_tests.person.notes").plaintext == value


def test_it_encrypts_many_values_with_a_key_looked_up_once(
    crypto_db: None, org_a: Any, org_b: Any
) -> None:
    from passend.privacy.crypto.keys import primary_key

    key = primary_key(org_a)
    context = "crypto_tests.person.notes"

    token = encrypt_text("bulk", organisation=org_a, context=context, key=key)

    assert key_id_of(token) == key.key_id
    assert decrypt_text(token, context=context).plaintext == "bulk"
    with pytest.raises(ValueError, match="another organisation"):
        encrypt_text("bulk", organisation=org_b, context=context, key=key)


def test_it_refuses_a_tampered_value(crypto_db: None, org_a: Any) -> None:
    person = Person.objects.create(organisation=org_a, bsn=BSN)
    version, key_id, payload = raw(Person, person.pk, "bsn").split(":")
    blob = bytearray(base64.b64decode(payload))
    blob[-1] ^= 0x01
    write_raw(Person, person.pk, "bsn", f"{version}:{key_id}:{base64.b64encode(blob).decode()}")

    with pytest.raises(DecryptionError, match="failed authentication"):
        Person.objects.get(pk=person.pk)


def test_it_refuses_a_ciphertext_pasted_into_another_column(crypto_db: None, org_a: Any) -> None:
    person = Person.objects.create(organisation=org_a, bsn=BSN, notes="note")
    write_raw(Person, person.pk, "notes", raw(Person, person.pk, "bsn"))

    with pytest.raises(DecryptionError, match="copied from another column"):
        Person.objects.get(pk=person.pk)


def test_it_refuses_a_ciphertext_pasted_into_another_organisations_row(
    crypto_db: None, org_a: Any, org_b: Any
) -> None:
    in_a = Person.objects.create(organisation=org_a, bsn=BSN)
    in_b = Person.objects.create(organisation=org_b, bsn=OTHER_BSN)
    write_raw(Person, in_b.pk, "bsn", raw(Person, in_a.pk, "bsn"))

    loaded = Person.objects.get(pk=in_b.pk)

    with pytest.raises(DecryptionError, match="another organisation"):
        _ = loaded.bsn


def test_it_refuses_a_value_under_another_key_id(crypto_db: None, org_a: Any, org_b: Any) -> None:
    in_a = Person.objects.create(organisation=org_a, bsn=BSN)
    Person.objects.create(organisation=org_b, bsn=BSN)
    key_b = DataKey.objects.get(organisation=org_b).key_id
    _version, _key_a, payload = raw(Person, in_a.pk, "bsn").split(":")
    write_raw(Person, in_a.pk, "bsn", f"enc1:{key_b}:{payload}")

    with pytest.raises(DecryptionError):
        Person.objects.get(pk=in_a.pk)


@pytest.mark.parametrize(
    "stored",
    [
        BSN,
        "not ciphertext at all",
        "enc1:0123456789abcdef:!!!not-base64!!!",
        "enc1:0123456789abcdef:" + base64.b64encode(b"short").decode(),
        "enc2:0123456789abcdef:" + base64.b64encode(bytes(40)).decode(),
    ],
)
def test_it_refuses_garbage_and_plaintext_in_the_column(
    crypto_db: None, org_a: Any, stored: str
) -> None:
    person = Person.objects.create(organisation=org_a, bsn=BSN)
    write_raw(Person, person.pk, "bsn", stored)

    with pytest.raises(DecryptionError):
        Person.objects.get(pk=person.pk)


def test_it_refuses_a_value_whose_key_does_not_exist(crypto_db: None, org_a: Any) -> None:
    person = Person.objects.create(organisation=org_a, bsn=BSN)
    _version, _key_id, payload = raw(Person, person.pk, "bsn").split(":")
    write_raw(Person, person.pk, "bsn", f"enc1:ffffffffffffffff:{payload}")

    with pytest.raises(DecryptionError, match="does not exist"):
        Person.objects.get(pk=person.pk)


def test_it_stores_blank_and_null_as_themselves(crypto_db: None, org_a: Any) -> None:
    person = Person.objects.create(organisation=org_a, bsn="", notes=None)

    assert raw(Person, person.pk, "bsn") == ""
    assert raw(Person, person.pk, "notes") is None
    loaded = Person.objects.get(pk=person.pk)
    assert (loaded.bsn, loaded.notes) == ("", None)


def test_it_reencrypts_a_changed_value_on_save(crypto_db: None, org_a: Any) -> None:
    person = Person.objects.create(organisation=org_a, bsn=BSN)
    person.bsn = OTHER_BSN
    person.save()

    assert Person.objects.get(pk=person.pk).bsn == OTHER_BSN
    assert OTHER_BSN not in raw(Person, person.pk, "bsn")


def test_it_refuses_lookups_other_than_isnull(crypto_db: None, org_a: Any) -> None:
    Person.objects.create(organisation=org_a, bsn=BSN, notes=None)

    assert Person.objects.filter(notes__isnull=True).count() == 1
    with pytest.raises(FieldError, match="blind index"):
        Person.objects.filter(bsn=BSN).count()
    with pytest.raises(FieldError):
        Person.objects.filter(bsn__startswith="111").count()
    with pytest.raises(FieldError):
        Person.objects.filter(bsn__lower="x").count()


def test_it_refuses_to_write_plaintext_with_update(crypto_db: None, org_a: Any) -> None:
    person = Person.objects.create(organisation=org_a, bsn=BSN)

    with pytest.raises(PlaintextWriteError), transaction.atomic():
        Person.objects.filter(pk=person.pk).update(bsn=OTHER_BSN)
    assert Person.objects.get(pk=person.pk).bsn == BSN


def test_it_refuses_to_write_plaintext_with_bulk_update(crypto_db: None, org_a: Any) -> None:
    person = Person.objects.create(organisation=org_a, bsn=BSN)
    person.bsn = OTHER_BSN

    with pytest.raises(PlaintextWriteError):
        Person.objects.bulk_update([person], ["bsn"])


def test_it_encrypts_in_bulk_create(crypto_db: None, org_a: Any, org_b: Any) -> None:
    people = Person.objects.bulk_create(
        [Person(organisation=org_a, bsn=BSN), Person(organisation=org_b, bsn=BSN)]
    )

    for person in people:
        assert BSN not in raw(Person, person.pk, "bsn")
        assert Person.objects.get(pk=person.pk).bsn == BSN


def test_it_serialises_ciphertext_and_loads_it_back(crypto_db: None, org_a: Any) -> None:
    dumped = serializers.serialize("json", [org_a])
    assert org_a.iban not in dumped
    write_raw(Organisation, org_a.pk, "iban", "")

    for obj in serializers.deserialize("json", dumped):
        obj.save()

    assert Organisation.objects.get(pk=org_a.pk).iban == "NL91ABNA0417164300"


def test_it_refuses_to_load_serialised_ciphertext_of_another_column(
    crypto_db: None, org_a: Any
) -> None:
    note = PlatformNote.objects.create(text="NL91ABNA0417164300")
    data = json.loads(serializers.serialize("json", [org_a]))
    data[0]["fields"]["iban"] = PlatformNote._meta.get_field("text").value_to_string(note)
    obj = next(iter(serializers.deserialize("json", json.dumps(data))))

    with pytest.raises(DecryptionError):
        obj.save()


def test_it_keeps_migrations_stable(crypto_db: None) -> None:
    field = EncryptedCharField(
        "IBAN", max_length=34, blank=True, organisation_field="self", associated_data="a.b.c"
    )
    _name, path, args, kwargs = field.deconstruct()

    rebuilt = EncryptedCharField(*args, **kwargs)

    assert path == "passend.privacy.crypto.fields.EncryptedCharField"
    assert kwargs["organisation_field"] == "self"
    assert kwargs["associated_data"] == "a.b.c"
    assert rebuilt.deconstruct()[1:] == (path, args, kwargs)
    assert "organisation_field" not in EncryptedTextField().deconstruct()[3]


def test_it_flags_a_unique_encrypted_field_and_a_wrong_organisation_field() -> None:
    from passend.privacy.crypto.tests.testmodels import test_apps

    class Bad(models.Model):
        secret = EncryptedCharField(max_length=10, unique=True, organisation_field="nope")

        class Meta:
            app_label = "crypto_tests"
            apps = test_apps

        def __str__(self) -> str:
            return "bad"

    ids = {error.id for error in Bad._meta.get_field("secret").check()}

    assert {"crypto.E001", "crypto.E002"} <= ids


def test_it_keeps_no_decrypted_value_on_the_field(crypto_db: None, org_a: Any) -> None:
    person = Person.objects.create(organisation=org_a, bsn=BSN)
    Person.objects.get(pk=person.pk).bsn  # noqa: B018

    field = Person._meta.get_field("bsn")

    assert BSN not in repr(vars(field))
