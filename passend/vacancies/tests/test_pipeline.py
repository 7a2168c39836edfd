"""The rest of the pipeline (issue 13, parts 3 to 5): the organisation's own
stages, bulk moves, private notes, interviews as appointments, the employer
opening included documents, advisors' proposals the candidate decides on, the
restriction gate's hooks, keeping a rejected application a year with consent,
and a hire that follows the employment's rules."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from passend.candidates.services import candidate_profile_ensure
from passend.coaching.models import Appointment
from passend.documents.models import Document, DocumentKind
from passend.documents.services import document_upload
from passend.notifications.models import Kind, Notification
from passend.privacy.consent.models import Consent, ConsentPurpose
from passend.privacy.restriction.models import ObjectablePurpose, RestrictionReason
from passend.privacy.restriction.services import objection_make, restriction_start
from passend.privacy.statement.generate import retention_facts, retention_words
from passend.tenancy.models import Role
from passend.tenancy.services import membership_create
from passend.vacancies import keep, selectors, services
from passend.vacancies.models import (
    Application,
    ApplicationNote,
    PipelineStage,
    ProposalStatus,
    Source,
    Stage,
    Vacancy,
)
from passend.vacancies.privacy import APPLICATION_CLOSED_4_WEEKS
from passend.vacancies.tests.conftest import PDF, in_a
from passend.web.tests.html import main_part

pytestmark = pytest.mark.django_db


def _candidate(personas: Any, name: str) -> Any:
    user = get_user_model().objects.create_user(
        email=f"{name.lower().replace(' ', '.')}@example.test", name=name
    )
    membership = membership_create(
        organisation=personas.organisations["a"], user=user, role=Role.CANDIDATE
    )
    with in_a(personas):
        return candidate_profile_ensure(membership=membership)


@pytest.fixture
def applied(personas: Any, open_vacancy: Vacancy, carla: dict[str, Any]) -> Application:
    with in_a(personas):
        return services.application_create(
            vacancy=open_vacancy, candidate=carla["profile"], documents=[carla["cv"]]
        )


# --- Stages of the organisation's own -------------------------------------------


def test_the_pipeline_has_the_default_stages_until_an_admin_changes_them(personas: Any) -> None:
    with in_a(personas):
        org = personas.organisations["a"].pk
        assert [s.phase for s in selectors.stages_of(org)] == [
            "new", "screening", "interview", "offer", "hired", "rejected",
        ]  # fmt: skip
        assert PipelineStage.objects.count() == 0
        services.stage_create(organisation_id=org, name="Assessment", phase=Stage.SCREENING)
        names = [s.name for s in selectors.stages_of(org)]
    assert names == ["New", "Screening", "Assessment", "Interview", "Offer", "Hired", "Rejected"]


def test_an_application_in_an_own_stage_keeps_its_meaning_for_the_candidate(
    personas: Any, as_persona: Any, applied: Application
) -> None:
    with in_a(personas):
        org = personas.organisations["a"].pk
        assessment = services.stage_create(
            organisation_id=org, name="Assessment", phase="screening"
        )
    dave = as_persona("dave", "a")
    response = dave.post(
        f"/vacancies/applications/{applied.pk}/move/", {"stage": str(assessment.pk)}
    )
    assert response.status_code == 302
    with in_a(personas):
        applied.refresh_from_db()
    assert (applied.stage, applied.step_id) == ("screening", assessment.pk)
    page = main_part(dave.get(f"/vacancies/{applied.vacancy_id}/applications/").content.decode())
    board = page[page.index("pipeline-board") :]
    assert board.index("Assessment") < board.index("Carla Bakker")
    mine = main_part(as_persona("carla", "a").get("/vacancies/applications/").content.decode())
    assert "Being looked at" in mine
    assert "Assessment" not in mine


def test_a_stage_with_open_applications_and_the_last_rejected_stage_are_not_removed(
    personas: Any, applied: Application
) -> None:
    with in_a(personas):
        org = personas.organisations["a"].pk
        extra = services.stage_create(organisation_id=org, name="Gesprek 2", phase="interview")
        services.application_move(application=applied, step=extra, by=None)
        with pytest.raises(ValidationError, match="move them to another stage first"):
            services.stage_delete(stage=extra)
        rejected = PipelineStage.objects.get(phase="rejected")
        with pytest.raises(ValidationError, match="needs a stage meaning"):
            services.stage_delete(stage=rejected)
        screening = PipelineStage.objects.get(phase="screening")
        services.stage_delete(stage=screening)
        assert not PipelineStage.objects.filter(phase="screening").exists()


def test_stages_move_within_their_meaning_and_names_are_unique(personas: Any) -> None:
    with in_a(personas):
        org = personas.organisations["a"].pk
        second = services.stage_create(
            organisation_id=org, name="Tweede gesprek", phase="interview"
        )
        services.stage_shift(stage=second, by=-1)
        interview = [s.name for s in selectors.stages_of(org) if s.phase == "interview"]
        assert interview == ["Tweede gesprek", "Interview"]
        services.stage_shift(stage=second, by=-1)  # first of its meaning: stays
        assert [s.name for s in selectors.stages_of(org)][2] == "Tweede gesprek"
        with pytest.raises(ValidationError, match="a stage of this name already"):
            services.stage_create(organisation_id=org, name="Tweede gesprek", phase="offer")


def test_the_admin_renames_a_default_stage_on_the_stages_page(
    personas: Any, as_persona: Any
) -> None:
    alice = as_persona("alice", "a")
    assert alice.get("/vacancies/stages/").status_code == 200
    response = alice.post(
        "/vacancies/stages/screening/", {"action": "rename", "name": "Eerste selectie"}
    )
    assert response.status_code == 302
    with in_a(personas):
        names = [s.name for s in selectors.stages_of(personas.organisations["a"].pk)]
    assert names[1] == "Eerste selectie"
    assert len(names) == 6  # the rest of the defaults were written down too
    assert as_persona("dave", "a").get("/vacancies/stages/").status_code == 403


def test_removing_a_stage_asks_first_and_the_last_rejected_stage_offers_no_remove(
    personas: Any, as_persona: Any
) -> None:
    alice = as_persona("alice", "a")
    page = main_part(alice.get("/vacancies/stages/").content.decode())
    assert (
        page.count("data-confirm-dialog") == 3
    )  # screening, interview, offer: not new, hired, rejected
    question = alice.get("/vacancies/stages/screening/remove/")
    assert "Remove the stage “Screening”?" in question.content.decode()
    with in_a(personas):
        assert not PipelineStage.objects.exists()  # asking wrote nothing
    assert alice.post("/vacancies/stages/screening/remove/").status_code == 302
    with in_a(personas):
        phases = [s.phase for s in selectors.stages_of(personas.organisations["a"].pk)]
    assert phases == ["new", "interview", "offer", "hired", "rejected"]


# --- Bulk moves --------------------------------------------------------------------


def test_ticked_applications_move_together_and_a_rejection_needs_a_reason_for_all(
    personas: Any, as_persona: Any, open_vacancy: Vacancy, applied: Application
) -> None:
    other = _candidate(personas, "Piet Jansen")
    with in_a(personas):
        second = services.application_create(vacancy=open_vacancy, candidate=other)
    dave = as_persona("dave", "a")
    url = f"/vacancies/{open_vacancy.pk}/applications/move/"
    ticked = {"application": [applied.pk, second.pk]}

    refused = dave.post(url, {**ticked, "stage": "rejected"}, follow=True)
    assert "Say why the application is rejected." in refused.content.decode()
    with in_a(personas):
        assert set(Application.objects.values_list("stage", flat=True)) == {"new"}

    dave.post(url, {**ticked, "stage": "interview"})
    with in_a(personas):
        assert set(Application.objects.values_list("stage", flat=True)) == {"interview"}
        services.application_withdraw(application=second, by=None)
        moved, skipped = services.application_bulk_move(
            applications=[applied, second], stage="rejected", rejection_reason="filled", by=None
        )
    assert (moved, skipped) == (1, 1)


def test_a_bulk_move_of_another_vacancys_application_is_refused(
    personas: Any, as_persona: Any, open_vacancy: Vacancy, applied: Application
) -> None:
    with in_a(personas):
        from passend.vacancies.tests.conftest import make_vacancy

        elsewhere = make_vacancy(personas, title="Anders")
    dave = as_persona("dave", "a")
    dave.post(
        f"/vacancies/{elsewhere.pk}/applications/move/",
        {"application": [applied.pk], "stage": "interview"},
    )
    with in_a(personas):
        applied.refresh_from_db()
    assert applied.stage == "new"


# --- Notes, documents, interviews ---------------------------------------------------


def test_notes_are_for_the_organisation_and_never_shown_to_the_candidate(
    personas: Any, as_persona: Any, applied: Application
) -> None:
    dave = as_persona("dave", "a")
    url = f"/vacancies/applications/{applied.pk}/"
    assert dave.post(url + "notes/", {"text": ""}).status_code == 400
    dave.post(url + "notes/", {"text": "Sterke motivatie, vraag naar rijbewijs."})

    assert "Sterke motivatie" in main_part(dave.get(url).content.decode())
    carla = as_persona("carla", "a")
    assert "Sterke motivatie" not in carla.get("/vacancies/applications/").content.decode()
    assert carla.get(url).status_code == 403
    with in_a(personas):
        note = ApplicationNote.objects.get()
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM vacancies_applicationnote WHERE id = %s", [note.pk.hex])
        stored = cursor.fetchone()
    if stored is None:  # PostgreSQL stores the uuid with dashes
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT text FROM vacancies_applicationnote WHERE id = %s", [str(note.pk)]
            )
            stored = cursor.fetchone()
    assert "rijbewijs" not in str(stored[0])


def test_the_employer_opens_an_included_document_and_no_other(
    personas: Any, as_persona: Any, applied: Application, carla: dict[str, Any]
) -> None:
    with in_a(personas):
        diploma = document_upload(
            candidate=carla["profile"], kind=DocumentKind.DIPLOMA, name="diploma.pdf",
            chunks=[PDF], by=personas.memberships["carla"],
        )  # fmt: skip
    dave = as_persona("dave", "a")
    base = f"/vacancies/applications/{applied.pk}/documents/"
    opened = dave.get(f"{base}{carla['cv'].pk}/")
    assert opened.status_code == 200
    assert b"".join(opened.streaming_content if opened.streaming else [opened.content]) == PDF
    assert dave.get(f"{base}{diploma.pk}/").status_code == 404


def test_an_interview_is_an_appointment_in_the_candidates_calendar(
    personas: Any, as_persona: Any, applied: Application
) -> None:
    dave = as_persona("dave", "a")
    url = f"/vacancies/applications/{applied.pk}/interview/"
    when = (timezone.localtime() + timedelta(days=3)).replace(hour=10, minute=0, second=0)
    form = {"starts_at": when.strftime("%Y-%m-%dT%H:%M"), "duration_minutes": 45}

    missing_place = dave.post(url, form)
    assert missing_place.status_code == 400
    assert "Give a place or an online link." in missing_place.content.decode()

    assert dave.post(url, {**form, "place": "Bakkerij, Dorpsstraat 1"}).status_code == 302
    with in_a(personas):
        applied.refresh_from_db()
        appointment = Appointment.objects.get()
        notices = set(Notification.objects.values_list("kind", flat=True))
    assert applied.stage == "interview"
    assert applied.interview_id == appointment.pk
    assert appointment.with_whom == "Bakkerij De Korenaar"
    assert {Kind.APPOINTMENT_PLANNED, Kind.APPLICATION_UPDATED} <= notices
    mine = main_part(as_persona("carla", "a").get("/vacancies/applications/").content.decode())
    assert "Invited for an interview" in mine
    assert "Bakkerij, Dorpsstraat 1" in mine

    dave.post(url, {**form, "place": "Online", "online_link": "https://meet.example/abc"})
    with in_a(personas):
        assert Appointment.objects.count() == 1  # planned anew, not twice


# --- Proposals and the gate --------------------------------------------------------


def test_an_advisor_proposes_carla_and_the_employer_sees_nothing_until_she_accepts(
    personas: Any, as_persona: Any, open_vacancy: Vacancy, carla: dict[str, Any]
) -> None:
    bob = as_persona("bob", "a")
    propose = f"/vacancies/{open_vacancy.pk}/propose/"
    assert "Carla Bakker" in main_part(bob.get(propose).content.decode())
    response = bob.post(
        propose, {"candidate": carla["profile"].pk, "message": "Past bij je ervaring."}
    )
    assert response.status_code == 302
    dave = as_persona("dave", "a")
    assert dave.get(propose).status_code == 403
    board = main_part(dave.get(f"/vacancies/{open_vacancy.pk}/applications/").content.decode())
    assert "Carla Bakker" not in board

    carla_client = as_persona("carla", "a")
    home = main_part(carla_client.get("/").content.decode())
    assert "Your career advisor proposes you for Broodbakker" in home  # her next step
    mine = main_part(carla_client.get("/vacancies/applications/").content.decode())
    assert "Proposed to you" in mine
    with in_a(personas):
        proposal = open_vacancy.proposals.get()
        assert Notification.objects.filter(kind=Kind.APPLICATION_PROPOSED).exists()
    page = carla_client.get(f"/vacancies/proposals/{proposal.pk}/")
    assert "Past bij je ervaring." in page.content.decode()
    carla_client.post(
        f"/vacancies/proposals/{proposal.pk}/",
        {"answer": "accept", "motivation": "Graag!", "documents": [carla["cv"].pk]},
    )
    with in_a(personas):
        application = Application.objects.get()
        proposal.refresh_from_db()
    assert application.source == Source.PROPOSED
    assert application.proposed_by_id == personas.memberships["bob"].user_id
    assert (proposal.status, proposal.application_id) == (ProposalStatus.ACCEPTED, application.pk)
    assert carla_client.get(f"/vacancies/proposals/{proposal.pk}/").status_code == 404


def test_a_declined_proposal_makes_no_application(
    personas: Any, as_persona: Any, open_vacancy: Vacancy, carla: dict[str, Any]
) -> None:
    with in_a(personas):
        proposal = services.proposal_create(
            vacancy=open_vacancy, candidate=carla["profile"], by=personas.memberships["bob"]
        )
    as_persona("carla", "a").post(f"/vacancies/proposals/{proposal.pk}/", {"answer": "decline"})
    with in_a(personas):
        proposal.refresh_from_db()
        assert proposal.status == ProposalStatus.DECLINED
        assert not Application.objects.exists()
        with pytest.raises(ValidationError, match="decided already"):
            services.proposal_accept(proposal=proposal, by=personas.memberships["carla"])


def test_proposals_are_refused_twice_for_applicants_and_for_closed_vacancies(
    personas: Any, open_vacancy: Vacancy, applied: Application, bakery_vacancy: Vacancy
) -> None:
    bob = personas.memberships["bob"]
    other = _candidate(personas, "Piet Jansen")
    with in_a(personas):
        with pytest.raises(ValidationError, match="applied already"):
            services.proposal_create(vacancy=open_vacancy, candidate=applied.candidate, by=bob)
        services.proposal_create(vacancy=open_vacancy, candidate=other, by=bob)
        with pytest.raises(ValidationError, match="proposed for this vacancy already"):
            services.proposal_create(vacancy=open_vacancy, candidate=other, by=bob)
        with pytest.raises(ValidationError, match="not open"):
            services.proposal_create(vacancy=bakery_vacancy, candidate=other, by=bob)
        with pytest.raises(ValidationError, match="Only career advisors"):
            services.proposal_create(
                vacancy=open_vacancy, candidate=other, by=personas.memberships["dave"]
            )


def test_a_restricted_or_objecting_candidate_is_not_suggested_nor_proposed(
    personas: Any, open_vacancy: Vacancy
) -> None:
    restricted = _candidate(personas, "Rita Beperkt")
    objecting = _candidate(personas, "Otto Bezwaar")
    free = _candidate(personas, "Vera Vrij")
    with in_a(personas):
        restriction_start(
            membership=restricted.membership, reason=RestrictionReason.CONTESTS_ACCURACY
        )
        objection_make(membership=objecting.membership, purpose=ObjectablePurpose.MATCHING)
        suggested = {c.pk for c in selectors.suggestions(open_vacancy)}
        assert free.pk in suggested
        assert not {restricted.pk, objecting.pk} & suggested
        for blocked in (restricted, objecting):
            with pytest.raises(ValidationError) as refused:
                services.proposal_create(
                    vacancy=open_vacancy, candidate=blocked, by=personas.memberships["bob"]
                )
            assert "candidate" in refused.value.message_dict
        assert [c.pk for c in selectors.suggestions(open_vacancy, "vera")] == [free.pk]


# --- Keeping a rejected application a year ------------------------------------------


def test_a_rejected_candidate_is_asked_by_mail_and_may_agree_to_a_year(
    personas: Any, as_persona: Any, applied: Application, django_capture_on_commit_callbacks: Any
) -> None:
    with in_a(personas), django_capture_on_commit_callbacks(execute=True):
        rejected = services.application_move(
            application=applied, stage="rejected", rejection_reason="other_candidate", by=None
        )
    assert rejected.closed_at is not None
    (question,) = [m for m in mail.outbox if "/vacancies/keep/" in m.body]
    link = next(line for line in question.body.splitlines() if "/vacancies/keep/" in line)
    path = link[link.index("/vacancies/keep/") :]

    anonymous = as_persona("carla", "a").__class__()  # the link works without signing in
    assert anonymous.get(path).status_code == 200
    assert anonymous.post(path, {}).status_code == 400
    assert anonymous.post(path, {"keep": "yes"}).status_code == 200
    with in_a(personas):
        consent = Consent.objects.get(purpose=ConsentPurpose.KEEP_APPLICATIONS)
        applied.refresh_from_db()
    assert consent.is_active
    assert applied.keep_answered_at is not None
    mine = main_part(as_persona("carla", "a").get("/vacancies/applications/").content.decode())
    assert "You agreed that we keep your closed applications a year." in mine

    anonymous.post(path, {"keep": "no"})  # withdrawn as easily
    with in_a(personas):
        consent.refresh_from_db()
    assert not consent.is_active


def test_a_candidate_who_agreed_already_is_not_asked_again(
    personas: Any,
    open_vacancy: Vacancy,
    applied: Application,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with in_a(personas):
        keep.answer(application=applied, keep=True)
    mail.outbox.clear()
    with in_a(personas), django_capture_on_commit_callbacks(execute=True):
        services.application_move(
            application=applied, stage="rejected", rejection_reason="filled", by=None
        )
    assert not [m for m in mail.outbox if "/vacancies/keep/" in m.body]


def test_the_question_is_asked_when_the_commit_comes_after_the_scope_ended(
    personas: Any,
    open_vacancy: Vacancy,
    applied: Application,
    django_capture_on_commit_callbacks: Any,
) -> None:
    # seed_demo's shape: a transaction around the scope, so the rejection's
    # after-commit question runs with no scope active.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), in_a(personas):
        services.application_move(
            application=applied, stage="rejected", rejection_reason="filled", by=None
        )
    assert [m for m in mail.outbox if "/vacancies/keep/" in m.body]


def test_a_forged_or_foreign_keep_link_is_gone(
    personas: Any, client: Any, applied: Application
) -> None:
    token = keep.token_for(applied)
    assert client.get(f"/vacancies/keep/{token}x/").status_code == 410
    assert client.get("/vacancies/keep/nonsense/").status_code == 410


def test_the_statement_says_four_weeks_or_a_year_with_consent() -> None:
    words = retention_words(retention_facts(APPLICATION_CLOSED_4_WEEKS))
    assert words == (
        "Deleted 4 weeks after the application is closed, or 1 year after it if you agree."
    )


# --- A hire follows the employment's rules ------------------------------------------


def test_a_hire_stays_open_until_the_employment_ends_and_dates_the_id_copy(
    personas: Any, applied: Application, carla: dict[str, Any]
) -> None:
    bob = personas.memberships["bob"]
    with in_a(personas):
        id_copy = document_upload(
            candidate=carla["profile"], kind=DocumentKind.ID_COPY, name="id.pdf",
            chunks=[PDF], by=bob,
        )  # fmt: skip
        services.application_move(application=applied, stage="hired", by=bob)
        applied.refresh_from_db()
        assert applied.closed_at is None  # retention waits for the employment's end
        assert Document.objects.get(pk=id_copy.pk).hired_at == timezone.localdate()
        with pytest.raises(ValidationError, match="before the candidate was hired"):
            services.application_employment_end(
                application=applied, ended_on=timezone.localdate() - timedelta(days=2), by=bob
            )
        services.application_employment_end(
            application=applied, ended_on=timezone.localdate(), by=bob
        )
        applied.refresh_from_db()
        assert applied.closed_at is not None
        assert Document.objects.get(pk=id_copy.pk).employment_ended_at == timezone.localdate()
        with pytest.raises(ValidationError, match="Only a hire"):
            services.application_employment_end(
                application=applied, ended_on=timezone.localdate(), by=bob
            )


def test_a_long_column_shows_its_first_cards_and_opens_in_full_on_request(
    personas: Any, as_persona: Any, open_vacancy: Vacancy, monkeypatch: Any
) -> None:
    monkeypatch.setattr(selectors, "PER_COLUMN", 2)
    with in_a(personas):
        for name in ("Anna Eerst", "Bram Tweede", "Cees Derde"):
            services.application_create(vacancy=open_vacancy, candidate=_candidate(personas, name))
    dave = as_persona("dave", "a")
    url = f"/vacancies/{open_vacancy.pk}/applications/"

    board = main_part(dave.get(url).content.decode())
    assert "Bram Tweede" in board
    assert "Cees Derde" not in board
    assert "Show all 3" in board
    assert "3 open applications" in board
    assert "Cees Derde" in main_part(dave.get(url + "?show=new").content.decode())
