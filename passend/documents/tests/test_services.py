"""Upload, storage, deletion, consent and retention of documents."""

from __future__ import annotations

import hashlib
import io
import socket
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from PIL import Image

from passend.common.scope import organisation_scope
from passend.documents import services
from passend.documents.models import Document, DocumentKind
from passend.documents.tests import corpus
from passend.documents.tests.conftest import files_in
from passend.documents.validation import UploadRejected
from passend.privacy.audit.models import AuditEvent
from passend.privacy.consent.models import Consent, ConsentPurpose
from passend.privacy.consent.selectors import has_consent
from passend.privacy.crypto.files import AtomicFileSystemStorage


def upload(profile: Any, by: Any, kind: str, name: str, data: bytes, **kw: Any) -> Document:
    with organisation_scope(profile.organisation):
        return services.document_upload(
            candidate=profile, kind=kind, name=name, chunks=[data], by=by, **kw
        )


def test_it_stores_a_document_encrypted_under_a_server_made_name(personas, media, carla_profile):
    carla = personas.memberships["carla"]

    document = upload(carla_profile, carla, DocumentKind.CV, "cv.pdf", corpus.PDF_OK)

    stored = (media / document.file.name).read_bytes()
    assert stored.startswith(b"PSF1")
    assert corpus.PDF_OK not in stored
    assert "cv" not in document.file.name
    assert document.file.name.startswith(f"documents/{carla_profile.organisation_id}/")
    with organisation_scope(carla_profile.organisation):
        again = Document.objects.get(pk=document.pk)
        assert again.file.read_decrypted() == corpus.PDF_OK
    assert document.sha256 == hashlib.sha256(corpus.PDF_OK).hexdigest()
    assert (document.content_type, document.size) == ("application/pdf", len(corpus.PDF_OK))
    assert document.uploaded_by == personas["carla"]


def test_it_audits_the_upload(personas, media, carla_profile):
    document = upload(
        carla_profile, personas.memberships["bob"], DocumentKind.CV, "cv.pdf", corpus.PDF_OK
    )

    with organisation_scope(carla_profile.organisation):
        event = AuditEvent.objects.get(target_id=str(document.pk), action="create")
    assert event.subject_user_id == personas["carla"].pk


def test_it_stores_photos_without_gps(personas, media, carla_profile):
    carla = personas.memberships["carla"]

    document = upload(carla_profile, carla, DocumentKind.PHOTO, "beach.jpg", corpus.jpeg(gps=True))

    with organisation_scope(carla_profile.organisation):
        plain = Document.objects.get(pk=document.pk).file.read_decrypted()
    image = Image.open(io.BytesIO(plain))
    assert not image.getexif().get_ifd(0x8825)
    assert b"PhoneMaker" not in plain


class FullDisk(AtomicFileSystemStorage):
    """Writes one chunk, then the disk is full."""

    def _save(self, name: str, content: Any) -> str:
        class Failing:
            def seek(self, offset: int) -> None:
                pass

            def chunks(self) -> Any:
                yield b"half a file"
                raise OSError(28, "No space left on device")

        return super()._save(name, Failing())  # type: ignore[arg-type]


def test_it_leaves_no_half_file_and_no_row_when_the_disk_is_full(
    personas, media, carla_profile, monkeypatch
):
    field = Document._meta.get_field("file")
    monkeypatch.setattr(field, "storage", FullDisk(location=str(media)))

    with pytest.raises(UploadRejected) as caught:
        upload(
            carla_profile, personas.memberships["carla"], DocumentKind.CV, "cv.pdf", corpus.PDF_OK
        )

    assert caught.value.status == 503
    assert files_in(media) == []
    with organisation_scope(carla_profile.organisation):
        assert not Document.objects.exists()


def test_it_removes_the_file_when_the_row_cannot_be_written(
    personas, media, carla_profile, monkeypatch
):
    def broken_audit(**kwargs: Any) -> None:
        raise RuntimeError("audit down")

    monkeypatch.setattr(services, "record", broken_audit)

    with pytest.raises(RuntimeError):
        upload(
            carla_profile, personas.memberships["carla"], DocumentKind.CV, "cv.pdf", corpus.PDF_OK
        )

    assert files_in(media) == []
    with organisation_scope(carla_profile.organisation):
        assert not Document.objects.exists()


def test_it_records_consent_when_the_candidate_uploads_a_passport_photo(
    personas, media, carla_profile
):
    carla = personas.memberships["carla"]
    org = carla_profile.organisation

    upload(carla_profile, carla, DocumentKind.PASSPORT_PHOTO, "me.png", corpus.png(), consent=True)

    with organisation_scope(org):
        assert has_consent(user=personas["carla"], organisation=org, purpose="passport_photo")
        consent = Consent.objects.get()
        assert consent.purpose == ConsentPurpose.PASSPORT_PHOTO
        assert consent.withdrawn_at is None


