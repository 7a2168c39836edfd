"""The CV import pages: upload, review, confirm part by part, and the bad inputs."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from passend.candidates import services as candidate_services
from passend.candidates.models import CandidateSkill, Education, WorkExperience
from passend.common.scope import organisation_scope
from passend.cvimport.models import CvImport, ImportStatus, LanguageSkill
from passend.cvimport.services import cv_imports_purge_expired
from passend.cvimport.tests import cv_fixtures
from passend.privacy.audit.models import AuditEvent
from passend.taxonomy.models import Occupation, Skill

pytestmark = pytest.mark.django_db

CV_TEXT = [
    ("h1", "Sanne de Jong"),
    ("", "Kerkstraat 12, 3512 AB Utrecht"),
    ("", "06-12345678"),
    ("", "sanne@example.org"),
    ("h2", "Werkervaring"),
    ("", "2019 - heden"),
    ("", "Magazijnmedewerker"),
    ("", "PostNL, Utrecht"),
    ("", "• Orders verzamelen en klaarzetten voor verzending."),
    ("", ""),
    ("", "jan 2015 \u2013 mrt 2019  Verkoopmedewerker bij Albert Heijn"),
    ("h2", "Opleiding"),
    ("", "2011 - 2014"),
    ("", "Logistiek medewerker (MBO niveau 2)"),
    ("", "ROC Midden Nederland"),
    ("h2", "Vaardigheden"),
    ("", "Python, heftruck rijden"),
    ("h2", "Talen"),
    ("", "Nederlands - moedertaal"),
    ("", "Engels - goed"),
]


@pytest.fixture
def carla_profile(personas, org_a):
    with organisation_scope(org_a):
        return candidate_services.candidate_profile_ensure(membership=personas.memberships["carla"])


@pytest.fixture
def esco(db):
    Occupation.objects.create(
        uri="http://data.europa.eu/esco/occupation/warehouse",
        pref_en="warehouse worker",
        pref_nl="magazijnmedewerker",
    )
    return Skill.objects.create(
        uri="http://data.europa.eu/esco/skill/python", pref_en="Python", pref_nl="Python"
    )


def _upload(client, profile, data, name="cv.pdf"):
    url = reverse("cvimport:upload", kwargs={"candidate_id": profile.pk})
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def _import(org):
    with organisation_scope(org):
        return CvImport.objects.get()


def test_a_candidate_uploads_a_cv_and_sees_the_proposal_but_nothing_is_saved_yet(
    as_persona, carla_profile, org_a, esco
):
    client = as_persona("carla", "a")
    response = _upload(client, carla_profile, cv_fixtures.pdf_from_lines(CV_TEXT))
    cv_import = _import(org_a)
    assert response.status_code == 302
    assert response["Location"] == reverse("cvimport:review", kwargs={"import_id": cv_import.pk})
    page = client.get(response["Location"]).content.decode()
    assert "Magazijnmedewerker" in page
    assert "PostNL" in page
    assert "ROC Midden Nederland" in page
    with organisation_scope(org_a):
        assert not WorkExperience.objects.filter(profile=carla_profile).exists()
        assert not Education.objects.filter(profile=carla_profile).exists()
    # The proposal is stored encrypted; the file is not kept at all.
    with connection.cursor() as cursor:
        cursor.execute("SELECT proposal FROM cvimport_cvimport")
        [(stored,)] = cursor.fetchall()
    assert "PostNL" not in stored
    assert cv_import.data["work"][0]["employer"] == "PostNL"


def _work_post(cv_import, *, accept_second=True):
    data = {}
    for index, item in enumerate(cv_import.data["work"]):
        prefix = f"work-{index}"
        start = item["start"] if "-" in item["start"] else f"{item['start']}-01"
        data.update(
            {
                f"{prefix}-role": item["role"],
                f"{prefix}-employer_name": item["employer"],
                f"{prefix}-started_on": f"{start}-01" if start.count("-") == 1 else start,
                f"{prefix}-description": item["description"],
            }
        )
        if index == 0 or accept_second:
            data[f"{prefix}-accept"] = "on"
    return data


def test_an_advisor_confirms_the_work_history_once_and_a_second_time_adds_nothing(
    as_persona, carla_profile, org_a, esco
):
    client = as_persona("bob", "a")
    _upload(client, carla_profile, cv_fixtures.pdf_from_lines(CV_TEXT))
    cv_import = _import(org_a)
    url = reverse("cvimport:confirm", kwargs={"import_id": cv_import.pk, "part": "work"})
    data = _work_post(cv_import, accept_second=False)
    data["work-0-role"] = "Magazijnmedewerker logistiek"  # edited before confirming
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302
    with organisation_scope(org_a):
        [entry] = WorkExperience.objects.filter(profile=carla_profile)
        assert (entry.role, entry.employer_name) == ("Magazijnmedewerker logistiek", "PostNL")
        assert entry.ended_on is None
        assert AuditEvent.objects.filter(target_id=str(entry.pk)).exists()


def test_an_accepted_item_without_a_start_date_comes_back_with_a_message(
    as_persona, carla_profile, org_a, esco
):
    client = as_persona("carla", "a")
    _upload(client, carla_profile, cv_fixtures.pdf_from_lines(CV_TEXT))
    cv_import = _import(org_a)
    data = _work_post(cv_import)
    data["work-1-started_on"] = ""
    url = reverse("cvimport:confirm", kwargs={"import_id": cv_import.pk, "part": "work"})
    response = client.post(url, data)
    assert response.status_code == 400
    assert "untick" in response.content.decode()
    with organisation_scope(org_a):
        assert not WorkExperience.objects.filter(profile=carla_profile).exists()


def test_education_skills_languages_and_contact_are_confirmed_each_on_their_own(
    as_persona, carla_profile, org_a, esco
):
    client = as_persona("carla", "a")
    _upload(client, carla_profile, cv_fixtures.docx_from_lines(CV_TEXT, table=False), "cv.docx")
    cv_import = _import(org_a)

    def confirm(part, data):
        url = reverse("cvimport:confirm", kwargs={"import_id": cv_import.pk, "part": part})
        return client.post(url, data)

    [education] = cv_import.data["education"]
    assert (
        confirm(
            "education",
            {
                "education-0-accept": "on",
                "education-0-programme": education["programme"],
                "education-0-institution": education["institution"],
                "education-0-level": education["level"],
                "education-0-started_on": "2011-01-01",
                "education-0-ended_on": "2014-12-31",
                "education-0-completed": "on",
            },
        ).status_code
        == 302
    )
    skills = cv_import.data["skills"]
    assert [s["phrase"] for s in skills] == ["Python", "heftruck rijden"]
    assert skills[1]["skills"] == []  # not in this small ESCO: shown, not addable
    assert (
        confirm(
            "skills", {"skills-0-accept": "on", "skills-0-skill": esco.pk, "skills-0-level": "good"}
        ).status_code
        == 302
    )
    assert (
        confirm(
            "languages",
            {
                "languages-0-accept": "on",
                "languages-0-language": "nl",
                "languages-0-level": "native",
                "languages-1-language": "en",
                "languages-1-level": "good",
            },
        ).status_code
        == 302
    )
    assert (
        confirm(
            "contact",
            {"contact-use_email": "on", "contact-email": "sanne@example.org", "contact-phone": "x"},
        ).status_code
        == 302
    )
    assert confirm("work", {"skip": "1"}).status_code == 302
    with organisation_scope(org_a):
        assert Education.objects.get(profile=carla_profile).completed
        assert CandidateSkill.objects.get(profile=carla_profile).skill == esco
        languages = LanguageSkill.objects.filter(profile=carla_profile)
        assert [(lang.language, lang.level) for lang in languages] == [("nl", "native")]
        carla_profile.refresh_from_db()
        assert carla_profile.email == "sanne@example.org"
        assert carla_profile.phone == ""  # not ticked: not used
        assert not WorkExperience.objects.filter(profile=carla_profile).exists()
        assert CvImport.objects.get().status == ImportStatus.DONE
    page = client.get(reverse("cvimport:review", kwargs={"import_id": cv_import.pk}))
    assert "Every part was reviewed" in page.content.decode()


@pytest.mark.parametrize(
    ("name", "data", "status", "says"),
    [
        ("cv.pdf", b"", 400, "empty"),
        ("cv.pdf", b"\x89PNG\r\n\x1a\n" + b"0" * 100, 415, "not accepted"),
        ("cv.docx", b"Just some text, not a Word file.", 415, "not accepted"),
        ("cv.pdf", cv_fixtures.scanned_pdf(), 422, "scan"),
        ("cv.pdf", cv_fixtures.encrypted_pdf(), 422, "password"),
        ("cv.pdf", cv_fixtures.german_cv_pdf(), 422, "another language"),
    ],
    # Named, not by their bytes: generated files differ per process, and xdist
    # needs every worker to collect the same test ids.
    ids=["empty", "png", "text-as-docx", "scan", "encrypted", "german"],
)
def test_bad_files_get_a_clear_message_on_the_page_and_no_import(
    as_persona, carla_profile, org_a, name, data, status, says
):
    response = _upload(as_persona("carla", "a"), carla_profile, data, name)
    assert response.status_code == status
    assert says in response.content.decode()
    with organisation_scope(org_a):
        assert not CvImport.objects.exists()


def test_a_cv_over_the_size_limit_is_refused(as_persona, carla_profile, settings):
    settings.PASSEND_DOCUMENT_MAX_BYTES = {"cv": 1000}
    response = _upload(as_persona("carla", "a"), carla_profile, b"%PDF-1.4\n" + b"0" * 2000)
    assert response.status_code == 413


def test_another_organisation_gets_404_for_the_import(as_persona, carla_profile, org_a, esco):
    _upload(as_persona("carla", "a"), carla_profile, cv_fixtures.pdf_from_lines(CV_TEXT))
    cv_import = _import(org_a)
    charlie = as_persona("charlie", "b")
    assert (
        charlie.get(reverse("cvimport:review", kwargs={"import_id": cv_import.pk})).status_code
        == 404
    )
    url = reverse("cvimport:upload", kwargs={"candidate_id": carla_profile.pk})
    assert charlie.get(url).status_code == 404


def test_imports_are_forgotten_30_days_after_the_upload(as_persona, carla_profile, org_a, esco):
    _upload(as_persona("carla", "a"), carla_profile, cv_fixtures.pdf_from_lines(CV_TEXT))
    assert cv_imports_purge_expired(now=timezone.now() + timedelta(days=29)) == 0
    assert cv_imports_purge_expired(now=timezone.now() + timedelta(days=31)) == 1
    with organisation_scope(org_a):
        assert not CvImport.objects.exists()


def test_an_employer_never_reaches_an_import(personas, as_persona, carla_profile, org_a, esco):
    from django.http import Http404

    from passend.cvimport.access import get_import_for_actor

    _upload(as_persona("carla", "a"), carla_profile, cv_fixtures.pdf_from_lines(CV_TEXT))
    cv_import = _import(org_a)
    with organisation_scope(org_a), pytest.raises(Http404):
        get_import_for_actor(personas.memberships["dave"], cv_import.pk)
