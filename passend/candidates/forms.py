"""Forms of the profile pages. They parse and validate; services write."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import fields_for_model
from django.utils.translation import gettext_lazy as _

from passend.candidates.models import CandidateProfile, ContactProfile, Scheme
from passend.candidates.sections import SectionSpec
from passend.candidates.services import allowed_fields
from passend.candidates.validators import normalise_phone
from passend.common.autofill import autofill
from passend.common.validators import normalise_bsn, normalise_iban, normalise_postcode
from passend.privacy.crypto.logging import contains_personal_number
from passend.taxonomy.forms import EscoOccupationField, EscoSkillField
from passend.tenancy.models import Employer, Membership

DATE_FIELDS = {
    "date_of_birth",
    "self_employment_valid_from",
    "self_employment_valid_until",
    "starts_on",
    "ends_on",
    "started_on",
    "ended_on",
    "completed_on",
    "date",
}
TIME_FIELDS = {"starts_at", "ends_at"}


def _widgets(form: forms.BaseForm) -> None:
    for name, field in form.fields.items():
        if name in DATE_FIELDS:
            field.widget = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        elif name in TIME_FIELDS:
            field.widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")


class ProfileForm(forms.Form):
    """The personal details. The BSN is offered only for flex workers and never shown back."""

    def __init__(self, *args: Any, profile: CandidateProfile, actor: Membership, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.profile = profile
        names = [f for f in allowed_fields(actor) if f != "bsn"]
        self.fields.update(fields_for_model(CandidateProfile, fields=names))
        for name in names:
            self.initial.setdefault(name, getattr(profile, name))
        if profile.is_worker:
            self.fields["bsn"] = forms.CharField(
                label=_("BSN (citizen service number)"),
                required=False,
                max_length=20,
                help_text=_(
                    "Only because you work as a flex worker: the payroll must report your "
                    "BSN to the tax authorities by law. Leave empty to keep the BSN already "
                    "recorded; it is never shown on this form."
                ),
                widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
            )
            self.fields["remove_bsn"] = forms.BooleanField(
                label=_("Remove the recorded BSN"), required=False
            )
        _widgets(self)
        autofill(self, own=profile.membership_id == actor.pk)

    def clean_postcode(self) -> str:
        value = self.cleaned_data.get("postcode", "")
        return normalise_postcode(value) if value else ""

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone", "")
        return normalise_phone(value) if value else ""

    def clean_iban(self) -> str:
        value = self.cleaned_data.get("iban", "")
        return normalise_iban(value) if value else ""

    def clean_bsn(self) -> str:
        value = self.cleaned_data.get("bsn", "")
        return normalise_bsn(value) if value else ""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start = cleaned.get("self_employment_valid_from")
        end = cleaned.get("self_employment_valid_until")
        if start and end and end < start:
            self.add_error(
                "self_employment_valid_until", _("The end date must not be before the start date.")
            )
        return cleaned

    def changes(self) -> dict[str, Any]:
        """The values for candidate_profile_update."""
        data = {k: v for k, v in self.cleaned_data.items() if k not in ("bsn", "remove_bsn")}
        for name in ("gender", "marital_status", "self_employment_type"):
            if name in data and data[name] is None:
                data[name] = ""
        if self.cleaned_data.get("remove_bsn"):
            data["bsn"] = ""
        elif self.cleaned_data.get("bsn"):
            data["bsn"] = self.cleaned_data["bsn"]
        return data


class ContactProfileForm(forms.ModelForm):
    class Meta:
        model = ContactProfile
        fields = ["name", "postcode", "email", "phone", "profile_text"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        autofill(self)  # one's own contact profile

    def clean_postcode(self) -> str:
        value = self.cleaned_data.get("postcode", "")
        return normalise_postcode(value) if value else ""

    def clean_phone(self) -> str:
        value = self.cleaned_data.get("phone", "")
        return normalise_phone(value) if value else ""

    def _post_clean(self) -> None:
        # The service validates and saves; the form does not touch the instance.
        return


def _formfield(field: Any, **kwargs: Any) -> Any:
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class SectionFormBase(forms.ModelForm):
    spec: SectionSpec

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.spec.fields}


def section_form_class(spec: SectionSpec) -> type[SectionFormBase]:
    class SectionForm(SectionFormBase):
        class Meta:
            model = spec.model
            fields = list(spec.fields)
            formfield_callback = _formfield

        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.spec = spec
            if "occupation" in self.fields:
                self.fields["occupation"] = EscoOccupationField(
                    required=False, label=_("Occupation (ESCO)")
                )
            if "skill" in self.fields:
                self.fields["skill"] = EscoSkillField(label=_("Skill (ESCO)"))
            if "scheme" in self.fields:
                field = self.fields["scheme"]
                assert isinstance(field, forms.ModelChoiceField)
                field.queryset = Scheme.objects.filter(is_active=True)
            _widgets(self)
            if not self.instance._state.adding:
                for name in spec.related:
                    self.initial[name] = getattr(self.instance, name)

        def clean(self) -> dict[str, Any]:
            cleaned = super().clean() or {}
            for start, end in (
                ("starts_on", "ends_on"),
                ("started_on", "ended_on"),
                ("starts_at", "ends_at"),
            ):
                first, last = cleaned.get(start), cleaned.get(end)
                # A time range must have length; a date range may be one day.
                too_early = (
                    first is not None
                    and last is not None
                    and (last <= first if start == "starts_at" else last < first)
                )
                if too_early:
                    self.add_error(end, _("The end must come after the start."))
            return cleaned

        def _post_clean(self) -> None:
            return

    return SectionForm


class ShareForm(forms.Form):
    employer: forms.ModelChoiceField[Employer] = forms.ModelChoiceField(
        queryset=None, label=_("employer")
    )
    includes_documents = forms.BooleanField(
        label=_("Also show the CV, diplomas and photos"),
        required=False,
        help_text=_("Never the ID copy or other documents."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["employer"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Employer.objects.all()


class SchemeForm(forms.Form):
    name = forms.CharField(label=_("name"), max_length=120)
    description = forms.CharField(label=_("description"), max_length=300, required=False)


class CandidateSearchForm(forms.Form):
    """Search by name. The form posts, so what is typed never lands in a URL or a
    log as typed. A BSN or IBAN is never a search key (UAVG art. 46), with one
    exception: an administrator may look up whose BSN a payroll letter names
    (`allow_bsn`); the view answers that on the posted page, never in a URL."""

    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)

    def __init__(self, *args: Any, allow_bsn: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.allow_bsn = allow_bsn
        if allow_bsn:
            self.fields["q"].label = _("Search by name, or by BSN")
            self.fields["q"].help_text = _(
                "A BSN finds the flex worker it belongs to (for the payroll); "
                "each such lookup is recorded in the audit trail."
            )

    def clean_q(self) -> str:
        value: str = self.cleaned_data["q"].strip()
        self.cleaned_data["bsn"] = ""
        if not contains_personal_number(value):
            return value
        if self.allow_bsn:
            try:
                self.cleaned_data["bsn"] = normalise_bsn(value)
            except ValidationError:
                pass
            else:
                return ""
        raise ValidationError(
            _(
                "Search by name. A BSN or bank account number is never a search key; "
                "open the person's profile from the list instead."
            ),
            code="personal_number",
        )
