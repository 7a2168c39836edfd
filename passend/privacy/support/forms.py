from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from passend.privacy.support.models import MAX_GRANT_DURATION, REASON_MAX_LENGTH
from passend.privacy.support.selectors import organisations_to_choose

MAX_HOURS = int(MAX_GRANT_DURATION.total_seconds() // 3600)


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        # Names only: choosing whom to ask reveals nothing else about them.
        return str(obj.name)


class GrantRequestForm(forms.Form):
    organisation = OrganisationChoiceField(
        label=_("Organisation"), queryset=organisations_to_choose(), empty_label=None
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Why you need access, e.g. the support question you are answering. "
            "The organisation's admins read this before they decide."
        ),
        error_messages={"required": _("Give the reason you need access.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_to_choose()  # type: ignore[attr-defined]


class GrantApproveForm(forms.Form):
    hours = forms.IntegerField(
        label=_("Access for (hours)"),
        min_value=1,
        max_value=MAX_HOURS,
        initial=8,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["hours"].help_text = gettext(
            "At most %(hours)d hours. You can revoke the access at any time."
        ) % {"hours": MAX_HOURS}
