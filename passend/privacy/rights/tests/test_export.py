"""The export (GDPR Art. 15 and 20; J9, P10): the zip, the job, the single-use link."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from passend.privacy.rights import jobs, services
from passend.privacy.rights.export import SCHEMA, build_export
from passend.privacy.rights.models import ExportJob, ExportStatus, Scope
from passend.privacy.rights.tasks import build_export_task
from passend.privacy.rights.tests.conftest import PDF, data_json, events, open_zip

EXPORT = reverse("rights:export")


def _ready_job(user, scope=Scope.ACCESS, capture=None):
    job = services.export_request(user=user, scope=scope)
    jobs.export_build(job_id=str(job.pk))
    job.refresh_from_db()
    return job


def _download_url(client, job):
    response = client.post(reverse("rights:export_link", args=[job.pk]))
    assert response.status_code == 302
    return response["Location"]


# --- the zip -------------------------------------------------------------------------


def test_it_exports_data_json_with_the_documented_keys(rich, carla, org_a):
    data = data_json(build_export(carla, scope=Scope.ACCESS).data)

    assert data["schema"] == SCHEMA
    assert data["scope"] == "access"
    assert set(data) >= {"generated_at", "person", "organisations", "organisation_names", "models"}
    werkpad = data["organisations"][str(org_a.pk)]
    assert data["organisation_names"][str(org_a.pk)] == org_a.name
    profile = werkpad["candidates.CandidateProfile"][0]
    assert profile["id"] == str(rich.profile.pk)
    assert profile["date_of_birth"] == "1990-05-17"
    assert profile["membership"] == str(rich.profile.membership_id)
    assert data["organisations"]["account"]["accounts.User"][0]["email"] == carla.email
    meta = data["models"]["candidates.WorkExperience"]["fields"]["started_on"]
    assert meta["category"] == "passend.work_history"
    assert meta["basis"] == "contract"
    assert meta["purposes"]
    assert werkpad["coaching.Note"][0]["text"] == "Carla is motivated and punctual."


def test_it_writes_a_csv_per_model_with_the_field_names_as_header(rich, carla, org_a):
    archive = open_zip(build_export(carla, scope=Scope.ACCESS).data)

    text = archive.read(f"csv/{org_a.pk}/candidates.WorkExperience.csv").decode()
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0][0] == "id"
    assert "employer_name" in rows[0]
    assert "started_on" in rows[0]
    assert rows[1][rows[0].index("employer_name")] == "Bakkerij Brood"
    assert "csv/account/accounts.User.csv" in archive.namelist()


def test_it_puts_the_persons_files_decrypted_in_the_zip(rich, carla, org_a):
    result = build_export(carla, scope=Scope.ACCESS)
    archive = open_zip(result.data)
    documents = data_json(result.data)["organisations"][str(org_a.pk)]["documents.Document"]

    paths = {d["original_name"]: d["file"] for d in documents}
    assert (
        paths["carla cv.pdf"]
        == f"files/{org_a.pk}/documents.Document/{rich.own_document.pk}-carla_cv.pdf"
    )
    assert archive.read(paths["carla cv.pdf"]) == PDF
    assert archive.read(paths["diploma.pdf"]) == PDF + b"%x"
    assert result.files == 2


def test_it_escapes_a_script_in_the_readable_overview(rich, carla):
    overview = open_zip(build_export(carla, scope=Scope.ACCESS).data).read("overview.html").decode()

    assert "<script>" not in overview
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; baking" in overview
    assert "http://" not in overview
    assert "https://carla.example" in overview
    assert "<link" not in overview


def test_it_never_exports_credentials_or_the_blind_index(rich, carla):
    data = data_json(build_export(carla, scope=Scope.ACCESS).data)

    user = data["organisations"]["account"]["accounts.User"][0]
    assert "password" not in user
    assert "password" in data["models"]["accounts.User"]["withheld"]
    profile = next(iter(v for k, v in data["organisations"].items() if k != "account"))[
        "candidates.CandidateProfile"
    ][0]
    assert "bsn_index" not in profile
    raw = build_export(carla, scope=Scope.ACCESS).data
    assert carla.password.encode() not in raw


def test_portability_keeps_only_what_the_person_provided_on_consent_or_contract(rich, carla, org_a):
    data = data_json(build_export(carla, scope=Scope.PORTABILITY).data)

    werkpad = data["organisations"][str(org_a.pk)]
    profile = werkpad["candidates.CandidateProfile"][0]
    assert profile["city"] == "Utrecht"
    assert "is_worker" not in profile  # set by her advisor
    assert "bsn" not in profile
    assert "iban" not in profile
    assert "created_at" not in profile  # recorded by the system, not provided
    assert "coaching.Note" not in werkpad  # written by bob
    assert "coaching.Trajectory" not in werkpad
    assert [d["original_name"] for d in werkpad["documents.Document"]] == ["carla cv.pdf"]
    assert werkpad["candidates.WorkExperience"][0]["role"] == "Baker"
    assert "tenancy.Membership" not in werkpad
    assert data["organisations"]["account"]["accounts.User"][0]["name"] == carla.name
    assert "audit.AuditEvent" not in data["models"]


# --- the job -------------------------------------------------------------------------


def test_a_second_request_while_one_is_queued_returns_the_same_job(carla, media):
    first = services.export_request(user=carla, scope=Scope.ACCESS)
    second = services.export_request(user=carla, scope=Scope.PORTABILITY)

    assert second.pk == first.pk
    assert ExportJob.objects.filter(user=carla).count() == 1


def test_a_second_post_while_the_export_runs_starts_no_second_job(carla, org_a, media):
    client = client_for(carla, org_a)
    client.post(EXPORT, {"scope": "access"})  # queued: the task runs after commit
    ExportJob.objects.filter(user=carla).update(status=ExportStatus.RUNNING, progress=40)

    response = client.post(EXPORT, {"scope": "portability"})

    assert response.status_code == 302
    job = ExportJob.objects.get(user=carla)
    assert (job.status, job.scope) == (ExportStatus.RUNNING, "access")
    page = client.get(EXPORT).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert 'value="40" max="100"' in page


def test_the_export_page_builds_the_export_and_offers_the_download(
    carla, org_a, media, django_capture_on_commit_callbacks
):
    client = client_for(carla, org_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(EXPORT, {"scope": "access"})

    assert response.status_code == 302
    job = ExportJob.objects.get(user=carla)
    assert job.status == ExportStatus.READY
    assert job.progress == 100
    assert job.size > 0
    assert job.expires_at > timezone.now()
    page = client.get(EXPORT).content.decode()
    assert reverse("rights:export_link", args=[job.pk]) in page
    assert "hx-trigger" not in page


def test_the_stored_zip_is_encrypted(rich, carla, media):
    job = _ready_job(carla)

    stored = (media / job.file.name).read_bytes()
    assert stored.startswith(b"PSF1")
    assert b"data.json" not in stored
    assert b"Bakkerij Brood" not in stored


def test_an_unknown_scope_is_refused_with_a_message(carla, org_a, media):
    response = client_for(carla, org_a).post(EXPORT, {"scope": "everything-and-more"})

    assert response.status_code == 400
    assert "Choose what to export" in response.content.decode()
    assert not ExportJob.objects.exists()
    with pytest.raises(ValidationError):
        services.export_request(user=carla, scope="nope")


def test_a_failed_build_is_marked_failed_and_can_be_started_again(carla, media, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(jobs, "build_export", broken)
    job = services.export_request(user=carla, scope=Scope.ACCESS)
    jobs.export_build(job_id=str(job.pk))

    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED
    assert services.export_request(user=carla, scope=Scope.ACCESS).pk != job.pk


def test_it_builds_an_export_once_however_often_the_task_runs(
    rich, carla, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as enqueued:
        job = services.export_request(user=carla, scope=Scope.ACCESS)
    assert len(enqueued) == 1  # sent to the queue only once the job is committed

    first = build_export_task.apply(args=[str(job.pk)]).get()
    built = ExportJob.objects.get(pk=job.pk)
    second = build_export_task.apply(args=[str(job.pk)]).get()

    assert (first, second) == (ExportStatus.READY, "skipped")
    job.refresh_from_db()
    assert (job.file.name, job.finished_at) == (built.file.name, built.finished_at)
    exported = events(target_model="rights.exportjob", target_id=str(job.pk), action="export")
    assert exported.count() == 2  # once in Werkpad's chain and once in the platform's


# --- the download --------------------------------------------------------------------


def test_the_download_works_once_and_then_says_gone(
    rich, carla, org_a, media, django_capture_on_commit_callbacks
):
    job = _ready_job(carla)
    client = client_for(carla, org_a)
    url = _download_url(client, job)
    stored = media / job.file.name

    with django_capture_on_commit_callbacks(execute=True):
        first = client.get(url)
    second = client.get(url)

    assert first.status_code == 200
    assert first["Content-Type"] == "application/zip"
    assert "attachment" in first["Content-Disposition"]
    assert "data.json" in open_zip(first.content).namelist()
    assert second.status_code == 410
    assert "Start a new export" in second.content.decode()
    job.refresh_from_db()
    assert job.status == ExportStatus.DOWNLOADED
    assert job.downloaded_at
    assert not stored.exists()
    assert job.token_hash
    assert job.token_hash not in url


def test_an_expired_link_says_gone(rich, carla, org_a, media):
    job = _ready_job(carla)
    client = client_for(carla, org_a)
    url = _download_url(client, job)
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(minutes=1))

    response = client.get(url)

    assert response.status_code == 410
    assert "expired" in response.content.decode()
    job.refresh_from_db()
    assert job.status == ExportStatus.EXPIRED
    assert not job.file


def test_another_persons_token_is_not_found(rich, carla, bob, org_a, media):
    job = _ready_job(carla)
    url = _download_url(client_for(carla, org_a), job)

    assert client_for(bob, org_a).get(url).status_code == 404
    assert (
        client_for(bob, org_a).post(reverse("rights:export_link", args=[job.pk])).status_code == 404
    )
    assert (
        client_for(carla, org_a).get(reverse("rights:download", args=["not-a-token"])).status_code
        == 404
    )
    job.refresh_from_db()
    assert job.status == ExportStatus.READY


def test_export_request_build_and_download_are_audited(rich, carla, org_a, media):
    job = _ready_job(carla)
    client_for(carla, org_a).get(_download_url(client_for(carla, org_a), job))

    trail = events(target_model="rights.exportjob", target_id=str(job.pk))
    actions = sorted(trail.values_list("action", flat=True))
    assert actions == ["create", "export", "export", "read"]
    assert set(trail.values_list("purpose", flat=True)) == {"legal_obligation"}
    assert set(trail.values_list("subject_user_id", flat=True)) == {carla.pk}
    assert trail.filter(action="export", organisation_id=org_a.pk).exists()


def test_housekeeping_deletes_expired_files(rich, carla, media):
    job = _ready_job(carla)
    media / job.file.name
    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(hours=1))

    out = io.StringIO()
    call_command("exports_housekeeping", stdout=out)

    job.refresh_from_db()
    assert job.status == ExportStatus.EXPIRED
    assert not job.file
    assert "1 expired" in out.getvalue()
    # Running it again finds nothing more to do.
    assert jobs.exports_housekeeping()["expired"] == 0


def test_housekeeping_fails_jobs_lost_by_a_worker(carla, media):
    job = services.export_request(user=carla, scope=Scope.ACCESS)
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - timedelta(hours=7))

    assert jobs.exports_housekeeping()["failed"] == 1
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED


def test_the_export_pages_send_anonymous_visitors_to_the_login(client, db):
    assert client.get(EXPORT).status_code == 302
    assert client.get(reverse("rights:download", args=["x"])).status_code == 302


def test_the_exports_query_count_does_not_grow_with_the_number_of_rows(rich, carla):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from passend.privacy.rights.tests.test_inventory import _add_courses

    _add_courses(rich.profile, 2)
    with CaptureQueriesContext(connection) as few:
        build_export(carla, scope=Scope.ACCESS)
    _add_courses(rich.profile, 300)

    with CaptureQueriesContext(connection) as many:
        result = build_export(carla, scope=Scope.ACCESS)

    assert len(many) == len(few)
    courses = data_json(result.data)["organisations"][str(rich.profile.organisation_id)]
    assert len(courses["candidates.Course"]) == 303
