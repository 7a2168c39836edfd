"""The admin serves platform configuration; organisations' people are not readable here
without a live support grant (P9). See passend/privacy/support/admin_base.py."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from passend.privacy.support.admin_base import NonPersonalAdmin, SupportGrantedAdmin
from passend.tenancy import services
from passend.tenancy.models import (
    Employer,
    EmployerContact,
    Invitation,
    Membership,
    Organisation,
    OrganisationContact,
)


@admin.register(Organisation)
class OrganisationAdmin(NonPersonalAdmin):
    list_display = ("name", "slug", "kind", "is_active", "require_two_factor")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "slug")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # The service validates and normalises KvK, VAT and IBAN, as the pages do.
        services.organisation_update(organisation=obj, data=form.cleaned_data)


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
