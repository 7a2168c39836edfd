"""Typed shapes of what the API returns; they are also its OpenAPI documentation."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from ninja import Field, Schema

from passend.tenancy.models import OrganisationKind, Role


class MeOut(Schema):
    id: int
    email: str
    name: str
    preferred_language: str = Field(description="`nl` or `en`.")


class OrganisationRef(Schema):
    id: UUID
    name: str
    slug: str


class EmployerRef(Schema):
    id: UUID
    name: str


class MembershipOut(Schema):
    id: UUID
    organisation: OrganisationRef
    role: Role
    employer: EmployerRef | None = Field(
        None, description="The company an employer member acts for; null for other roles."
    )


class AddressOut(Schema):
    street: str
    postcode: str
    city: str
    country: str


class ContactOut(Schema):
    id: UUID
    name: str
    email: str
    phone: str
    function: str


class OrganisationOut(Schema):
    id: UUID
    name: str
    slug: str
    kind: OrganisationKind
    address: AddressOut
    kvk_number: str
    vat_number: str
    iban: str | None = Field(
        None, description="The bank account; only administrators see it, for others it is null."
    )
    contacts: list[ContactOut]


class MemberOut(Schema):
    id: UUID = Field(description="The membership's id.")
    name: str
    email: str
    role: Role
    employer: EmployerRef | None = None

    @staticmethod
    def resolve_name(member: Any) -> str:
        return str(member.user.name)

    @staticmethod
    def resolve_email(member: Any) -> str:
        return str(member.user.email)
