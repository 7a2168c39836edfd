"""Applying on the public job page without an account (issue 13, part 2): the
form with its upload checks, consent, honeypot and rate limit; confirmation by
e-mail; claiming an account by invitation; expiry."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from passend.common.scope import organisation_scope
from passend.documents.models import Document, DocumentKind
from passend.tenancy.models import Invitation, Membership, Role
from passend.tenancy.services import invitation_create
from passend.vacancies import public_apply, services
from passend.vacancies.models import Application, PublicApplication, Source, Vacancy
from passend.vacancies.tasks import purge_expired_public_applications
from passend.vacancies.tests.conftest import make_vacancy
from passend.web.tests.html import main_part, unlabelled_controls

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"
NOT_A_CV = b"MZ\x90\x00 this is a program, not a CV" * 4
CONFIRM_LINK = re.compile(r"https?://[^/\s]+(/jobs/confirm/[\w-]+/)")
INVITATION_LINK = re.compile(r"https?://[^/\s]+(/organisations/join/[\w-]+/)")


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def publishing(personas: Any) -> Any:
    organisation = personas.organisations["a"]
    organisation.publishes_vacancies = True
    organisation.save(update_fields=["publishes_vacancies"])
    return organisation


@pytest.fixture
def open_vacancy(personas: Any, publishing: Any, published_statement: Any, media: Path) -> Vacancy:
    vacancy = make_vacancy(personas, title="Broodbakker")
    with organisation_scope(publishing):
        return services.vacancy_publish(vacancy=vacancy, by=None)


def form_url(vacancy: Vacancy) -> str:
    return f"/jobs/{vacancy.organisation.slug}/{vacancy.pk}/apply/"


def answers(**overrides: Any) -> dict[str, Any]:
    data = {
        "name": "Fatima El Amrani",
        "email": "fatima@example.org",
        "cv": SimpleUploadedFile("cv.pdf", PDF, content_type="application/pdf"),
        "motivation": "Ik sta graag vroeg op.",
        "consent": "on",
        "website": "",
    }
    data.update(overrides)
    return data


def waiting(personas: Any) -> list[PublicApplication]:
    with organisation_scope(personas.organisations["a"]):
        return list(PublicApplication.objects.all())


def files_in(media: Path) -> list[Path]:
    return [path for path in media.rglob("*") if path.is_file()]


@pytest.fixture
def send(client: Client, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]) -> Any:
    """Post the form (mails go out as on a commit); the confirmation link, if one was mailed."""

    def post(vacancy: Vacancy, client: Client = client, **overrides: Any) -> Any:
        before = len(mailoutbox)
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(form_url(vacancy), answers(**overrides))
        response.link = None
        if len(mailoutbox) > before:
            found = CONFIRM_LINK.search(mailoutbox[-1].body)
            response.link = found.group(1) if found else None
        return response

    return post


@pytest.fixture
def confirm(django_capture_on_commit_callbacks: Any) -> Any:
    def post(link: str, client: Client | None = None) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return (client or Client()).post(link)

    return post


# --- the good path --------------------------------------------------------------


def test_it_makes_an_application_from_the_public_page_once_the_address_is_confirmed(
    personas: Any, open_vacancy: Vacancy, send: Any, confirm: Any, media: Path,
    mailoutbox: list[Any], as_persona: Any,
) -> None:  # fmt: skip
    detail = Client().get(f"/jobs/{open_vacancy.organisation.slug}/{open_vacancy.pk}/")
    assert form_url(open_vacancy) in detail.content.decode()
    page = Client().get(form_url(open_vacancy))
    html = main_part(page.content.decode())
    assert page.status_code == 200
    assert "I have read the privacy statement (version 1.0)" in html
    assert 'href="/privacy/versions/1.0/"' in html
    # The honeypot: out of sight, out of the keyboard's way.
    assert '<div class="visually-hidden" aria-hidden="true"><div class="field">' in html
    assert 'name="website" tabindex="-1" autocomplete="off"' in html
    assert unlabelled_controls(html) == []

    sent = send(open_vacancy)

    assert sent.status_code == 302
    assert sent["Location"] == form_url(open_vacancy) + "sent/"
    assert "Check your e-mail" in Client().get(sent["Location"]).content.decode()
    [mail] = mailoutbox
    assert mail.to == ["fatima@example.org"]
    assert "Broodbakker" in mail.subject
    [row] = waiting(personas)
    assert (row.name, row.statement_version, row.language) == ("Fatima El Amrani", "1.0", "en")
    assert PDF not in Path(row.file.path).read_bytes()  # encrypted at rest
    with organisation_scope(open_vacancy.organisation):
        assert not Application.objects.exists()

    # A mail scanner follows the link: nothing happens on a GET.
    shown = Client().get(sent.link)
    assert shown.status_code == 200
    assert "Confirm my application" in shown.content.decode()
    assert len(waiting(personas)) == 1

    client = Client()
    done = confirm(sent.link, client)

    assert done.status_code == 302
    assert done["Location"] == "/jobs/confirm/done/"
    page = client.get(done["Location"]).content.decode()
    assert "Your application is in" in page
    assert "Send me an invitation to follow my application in Passend" in page
    assert waiting(personas) == []
    assert not Path(row.file.path).exists()  # the waiting CV went with its row
    user = get_user_model().objects.get(email="fatima@example.org")
    assert not user.has_usable_password()
    with organisation_scope(open_vacancy.organisation):
        membership = Membership.objects.get(user=user)
        assert (membership.role, membership.is_active) == (Role.CANDIDATE, False)
        application = Application.objects.get(vacancy=open_vacancy)
        assert application.source == Source.PUBLIC
        assert application.statement_version == "1.0"
        assert application.motivation == "Ik sta graag vroeg op."
        assert application.candidate.membership == membership
        [attached] = [a.document for a in application.attachments.all()]
        assert attached.kind == DocumentKind.CV
        assert attached.original_name == "cv.pdf"
        assert attached.file.read_decrypted() == PDF
    pipeline = as_persona("bob", "a").get(f"/vacancies/{open_vacancy.pk}/applications/")
    assert "Fatima El Amrani" in pipeline.content.decode()


def test_it_mails_the_link_in_the_language_of_the_page(
    personas: Any, open_vacancy: Vacancy, send: Any
) -> None:
    client = Client()
    client.cookies[django_settings.LANGUAGE_COOKIE_NAME] = "nl"

    send(open_vacancy, client=client)

    [row] = waiting(personas)
    assert row.language == "nl"


# --- the form's refusals ----------------------------------------------------------


def test_a_file_that_is_no_pdf_or_word_document_is_refused_whatever_its_name(
    personas: Any, open_vacancy: Vacancy, send: Any, media: Path, mailoutbox: list[Any]
) -> None:
    fake = SimpleUploadedFile("cv.pdf", NOT_A_CV, content_type="application/pdf")

    response = send(open_vacancy, cv=fake)

    body = response.content.decode()
    assert response.status_code == 415
    assert "This type of file is not accepted here." in body
    assert "PDF, Word (.docx)" in body
    # What was typed stays; the file must be chosen again, and the page says so.
    assert 'value="Fatima El Amrani"' in body
    assert "Ik sta graag vroeg op." in body
    assert "Choose your CV again" in body
    assert waiting(personas) == []
    assert files_in(media) == []
    assert mailoutbox == []


def test_a_file_larger_than_a_cv_may_be_is_stopped_as_it_comes_in(
    personas: Any, open_vacancy: Vacancy, send: Any, settings: Any
) -> None:
    settings.PASSEND_DOCUMENT_MAX_BYTES = {DocumentKind.CV: 20}

    response = send(open_vacancy)

    assert response.status_code == 413
    assert "larger than" in response.content.decode()
    assert waiting(personas) == []


def test_it_asks_for_the_tick_that_the_privacy_statement_was_read(
    personas: Any, open_vacancy: Vacancy, send: Any, mailoutbox: list[Any]
) -> None:
    response = send(open_vacancy, consent="")

    body = response.content.decode()
    assert response.status_code == 400
    assert "Tick that you have read the privacy statement to apply." in body
    assert 'href="#id_consent"' in body  # the error summary links to the box
    assert 'aria-describedby="id_consent_helptext id_consent_error"' in body
    assert waiting(personas) == []
    assert mailoutbox == []


def test_it_takes_no_application_while_no_privacy_statement_is_published(
    personas: Any, publishing: Any, media: Path, send: Any
) -> None:
    vacancy = make_vacancy(personas)
    with organisation_scope(publishing):
        vacancy = services.vacancy_publish(vacancy=vacancy, by=None)

    response = send(vacancy)

    assert response.status_code == 400
    assert "no privacy statement has been published" in response.content.decode()
    assert waiting(personas) == []


def test_a_filled_honeypot_stores_nothing(
    personas: Any, open_vacancy: Vacancy, send: Any, media: Path, mailoutbox: list[Any]
) -> None:
    response = send(open_vacancy, website="http://spam.example")

    assert response.status_code == 302  # answered like a success
    assert response["Location"] == form_url(open_vacancy) + "sent/"
    assert waiting(personas) == []
    assert files_in(media) == []
    assert mailoutbox == []


def test_it_limits_how_often_one_client_applies(
    personas: Any, open_vacancy: Vacancy, send: Any, settings: Any, mailoutbox: list[Any]
) -> None:
    settings.PUBLIC_APPLICATION_RATE_LIMIT = "2/h"
    client = Client()

    statuses = [
        send(open_vacancy, client=client, email=f"p{i}@example.org").status_code for i in range(3)
    ]

    assert statuses == [302, 302, 429]
    limited = send(open_vacancy, client=client, email="p9@example.org")
    assert "Too many applications were sent from here" in limited.content.decode()
    assert 'value="Fatima El Amrani"' in limited.content.decode()
    assert len(waiting(personas)) == 2
    assert len(mailoutbox) == 2


def test_it_limits_how_often_one_address_is_used_from_different_clients(
    personas: Any, open_vacancy: Vacancy, send: Any, settings: Any
) -> None:
    settings.PUBLIC_APPLICATION_RATE_LIMIT = "2/h"

    statuses = [
        send(open_vacancy, client=Client(REMOTE_ADDR=f"10.0.0.{i}")).status_code for i in range(3)
    ]

    assert statuses == [302, 302, 429]
    assert len(waiting(personas)) == 2


def test_a_closed_vacancy_or_an_organisation_that_does_not_publish_has_no_form(
    personas: Any, open_vacancy: Vacancy, send: Any
) -> None:
    draft = make_vacancy(personas, title="Concept")
    organisation = open_vacancy.organisation

    assert Client().get(form_url(draft)).status_code == 404
    organisation.publishes_vacancies = False
    organisation.save(update_fields=["publishes_vacancies"])
    assert Client().get(form_url(open_vacancy)).status_code == 404
    assert send(open_vacancy).status_code == 404
    organisation.publishes_vacancies = True
    organisation.save(update_fields=["publishes_vacancies"])
    with organisation_scope(organisation):
        services.vacancy_close(vacancy=open_vacancy, reason="filled", by=None)
    assert Client().get(form_url(open_vacancy)).status_code == 404
    assert send(open_vacancy).status_code == 404
    assert waiting(personas) == []


def test_the_service_refuses_a_vacancy_that_closed_meanwhile_and_keeps_no_file(
    personas: Any, open_vacancy: Vacancy, media: Path
) -> None:
    with organisation_scope(open_vacancy.organisation):
        services.vacancy_close(vacancy=open_vacancy, reason="filled", by=None)

    with pytest.raises(ValidationError, match="takes no applications"):
        public_apply.public_application_submit(
            vacancy=open_vacancy, name="Fatima", email="fatima@example.org", motivation="",
            file_name="cv.pdf", chunks=[PDF], statement_version="1.0", language="en",
        )  # fmt: skip

    assert waiting(personas) == []
    assert files_in(media) == []


# --- confirming ------------------------------------------------------------------


def test_a_vacancy_that_closed_before_the_confirmation_takes_nothing(
    personas: Any, open_vacancy: Vacancy, send: Any, confirm: Any, media: Path
) -> None:
    link = send(open_vacancy).link
    with organisation_scope(open_vacancy.organisation):
        services.vacancy_close(vacancy=open_vacancy, reason="filled", by=None)

    response = confirm(link)

    assert response.status_code == 409
    assert "takes no applications" in response.content.decode()
    assert waiting(personas) == []
    assert not get_user_model().objects.filter(email="fatima@example.org").exists()
    assert files_in(media) == []


def test_an_expired_link_is_gone_and_the_daily_job_deletes_what_waited(
    personas: Any, open_vacancy: Vacancy, send: Any, confirm: Any, media: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    link = send(open_vacancy).link
    [row] = waiting(personas)
    with organisation_scope(open_vacancy.organisation):
        PublicApplication.objects.filter(pk=row.pk).update(
            expires_at=timezone.now() - timedelta(minutes=1)
        )

    shown = Client().get(link)
    posted = confirm(link)

    assert shown.status_code == 410
    assert "This link has expired" in shown.content.decode()
    assert posted.status_code == 410
    assert len(waiting(personas)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert purge_expired_public_applications.delay().get() == 1
    assert waiting(personas) == []
    assert files_in(media) == []
    with organisation_scope(open_vacancy.organisation):
        assert not Application.objects.exists()


def test_the_daily_job_keeps_what_has_not_expired_yet(
    personas: Any, open_vacancy: Vacancy, send: Any
) -> None:
    send(open_vacancy)
    [row] = waiting(personas)

    assert row.expires_at > timezone.now() + timedelta(days=6, hours=23)
    assert public_apply.public_applications_purge_expired() == 0
    later = row.expires_at + timedelta(seconds=1)
    assert public_apply.public_applications_purge_expired(now=later) == 1
    entry = django_settings.CELERY_BEAT_SCHEDULE["purge-expired-public-applications"]
    assert entry["task"] == "passend.vacancies.tasks.purge_expired_public_applications"


def test_a_link_confirms_once(
    personas: Any, open_vacancy: Vacancy, send: Any, confirm: Any
) -> None:
    link = send(open_vacancy).link
    confirm(link)

    again = confirm(link)

    assert again.status_code == 410
    assert "It may have been used already" in again.content.decode()
    assert Client().get(link).status_code == 410
    assert Client().get("/jobs/confirm/not-a-link/").status_code == 410
    with organisation_scope(open_vacancy.organisation):
        assert Application.objects.count() == 1


def test_applying_twice_with_the_same_address_keeps_the_first_application(
    personas: Any, open_vacancy: Vacancy, send: Any, confirm: Any
) -> None:
    confirm(send(open_vacancy).link)
    second = send(open_vacancy, motivation="Nog een keer").link

    response = confirm(second)

    assert response.status_code == 409
    assert "You applied to this vacancy already" in response.content.decode()
    assert waiting(personas) == []
    with organisation_scope(open_vacancy.organisation):
        [application] = Application.objects.all()
        assert application.motivation == "Ik sta graag vroeg op."
        assert Document.objects.count() == 1
    assert get_user_model().objects.filter(email="fatima@example.org").count() == 1


def test_someone_working_in_the_organisation_is_asked_to_apply_from_inside_passend(
    personas: Any, open_vacancy: Vacancy, send: Any, confirm: Any
) -> None:
    link = send(open_vacancy, email=personas["bob"].email.upper()).link

    response = confirm(link)

    assert response.status_code == 409
    body = response.content.decode()
    assert "not as a candidate" in body
    assert "Sign in and apply from inside Passend" in body
    assert waiting(personas) == []
    with organisation_scope(open_vacancy.organisation):
        assert not Application.objects.exists()
        assert Membership.objects.get(user=personas["bob"]).role == Role.PROFESSIONAL


def test_a_candidate_of_the_organisation_gets_the_application_on_her_own_profile(
    personas: Any, open_vacancy: Vacancy, send: Any, confirm: Any
) -> None:
    client = Client()
    confirm(send(open_vacancy, email=personas["carla"].email).link, client)

    page = client.get("/jobs/confirm/done/").content.decode()
    assert "Log in to Passend" in page
    assert "Send me an invitation" not in page
    with organisation_scope(open_vacancy.organisation):
        application = Application.objects.get()
        assert application.candidate.membership == personas.memberships["carla"]
    assert personas["carla"].has_usable_password()


def test_a_scanner_that_is_away_leaves_the_link_working(
    personas: Any, open_vacancy: Vacancy, send: Any, confirm: Any, settings: Any, tmp_path: Path
) -> None:
    link = send(open_vacancy).link
    settings.PASSEND_CLAMD_SOCKET = str(tmp_path / "no-clamd.ctl")

    response = confirm(link)

    assert response.status_code == 503
    assert "try again later" in response.content.decode()
    assert len(waiting(personas)) == 1
    settings.PASSEND_CLAMD_SOCKET = ""
    assert confirm(link).status_code == 302


def test_the_confirmed_page_needs_a_confirmation_in_this_session(db: Any) -> None:
    assert Client().get("/jobs/confirm/done/")["Location"] == "/jobs/"
    assert Client().post("/jobs/confirm/done/invitation/")["Location"] == "/jobs/"


# --- claiming an account ------------------------------------------------------------


def test_the_invitation_lets_the_applicant_choose_a_password_and_follow_the_application(
    personas: Any, open_vacancy: Vacancy, send: Any, confirm: Any, mailoutbox: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:  # fmt: skip
    client = Client()
    confirm(send(open_vacancy).link, client)

    with django_capture_on_commit_callbacks(execute=True):
        asked = client.post("/jobs/confirm/done/invitation/")

    assert asked["Location"] == "/jobs/confirm/done/"
    page = client.get("/jobs/confirm/done/").content.decode()
    assert "We sent you an invitation by e-mail" in page
    assert "Send me an invitation" not in page
    invitation_mail = mailoutbox[-1]
    assert invitation_mail.to == ["fatima@example.org"]
    link = INVITATION_LINK.search(invitation_mail.body).group(1)

    visitor = Client()
    choose = visitor.get(link)
    assert choose.status_code == 200
    assert unlabelled_controls(main_part(choose.content.decode())) == []
    mismatch = visitor.post(link, {"new_password1": "Brood-bakken-42", "new_password2": "x"})
    assert mismatch.status_code == 400
    joined = visitor.post(
        link, {"new_password1": "Brood-bakken-42", "new_password2": "Brood-bakken-42"}
    )

    assert joined.status_code == 302
    assert joined["Location"] == "/"
    user = get_user_model().objects.get(email="fatima@example.org")
    assert user.has_usable_password()
    assert user.check_password("Brood-bakken-42")
    assert visitor.session["_auth_user_id"] == str(user.pk)
    with organisation_scope(open_vacancy.organisation):
        assert Membership.objects.get(user=user).is_active
        assert Invitation.objects.get(email="fatima@example.org").accepted_at is not None
    home = visitor.get("/")
    assert home.status_code == 200
    # The link worked once: it cannot set the password again.
    assert Client().get(link).status_code == 410


def test_asking_for_invitations_is_limited(
    personas: Any, open_vacancy: Vacancy, send: Any, confirm: Any, settings: Any
) -> None:
    settings.PUBLIC_APPLICATION_RATE_LIMIT = "1/h"
    client = Client()
    confirm(send(open_vacancy).link, client)

    first = client.post("/jobs/confirm/done/invitation/")
    second = client.post("/jobs/confirm/done/invitation/")

    assert first.status_code == 302
    assert second.status_code == 429
    assert "Too many invitations were asked for" in second.content.decode()


def test_someone_who_can_log_in_already_is_not_sent_an_invitation(
    personas: Any, open_vacancy: Vacancy, send: Any, confirm: Any
) -> None:
    client = Client()
    confirm(send(open_vacancy, email=personas["carla"].email).link, client)

    response = client.post("/jobs/confirm/done/invitation/")

    assert response["Location"] == "/jobs/confirm/done/"
    with organisation_scope(open_vacancy.organisation):
        assert not Invitation.objects.filter(email=personas["carla"].email).exists()


def test_an_invited_person_with_a_password_goes_the_usual_way_to_log_in(
    personas: Any, org_a: Any, django_capture_on_commit_callbacks: Any, mailoutbox: list[Any]
) -> None:
    get_user_model().objects.create_user("gert@example.org", "Een-goed-wachtwoord")
    with organisation_scope(org_a), django_capture_on_commit_callbacks(execute=True):
        invitation_create(invited_by=None, email="gert@example.org", role=Role.CANDIDATE)
    link = INVITATION_LINK.search(mailoutbox[-1].body).group(1)

    response = Client().get(link)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- nothing half-saved ------------------------------------------------------------


def test_a_failure_while_storing_leaves_no_file_and_no_row(
    personas: Any, open_vacancy: Vacancy, media: Path, monkeypatch: Any
) -> None:
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("the audit trail is unavailable")

    monkeypatch.setattr(public_apply, "record", broken)

    with pytest.raises(RuntimeError):
        public_apply.public_application_submit(
            vacancy=open_vacancy, name="Fatima", email="fatima@example.org", motivation="",
            file_name="cv.pdf", chunks=[PDF], statement_version="1.0", language="en",
        )  # fmt: skip

    assert waiting(personas) == []
    assert files_in(media) == []


def test_a_refusal_after_the_cv_was_stored_removes_it_again(
    personas: Any, open_vacancy: Vacancy, send: Any, confirm: Any, media: Path, monkeypatch: Any
) -> None:
    link = send(open_vacancy).link

    def closed_meanwhile(**kwargs: Any) -> None:
        raise ValidationError("This vacancy takes no applications: it is not open.", "not_open")

    monkeypatch.setattr(public_apply, "application_create", closed_meanwhile)
    response = confirm(link)

    assert response.status_code == 409
    assert "it is not open" in response.content.decode()
    assert waiting(personas) == []
    assert files_in(media) == []  # neither the waiting CV nor the document's copy
    assert not get_user_model().objects.filter(email="fatima@example.org").exists()
    with organisation_scope(open_vacancy.organisation):
        assert not Document.objects.exists()


def test_the_form_shows_a_refusal_of_the_service(
    personas: Any, open_vacancy: Vacancy, send: Any, monkeypatch: Any
) -> None:
    def refused(**kwargs: Any) -> None:
        raise ValidationError(public_apply.NOT_OPEN, code="not_open")

    monkeypatch.setattr(public_apply, "public_application_submit", refused)
    response = send(open_vacancy)

    assert response.status_code == 400
    assert "This vacancy takes no applications any more" in response.content.decode()


def test_the_confirmed_page_forgets_what_is_gone(
    personas: Any, open_vacancy: Vacancy, send: Any, confirm: Any
) -> None:
    client = Client()
    confirm(send(open_vacancy).link, client)
    kept = client.session["passend_public_application"]

    for gone in ("application_id", "membership_id", "organisation_id"):
        session = client.session
        session["passend_public_application"] = {
            **kept,
            gone: "00000000-0000-0000-0000-000000000000",
        }
        session.save()
        assert client.get("/jobs/confirm/done/")["Location"] == "/jobs/", gone


def test_a_refused_invitation_is_said_on_the_page(
    personas: Any, open_vacancy: Vacancy, send: Any, confirm: Any, monkeypatch: Any
) -> None:
    client = Client()
    confirm(send(open_vacancy).link, client)

    def refused(**kwargs: Any) -> None:
        raise ValidationError({"email": "This person is already a member of the organisation."})

    monkeypatch.setattr(public_apply, "public_application_claim", refused)
    response = client.post("/jobs/confirm/done/invitation/", follow=True)

    assert "already a member of the organisation" in response.content.decode()
