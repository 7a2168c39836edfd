"""The filters of an organisation's audit trail page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from passend.privacy.audit.models import Action
from passend.privacy.datamap import Purpose
from passend.privacy.trail.selectors import (
    SYSTEM_ACTOR,
    TrailFilters,
    actors_for_organisation,
    target_types_for_organisation,
)
from passend.tenancy.models import Organisation

ANY = [("", _("any"))]


class TrailFilterForm(forms.Form):
    is_filter = True  # every field is optional; labels do not say so one by one
    action = forms.ChoiceField(label=_("Action"), required=False)
    actor = forms.ChoiceField(label=_("Who"), required=False)
    target_model = forms.ChoiceField(label=_("Record type"), required=False)
    purpose = forms.ChoiceField(label=_("Purpose"), required=False)
    date_from = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: dict[str, list[tuple[str, Any]]] = {
            "action": [*ANY, *Action.choices],
            "actor": [
                *ANY,
                (SYSTEM_ACTOR, _("Passend (automated) or not signed in")),
                *actors_for_organisation(organisation=organisation),
            ],
            "target_model": [*ANY, *target_types_for_organisation(organisation=organisation)],
            "purpose": [*ANY, *Purpose.choices],
        }
        for name, options in choices.items():
            self.fields[name].choices = options  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("The start date is after the end date."))
        return cleaned

    def filters(self) -> TrailFilters:
        """The filters that are valid; an invalid one is shown as an error and ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        if self.non_field_errors():
            data = {k: v for k, v in data.items() if k not in ("date_from", "date_to")}
        return TrailFilters(
            action=data.get("action") or "",
            actor=data.get("actor") or "",
            target_model=data.get("target_model") or "",
            purpose=data.get("purpose") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
        )
