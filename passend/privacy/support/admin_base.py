"""The two kinds of ModelAdmin the Django admin may use (P9: the admin is no back door).

- `NonPersonalAdmin`: platform configuration and other models without personal
  data. It shows only fields the data map declares not personal.
- `SupportGrantedAdmin`: an organisation's data (its people, and its own
  details: address, KvK, VAT, bank account), read-only, and only the rows of
  organisations for which the staff member holds a live support grant; every
  list and every record viewed is a "grant_use" event in that organisation's
  audit trail. Fields declared sensitive never appear.

Any other model holding personal data stays unregistered; a test walks the
admin's registry and fails otherwise.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse

from passend.privacy.datamap import NotPersonal, Personal, declaration_for, declared_field_names
from passend.privacy.recipients import subject_id
from passend.privacy.support import selectors, services
from passend.privacy.support.models import SupportGrant
from passend.privacy.support.scope import support_scope

READ_METHODS = ("GET", "HEAD")


def non_personal_fields(model: type[models.Model], *, hidden: Sequence[str] = ()) -> list[str]:
    """The model's fields that the data map declares not personal, in model order."""
    declaration = declaration_for(model)
    if declaration is None:
        raise ImproperlyConfigured(f"{model._meta.label} is not declared in the data map.")
    return [
        name
        for name in declared_field_names(model)
        if isinstance(declaration.fields.get(name), NotPersonal) and name not in hidden
    ]


def shown_personal_model_fields(
    model: type[models.Model], *, hidden: Sequence[str] = ()
) -> list[str]:
    """Declared fields except the sensitive ones (and any `hidden`), in model order."""
    declaration = declaration_for(model)
    if declaration is None:
        raise ImproperlyConfigured(f"{model._meta.label} is not declared in the data map.")
    shown = []
    for name in declared_field_names(model):
        decl = declaration.fields.get(name)
        if decl is None or name in hidden:
            continue
        if isinstance(decl, Personal) and decl.sensitive:
            continue
        shown.append(name)
    return shown


class NonPersonalAdmin(admin.ModelAdmin):
    """Shows and edits only the fields the data map declares not personal.

    `hidden_fields` hides further fields (secrets such as wrapped keys);
    `readonly` makes every shown field read-only. Nothing is deleted here.
    """

    hidden_fields: Sequence[str] = ()
    readonly: bool = False

    def shown_fields(self) -> list[str]:
        return non_personal_fields(self.model, hidden=self.hidden_fields)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return self.shown_fields()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = self.shown_fields()
        if self.readonly:
            return fields
        return [name for name in fields if not self.model._meta.get_field(name).editable]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return not self.readonly and super().has_add_permission(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not self.readonly and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class SupportGrantedAdmin(admin.ModelAdmin):
    """An organisation's data, visible only through a live support grant, never editable.

    `organisation_lookup` is the path from a row to its organisation:
    "organisation" for organisation-owned rows, "pk" for the organisation itself.
    """

    actions = None
    hidden_fields: Sequence[str] = ()
    # Read-only values the admin computes (a masked bank account for a hidden one).
    derived_fields: Sequence[str] = ()
    organisation_lookup = "organisation"

    def organisation_of(self, obj: Any) -> Any:
        return obj if self.organisation_lookup == "pk" else obj.organisation

    def organisation_id_of(self, obj: Any) -> Any:
        return obj.pk if self.organisation_lookup == "pk" else obj.organisation_id

    # --- whose data -----------------------------------------------------------

    def _grants(self, request: HttpRequest) -> list[SupportGrant]:
        cached: list[SupportGrant] | None = getattr(request, "_support_grants", None)
        if cached is None:
            cached = list(selectors.live_grants(request.user))
            request._support_grants = cached  # type: ignore[attr-defined]
        return cached

    def _granted_organisation_ids(self, request: HttpRequest) -> set[Any]:
        return {grant.organisation_id for grant in self._grants(request)}

    def get_queryset(self, request: HttpRequest) -> models.QuerySet[Any]:
        manager: Any = self.model._default_manager
        rows = manager.unscoped() if hasattr(manager, "unscoped") else manager.all()
        organisations = self._granted_organisation_ids(request)
        return rows.filter(**{f"{self.organisation_lookup}__in": organisations})

    # --- what may be done: look, nothing else ------------------------------------

    def has_module_permission(self, request: HttpRequest) -> bool:
        return bool(self._grants(request))

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        organisations = self._granted_organisation_ids(request)
        if obj is None:
            return bool(organisations)
        return self.organisation_id_of(obj) in organisations

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def shown_fields(self) -> list[str]:
        return shown_personal_model_fields(self.model, hidden=self.hidden_fields)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> list[Any]:
        return [*self.shown_fields(), *self.derived_fields]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [*self.shown_fields(), *self.derived_fields]

    # --- the views, each use audited -------------------------------------------------

    def _label(self) -> str:
        return str(self.model._meta.label_lower)

    def changelist_view(self, request: HttpRequest, extra_context: Any = None) -> HttpResponse:
        grants = self._grants(request)
        if not grants or request.method not in READ_METHODS:
            raise Http404
        shown = [n for n in self.list_display if isinstance(n, str) and n != "__str__"]
        for grant in grants:
            services.grant_use_record(
                grant=grant,
                staff=request.user,
                detail=f"admin list of {self._label()}",
                fields=shown,
            )
        return super().changelist_view(request, extra_context)

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        obj = self.get_object(request, unquote(object_id))
        if obj is None or request.method not in READ_METHODS:
            raise Http404
        with support_scope(
            request.user,
            self.organisation_of(obj),
            detail=f"admin view of {self._label()}",
            fields=[*self.shown_fields(), *self.derived_fields],
            subject=subject_id(obj),
        ):
            response: Any = super().change_view(request, object_id, form_url, extra_context)
            # Render while the scope is open: the page reads the record's relations.
            if hasattr(response, "render"):
                response.render()
        return response

    def history_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        raise Http404

    def delete_view(
        self, request: HttpRequest, object_id: str, extra_context: Any = None
    ) -> HttpResponse:
        raise Http404

    def add_view(
        self, request: HttpRequest, form_url: str = "", extra_context: Any = None
    ) -> HttpResponse:
        raise Http404
