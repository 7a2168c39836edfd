"""Forms of the coaching pages. They validate with the models' own rules
(end before start, place or link); the services then save."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from passend.candidates.models import Scheme
from passend.coaching.models import Appointment, Note, Task, Trajectory, TrajectoryStatus
from passend.coaching.selectors import CaseloadFilter, CaseloadSort, CaseloadStatus
from passend.coaching.services import initial_professional, initial_status
from passend.common.forms import ListedModelChoiceField
from passend.privacy.crypto.logging import contains_personal_number
from passend.tenancy.models import Membership, Role


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class AdvisorChoiceField(ListedModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.user.name or obj.user.email)


def _formfield(db_field: Any, **kwargs: Any) -> Any:
    # The default form field would query memberships when the class is built,
    # outside any organisation scope; the choices are set per form instead.
    if db_field.name == "professional":
        return AdvisorChoiceField(queryset=None, required=False, label=db_field.verbose_name)
    if db_field.name == "scheme":
        return ListedModelChoiceField(queryset=None, required=False, label=db_field.verbose_name)
    if db_field.name == "online_link":
        return db_field.formfield(assume_scheme="https", **kwargs)
    return db_field.formfield(**kwargs)


def advisors() -> Any:
    return (
        Membership.objects.filter(is_active=True, role__in=[Role.ADMIN, Role.PROFESSIONAL])
        .select_related("user")
        # The stored name key, read in the order of the index membership_staff_by_name.
        .order_by("sort_name", "pk")
        # What the choice shows and the services check; a hundred advisors are
        # drawn on every coaching page, and whole rows cost more than the query.
        .only("pk", "organisation_id", "role", "is_active", "user_id", "user__name", "user__email")
    )


AUTOMATIC_STATUS = _("automatic (active, or planned when it starts later)")


class TrajectoryForm(forms.ModelForm):
    class Meta:
        model = Trajectory
        fields = ["goal", "scheme", "status", "start_date", "end_date", "professional"]
        widgets = {"start_date": DateInput(), "end_date": DateInput()}
        formfield_callback = _formfield

    def __init__(self, *args: Any, actor: Membership | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["professional"].queryset = advisors()  # type: ignore[attr-defined]
        if self.instance._state.adding:
            # Defaults follow the person doing it (services.trajectory_create):
            # the advisor starting it is its advisor, and it is active unless
            # it starts later.
            # (An unsaved instance gives the form an empty advisor: replace it.)
            if self.initial.get("professional") is None:
                self.initial["professional"] = initial_professional(actor)
            status = self.fields["status"]
            assert isinstance(status, forms.ChoiceField)
            status.required = False
            status.choices = [("", AUTOMATIC_STATUS), *TrajectoryStatus.choices]
            status.help_text = _(
                "Leave on automatic: active from the start date, planned until then."
            )
            self.initial["status"] = ""
        self.fields["scheme"].queryset = Scheme.objects.filter(  # type: ignore[attr-defined]
            is_active=True
        ).order_by("name")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("status"):
            cleaned["status"] = initial_status(cleaned.get("start_date"))
        return cleaned


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
        # A required pair: neither is optional on its own (Appointment.clean).
        place, link = self.fields["place"], self.fields["online_link"]
        place.required_note = _("this or an online link is required")  # type: ignore[attr-defined]
        link.required_note = _("this or a place is required")  # type: ignore[attr-defined]
        place.help_text = _("Give a place, an online link, or both.")
        link.help_text = _("An address that starts with https://.")


class CaseloadFilterForm(forms.Form):
    """The caseload's search, filters and order: GET parameters, so a link or a
    bookmark keeps them and the page works without JavaScript. A BSN or bank
    account number is never a search key (it would land in the URL)."""

    is_filter = True  # every field is optional; labels do not say so one by one
    q = forms.CharField(label=_("Search by name"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Trajectory status"), required=False)
    scheme: forms.ModelChoiceField[Scheme] = forms.ModelChoiceField(
        label=_("Scheme"), queryset=None, required=False, empty_label=_("all schemes")
    )
    overdue = forms.BooleanField(
        label=_("Only with overdue tasks"),
        help_text=_("Open tasks whose due date has passed."),
        required=False,
    )
    no_appointment = forms.BooleanField(
        label=_("Only active trajectories with no appointment planned"),
        help_text=_("An active trajectory and no appointment from now on."),
        required=False,
    )
    mine = forms.BooleanField(label=_("Only my candidates"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=CaseloadSort.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        status = self.fields["status"]
        assert isinstance(status, forms.ChoiceField)
        status.choices = [("", _("all statuses")), *CaseloadStatus.choices]
        self.fields["scheme"].queryset = Scheme.objects.order_by("name")  # type: ignore[attr-defined]
        self.fields["q"].widget.attrs.update({"type": "search", "autocomplete": "off"})

    def clean_q(self) -> str:
        value: str = self.cleaned_data["q"].strip()
        if contains_personal_number(value):
            raise ValidationError(
                _(
                    "Search by name. A BSN or bank account number is never a search key; "
                    "open the person's profile from the list instead."
                ),
                code="personal_number",
            )
        return value

    def filters(self) -> CaseloadFilter:
        """What was asked, leaving out whatever was not valid."""
        data: dict[str, Any] = {}
        if self.is_bound:
            self.is_valid()
            data = self.cleaned_data  # after validation: the valid fields only
        scheme = data.get("scheme")
        return CaseloadFilter(
            search=data.get("q") or "",
            status=data.get("status") or "",
            scheme_id=scheme.pk if scheme is not None else None,
            overdue=bool(data.get("overdue")),
            no_appointment=bool(data.get("no_appointment")),
            sort=data.get("sort") or CaseloadSort.NAME,
        )

    def is_filtered(self) -> bool:
        names = ("q", "status", "scheme", "overdue", "no_appointment", "mine")
        return any(self.data.get(name) for name in names)
