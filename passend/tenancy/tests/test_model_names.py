"""How tenancy's rows name themselves (the support desk's admin lists show these)."""

from __future__ import annotations

from django.utils import translation

from passend.tenancy.models import EmployerContact, Invitation, OrganisationContact, Role


def test_it_names_contacts_by_their_name_and_invitations_by_address_and_role() -> None:
    assert str(OrganisationContact(name="Functionaris Gegevensbescherming")) == (
        "Functionaris Gegevensbescherming"
    )
    assert str(EmployerContact(name="Sanne de Vries")) == "Sanne de Vries"
    invitation = Invitation(email="nieuw@example.org", role=Role.PROFESSIONAL)
    with translation.override("en"):
        assert str(invitation) == "nieuw@example.org (Career advisor)"
