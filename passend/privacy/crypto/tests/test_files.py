from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile, File

from passend.privacy.crypto.errors import DecryptionError, UnknownKeyError
from passend.privacy.crypto.files import (
    AtomicFileSystemStorage,
    decrypt_bytes,
    encrypt_bytes,
    file_key_id,
)
from passend.privacy.crypto.keys import destroy_data_keys
from passend.privacy.crypto.models import DataKey
from passend.privacy.crypto.tests.testmodels import MEDIA, Person

SCAN = b"%PDF-1.7 paspoort van Carla Bakker, BSN 111222333" + bytes(range(256)) * 40
CONTEXT = "candidates.document.file"


def test_it_round_trips_bytes(crypto_db: None, org_a: Any) -> None:
    sealed = encrypt_bytes(SCAN, organisation=org_a, context=CONTEXT)

    assert b"Carla" not in sealed
    assert file_key_id(sealed) == DataKey.objects.get(organisation=org_a).key_id
    assert decrypt_bytes(sealed, organisation=org_a, context=CONTEXT) == SCAN
    assert (
        decrypt_bytes(
            encrypt_bytes(b"", organisation=None, context=CONTEXT),
            organisation=None,
            context=CONTEXT,
        )
        == b""
    )


def test_it_refuses_bytes_of_another_organisation(crypto_db: None, org_a: Any, org_b: Any) -> None:
    sealed = encrypt_bytes(SCAN, organisation=org_a, context=CONTEXT)

    with pytest.raises(DecryptionError, match="another organisation"):
        decrypt_bytes(sealed, organisation=org_b, context=CONTEXT)


def test_it_refuses_bytes_of_another_context(crypto_db: None, org_a: Any) -> None:
    sealed = encrypt_bytes(SCAN, organisation=org_a, context=CONTEXT)

    with pytest.raises(DecryptionError, match="failed authentication"):
        decrypt_bytes(sealed, organisation=org_a, context="candidates.photo.file")


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[:-1],
        lambda blob: blob[:30],
        lambda blob: blob[:100] + bytes([blob[100] ^ 1]) + blob[101:],
        lambda blob: b"PSF2" + blob[4:],
        lambda blob: blob[:4] + b"zzzzzzzzzzzzzzzz" + blob[20:],
        lambda blob: SCAN,
    ],
)
def test_it_refuses_damaged_or_foreign_bytes(crypto_db: None, org_a: Any, damage: Any) -> None:
    sealed = encrypt_bytes(SCAN, organisation=org_a, context=CONTEXT)

    with pytest.raises(DecryptionError):
        decrypt_bytes(damage(sealed), organisation=org_a, context=CONTEXT)


def test_it_cannot_decrypt_files_after_crypto_shredding(crypto_db: None, org_a: Any) -> None:
    sealed = encrypt_bytes(SCAN, organisation=org_a, context=CONTEXT)

    destroy_data_keys(organisation=org_a)

    with pytest.raises(UnknownKeyError):
        decrypt_bytes(sealed, organisation=org_a, context=CONTEXT)


@pytest.fixture
def storage(tmp_path: Path) -> AtomicFileSystemStorage:
    return AtomicFileSystemStorage(location=tmp_path)


def test_it_writes_a_complete_file_and_no_leftovers(
    storage: AtomicFileSystemStorage, tmp_path: Path
) -> None:
    name = storage.save("docs/scan.pdf", ContentFile(SCAN))
    again = storage.save("docs/scan.pdf", ContentFile(b"second"))

    assert (tmp_path / name).read_bytes() == SCAN
    assert again != name
    assert (tmp_path / again).read_bytes() == b"second"
    assert sorted(os.listdir(tmp_path / "docs")) == sorted([Path(name).name, Path(again).name])


class BrokenUpload(File):
    """An upload whose connection drops after the first chunk."""

    def __init__(self) -> None:
        super().__init__(None, name="broken.pdf")

    def seek(self, *args: Any) -> int:
        return 0

    def chunks(self, chunk_size: int | None = None) -> Iterator[bytes]:
        yield SCAN[:100]
        raise ConnectionError("client went away")


def test_it_leaves_nothing_behind_when_writing_fails(
    storage: AtomicFileSystemStorage, tmp_path: Path
) -> None:
    with pytest.raises(ConnectionError):
        storage.save("docs/broken.pdf", BrokenUpload())

    assert list((tmp_path / "docs").iterdir()) == []


def test_it_stores_a_file_field_encrypted(crypto_db: None, org_a: Any) -> None:
    person = Person(organisation=org_a, bsn="111222333")
    person.id_document.save("passport.pdf", ContentFile(SCAN), save=False)
    person.save()

    loaded = Person.objects.get(pk=person.pk)
    stored = (MEDIA / loaded.id_document.name).read_bytes()

    assert b"Carla" not in stored
    assert loaded.id_document.name.startswith("documents/")
    assert loaded.id_document.read_decrypted() == SCAN


def test_it_refuses_a_file_moved_to_another_organisations_row(
    crypto_db: None, org_a: Any, org_b: Any
) -> None:
    in_a = Person(organisation=org_a)
    in_a.id_document.save("passport.pdf", ContentFile(SCAN))
    in_b = Person.objects.create(organisation=org_b)
    Person.objects.filter(pk=in_b.pk).update(id_document=in_a.id_document.name)

    with pytest.raises(DecryptionError):
        Person.objects.get(pk=in_b.pk).id_document.read_decrypted()
