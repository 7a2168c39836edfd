"""The vacancy form, the skill form and the closing form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from passend.common.forms import ListedModelChoiceField
from passend.common.validators import normalise_postcode
from passend.taxonomy.forms import EscoOccupationField, EscoSkillField
from passend.tenancy.models import Employer
from passend.vacancies.models import (
    HANDLER_STAGES,
    CloseReason,
    RejectionReason,
    Stage,
    Vacancy,
    VacancyStatus,
)

DATE_FIELDS = ("start_date", "end_date", "closing_date")


def _formfield(db_field: Any, **kwargs: Any) -> Any:
    # The default field of a foreign key would query its rows when the class
    # is built, outside any organisation scope; each form sets its own.
    if db_field.name in ("employer", "occupation"):
        return forms.CharField(required=False)
    return db_field.formfield(**kwargs)


class VacancyForm(forms.ModelForm):
    """What the vacancy says. An advisor or admin chooses the employer; an
    employer's contact person posts for their own company only."""

    class Meta:
        model = Vacancy
        fields = [
            "employer",
            "title",
            "occupation",
            "description",
            "education_level",
            "hours_per_week",
            "contract_type",
            "start_date",
            "end_date",
            "work_mode",
            "postcode",
            "city",
            "salary_min",
            "salary_max",
            "salary_period",
            "positions",
            "closing_date",
        ]
        widgets = {
            name: forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d") for name in DATE_FIELDS
        }
        formfield_callback = _formfield

    def __init__(self, *args: Any, choose_employer: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if choose_employer:
            self.fields["employer"] = ListedModelChoiceField(
                queryset=Employer.objects.order_by("name"), label=_("Employer")
            )
        else:
            del self.fields["employer"]
        self.fields["occupation"] = EscoOccupationField(
            required=False, label=_("Occupation (ESCO)")
        )
        self.fields["description"].widget = forms.Textarea(attrs={"rows": 10})
        self.fields["hours_per_week"].widget.attrs.update({"min": 1, "max": 60})
        self.fields["positions"].widget.attrs.update({"min": 1})
        # "1234ab" and " 1234 AB " are typed too; the model's limit holds for
        # the canonical value clean_postcode makes.
        postcode = self.fields["postcode"]
        assert isinstance(postcode, forms.CharField)
        postcode.max_length = 16
        postcode.validators = [MaxLengthValidator(16)]
        postcode.widget.attrs["maxlength"] = "16"

    def clean_postcode(self) -> str:
        value = str(self.cleaned_data.get("postcode") or "").strip()
        return normalise_postcode(value) if value else ""


class SkillForm(forms.Form):
    skill = EscoSkillField(label=_("Skill (ESCO)"))
    required = forms.BooleanField(
        label=_("Required"),
        required=False,
        initial=True,
        help_text=_("Untick for a skill that is a plus."),
    )


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why does the vacancy close?"),
        choices=[(CloseReason.FILLED, CloseReason.FILLED.label),
                 (CloseReason.WITHDRAWN, CloseReason.WITHDRAWN.label)],
        widget=forms.RadioSelect,
    )  # fmt: skip


class StatusFilterForm(forms.Form):
    is_filter = True
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("all")), *VacancyStatus.choices],
    )


class DocumentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.original_name} ({obj.get_kind_display()})"


class ApplyForm(forms.Form):
    motivation = forms.CharField(
        label=_("Why this job?"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("A few lines in your own words. Only the people handling the vacancy read it."),
    )
    documents = DocumentChoiceField(
        label=_("Documents to include"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Your CV, for instance. Documents you leave out are not shown."),
    )

    def __init__(self, *args: Any, documents: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["documents"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = documents


class MoveForm(forms.Form):
    stage = forms.ChoiceField(
        label=_("Move to"),
        choices=[(stage.value, stage.label) for stage in HANDLER_STAGES],
    )
    rejection_reason = forms.ChoiceField(
        label=_("Reason, when rejected"),
        required=False,
        choices=[("", _("no reason needed")), *RejectionReason.choices],
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("stage") == Stage.REJECTED and not cleaned.get("rejection_reason"):
            self.add_error("rejection_reason", _("Say why the application is rejected."))
        return cleaned
