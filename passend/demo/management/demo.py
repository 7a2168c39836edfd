"""Demo data on top of the personas: companies, contacts, people and invitations;
the candidates' profiles, trajectories, documents and shares are in `population.py`.

`build_plan` is pure: a fixed seed always gives the same people and companies,
so `seed_demo` can key users by e-mail and companies by name and add only what
is missing. Running it twice changes nothing.
"""

from __future__ import annotations

import functools
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from faker import Faker
from stdnum.nl import btw as stdnum_btw
from stdnum.nl import postcode as stdnum_postcode

from passend.common.scope import organisation_scope
from passend.demo.management.population import populate
from passend.demo.management.vacancies import ensure_demo_vacancies
from passend.demo.personas import (
    DEMO_PASSWORD,
    EMPLOYERS,
    PERSONAS,
    ensure_personas,
    persona_email,
)
from passend.tenancy.models import (
    Employer,
    EmployerContact,
    Invitation,
    Membership,
    Organisation,
    OrganisationContact,
    Role,
    hash_token,
)
from passend.tenancy.services import (
    employer_contact_create,
    employer_create,
    employer_update,
    membership_create,
    organisation_contact_create,
)

SEED = 2026
DEMO_DOMAIN = "demo.passend.test"

# Fictional company names: a trade and a family name, never a real firm's name.
SECTORS = {
    "a": ["Bouwbedrijf", "Schoonmaakbedrijf", "Installatietechniek", "Hoveniersbedrijf"],
    "b": ["Transportbedrijf", "Groothandel", "Distributiecentrum", "Cateringbedrijf"],
}
CLIENTS_PER_ORGANISATION = {"a": 1, "b": 2}
PROFESSIONALS_PER_ORGANISATION = {"a": 3, "b": 2}
CANDIDATES_PER_ORGANISATION = 40
EMPLOYER_USERS_PER_ORGANISATION = 2
ORGANISATION_CONTACT_FUNCTIONS = ["Directeur", "Functionaris gegevensbescherming"]
EMPLOYER_CONTACT_FUNCTIONS = ["HR-adviseur", "Vestigingsmanager", "Teamleider", "Planner"]
INVITATION_ROLES = {"a": [Role.CANDIDATE, Role.EMPLOYER], "b": [Role.PROFESSIONAL, Role.CANDIDATE]}


@dataclass(frozen=True)
class PersonSpec:
    name: str
    email: str
    phone: str = ""
    function: str = ""


@dataclass(frozen=True)
class CompanySpec:
    name: str
    kvk_number: str
    vat_number: str
    street: str
    postcode: str
    city: str
    is_client: bool
    contacts: tuple[PersonSpec, ...]


@dataclass(frozen=True)
class InvitationSpec:
    email: str
    role: str
    employer: str | None = None


@dataclass(frozen=True)
class OrganisationPlan:
    companies: tuple[CompanySpec, ...]
    organisation_contacts: tuple[PersonSpec, ...]
    professionals: tuple[PersonSpec, ...]
    candidates: tuple[PersonSpec, ...]
    employer_users: tuple[tuple[PersonSpec, str], ...]
    invitations: tuple[InvitationSpec, ...]


@dataclass(frozen=True)
class DemoPlan:
    organisations: dict[str, OrganisationPlan]
    # (e-mail, organisation key, role): people who also work with the other organisation.
    second_memberships: tuple[tuple[str, str, str], ...]


@dataclass
class DemoResult:
    logins: list[tuple[str, str, str]] = field(default_factory=list)
    demo_users: int = 0


class _Generator:
    """Deterministic names, addresses and identifiers, never the same one twice."""

    def __init__(self, seed: int) -> None:
        self.faker = Faker("nl_NL")
        self.faker.seed_instance(seed)
        self.rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
        self.emails = {persona_email(spec.key) for spec in PERSONAS}
        self.company_names = {name.lower() for names in EMPLOYERS.values() for name in names}

    def person(self, function: str = "") -> PersonSpec:
        while True:
            name = f"{self.faker.first_name()} {self.last_name()}"
            email = f"{slugify(name).replace('-', '.')}@{DEMO_DOMAIN}"
            if email not in self.emails:
                self.emails.add(email)
                return PersonSpec(name, email, self.faker.phone_number(), function)

    def last_name(self) -> str:
        # Faker lists some names as "Werl-Arnsberg, van"; keep the ones that read naturally.
        while True:
            name = str(self.faker.last_name())
            if "," not in name:
                return name

    def company_name(self, sector: str) -> str:
        while True:
            name = f"{sector} {self.last_name()}"
            if name.lower() not in self.company_names:
                self.company_names.add(name.lower())
                return name

    def kvk_number(self) -> str:
        return str(self.rng.randint(10_000_000, 99_999_999))

    def vat_number(self) -> str:
        while True:
            digits = "".join(str(self.rng.randint(0, 9)) for _ in range(9))
            candidate = f"NL{digits}B{self.rng.randint(1, 99):02d}"
            if stdnum_btw.is_valid(candidate):
                return candidate

    def postcode(self) -> str:
        while True:
            candidate = self.faker.postcode()
            if stdnum_postcode.is_valid(candidate):
                return str(stdnum_postcode.validate(candidate))


