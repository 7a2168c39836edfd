"""The admin of the platform's foundations: organisations and their people, and data keys.

Tenancy and crypto sit below the support desk in the app layers
(docs/architecture.md), so the desk registers their models here, with the two
kinds of ModelAdmin of `admin_base.py`.

Nothing of an organisation is readable in the admin without a live support grant (P9):
not its people, and not its own details (address, KvK, VAT, bank account) either.
With a grant everything here is read-only; the bank account is shown masked and is
changed only by the organisation's own admin, on its settings pages, after a fresh
two-factor check.

Data keys show their metadata only, read-only; the wrapped key never shows.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from passend.privacy.crypto.models import DataKey
from passend.privacy.support.admin_base import NonPersonalAdmin, SupportGrantedAdmin
from passend.tenancy.models import (
    Employer,
    EmployerContact,
    Invitation,
    Membership,
    Organisation,
    OrganisationContact,
    masked_iban,
)


@admin.register(Organisation)
class OrganisationAdmin(SupportGrantedAdmin):
    organisation_lookup = "pk"
    hidden_fields = ("iban",)
    derived_fields = ("bank_account",)
    list_display = ("name", "kind", "is_active", "require_two_factor")

    @admin.display(description=_("bank account (IBAN)"))
    def bank_account(self, obj: Organisation) -> str:
        return masked_iban(obj.iban)


@admin.register(Membership)
class MembershipAdmin(SupportGrantedAdmin):
    list_display = ("__str__", "organisation", "role", "is_active")


@admin.register(Invitation)
class InvitationAdmin(SupportGrantedAdmin):
    list_display = ("__str__", "organisation", "role", "expires_at")


@admin.register(OrganisationContact)
class OrganisationContactAdmin(SupportGrantedAdmin):
    list_display = ("__str__", "organisation")


@admin.register(Employer)
class EmployerAdmin(SupportGrantedAdmin):
    # A company, not a person, but the organisation's own business: behind a grant too.
    list_display = ("__str__", "organisation", "is_client")


@admin.register(EmployerContact)
class EmployerContactAdmin(SupportGrantedAdmin):
    list_display = ("__str__", "organisation", "employer")


@admin.register(DataKey)
class DataKeyAdmin(NonPersonalAdmin):
    readonly = True
    hidden_fields = ("wrapped_key",)
    list_display = ("key_id", "organisation", "master_key_id", "is_primary", "created_at",
                    "retired_at")  # fmt: skip
    list_filter = ("is_primary",)
