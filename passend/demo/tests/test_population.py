"""The demo's candidates: filled profiles, trajectories in every status, tasks,
appointments, documents and shares (passend/demo/management/population.py).

Seeding takes seconds, so the module seeds once (twice, to see that the second
run adds nothing) inside a transaction that is rolled back at the end.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.db.models import Model
from django.test import override_settings
from django.utils import timezone
from faker import Faker

from passend.candidates.models import (
    AvailabilitySlot,
    CandidateProfile,
    CandidateSkill,
    Education,
    ProfileShare,
    WorkExperience,
)
from passend.coaching.models import (
    Appointment,
    Assignee,
    Note,
    Task,
    Trajectory,
    TrajectoryStatus,
)
from passend.common.scope import organisation_scope
from passend.demo.management.demo import CANDIDATES_PER_ORGANISATION, seed_demo
from passend.demo.management.population import candidate_plan, demo_pdf
from passend.demo.personas import persona_email
from passend.documents.models import Document, DocumentKind
from passend.documents.validation import check_pdf
from passend.notifications.models import Notification
from passend.privacy.audit.models import Action, AuditEvent
from passend.taxonomy.models import Occupation, OccupationSkill, Relation, Skill
from passend.tenancy.models import Membership, Organisation, Role

pytestmark = pytest.mark.django_db

COUNTED: list[type[Model]] = [
    CandidateProfile,
    AvailabilitySlot,
    WorkExperience,
    Education,
    CandidateSkill,
    Trajectory,
    Task,
    Note,
    Appointment,
    Document,
    ProfileShare,
    Notification,
]


def counts() -> dict[str, int]:
    result = {"audit events": AuditEvent.objects.unscoped().count()}
    for organisation in Organisation.objects.all():
        with organisation_scope(organisation):
            for model in COUNTED:
                result[f"{organisation.slug} {model.__name__}"] = model.objects.count()
    return result


def _esco() -> None:
    """A sliver of ESCO: one occupation the demo uses, with three skills."""
    cook = Occupation.objects.create(uri="http://example.org/cook", pref_nl="kok", pref_en="cook")
    for number in range(3):
        skill = Skill.objects.create(
            uri=f"http://example.org/skill/{number}", pref_nl=f"koken {number}"
        )
        OccupationSkill.objects.create(occupation=cook, skill=skill, relation=Relation.ESSENTIAL)


@pytest.fixture(scope="module")
def seeded(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[dict[str, Any]]:
    media: Path = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=str(media)),
        transaction.atomic(),
    ):
        _esco()
        seed_demo()
        first = counts()
        seed_demo()
        second = counts()
        yield {"first": first, "second": second}
        transaction.set_rollback(True)


def each_organisation() -> Iterator[Organisation]:
    for organisation in Organisation.objects.order_by("slug"):
        with organisation_scope(organisation):
            yield organisation


def test_it_gives_each_organisation_dozens_of_candidates_with_filled_profiles(
    seeded: dict[str, Any],
) -> None:
    for _organisation in each_organisation():
        profiles = list(CandidateProfile.objects.all())
        assert len(profiles) == CANDIDATES_PER_ORGANISATION + 1  # and the persona
        for profile in profiles:
            assert profile.first_name
            assert profile.last_name
            assert profile.postcode
            assert profile.city
            assert profile.phone.startswith("+316")
            assert WorkExperience.objects.filter(profile=profile).exists()
            assert Education.objects.filter(profile=profile).exists()
            assert AvailabilitySlot.objects.filter(profile=profile).count() >= 2


def test_it_stores_no_bsn_for_any_demo_person(seeded: dict[str, Any]) -> None:
    for _organisation in each_organisation():
        profiles = list(CandidateProfile.objects.all())
        assert [p.bsn for p in profiles] == [""] * len(profiles)
        assert not CandidateProfile.objects.filter(bsn_index__isnull=False).exists()


def test_it_links_occupations_and_skills_from_esco_when_it_is_loaded(
    seeded: dict[str, Any],
) -> None:
    cooks = 0
    for _organisation in each_organisation():
        linked = WorkExperience.objects.filter(occupation__pref_nl="kok")
        assert linked.exists()
        assert set(linked.values_list("role", flat=True)) == {"Kok"}
        cooks += CandidateSkill.objects.count()
    assert cooks > 0


def test_it_has_trajectories_in_every_status(seeded: dict[str, Any]) -> None:
    for _organisation in each_organisation():
        statuses = set(Trajectory.objects.values_list("status", flat=True))
        assert statuses == set(TrajectoryStatus.values)
        assert CandidateProfile.objects.exclude(
            pk__in=Trajectory.objects.values("candidate")
        ).exists()  # and people who just signed up


def test_it_has_an_overdue_task_in_each_organisation(seeded: dict[str, Any]) -> None:
    today = timezone.localdate()
    for _organisation in each_organisation():
        overdue = Task.objects.filter(done_at__isnull=True, due_date__lt=today)
        assert overdue.exists()
        assert Task.objects.filter(done_at__isnull=False).exists()
    with organisation_scope(Organisation.objects.get(slug="werkpad")):
        assert Task.objects.filter(
            candidate__membership__user__email=persona_email("carla"),
            assignee=Assignee.CANDIDATE,
            done_at__isnull=True,
            due_date__lt=today,
        ).exists()


def test_it_plans_appointments_in_the_current_week(seeded: dict[str, Any]) -> None:
    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    for _organisation in each_organisation():
        this_week = Appointment.objects.filter(
            starts_at__date__gte=monday, starts_at__date__lt=monday + timedelta(days=7)
        )
        assert this_week.count() == Appointment.objects.count() >= 10
    with organisation_scope(Organisation.objects.get(slug="werkpad")):
        carla = Appointment.objects.get(candidate__membership__user__email=persona_email("carla"))
        assert carla.professional is not None
        assert carla.professional.user.email == persona_email("bob")


def test_it_gives_bob_a_real_caseload(seeded: dict[str, Any]) -> None:
    with organisation_scope(Organisation.objects.get(slug="werkpad")):
        bob = Membership.objects.get(user__email=persona_email("bob"))
        mine = Trajectory.objects.filter(professional=bob)
        assert mine.count() >= 10
        assert mine.filter(status=TrajectoryStatus.ACTIVE).count() >= 5
        assert Note.objects.filter(author=bob).count() >= 10
        assert Appointment.objects.filter(professional=bob).count() >= 5
        assert (
            Trajectory.objects.get(
                candidate__membership__user__email=persona_email("carla")
            ).professional
            == bob
        )


def test_it_uploads_valid_pdfs_through_the_document_service(seeded: dict[str, Any]) -> None:
    for _organisation in each_organisation():
        documents = list(Document.objects.all())
        assert len(documents) >= 10
        assert {d.kind for d in documents} == {DocumentKind.CV, DocumentKind.DIPLOMA}
        assert {d.content_type for d in documents} == {"application/pdf"}
        assert AuditEvent.objects.filter(
            target_model="documents.document", action=Action.CREATE
        ).count() >= len(documents)


def test_it_shares_profiles_with_employers_who_can_sign_in(seeded: dict[str, Any]) -> None:
    for _organisation in each_organisation():
        shares = list(ProfileShare.objects.select_related("employer"))
        assert len(shares) >= 5
        assert all(share.is_active for share in shares)
        with_users = set(
            Membership.objects.filter(role=Role.EMPLOYER).values_list("employer", flat=True)
        )
        assert {share.employer_id for share in shares} <= with_users
    with organisation_scope(Organisation.objects.get(slug="werkpad")):
        dave = Membership.objects.get(user__email=persona_email("dave"))
        assert ProfileShare.objects.filter(employer=dave.employer).exists()
        assert Notification.objects.filter(recipient=dave).exists()


def test_it_sends_no_mail_for_what_it_notifies(seeded: dict[str, Any]) -> None:
    assert mail.outbox == []
    for _organisation in each_organisation():
        assert Notification.objects.exists()
        assert not Notification.objects.filter(emailed_at__isnull=False).exists()


def test_it_adds_nothing_when_run_a_second_time(seeded: dict[str, Any]) -> None:
    assert seeded["second"] == seeded["first"]
    assert seeded["first"]["werkpad Trajectory"] > 30


def test_it_plans_the_same_candidate_from_the_same_seed() -> None:
    def plan(seed: int) -> Any:
        return candidate_plan(
            seed=seed, index=3, name="Sanne de Jong", email="sanne@x.test", faker=Faker("nl_NL")
        )

    assert plan(1) == plan(1)
    assert plan(1) != plan(2)


def test_it_makes_pdfs_the_upload_check_accepts() -> None:
    data = demo_pdf("Curriculum vitae (Zoë)", ["Werkervaring", "- kok bij Café 't Hoekje"])

    check_pdf(data)
    assert data.startswith(b"%PDF-1.4")
    assert data.rstrip().endswith(b"%%EOF")
