from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from passend.privacy.crypto import rotation
from passend.privacy.crypto.envelope import file_key_id, key_id_of
from passend.privacy.crypto.models import DataKey
from passend.privacy.crypto.rotation import encrypted_targets, rotate_data_keys
from passend.privacy.crypto.tests.test_fields import raw, write_raw
from passend.privacy.crypto.tests.testmodels import MEDIA, TEST_MODELS, Person, PlatformNote
from passend.tenancy.models import Organisation

BSNS = ["111222333", "123456782", "100000009", "192837465", "135792468", "246813579"]


def valid_bsns() -> list[str]:
    from stdnum.nl import bsn

    return [b for b in BSNS if bsn.is_valid(b)]


@pytest.fixture
def people(crypto_db: None, org_a: Any, org_b: Any) -> list[Person]:
    created = []
    for index, number in enumerate(valid_bsns()):
        organisation = org_a if index % 2 else org_b
        created.append(
            Person.objects.create(organisation=organisation, bsn=number, notes=f"note {index}")
        )
    PlatformNote.objects.create(text="platform")
    return created


def primaries() -> set[str]:
    return set(DataKey.objects.filter(is_primary=True).values_list("key_id", flat=True))


def stored_key_ids() -> set[str]:
    found = set()
    for person in Person.objects.all():
        for column in ("bsn", "notes"):
            value = raw(Person, person.pk, column)
            if value:
                found.add(key_id_of(value))
    for note in PlatformNote.objects.all():
        found.add(key_id_of(raw(PlatformNote, note.pk, "text")))
    for organisation in Organisation.objects.all():
        value = raw(Organisation, organisation.pk, "iban")
        if value:
            found.add(key_id_of(value))
    return found


def snapshot() -> dict[Any, Any]:
    values: dict[Any, Any] = {p.pk: (p.bsn, p.notes) for p in Person.objects.all()}
    values.update({n.pk: n.text for n in PlatformNote.objects.all()})
    values.update({o.pk: o.iban for o in Organisation.objects.all()})
    return values


def test_it_finds_encrypted_fields_over_all_installed_models() -> None:
    targets = {t.model: t for t in encrypted_targets(TEST_MODELS)}

    assert [f.name for f in targets[Organisation].fields] == ["iban"]
    assert [f.name for f in targets[Person].fields] == ["bsn", "notes"]
    assert [f.name for f in targets[Person].file_fields] == ["id_document"]
    assert PlatformNote in targets


def test_it_reencrypts_every_row_under_new_keys(people: list[Person]) -> None:
    before = snapshot()
    old_keys = stored_key_ids()

    report = rotate_data_keys(batch_size=2, extra_models=TEST_MODELS)

    assert report.complete
    assert report.keys_created == 3  # org A, org B, platform
    assert stored_key_ids() <= primaries()
    assert not stored_key_ids() & old_keys
    assert snapshot() == before
    assert report.rows_reencrypted == len(people) + 1 + 2
    assert report.keys_retired == 3
    assert (
        set(DataKey.objects.filter(retired_at__isnull=False).values_list("key_id", flat=True))
        == old_keys
    )


def test_it_resumes_an_interrupted_rotation(people: list[Person]) -> None:
    before = snapshot()
    old_keys = stored_key_ids()

    first = rotate_data_keys(batch_size=2, limit=3, extra_models=TEST_MODELS)

    assert not first.complete
    assert first.rows_reencrypted == 3
    assert snapshot() == before  # readable half-way
    assert stored_key_ids() & old_keys
    assert not DataKey.objects.filter(retired_at__isnull=False).exists()
    keys_after_first = DataKey.objects.count()

    second = rotate_data_keys(batch_size=2, extra_models=TEST_MODELS)

    assert second.complete
    assert second.keys_created == 0  # the rotation under way is continued
    assert DataKey.objects.count() == keys_after_first
    assert second.rows_current == 3
    assert first.rows_reencrypted + second.rows_reencrypted == len(people) + 1 + 2
    assert stored_key_ids() <= primaries()
    assert snapshot() == before


