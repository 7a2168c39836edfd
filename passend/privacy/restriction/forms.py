from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from passend.privacy.restriction.models import NOTE_MAX_LENGTH, ObjectablePurpose, RestrictionReason

OBJECT, WITHDRAW = "object", "withdraw"


class ObjectionForm(forms.Form):
    """One purpose's toggle: object to it, or withdraw the objection."""

    purpose = forms.ChoiceField(
        label=_("Purpose"),
        choices=ObjectablePurpose.choices,
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Choose a purpose you can object to.")},
    )
    action = forms.ChoiceField(
        label=_("Choice"),
        choices=[(OBJECT, _("Object")), (WITHDRAW, _("Withdraw my objection"))],
        widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("Choose to object or to withdraw your objection.")},
    )


class RestrictionForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why do you want processing restricted?"),
        choices=RestrictionReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the reason that applies to you.")},
    )
    note = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "For example which data you think is wrong. The organisation's administrators "
            "read this."
        ),
    )
