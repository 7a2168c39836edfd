"""/api/v1/documents/: the same rules as the pages, as problem documents."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from passend.api.tests.helpers import bearer, make_token, problem
from passend.common.scope import organisation_scope
from passend.documents import services
from passend.documents.models import Document, DocumentKind
from passend.documents.tests import corpus
from passend.documents.tests.conftest import files_in
from passend.documents.tests.test_views import HOSTILE, LIMIT
from passend.privacy.consent.models import Consent

BASE = "/api/v1/documents/"


def token(personas, key, org="a"):
    return bearer(make_token(personas[key], personas.organisations[org]))


def api_upload(auth, name, data, kind=DocumentKind.CV, **fields):
    body = {"kind": kind, "file": SimpleUploadedFile(name, data), **fields}
    return Client().post(BASE, body, **auth)


def stored(personas, profile, kind=DocumentKind.CV, by="bob"):
    with organisation_scope(profile.organisation):
        return services.document_upload(
            candidate=profile,
            kind=kind,
            name="cv.pdf",
            chunks=[corpus.PDF_OK],
            by=personas.memberships[by],
        )


def test_it_lets_a_candidate_upload_and_list_their_own(personas, media, carla_profile):
    auth = token(personas, "carla")

    created = api_upload(auth, "cv.pdf", corpus.PDF_OK)

    assert created.status_code == 201, created.content
    assert created.json()["kind"] == "cv"
    listed = Client().get(BASE, **auth)
    assert [d["original_name"] for d in listed.json()] == ["cv.pdf"]


def test_it_lets_a_professional_work_on_a_candidate(personas, media, carla_profile):
    auth = token(personas, "bob")

    created = api_upload(
        auth, "id.pdf", corpus.PDF_OK, kind=DocumentKind.ID_COPY, candidate_id=str(carla_profile.pk)
    )
    assert created.status_code == 201
    listed = Client().get(BASE, {"candidate_id": str(carla_profile.pk)}, **auth)
    assert listed.json()[0]["delete_after"] is not None


def test_it_downloads_as_an_uncached_attachment(personas, media, carla_profile):
    document = stored(personas, carla_profile)

    response = Client().get(f"{BASE}{document.pk}/download", **token(personas, "carla"))

    assert response.status_code == 200
    assert response.content == corpus.PDF_OK
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(("key", "org"), [("dave", "a"), ("charlie", "b")])
def test_it_answers_404_to_employers_and_other_organisations(
    personas, media, carla_profile, key, org
):
    document = stored(personas, carla_profile, kind=DocumentKind.ID_COPY)
    auth = token(personas, key, org)

    for response in (
        Client().get(f"{BASE}{document.pk}", **auth),
        Client().get(f"{BASE}{document.pk}/download", **auth),
        Client().delete(f"{BASE}{document.pk}", **auth),
        Client().get(BASE, {"candidate_id": str(carla_profile.pk)}, **auth),
    ):
        assert response.status_code == 404
        problem(response)
    with organisation_scope(carla_profile.organisation):
        assert Document.objects.filter(pk=document.pk).exists()


def test_it_deletes_a_passport_photo_and_withdraws_consent(
    personas, media, carla_profile, django_capture_on_commit_callbacks
):
    auth = token(personas, "carla")
    created = api_upload(
        auth, "me.png", corpus.png(), kind=DocumentKind.PASSPORT_PHOTO, consent="true"
    )
    assert created.status_code == 201

    with django_capture_on_commit_callbacks(execute=True):
        deleted = Client().delete(f"{BASE}{created.json()['id']}", **auth)

    assert deleted.status_code == 204
    assert files_in(media) == []
    with organisation_scope(carla_profile.organisation):
        assert Consent.objects.get().withdrawn_at is not None


def test_it_refuses_a_passport_photo_without_consent(personas, media, carla_profile):
    response = api_upload(
        token(personas, "carla"), "me.png", corpus.png(), kind=DocumentKind.PASSPORT_PHOTO
    )

    assert response.status_code == 400
    assert (
        "consent" in problem(response)["detail"].lower() or "agree" in problem(response)["detail"]
    )


@pytest.mark.parametrize(("name", "make", "kind", "status"), HOSTILE)
def test_it_refuses_the_hostile_corpus_in_the_api(
    personas, media, carla_profile, settings, name, make, kind, status
):
    settings.PASSEND_DOCUMENT_MAX_BYTES = {DocumentKind.CV: LIMIT}

    response = api_upload(token(personas, "carla"), name, make(), kind=kind)

    assert response.status_code == status
    assert problem(response)["detail"]
    assert files_in(media) == []
    with organisation_scope(carla_profile.organisation):
        assert not Document.objects.exists()


def test_it_answers_413_when_the_upload_handler_stops_a_large_file(
    personas, media, carla_profile, settings
):
    settings.FILE_UPLOAD_HANDLERS = [
        "passend.documents.uploads.CappedUploadHandler",
        "django.core.files.uploadhandler.MemoryFileUploadHandler",
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ]
    settings.PASSEND_DOCUMENT_MAX_BYTES = dict.fromkeys(DocumentKind.values, 2000)

    response = api_upload(token(personas, "carla"), "cv.pdf", b"%PDF-" + b"x" * 5000)

    assert response.status_code == 413
    assert problem(response)["detail"]
    assert files_in(media) == []


def test_it_asks_for_a_file(personas, media, carla_profile):
    response = Client().post(BASE, {"kind": "cv"}, **token(personas, "carla"))

    assert response.status_code == 400
    problem(response)
