"""Forms of the coaching pages. They validate with the models' own rules
(end before start, place or link); the services then save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from passend.candidates.models import Scheme
from passend.coaching.models import Appointment, Note, Task, Trajectory
from passend.tenancy.models import Membership, Role


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class AdvisorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.user.name or obj.user.email)


def _formfield(db_field: Any, **kwargs: Any) -> Any:
    # The default form field would query memberships when the class is built,
    # outside any organisation scope; the choices are set per form instead.
    if db_field.name == "professional":
        return AdvisorChoiceField(queryset=None, required=False, label=db_field.verbose_name)
    if db_field.name == "scheme":
        return forms.ModelChoiceField(queryset=None, required=False, label=db_field.verbose_name)
    if db_field.name == "online_link":
        return db_field.formfield(assume_scheme="https", **kwargs)
    return db_field.formfield(**kwargs)


def advisors() -> Any:
    return (
        Membership.objects.filter(is_active=True, role__in=[Role.ADMIN, Role.PROFESSIONAL])
        .select_related("user")
        .order_by("user__name", "pk")
    )


class TrajectoryForm(forms.ModelForm):
    class Meta:
        model = Trajectory
        fields = ["goal", "scheme", "status", "start_date", "end_date", "professional"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}
        formfield_callback = _formfield

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["professional"].queryset = advisors()  # type: ignore[attr-defined]
        self.fields["scheme"].queryset = Scheme.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by("name")


class TaskForm(forms.ModelForm):
    class Meta:
        model = Task
        fields = ["title", "description", "assignee", "due_date"]
        widgets = {"due_date": DateInput(), "description": forms.Textarea(attrs={"rows": 3})}


class TaskProgressForm(forms.Form):
    progress = forms.IntegerField(label=_("progress (%)"), min_value=0, max_value=100)


class NoteForm(forms.ModelForm):
    class Meta:
        model = Note
        fields = ["text", "visibility"]
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}


class AppointmentForm(forms.ModelForm):
    class Meta:
        model = Appointment
        fields = [
            "starts_at",
            "duration_minutes",
            "place",
            "online_link",
            "professional",
            "with_whom",
            "notes",
        ]
        widgets = {"starts_at": DateTimeInput(), "notes": forms.Textarea(attrs={"rows": 3})}
        formfield_callback = _formfield

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["professional"].queryset = advisors()  # type: ignore[attr-defined]
