"""The refusals of the access functions, each on its own, so that every rule
in an `access.py` is taken in both directions (docs/ci.md, "Coverage").

The authorisation matrix reaches most rules through the pages; these are the
ones no page reaches with the visitors of the matrix: a role that never gets
to the lookup, a missing membership or profile, an empty token.
"""

from __future__ import annotations

import uuid

import pytest
from django.http import Http404, HttpResponse
from django.test import RequestFactory
from django.utils import timezone

from passend.candidates import access as candidate_access
from passend.candidates import services as candidate_services
from passend.candidates.models import WorkExperience
from passend.coaching import access as coaching_access
from passend.documents import access as document_access
from passend.privacy.requests import access as request_access
from passend.privacy.restriction import access as restriction_access
from passend.privacy.rights import access as rights_access
from passend.tenancy import access as tenancy_access
from passend.tenancy.models import Invitation, Role, hash_token

pytestmark = pytest.mark.django_db

MISSING = uuid.uuid4()


def member(personas, key):
    return personas.memberships[key]


def test_it_keeps_an_employer_from_a_section_entry(personas, scope_a):
    profile = candidate_services.candidate_profile_ensure(membership=member(personas, "carla"))

    with pytest.raises(Http404):
        candidate_access.get_entry_for_actor(
            member(personas, "dave"), profile, WorkExperience, MISSING
        )


def test_it_lets_only_the_candidate_and_staff_revoke_a_share(personas, scope_a):
    profile = candidate_services.candidate_profile_ensure(membership=member(personas, "carla"))
    share = candidate_services.profile_share(
        profile=profile, employer=member(personas, "dave").employer, by=member(personas, "bob")
    )

    assert candidate_access.get_share_for_actor(member(personas, "bob"), share.pk) == share
    with pytest.raises(Http404):
        candidate_access.get_share_for_actor(member(personas, "dave"), share.pk)


@pytest.mark.parametrize("key", ["bob", "dave", "carla"])
def test_it_gives_schemes_to_admins_only(personas, scope_a, key):
    with pytest.raises(Http404):
        candidate_access.get_scheme_for_actor(member(personas, key), MISSING)


@pytest.mark.parametrize("key", ["dave", "carla"])
def test_it_opens_a_candidates_membership_to_advisors_and_admins_only(personas, scope_a, key):
    with pytest.raises(Http404):
        candidate_access.get_candidate_membership_for_actor(member(personas, key), MISSING)


def test_it_finds_no_own_coaching_profile_for_someone_who_is_not_a_candidate(personas, scope_a):
    assert coaching_access.own_candidate_profile(member(personas, "bob")) is None


def test_it_finds_no_own_documents_for_a_candidate_without_a_profile(personas, scope_a):
    with pytest.raises(Http404):
        document_access.own_profile(member(personas, "carla"))


def test_it_gives_requests_to_the_organisations_admins_only(personas, scope_a):
    with pytest.raises(Http404):
        request_access.get_request_for_admin(None, MISSING)
    with pytest.raises(Http404):
        request_access.get_request_for_admin(member(personas, "bob"), MISSING)
    with pytest.raises(Http404):
        request_access.get_request_for_member(None, MISSING)


def test_it_gives_unrouted_requests_to_platform_staff_only(personas):
    with pytest.raises(Http404):
        request_access.get_unrouted_for_staff(personas["alice"], MISSING)


def test_it_gives_restrictions_to_admins_only(personas, scope_a):
    with pytest.raises(Http404):
        restriction_access.get_active_restriction_for_admin(member(personas, "bob"), MISSING)


@pytest.mark.parametrize("job_id", [MISSING, "not-a-uuid"])
def test_it_finds_no_export_that_is_missing(personas, job_id):
    with pytest.raises(Http404):
        rights_access.get_export_for_person(personas["carla"], job_id)


def test_it_finds_no_export_without_a_token(personas):
    with pytest.raises(Http404):
        rights_access.get_export_by_token(personas["carla"], "")


def test_it_sends_a_signed_in_person_without_an_organisation_to_404(personas):
    @tenancy_access.require_role(Role.ADMIN)
    def view(request):
        return HttpResponse("reached")

    request = RequestFactory().get("/")
    request.user = personas["alice"]
    request.membership = None

    with pytest.raises(Http404):
        view(request)


@pytest.mark.parametrize("key", ["bob", "dave", "carla"])
def test_it_gives_members_and_contacts_to_admins_only(personas, scope_a, key):
    with pytest.raises(Http404):
        tenancy_access.get_member_for_actor(member(personas, key), MISSING)
    with pytest.raises(Http404):
        tenancy_access.get_contact_for_actor(member(personas, key), MISSING)


def test_it_gives_an_advisor_only_the_invitations_they_sent(personas, scope_a, org_a):
    invitation = Invitation.objects.create(
        organisation=org_a,
        email="invitee@example.org",
        role=Role.CANDIDATE,
        token_hash=hash_token("access-rules"),
        invited_by=member(personas, "alice"),
        expires_at=timezone.now() + timezone.timedelta(days=1),
    )

    assert tenancy_access.get_invitation_for_actor(member(personas, "alice"), invitation.pk)
    with pytest.raises(Http404):
        tenancy_access.get_invitation_for_actor(member(personas, "bob"), invitation.pk)


@pytest.mark.parametrize("key", ["dave", "carla"])
def test_it_lets_employers_and_candidates_invite_no_one(personas, key):
    assert list(tenancy_access.roles_that_may_invite(member(personas, key))) == []