def test_it_refuses_a_passport_photo_without_consent_or_from_someone_else(
    personas, media, carla_profile
):
    with pytest.raises(UploadRejected) as missing:
        upload(
            carla_profile,
            personas.memberships["carla"],
            DocumentKind.PASSPORT_PHOTO,
            "a.png",
            corpus.png(),
        )
    with pytest.raises(UploadRejected) as not_theirs:
        upload(
            carla_profile,
            personas.memberships["bob"],
            DocumentKind.PASSPORT_PHOTO,
            "a.png",
            corpus.png(),
            consent=True,
        )

    assert (missing.value.status, not_theirs.value.status) == (400, 403)
    assert files_in(media) == []
    with organisation_scope(carla_profile.organisation):
        assert not Consent.objects.exists()


def test_it_deletes_the_passport_photo_file_and_withdraws_consent_at_once(
    personas, media, carla_profile, django_capture_on_commit_callbacks
):
    carla = personas.memberships["carla"]
    org = carla_profile.organisation
    document = upload(
        carla_profile, carla, DocumentKind.PASSPORT_PHOTO, "me.jpg", corpus.jpeg(), consent=True
    )
    assert files_in(media) != []

    with django_capture_on_commit_callbacks(execute=True), organisation_scope(org):
        services.document_delete(document=document, by=carla)

    assert files_in(media) == []
    with organisation_scope(org):
        assert not Document.objects.exists()
        assert not has_consent(user=personas["carla"], organisation=org, purpose="passport_photo")
        assert Consent.objects.get().withdrawn_at is not None


def test_it_replaces_an_earlier_passport_photo(
    personas, media, carla_profile, django_capture_on_commit_callbacks
):
    carla = personas.memberships["carla"]
    with django_capture_on_commit_callbacks(execute=True):
        upload(
            carla_profile, carla, DocumentKind.PASSPORT_PHOTO, "a.png", corpus.png(), consent=True
        )
        second = upload(
            carla_profile, carla, DocumentKind.PASSPORT_PHOTO, "b.png", corpus.png(), consent=True
        )

    assert files_in(media) == [second.file.name]
    with organisation_scope(carla_profile.organisation):
        assert list(Document.objects.values_list("pk", flat=True)) == [second.pk]
        assert Consent.objects.filter(withdrawn_at__isnull=True).count() == 1


def test_it_gives_an_id_copy_four_weeks_then_follows_the_employment(personas, media, carla_profile):
    bob = personas.memberships["bob"]
    uploaded = datetime(2026, 2, 2, 9, 30, tzinfo=UTC)
    document = upload(
        carla_profile, bob, DocumentKind.ID_COPY, "id.pdf", corpus.PDF_OK, now=uploaded
    )
    assert document.delete_after == datetime(2026, 3, 2, 9, 30, tzinfo=UTC)

    with organisation_scope(carla_profile.organisation):
        services.document_id_copy_update(
            document=document,
            by=bob,
            bsn_masked=True,
            hired_at=date(2026, 3, 1),
            employment_ended_at=None,
        )
        assert document.delete_after is None
        assert document.bsn_masked
        services.document_id_copy_update(
            document=document,
            by=bob,
            bsn_masked=True,
            hired_at=date(2026, 3, 1),
            employment_ended_at=date(2027, 6, 30),
        )
    assert document.delete_after.date() == date(2032, 6, 30)


def test_it_refuses_an_employment_that_ends_before_it_starts(personas, media, carla_profile):
    bob = personas.memberships["bob"]
    document = upload(carla_profile, bob, DocumentKind.ID_COPY, "id.pdf", corpus.PDF_OK)

    with organisation_scope(carla_profile.organisation), pytest.raises(UploadRejected):
        services.document_id_copy_update(
            document=document,
            by=bob,
            bsn_masked=False,
            hired_at=date(2026, 3, 1),
            employment_ended_at=date(2026, 1, 1),
        )
    cv = upload(carla_profile, bob, DocumentKind.CV, "cv.pdf", corpus.PDF_OK)
    with organisation_scope(carla_profile.organisation), pytest.raises(UploadRejected):
        services.document_id_copy_update(
            document=cv, by=bob, bsn_masked=True, hired_at=None, employment_ended_at=None
        )


def test_it_purges_expired_id_copies_only(
    personas, media, carla_profile, django_capture_on_commit_callbacks
):
    bob = personas.memberships["bob"]
    id_copy = upload(carla_profile, bob, DocumentKind.ID_COPY, "id.pdf", corpus.PDF_OK)
    cv = upload(carla_profile, bob, DocumentKind.CV, "cv.pdf", corpus.PDF_OK)

    assert services.documents_purge_expired(now=timezone.now() + timedelta(weeks=3)) == 0
    with django_capture_on_commit_callbacks(execute=True):
        purged = services.documents_purge_expired(now=timezone.now() + timedelta(weeks=5))

    assert purged == 1
    assert files_in(media) == [cv.file.name]
    with organisation_scope(carla_profile.organisation):
        assert not Document.objects.filter(pk=id_copy.pk).exists()


