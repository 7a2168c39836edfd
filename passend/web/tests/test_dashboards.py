"""The home pages tell the truth: each role's dashboard is read from the data
as it is now, with a next step and links to where to act."""

from __future__ import annotations

from datetime import date, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from passend.candidates import services as candidate_services
from passend.candidates.models import (
    AvailabilitySlot,
    CandidateProfile,
    CandidateSkill,
    Education,
    WorkExperience,
)
from passend.coaching import services as coaching_services
from passend.common.scope import organisation_scope
from passend.documents import services as document_services
from passend.documents.tests.corpus import PDF_OK
from passend.privacy.requests import services as request_services
from passend.privacy.requests.models import Channel, DataSubjectRequest, RequestKind
from passend.taxonomy.models import Skill
from passend.tenancy.models import Employer
from passend.web import selectors
from passend.web.tests.html import main_part

pytestmark = pytest.mark.django_db


def _profile(personas: Any, key: str = "carla") -> CandidateProfile:
    with organisation_scope(personas.organisations["a"]):
        return candidate_services.candidate_profile_ensure(membership=personas.memberships[key])


def _completeness(personas: Any, key: str = "carla") -> selectors.ProfileCompleteness:
    with organisation_scope(personas.organisations["a"]):
        return selectors.profile_completeness(personas.memberships[key])[0]


def _fill_everything(personas: Any, media: Path, settings: Any) -> CandidateProfile:
    """Carla fills every part of her profile and uploads her CV."""
    settings.MEDIA_ROOT = str(media)
    carla = personas.memberships["carla"]
    profile = _profile(personas)
    with organisation_scope(personas.organisations["a"]):
        candidate_services.candidate_profile_update(
            profile=profile,
            by=carla,
            data={
                "first_name": "Carla",
                "last_name": "Bakker",
                "email": "carla@example.test",
                "city": "Utrecht",
                "interests": "Baking bread",
            },
        )
        skill = Skill.objects.create(uri="http://data.europa.eu/esco/skill/knead", pref_en="knead")
        entries: list[tuple[Any, dict[str, Any]]] = [
            (WorkExperience, {"employer_name": "De Korenaar", "role": "Baker",
                              "started_on": date(2019, 1, 1)}),
            (Education, {"institution": "ROC Utrecht", "programme": "Bakery"}),
            (CandidateSkill, {"skill": skill, "level": "good"}),
            (AvailabilitySlot, {"weekday": 0, "starts_at": time(9), "ends_at": time(17)}),
        ]  # fmt: skip
        for model, data in entries:
            candidate_services.section_entry_create(profile=profile, model=model, data=data)
        document_services.document_upload(
            candidate=profile, kind="cv", name="cv.pdf", chunks=[PDF_OK], by=carla
        )
    return profile


# The candidate


def test_it_counts_every_part_missing_for_a_candidate_without_a_profile(personas: Any) -> None:
    completeness = _completeness(personas)

    assert (completeness.done, completeness.total, completeness.percent) == (0, 9, 0)
    # Without a profile every link leads to "My profile", which makes one.
    assert {part.url for part in completeness.missing} == {"/candidates/me/", "/documents/"}


def test_it_raises_the_completeness_when_a_field_is_filled(personas: Any) -> None:
    profile = _profile(personas)
    before = _completeness(personas)

    with organisation_scope(personas.organisations["a"]):
        candidate_services.candidate_profile_update(
            profile=profile, by=personas.memberships["carla"], data={"city": "Utrecht"}
        )
    after = _completeness(personas)

    assert before.done == 0
    assert after.done == 1
    assert after.percent == 11
    assert "city" not in [part.key for part in after.missing]
    assert "city" in [part.key for part in before.missing]


def test_it_links_each_missing_part_to_where_it_is_filled(personas: Any) -> None:
    profile = _profile(personas)

    urls = {part.key: part.url for part in _completeness(personas).missing}

    assert urls["name"] == f"/candidates/{profile.pk}/edit/"
    assert urls["work"] == f"/candidates/{profile.pk}/work/add/"
    assert urls["skills"] == f"/candidates/{profile.pk}/skills/add/"
    assert urls["availability"] == f"/candidates/{profile.pk}/availability/add/"
    assert urls["cv"] == "/documents/"


def test_it_shows_carla_what_is_missing_until_her_profile_is_complete(
    personas: Any, as_persona: Any, tmp_path: Path, settings: Any
) -> None:
    client = as_persona("carla")
    empty = main_part(client.get("/").content.decode())

    profile = _fill_everything(personas, tmp_path, settings)
    full = main_part(client.get("/").content.decode())

    assert "Your profile is 0% complete: 0 of 9 parts filled in." in empty
    assert "Still missing" in empty
    assert "No CV yet" in empty
    assert "Your profile is still empty" not in full
    assert "Your profile is 100% complete: 9 of 9 parts filled in." in full
    assert "Still missing" not in full
    assert "Your profile is complete." in full
    assert "CV uploaded" in full
    assert "1 document" in full
    assert f"/candidates/{profile.pk}/edit/" not in full
    assert "You are up to date" in full


