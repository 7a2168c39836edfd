"""Issue 11 (6, 9): deleting a document asks first; the upload form says what it accepts."""

from __future__ import annotations

import re

from django.urls import reverse

from passend.common.scope import organisation_scope
from passend.documents.models import Document, DocumentKind
from passend.documents.tests import corpus
from passend.documents.tests.test_views import as_, page, post_file, stored
from passend.privacy.consent.models import Consent


def exists(document: Document) -> bool:
    with organisation_scope(document.organisation):
        return Document.objects.filter(pk=document.pk).exists()


def test_it_asks_before_deleting_a_document_on_the_first_click(personas, media, carla_profile):
    document = stored(carla_profile, personas=personas)
    carla = as_(personas, "carla")

    # Without JavaScript the "Delete" button is a link to the question: a GET.
    listing = carla.get(page(carla_profile)).content.decode()
    delete = reverse("documents:delete", args=[document.pk])
    assert f'href="{delete}" data-confirm-dialog' in listing
    first_click = carla.get(delete)

    assert first_click.status_code == 200
    html = first_click.content.decode()
    assert "Delete the document “cv.pdf”?" in html
    assert f'<form method="post" action="{delete}">' in html
    assert f'href="{page(carla_profile)}"' in html  # Cancel goes back to the list
    assert exists(document)


def test_it_deletes_the_document_once_confirmed(personas, media, carla_profile):
    document = stored(carla_profile, personas=personas)
    carla = as_(personas, "carla")

    confirmed = carla.post(reverse("documents:delete", args=[document.pk]))

    assert confirmed.status_code == 302
    assert confirmed["Location"] == page(carla_profile)
    assert not exists(document)


def test_it_puts_the_same_question_in_a_dialog_on_the_list(personas, media, carla_profile):
    document = stored(carla_profile, personas=personas)

    listing = as_(personas, "carla").get(page(carla_profile)).content.decode()

    dialog = re.search(r'<dialog class="confirm-dialog"[^>]*>(.*?)</dialog>', listing, re.S)
    assert dialog is not None
    delete = reverse("documents:delete", args=[document.pk])
    assert f'<form method="post" action="{delete}">' in dialog.group(1)
    assert "Delete the document “cv.pdf”?" in dialog.group(1)
    assert "data-dialog-close autofocus>Cancel</button>" in dialog.group(1)


def test_it_shows_no_question_to_an_employer_who_may_not_see_it(personas, media, carla_profile):
    document = stored(carla_profile, personas=personas)

    refused = as_(personas, "dave").get(reverse("documents:delete", args=[document.pk]))

    assert refused.status_code == 404
    assert exists(document)


def test_it_says_which_files_a_kind_accepts_when_it_refuses_one(personas, media, carla_profile):
    response = post_file(
        as_(personas, "carla"), carla_profile, "photo.png", corpus.png(), kind=DocumentKind.CV
    )

    assert response.status_code == 415
    html = response.content.decode()
    assert (
        "This type of file is not accepted here. "
        "Accepted for “CV”: PDF, Word (.docx); at most 10 MB." in html
    )


def test_it_lists_what_each_kind_accepts_on_the_upload_form(personas, media, carla_profile):
    html = as_(personas, "carla").get(page(carla_profile)).content.decode()

    assert (
        '<dt>Passport photo</dt><dd data-kind-accepts="4">JPEG, PNG, WebP; at most 5 MB</dd>'
        in html
    )
    assert '<dt>Video</dt><dd data-kind-accepts="6">MP4 video; at most 100 MB</dd>' in html


def test_it_marks_the_consent_box_as_belonging_to_the_passport_photo(
    personas, media, carla_profile
):
    html = as_(personas, "carla").get(page(carla_profile)).content.decode()

    assert re.search(
        r'<input type="checkbox" name="consent"[^>]*data-show-for-kind="passport_photo"', html
    )


def test_it_ignores_the_consent_box_for_another_kind(personas, media, carla_profile):
    response = post_file(
        as_(personas, "carla"), carla_profile, "cv.pdf", corpus.PDF_OK, consent="on"
    )

    assert response.status_code == 302
    with organisation_scope(carla_profile.organisation):
        assert Document.objects.get(candidate=carla_profile).kind == DocumentKind.CV
    with organisation_scope(carla_profile.organisation):
        assert not Consent.objects.exists()
