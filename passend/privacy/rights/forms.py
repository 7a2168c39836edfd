from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from passend.privacy.rights.models import Scope
from passend.privacy.rights.services import UNKNOWN_SCOPE


class ExportForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("What do you want to download?"),
        choices=Scope.choices,
        initial=Scope.ACCESS,
        widget=forms.RadioSelect,
        error_messages={"required": UNKNOWN_SCOPE, "invalid_choice": UNKNOWN_SCOPE},
    )
