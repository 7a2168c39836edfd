"""The name a file was uploaded under is personal data too: encrypted, like the file."""

from __future__ import annotations

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from conftest import client_for
from passend.common.scope import organisation_scope
from passend.documents.models import Document, DocumentKind
from passend.documents.tests import corpus

BSN = "111222333"
IBAN = "NL91ABNA0417164300"
NAME = f"paspoort_{BSN}_{IBAN}.pdf"


def _raw_rows() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM documents_document")
        return [" ".join(str(value) for value in row) for row in cursor.fetchall()]


def test_it_keeps_the_uploaded_file_name_encrypted_and_still_offers_it(
    personas, media, carla_profile
):
    bob = client_for(personas["bob"], personas.organisations["a"])
    upload = SimpleUploadedFile(NAME, corpus.PDF_OK, content_type="application/pdf")
    page = reverse("documents:candidate", kwargs={"candidate_id": carla_profile.pk})

    response = bob.post(page, {"kind": DocumentKind.ID_COPY, "file": upload})

    assert response.status_code == 302
    (row,) = _raw_rows()
    assert BSN not in row
    assert IBAN not in row
    assert "paspoort" not in row
    with organisation_scope(carla_profile.organisation):
        document = Document.objects.get()
    assert document.original_name == NAME
    assert NAME in bob.get(page).content.decode()
    download = bob.get(reverse("documents:download", args=[document.pk]))
    assert download.status_code == 200
    assert NAME in download["Content-Disposition"]
