"""The document pages: who sees what, uploads, downloads, deletion."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import client_for
from passend.common.scope import organisation_scope
from passend.documents import services
from passend.documents.models import Document, DocumentKind
from passend.documents.tests import corpus
from passend.documents.tests.conftest import files_in
from passend.privacy.audit.models import AuditEvent
from passend.privacy.consent.models import Consent


def as_(personas, key, org="a"):
    return client_for(personas[key], personas.organisations[org])


def page(profile):
    return reverse("documents:candidate", kwargs={"candidate_id": profile.pk})


def post_file(client, profile, name, data, kind=DocumentKind.CV, **extra):
    upload = SimpleUploadedFile(name, data, content_type="application/octet-stream")
    return client.post(page(profile), {"kind": kind, "file": upload, **extra})


def stored(
    profile, kind=DocumentKind.CV, name="cv.pdf", data=corpus.PDF_OK, by="bob", personas=None
):
    with organisation_scope(profile.organisation):
        return services.document_upload(
            candidate=profile, kind=kind, name=name, chunks=[data], by=personas.memberships[by]
        )


def test_it_sends_the_candidate_to_their_own_documents(personas, carla_profile):
    response = as_(personas, "carla").get(reverse("documents:mine"))

    assert response.status_code == 302
    assert response["Location"] == page(carla_profile)


def test_it_lets_the_candidate_upload_and_list_their_cv(personas, media, carla_profile):
    carla = as_(personas, "carla")

    response = post_file(carla, carla_profile, "Mijn CV.pdf", corpus.PDF_OK)

    assert response.status_code == 302
    listing = carla.get(page(carla_profile))
    assert listing.status_code == 200
    assert "Mijn CV.pdf" in listing.content.decode()
    assert len(files_in(media)) == 1


def test_it_lets_the_professional_see_and_upload_for_a_candidate(personas, media, carla_profile):
    bob = as_(personas, "bob")

    assert (
        post_file(
            bob, carla_profile, "id.pdf", corpus.PDF_OK, kind=DocumentKind.ID_COPY
        ).status_code
        == 302
    )

    body = bob.get(page(carla_profile)).content.decode()
    assert "id.pdf" in body
    assert "ID copy settings" in body


def test_it_hides_a_candidates_documents_from_others(
    personas, media, carla_profile, other_candidate
):
    stored(carla_profile, personas=personas)

    assert as_(personas, "carla").get(page(other_candidate)).status_code == 404
    assert as_(personas, "dave").get(page(carla_profile)).status_code == 404
    assert as_(personas, "charlie", "b").get(page(carla_profile)).status_code == 404


def test_it_downloads_as_an_audited_attachment_that_is_never_cached(personas, media, carla_profile):
    document = stored(
        carla_profile, kind=DocumentKind.ID_COPY, name='id "copy".pdf', personas=personas
    )

    response = as_(personas, "bob").get(reverse("documents:download", args=[document.pk]))

    assert response.status_code == 200
    assert response.content == corpus.PDF_OK
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    with organisation_scope(carla_profile.organisation):
        read = AuditEvent.objects.get(target_id=str(document.pk), action="read")
    assert read.actor_user_id == personas["bob"].pk
    assert read.fields == ["file"]


def test_it_never_shows_an_id_copy_to_an_employer(personas, media, carla_profile):
    document = stored(carla_profile, kind=DocumentKind.ID_COPY, name="id.pdf", personas=personas)
    url = reverse("documents:download", args=[document.pk])

    assert as_(personas, "dave").get(url).status_code == 404
    assert as_(personas, "charlie", "b").get(url).status_code == 404
    assert as_(personas, "carla").get(url).status_code == 200


def test_it_lets_the_candidate_delete_their_document(
    personas, media, carla_profile, django_capture_on_commit_callbacks
):
    document = stored(carla_profile, personas=personas, by="carla")

    with django_capture_on_commit_callbacks(execute=True):
        response = as_(personas, "carla").post(reverse("documents:delete", args=[document.pk]))

    assert response.status_code == 302
    assert files_in(media) == []


def test_it_keeps_the_id_copy_of_a_hired_worker_from_the_candidate(personas, media, carla_profile):
    document = stored(carla_profile, kind=DocumentKind.ID_COPY, name="id.pdf", personas=personas)
    bob = as_(personas, "bob")
    response = bob.post(
        reverse("documents:id_copy", args=[document.pk]),
        {"bsn_masked": "on", "hired_at": "2026-03-01", "employment_ended_at": ""},
    )
    assert response.status_code == 302

    refused = as_(personas, "carla").post(reverse("documents:delete", args=[document.pk]))

    assert refused.status_code == 403
    with organisation_scope(carla_profile.organisation):
        kept = Document.objects.get(pk=document.pk)
    assert kept.bsn_masked
    assert kept.delete_after is None


def test_it_lets_only_staff_change_id_copy_settings(personas, media, carla_profile):
    document = stored(carla_profile, kind=DocumentKind.ID_COPY, name="id.pdf", personas=personas)
    url = reverse("documents:id_copy", args=[document.pk])

    assert as_(personas, "carla").post(url, {"bsn_masked": "on"}).status_code == 403
    assert as_(personas, "charlie", "b").post(url, {"bsn_masked": "on"}).status_code == 404
    with organisation_scope(carla_profile.organisation):
        assert not Document.objects.get(pk=document.pk).bsn_masked


def test_it_uploads_a_passport_photo_with_consent_and_withdraws_it_on_delete(
    personas, media, carla_profile, django_capture_on_commit_callbacks
):
    carla = as_(personas, "carla")

    response = post_file(
        carla,
        carla_profile,
        "me.jpg",
        corpus.jpeg(),
        kind=DocumentKind.PASSPORT_PHOTO,
        consent="on",
    )
    assert response.status_code == 302
    with organisation_scope(carla_profile.organisation):
        document = Document.objects.get()
        assert Consent.objects.get().withdrawn_at is None

    with django_capture_on_commit_callbacks(execute=True):
        carla.post(reverse("documents:delete", args=[document.pk]))

    assert files_in(media) == []
    with organisation_scope(carla_profile.organisation):
        assert Consent.objects.get().withdrawn_at is not None


def test_it_does_not_offer_the_professional_a_passport_photo(personas, media, carla_profile):
    bob = as_(personas, "bob")

    response = post_file(
        bob, carla_profile, "me.jpg", corpus.jpeg(), kind=DocumentKind.PASSPORT_PHOTO, consent="on"
    )

    assert response.status_code == 400
    assert files_in(media) == []


def test_it_stops_reading_an_upload_beyond_the_largest_limit(
    personas, media, carla_profile, settings
):
    settings.PASSEND_DOCUMENT_MAX_BYTES = dict.fromkeys(DocumentKind.values, 2000)

    response = post_file(
        as_(personas, "carla"), carla_profile, "cv.pdf", corpus.PDF_OK + b"x" * 3000
    )

    assert response.status_code == 413
    assert "larger than" in response.content.decode()
    assert files_in(media) == []


# ------------------------------------------------------------- the hostile corpus

LIMIT = 4096

HOSTILE = [
    pytest.param("cv.docx", corpus.zip_bomb, DocumentKind.OTHER, 422, id="zip-bomb"),
    pytest.param("flood.png", corpus.pixel_flood, DocumentKind.PHOTO, 422, id="pixel-flood"),
    pytest.param(
        "photo.jpg", corpus.polyglot_appended, DocumentKind.PHOTO, 422, id="polyglot-jpeg-html"
    ),
    pytest.param(
        "photo.jpg", corpus.polyglot_comment, DocumentKind.PHOTO, 422, id="polyglot-comment"
    ),
    pytest.param("logo.svg", lambda: corpus.SVG, DocumentKind.PHOTO, 415, id="svg-script"),
    pytest.param("cv.pdf", lambda: corpus.PDF_JS, DocumentKind.CV, 422, id="pdf-javascript"),
    pytest.param(
        "cv.pdf", corpus.pdf_js_in_object_stream, DocumentKind.CV, 422, id="pdf-js-hidden"
    ),
    pytest.param("cv.docx", lambda: corpus.PDF_OK, DocumentKind.CV, 415, id="extension-mismatch"),
    pytest.param(
        "cv.pdf",
        lambda: corpus.PDF_OK + b"%" * (LIMIT + 1 - len(corpus.PDF_OK)),
        DocumentKind.CV,
        413,
        id="limit-plus-one",
    ),
    pytest.param("cv.pdf", lambda: b"", DocumentKind.CV, 400, id="zero-bytes"),
    pytest.param(
        "cv.docx", lambda: corpus.docx({"../../x.sh": b"x"}), DocumentKind.OTHER, 422, id="zip-slip"
    ),
    pytest.param("notes.docx", corpus.plain_zip, DocumentKind.OTHER, 415, id="plain-archive"),
]


@pytest.fixture
def small_limit(settings):
    settings.PASSEND_DOCUMENT_MAX_BYTES = {DocumentKind.CV: LIMIT}


@pytest.mark.parametrize(("name", "make", "kind", "status"), HOSTILE)
def test_it_refuses_the_hostile_corpus_on_the_page(
    personas, media, carla_profile, small_limit, name, make, kind, status
):
    response = post_file(as_(personas, "carla"), carla_profile, name, make(), kind=kind)

    assert response.status_code == status
    assert 'class="errorlist' in response.content.decode() or "error" in response.content.decode()
    assert files_in(media) == []
    with organisation_scope(carla_profile.organisation):
        assert not Document.objects.exists()


@pytest.mark.parametrize(
    "name", ["../../etc/cv.pdf", "..\\..\\cv.pdf", "cv\x07.pdf", "c\u202ev.pdf", "cv\x00.pdf"]
)
def test_it_never_uses_a_path_or_control_characters_from_the_name(
    personas, media, carla_profile, name
):
    # Django's multipart parser keeps only the printable last part of a name
    # before any code of ours sees it; the service refuses what remains
    # (test_services), and the stored name is made by the server either way.
    response = post_file(as_(personas, "carla"), carla_profile, name, corpus.PDF_OK)

    assert response.status_code in (302, 400, 415)
    with organisation_scope(carla_profile.organisation):
        for document in Document.objects.all():
            assert document.original_name == "cv.pdf"
            assert document.file.name.startswith(f"documents/{carla_profile.organisation_id}/")
    for path in files_in(media):
        assert "cv" not in path
        assert ".." not in path


def test_it_accepts_exactly_the_limit(personas, media, carla_profile, small_limit):
    data = corpus.PDF_OK + b"%" * (LIMIT - len(corpus.PDF_OK))

    response = post_file(as_(personas, "carla"), carla_profile, "cv.pdf", data)

    assert response.status_code == 302


def test_it_accepts_a_gps_photo_but_stores_it_without_gps(personas, media, carla_profile):
    from PIL import Image

    response = post_file(
        as_(personas, "carla"),
        carla_profile,
        "beach.jpg",
        corpus.jpeg(gps=True),
        kind=DocumentKind.PHOTO,
    )

    assert response.status_code == 302
    with organisation_scope(carla_profile.organisation):
        plain = Document.objects.get().file.read_decrypted()
    assert not Image.open(io.BytesIO(plain)).getexif().get_ifd(0x8825)


def test_it_caps_the_upload_while_it_is_received(
    personas, media, carla_profile, settings, monkeypatch
):
    from passend.documents import uploads

    settings.PASSEND_DOCUMENT_MAX_BYTES = dict.fromkeys(DocumentKind.values, 2000)
    seen: list[int] = []
    receive = uploads.CappedUploadHandler.receive_data_chunk

    def counting(self, raw_data, start):
        seen.append(start)
        return receive(self, raw_data, start)

    monkeypatch.setattr(uploads.CappedUploadHandler, "receive_data_chunk", counting)

    response = post_file(as_(personas, "carla"), carla_profile, "cv.pdf", b"%PDF-" + b"x" * 5000)

    assert response.status_code == 413
    assert seen
    assert files_in(media) == []


def share_with_dave(personas, profile):
    from passend.candidates.services import profile_share

    employer = personas.employers["Bakkerij De Korenaar"]
    with organisation_scope(profile.organisation):
        profile_share(
            profile=profile,
            employer=employer,
            by=personas.memberships["carla"],
            includes_documents=True,
        )
        return profile_share(profile=profile, employer=employer, by=personas.memberships["bob"])


def test_it_shows_an_employer_only_the_cv_diplomas_and_photos_of_a_shared_profile(
    personas, media, carla_profile
):
    cv = stored(carla_profile, personas=personas)
    id_copy = stored(carla_profile, kind=DocumentKind.ID_COPY, name="id.pdf", personas=personas)
    share_with_dave(personas, carla_profile)
    dave = as_(personas, "dave")

    listing = dave.get(page(carla_profile))

    assert listing.status_code == 200
    body = listing.content.decode()
    assert str(cv.pk) in body
    assert str(id_copy.pk) not in body
    assert "Upload a document" not in body
    assert dave.get(reverse("documents:download", args=[cv.pk])).status_code == 200
    assert dave.get(reverse("documents:download", args=[id_copy.pk])).status_code == 404
    assert dave.post(reverse("documents:delete", args=[cv.pk])).status_code == 403
    assert post_file(dave, carla_profile, "cv.pdf", corpus.PDF_OK).status_code == 403


def test_it_hides_the_documents_again_when_the_share_is_revoked(personas, media, carla_profile):
    from passend.candidates.services import profile_share_revoke

    cv = stored(carla_profile, personas=personas)
    share = share_with_dave(personas, carla_profile)
    with organisation_scope(carla_profile.organisation):
        profile_share_revoke(share=share, by=personas.memberships["carla"])

    assert as_(personas, "dave").get(reverse("documents:download", args=[cv.pk])).status_code == 404
