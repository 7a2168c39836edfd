"""Notifications: each event tells exactly the right person, e-mail follows the
person's choice and language, marking as read is one's own, the `.ics` file
and the beat jobs."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone

from conftest import client_for
from passend.candidates import services as candidate_services
from passend.candidates.models import CandidateProfile
from passend.coaching import services as coaching_services
from passend.coaching.tasks import notify_tasks_due_tomorrow
from passend.common.scope import organisation_scope
from passend.notifications import selectors, services
from passend.notifications.models import Kind, Notification
from passend.notifications.tasks import notify_request_deadlines
from passend.privacy.requests import services as dsr_services

MARCH = timezone.make_aware(datetime(2027, 3, 4, 14, 30))


@pytest.fixture
def setup(personas: Any) -> dict[str, Any]:
    org = personas.organisations["a"]
    with organisation_scope(org):
        profile, _ = CandidateProfile.objects.get_or_create(
            membership=personas.memberships["carla"], defaults={"organisation": org}
        )
        trajectory = coaching_services.trajectory_create(
            candidate=profile,
            goal="Work",
            start_date=date(2026, 1, 5),
            professional=personas.memberships["bob"],
        )
    return {"org": org, "profile": profile, "trajectory": trajectory}


def all_notifications(org: Any) -> list[tuple[str, str]]:
    with organisation_scope(org):
        return [
            (n.recipient.user.email.split("@")[0], n.kind)
            for n in Notification.objects.select_related("recipient__user").order_by("created_at")
        ]


def plan(profile: Any, starts_at: datetime = MARCH, **extra: Any) -> Any:
    return coaching_services.appointment_create(
        candidate=profile, starts_at=starts_at, place="Oudegracht 120, Utrecht", **extra
    )


def test_it_tells_only_the_candidate_of_a_new_appointment_and_mails_the_ics(
    setup: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with organisation_scope(setup["org"]), django_capture_on_commit_callbacks(execute=True):
        appointment = plan(setup["profile"])

    assert all_notifications(setup["org"]) == [("carla", Kind.APPOINTMENT_PLANNED)]
    [email] = mail.outbox
    assert email.to == ["carla@werkpad.test"] or email.to[0].startswith("carla")
    [(name, content, mimetype)] = email.attachments
    assert name == "appointment-20270304-1430.ics"
    assert mimetype == "text/calendar"
    text = content.decode() if isinstance(content, bytes) else content
    assert f"UID:{appointment.pk}@passend" in text
    assert "DTSTART:20270304T133000Z" in text


def test_it_mails_in_the_language_the_recipient_chose(
    setup: Any, personas: Any, django_capture_on_commit_callbacks: Any
) -> None:
    carla = personas["carla"]
    with organisation_scope(setup["org"]), django_capture_on_commit_callbacks(execute=True):
        plan(setup["profile"])
    carla.preferred_language = "en"
    carla.save()
    with organisation_scope(setup["org"]), django_capture_on_commit_callbacks(execute=True):
        plan(setup["profile"], starts_at=MARCH + timedelta(days=1))

    dutch, english = mail.outbox
    assert "4 maart 2027, 14:30" in dutch.subject
    assert "5 March 2027, 14:30" in english.subject
    assert "New appointment on 5 March 2027, 14:30." in english.body


def test_it_sends_no_email_for_a_kind_the_person_unticked_but_still_notifies_in_the_app(
    setup: Any, personas: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with organisation_scope(setup["org"]):
        services.preference_save(
            membership=personas.memberships["carla"], email_kinds=[Kind.TASK_ASSIGNED]
        )
        with django_capture_on_commit_callbacks(execute=True):
            plan(setup["profile"])

    assert all_notifications(setup["org"]) == [("carla", Kind.APPOINTMENT_PLANNED)]
    assert mail.outbox == []


def test_it_sends_nothing_when_the_event_is_rolled_back(
    setup: Any, django_capture_on_commit_callbacks: Any
) -> None:
    def plan_then_fail() -> None:
        with transaction.atomic():
            plan(setup["profile"])
            raise RuntimeError

    with (
        organisation_scope(setup["org"]),
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
    ):
        plan_then_fail()

    assert all_notifications(setup["org"]) == []
    assert mail.outbox == []


def test_it_tells_the_candidate_of_a_changed_time_but_not_of_a_changed_companion(
    setup: Any,
) -> None:
    with organisation_scope(setup["org"]):
        appointment = plan(setup["profile"])
        coaching_services.appointment_update(appointment=appointment, with_whom="Jobcoach")
        coaching_services.appointment_update(
            appointment=appointment, starts_at=MARCH + timedelta(hours=2)
        )

    assert all_notifications(setup["org"]) == [
        ("carla", Kind.APPOINTMENT_PLANNED),
        ("carla", Kind.APPOINTMENT_CHANGED),
    ]


def test_it_tells_the_assignee_of_a_task_and_nobody_else(setup: Any) -> None:
    with organisation_scope(setup["org"]):
        coaching_services.task_create(trajectory=setup["trajectory"], title="Write a CV")
        coaching_services.task_create(
            trajectory=setup["trajectory"], title="Call the bakery", assignee="professional"
        )

    assert all_notifications(setup["org"]) == [
        ("carla", Kind.TASK_ASSIGNED),
        ("bob", Kind.TASK_ASSIGNED),
    ]


def test_it_tells_the_employer_once_both_halves_of_a_share_are_there(
    setup: Any, personas: Any
) -> None:
    company = personas.memberships["dave"].employer
    with organisation_scope(setup["org"]):
        candidate_services.profile_share(
            profile=setup["profile"], employer=company, by=personas.memberships["bob"]
        )
        assert all_notifications(setup["org"]) == []
        candidate_services.profile_share(
            profile=setup["profile"], employer=company, by=personas.memberships["carla"]
        )
        [notification] = Notification.objects.all()

    assert all_notifications(setup["org"]) == [("dave", Kind.PROFILE_SHARED)]
    assert notification.link == f"/candidates/{setup['profile'].pk}/"
    assert "Carla" not in str(notification.params)


def test_it_lets_a_person_mark_only_their_own_notification_as_read(
    setup: Any, personas: Any
) -> None:
    with organisation_scope(setup["org"]):
        plan(setup["profile"])
        [notification] = Notification.objects.all()
    url = f"/notifications/{notification.pk}/read/"

    assert client_for(personas["bob"]).post(url).status_code == 404
    assert client_for(personas["charlie"]).post(url).status_code == 404
    with organisation_scope(setup["org"]):
        assert Notification.objects.get().read_at is None

    answer = client_for(personas["carla"]).post(url, {"open": "1"})

    assert answer.status_code == 302
    assert answer["Location"] == "/coaching/me/"
    with organisation_scope(setup["org"]):
        assert Notification.objects.get().read_at is not None


def test_it_marks_all_of_ones_own_as_read_and_no_one_elses(setup: Any) -> None:
    with organisation_scope(setup["org"]):
        plan(setup["profile"])
        coaching_services.task_create(
            trajectory=setup["trajectory"], title="Call", assignee="professional"
        )
        coaching_services.task_create(trajectory=setup["trajectory"], title="Write a CV")
    carla = setup["profile"].membership

    with organisation_scope(setup["org"]):
        assert services.notifications_mark_all_read(recipient=carla) == 2
        unread = [n.recipient.user.email for n in Notification.objects.filter(read_at=None)]
        assert selectors.unread_count(carla) == 0

    assert [email.split("@")[0] for email in unread] == ["bob"]


def test_it_shows_the_unread_count_on_the_bell(setup: Any, personas: Any) -> None:
    with organisation_scope(setup["org"]):
        plan(setup["profile"])
        plan(setup["profile"], starts_at=MARCH + timedelta(days=1))

    page = client_for(personas["carla"]).get("/notifications/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()

    assert page.status_code == 200
    assert '<span class="notification-count" aria-hidden="true">2</span>' in html
    assert "Notifications, 2 unread" in html
    assert "New appointment on 4 March 2027, 14:30." in html


def test_it_saves_the_email_choice_and_keeps_it_on_the_page(setup: Any, personas: Any) -> None:
    client = client_for(personas["carla"])

    answer = client.post("/notifications/preferences/", {"email_kinds": [Kind.TASK_DUE]})

    assert answer.status_code == 302
    with organisation_scope(setup["org"]):
        assert selectors.email_kinds_of(personas.memberships["carla"]) == [Kind.TASK_DUE]
    page = client.get("/notifications/preferences/").content.decode()
    assert page.count("checked") == 1
    assert 'value="task_due"' in page
    assert 'value="request_deadline"' not in page


def test_it_serves_the_appointment_as_a_calendar_file_to_the_candidate_only(
    setup: Any, personas: Any
) -> None:
    with organisation_scope(setup["org"]):
        appointment = plan(setup["profile"])
    url = f"/coaching/appointments/{appointment.pk}/calendar.ics"

    answer = client_for(personas["carla"]).get(url)

    assert answer.status_code == 200
    assert answer["Content-Type"] == "text/calendar; charset=utf-8"
    assert answer["Content-Disposition"] == 'attachment; filename="appointment-20270304-1430.ics"'
    text = answer.content.decode()
    assert text.startswith("BEGIN:VCALENDAR\r\n")
    assert "VERSION:2.0\r\n" in text
    assert "DTSTART:20270304T133000Z\r\n" in text
    assert "DTEND:20270304T143000Z\r\n" in text
    assert "LOCATION:Oudegracht 120\\, Utrecht\r\n" in text
    assert client_for(personas["dave"]).get(url).status_code == 404
    assert client_for(personas["charlie"]).get(url).status_code == 404


def test_it_tells_of_a_task_due_tomorrow_once_however_often_the_job_runs(setup: Any) -> None:
    today = timezone.localdate()
    with organisation_scope(setup["org"]):
        due = coaching_services.task_create(
            trajectory=setup["trajectory"], title="Apply", due_date=today + timedelta(days=1)
        )
        coaching_services.task_create(
            trajectory=setup["trajectory"], title="Later", due_date=today + timedelta(days=2)
        )
        done = coaching_services.task_create(
            trajectory=setup["trajectory"], title="Done", due_date=today + timedelta(days=1)
        )
        coaching_services.task_set_done(task=done, done=True)
        Notification.objects.all().delete()

    assert notify_tasks_due_tomorrow(today.isoformat()) == 1
    assert notify_tasks_due_tomorrow(today.isoformat()) == 0
    with organisation_scope(setup["org"]):
        [notification] = Notification.objects.all()
    assert (notification.kind, notification.params["title"]) == (Kind.TASK_DUE, due.title)
    assert all_notifications(setup["org"]) == [("carla", Kind.TASK_DUE)]


def test_it_tells_the_admins_of_a_request_deadline_once(setup: Any, personas: Any) -> None:
    with organisation_scope(setup["org"]):
        request = dsr_services.request_file_own(
            membership=personas.memberships["carla"], kind="access", description="All of it"
        )
    early = (request.deadline - timedelta(days=8)).isoformat()
    near = (request.deadline - timedelta(days=7)).isoformat()

    assert notify_request_deadlines(early) == 0
    assert notify_request_deadlines(near) == 1
    assert notify_request_deadlines(near) == 0
    assert all_notifications(setup["org"]) == [("alice", Kind.REQUEST_DEADLINE)]
    assert all_notifications(personas.organisations["b"]) == []


def test_it_mails_no_one_inside_without_email(
    setup: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        organisation_scope(setup["org"]),
        django_capture_on_commit_callbacks(execute=True),
        services.without_email(),
    ):
        plan(setup["profile"])

    assert all_notifications(setup["org"]) == [("carla", Kind.APPOINTMENT_PLANNED)]
    assert mail.outbox == []
