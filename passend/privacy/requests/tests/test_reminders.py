"""Reminders to admins about lapsing requests: once each, with a fixed "today"."""

from __future__ import annotations

from datetime import date, timedelta

from django.core import mail
from django.core.management import call_command

from passend.privacy.requests import jobs, services
from passend.privacy.requests.models import RequestKind
from passend.privacy.requests.tasks import remind_lapsing_requests
from passend.privacy.requests.tests.conftest import events_for, set_due

DUE = date(2026, 3, 31)


def _reminders_to(address: str) -> list:
    return [m for m in mail.outbox if m.to == [address] and "need an answer" in m.subject]


def test_it_reminds_the_admins_once_at_seven_days_once_at_one_day_and_once_when_overdue(
    carla_access, django_capture_on_commit_callbacks
):
    set_due(carla_access, DUE)
    days = [DUE + timedelta(days=offset) for offset in (-10, -7, -6, -1, 0, 1, 5)]
    counts = []
    for today in days:
        with django_capture_on_commit_callbacks(execute=True):
            counts.append(jobs.requests_remind(today=today))
    assert counts == [0, 1, 0, 1, 0, 1, 0]
    sent = _reminders_to("alice@passend.test")
    assert len(sent) == 3
    assert "overdue by 1 day" in sent[-1].body
    assert "Carla" not in "".join(m.body for m in sent)  # no personal data in reminders
    carla_access.refresh_from_db()
    assert carla_access.reminders_sent == [f"{DUE}:7d", f"{DUE}:1d", f"{DUE}:overdue"]
    assert events_for(carla_access).filter(detail__startswith="deadline reminder").count() == 3


def test_it_sends_nothing_new_when_the_task_runs_twice_on_the_same_day(
    carla_access, django_capture_on_commit_callbacks
):
    set_due(carla_access, DUE)
    with django_capture_on_commit_callbacks(execute=True):
        first = remind_lapsing_requests((DUE - timedelta(days=1)).isoformat())
    with django_capture_on_commit_callbacks(execute=True):
        second = remind_lapsing_requests((DUE - timedelta(days=1)).isoformat())
    assert (first, second) == (1, 0)
    assert len(_reminders_to("alice@passend.test")) == 1


def test_it_catches_up_with_the_most_urgent_reminder_only(
    carla_access, django_capture_on_commit_callbacks
):
    set_due(carla_access, DUE)
    with django_capture_on_commit_callbacks(execute=True):
        jobs.requests_remind(today=DUE + timedelta(days=3))
    carla_access.refresh_from_db()
    assert carla_access.reminders_sent == [f"{DUE}:overdue"]


def test_it_reminds_anew_for_the_extended_deadline(
    carla_access, alice_m, scope_a, django_capture_on_commit_callbacks
):
    services.request_extend(request=carla_access, by=alice_m, reason="Complex")
    old_due = carla_access.due_on
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.requests_remind(today=old_due - timedelta(days=1)) == 0
        assert jobs.requests_remind(today=carla_access.extended_until) == 1
    carla_access.refresh_from_db()
    assert carla_access.reminders_sent == [f"{carla_access.extended_until}:1d"]


def test_it_does_not_remind_about_closed_requests(
    carla_access, alice_m, scope_a, django_capture_on_commit_callbacks
):
    services.request_withdraw(request=carla_access, by=alice_m)
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.requests_remind(today=carla_access.due_on + timedelta(days=1)) == 0


def test_it_reminds_only_the_admins_of_the_requests_organisation(
    carla_access, org_b, django_capture_on_commit_callbacks
):
    set_due(carla_access, DUE)
    with django_capture_on_commit_callbacks(execute=True):
        jobs.requests_remind(today=DUE)
    assert _reminders_to("charlie@passend.test") == []
    assert len(_reminders_to("alice@passend.test")) == 1


def test_the_management_command_runs_the_reminders(
    carla_access, django_capture_on_commit_callbacks, capsys
):
    set_due(carla_access, DUE)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("remind_requests", "--today", DUE.isoformat())
        call_command("remind_requests", "--today", DUE.isoformat())
    assert len(_reminders_to("alice@passend.test")) == 1
    assert "Sent 1 reminders." in capsys.readouterr().out


def test_it_ignores_requests_far_from_their_deadline(org_a, django_capture_on_commit_callbacks):
    services.request_file_public(
        name="Y", email="y@example.org", organisation=org_a, kind=RequestKind.OTHER, description=""
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert jobs.requests_remind() == 0