def test_it_shows_carla_her_open_tasks_with_the_overdue_one_first_and_as_next_step(
    personas: Any, as_persona: Any
) -> None:
    profile = _profile(personas)
    bob = personas.memberships["bob"]
    today = timezone.localdate()
    with organisation_scope(personas.organisations["a"]):
        trajectory = coaching_services.trajectory_create(
            candidate=profile, goal="Work in a bakery", start_date=today, status="active",
            professional=bob, by=bob,
        )  # fmt: skip
        coaching_services.task_create(
            trajectory=trajectory, title="Ask for references", due_date=today + timedelta(days=3)
        )
        coaching_services.task_create(
            trajectory=trajectory, title="Send the letter", due_date=today - timedelta(days=2)
        )
        done = coaching_services.task_create(trajectory=trajectory, title="Already done")
        coaching_services.task_set_done(task=done, done=True)

    response = as_persona("carla").get("/")
    home = response.context["home"]
    html = main_part(response.content.decode())

    assert [t.task.title for t in home.open_tasks] == ["Send the letter", "Ask for references"]
    assert [t.overdue for t in home.open_tasks] == [True, False]
    assert (home.open_task_count, home.overdue_task_count) == (2, 1)
    assert home.next_step.text == "A task is past its due date: Send the letter."
    assert "Already done" not in html
    assert "1 overdue" in html
    assert "Work in a bakery" in html


def test_it_shows_carla_only_her_next_appointment(personas: Any, as_persona: Any) -> None:
    profile = _profile(personas)
    bob = personas.memberships["bob"]
    now = timezone.now()
    with organisation_scope(personas.organisations["a"]):
        for days, place in [(-1, "Yesterday's room"), (9, "Later room"), (2, "Soon room")]:
            coaching_services.appointment_create(
                candidate=profile, starts_at=now + timedelta(days=days), place=place,
                professional=bob,
            )  # fmt: skip

    html = main_part(as_persona("carla").get("/").content.decode())

    assert "Soon room" in html
    assert "Later room" not in html
    assert "Yesterday's room" not in html


def test_it_costs_carla_the_same_queries_however_full_her_profile_is(
    personas: Any, as_persona: Any, tmp_path: Path, settings: Any
) -> None:
    client = as_persona("carla")
    _profile(personas)
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    _fill_everything(personas, tmp_path, settings)

    with CaptureQueriesContext(connection) as many:
        client.get("/")

    assert len(many) == len(few)


# The administrator


def test_it_shows_alice_the_open_requests_with_their_legal_deadlines(
    personas: Any, as_persona: Any
) -> None:
    alice = personas.memberships["alice"]
    today = timezone.localdate()
    with organisation_scope(personas.organisations["a"]):
        late = request_services.request_register(
            by=alice, channel=Channel.LETTER, name="Henk de Vries", email="",
            kind=RequestKind.ERASURE, description="", received_on=today - timedelta(days=40),
        )  # fmt: skip
        fresh = request_services.request_register(
            by=alice, channel=Channel.PHONE, name="Ineke Jansen", email="",
            kind=RequestKind.ACCESS, description="", received_on=today,
        )  # fmt: skip
        closed = request_services.request_register(
            by=alice, channel=Channel.PHONE, name="Jan Closed", email="",
            kind=RequestKind.OTHER, description="",
        )  # fmt: skip
        DataSubjectRequest.objects.filter(pk=closed.pk).update(status="answered")

    response = as_persona("alice").get("/")
    desk = response.context["desk"]
    html = main_part(response.content.decode())

    assert [row.request.pk for row in desk.open_requests] == [late.pk, fresh.pk]
    assert desk.open_count == 2
    assert {b.key: b.count for b in desk.buckets} == {"overdue": 1, "soon": 0, "later": 1}
    overdue_by = (today - late.deadline).days
    assert desk.open_requests[0].days_overdue == overdue_by
    assert desk.open_requests[1].days_left == (fresh.deadline - today).days
    assert "Henk de Vries" in html
    assert "Ineke Jansen" in html
    assert "Jan Closed" not in html
    assert f"overdue by {overdue_by} days" in html
    assert f'href="/requests/{late.pk}/"' in html
    assert "1 overdue" in html


def test_it_counts_an_extended_request_by_its_extended_deadline(personas: Any) -> None:
    alice = personas.memberships["alice"]
    today = timezone.localdate()
    with organisation_scope(personas.organisations["a"]):
        req = request_services.request_register(
            by=alice, channel=Channel.LETTER, name="Henk", email="",
            kind=RequestKind.ACCESS, description="", received_on=today - timedelta(days=40),
        )  # fmt: skip
        DataSubjectRequest.objects.filter(pk=req.pk).update(
            status="extended", extended_until=today + timedelta(days=20)
        )
        desk = selectors.privacy_desk()

    assert {b.key: b.count for b in desk.buckets} == {"overdue": 0, "soon": 0, "later": 1}
    assert desk.open_requests[0].days_left == 20


