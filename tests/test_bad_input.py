"""Bad input on the pages and in the admin answers 4xx, never 500 (issue 9, defects 11-14).

The API's side is in passend/api/tests/test_bad_input.py; the generated
inputs over every form and operation in tests/test_fuzz_inputs.py.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import client_for
from passend.accounts.models import User
from passend.accounts.tests.two_factor import pass_two_factor
from passend.candidates.models import CandidateProfile
from passend.candidates.services import candidate_profile_ensure
from passend.common.inputs import BIRTH_DATE, CAREER_DATE, DateBounds, validate_text
from passend.common.scope import organisation_scope
from passend.documents.models import Document, DocumentKind
from passend.documents.retention import id_copy_delete_after
from passend.documents.services import document_upload

PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path)


@pytest.fixture
def profile(personas: Any) -> CandidateProfile:
    with organisation_scope(personas.organisations["a"]):
        return candidate_profile_ensure(membership=personas.memberships["carla"])


def stored(personas: Any, model: Any, pk: Any) -> Any:
    with organisation_scope(personas.organisations["a"]):
        return model.objects.get(pk=pk)


def edit_profile(personas: Any, profile: CandidateProfile, **data: str) -> Any:
    client = client_for(personas["carla"], personas.organisations["a"])
    url = reverse("candidates:edit", kwargs={"candidate_id": profile.pk})
    return client.post(url, {"first_name": "Carla", **data})


# 11: control characters, one rule for pages and API


@pytest.mark.parametrize("value", ["Car\x00la", "Car\x01la", "Carla\x1b[0m", "Carla\x7f"])
def test_it_refuses_control_characters_on_the_profile_form(
    personas: Any, profile: CandidateProfile, value: str
) -> None:
    response = edit_profile(personas, profile, last_name=value)

    assert response.status_code == 400
    assert response.context["form"].errors["last_name"]
    assert stored(personas, CandidateProfile, profile.pk).last_name == ""


def test_it_names_the_control_characters_on_the_form(
    personas: Any, profile: CandidateProfile
) -> None:
    response = edit_profile(personas, profile, city="Gou\x1bda")

    assert "control characters" in " ".join(response.context["form"].errors["city"])


def test_it_checks_text_in_every_services_full_clean(
    personas: Any, profile: CandidateProfile
) -> None:
    profile.interests = "bakken\x00"

    with organisation_scope(personas.organisations["a"]), pytest.raises(ValidationError) as error:
        profile.full_clean()

    assert "control characters" in str(error.value.message_dict["interests"])


def test_it_allows_tabs_line_breaks_and_right_to_left_text() -> None:
    validate_text("Bakken\tkoken\r\n\u202e\u0645\u0631\u062d\u0628\u0627\u202c 🙂")


# 12: a body over DATA_UPLOAD_MAX_MEMORY_SIZE


def test_it_answers_413_to_a_form_post_that_is_too_large(
    settings: Any, personas: Any, profile: CandidateProfile
) -> None:
    interests = "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1024)

    response = edit_profile(personas, profile, interests=interests)

    assert response.status_code == 413
    assert b"Too much data" in response.content
    assert stored(personas, CandidateProfile, profile.pk).interests == ""


# 13: dates within bounds


@pytest.mark.parametrize(
    "value",
    [
        "0001-01-01",
        "1899-12-31",
        "9999-12-31",
        (timezone.localdate() + datetime.timedelta(days=1)).isoformat(),
    ],
)
def test_it_refuses_a_date_of_birth_out_of_bounds_on_the_form(
    personas: Any, profile: CandidateProfile, value: str
) -> None:
    response = edit_profile(personas, profile, date_of_birth=value)

    assert response.status_code == 400
    assert "Enter a date between 1 Jan 1900 and today." in str(
        response.context["form"].errors["date_of_birth"]
    )
    assert stored(personas, CandidateProfile, profile.pk).date_of_birth is None


@pytest.fixture
def id_copy(personas: Any, profile: CandidateProfile) -> Document:
    with organisation_scope(personas.organisations["a"]):
        return document_upload(
            candidate=profile,
            kind=DocumentKind.ID_COPY,
            name="id.pdf",
            chunks=[PDF],
            by=personas.memberships["bob"],
        )


@pytest.mark.parametrize(
    ("hired_at", "ended_at"),
    [
        ("9995-01-01", "9995-06-01"),  # was a 500: the retention date overflowed
        ("9999-12-31", ""),  # was kept "while employed", i.e. forever
        ("2020-01-01", "9999-12-31"),
        ("0001-01-01", "2020-01-01"),
    ],
)
def test_it_refuses_id_copy_dates_out_of_bounds(
    personas: Any, id_copy: Document, hired_at: str, ended_at: str
) -> None:
    client = client_for(personas["bob"], personas.organisations["a"])
    url = reverse("documents:id_copy", kwargs={"document_id": id_copy.pk})

    response = client.post(url, {"hired_at": hired_at, "employment_ended_at": ended_at})

    assert response.status_code == 302
    document = stored(personas, Document, id_copy.pk)
    assert document.hired_at is None
    assert document.employment_ended_at is None
    assert document.delete_after == id_copy.delete_after
    shown = " ".join(str(m) for m in client.get(response["Location"]).context["messages"])
    assert "Enter a date between 1 Jan 1950 and" in shown


def test_it_never_overflows_a_retention_date() -> None:
    delete_after = id_copy_delete_after(
        uploaded_at=timezone.now(),
        hired_at=datetime.date(9995, 1, 1),
        employment_ended_at=datetime.date(9996, 2, 29),
    )

    assert delete_after is not None
    assert delete_after.date() == datetime.date.max


def test_it_resolves_bounds_relative_to_today() -> None:
    today = timezone.localdate()
    earliest, latest = DateBounds(earliest=-10, latest=5).range()

    assert earliest.year == today.year - 10
    assert latest.year == today.year + 5
    assert BIRTH_DATE.range() == (datetime.date(1900, 1, 1), today)
    assert CAREER_DATE.range()[1].year == today.year + 10


# 14: out-of-range and malformed parameters


@pytest.mark.parametrize("name", ["candidates:list", "coaching:caseload"])
@pytest.mark.parametrize("page", ["99999999999999999999", "-1", "0", "x", "1e9", "\x00"])
def test_it_shows_the_nearest_page_for_a_page_out_of_range(
    personas: Any, name: str, page: str
) -> None:
    client = client_for(personas["bob"], personas.organisations["a"])

    response = client.get(reverse(name), {"page": page, "page_size": page, "q": page})

    assert response.status_code == 200


@pytest.fixture
def staff_client(db: Any) -> Any:
    staff = User.objects.create_user("bad-input-staff@platform.test", "x", is_platform_staff=True)
    client = client_for(staff)
    pass_two_factor(client, staff)
    return client


def test_it_answers_404_to_a_view_on_site_link_with_a_malformed_id(staff_client: Any) -> None:
    content_type = ContentType.objects.get_for_model(Document)

    response = staff_client.get(f"/platform-admin/r/{content_type.pk}/not-a-uuid/")

    assert response.status_code == 404


@pytest.mark.parametrize("object_id", ["not-a-uuid", "99999999999999999999999", "-1"])
def test_it_answers_404_for_every_content_type(staff_client: Any, object_id: str) -> None:
    answers = {
        content_type.model: staff_client.get(
            f"/platform-admin/r/{content_type.pk}/{object_id}/"
        ).status_code
        for content_type in ContentType.objects.all()
    }

    assert len(answers) > 40
    assert set(answers.values()) == {404}, answers