def test_it_sweeps_files_without_rows(personas, media, carla_profile):
    kept = upload(
        carla_profile, personas.memberships["bob"], DocumentKind.CV, "cv.pdf", corpus.PDF_OK
    )
    stray = media / "documents" / str(carla_profile.organisation_id) / "stray"
    stray.write_bytes(b"PSF1 left by a crash")

    assert services.documents_sweep_orphans() == 0  # too young: its row may be committing
    assert services.documents_sweep_orphans(grace=timedelta(seconds=-1)) == 1

    assert files_in(media) == [kept.file.name]


def test_it_deletes_files_when_the_profile_goes(
    personas, media, carla_profile, django_capture_on_commit_callbacks
):
    upload(carla_profile, personas.memberships["bob"], DocumentKind.CV, "cv.pdf", corpus.PDF_OK)

    with (
        django_capture_on_commit_callbacks(execute=True),
        organisation_scope(carla_profile.organisation),
    ):
        carla_profile.delete()

    assert files_in(media) == []


class FakeClamd:
    """A clamd that answers INSTREAM with a fixed verdict, on a Unix socket."""

    def __init__(self, path: Path, verdict: bytes) -> None:
        self.server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.server.bind(str(path))
        self.server.listen(1)
        self.verdict = verdict
        self.received = b""
        self.thread = threading.Thread(target=self.serve, daemon=True)
        self.thread.start()

    def serve(self) -> None:
        conn, _ = self.server.accept()
        with conn:
            command = conn.recv(10)
            assert command == b"zINSTREAM\0"
            while True:
                size = int.from_bytes(self._exact(conn, 4), "big")
                if size == 0:
                    break
                self.received += self._exact(conn, size)
            conn.sendall(b"stream: " + self.verdict + b"\0")
        self.server.close()

    @staticmethod
    def _exact(conn: socket.socket, n: int) -> bytes:
        data = b""
        while len(data) < n:
            data += conn.recv(n - len(data))
        return data


@pytest.fixture
def clamd_path(settings: Any) -> Any:
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="clamd"))
    path = folder / "clamd.sock"
    settings.PASSEND_CLAMD_SOCKET = str(path)
    return path


def test_it_stores_what_the_virus_scanner_passes(personas, media, carla_profile, clamd_path):
    clamd = FakeClamd(clamd_path, b"OK")

    upload(carla_profile, personas.memberships["carla"], DocumentKind.CV, "cv.pdf", corpus.PDF_OK)

    clamd.thread.join(5)
    assert clamd.received == corpus.PDF_OK
    assert len(files_in(media)) == 1


def test_it_refuses_what_the_virus_scanner_flags(personas, media, carla_profile, clamd_path):
    FakeClamd(clamd_path, b"Eicar-Signature FOUND")

    with pytest.raises(UploadRejected) as caught:
        upload(
            carla_profile, personas.memberships["carla"], DocumentKind.CV, "cv.pdf", corpus.PDF_OK
        )

    assert caught.value.code == "virus"
    assert files_in(media) == []


def test_it_fails_closed_when_the_virus_scanner_is_unreachable(
    personas, media, carla_profile, clamd_path
):
    with pytest.raises(UploadRejected) as caught:
        upload(
            carla_profile, personas.memberships["carla"], DocumentKind.CV, "cv.pdf", corpus.PDF_OK
        )

    assert caught.value.status == 503
    assert files_in(media) == []
    with organisation_scope(carla_profile.organisation):
        assert not Document.objects.exists()


@pytest.mark.parametrize("name", ["../../etc/cv.pdf", "a\\cv.pdf", "cv\x07.pdf", "cv\r\n.pdf"])
def test_it_refuses_a_name_with_a_path_or_control_characters(personas, media, carla_profile, name):
    with pytest.raises(UploadRejected) as caught:
        upload(carla_profile, personas.memberships["carla"], DocumentKind.CV, name, corpus.PDF_OK)

    assert caught.value.status == 400
    assert files_in(media) == []
    with organisation_scope(carla_profile.organisation):
        assert not Document.objects.exists()


def test_it_runs_the_housekeeping_command(
    personas, media, carla_profile, django_capture_on_commit_callbacks
):
    from io import StringIO

    from django.core.management import call_command

    id_copy = upload(
        carla_profile, personas.memberships["bob"], DocumentKind.ID_COPY, "id.pdf", corpus.PDF_OK
    )
    with organisation_scope(carla_profile.organisation):
        Document.objects.filter(pk=id_copy.pk).update(
            delete_after=timezone.now() - timedelta(days=1)
        )
    out = StringIO()

    with django_capture_on_commit_callbacks(execute=True):
        call_command("documents_housekeeping", stdout=out)

    assert "Deleted 1 expired documents and 0 files without a row." in out.getvalue()
    assert files_in(media) == []


def test_the_scheduled_housekeeping_task_runs_the_same_cleanup(media, personas):
    from passend.documents.tasks import documents_housekeeping

    assert documents_housekeeping.delay().get() == {"expired": 0, "orphans": 0}


def test_every_scheduled_job_names_a_registered_task():
    from django.conf import settings

    from config.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]