def test_it_survives_a_crash_in_the_middle_of_a_batch(
    people: list[Person], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = snapshot()
    real_encrypt = rotation.encrypt_text
    calls = {"count": 0}

    def crash_on_fifth(*args: Any, **kwargs: Any) -> str:
        calls["count"] += 1
        if calls["count"] == 5:
            raise RuntimeError("power failure")
        return real_encrypt(*args, **kwargs)

    monkeypatch.setattr(rotation, "encrypt_text", crash_on_fifth)
    with pytest.raises(RuntimeError):
        rotate_data_keys(batch_size=3, extra_models=TEST_MODELS)
    assert snapshot() == before

    monkeypatch.setattr(rotation, "encrypt_text", real_encrypt)
    report = rotate_data_keys(batch_size=3, extra_models=TEST_MODELS)

    assert report.complete
    assert report.keys_created == 0
    assert stored_key_ids() <= primaries()
    assert snapshot() == before


def test_it_finishes_values_written_under_an_old_key_during_the_run(
    crypto_db: None, org_a: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    person = Person.objects.create(organisation=org_a, bsn="111222333")
    under_old_key = raw(Person, person.pk, "bsn")
    late = Person.objects.create(organisation=org_a)
    real_scan = rotation._keys_in_use

    def late_writer_then_scan(targets: Any) -> set[str]:
        # A request that read the old primary key before the run commits now,
        # behind the re-encryption scan.
        write_raw(Person, late.pk, "bsn", under_old_key)
        return real_scan(targets)

    monkeypatch.setattr(rotation, "_keys_in_use", late_writer_then_scan)
    first = rotate_data_keys(extra_models=TEST_MODELS)
    monkeypatch.setattr(rotation, "_keys_in_use", real_scan)

    assert not first.complete
    assert first.keys_still_in_use == 1
    assert Person.objects.get(pk=late.pk).bsn == "111222333"
    keys_of_a = DataKey.objects.filter(organisation=org_a).count()

    second = rotate_data_keys(extra_models=TEST_MODELS)

    assert second.complete
    assert DataKey.objects.filter(organisation=org_a).count() == keys_of_a  # continued
    assert key_id_of(raw(Person, late.pk, "bsn")) in primaries()


def test_it_rotates_again_once_a_rotation_is_complete(people: list[Person]) -> None:
    rotate_data_keys(extra_models=TEST_MODELS)
    after_first = primaries()

    report = rotate_data_keys(extra_models=TEST_MODELS)

    assert report.keys_created == 3
    assert not primaries() & after_first
    assert stored_key_ids() <= primaries()


def test_it_reencrypts_files_and_removes_the_old_ones(
    crypto_db: None, org_a: Any, django_capture_on_commit_callbacks: Any
) -> None:
    person = Person(organisation=org_a)
    person.id_document.save("passport.pdf", ContentFile(b"scan of a passport"))
    old_name = person.id_document.name
    old_key = file_key_id((MEDIA / old_name).read_bytes())

    with django_capture_on_commit_callbacks(execute=True):
        report = rotate_data_keys(extra_models=TEST_MODELS)

    loaded = Person.objects.get(pk=person.pk)
    assert report.files_reencrypted == 1
    assert loaded.id_document.name != old_name
    assert not (MEDIA / old_name).exists()
    assert file_key_id((MEDIA / loaded.id_document.name).read_bytes()) != old_key
    assert loaded.id_document.read_decrypted() == b"scan of a passport"
    assert DataKey.objects.get(key_id=old_key).retired_at is not None


def test_it_reports_a_missing_file_and_finishes(crypto_db: None, org_a: Any) -> None:
    person = Person(organisation=org_a)
    person.id_document.save("passport.pdf", ContentFile(b"scan"))
    (MEDIA / person.id_document.name).unlink()
    report = rotate_data_keys(extra_models=TEST_MODELS)

    assert report.files_missing == 1
    assert report.complete


def test_it_stops_at_a_value_encrypted_for_another_organisation(
    crypto_db: None, org_a: Any, org_b: Any
) -> None:
    in_a = Person.objects.create(organisation=org_a, bsn="111222333")
    in_b = Person.objects.create(organisation=org_b, bsn="123456782")
    write_raw(Person, in_b.pk, "bsn", raw(Person, in_a.pk, "bsn"))

    with pytest.raises(Exception, match="another organisation"):
        rotate_data_keys(extra_models=TEST_MODELS)


def test_it_rotates_from_the_command_line(crypto_db: None, org_a: Any, org_b: Any) -> None:
    out = io.StringIO()
    call_command("rotate_keys", "--batch-size", "1", "--limit", "1", stdout=out)
    assert "Rows re-encrypted: 1" in out.getvalue()
    assert "run rotate_keys again" in out.getvalue()
    assert Organisation.objects.get(pk=org_a.pk).iban == "NL91ABNA0417164300"

    out = io.StringIO()
    call_command("rotate_keys", stdout=out)

    assert "Data keys created: 0" in out.getvalue()
    assert "Rows re-encrypted: 1" in out.getvalue()
    assert "Rotation complete." in out.getvalue()
    assert Organisation.objects.get(pk=org_b.pk).iban == "NL39RABO0300065264"
    for organisation in (org_a, org_b):
        key_id = key_id_of(raw(Organisation, organisation.pk, "iban"))
        assert DataKey.objects.get(key_id=key_id).is_primary


def test_it_reports_a_broken_value_as_a_command_error(crypto_db: None, org_a: Any) -> None:
    write_raw(Organisation, org_a.pk, "iban", "NL91ABNA0417164300")

    with pytest.raises(CommandError, match="not ciphertext"):
        call_command("rotate_keys", stdout=io.StringIO())


def test_it_refuses_a_bad_batch_size() -> None:
    with pytest.raises(CommandError):
        call_command("rotate_keys", "--batch-size", "0")
    with pytest.raises(ValueError, match="batch_size"):
        rotate_data_keys(batch_size=0)