def build_plan(seed: int = SEED) -> DemoPlan:
    """The demo data as plain values; the same seed always gives the same plan."""
    gen = _Generator(seed)
    organisations: dict[str, OrganisationPlan] = {}
    for key, sectors in SECTORS.items():
        # The personas' own companies first (they get identifiers and an
        # address if they lack them), then the new ones.
        names = [(name, False) for name in EMPLOYERS[key]]
        names += [
            (gen.company_name(sector), index < CLIENTS_PER_ORGANISATION[key])
            for index, sector in enumerate(sectors)
        ]
        companies = []
        for name, is_client in names:
            contact_count = gen.rng.randint(1, 2)
            companies.append(
                CompanySpec(
                    name=name,
                    kvk_number=gen.kvk_number(),
                    vat_number=gen.vat_number(),
                    street=gen.faker.street_address(),
                    postcode=gen.postcode(),
                    city=gen.faker.city(),
                    is_client=is_client,
                    contacts=tuple(
                        gen.person(gen.rng.choice(EMPLOYER_CONTACT_FUNCTIONS))
                        for _ in range(contact_count)
                    ),
                )
            )
        employer_users = tuple(
            (gen.person(gen.rng.choice(EMPLOYER_CONTACT_FUNCTIONS)), companies[-1 - i].name)
            for i in range(EMPLOYER_USERS_PER_ORGANISATION)
        )
        invitations = []
        for role in INVITATION_ROLES[key]:
            employer = companies[-2].name if role == Role.EMPLOYER else None
            invitations.append(InvitationSpec(gen.person().email, role, employer))
        organisations[key] = OrganisationPlan(
            companies=tuple(companies),
            organisation_contacts=tuple(gen.person(f) for f in ORGANISATION_CONTACT_FUNCTIONS),
            professionals=tuple(gen.person() for _ in range(PROFESSIONALS_PER_ORGANISATION[key])),
            candidates=tuple(gen.person() for _ in range(CANDIDATES_PER_ORGANISATION)),
            employer_users=employer_users,
            invitations=tuple(invitations),
        )
    second_memberships = (
        # Two candidates of A also find work through the staffing agency B ...
        (organisations["a"].candidates[0].email, "b", Role.CANDIDATE),
        (organisations["a"].candidates[1].email, "b", Role.CANDIDATE),
        # ... and one of B's career advisors also coaches for A.
        (organisations["b"].professionals[0].email, "a", Role.PROFESSIONAL),
    )
    return DemoPlan(organisations, second_memberships)


def _ensure_user(person: PersonSpec, password_hash: Callable[[], str]) -> Any:
    from allauth.account.models import EmailAddress

    user_model = get_user_model()
    user = user_model.objects.filter(email__iexact=person.email).first()
    if user is None:
        user = user_model(email=person.email, name=person.name, password=password_hash())
        user.full_clean()
        user.save()
    EmailAddress.objects.get_or_create(
        user=user, email=person.email, defaults={"verified": True, "primary": True}
    )
    return user


def _ensure_membership(
    organisation: Organisation, user: Any, role: str, employer: Employer | None = None
) -> None:
    with organisation_scope(organisation):
        if not Membership.objects.filter(user=user).exists():
            membership_create(organisation=organisation, user=user, role=role, employer=employer)


def _ensure_company(spec: CompanySpec) -> Employer:
    details = {
        "kvk_number": spec.kvk_number,
        "vat_number": spec.vat_number,
        "street": spec.street,
        "postcode": spec.postcode,
        "city": spec.city,
    }
    employer = Employer.objects.filter(name__iexact=spec.name).first()
    if employer is None:
        return employer_create(name=spec.name, is_client=spec.is_client, **details)
    # Fill in what is blank (the personas' companies start bare); keep what is set.
    missing = {name: value for name, value in details.items() if not getattr(employer, name)}
    if missing:
        employer = employer_update(employer=employer, data=missing)
    return employer


def _ensure_employer_contact(employer: Employer, person: PersonSpec) -> None:
    if not EmployerContact.objects.filter(employer=employer, email__iexact=person.email).exists():
        employer_contact_create(
            employer=employer,
            name=person.name,
            email=person.email,
            phone=person.phone,
            function=person.function,
        )


def _ensure_organisation_contact(person: PersonSpec) -> None:
    if not OrganisationContact.objects.filter(email__iexact=person.email).exists():
        organisation_contact_create(
            name=person.name, email=person.email, phone=person.phone, function=person.function
        )


