from __future__ import annotations

import base64
import hashlib
import os
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings

from passend.privacy.crypto.blind_index import BlindIndexField, blind_index
from passend.privacy.crypto.tests.testmodels import Person

BSN = "111222333"
OTHER_BSN = "123456782"


def test_it_is_deterministic_within_an_organisation(db: Any, org_a: Any) -> None:
    assert blind_index(BSN, organisation=org_a) == blind_index(BSN, organisation=org_a.pk)
    assert len(blind_index(BSN, organisation=org_a)) == 64


def test_it_differs_across_organisations_and_purposes(db: Any, org_a: Any, org_b: Any) -> None:
    in_a = blind_index(BSN, organisation=org_a)

    assert in_a != blind_index(BSN, organisation=org_b)
    assert in_a != blind_index(BSN, organisation=None)
    assert in_a != blind_index(BSN, organisation=org_a, purpose="bsn-archive")
    assert in_a != blind_index(OTHER_BSN, organisation=org_a)


def test_it_is_not_a_plain_or_salted_hash(db: Any, org_a: Any) -> None:
    index = blind_index(BSN, organisation=org_a)

    assert index != hashlib.sha256(BSN.encode()).hexdigest()
    assert index != hashlib.sha256(f"{org_a.pk}{BSN}".encode()).hexdigest()


def test_it_depends_on_the_secret_key(db: Any, org_a: Any) -> None:
    before = blind_index(BSN, organisation=org_a)

    with override_settings(PASSEND_BLIND_INDEX_KEY=base64.b64encode(os.urandom(32)).decode()):
        assert blind_index(BSN, organisation=org_a) != before


def test_it_normalises_before_indexing(db: Any, org_a: Any) -> None:
    assert blind_index("1112.22.333", organisation=org_a) == blind_index(BSN, organisation=org_a)
    assert blind_index("nl91 abna 0417 1643 00", organisation=org_a, purpose="iban") == blind_index(
        "NL91ABNA0417164300", organisation=org_a, purpose="iban"
    )


@pytest.mark.parametrize("bad", ["111222334", "12345", "abcdefghi", ""])
def test_it_refuses_an_invalid_bsn(db: Any, org_a: Any, bad: str) -> None:
    with pytest.raises(ValidationError):
        blind_index(bad, organisation=org_a)


def test_it_keeps_the_index_column_in_sync_on_save(crypto_db: None, org_a: Any) -> None:
    person = Person.objects.create(organisation=org_a, bsn=BSN)
    assert person.bsn_index == blind_index(BSN, organisation=org_a)

    person.bsn = OTHER_BSN
    person.save()
    assert Person.objects.get(pk=person.pk).bsn_index == blind_index(OTHER_BSN, organisation=org_a)

    person.bsn = ""
    person.save()
    assert Person.objects.get(pk=person.pk).bsn_index is None


def test_it_finds_a_person_by_bsn_without_decrypting(crypto_db: None, org_a: Any) -> None:
    wanted = Person.objects.create(organisation=org_a, bsn=BSN, name="Carla")
    Person.objects.create(organisation=org_a, bsn=OTHER_BSN, name="Other")

    found = Person.objects.filter(bsn_index=blind_index("1112 22 333", organisation=org_a))

    assert list(found.values_list("pk", flat=True)) == [wanted.pk]


def test_it_makes_a_bsn_unique_per_organisation(crypto_db: None, org_a: Any, org_b: Any) -> None:
    Person.objects.create(organisation=org_a, bsn=BSN)
    Person.objects.create(organisation=org_b, bsn=BSN)
    Person.objects.create(organisation=org_a, bsn="")
    Person.objects.create(organisation=org_a, bsn="")

    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(organisation=org_a, bsn=BSN)


def test_it_refuses_update_fields_that_would_leave_the_index_stale(
    crypto_db: None, org_a: Any
) -> None:
    person = Person.objects.create(organisation=org_a, bsn=BSN)
    person.bsn = OTHER_BSN

    with pytest.raises(ValueError, match="blind index"):
        person.save(update_fields=["bsn"])

    person.save(update_fields=["bsn", "bsn_index"])
    assert Person.objects.get(pk=person.pk).bsn_index == blind_index(OTHER_BSN, organisation=org_a)


def test_it_keeps_the_index_field_migration_stable() -> None:
    field = BlindIndexField(source="bsn")
    _name, path, args, kwargs = field.deconstruct()

    assert path == "passend.privacy.crypto.blind_index.BlindIndexField"
    assert kwargs == {"source": "bsn"}
    custom = BlindIndexField(source="iban", purpose="iban", null=False, organisation_field="self")
    rebuilt = BlindIndexField(*args, **custom.deconstruct()[3])
    assert (rebuilt.null, rebuilt.purpose, rebuilt.organisation_field) == (False, "iban", "self")
    assert (rebuilt.max_length, rebuilt.editable, getattr(rebuilt, "db_index", None)) == (
        64,
        False,
        True,
    )
