"""The vacancy form, the skill form and the closing form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from passend.coaching.forms import DateInput, DateTimeInput
from passend.common.forms import ListedModelChoiceField
from passend.common.validators import normalise_postcode
from passend.taxonomy.forms import EscoOccupationField, EscoSkillField
from passend.tenancy.models import Employer
from passend.vacancies.models import (
    CloseReason,
    PipelineStage,
    RejectionReason,
    Stage,
    Vacancy,
    VacancyStatus,
)
from passend.vacancies.selectors import column_key

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


def stage_choices(stages: list[PipelineStage]) -> list[tuple[str, str]]:
    return [(column_key(stage), stage.name) for stage in stages]


class MoveForm(forms.Form):
    """Where an application goes: one of the organisation's stages (its key)."""

    stage = forms.ChoiceField(label=_("Move to"))
    rejection_reason = forms.ChoiceField(
        label=_("Reason, when rejected"),
        required=False,
        choices=[("", _("no reason needed")), *RejectionReason.choices],
    )

    def __init__(self, *args: Any, stages: list[PipelineStage], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.stages = {column_key(stage): stage for stage in stages}
        stage_field = self.fields["stage"]
        assert isinstance(stage_field, forms.ChoiceField)
        stage_field.choices = stage_choices(stages)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chosen = self.stages.get(cleaned.get("stage", ""))
        rejected = chosen is not None and chosen.phase == Stage.REJECTED
        if rejected and not cleaned.get("rejection_reason"):
            self.add_error("rejection_reason", _("Say why the application is rejected."))
        return cleaned

    def target(self) -> dict[str, Any]:
        """The service's arguments: a stage of the organisation's own, or a default's phase."""
        chosen = self.stages[self.cleaned_data["stage"]]
        if chosen.pk:
            return {"step": chosen}
        return {"stage": chosen.phase}

    def target_name(self) -> str:
        return self.stages[self.cleaned_data["stage"]].name


class BulkMoveForm(MoveForm):
    """The same move for every application ticked on the pipeline."""

    application = forms.MultipleChoiceField(
        label=_("Applications"),
        error_messages={"required": _("Tick the applications to move first.")},
    )

    def __init__(self, *args: Any, application_ids: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["application"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(pk, pk) for pk in application_ids]


class NoteForm(forms.Form):
    # Who reads it is said once, above the notes (application_detail.html).
    text = forms.CharField(
        label=_("Note"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3})
    )


class InterviewForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("When"), widget=DateTimeInput())
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=5, max_value=600, initial=45
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        required=False,
        help_text=_("Give a place, an online link, or both."),
    )
    online_link = forms.URLField(
        assume_scheme="https",
        label=_("Online link"),
        max_length=500,
        required=False,
        help_text=_("An address that starts with https://."),
    )
    with_whom = forms.CharField(
        label=_("With whom"),
        max_length=200,
        required=False,
        help_text=_("Who the candidate meets; the employer's name when left empty."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A required pair, like an appointment's: neither is optional on its own.
        self.fields["place"].required_note = _("this or an online link is required")  # type: ignore[attr-defined]
        self.fields["online_link"].required_note = _("this or a place is required")  # type: ignore[attr-defined]


class EmploymentEndForm(forms.Form):
    ended_on = forms.DateField(label=_("Employment ended on"), widget=DateInput())


class ProposeForm(forms.Form):
    candidate = forms.ChoiceField(
        label=_("Candidate"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a candidate to propose.")},
    )
    message = forms.CharField(
        label=_("Message to the candidate"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Why this vacancy suits them. They read it with the proposal."),
    )

    def __init__(self, *args: Any, candidates: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["candidate"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(c.pk), c.display_name) for c in candidates]


class SuggestFilterForm(forms.Form):
    is_filter = True
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)


class StageForm(forms.ModelForm):
    class Meta:
        model = PipelineStage
        fields = ["name", "phase"]


class StageRenameForm(forms.ModelForm):
    class Meta:
        model = PipelineStage
        fields = ["name"]


class KeepForm(forms.Form):
    keep = forms.TypedChoiceField(
        label=_("May we keep your application for a year?"),
        coerce=lambda value: value == "yes",
        choices=[
            ("yes", _("Yes, keep it a year and approach me for other vacancies")),
            ("no", _("No, delete it four weeks after the decision")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )
