from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from passend.tenancy.models import Membership, Organisation

DEFAULT_DAYS = 90


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, e.g. the script or system that uses it."),
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        help_text=_("The token works in this organisation only, with your role there."),
    )

    def __init__(self, *args: Any, memberships: list[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        ids = [membership.organisation_id for membership in memberships]
        organisation = self.fields["organisation"]
        assert isinstance(organisation, forms.ModelChoiceField)
        organisation.queryset = Organisation.objects.filter(pk__in=ids).order_by("name")
        # The maximum is a setting, so the field is built per form, not per class.
        maximum = settings.API_TOKEN_MAX_DAYS
        self.fields["expires_in_days"] = forms.IntegerField(
            label=_("Valid for (days)"),
            min_value=1,
            max_value=maximum,
            initial=min(DEFAULT_DAYS, maximum),
            help_text=_("At most %(max)d days. You can revoke the token at any time.")
            % {"max": maximum},
        )
