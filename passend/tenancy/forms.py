from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from passend.common.autofill import autofill
from passend.common.validators import (
    normalise_btw,
    normalise_iban,
    normalise_kvk,
    normalise_postcode,
)
from passend.tenancy.models import (
    Employer,
    EmployerContact,
    Membership,
    Organisation,
    OrganisationContact,
    Role,
)


class IdentifierCleaningMixin:
    """Accept identifiers the way people type them ("1234 5678", "nl91 abna ...")
    and keep the canonical form, so the model's length limits see clean values."""

    cleaned_data: dict[str, Any]
    fields: dict[str, Any]
    IDENTIFIERS = ("kvk_number", "vat_number", "iban", "postcode")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in self.IDENTIFIERS:
            field = self.fields.get(name)
            if field is None:
                continue
            # Typed values may carry spaces and dots; the model limit applies
            # to the canonical value produced by the clean_ methods below.
            field.max_length = 64
            field.validators = [MaxLengthValidator(64)]
            field.widget.attrs["maxlength"] = "64"

    def _clean_with(self, field: str, normalise: Any) -> str:
        value = (self.cleaned_data.get(field) or "").strip()
        return normalise(value) if value else ""

    def clean_kvk_number(self) -> str:
        return self._clean_with("kvk_number", normalise_kvk)

    def clean_vat_number(self) -> str:
        return self._clean_with("vat_number", normalise_btw)

    def clean_postcode(self) -> str:
        return self._clean_with("postcode", normalise_postcode)


class OrganisationForm(IdentifierCleaningMixin, forms.ModelForm):
    # The bank account is not here: it changes on its own page, after a fresh
    # two-factor check (IbanChangeForm).
    class Meta:
        model = Organisation
        fields = [
            "name",
            "street",
            "postcode",
            "city",
            "kvk_number",
            "vat_number",
            "require_two_factor",
            "publishes_vacancies",
        ]


class IbanChangeForm(forms.Form):
    iban = forms.CharField(
        label=_("New bank account (IBAN)"),
        max_length=64,
        help_text=_("Payouts go to this account. Spaces are fine, e.g. NL91 ABNA 0417 1643 00."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_iban(self) -> str:
        return normalise_iban(self.cleaned_data["iban"].strip())


class OrganisationContactForm(forms.ModelForm):
    class Meta:
        model = OrganisationContact
        fields = ["name", "email", "phone", "function"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        autofill(self, own=False)  # someone else's details


class EmployerForm(IdentifierCleaningMixin, forms.ModelForm):
    class Meta:
        model = Employer
        fields = ["name", "street", "postcode", "city", "kvk_number", "vat_number", "is_client"]

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.instance.organisation = organisation


class EmployerContactForm(forms.ModelForm):
    class Meta:
        model = EmployerContact
        fields = ["name", "email", "phone", "function"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        autofill(self, own=False)  # someone else's details


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Role.choices)

    def __init__(self, *args: Any, roles: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        role_field: Any = self.fields["role"]
        role_field.choices = [(r, label) for r, label in Role.choices if r in roles]
        # Built here, not at import: the scoped manager needs the request's scope.
        self.fields["employer"] = forms.ModelChoiceField(
            label=_("Company"),
            queryset=Employer.objects.all(),
            required=False,
            help_text=_("Only for employer contacts: the company they act for."),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Role.EMPLOYER and not data.get("employer"):
            self.add_error("employer", _("Choose the company this employer contact acts for."))
        return data


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role", "is_active"]


class SwitchOrganisationForm(forms.Form):
    organisation = forms.UUIDField()
