"""The request desk's pages: who sees what, the public form, bad input."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client, override_settings

from conftest import client_for
from passend.accounts.models import User
from passend.common.scope import organisation_scope
from passend.privacy.requests import services
from passend.privacy.requests.models import (
    DataSubjectRequest,
    IdentityStatus,
    RequestKind,
    RequestStatus,
    UnroutedRequest,
)
from passend.privacy.requests.tests.conftest import received_days_ago
from passend.tenancy.models import OrganisationContact


def _public(org=None, **overrides):
    data = {
        "name": "Carla Bakker",
        "email": "carla@passend.test",
        "organisation": str(org.pk) if org else "",
        "kind": RequestKind.ACCESS,
        "description": "Please send me my data",
        "website": "",
    }
    data.update(overrides)
    return data


def _count_requests(*orgs):
    total = 0
    for org in orgs:
        with organisation_scope(org):
            total += DataSubjectRequest.objects.count()
    return total


# --- the public form ----------------------------------------------------------


def test_it_shows_the_public_form_to_anyone_with_the_complaint_route(db):
    response = Client().get("/requests/new/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "I do not know which organisation" in body
    assert "https://autoriteitpersoonsgegevens.nl/" in body
    assert "court" in body
    assert 'name="website"' in body  # the honeypot


def test_the_public_form_answers_the_same_whether_or_not_the_address_is_known(
    personas, org_a, org_b
):
    known = Client().post("/requests/new/", _public())
    unknown = Client().post("/requests/new/", _public(email="stranger@example.org"))
    wrong_org = Client().post("/requests/new/", _public(org=org_b))
    assert known.status_code == unknown.status_code == wrong_org.status_code == 302
    assert (
        known["Location"] == unknown["Location"] == wrong_org["Location"] == "/requests/new/sent/"
    )

    def page(client_response):
        html = Client().get(client_response["Location"]).content.decode()
        # Only the per-response CSRF tokens may differ.
        html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
        return re.sub(r'"X-CSRFToken": "[^"]+"', "", html)

    assert page(known) == page(unknown) == page(wrong_org)
    # ...while behind the scenes the requests went where P11 says.
    assert _count_requests(org_a) == 1
    assert _count_requests(org_b) == 1
    assert UnroutedRequest.objects.count() == 1


def test_it_drops_a_submission_that_filled_in_the_honeypot(personas, org_a):
    response = Client().post("/requests/new/", _public(org=org_a, website="http://spam.test"))
    assert response.status_code == 302
    assert response["Location"] == "/requests/new/sent/"
    assert _count_requests(org_a) == 0


@override_settings(DSR_PUBLIC_RATE_LIMIT="2/h")
def test_it_limits_how_often_the_public_form_files_from_one_client(personas, org_a):
    client = Client()
    statuses = [
        client.post("/requests/new/", _public(org=org_a, email=f"p{i}@example.org")).status_code
        for i in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert _count_requests(org_a) == 2


@override_settings(DSR_PUBLIC_RATE_LIMIT="2/h")
def test_it_limits_how_often_one_address_is_used_from_different_clients(personas, org_a):
    statuses = [
        Client(REMOTE_ADDR=f"10.0.0.{i}").post("/requests/new/", _public(org=org_a)).status_code
        for i in range(3)
    ]
    assert statuses == [302, 302, 429]


def test_bad_input_on_the_public_form_re_renders_with_400_and_keeps_what_was_typed(db):
    response = Client().post(
        "/requests/new/", _public(email="not-an-address", description="Keep this text")
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert 'value="Carla Bakker"' in body
    assert 'value="not-an-address"' in body
    assert "Keep this text" in body
    assert 'href="#id_email"' in body  # the error summary links to the field


# --- members ------------------------------------------------------------------


def test_a_member_files_from_mine_and_sees_status_and_due_date(personas, org_a, carla):
    client = client_for(carla, org_a)
    response = client.post(
        "/requests/mine/", {"kind": RequestKind.ERASURE, "description": "Remove me"}
    )
    assert response.status_code == 302
    with organisation_scope(org_a):
        req = DataSubjectRequest.objects.get()
    assert req.identity_status == IdentityStatus.VERIFIED
    assert response["Location"] == f"/requests/mine/{req.pk}/"
    listing = client.get("/requests/mine/").content.decode()
    assert "Delete my data" in listing
    assert req.due_on.strftime("%Y") in listing
    assert "autoriteitpersoonsgegevens.nl" in client.get(response["Location"]).content.decode()


def test_bad_input_on_mine_re_renders_with_400_and_keeps_what_was_typed(personas, org_a, carla):
    response = client_for(carla, org_a).post(
        "/requests/mine/", {"kind": "nonsense", "description": "Typed words"}
    )
    assert response.status_code == 400
    assert "Typed words" in response.content.decode()


def test_a_member_sees_only_their_own_requests(carla_access, personas, org_a, bob):
    assert client_for(bob, org_a).get(f"/requests/mine/{carla_access.pk}/").status_code == 404
    listing = client_for(bob, org_a).get("/requests/mine/").content.decode()
    assert str(carla_access.pk) not in listing
    assert "You have not sent a request." in listing


def test_the_organisation_contact_is_shown_as_the_complaint_route(carla_access, org_a, carla):
    with organisation_scope(org_a):
        OrganisationContact.objects.create(
            organisation=org_a, name="Petra Privacy", email="privacy@werkpad.test"
        )
    body = client_for(carla, org_a).get(f"/requests/mine/{carla_access.pk}/").content.decode()
    assert "Petra Privacy" in body
    assert "privacy@werkpad.test" in body


# --- disputes -----------------------------------------------------------------


def test_the_dispute_page_prefills_the_field_from_the_link(personas, org_a, carla):
    url = f"/requests/dispute/?model=accounts.User&field=name&object={carla.pk}"
    response = client_for(carla, org_a).get(url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "User: name" in body
    assert f'value="{carla.pk}"' in body


def test_a_dispute_is_filed_as_a_rectification(personas, org_a, carla):
    response = client_for(carla, org_a).post(
        "/requests/dispute/",
        {"model": "accounts.User", "field": "name", "object": str(carla.pk),
         "proposed_value": "Carla de Wit", "reason": "Married"},
    )  # fmt: skip
    assert response.status_code == 302
    with organisation_scope(org_a):
        req = DataSubjectRequest.objects.get()
    assert (req.kind, req.proposed_value) == (RequestKind.RECTIFICATION, "Carla de Wit")


def test_a_dispute_of_an_undeclared_field_is_refused_with_a_clear_form_error(
    personas, org_a, carla
):
    client = client_for(carla, org_a)
    got = client.get("/requests/dispute/?model=tenancy.Organisation&field=name&object=1")
    posted = client.post(
        "/requests/dispute/",
        {"model": "accounts.User", "field": "password_reset_secret", "object": "1",
         "proposed_value": "Typed value"},
    )  # fmt: skip
    assert got.status_code == posted.status_code == 400
    assert "cannot be disputed here" in got.content.decode()
    assert "cannot be disputed here" in posted.content.decode()
    assert "Typed value" in posted.content.decode()
    assert _count_requests(org_a) == 0


def test_a_records_dispute_link_lets_the_person_name_the_field(personas, org_a, carla):
    client = client_for(carla, org_a)
    body = client.get(f"/requests/dispute/?model=accounts.User&object={carla.pk}").content.decode()
    select = re.search(r'<select name="field"[^>]*>(.*?)</select>', body, re.S)
    assert select is not None
    options = re.findall(r'<option value="([^"]*)"', select.group(1))
    assert options[0] == ""
    assert {"name", "email", "preferred_language"} <= set(options)
    # Secrets, internal flags and technical values cannot be picked.
    assert not {"password", "is_superuser", "is_platform_staff", "last_login"} & set(options)

    missing = client.post(
        "/requests/dispute/",
        {"model": "accounts.User", "object": str(carla.pk), "choose": "True", "field": "",
         "proposed_value": "Carla de Wit"},
    )  # fmt: skip
    assert missing.status_code == 400
    assert "Carla de Wit" in missing.content.decode()
    assert '<select name="field"' in missing.content.decode()
    response = client.post(
        "/requests/dispute/",
        {"model": "accounts.User", "object": str(carla.pk), "choose": "True", "field": "name",
         "proposed_value": "Carla de Wit"},
    )  # fmt: skip

    assert response.status_code == 302
    with organisation_scope(org_a):
        req = DataSubjectRequest.objects.get()
    assert (req.disputed_model, req.disputed_field, req.proposed_value) == (
        "accounts.User",
        "name",
        "Carla de Wit",
    )


def test_a_records_dispute_link_for_a_model_without_personal_data_is_refused(
    personas, org_a, carla
):
    response = client_for(carla, org_a).get(
        "/requests/dispute/?model=tenancy.Organisation&object=1"
    )
    assert response.status_code == 400
    assert "cannot be disputed here" in response.content.decode()


def test_the_dispute_page_without_a_field_explains_where_to_start(personas, org_a, carla):
    response = client_for(carla, org_a).get("/requests/dispute/")
    assert response.status_code == 200
    assert "Choose the data you disagree with" in response.content.decode()


# --- the admin queue ----------------------------------------------------------


def test_the_queue_is_for_admins_only(personas, org_a, bob, carla):
    assert client_for(bob, org_a).get("/requests/").status_code == 403
    assert client_for(carla, org_a).get("/requests/").status_code == 403
    anonymous = Client().get("/requests/")
    assert anonymous.status_code == 302
    assert "/accounts/login/" in anonymous["Location"]


def test_the_queue_sorts_by_deadline_and_marks_overdue_and_due_soon(
    personas, org_a, alice, carla_access, anonymous_access, scope_a
):
    received_days_ago(carla_access, 40)  # overdue
    received_days_ago(anonymous_access, 27)  # due within 7 days
    body = client_for(alice, org_a).get("/requests/").content.decode()
    assert body.index(str(carla_access.pk)) < body.index(str(anonymous_access.pk))
    assert "overdue" in body
    assert "due within 7 days" in body
    assert "not verified" in body


def test_charlie_gets_404_on_a_request_of_another_organisation(
    personas, org_b, charlie, carla_access
):
    client = client_for(charlie, org_b)
    assert client.get(f"/requests/{carla_access.pk}/").status_code == 404
    refused = client.post(f"/requests/{carla_access.pk}/refuse/", {"reason": "x"})
    assert refused.status_code == 404
    carla_access.refresh_from_db()
    assert carla_access.status == RequestStatus.RECEIVED
    assert str(carla_access.pk) not in client.get("/requests/").content.decode()


def test_bob_gets_403_on_a_requests_detail(personas, org_a, bob, carla_access):
    assert client_for(bob, org_a).get(f"/requests/{carla_access.pk}/").status_code == 403


def test_the_detail_page_refuses_an_unverified_answer_with_a_clear_message(
    personas, org_a, alice, anonymous_access
):
    response = client_for(alice, org_a).post(
        f"/requests/{anonymous_access.pk}/reply/", {"text": "All your data", "closes": "yes"}
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "identity is not verified" in body
    assert "All your data" in body  # kept what was typed
    anonymous_access.refresh_from_db()
    assert anonymous_access.status == RequestStatus.RECEIVED


def test_the_admin_verifies_then_answers_by_email(
    personas, org_a, alice, anonymous_access, django_capture_on_commit_callbacks
):
    client = client_for(alice, org_a)
    url = f"/requests/{anonymous_access.pk}/"
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url + "identity/", {"outcome": "verified"}).status_code == 302
        answer = client.post(url + "reply/", {"text": "Attached", "closes": "yes"})
    assert answer.status_code == 302
    anonymous_access.refresh_from_db()
    assert anonymous_access.status == RequestStatus.ANSWERED
    assert mail.outbox[-1].to == ["carla@passend.test"]
    page = client.get(url).content.decode()
    assert "Attached" in page
    assert "autoriteitpersoonsgegevens.nl" in page


def test_an_extension_after_the_first_month_is_refused_on_the_page(
    personas, org_a, alice, carla_access, scope_a
):
    received_days_ago(carla_access, 35)
    response = client_for(alice, org_a).post(
        f"/requests/{carla_access.pk}/extend/", {"reason": "Complex"}
    )
    assert response.status_code == 400
    assert "within the first month" in response.content.decode()


def test_bad_input_on_the_action_forms_re_renders_with_400(personas, org_a, alice, carla_access):
    client = client_for(alice, org_a)
    url = f"/requests/{carla_access.pk}/"
    assert client.post(url + "refuse/", {"reason": ""}).status_code == 400
    assert client.post(url + "identity/", {"outcome": "maybe"}).status_code == 400
    extend = client.post(url + "extend/", {"reason": ""})
    assert extend.status_code == 400


def test_it_asks_before_recording_a_request_as_withdrawn(personas, org_a, alice, carla_access):
    client = client_for(alice, org_a)
    page = client.get(f"/requests/{carla_access.pk}/withdraw/")
    assert page.status_code == 200
    assert f'action="/requests/{carla_access.pk}/withdraw/"' in page.content.decode()
    with organisation_scope(org_a):
        assert DataSubjectRequest.objects.get(pk=carla_access.pk).answered_at is None
    detail = client.get(f"/requests/{carla_access.pk}/").content.decode()
    assert "data-confirm-dialog" in detail


def test_a_closed_request_cannot_be_withdrawn_again(personas, org_a, alice, carla_access):
    client = client_for(alice, org_a)
    assert client.post(f"/requests/{carla_access.pk}/withdraw/").status_code == 302
    again = client.post(f"/requests/{carla_access.pk}/withdraw/")
    assert again.status_code == 400
    assert "This request is closed." in again.content.decode()


def test_an_admin_registers_a_phone_request(personas, org_a, alice):
    response = client_for(alice, org_a).post(
        "/requests/register/",
        {"channel": "phone", "received_on": "2026-01-05", "name": "Henk", "email": "",
         "kind": RequestKind.OBJECTION, "description": "Called"},
    )  # fmt: skip
    assert response.status_code == 302
    with organisation_scope(org_a):
        req = DataSubjectRequest.objects.get()
    assert req.channel == "phone"
    assert str(req.due_on) == "2026-02-05"


def test_bad_input_on_register_re_renders_with_400_and_keeps_what_was_typed(personas, org_a, alice):
    response = client_for(alice, org_a).post(
        "/requests/register/",
        {"channel": "web", "received_on": "2026-01-05", "name": "Henk Typed", "kind": "other"},
    )
    assert response.status_code == 400
    assert 'value="Henk Typed"' in response.content.decode()


# --- the platform's queue -----------------------------------------------------


@pytest.fixture
def staff(db):
    return User.objects.create_user("sam@platform.test", "x", is_platform_staff=True)


def test_platform_staff_see_and_answer_unrouted_requests(
    personas, staff, django_capture_on_commit_callbacks
):
    [unrouted] = services.request_file_public(
        name="Nobody", email="nobody@example.org", organisation=None, kind=RequestKind.ACCESS,
        description="",
    )  # fmt: skip
    client = client_for(staff)
    assert client.get("/requests/").status_code == 302
    assert "Nobody" in client.get("/requests/platform/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/requests/platform/{unrouted.pk}/", {"text": "Which organisation do you mean?"}
        )
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["nobody@example.org"]
    assert client.post(f"/requests/platform/{unrouted.pk}/", {"text": ""}).status_code == 400


def test_members_cannot_see_the_platform_queue(personas, org_a, alice, charlie, org_b):
    [unrouted] = services.request_file_public(
        name="Nobody", email="nobody@example.org", organisation=None, kind=RequestKind.ACCESS,
        description="",
    )  # fmt: skip
    assert client_for(alice, org_a).get("/requests/platform/").status_code == 404
    assert client_for(charlie, org_b).get(f"/requests/platform/{unrouted.pk}/").status_code == 404


def test_a_signed_in_member_is_sent_from_the_public_form_to_their_own_requests(
    personas, org_a, carla
):
    response = client_for(carla, org_a).get("/requests/new/")
    assert response.status_code == 302
    assert response["Location"] == "/requests/mine/"
