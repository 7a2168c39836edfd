"""Answering rights through the desk: the export of an organisation's data,
restriction and objection on the person's behalf, and rectification."""

from __future__ import annotations

import json
import re
import zipfile
from io import BytesIO
from typing import Any

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from conftest import client_for
from passend.candidates import services as candidate_services
from passend.candidates.models import WorkExperience
from passend.common.scope import organisation_scope
from passend.privacy.audit.models import AuditEvent
from passend.privacy.requests import jobs, services
from passend.privacy.requests.models import (
    DataSubjectRequest,
    MessageKind,
    RequestKind,
    RequestMessage,
    RequestStatus,
)
from passend.privacy.requests.tests.conftest import events_for
from passend.privacy.restriction.models import Objection, Restriction
from passend.privacy.rights.models import ExportJob, ExportStatus

DOWNLOAD = re.compile(r"/my-data/export/download/([^/\s]+)/")


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


def _url(name: str, req: DataSubjectRequest) -> str:
    return reverse(f"requests:{name}", args=[req.pk])


def _own(membership: Any, kind: str, **extra: Any) -> DataSubjectRequest:
    with organisation_scope(membership.organisation):
        return services.request_file_own(membership=membership, kind=kind, description="", **extra)


def _public(org: Any, kind: str, email: str = "carla@passend.test") -> DataSubjectRequest:
    [req] = services.request_file_public(
        name="Carla Bakker", email=email, organisation=org, kind=kind, description=""
    )
    assert isinstance(req, DataSubjectRequest)
    return req


def _mail_to(address: str) -> list[Any]:
    return [m for m in mail.outbox if address in m.to]


def _zip_data(content: bytes) -> dict[str, Any]:
    return json.loads(zipfile.ZipFile(BytesIO(content)).read("data.json"))


# --- access and portability: the organisation's export ------------------------------


def test_an_admin_prepares_the_export_and_the_link_goes_to_the_account_address(
    personas, org_a, alice, carla, django_capture_on_commit_callbacks
):
    # given carla asked by the public form; her account's address changed since
    req = _public(org_a, RequestKind.ACCESS)
    with organisation_scope(org_a):
        services.request_check_identity(
            request=req, by=personas.memberships["alice"], verified=True
        )
    carla.email = "carla.new@passend.test"
    carla.save()
    mail.outbox.clear()

    # when alice presses the button
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(alice, org_a).post(_url("export", req))

    # then the link goes to the account's address, never to the address typed
    assert response.status_code == 302
    assert _mail_to("carla@passend.test") == []
    [sent] = _mail_to("carla.new@passend.test")
    found = DOWNLOAD.search(sent.body)
    assert found is not None
    token = found.group(1)
    job = ExportJob.objects.get(user=carla)
    assert job.organisation_id == org_a.pk
    assert job.requested_by_user_id == alice.pk
    assert job.scope == "access"
    assert job.status == ExportStatus.READY
    with organisation_scope(org_a):
        [message] = RequestMessage.objects.filter(request=req)
        req.refresh_from_db()
    assert message.kind == MessageKind.EXPORT
    assert message.sent_to == "carla.new@passend.test"
    assert token not in message.body  # the secret is e-mailed, never stored
    assert req.status == RequestStatus.IN_PROGRESS

    # and only carla, signed in, downloads it, once
    url = reverse("rights:download", kwargs={"token": token})
    assert client_for(alice, org_a).get(url).status_code == 404
    download = client_for(carla, org_a).get(url)
    assert download.status_code == 200
    assert set(_zip_data(download.content)["organisations"]) == {str(org_a.pk)}
    assert client_for(carla, org_a).get(url).status_code == 410