def test_it_shows_alice_no_request_of_another_organisation(personas: Any, as_persona: Any) -> None:
    charlie = personas.memberships["charlie"]
    with organisation_scope(personas.organisations["b"]):
        request_services.request_register(
            by=charlie, channel=Channel.LETTER, name="Someone Elsewhere", email="",
            kind=RequestKind.ACCESS, description="",
        )  # fmt: skip

    response = as_persona("alice").get("/")

    assert response.context["desk"].open_count == 0
    assert "Someone Elsewhere" not in response.content.decode()
    assert "No open requests." in main_part(response.content.decode())


# The career advisor


def test_it_shows_bob_his_day(personas: Any, as_persona: Any) -> None:
    bob = personas.memberships["bob"]
    profile = _profile(personas)
    today = timezone.localdate()
    now = timezone.localtime()
    with organisation_scope(personas.organisations["a"]):
        trajectory = coaching_services.trajectory_create(
            candidate=profile, goal="Work in a bakery", start_date=today, status="active",
            professional=bob, by=bob,
        )  # fmt: skip
        coaching_services.task_create(
            trajectory=trajectory, title="Late one", due_date=today - timedelta(days=1)
        )
        coaching_services.task_create(
            trajectory=trajectory, title="Late two", due_date=today - timedelta(days=5)
        )
        coaching_services.task_create(trajectory=trajectory, title="On time", due_date=today)
        # Later today, unless the day is nearly over: then early this morning.
        at = now + timedelta(minutes=30)
        if at.date() != now.date():
            at = now.replace(hour=0, minute=5)
        coaching_services.appointment_create(
            candidate=profile, starts_at=at, place="Room 1", professional=bob
        )

    response = as_persona("bob", "a").get("/")
    day = response.context["day"]
    html = main_part(response.content.decode())

    assert day.my_candidates == 1
    assert (day.overdue_tasks, day.overdue_candidates) == (2, 1)
    assert [a.place for a in day.appointments_today] == ["Room 1"]
    assert day.appointments_this_week == 1
    assert 'href="/coaching/caseload/?mine=1&amp;overdue=1"' in html
    assert 'href="/coaching/caseload/?status=none"' in html
    assert f'href="/coaching/candidates/{profile.pk}/"' in html


def test_a_crowded_day_shows_a_window_of_appointments_and_counts_them_all(
    personas: Any, as_persona: Any, monkeypatch: Any
) -> None:
    monkeypatch.setattr(selectors, "HOME_APPOINTMENTS", 2)
    bob = personas.memberships["bob"]
    profile = _profile(personas)
    start = timezone.localtime().replace(hour=0, minute=5, second=0, microsecond=0)
    with organisation_scope(personas.organisations["a"]):
        for minutes in (0, 30, 60, 90):
            coaching_services.appointment_create(
                candidate=profile,
                starts_at=start + timedelta(minutes=minutes),
                place=f"Room {minutes}",
                professional=bob,
            )

    response = as_persona("bob", "a").get("/")
    day = response.context["day"]
    html = main_part(response.content.decode())

    assert [a.place for a in day.appointments_today] == ["Room 0", "Room 30"]
    assert (day.appointments_today_count, day.more_appointments_today) == (4, 2)
    assert day.appointments_this_week == 4
    assert "2 more appointments today" in html
    assert "Room 60" not in html


def test_it_counts_the_candidates_without_a_trajectory(personas: Any) -> None:
    _profile(personas)

    with organisation_scope(personas.organisations["a"]):
        day = selectors.advisor_home(personas.memberships["bob"])

    assert day.my_candidates == 0
    assert day.without_trajectory == 1


# The employer


def test_it_shows_dave_the_profiles_shared_with_him_newest_first(
    personas: Any, as_persona: Any
) -> None:
    organisation = personas.organisations["a"]
    dave = personas.memberships["dave"]
    bob = personas.memberships["bob"]
    carla = _profile(personas)
    with organisation_scope(organisation):
        employer = Employer.objects.get(pk=dave.employer_id)
        candidate_services.candidate_profile_update(
            profile=carla, by=bob, data={"first_name": "Carla", "last_name": "Bakker"}
        )
        for by in (personas.memberships["carla"], bob):
            candidate_services.profile_share(profile=carla, employer=employer, by=by)

    response = as_persona("dave").get("/")
    html = main_part(response.content.decode())

    assert [p.pk for p in response.context["shares"].recent_shares] == [carla.pk]
    assert response.context["shares"].shared_count == 1
    assert f'href="/candidates/{carla.pk}/"' in html
    assert "Carla Bakker" in html


def test_it_shows_dave_no_profile_that_is_only_half_shared(personas: Any, as_persona: Any) -> None:
    dave = personas.memberships["dave"]
    carla = _profile(personas)
    with organisation_scope(personas.organisations["a"]):
        employer = Employer.objects.get(pk=dave.employer_id)
        candidate_services.profile_share(
            profile=carla, employer=employer, by=personas.memberships["carla"]
        )

    response = as_persona("dave").get("/")

    assert response.context["shares"].shared_count == 0
    assert "No profiles have been shared with you yet." in main_part(response.content.decode())
