"""The candidate's wishes for work: what, how far, how many hours."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from passend.matching.models import JobPreference
from passend.taxonomy.forms import EscoOccupationField

WISHED_OCCUPATIONS = 3


class JobPreferenceForm(forms.ModelForm):
    class Meta:
        model = JobPreference
        fields = ["max_distance_km", "hours_min", "hours_max"]
        widgets = {
            "max_distance_km": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "hours_min": forms.NumberInput(attrs={"inputmode": "numeric"}),
            "hours_max": forms.NumberInput(attrs={"inputmode": "numeric"}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        current = list(self.instance.occupations.all()) if self.instance.pk else []
        for n in range(WISHED_OCCUPATIONS):
            name = f"occupation_{n + 1}"
            self.fields[name] = EscoOccupationField(
                required=False,
                label=_("Work I would like to do (%(n)s)") % {"n": n + 1},
            )
            if n:  # the combobox's help once, under the first
                self.fields[name].help_text = ""
            if n < len(current):
                self.initial[name] = current[n].pk
        # What they want to do first, then how far and how long.
        self.order_fields([f"occupation_{n + 1}" for n in range(WISHED_OCCUPATIONS)])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        low, high = data.get("hours_min"), data.get("hours_max")
        if low and high and low > high:
            self.add_error("hours_max", _("The most hours must not be fewer than the least."))
        return data

    def occupations(self) -> list[Any]:
        chosen = [self.cleaned_data.get(f"occupation_{n + 1}") for n in range(WISHED_OCCUPATIONS)]
        unique: dict[int, Any] = {o.pk: o for o in chosen if o is not None}
        return list(unique.values())
