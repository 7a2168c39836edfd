"""An export an organisation prepares at its request desk: its own data only,
and next to the person's own export, never in its way."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from passend.common.scope import organisation_scope
from passend.privacy.audit.models import AuditEvent
from passend.privacy.restriction import services as restriction_services
from passend.privacy.rights import jobs, selectors, services
from passend.privacy.rights.export import build_export
from passend.privacy.rights.models import ExportJob, ExportStatus, Scope
from passend.privacy.rights.tests.conftest import data_json, open_zip
from passend.tenancy.models import Membership


@pytest.fixture
def bob_in_both(personas, org_a, org_b):
    """Bob (advisor in A and in B) restricted processing in each organisation."""
    for key, org in (("a", org_a), ("b", org_b)):
        membership = personas.memberships["bob"] if key == "a" else _bob_in_b(personas, org_b)
        with organisation_scope(org):
            restriction_services.restriction_start(
                membership=membership,
                reason="contests_accuracy",
                note=f"Marker of organisation {key.upper()}",
                by=membership,
            )
    return personas["bob"]


def _bob_in_b(personas, org_b):
    with organisation_scope(org_b):
        return Membership.objects.get(user=personas["bob"])


def test_an_organisations_export_holds_only_that_organisations_rows(bob_in_both, org_a, org_b):
    result = build_export(bob_in_both, scope=Scope.ACCESS, organisation=org_a)
    data = data_json(result.data)
    archive = open_zip(result.data)
    raw = archive.read("data.json").decode()

    assert set(data["organisations"]) == {str(org_a.pk)}
    assert data["organisation"] == str(org_a.pk)
    assert data["organisation_names"] == {str(org_a.pk): org_a.name}
    assert "Marker of organisation A" in raw
    assert "Marker of organisation B" not in raw
    assert str(org_b.pk) not in raw
    assert not [name for name in archive.namelist() if str(org_b.pk) in name]
    assert not [name for name in archive.namelist() if "/account/" in name]
    overview = archive.read("overview.html").decode()
    assert org_b.name not in overview
    assert f"Your data at {org_a.name}" in overview
    assert result.groups == {str(org_a.pk)}


def test_the_persons_own_export_still_holds_every_organisation_and_the_account(
    bob_in_both, org_a, org_b
):
    data = data_json(build_export(bob_in_both, scope=Scope.ACCESS).data)

    assert set(data["organisations"]) == {str(org_a.pk), str(org_b.pk), "account"}
    assert data["organisation"] is None


def test_an_organisations_export_is_built_and_audited_in_its_own_chain(
    personas, bob_in_both, org_a, media
):
    alice_m = personas.memberships["alice"]
    job = services.export_request_for_organisation(
        user=bob_in_both, organisation=org_a, scope=Scope.ACCESS, requested_by=alice_m
    )

    jobs.export_build(job_id=str(job.pk))

    job.refresh_from_db()
    assert job.status == ExportStatus.READY
    assert job.for_organisation
    assert set(data_json(job.file.read_decrypted())["organisations"]) == {str(org_a.pk)}
    chains = set(
        AuditEvent.objects.unscoped()
        .filter(target_id=str(job.pk))
        .values_list("organisation_id", flat=True)
    )
    assert chains == {org_a.pk}


def test_only_an_admin_of_that_organisation_has_one_made(personas, bob_in_both, org_a):
    for key in ("bob", "charlie"):
        with pytest.raises(ValidationError):
            services.export_request_for_organisation(
                user=bob_in_both,
                organisation=org_a,
                scope=Scope.ACCESS,
                requested_by=personas.memberships[key],
            )
    assert ExportJob.objects.count() == 0


def test_an_organisations_export_and_the_persons_own_run_side_by_side(
    personas, carla, org_a, org_b
):
    organisations = services.export_request_for_organisation(
        user=carla,
        organisation=org_a,
        scope=Scope.ACCESS,
        requested_by=personas.memberships["alice"],
    )

    own = services.export_request(user=carla, scope=Scope.PORTABILITY)
    own_again = services.export_request(user=carla, scope=Scope.ACCESS)
    organisations_again = services.export_request_for_organisation(
        user=carla,
        organisation=org_a,
        scope=Scope.ACCESS,
        requested_by=personas.memberships["alice"],
    )

    assert own.pk != organisations.pk
    assert own_again.pk == own.pk  # still one own export in progress per person
    assert organisations_again.pk == organisations.pk  # and one per organisation
    assert services.active_export(carla) == own
    assert [job.pk for job in selectors.exports_of(carla)] == [own.pk]
    assert ExportJob.objects.filter(user=carla).count() == 2


def test_an_organisations_export_rejects_an_unknown_scope(personas, carla, org_a):
    with pytest.raises(ValidationError):
        services.export_request_for_organisation(
            user=carla, organisation=org_a, scope="everything",
            requested_by=personas.memberships["alice"],
        )  # fmt: skip
