"""The request desk's services: filing, routing (P11), handling and the audit trail."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format

from passend.accounts.models import User
from passend.common.scope import organisation_scope
from passend.privacy.requests import deadlines, services
from passend.privacy.requests.models import (
    Channel,
    DataSubjectRequest,
    IdentityStatus,
    MessageKind,
    RequestKind,
    RequestStatus,
    UnroutedRequest,
)
from passend.privacy.requests.tests.conftest import events_for, received_days_ago
from passend.tenancy.models import OrganisationContact


def test_it_files_a_members_own_request_as_verified_with_a_one_month_deadline(carla_access):
    assert carla_access.channel == Channel.ACCOUNT
    assert carla_access.identity_status == IdentityStatus.VERIFIED
    assert carla_access.status == RequestStatus.RECEIVED
    assert carla_access.requester_email == "carla@passend.test"
    assert carla_access.due_on == deadlines.due_date(timezone.localdate())


def test_it_queues_a_public_request_for_a_named_organisation_as_unverified(anonymous_access, carla):
    assert anonymous_access.channel == Channel.WEB_FORM
    assert anonymous_access.identity_status == IdentityStatus.UNVERIFIED
    # The admin sees the address belongs to a member; the requester is never told.
    assert anonymous_access.user == carla


def test_it_routes_a_request_for_no_organisation_to_each_organisation_of_that_address(
    personas,
):
    # Bob is a member of A and of B.
    created = services.request_file_public(
        name="Bob",
        email="BOB@passend.test",
        organisation=None,
        kind=RequestKind.ERASURE,
        description="",
    )
    assert sorted(r.organisation.slug for r in created) == ["flexkracht", "werkpad"]
    assert all(isinstance(r, DataSubjectRequest) for r in created)
    assert all(r.user == personas["bob"] for r in created)
    assert UnroutedRequest.objects.count() == 0


def test_it_sends_a_request_for_an_unknown_address_to_the_platform_queue(personas, org_a):
    [unrouted] = services.request_file_public(
        name="Nobody", email="nobody@example.org", organisation=None, kind=RequestKind.ACCESS,
        description="Do you have my data?",
    )  # fmt: skip
    assert isinstance(unrouted, UnroutedRequest)
    with organisation_scope(org_a):
        assert DataSubjectRequest.objects.count() == 0
    assert events_for(unrouted).get().organisation_id is None  # the platform's own chain


def test_it_tells_the_admins_of_a_new_request_without_personal_data(
    org_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_file_public(
            name="Ada Lovelace", email="ada@example.org", organisation=org_a,
            kind=RequestKind.ACCESS, description="secret details",
        )  # fmt: skip
    [message] = mail.outbox
    assert message.to == ["alice@passend.test"]
    assert "Ada" not in message.body
    assert "secret details" not in message.body
    assert "ada@example.org" not in message.body


def test_it_refuses_an_answer_with_data_while_the_identity_is_unverified(
    anonymous_access, alice_m, scope_a
):
    with pytest.raises(ValidationError, match="identity is not verified"):
        services.request_reply(request=anonymous_access, by=alice_m, text="Here it is", closes=True)
    anonymous_access.refresh_from_db()
    assert anonymous_access.status == RequestStatus.RECEIVED


def test_it_still_lets_the_admin_ask_an_unverified_person_to_identify_themselves(
    anonymous_access, alice_m, scope_a, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.request_reply(
            request=anonymous_access, by=alice_m, text="Please show your ID.", closes=False
        )
    assert anonymous_access.status == RequestStatus.IN_PROGRESS
    sent = [m for m in mail.outbox if m.to == ["carla@passend.test"]]
    assert len(sent) == 1
    assert "Please show your ID." in sent[0].body
    assert "autoriteitpersoonsgegevens.nl" in sent[0].body


def test_it_answers_a_verified_access_request_by_email(
    anonymous_access, alice_m, scope_a, django_capture_on_commit_callbacks
):
    services.request_check_identity(request=anonymous_access, by=alice_m, verified=True)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_reply(
            request=anonymous_access, by=alice_m, text="Your data: …", closes=True
        )
    anonymous_access.refresh_from_db()
    assert anonymous_access.status == RequestStatus.ANSWERED
    assert anonymous_access.answered_by == alice_m
    assert anonymous_access.messages.get().kind == MessageKind.ANSWER
    assert mail.outbox[-1].to == ["carla@passend.test"]


def test_it_answers_an_unverified_erasure_request_because_it_discloses_nothing(
    org_a, alice_m, scope_a
):
    [req] = services.request_file_public(
        name="X",
        email="x@example.org",
        organisation=org_a,
        kind=RequestKind.ERASURE,
        description="",
    )
    services.request_reply(request=req, by=alice_m, text="Nothing is held.", closes=True)
    assert req.status == RequestStatus.ANSWERED


def test_it_extends_within_the_first_month_and_tells_the_person_why(
    carla_access, alice_m, scope_a, django_capture_on_commit_callbacks
):
    received_days_ago(carla_access, 20)
    with django_capture_on_commit_callbacks(execute=True):
        services.request_extend(request=carla_access, by=alice_m, reason="Many records to check")
    assert carla_access.status == RequestStatus.EXTENDED
    assert carla_access.extended_until == deadlines.extended_due_date(carla_access.received_on)
    assert carla_access.extension_notified_at is not None
    [notice] = [m for m in mail.outbox if m.to == ["carla@passend.test"]]
    assert "Many records to check" in notice.body
    assert date_format(carla_access.extended_until) in notice.body
    assert carla_access.extended_until.isoformat() not in notice.body


def test_it_refuses_an_extension_after_the_first_month(carla_access, alice_m, scope_a):
    received_days_ago(carla_access, 40)
    with pytest.raises(ValidationError, match="within the first month"):
        services.request_extend(request=carla_access, by=alice_m, reason="Too late")
    carla_access.refresh_from_db()
    assert carla_access.extended_until is None


def test_it_refuses_an_extension_on_the_day_after_the_due_date_given_as_today(
    carla_access, alice_m, scope_a
):
    after = carla_access.due_on + timedelta(days=1)
    with pytest.raises(ValidationError):
        services.request_extend(request=carla_access, by=alice_m, reason="x", today=after)
    services.request_extend(request=carla_access, by=alice_m, reason="x", today=carla_access.due_on)


def test_it_refuses_an_extension_without_a_reason_or_a_second_time(carla_access, alice_m, scope_a):
    with pytest.raises(ValidationError):
        services.request_extend(request=carla_access, by=alice_m, reason="  ")
    services.request_extend(request=carla_access, by=alice_m, reason="Complex")
    with pytest.raises(ValidationError, match="already been extended"):
        services.request_extend(request=carla_access, by=alice_m, reason="Again")


def test_it_lets_only_an_admin_of_the_organisation_handle_a_request(
    carla_access, personas, scope_a
):
    with pytest.raises(ValidationError):
        services.request_refuse(request=carla_access, by=personas.memberships["bob"], reason="no")
    with pytest.raises(ValidationError):
        services.request_refuse(
            request=carla_access, by=personas.memberships["charlie"], reason="no"
        )


def test_it_refuses_with_a_reason_and_names_the_complaint_route(
    carla_access, alice_m, scope_a, org_a, django_capture_on_commit_callbacks
):
    OrganisationContact.objects.create(
        organisation=org_a, name="Petra Privacy", email="privacy@werkpad.test", function="FG"
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.request_refuse(request=carla_access, by=alice_m, reason="Manifestly unfounded")
    assert carla_access.status == RequestStatus.REFUSED
    body = mail.outbox[-1].body
    assert "Manifestly unfounded" in body
    assert "privacy@werkpad.test" in body
    assert "autoriteitpersoonsgegevens.nl" in body
    assert "court" in body


def test_it_records_a_withdrawal_and_then_refuses_further_handling(carla_access, alice_m, scope_a):
    services.request_withdraw(request=carla_access, by=alice_m)
    assert carla_access.status == RequestStatus.WITHDRAWN
    with pytest.raises(ValidationError, match="closed"):
        services.request_reply(request=carla_access, by=alice_m, text="hi", closes=False)


def test_it_registers_a_letter_with_the_day_it_was_received(alice_m, scope_a):
    received = timezone.localdate() - timedelta(days=10)
    req = services.request_register(
        by=alice_m, channel=Channel.LETTER, name="Henk", email="", kind=RequestKind.OBJECTION,
        description="By post", received_on=received,
    )  # fmt: skip
    assert req.received_on == received
    assert req.due_on == deadlines.due_date(received)
    assert req.identity_status == IdentityStatus.UNVERIFIED


def test_it_refuses_to_register_a_request_received_in_the_future_or_by_web(alice_m, scope_a):
    with pytest.raises(ValidationError):
        services.request_register(
            by=alice_m, channel=Channel.LETTER, name="Henk", email="", kind=RequestKind.OTHER,
            description="", received_on=timezone.localdate() + timedelta(days=1),
        )  # fmt: skip
    with pytest.raises(ValidationError):
        services.request_register(
            by=alice_m, channel=Channel.WEB_FORM, name="Henk", email="h@example.org",
            kind=RequestKind.OTHER, description="",
        )  # fmt: skip


def test_it_files_a_dispute_of_a_declared_personal_field_as_a_rectification(carla_m, carla):
    req = services.request_dispute(
        membership=carla_m, model_label="accounts.User", field_name="name",
        object_id=str(carla.pk), proposed_value="Carla Bakker-de Wit", reason="I married",
    )  # fmt: skip
    assert req.kind == RequestKind.RECTIFICATION
    assert req.organisation == carla_m.organisation
    assert (req.disputed_model, req.disputed_field) == ("accounts.User", "name")
    assert req.proposed_value == "Carla Bakker-de Wit"
    assert req.identity_status == IdentityStatus.VERIFIED


@pytest.mark.parametrize(
    ("model_label", "field_name"),
    [
        ("tenancy.Organisation", "name"),  # declared, but not personal
        ("accounts.User", "no_such_field"),
        ("nowhere.Nothing", "name"),
        ("", ""),
    ],
)
def test_it_refuses_a_dispute_of_a_field_that_is_not_a_declared_personal_field(
    carla_m, model_label, field_name
):
    with pytest.raises(ValidationError, match="cannot be disputed"):
        services.request_dispute(
            membership=carla_m, model_label=model_label, field_name=field_name,
            object_id="1", proposed_value="x", reason="",
        )  # fmt: skip


def test_every_service_writes_an_audit_event(org_a, alice_m, carla_m, carla, scope_a, personas):
    own = services.request_file_own(membership=carla_m, kind=RequestKind.ACCESS, description="")
    [public] = services.request_file_public(
        name="P", email="p@example.org", organisation=org_a, kind=RequestKind.ACCESS, description=""
    )
    registered = services.request_register(
        by=alice_m, channel=Channel.EMAIL, name="E", email="e@example.org", kind=RequestKind.OTHER,
        description="",
    )  # fmt: skip
    disputed = services.request_dispute(
        membership=carla_m, model_label="accounts.User", field_name="name",
        object_id=str(carla.pk), proposed_value="C", reason="",
    )  # fmt: skip
    services.request_check_identity(request=public, by=alice_m, verified=True)
    services.request_extend(request=public, by=alice_m, reason="Complex")
    services.request_reply(request=public, by=alice_m, text="Ask", closes=False)
    services.request_reply(request=public, by=alice_m, text="Answer", closes=True)
    services.request_refuse(request=registered, by=alice_m, reason="No")
    services.request_withdraw(request=disputed, by=alice_m)
    services.request_check_identity(request=own, by=alice_m, verified=False)
    staff = User.objects.create_user("sam@platform.test", "x", is_platform_staff=True)
    [unrouted] = services.request_file_public(
        name="U", email="u@example.org", organisation=None, kind=RequestKind.OTHER, description=""
    )
    services.unrouted_reply(unrouted=unrouted, by=staff, text="Which organisation?")

    assert list(events_for(public).values_list("detail", flat=True)) == [
        "request received (web)",
        "identity verified",
        "deadline extended",
        "message sent to the person",
        "request answered",
    ]
    assert events_for(public).first().organisation_id == org_a.pk
    assert events_for(registered).filter(detail="request refused").exists()
    assert events_for(disputed).filter(detail="request withdrawn").exists()
    assert events_for(own).filter(detail="identity could not be verified").exists()
    assert events_for(own).get(detail="request received (account)").subject_user_id == carla.pk
    assert list(events_for(unrouted).values_list("detail", flat=True)) == [
        "request received without an organisation",
        "request answered by the platform",
    ]


def test_it_answers_an_unrouted_request_only_as_platform_staff(personas, alice):
    [unrouted] = services.request_file_public(
        name="U", email="u@example.org", organisation=None, kind=RequestKind.OTHER, description=""
    )
    with pytest.raises(ValidationError):
        services.unrouted_reply(unrouted=unrouted, by=alice, text="hi")
