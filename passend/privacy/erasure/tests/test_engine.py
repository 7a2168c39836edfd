"""The erasure engine on a real profile: what goes, what stays, and why."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import cache

from passend.accounts.models import User
from passend.api.throttling import rate_keys
from passend.candidates.models import CandidateProfile, Course, WorkExperience
from passend.candidates.services import section_entry_create
from passend.coaching.models import Note
from passend.coaching.services import note_create
from passend.common.scope import organisation_scope
from passend.documents.models import Document, DocumentKind
from passend.documents.services import document_id_copy_update, document_upload
from passend.documents.tests.corpus import PDF_OK, png
from passend.privacy.audit.models import AuditEvent
from passend.privacy.consent.models import Consent
from passend.privacy.consent.services import consent_give
from passend.privacy.erasure import engine
from passend.privacy.erasure.models import ErasureRun, RunStatus
from passend.privacy.rights.graph import all_rows
from passend.tenancy.models import Membership


def _files(root: Path) -> list[str]:
    return sorted(name for _dir, _sub, names in os.walk(root) for name in names)


@pytest.fixture
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path)
    return tmp_path


@pytest.fixture
def carla_data(personas: Any, media: Path) -> dict[str, Any]:
    """Carla (candidate in A) with sections, a CV, a hired ID copy, a note, a consent."""
    carla, bob = personas.memberships["carla"], personas.memberships["bob"]
    org = personas.organisations["a"]
    with organisation_scope(org):
        profile, _ = CandidateProfile.objects.get_or_create(organisation=org, membership=carla)
        profile.first_name = "Carla"
        profile.bsn = "111222333"
        profile.save()
        section_entry_create(
            profile=profile,
            model=WorkExperience,
            data={
                "employer_name": "Bakkerij De Korf",
                "role": "Bakker",
                "started_on": date(2020, 1, 1),
            },
        )
        section_entry_create(profile=profile, model=Course, data={"name": "Heftruck"})
        cv = document_upload(
            candidate=profile, kind=DocumentKind.CV, name="cv.pdf", chunks=[PDF_OK], by=carla
        )
        id_copy = document_upload(
            candidate=profile, kind=DocumentKind.ID_COPY, name="id.png", chunks=[png()], by=bob
        )
        document_id_copy_update(
            document=id_copy, by=bob, bsn_masked=True, hired_at=date(2026, 1, 5),
            employment_ended_at=None,
        )  # fmt: skip
        note = note_create(candidate=profile, author=bob, text="Wil graag in de zorg werken")
        consent = consent_give(user=carla.user, organisation=org, purpose="newsletter")
    return {
        "profile": profile, "cv": cv, "id_copy": id_copy, "note": note, "consent": consent,
        "user": carla.user, "membership": carla,
    }  # fmt: skip


def test_it_deletes_the_profile_its_sections_notes_and_files(carla_data, media):
    cv_name = carla_data["cv"].file.name
    run = engine.erase(user_id=carla_data["user"].pk)
    assert run.status == RunStatus.DONE
    assert not all_rows(WorkExperience).filter(profile=carla_data["profile"]).exists()
    assert not all_rows(Course).filter(profile=carla_data["profile"]).exists()
    assert not all_rows(Note).filter(pk=carla_data["note"].pk).exists()
    assert not all_rows(Document).filter(pk=carla_data["cv"].pk).exists()
    assert not (media / cv_name).exists()
    assert run.receipt["deleted"]["candidates.WorkExperience"] == 1


def test_it_keeps_a_hired_workers_id_copy_and_says_why(carla_data, media):
    run = engine.erase(user_id=carla_data["user"].pk)
    id_copy = all_rows(Document).get(pk=carla_data["id_copy"].pk)
    assert (media / id_copy.file.name).exists()
    kept = [e for e in run.receipt["kept"] if e["model"] == "documents.Document"]
    assert kept
    assert "loonbelasting" in kept[0]["law"]
    assert kept[0]["fields"] == "all"
    # The profile it belongs to stays as an empty shell: no name, no BSN.
    profile = all_rows(CandidateProfile).get(pk=carla_data["profile"].pk)
    assert profile.first_name == ""
    assert profile.bsn == ""
    assert run.receipt["cleared"]["candidates.CandidateProfile"] == 1


def test_it_keeps_consent_records_and_leaves_the_account_an_empty_shell(carla_data):
    user_id = carla_data["user"].pk
    engine.erase(user_id=user_id)
    assert all_rows(Consent).filter(pk=carla_data["consent"].pk).exists()
    user = User.objects.get(pk=user_id)
    assert user.email.endswith("@erased.invalid")
    assert user.name == ""
    assert not user.is_active
    assert not user.has_usable_password()


def test_without_anything_to_keep_the_account_is_deleted(personas):
    user = User.objects.create_user("nothing-kept@example.test", "x", name="Nobody")
    engine.erase(user_id=user.pk)
    assert not User.objects.filter(pk=user.pk).exists()


def test_it_leaves_other_people_untouched(carla_data, personas):
    engine.erase(user_id=carla_data["user"].pk)
    bob = personas["bob"]
    bob.refresh_from_db()
    assert bob.is_active
    assert bob.email == "bob@passend.test"
    assert all_rows(Membership).filter(user=bob).count() == 2


def test_running_a_finished_erasure_again_changes_nothing(carla_data):
    run = engine.erase(user_id=carla_data["user"].pk)
    receipt = dict(run.receipt)
    again = engine.execute(run)
    assert again.receipt == receipt
    second = engine.erase(user_id=carla_data["user"].pk)
    assert second.pk != run.pk
    assert second.receipt["deleted"] == {}


def test_a_run_that_stopped_halfway_finishes_when_run_again(carla_data, media, monkeypatch):
    real_step = engine._step
    calls = {"n": 0}

    def crashing_step(run: Any, path: Any, plan: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 6:
            raise RuntimeError("the worker died")
        real_step(run, path, plan)

    monkeypatch.setattr(engine, "_step", crashing_step)
    with pytest.raises(RuntimeError):
        engine.erase(user_id=carla_data["user"].pk)
    run = ErasureRun.objects.get(user_id=carla_data["user"].pk)
    assert run.status == RunStatus.RUNNING
    assert len(run.completed_steps) == 5
    monkeypatch.setattr(engine, "_step", real_step)
    finished = engine.erase(user_id=carla_data["user"].pk)
    assert finished.pk == run.pk
    assert finished.status == RunStatus.DONE
    assert not all_rows(Document).filter(pk=carla_data["cv"].pk).exists()
    assert not all_rows(WorkExperience).filter(profile=carla_data["profile"]).exists()
    assert finished.pending_files == []


def test_erasure_in_one_organisation_keeps_the_account_and_the_other(personas):
    bob = personas["bob"]
    org_a = personas.organisations["a"]
    run = engine.erase(user_id=bob.pk, organisation_id=org_a.pk)
    assert run.status == RunStatus.DONE
    assert User.objects.filter(pk=bob.pk, is_active=True).exists()
    remaining = all_rows(Membership).filter(user=bob)
    assert [m.organisation_id for m in remaining] == [personas.organisations["b"].pk]


def test_it_purges_the_persons_cache_entries(carla_data):
    user_id = carla_data["user"].pk
    cache.set_many(dict.fromkeys(rate_keys(user_id), 3))
    engine.erase(user_id=user_id)
    assert cache.get_many(rate_keys(user_id)) == {}


def test_the_erasure_is_audited_without_personal_values(carla_data):
    user_id = carla_data["user"].pk
    run = engine.erase(user_id=user_id)
    events = AuditEvent.objects.unscoped().filter(action="erase", target_id=str(run.pk))
    assert {e.subject_user_id for e in events} == {user_id}
    # On the platform's trail and on the trail of the organisation whose data went.
    assert {e.organisation_id for e in events} == {None, carla_data["profile"].organisation_id}


def test_the_preview_names_what_would_be_deleted_and_kept(carla_data):
    preview = engine.preview(carla_data["user"].pk)
    assert preview["deleted"]["candidates.WorkExperience"] == 1
    assert any(e["model"] == "consent.Consent" for e in preview["kept"])
    assert User.objects.filter(pk=carla_data["user"].pk, is_active=True).exists()


def test_closing_the_account_signs_the_person_out_everywhere(carla_data, personas):
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    sessions = []
    for user in (carla_data["user"], carla_data["user"], personas["bob"]):
        session = SessionStore()
        session["_auth_user_id"] = str(user.pk)
        session.create()
        sessions.append(session.session_key)
    engine.erase(user_id=carla_data["user"].pk)
    assert list(Session.objects.values_list("session_key", flat=True)) == [sessions[2]]


def test_erasure_in_one_organisation_keeps_the_persons_sessions(personas):
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session

    session = SessionStore()
    session["_auth_user_id"] = str(personas["bob"].pk)
    session.create()
    engine.erase(user_id=personas["bob"].pk, organisation_id=personas.organisations["a"].pk)
    assert Session.objects.filter(session_key=session.session_key).exists()
