"""Models that exist only for these tests, in a registry of their own.

They are not in the project's app registry, so migrations and the data-map
check never see them; conftest.py creates their tables in the test database.
"""

from __future__ import annotations

import tempfile
import uuid
from pathlib import Path
from typing import ClassVar

from django.apps.registry import Apps
from django.db import models

from passend.privacy.crypto.blind_index import BlindIndexField
from passend.privacy.crypto.fields import EncryptedCharField, EncryptedTextField
from passend.privacy.crypto.files import AtomicFileSystemStorage, EncryptedFileField
from passend.tenancy.models import Organisation

test_apps = Apps(installed_apps=())
# The foreign key below resolves within this registry.
test_apps.register_model("tenancy", Organisation)

MEDIA = Path(tempfile.mkdtemp(prefix="passend-crypto-tests-"))
storage = AtomicFileSystemStorage(location=MEDIA)


class Person(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="+", db_constraint=False
    )
    name = models.CharField(max_length=100, blank=True)
    bsn = EncryptedCharField(max_length=9, blank=True)
    bsn_index = BlindIndexField(source="bsn")
    notes = EncryptedTextField(blank=True, null=True)
    id_document = EncryptedFileField(upload_to="documents/", blank=True, storage=storage)

    objects: ClassVar[models.Manager[Person]] = models.Manager()

    class Meta:
        app_label = "crypto_tests"
        apps = test_apps
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "bsn_index"], name="crypto_tests_one_person_per_bsn"
            )
        ]

    def __str__(self) -> str:
        return self.name


class PlatformNote(models.Model):
    text = EncryptedTextField(organisation_field=None)

    objects: ClassVar[models.Manager[PlatformNote]] = models.Manager()

    class Meta:
        app_label = "crypto_tests"
        apps = test_apps

    def __str__(self) -> str:
        return f"note {self.pk}"


TEST_MODELS = (Person, PlatformNote)