def test_preparing_the_export_is_audited_in_the_organisations_chain(
    personas, org_a, alice, carla, carla_access, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(alice, org_a).post(_url("export", carla_access))

    details = list(events_for(carla_access).values_list("detail", flat=True))
    assert "access export of the organisation's data prepared for the person" in details
    assert "export download link sent to the account address of the person" in details
    job = ExportJob.objects.get(user=carla)
    job_events = AuditEvent.objects.unscoped().filter(target_id=str(job.pk))
    assert {e.action for e in job_events} == {"create", "export"}
    assert {e.organisation_id for e in job_events} == {org_a.pk}  # not the platform's chain
    assert {e.actor_user_id for e in job_events} == {alice.pk}
    assert {e.subject_user_id for e in job_events} == {carla.pk}


def test_a_portability_request_gets_a_portability_export(
    personas, org_a, alice, carla, django_capture_on_commit_callbacks
):
    req = _own(personas.memberships["carla"], RequestKind.PORTABILITY)
    with django_capture_on_commit_callbacks(execute=True):
        client_for(alice, org_a).post(_url("export", req))

    assert ExportJob.objects.get(user=carla).scope == "portability"


def test_the_export_is_refused_while_the_identity_is_not_verified(org_a, alice, anonymous_access):
    response = client_for(alice, org_a).post(_url("export", anonymous_access))

    assert response.status_code == 400
    assert "identity is not verified" in response.content.decode()
    assert ExportJob.objects.count() == 0


def test_the_export_is_refused_when_no_member_is_linked(personas, org_a, alice):
    req = _public(org_a, RequestKind.ACCESS, email="stranger@example.org")
    with organisation_scope(org_a):
        services.request_check_identity(
            request=req, by=personas.memberships["alice"], verified=True
        )

    response = client_for(alice, org_a).post(_url("export", req))

    assert response.status_code == 400
    assert "not linked to a member" in response.content.decode()
    assert ExportJob.objects.count() == 0


def test_the_export_is_refused_for_a_request_that_does_not_ask_for_data(personas, scope_a):
    req = _own(personas.memberships["carla"], RequestKind.ERASURE)

    with pytest.raises(ValidationError, match="access or for a copy"):
        services.request_export_prepare(request=req, by=personas.memberships["alice"])
    assert ExportJob.objects.count() == 0


def test_a_career_advisor_cannot_prepare_an_export(personas, scope_a, carla_access):
    with pytest.raises(ValidationError, match="administrator"):
        services.request_export_prepare(request=carla_access, by=personas.memberships["bob"])


def test_pressing_twice_while_it_is_prepared_makes_one_export(personas, scope_a, carla_access):
    alice_m = personas.memberships["alice"]

    first = services.request_export_prepare(request=carla_access, by=alice_m)
    second = services.request_export_prepare(request=carla_access, by=alice_m)

    assert first.pk == second.pk
    assert ExportJob.objects.count() == 1


def test_the_link_is_sent_once_however_often_the_delivery_runs(
    personas, scope_a, carla_access, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        job = services.request_export_prepare(
            request=carla_access, by=personas.memberships["alice"]
        )
    before = len(mail.outbox)

    again = jobs.request_export_deliver(request_id=str(carla_access.pk), job_id=str(job.pk))

    assert again is None
    assert len(mail.outbox) == before
    assert RequestMessage.objects.filter(kind=MessageKind.EXPORT).count() == 1


def test_the_detail_page_offers_the_export_only_for_a_verified_member(
    org_a, alice, carla_access, anonymous_access
):
    client = client_for(alice, org_a)

    verified = client.get(_url("detail", carla_access)).content.decode()
    unverified = client.get(_url("detail", anonymous_access)).content.decode()

    assert "Prepare the export for this person" in verified
    assert "carla@passend.test" in verified  # where the link will go
    assert "Prepare the export for this person" not in unverified
    assert "once their identity is verified" in unverified


# --- restriction and objection on the person's behalf -------------------------------


def test_an_admin_restricts_processing_for_a_verified_restriction_request(personas, org_a, alice):
    carla_m = personas.memberships["carla"]
    req = _own(carla_m, RequestKind.RESTRICTION)

    response = client_for(alice, org_a).post(
        _url("restrict", req), {"reason": "contests_accuracy", "note": "Address is wrong"}
    )

    assert response.status_code == 302
    with organisation_scope(org_a):
        restriction = Restriction.objects.get(membership=carla_m)
    assert restriction.started_by == personas.memberships["alice"]
    assert restriction.note == "Address is wrong"
    assert "restriction of processing recorded for the person" in set(
        events_for(req).values_list("detail", flat=True)
    )
    [event] = AuditEvent.objects.unscoped().filter(target_id=str(restriction.pk))
    assert event.detail == "processing restricted, registered by an administrator"
    assert event.actor_user_id == alice.pk
    assert event.subject_user_id == carla_m.user_id


def test_an_admin_records_an_objection_for_a_verified_objection_request(personas, org_a, alice):
    carla_m = personas.memberships["carla"]
    req = _own(carla_m, RequestKind.OBJECTION)

    response = client_for(alice, org_a).post(_url("object", req), {"purpose": "newsletter"})

    assert response.status_code == 302
    with organisation_scope(org_a):
        objection = Objection.objects.get(membership=carla_m)
    assert objection.purpose == "newsletter"
    assert objection.made_by == personas.memberships["alice"]
    assert objection.registered_for_the_person
    [event] = AuditEvent.objects.unscoped().filter(target_id=str(objection.pk))
    assert event.detail == "objection registered by an administrator"
    assert event.actor_user_id == alice.pk
    assert "objection recorded for the person" in set(
        events_for(req).values_list("detail", flat=True)
    )


def test_restriction_and_objection_are_refused_while_the_identity_is_not_verified(org_a, alice):
    req = _public(org_a, RequestKind.OBJECTION)
    client = client_for(alice, org_a)

    restrict = client.post(_url("restrict", req), {"reason": "objection_pending"})
    objection = client.post(_url("object", req), {"purpose": "matching"})

    assert restrict.status_code == objection.status_code == 400
    assert "identity is not verified" in restrict.content.decode()
    with organisation_scope(org_a):
        assert Restriction.objects.count() == 0
        assert Objection.objects.count() == 0


def test_restriction_is_refused_from_a_request_of_another_kind(personas, scope_a, carla_access):
    with pytest.raises(ValidationError, match="restriction or objection request"):
        services.request_restrict(
            request=carla_access, by=personas.memberships["alice"], reason="legal_claims"
        )
    assert Restriction.objects.count() == 0


def test_bad_input_on_the_objection_form_re_renders_with_400(personas, org_a, alice):
    req = _own(personas.memberships["carla"], RequestKind.OBJECTION)

    response = client_for(alice, org_a).post(_url("object", req), {"purpose": "everything"})

    assert response.status_code == 400
    assert "Choose the use the person objects to." in response.content.decode()


def test_another_organisations_admin_gets_404_on_the_desk_actions(
    personas, org_b, charlie, carla_access
):
    client = client_for(charlie, org_b)

    for name, data in (
        ("export", {}),
        ("restrict", {"reason": "legal_claims"}),
        ("object", {"purpose": "matching"}),
    ):
        assert client.post(_url(name, carla_access), data).status_code == 404
    assert ExportJob.objects.count() == 0


def test_a_career_advisor_gets_403_on_the_desk_actions(org_a, bob, carla_access):
    client = client_for(bob, org_a)

    for name in ("export", "restrict", "object"):
        assert client.post(_url(name, carla_access)).status_code == 403


# --- rectification ------------------------------------------------------------------


def _profile(personas: Any) -> Any:
    return candidate_services.candidate_profile_ensure(membership=personas.memberships["carla"])


def test_a_rectification_of_a_profile_field_links_to_the_profile_edit_page(personas, org_a, alice):
    with organisation_scope(org_a):
        profile = _profile(personas)
    req = services.request_dispute(
        membership=personas.memberships["carla"],
        model_label="candidates.CandidateProfile",
        field_name="postcode",
        object_id=str(profile.pk),
        proposed_value="3512 PA",
        reason="",
    )

    body = client_for(alice, org_a).get(_url("detail", req)).content.decode()

    assert reverse("candidates:edit", kwargs={"candidate_id": profile.pk}) in body
    assert "Correction applied: answer and close" in body


def test_a_rectification_of_a_profile_section_links_to_the_section_edit_page(
    personas, org_a, alice
):
    with organisation_scope(org_a):
        entry = candidate_services.section_entry_create(
            profile=_profile(personas),
            model=WorkExperience,
            data={"employer_name": "Brood BV", "role": "Baker", "started_on": "2020-01-01"},
        )
    req = services.request_dispute(
        membership=personas.memberships["carla"],
        model_label="candidates.WorkExperience",
        field_name="role",
        object_id=str(entry.pk),
        proposed_value="Head baker",
        reason="",
    )

    body = client_for(alice, org_a).get(_url("detail", req)).content.decode()

    expected = reverse(
        "candidates:section_edit",
        kwargs={"candidate_id": entry.profile_id, "kind": "work", "entry_id": entry.pk},
    )
    assert expected in body


def test_a_rectification_naming_someone_elses_record_gets_no_edit_link(personas, org_a, alice, bob):
    with organisation_scope(org_a):
        others = candidate_services.candidate_profile_ensure(
            membership=personas.memberships["dave"]
        )
    req = services.request_dispute(
        membership=personas.memberships["carla"],
        model_label="candidates.CandidateProfile",
        field_name="postcode",
        object_id=str(others.pk),
        proposed_value="1000 AA",
        reason="",
    )

    body = client_for(alice, org_a).get(_url("detail", req)).content.decode()

    assert reverse("candidates:edit", kwargs={"candidate_id": others.pk}) not in body
    assert "There is no page to link to for this field" in body


def test_correction_applied_answers_and_closes_the_rectification(personas, org_a, alice):
    with organisation_scope(org_a):
        profile = _profile(personas)
    req = services.request_dispute(
        membership=personas.memberships["carla"],
        model_label="candidates.CandidateProfile",
        field_name="postcode",
        object_id=str(profile.pk),
        proposed_value="3512 PA",
        reason="",
    )
    response = client_for(alice, org_a).post(
        _url("reply", req), {"closes": "yes", "text": "We corrected your postcode."}
    )

    assert response.status_code == 302
    with organisation_scope(org_a):
        req.refresh_from_db()
        [answer] = RequestMessage.objects.filter(request=req)
    assert req.status == RequestStatus.ANSWERED
    assert answer.kind == MessageKind.ANSWER
    assert answer.sent_to == "carla@passend.test"