def _ensure_invitation(
    organisation: Organisation,
    spec: InvitationSpec,
    employers: dict[str, Employer],
    invited_by: Membership | None,
) -> None:
    # Rows, not invitation_create: that service e-mails the link, and seeding
    # must send nothing. Nobody knows these tokens; the demo shows them as pending.
    expires_at = timezone.now() + timedelta(days=settings.INVITATION_VALID_DAYS)
    existing = Invitation.objects.filter(email__iexact=spec.email).first()
    if existing is None:
        invitation = Invitation(
            organisation=organisation,
            email=spec.email,
            role=spec.role,
            employer=employers[spec.employer] if spec.employer else None,
            invited_by=invited_by,
            token_hash=hash_token(Invitation.new_token()),
            expires_at=expires_at,
        )
        invitation.full_clean()
        invitation.save()
    elif existing.status == "expired":
        existing.expires_at = expires_at
        existing.save(update_fields=["expires_at", "updated_at"])


def _logins() -> list[tuple[str, str, str]]:
    user_model = get_user_model()
    rows = []
    for spec in PERSONAS:
        user = user_model.objects.get(email=persona_email(spec.key))
        for membership in Membership.objects.of_user(user):
            role = str(Role(membership.role).label)
            rows.append((user.email, role, membership.organisation.name))
    return rows


DEMO_REQUEST = "Ik wil graag weten welke gegevens jullie van mij bewaren."


def _ensure_privacy_requests(personas: Any) -> None:
    """One open request from the public form and one from a candidate's account in
    organisation A, so the request desk is not empty in the demo."""
    from passend.privacy.requests import services as dsr_services
    from passend.privacy.requests.models import DataSubjectRequest

    organisation = personas.organisations["a"]
    with organisation_scope(organisation):
        if DataSubjectRequest.objects.exists():
            return
        dsr_services.request_file_own(
            membership=personas.memberships["carla"], kind="portability", description=""
        )
    dsr_services.request_file_public(
        name="Jan de Vries",
        email="jan.devries@demo.passend.test",
        organisation=organisation,
        kind="access",
        description=DEMO_REQUEST,
    )


def _populate(key: str, org_plan: OrganisationPlan, personas: Any, seed: int) -> None:
    """Fill in the candidates of one organisation: its persona candidate first
    (carla, fatima), coached by its persona advisor (bob, erik)."""
    organisation = personas.organisations[key]
    ours = [spec for spec in PERSONAS if spec.organisation == key]
    persona = next(spec for spec in ours if spec.role == Role.CANDIDATE)
    advisor = next(spec for spec in ours if spec.role == Role.PROFESSIONAL)
    with organisation_scope(organisation):
        memberships = {
            m.user.email: m
            for m in Membership.objects.filter(role=Role.CANDIDATE).select_related("user")
        }
    people = [PersonSpec(persona.name, persona_email(persona.key)), *org_plan.candidates]
    populate(
        organisation=organisation,
        lead_advisor=personas.memberships[advisor.key],
        candidates=[(p.name, p.email, memberships[p.email]) for p in people],
        seed=seed,
    )


@transaction.atomic
def seed_demo(*, seed: int = SEED) -> DemoResult:
    """Make sure the personas and the demo data exist; add only what is missing."""
    # One hash for every demo login: a strong hash takes about a second each.
    # The personas' accounts get it too before ensure_personas() finds them.
    password_hash = functools.cache(lambda: make_password(DEMO_PASSWORD))
    for spec in PERSONAS:
        _ensure_user(PersonSpec(spec.name, persona_email(spec.key)), password_hash)
    personas = ensure_personas()
    plan = build_plan(seed)
    result = DemoResult()
    users: dict[str, Any] = {}
    for key, org_plan in plan.organisations.items():
        organisation = personas.organisations[key]
        with organisation_scope(organisation):
            employers: dict[str, Employer] = {}
            for company in org_plan.companies:
                employers[company.name] = employer = _ensure_company(company)
                for contact in company.contacts:
                    _ensure_employer_contact(employer, contact)
            for spec in PERSONAS:
                if spec.organisation == key and spec.employer:
                    person = PersonSpec(spec.name, persona_email(spec.key), function="Eigenaar")
                    _ensure_employer_contact(employers[spec.employer], person)
            for contact in org_plan.organisation_contacts:
                _ensure_organisation_contact(contact)
            admin = Membership.objects.filter(role=Role.ADMIN).order_by("created_at").first()
            for invitation in org_plan.invitations:
                _ensure_invitation(organisation, invitation, employers, admin)
        for role, people in (
            (Role.PROFESSIONAL, org_plan.professionals),
            (Role.CANDIDATE, org_plan.candidates),
        ):
            for person in people:
                users[person.email] = _ensure_user(person, password_hash)
                _ensure_membership(organisation, users[person.email], role)
        for person, company_name in org_plan.employer_users:
            users[person.email] = _ensure_user(person, password_hash)
            employer = employers[company_name]
            _ensure_membership(organisation, users[person.email], Role.EMPLOYER, employer)
            with organisation_scope(organisation):
                _ensure_employer_contact(employer, person)
    for email, org_key, second_role in plan.second_memberships:
        _ensure_membership(personas.organisations[org_key], users[email], second_role)
    _ensure_privacy_requests(personas)
    for key, org_plan in plan.organisations.items():
        _populate(key, org_plan, personas, seed)
    ensure_demo_vacancies(personas)
    result.logins = _logins()
    result.demo_users = len(users)
    return result
