"""Profile fields: validation, the BSN rules, encryption at rest and the audit trail."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from passend.candidates import services
from passend.candidates.forms import ProfileForm
from passend.candidates.models import CandidateProfile
from passend.candidates.validators import normalise_phone
from passend.common.scope import organisation_scope
from passend.privacy.audit.models import AuditEvent

BSN = "111222333"


def test_it_stores_phone_numbers_in_e164():
    assert normalise_phone("06 12345678") == "+31612345678"
    assert normalise_phone("+32 470 12 34 56") == "+32470123456"


@pytest.mark.parametrize("bad", ["12345", "06 1234", "call me", "+31 6 1234 5678 9"])
def test_it_rejects_an_invalid_phone_number(bad):
    with pytest.raises(ValidationError) as error:
        normalise_phone(bad)
    assert "valid phone number" in str(error.value)


def test_it_creates_my_profile_when_i_first_open_it(carla, as_persona, org_a):
    response = as_persona("carla", "a").get(reverse("candidates:me"))

    assert response.status_code == 200
    with organisation_scope(org_a):
        profile = CandidateProfile.objects.get(membership__user=carla)
        assert AuditEvent.objects.filter(
            target_id=str(profile.pk), action="create", target_model="candidates.candidateprofile"
        ).exists()


def test_it_normalises_and_saves_the_personal_details(carla_profile, scope_a):
    profile = CandidateProfile.objects.get(pk=carla_profile.pk)

    assert profile.postcode == "3512 PH"
    assert profile.phone == "+31612345678"
    assert profile.iban == "NL02ABNA0123456789"
    assert profile.bsn == BSN


@pytest.mark.parametrize(
    ("field", "bad", "message"),
    [
        ("postcode", "12345", "valid Dutch postcode"),
        ("phone", "0612", "valid phone number"),
        ("iban", "NL00ABNA0123456789", "valid IBAN"),
        ("bsn", "123456789", "eleven test"),
    ],
)
def test_it_rejects_invalid_values_with_a_clear_message(
    carla_profile, bob, personas, scope_a, field, bad, message
):
    with pytest.raises(ValidationError) as error:
        services.candidate_profile_update(
            profile=carla_profile, by=personas.memberships["bob"], data={field: bad}
        )

    assert message in " ".join(error.value.message_dict[field])


def test_it_shows_invalid_values_on_the_form_with_status_400(carla_profile, as_persona):
    response = as_persona("carla", "a").post(
        reverse("candidates:edit", args=[carla_profile.pk]),
        {"postcode": "ABCD", "phone": "12", "iban": "NL00", "bsn": "123456789"},
    )

    assert response.status_code == 400
    body = response.content.decode()
    assert "valid Dutch postcode" in body
    assert "valid phone number" in body
    assert "valid IBAN" in body
    assert "eleven test" in body


def test_it_refuses_a_bsn_for_someone_who_is_not_a_flex_worker(personas, scope_a):
    profile = services.candidate_profile_ensure(membership=personas.memberships["carla"])

    with pytest.raises(ValidationError) as error:
        services.candidate_profile_update(
            profile=profile, by=personas.memberships["carla"], data={"bsn": BSN}
        )

    assert "only recorded for flex workers" in " ".join(error.value.message_dict["bsn"])


def test_it_offers_the_bsn_field_only_to_flex_workers(personas, scope_a):
    profile = services.candidate_profile_ensure(membership=personas.memberships["carla"])
    carla = personas.memberships["carla"]

    assert "bsn" not in ProfileForm(profile=profile, actor=carla).fields
    profile.is_worker = True
    form = ProfileForm(profile=profile, actor=carla)
    assert "bsn" in form.fields
    assert "payroll" in str(form.fields["bsn"].help_text)
    assert "is_worker" not in form.fields  # only advisors decide that


def test_it_never_shows_the_bsn_back_on_the_form(carla_profile, as_persona):
    response = as_persona("carla", "a").get(reverse("candidates:edit", args=[carla_profile.pk]))

    assert response.status_code == 200
    assert BSN not in response.content.decode()


def test_it_refuses_a_duplicate_bsn_within_the_organisation(
    carla_profile, personas, scope_a, django_user_model
):
    from passend.tenancy.models import Membership

    user = django_user_model.objects.create_user("second@example.org", "x", name="Second")
    member = Membership.objects.create(
        organisation=personas.organisations["a"], user=user, role="candidate"
    )
    other = services.candidate_profile_ensure(membership=member)
    services.candidate_profile_update(
        profile=other, by=personas.memberships["bob"], data={"is_worker": True}
    )

    with pytest.raises(ValidationError) as error:
        services.candidate_profile_update(
            profile=other, by=personas.memberships["bob"], data={"bsn": "1112.22.333"}
        )

    assert "already registered with this BSN" in " ".join(error.value.message_dict["bsn"])


def test_it_allows_the_same_bsn_in_another_organisation(carla_profile, personas):
    with organisation_scope(personas.organisations["b"]):
        fatima = services.candidate_profile_ensure(membership=personas.memberships["fatima"])
        services.candidate_profile_update(
            profile=fatima,
            by=personas.memberships["fatima"],
            data={},
        )
        fatima.is_worker = True
        services.candidate_profile_update(
            profile=fatima, by=personas.memberships["fatima"], data={"bsn": BSN}
        )
        assert fatima.bsn_index != carla_profile.bsn_index


def test_it_keeps_no_bsn_or_iban_in_the_database_column(carla_profile):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT bsn, iban, bsn_index FROM candidates_candidateprofile WHERE id = %s",
            [carla_profile.pk.hex],
        )
        row = cursor.fetchone()

    assert row is not None
    assert BSN not in "".join(row)
    assert "NL02ABNA0123456789" not in "".join(row)
    assert row[0].startswith("enc1:")


def test_it_does_not_find_candidates_by_bsn(carla_profile, as_persona):
    response = as_persona("bob", "a").get(reverse("candidates:list"), {"q": BSN})

    assert response.status_code == 200
    assert "Carla" not in response.content.decode()
    assert (
        "Carla"
        in as_persona("bob", "a").get(reverse("candidates:list"), {"q": "bakk"}).content.decode()
    )


def test_it_keeps_the_bsn_out_of_urls(carla_profile, as_persona):
    client = as_persona("bob", "a")
    response = client.post(
        reverse("candidates:edit", args=[carla_profile.pk]),
        {"bsn": BSN, "first_name": "Carla", "is_worker": "on"},
    )

    assert response.status_code == 302
    assert BSN not in response["Location"]
    page = client.get(response["Location"]).content.decode()
    assert f"={BSN}" not in page
    assert f"/{BSN}" not in page


def test_it_audits_every_change_with_the_field_names_only(carla_profile, scope_a):
    event = AuditEvent.objects.filter(target_id=str(carla_profile.pk), action="update").latest("id")

    assert "bsn" in event.fields
    assert "iban" in event.fields
    assert BSN not in str(event.fields)
    assert event.subject_user_id == carla_profile.membership.user_id


def test_it_audits_showing_the_bsn_and_iban(carla_profile, as_persona, org_a, bob):
    as_persona("bob", "a").get(reverse("candidates:detail", args=[carla_profile.pk]))

    with organisation_scope(org_a):
        read = AuditEvent.objects.filter(target_id=str(carla_profile.pk), action="read").latest(
            "id"
        )
    assert sorted(read.fields) == ["bsn", "iban"]
    assert read.actor_user_id == bob.pk


def test_it_lets_a_candidate_change_only_their_own_fields(carla_profile, personas, scope_a):
    with pytest.raises(ValidationError):
        services.candidate_profile_update(
            profile=carla_profile, by=personas.memberships["carla"], data={"is_worker": False}
        )


def test_it_saves_a_contact_profile_for_an_advisor(as_persona, bob, scope_a):
    client = as_persona("bob", "a")
    bad = client.post(reverse("candidates:contact_profile"), {"name": "Bob", "postcode": "9"})
    assert bad.status_code == 400

    response = client.post(
        reverse("candidates:contact_profile"),
        {"name": "Bob Jansen", "postcode": "3511ax", "phone": "030 123 4567", "profile_text": "Hi"},
    )

    assert response.status_code == 302
    profile = bob.memberships.get().contact_profile
    assert (profile.postcode, profile.phone) == ("3511 AX", "+31301234567")


def test_it_keeps_candidates_out_of_contact_profiles(as_persona):
    assert as_persona("carla", "a").get(reverse("candidates:contact_profile")).status_code == 403
