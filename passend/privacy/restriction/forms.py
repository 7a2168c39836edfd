from __future__ import annotations

from typing import Any

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


class MemberChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        user = obj.user
        name = user.name or user.email
        return f"{name} ({obj.get_role_display()})"


class AdminRestrictionForm(forms.Form):
    """An administrator records a restriction the person asked for by letter, e-mail or phone."""

    membership = MemberChoiceField(
        label=_("Person"),
        queryset=None,
        empty_label=_("Choose a member of the organisation"),
        error_messages={"required": _("Choose the person who asked for the restriction.")},
    )
    reason = forms.ChoiceField(
        label=_("The person's reason"),
        choices=RestrictionReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the reason the person gave.")},
    )
    note = forms.CharField(
        label=_("Explanation"),
        required=False,
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the person wrote, e.g. which data they contest, and how it reached you."),
    )

    def __init__(self, *args: Any, members: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["membership"].queryset = members  # type: ignore[attr-defined]
