from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from passend.notifications.models import Kind
from passend.tenancy.models import Role

# The kinds a person of each role can get: only these are offered as choices.
ROLE_KINDS: dict[str, tuple[str, ...]] = {
    Role.CANDIDATE: (
        Kind.APPOINTMENT_PLANNED,
        Kind.APPOINTMENT_CHANGED,
        Kind.TASK_ASSIGNED,
        Kind.TASK_DUE,
        Kind.APPLICATION_UPDATED,
        Kind.APPLICATION_PROPOSED,
    ),
    Role.PROFESSIONAL: (Kind.TASK_ASSIGNED, Kind.TASK_DUE),
    Role.ADMIN: (Kind.TASK_ASSIGNED, Kind.TASK_DUE, Kind.REQUEST_DEADLINE),
    Role.EMPLOYER: (Kind.PROFILE_SHARED,),
}


class PreferenceForm(forms.Form):
    email_kinds = forms.MultipleChoiceField(
        label=_("Also send me an e-mail about"),
        help_text=_(
            "You always see your notifications in Passend. Tick what you also want by e-mail."
        ),
        choices=Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    def __init__(self, *args: Any, role: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        offered = ROLE_KINDS.get(role, ())
        field = self.fields["email_kinds"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(value, label) for value, label in Kind.choices if value in offered]
        self.offered = offered
