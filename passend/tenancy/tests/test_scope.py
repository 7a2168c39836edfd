import pytest

from passend.tenancy.models import Employer, Membership
from passend.tenancy.scope import ScopeError, no_scope, organisation_scope

pytestmark = pytest.mark.django_db


def test_it_refuses_to_query_organisation_data_without_a_scope(personas):
    with pytest.raises(ScopeError):
        list(Employer.objects.all())


def test_it_refuses_counts_and_existence_checks_without_a_scope(personas):
    with pytest.raises(ScopeError):
        Membership.objects.count()
    with pytest.raises(ScopeError):
        Employer.objects.filter(name="x").exists()


def test_it_hides_other_organisations_employers(org_a, org_b):
    with organisation_scope(org_a):
        names = set(Employer.objects.values_list("name", flat=True))
    assert "Bakkerij De Korenaar" in names
    assert "Hotel De Maas" not in names


def test_it_filters_reverse_relations_by_the_active_scope(org_a, org_b, personas):
    hotel = personas.employers["Hotel De Maas"]
    with organisation_scope(org_a):
        assert list(hotel.memberships.all()) == []
    with organisation_scope(org_b):
        assert [m.user.email for m in hotel.memberships.all()] == ["gijs@passend.test"]


def test_it_closes_the_scope_again_on_leaving(org_a):
    with organisation_scope(org_a):
        Employer.objects.count()
        with no_scope(), pytest.raises(ScopeError):
            Employer.objects.count()
    with pytest.raises(ScopeError):
        Employer.objects.count()


def test_it_lists_only_a_persons_own_memberships_across_organisations(bob, carla, personas):
    slugs = [m.organisation.slug for m in Membership.objects.of_user(bob)]
    assert slugs == ["flexkracht", "werkpad"]
    assert [m.user for m in Membership.objects.of_user(carla)] == [carla]


def test_it_keeps_unscoped_out_of_everything_but_privacy_and_admin():
    """The escape hatch may only be used where rights and retention cross tables."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.rglob("*.py"):
        rel = path.relative_to(root).as_posix()
        if "/tests/" in rel or rel.startswith("privacy/") or rel.endswith("admin.py"):
            continue
        if rel == "tenancy/managers.py":
            continue
        if "unscoped()" in path.read_text():
            offenders.append(rel)
    assert offenders == []
