"""The named personas every test and the demo data share.

alice (admin of A), bob (career advisor in A), carla (candidate in A), dave
(employer contact in A, at Bakkerij De Korenaar), and in organisation B:
charlie (admin), erik (career advisor), fatima (candidate), gijs (employer).
Charlie must see nothing of A's. Bob also works in B as a career advisor,
so the organisation switcher has something to switch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from passend.common.scope import organisation_scope
from passend.tenancy.models import Employer, Membership, Organisation, Role

DEMO_PASSWORD = "passend-demo-2026"  # noqa: S105 - published demo credential


@dataclass(frozen=True)
class PersonaSpec:
    key: str
    name: str
    organisation: str
    role: str
    employer: str | None = None


ORGANISATIONS = {
    "a": dict(
        slug="werkpad",
        name="Werkpad Re-integratie",
        kind="reintegration",
        street="Oudegracht 120",
        postcode="3511 AX",
        city="Utrecht",
        kvk_number="12345678",
        vat_number="NL000099998B57",
        iban="NL91ABNA0417164300",
    ),
    "b": dict(
        slug="flexkracht",
        name="Flexkracht Uitzendbureau",
        kind="staffing",
        street="Coolsingel 40",
        postcode="3011 AD",
        city="Rotterdam",
        kvk_number="87654321",
        vat_number="NL002455799B11",
        iban="NL39RABO0300065264",
    ),
}

EMPLOYERS = {
    "a": ["Bakkerij De Korenaar", "Zorggroep Het Baken"],
    "b": ["Logistiek Centrum Waalhaven", "Hotel De Maas"],
}

PERSONAS = [
    PersonaSpec("alice", "Alice de Vries", "a", Role.ADMIN),
    PersonaSpec("bob", "Bob Jansen", "a", Role.PROFESSIONAL),
    PersonaSpec("carla", "Carla Bakker", "a", Role.CANDIDATE),
    PersonaSpec("dave", "Dave Visser", "a", Role.EMPLOYER, employer="Bakkerij De Korenaar"),
    PersonaSpec("charlie", "Charlie Smit", "b", Role.ADMIN),
    PersonaSpec("erik", "Erik Mulder", "b", Role.PROFESSIONAL),
    PersonaSpec("fatima", "Fatima El Amrani", "b", Role.CANDIDATE),
    PersonaSpec("gijs", "Gijs de Boer", "b", Role.EMPLOYER, employer="Hotel De Maas"),
]

# Extra memberships: people who work with both organisations.
SECOND_MEMBERSHIPS = [("bob", "b", Role.PROFESSIONAL)]


def persona_email(key: str) -> str:
    return f"{key}@passend.test"


@dataclass
class Personas:
    organisations: dict[str, Organisation]
    employers: dict[str, Employer]
    users: dict[str, Any]
    memberships: dict[str, Membership]

    def __getitem__(self, key: str) -> Any:
        return self.users[key]


def _organisation(key: str) -> Organisation:
    spec = dict(ORGANISATIONS[key])
    organisation, _ = Organisation.objects.get_or_create(slug=spec.pop("slug"), defaults=spec)
    return organisation


@transaction.atomic
def ensure_personas(password: str = DEMO_PASSWORD) -> Personas:
    """Create the personas if they are missing; running it twice changes nothing."""
    from allauth.account.models import EmailAddress

    user_model = get_user_model()
    organisations = {key: _organisation(key) for key in ORGANISATIONS}
    employers: dict[str, Employer] = {}
    for key, names in EMPLOYERS.items():
        with organisation_scope(organisations[key]):
            for name in names:
                employers[name], _ = Employer.objects.get_or_create(
                    organisation=organisations[key], name=name
                )
    users: dict[str, Any] = {}
    memberships: dict[str, Membership] = {}
    for spec in PERSONAS:
        email = persona_email(spec.key)
        user = user_model.objects.filter(email=email).first()
        if user is None:
            user = user_model.objects.create_user(email, password, name=spec.name)
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        users[spec.key] = user
        organisation = organisations[spec.organisation]
        with organisation_scope(organisation):
            memberships[spec.key], _ = Membership.objects.get_or_create(
                organisation=organisation,
                user=user,
                defaults={
                    "role": spec.role,
                    "employer": employers[spec.employer] if spec.employer else None,
                },
            )
    for key, org_key, role in SECOND_MEMBERSHIPS:
        organisation = organisations[org_key]
        with organisation_scope(organisation):
            Membership.objects.get_or_create(
                organisation=organisation, user=users[key], defaults={"role": role}
            )
    return Personas(organisations, employers, users, memberships)
