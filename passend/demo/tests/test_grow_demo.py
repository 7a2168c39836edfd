"""`grow_demo`: many candidates with histories, fast and idempotent (growth.py)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count

from passend.candidates.models import CandidateProfile, Education, WorkExperience
from passend.coaching.models import ActionPlan, Appointment, Note, Task, Trajectory
from passend.common.scope import organisation_scope
from passend.demo.management.growth import RICH_WEEKS, grow_organisation, grown_email
from passend.demo.personas import DEMO_PASSWORD, ensure_personas
from passend.tenancy.models import Membership, Role

pytestmark = pytest.mark.django_db


def candidate_count(organisation: object) -> int:
    with organisation_scope(organisation):
        return Membership.objects.filter(role=Role.CANDIDATE).count()


def test_it_grows_the_organisation_to_the_number_asked_and_no_further() -> None:
    personas = ensure_personas()
    org_a = personas.organisations["a"]
    assert candidate_count(org_a) == 1  # carla

    first = grow_organisation(org_a, candidates=12, rich=0)
    again = grow_organisation(org_a, candidates=12, rich=0)
    more = grow_organisation(org_a, candidates=15, rich=0)

    assert (first.before, first.created, first.after) == (1, 11, 12)
    assert again.created == 0
    assert (more.created, more.after) == (3, 15)
    assert candidate_count(org_a) == 15
    emails = set(get_user_model().objects.values_list("email", flat=True))
    assert {grown_email(org_a, n) for n in range(1, 15)} <= emails


def test_it_adds_career_advisors_until_each_has_a_realistic_caseload() -> None:
    personas = ensure_personas()
    org_a = personas.organisations["a"]

    with organisation_scope(org_a):
        advisors = Membership.objects.filter(role=Role.PROFESSIONAL, is_active=True)
        before = advisors.count()

    result = grow_organisation(org_a, candidates=40, rich=0, caseload=5)
    again = grow_organisation(org_a, candidates=40, rich=0, caseload=5)

    with organisation_scope(org_a):
        assert advisors.count() == 8
        assert (result.advisors_added, again.advisors_added) == (8 - before, 0)
        caseloads = sorted(
            Trajectory.objects.filter(professional__in=advisors)
            .values("professional")
            .annotate(n=Count("pk"))
            .values_list("n", flat=True)
        )
        # Nobody coaches the whole organisation; the lead advisor (bob) the most.
        assert caseloads[-1] <= 12
        bob = personas.memberships["bob"]
        assert Trajectory.objects.filter(professional=bob).count() == caseloads[-1]


def test_its_candidates_have_histories_encrypted_like_any_other() -> None:
    personas = ensure_personas()
    org_a = personas.organisations["a"]

    grow_organisation(org_a, candidates=21, rich=0)

    with organisation_scope(org_a):
        profiles = CandidateProfile.objects.exclude(membership=personas.memberships["carla"])
        assert profiles.count() == 20
        assert all(p.first_name and p.city and p.date_of_birth for p in profiles)
        assert WorkExperience.objects.count() >= 20
        assert Education.objects.count() == 20
        # One in ten has just signed up; the others have a trajectory with a plan.
        assert Trajectory.objects.count() == 18
        assert ActionPlan.objects.count() == 18
        assert Task.objects.exists()
        assert Appointment.objects.exists()
        note = Note.objects.first()
        assert note is not None
        assert note.text  # decrypts with the organisation's key
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT text FROM {Note._meta.db_table}")
        stored = [row[0] for row in cursor.fetchall()]
    assert stored
    assert all(value.startswith("enc1:") for value in stored)


def test_the_first_grown_candidate_gets_a_long_history() -> None:
    personas = ensure_personas()
    org_a = personas.organisations["a"]

    result = grow_organisation(org_a, candidates=3, rich=1)

    assert result.rich == [grown_email(org_a, 1)]
    with organisation_scope(org_a):
        rich = CandidateProfile.objects.get(membership__user__email=grown_email(org_a, 1))
        assert Task.objects.filter(candidate=rich).count() > 2 * RICH_WEEKS
        assert Note.objects.filter(candidate=rich).count() > RICH_WEEKS
        assert Appointment.objects.filter(candidate=rich).count() == RICH_WEEKS + 1
        # Its history lies in the past, not all on today.
        dates = set(Note.objects.filter(candidate=rich).values_list("created_at__date", flat=True))
        assert len(dates) > RICH_WEEKS


def test_it_leaves_other_organisations_alone_and_its_people_can_sign_in() -> None:
    personas = ensure_personas()
    org_a, org_b = personas.organisations["a"], personas.organisations["b"]
    before_b = candidate_count(org_b)

    grow_organisation(org_a, candidates=4, rich=0)

    assert candidate_count(org_b) == before_b
    user = get_user_model().objects.get(email=grown_email(org_a, 1))
    assert user.check_password(DEMO_PASSWORD)


def test_the_command_says_what_it_did_and_refuses_an_unknown_organisation() -> None:
    ensure_personas()
    out = StringIO()

    call_command("grow_demo", "--candidates=3", "--rich=0", stdout=out)

    assert "3 candidates (2 added, and 0 career advisors" in out.getvalue()
    with pytest.raises(CommandError, match="caseload"):
        call_command("grow_demo", "--caseload=0", stdout=StringIO())
    with pytest.raises(CommandError, match="seed_demo"):
        call_command("grow_demo", "--organisation=nowhere", stdout=StringIO())
