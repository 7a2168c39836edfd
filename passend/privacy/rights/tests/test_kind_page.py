"""One kind of data, paged (/my-data/<organisation or account>/<kind>/), and the one
dispute per kind of data, filed with the organisation that holds it (GDPR Art. 15, 16)."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta
from typing import Any

from django.urls import reverse

from conftest import client_for
from passend.candidates import services as candidate_services
from passend.candidates.models import Course
from passend.common.scope import organisation_scope
from passend.privacy.requests.models import DataSubjectRequest, RequestKind
from passend.privacy.rights.inventory import ROW_LIMIT, inventory_for
from passend.privacy.rights.tests.conftest import events
from passend.tenancy.models import Membership

COURSES = "passend.courses_and_tests"
MY_DATA = reverse("rights:my_data")


def kind_url(group: Any, kind: str, page: int | None = None) -> str:
    url = reverse("rights:kind", kwargs={"group": str(group), "kind": kind})
    return f"{url}?page={page}" if page is not None else url


def add_courses(profile: Any, count: int) -> None:
    with organisation_scope(profile.organisation):
        Course.objects.bulk_create(
            [
                Course(
                    organisation=profile.organisation,
                    profile=profile,
                    name=f"Course {i:03d}",
                    provider="Academy",
                    completed_on=date(2020, 1, 1) + timedelta(days=i),
                )
                for i in range(count)
            ]
        )


def course_names(content: str) -> list[str]:
    return re.findall(r"Course \d{3}", content)


def requests_of(organisation: Any) -> list[DataSubjectRequest]:
    with organisation_scope(organisation):
        return list(DataSubjectRequest.objects.all())


# --- the paged view -------------------------------------------------------------------


def test_it_pages_every_record_of_a_kind_twenty_at_a_time(rich, carla, org_a):
    add_courses(rich.profile, 44)  # with the fixture's own course: 45 records
    client = client_for(carla, org_a)

    first = client.get(kind_url(org_a.pk, COURSES))
    second = client.get(kind_url(org_a.pk, COURSES, page=2))
    third = client.get(kind_url(org_a.pk, COURSES, page=3))

    assert first.status_code == second.status_code == third.status_code == 200
    pages = [course_names(r.content.decode()) for r in (first, second, third)]
    # Newest first; the fixture's own course ("Food safety") is on the first or last page.
    assert len(pages[1]) == ROW_LIMIT
    assert len(pages[0]) + len(pages[2]) == 24
    shown = [name for names in pages for name in names]
    assert sorted(shown) == [f"Course {i:03d}" for i in range(44)]  # each once
    body = second.content.decode()
    assert "Page 2 of 3" in body
    assert 'href="?page=1" rel="prev"' in body
    assert 'href="?page=3" rel="next"' in body
    assert f'href="{MY_DATA}"' in body
    assert "45 records about you held by" in body
    assert "showing the first" not in body


def test_a_page_out_of_range_or_not_a_number_shows_the_nearest_page(rich, carla, org_a):
    add_courses(rich.profile, 30)
    client = client_for(carla, org_a)

    beyond = client.get(kind_url(org_a.pk, COURSES, page=999))
    garbage = client.get(kind_url(org_a.pk, COURSES) + "?page=abc")

    assert beyond.status_code == garbage.status_code == 200
    assert "Page 2 of 2" in beyond.content.decode()
    assert "Page 1 of 2" in garbage.content.decode()


def test_it_shows_the_same_values_as_the_block_secrets_masked(rich, carla, org_a):
    client = client_for(carla, org_a)
    shown = events(subject_user_id=carla.pk, detail="shown to the person on their data page")
    before = shown.count()

    account = client.get(kind_url("account", "user.authorization.credentials"))
    bsn_kind = "user.government_id.national_identification_number"
    bsn = client.get(kind_url(org_a.pk, bsn_kind))

    # Secrets are technical: they have no readable kind to page through.
    assert account.status_code == 404
    assert bsn.status_code == 200
    assert "111222333" in bsn.content.decode()
    # Showing the BSN is a read of sensitive data, recorded as on the "my data" page.
    assert shown.count() == before + 1
    assert shown.latest("occurred_at").fields == ["bsn"]


def test_it_answers_404_for_an_organisation_the_person_does_not_belong_to(
    rich, carla, org_a, org_b
):
    client = client_for(carla, org_a)

    assert client.get(kind_url(org_b.pk, "user.name")).status_code == 404
    assert client.get(kind_url("00000000-0000-0000-0000-000000000000", COURSES)).status_code == 404
    assert client.get(kind_url("not-an-id", COURSES)).status_code == 404
    assert client.get(kind_url(str(org_a.pk).upper(), COURSES)).status_code == 404


def test_it_answers_404_for_an_unknown_kind_or_one_without_data_here(rich, carla, org_a):
    client = client_for(carla, org_a)

    assert client.get(kind_url(org_a.pk, "no.such.kind")).status_code == 404
    assert client.get(kind_url("account", COURSES)).status_code == 404  # courses are A's
    assert client.get(kind_url(org_a.pk, "passend.record_metadata")).status_code == 404


def test_the_page_size_does_not_grow_with_the_persons_history(rich, carla, org_a):
    add_courses(rich.profile, 200)

    page = client_for(carla, org_a).get(MY_DATA)
    second = client_for(carla, org_a).get(kind_url(org_a.pk, COURSES, page=2))

    assert page.status_code == 200
    assert len(page.content) < 150_000
    assert len(course_names(page.content.decode())) <= ROW_LIMIT
    assert "Show all 201 records" in page.content.decode()
    on_page_two = course_names(second.content.decode())
    assert len(on_page_two) == ROW_LIMIT
    assert "Course 199" not in on_page_two  # the newest are on page 1
    assert "Page 2 of 11" in second.content.decode()


# --- one dispute per kind of data ---------------------------------------------------


def _options(content: str) -> list[str]:
    select = re.search(r'<select name="field"[^>]*>(.*?)</select>', content, re.S)
    assert select is not None
    return [html.unescape(v) for v in re.findall(r'<option value="([^"]*)"', select.group(1))]


def test_the_dispute_link_of_a_kind_asks_which_field_of_that_kind_is_wrong(rich, carla, org_a):
    inventory = inventory_for(carla, current_organisation=org_a)
    werkpad = next(g for g in inventory.groups if g.organisation == org_a)
    block = next(b for b in werkpad.categories if b.key == "user.contact.address.city")
    client = client_for(carla, org_a)

    response = client.get(block.dispute_url)

    assert response.status_code == 200
    options = _options(response.content.decode())
    assert options[0] == ""
    assert "candidates.CandidateProfile:city" in options
    assert all(o.startswith(("candidates.", "accounts.")) for o in options[1:])
    # The paged view of a kind links the same dispute form.
    page = client.get(block.page_url).content.decode()
    assert html.escape(block.dispute_url) in page


def test_a_dispute_of_a_kind_lands_at_the_desk_of_the_organisation_that_holds_it(bob, org_a, org_b):
    bob_b = Membership.objects.unscoped().get(user=bob, organisation=org_b)
    with organisation_scope(org_b):
        contact = candidate_services.contact_profile_save(
            membership=bob_b, data={"name": "Bob in B"}
        )
    client = client_for(bob, org_a)  # working in A
    url = reverse("requests:dispute")

    response = client.post(
        url,
        {"organisation": str(org_b.pk), "kind": "user.name",
         "field": "candidates.ContactProfile:name", "proposed_value": "Bob Builder",
         "reason": "My name is spelt wrong."},
    )  # fmt: skip

    assert response.status_code == 302
    assert response["Location"] == kind_url(org_b.pk, "user.name")
    assert requests_of(org_a) == []
    [req] = requests_of(org_b)
    assert req.kind == RequestKind.RECTIFICATION
    assert req.membership_id == bob_b.pk
    assert (req.disputed_model, req.disputed_field) == ("candidates.ContactProfile", "name")
    assert req.disputed_object_id == str(contact.pk)
    assert req.proposed_value == "Bob Builder"


def test_a_dispute_in_the_current_organisation_shows_the_request(rich, carla, org_a):
    response = client_for(carla, org_a).post(
        reverse("requests:dispute"),
        {"organisation": str(org_a.pk), "kind": "user.contact.address.city",
         "field": "candidates.CandidateProfile:city", "proposed_value": "Amersfoort"},
    )  # fmt: skip

    [req] = requests_of(org_a)
    assert response["Location"] == reverse("requests:mine_detail", args=[req.pk])
    assert req.disputed_object_id == str(rich.profile.pk)  # her one profile


def test_a_dispute_of_one_of_several_records_must_say_which(rich, carla, org_a):
    add_courses(rich.profile, 2)
    data = {"organisation": str(org_a.pk), "kind": COURSES,
            "field": "candidates.Course:name", "proposed_value": "Food safety 2"}  # fmt: skip
    client = client_for(carla, org_a)

    vague = client.post(reverse("requests:dispute"), data)
    clear = client.post(reverse("requests:dispute"), {**data, "reason": "The SVH course."})

    assert vague.status_code == 400
    assert "Say which record is wrong" in vague.content.decode()
    assert clear.status_code == 302
    [req] = requests_of(org_a)
    assert req.disputed_object_id == ""


def test_a_dispute_for_an_organisation_the_person_does_not_belong_to_is_404(
    rich, carla, org_a, org_b
):
    client = client_for(carla, org_a)
    url = reverse("requests:dispute")

    got = client.get(url, {"organisation": str(org_b.pk), "kind": "user.name"})
    posted = client.post(
        url,
        {"organisation": str(org_b.pk), "kind": "user.name",
         "field": "accounts.User:name", "proposed_value": "x"},
    )  # fmt: skip
    per_field = client.post(
        url,
        {"organisation": str(org_b.pk), "model": "accounts.User", "field": "name",
         "object": str(carla.pk), "proposed_value": "x"},
    )  # fmt: skip

    assert got.status_code == posted.status_code == per_field.status_code == 404
    assert requests_of(org_a) == requests_of(org_b) == []


def test_a_dispute_of_an_unknown_kind_or_a_field_of_another_kind_is_refused(rich, carla, org_a):
    client = client_for(carla, org_a)
    url = reverse("requests:dispute")

    unknown = client.get(url, {"organisation": str(org_a.pk), "kind": "no.such.kind"})
    other_field = client.post(
        url,
        {"organisation": str(org_a.pk), "kind": "user.contact.address.city",
         "field": "candidates.CandidateProfile:bsn", "proposed_value": "123"},
    )  # fmt: skip

    assert unknown.status_code == 404
    assert other_field.status_code == 400
    assert "Choose the detail that is wrong." in other_field.content.decode()
    assert requests_of(org_a) == []
