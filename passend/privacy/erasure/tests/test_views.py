"""Settings > Account > Delete my account, the receipt, and an admin's erasure."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from conftest import client_for
from passend.accounts.models import User
from passend.common.scope import organisation_scope
from passend.privacy.erasure import services
from passend.privacy.erasure.models import ErasureRun, RunStatus
from passend.privacy.erasure.tasks import run_erasure
from passend.privacy.rights.graph import all_rows
from passend.tenancy.models import Membership, Role

PASSWORD = "passend-demo-2026"
URL = "/account/delete/"


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def test_the_page_explains_what_goes_and_what_is_kept(personas):
    response = client_for(personas["carla"], personas.organisations["a"]).get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "What will be deleted" in body
    assert "What must be kept" in body
    assert 'autocomplete="current-password"' in body


def test_a_wrong_password_deletes_nothing_and_says_why(personas):
    carla = personas["carla"]
    response = client_for(carla, personas.organisations["a"]).post(
        URL, {"password": "not-it", "understood": "on"}
    )
    assert response.status_code == 400
    assert "That is not your password." in response.content.decode()
    carla.refresh_from_db()
    assert carla.is_active
    assert not ErasureRun.objects.exists()


def test_it_must_be_confirmed(personas):
    response = client_for(personas["carla"], personas.organisations["a"]).post(
        URL, {"password": PASSWORD}
    )
    assert response.status_code == 400
    assert not ErasureRun.objects.exists()


def test_the_only_admin_cannot_leave_the_organisation_without_one(personas):
    alice = personas["alice"]
    response = client_for(alice, personas.organisations["a"]).post(
        URL, {"password": PASSWORD, "understood": "on"}
    )
    assert response.status_code == 400
    assert "only administrator" in response.content.decode()
    assert not ErasureRun.objects.exists()


def test_deleting_the_account_signs_out_and_shows_the_receipt(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    carla = personas["carla"]
    client = client_for(carla, personas.organisations["a"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"password": PASSWORD, "understood": "on"})
    assert response.status_code == 302
    run = ErasureRun.objects.get(user_id=carla.pk)
    assert run.status == RunStatus.DONE
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200
    assert "Erasure receipt" in receipt.content.decode()
    assert not all_rows(Membership).filter(user_id=carla.pk).exists()
    assert "_auth_user_id" not in client.session  # signed out
    (mail,) = mailoutbox
    assert mail.to == ["carla@passend.test"]
    assert "/account/delete/receipt/" in mail.body
    assert not User.objects.filter(pk=carla.pk, is_active=True).exists()


def test_a_forged_receipt_link_is_not_found(client, db):
    assert client.get(reverse("erasure:receipt", kwargs={"token": "forged"})).status_code == 404


def _member_url(membership: Membership) -> str:
    return reverse("erasure:member", kwargs={"membership_id": membership.pk})


def test_an_admin_erases_a_person_in_their_own_organisation_only(
    personas, django_capture_on_commit_callbacks
):
    bob_in_a = personas.memberships["bob"]
    client = client_for(personas["alice"], personas.organisations["a"])
    assert client.get(_member_url(bob_in_a)).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_member_url(bob_in_a), {"understood": "on"})
    assert response.status_code == 302
    remaining = list(all_rows(Membership).filter(user=personas["bob"]))
    assert [m.organisation_id for m in remaining] == [personas.organisations["b"].pk]
    assert User.objects.get(pk=personas["bob"].pk).is_active


def test_another_organisations_admin_gets_not_found(personas):
    client = client_for(personas["charlie"], personas.organisations["b"])
    assert client.get(_member_url(personas.memberships["carla"])).status_code == 404
    assert (
        client.post(_member_url(personas.memberships["carla"]), {"understood": "on"}).status_code
        == 404
    )
    assert not ErasureRun.objects.exists()


def test_an_advisor_may_not_erase(personas):
    client = client_for(personas["bob"], personas.organisations["a"])
    assert client.get(_member_url(personas.memberships["carla"])).status_code == 403


def test_an_admin_cannot_erase_themselves_here(personas):
    alice_in_a = personas.memberships["alice"]
    client = client_for(personas["alice"], personas.organisations["a"])
    response = client.post(_member_url(alice_in_a), {"understood": "on"})
    assert response.status_code == 400
    with organisation_scope(personas.organisations["a"]):
        assert Membership.objects.filter(pk=alice_in_a.pk, role=Role.ADMIN).exists()


def test_it_lists_on_the_receipt_what_the_page_listed(personas, django_capture_on_commit_callbacks):
    """Page and receipt come from one inventory: a task (deleted along with its
    trajectory by the database) is on both, and so is everything else."""
    from datetime import date

    from passend.candidates.models import WorkExperience
    from passend.candidates.services import candidate_profile_ensure, section_entry_create
    from passend.coaching.services import note_create, task_create, trajectory_create

    carla = personas["carla"]
    with organisation_scope(personas.organisations["a"]):
        profile = candidate_profile_ensure(membership=personas.memberships["carla"])
        section_entry_create(
            profile=profile,
            model=WorkExperience,
            data={"employer_name": "Bakkerij", "role": "Bakker", "started_on": "2020-01-01"},
        )
        trajectory = trajectory_create(candidate=profile, goal="Werk", start_date=date(2026, 1, 1))
        task_create(trajectory=trajectory, title="Cv bijwerken")
        task_create(trajectory=trajectory, title="Sollicitatiebrief")
        note_create(candidate=profile, author=personas.memberships["bob"], text="Goed gesprek")
    client = client_for(carla, personas.organisations["a"])
    page = client.get(URL).context["preview"]
    assert {"what": "Tasks", "count": 2} in page["deleted"]

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, {"password": PASSWORD, "understood": "on"})
    receipt = client.get(response["Location"])

    assert receipt.context["done"]
    assert receipt.context["receipt"] == page


# --- in the background ----------------------------------------------------------------


def test_it_starts_the_erasure_only_once_the_run_is_committed(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    carla = personas["carla"]
    client = client_for(carla, personas.organisations["a"])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(URL, {"password": PASSWORD, "understood": "on"})

    # Not yet committed: nothing is erased and nothing was sent to a worker.
    run = ErasureRun.objects.get(user_id=carla.pk)
    assert run.status == RunStatus.RUNNING
    assert all_rows(Membership).filter(user_id=carla.pk).exists()
    receipt = client.get(response["Location"])
    assert not receipt.context["done"]
    assert "The erasure is in progress" in receipt.content.decode()
    assert mailoutbox == []
    # The commit sends the task, which finishes the run and mails the receipt.
    (send,) = callbacks
    send()
    run.refresh_from_db()
    assert run.status == RunStatus.DONE
    assert not all_rows(Membership).filter(user_id=carla.pk).exists()
    assert [mail.to for mail in mailoutbox] == [["carla@passend.test"]]


def test_it_erases_and_sends_the_receipt_once_when_the_task_runs_twice(
    personas, mailoutbox, django_capture_on_commit_callbacks
):
    carla = personas["carla"]
    with django_capture_on_commit_callbacks(execute=False):
        run = services.close_account(user=carla)

    first = run_erasure.apply(args=[str(run.pk)], kwargs={"notify": carla.email}).get()
    sent = ErasureRun.objects.get(pk=run.pk).receipt_sent_at
    again = run_erasure.apply(args=[str(run.pk)], kwargs={"notify": carla.email}).get()

    assert first == again == RunStatus.DONE
    run.refresh_from_db()
    assert run.receipt_sent_at == sent is not None
    assert len(mailoutbox) == 1
