"""The gate on every processing path: matching, mailings, statistics, sharing,
transfers and screening (GDPR Art. 18 and 21).

Matching, mailings and statistics have no feature yet; their tests go through
the gate they will start from (`processable_for`, `exclude_blocked`)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from conftest import client_for
from passend.accounts.models import User
from passend.candidates import selectors as candidate_selectors
from passend.candidates import services as candidate_services
from passend.candidates.models import CandidateProfile
from passend.common.scope import organisation_scope
from passend.privacy.datamap import Purpose
from passend.privacy.recipients import TransferRefused, transfer
from passend.privacy.restriction import services
from passend.privacy.restriction.gate import (
    ProcessingBlocked,
    ProcessingPurpose,
    assert_may_process,
    blocked_transfer_subjects,
    exclude_blocked,
    may_process,
)
from passend.privacy.restriction.models import ObjectablePurpose
from passend.privacy.restriction.tests.conftest import restrict
from passend.tenancy.models import Membership, Role


def _matchable():
    return CandidateProfile.objects.processable_for(ProcessingPurpose.MATCHING).select_related(
        "membership__user"
    )


def _members_for(purpose):
    members = Membership.objects.filter(is_active=True)
    return exclude_blocked(members, purpose, membership_path="pk")


# --- matching -------------------------------------------------------------------------


def test_it_offers_an_unrestricted_candidate_for_matching(carla_profile):
    assert list(_matchable()) == [carla_profile]


def test_it_leaves_a_restricted_candidate_out_of_matching(carla_profile, carla_restricted):
    assert list(_matchable()) == []
    # The data stays stored: the profile itself is still there.
    assert CandidateProfile.objects.filter(pk=carla_profile.pk).exists()


def test_it_filters_any_profile_queryset_through_the_manager(carla_profile, members):
    services.objection_make(membership=members["carla"], purpose=ObjectablePurpose.MATCHING)

    assert not CandidateProfile.objects.processable_for(ProcessingPurpose.MATCHING).exists()
    assert CandidateProfile.objects.processable_for(ProcessingPurpose.SHARING).exists()


def test_it_keeps_the_profile_manager_scoped(carla_profile, org_b):
    with organisation_scope(org_b):
        assert not CandidateProfile.objects.processable_for(ProcessingPurpose.MATCHING).exists()


# --- newsletter and offers ------------------------------------------------------------


def test_it_leaves_a_restricted_person_out_of_the_newsletter_and_offers(scope_a, members):
    assert members["carla"] in _members_for(ProcessingPurpose.NEWSLETTER)

    restrict(members["carla"])

    assert members["carla"] not in _members_for(ProcessingPurpose.NEWSLETTER)
    assert members["carla"] not in _members_for(ProcessingPurpose.OFFERS)


# --- objections: each blocks its own purpose only -------------------------------------


def test_an_objection_to_matching_removes_the_person_only_from_matching(carla_profile, members):
    services.objection_make(membership=members["carla"], purpose=ObjectablePurpose.MATCHING)

    assert list(_matchable()) == []
    assert members["carla"] in _members_for(ProcessingPurpose.NEWSLETTER)
    assert members["carla"] in _members_for(ProcessingPurpose.OFFERS)
    assert members["carla"] in _members_for(ProcessingPurpose.STATISTICS)
    assert may_process(members["carla"], ProcessingPurpose.SHARING)


def test_an_objection_to_the_newsletter_removes_the_person_only_from_the_newsletter(
    carla_profile, members
):
    services.objection_make(membership=members["carla"], purpose=ObjectablePurpose.NEWSLETTER)

    assert members["carla"] not in _members_for(ProcessingPurpose.NEWSLETTER)
    assert members["carla"] in _members_for(ProcessingPurpose.OFFERS)
    assert list(_matchable()) == [carla_profile]


def test_a_withdrawn_objection_restores_the_processing(carla_profile, members):
    for purpose in (ObjectablePurpose.MATCHING, ObjectablePurpose.NEWSLETTER):
        services.objection_make(membership=members["carla"], purpose=purpose)

    for purpose in (ObjectablePurpose.MATCHING, ObjectablePurpose.NEWSLETTER):
        assert services.objection_withdraw(membership=members["carla"], purpose=purpose) == 1

    assert list(_matchable()) == [carla_profile]
    assert members["carla"] in _members_for(ProcessingPurpose.NEWSLETTER)


def test_it_keeps_one_active_objection_per_purpose(scope_a, members):
    first = services.objection_make(membership=members["carla"], purpose="statistics")
    again = services.objection_make(membership=members["carla"], purpose="statistics")

    assert again.pk == first.pk
    assert services.objection_withdraw(membership=members["carla"], purpose="statistics") == 1
    assert services.objection_withdraw(membership=members["carla"], purpose="statistics") == 0


def test_it_refuses_an_objection_to_an_unknown_purpose(scope_a, members):
    with pytest.raises(ValidationError):
        services.objection_make(membership=members["carla"], purpose="sharing")


def test_it_refuses_an_objection_made_for_someone_else(scope_a, members):
    with pytest.raises(ValidationError):
        services.objection_make(membership=members["carla"], purpose="matching", by=members["bob"])


# --- statistics -----------------------------------------------------------------------


def test_it_leaves_restricted_and_objecting_people_out_of_statistics(scope_a, members):
    everyone = set(_members_for(ProcessingPurpose.STATISTICS))
    assert {members["carla"], members["dave"], members["bob"]} <= everyone

    restrict(members["carla"])
    services.objection_make(membership=members["dave"], purpose=ObjectablePurpose.STATISTICS)

    counted = set(_members_for(ProcessingPurpose.STATISTICS))
    assert members["carla"] not in counted
    assert members["dave"] not in counted
    assert members["bob"] in counted
    assert not _members_for(ProcessingPurpose.STATISTICS).filter(role=Role.CANDIDATE).exists()


# --- sharing with employers -----------------------------------------------------------


def test_it_refuses_to_share_the_profile_of_a_restricted_candidate(
    carla_profile, carla_restricted, members
):
    company = members["dave"].employer
    for by in (members["bob"], members["carla"]):
        with pytest.raises(ValidationError, match="restricted"):
            candidate_services.profile_share(profile=carla_profile, employer=company, by=by)


def test_the_employer_loses_sight_of_a_shared_profile_while_it_is_restricted(
    shared_with_dave, carla_profile, members, dave, alice, org_a
):
    detail = f"/candidates/{carla_profile.pk}/"
    client = client_for(dave, org_a)
    assert client.get(detail).status_code == 200
    assert list(candidate_selectors.shared_with_employer(members["dave"])) == [carla_profile]

    restriction = restrict(members["carla"])

    assert client.get(detail).status_code == 404
    assert list(candidate_selectors.shared_with_employer(members["dave"])) == []
    assert "Bakker" not in client.get("/candidates/shared/").content.decode()
    shared_with_dave.refresh_from_db()
    assert shared_with_dave.is_active  # the share itself stays stored

    services.restriction_lift(restriction=restriction, by=members["alice"])

    assert client.get(detail).status_code == 200
    assert list(candidate_selectors.shared_with_employer(members["dave"])) == [carla_profile]


# --- transfers to recipients ----------------------------------------------------------


def test_it_refuses_a_transfer_about_a_restricted_person(carla_restricted, carla, members):
    with pytest.raises(TransferRefused, match="restricted"):
        transfer(recipient="email", records=[carla], purpose=Purpose.ACCOUNT)
    with pytest.raises(TransferRefused):
        transfer(recipient="hosting", records=[members["carla"]], purpose=Purpose.ACCOUNT)


def test_it_refuses_a_transfer_about_a_restricted_person_outside_any_scope(carla_restricted, carla):
    from passend.common.scope import no_scope

    with no_scope(), pytest.raises(TransferRefused):
        transfer(recipient="email", records=[carla], purpose=Purpose.ACCOUNT)


def test_a_restriction_in_one_organisation_does_not_block_another(scope_a, bob, org_b, members):
    restrict(members["bob"])

    with organisation_scope(org_b):
        in_b = Membership.objects.get(user=bob)
        payload = transfer(recipient="hosting", records=[in_b], purpose=Purpose.ACCOUNT)

    assert payload[0]["user"] == bob.pk


def test_it_refuses_a_transfer_for_a_purpose_the_person_objects_to(scope_a, carla, members, org_a):
    services.objection_make(membership=members["carla"], purpose=ObjectablePurpose.NEWSLETTER)

    assert blocked_transfer_subjects([(carla.pk, org_a.pk)], Purpose.NEWSLETTER) == {carla.pk}
    assert blocked_transfer_subjects([(carla.pk, org_a.pk)], Purpose.OFFERS) == set()
    # Mediation is not matching: an objection to matching does not stop it.
    services.objection_make(membership=members["carla"], purpose=ObjectablePurpose.MATCHING)
    assert blocked_transfer_subjects([(carla.pk, org_a.pk)], Purpose.MEDIATION) == set()
    assert transfer(recipient="email", records=[carla], purpose=Purpose.ACCOUNT)


# --- screening ------------------------------------------------------------------------


def test_screening_asks_the_gate_and_is_refused_for_a_restricted_person(
    scope_a, carla_restricted, members
):
    with pytest.raises(ProcessingBlocked, match="restricted") as blocked:
        assert_may_process(members["carla"], ProcessingPurpose.SCREENING)
    assert blocked.value.purpose == ProcessingPurpose.SCREENING


def test_screening_is_refused_for_a_person_who_objects_to_it(scope_a, members):
    assert_may_process(members["carla"], ProcessingPurpose.SCREENING)

    services.objection_make(membership=members["carla"], purpose=ObjectablePurpose.SCREENING)

    with pytest.raises(ProcessingBlocked, match="objects"):
        assert_may_process(members["carla"], "screening")
    assert_may_process(members["carla"], ProcessingPurpose.SHARING)


# --- cost -----------------------------------------------------------------------------


def _candidate(org, n):
    user = User.objects.create_user(f"cand{n}@example.org", "x", name=f"Candidate {n}")
    membership = Membership.objects.create(organisation=org, user=user, role=Role.CANDIDATE)
    return candidate_services.candidate_profile_ensure(membership=membership)


def test_the_gate_adds_no_query_per_row(scope_a, org_a, django_assert_num_queries):
    profiles = [_candidate(org_a, n) for n in range(6)]
    restrict(profiles[0].membership)
    services.objection_make(membership=profiles[1].membership, purpose="matching")

    with django_assert_num_queries(1):
        rows = list(_matchable())
        names = [row.membership.user.name for row in rows]

    assert len(names) == 4
    assert profiles[0] not in rows
    assert profiles[1] not in rows
    # Restricted (profiles[0]) is left out of statistics; an objection to
    # matching (profiles[1]) is not an objection to statistics.
    personas_of_a = set(
        Membership.objects.exclude(pk__in=[p.membership_id for p in profiles]).values_list(
            "pk", flat=True
        )
    )
    with django_assert_num_queries(1):
        counted = set(_members_for(ProcessingPurpose.STATISTICS).values_list("pk", flat=True))
    assert counted == personas_of_a | {p.membership_id for p in profiles[1:]}
    with django_assert_num_queries(1):
        list(exclude_blocked(CandidateProfile.objects.all(), ProcessingPurpose.SHARING))
