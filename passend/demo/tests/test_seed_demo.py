from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from stdnum.nl import btw, postcode

from passend.common.scope import organisation_scope
from passend.demo.management.demo import DEMO_DOMAIN, build_plan, seed_demo
from passend.demo.personas import DEMO_PASSWORD, ORGANISATIONS, PERSONAS, persona_email
from passend.tenancy.models import (
    Employer,
    EmployerContact,
    Invitation,
    Membership,
    Organisation,
    OrganisationContact,
    Role,
)

pytestmark = pytest.mark.django_db

SCOPED_MODELS = [Membership, Employer, EmployerContact, OrganisationContact, Invitation]


@pytest.fixture(autouse=True)
def without_candidates_data(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about organisations, companies and people; filling in the
    candidates (slow) has its own tests, in test_population.py."""
    from passend.demo.management import demo

    monkeypatch.setattr(demo, "_populate", lambda *args, **kwargs: None)


def run_command() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    result = {
        "organisations": Organisation.objects.count(),
        "users": get_user_model().objects.count(),
        "email addresses": EmailAddress.objects.count(),
    }
    for organisation in Organisation.objects.all():
        with organisation_scope(organisation):
            for model in SCOPED_MODELS:
                result[f"{organisation.slug} {model.__name__}"] = model.objects.count()
    return result


def people_in_plan() -> set[str]:
    """The e-mail addresses of everyone the plan gives an account."""
    emails = set()
    for org_plan in build_plan().organisations.values():
        emails |= {p.email for p in org_plan.professionals + org_plan.candidates}
        emails |= {p.email for p, _ in org_plan.employer_users}
    return emails


def organisations() -> list[Organisation]:
    return list(Organisation.objects.order_by("slug"))


def test_it_creates_every_role_in_both_organisations() -> None:
    run_command()

    assert len(organisations()) == 2
    for organisation in organisations():
        with organisation_scope(organisation):
            roles = set(Membership.objects.values_list("role", flat=True))
            assert roles == set(Role.values)
            assert Membership.objects.filter(role=Role.CANDIDATE).count() >= 12
            assert Membership.objects.filter(role=Role.PROFESSIONAL).count() >= 3
            assert Membership.objects.filter(role=Role.EMPLOYER).count() >= 3


def test_it_makes_some_people_members_of_both_organisations() -> None:
    run_command()

    a, b = organisations()
    with organisation_scope(a):
        in_a = set(Membership.objects.values_list("user_id", flat=True))
    with organisation_scope(b):
        in_b = set(Membership.objects.values_list("user_id", flat=True))
    in_both = get_user_model().objects.filter(pk__in=in_a & in_b)
    emails = set(in_both.values_list("email", flat=True))
    assert persona_email("bob") in emails
    assert len(emails) >= 4


def test_it_changes_no_counts_when_run_twice() -> None:
    run_command()
    before = counts()

    run_command()

    assert counts() == before
    assert before["users"] == len(PERSONAS) + len(people_in_plan())


def test_it_adds_to_personas_that_already_exist(personas: Any) -> None:
    before = counts()

    run_command()

    after = counts()
    assert after["organisations"] == before["organisations"]
    assert after["users"] > before["users"]


def test_it_gives_every_company_valid_identifiers_and_an_address() -> None:
    run_command()

    for organisation in organisations():
        with organisation_scope(organisation):
            employers = list(Employer.objects.all())
            assert len(employers) >= 6
            assert any(e.is_client for e in employers)
            assert not all(e.is_client for e in employers)
            for employer in employers:
                assert len(employer.kvk_number) == 8
                assert employer.kvk_number.isdigit()
                assert btw.is_valid(employer.vat_number)
                assert postcode.is_valid(employer.postcode)
                assert employer.street
                assert employer.city
                assert employer.contacts.exists()


def test_it_links_employer_users_to_their_company_and_its_contacts() -> None:
    run_command()

    for organisation in organisations():
        with organisation_scope(organisation):
            for membership in Membership.objects.filter(role=Role.EMPLOYER):
                assert membership.employer is not None
                assert EmployerContact.objects.filter(
                    employer=membership.employer, email=membership.user.email
                ).exists()
            assert OrganisationContact.objects.count() == 2


def test_it_leaves_invitations_pending_and_sends_no_mail() -> None:
    run_command()

    assert mail.outbox == []
    for organisation in organisations():
        with organisation_scope(organisation):
            invitations = list(Invitation.objects.all())
            assert len(invitations) == 2
            assert {i.status for i in invitations} == {"pending"}
            assert all(i.invited_by and i.invited_by.role == Role.ADMIN for i in invitations)
            for invitation in invitations:
                assert invitation.employer is not None or invitation.role != Role.EMPLOYER
                assert not get_user_model().objects.filter(email=invitation.email).exists()


def test_it_renews_an_expired_demo_invitation_instead_of_adding_one() -> None:
    run_command()
    a = organisations()[0]
    with organisation_scope(a):
        invitation = Invitation.objects.first()
        assert invitation is not None
        invitation.expires_at = timezone.now() - timedelta(days=1)
        invitation.save()
    before = counts()

    run_command()

    assert counts() == before
    with organisation_scope(a):
        invitation.refresh_from_db()
        assert invitation.status == "pending"


def test_it_keeps_what_people_changed_in_the_demo_data() -> None:
    run_command()
    a = Organisation.objects.get(slug="werkpad")
    with organisation_scope(a):
        employer = Employer.objects.get(name="Bakkerij De Korenaar")
        employer.kvk_number = "11223344"
        employer.save()
        membership = Membership.objects.filter(role=Role.CANDIDATE).exclude(
            user__email__endswith="@passend.test"
        )[0]
        membership.is_active = False
        membership.save()

    run_command()

    with organisation_scope(a):
        employer.refresh_from_db()
        membership.refresh_from_db()
        assert employer.kvk_number == "11223344"
        assert membership.is_active is False


def test_it_fills_in_the_personas_bare_companies(personas: Any) -> None:
    with organisation_scope(personas.organisations["a"]):
        assert Employer.objects.get(name="Bakkerij De Korenaar").kvk_number == ""

    run_command()

    with organisation_scope(personas.organisations["a"]):
        bakery = Employer.objects.get(name="Bakkerij De Korenaar")
        assert len(bakery.kvk_number) == 8
        assert bakery.contacts.filter(email=persona_email("dave")).exists()


def test_it_lets_personas_and_demo_people_log_in_with_the_demo_password() -> None:
    run_command()
    demo_person = get_user_model().objects.filter(email__endswith=f"@{DEMO_DOMAIN}").first()
    assert demo_person is not None

    for email in (persona_email("alice"), demo_person.email):
        assert Client().login(email=email, password=DEMO_PASSWORD)
    assert not Client().login(email=demo_person.email, password="wrong-password")


def test_it_prints_the_demo_logins_and_the_password() -> None:
    output = run_command()

    assert DEMO_PASSWORD in output
    for spec in PERSONAS:
        assert persona_email(spec.key) in output
    bob_lines = [line for line in output.splitlines() if persona_email("bob") in line]
    assert len(bob_lines) == 2
    assert any("Flexkracht Uitzendbureau" in line for line in bob_lines)
    assert any("Werkpad Re-integratie" in line for line in bob_lines)


def test_it_builds_the_same_plan_from_the_same_seed() -> None:
    assert build_plan(7) == build_plan(7)
    assert build_plan(7) != build_plan(8)


def test_it_never_gives_two_people_the_same_address() -> None:
    plan = build_plan()
    emails = []
    for org_plan in plan.organisations.values():
        emails += [p.email for p in org_plan.professionals + org_plan.candidates]
        emails += [p.email for p, _ in org_plan.employer_users]
        emails += [p.email for p in org_plan.organisation_contacts]
        emails += [c.email for company in org_plan.companies for c in company.contacts]
        emails += [i.email for i in org_plan.invitations]
    assert len(emails) == len(set(emails))
    assert all(email.endswith(f"@{DEMO_DOMAIN}") for email in emails)


def test_it_is_all_or_nothing_when_a_step_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    from passend.demo.management import demo

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(demo, "_ensure_invitation", broken)

    with pytest.raises(RuntimeError):
        seed_demo()

    assert Organisation.objects.count() == 0
    assert get_user_model().objects.count() == 0


def test_it_publishes_demo_vacancies_of_organisation_a_once() -> None:
    from passend.demo.management.vacancies import VACANCIES
    from passend.vacancies.models import Vacancy

    run_command()
    run_command()

    organisation = Organisation.objects.get(slug=ORGANISATIONS["a"]["slug"])
    assert organisation.publishes_vacancies
    with organisation_scope(organisation):
        statuses = sorted(Vacancy.objects.values_list("status", flat=True))
    published = sum(1 for spec in VACANCIES if spec.publish)
    assert statuses == sorted(["draft"] * (len(VACANCIES) - published) + ["published"] * published)


def test_the_demo_pipeline_has_applications_in_several_stages_and_a_proposal_for_carla() -> None:
    from passend.candidates.services import candidate_profile_ensure
    from passend.demo.management.vacancies import DEMO_STAGES
    from passend.vacancies.models import Application, Proposal

    run_command()
    organisation = Organisation.objects.get(slug=ORGANISATIONS["a"]["slug"])
    with organisation_scope(organisation):  # the profiles the population fills (not run here)
        for membership in Membership.objects.filter(role=Role.CANDIDATE):
            candidate_profile_ensure(membership=membership)
    run_command()
    run_command()

    with organisation_scope(organisation):
        stages = sorted(Application.objects.values_list("stage", flat=True))
        proposals = list(
            Proposal.objects.values_list("candidate__membership__user__email", "status")
        )
    assert stages == sorted(DEMO_STAGES)
    assert proposals == [("carla@passend.test", "pending")]
