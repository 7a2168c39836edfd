"""The upload form and the review forms, one per proposed item (prefix "<part>-<n>")."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from passend.candidates.models import SkillLevel
from passend.common.inputs import CAREER_DATE
from passend.cvimport.models import Language, LanguageLevel, Part
from passend.cvimport.services import CONTACT_FIELDS, proposed_dates
from passend.taxonomy.models import Occupation, Skill

CONTACT_LABELS = {
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "email": _("E-mail address"),
    "phone": _("Phone number"),
    "street": _("Street"),
    "house_number": _("House number"),
    "postcode": _("Postcode"),
    "city": _("Place of residence"),
}


class UploadForm(forms.Form):
    file = forms.FileField(
        label=_("CV"),
        help_text=_("A PDF or Word (.docx) file, in Dutch or English."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".pdf,.docx,application/pdf,"
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
        ),
    )


def _date_widget() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ItemForm(forms.Form):
    """One proposed item: ticked to accept it, its fields editable."""

    accept = forms.BooleanField(label=_("Add this"), required=False, initial=True)
    required_when_accepted: tuple[str, ...] = ()

    def __init__(self, *args: Any, item: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.item = item

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("accept"):
            for name in self.required_when_accepted:
                if cleaned.get(name) in (None, ""):
                    self.add_error(name, _("Fill this in, or untick “Add this”."))
            for name in ("started_on", "ended_on"):
                value = cleaned.get(name)
                if isinstance(value, date):
                    try:
                        CAREER_DATE(value)
                    except forms.ValidationError as error:
                        self.add_error(name, error)
            start, end = cleaned.get("started_on"), cleaned.get("ended_on")
            if start and end and end < start:
                self.add_error("ended_on", _("The end is before the start."))
        return cleaned

    def values(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "accept"}


class WorkItemForm(ItemForm):
    role = forms.CharField(label=_("Role"), max_length=200, required=False)
    employer_name = forms.CharField(label=_("Employer"), max_length=200, required=False)
    occupation = forms.TypedChoiceField(
        label=_("Occupation (ESCO)"), required=False, coerce=int, empty_value=None
    )
    started_on = forms.DateField(label=_("From"), required=False, widget=_date_widget())
    ended_on = forms.DateField(
        label=_("Until"),
        required=False,
        widget=_date_widget(),
        help_text=_("Leave empty if you still work there."),
    )
    description = forms.CharField(
        label=_("Description"), max_length=2000, required=False, widget=forms.Textarea({"rows": 3})
    )
    required_when_accepted = ("role", "employer_name", "started_on")

    def __init__(self, *args: Any, item: dict[str, Any], **kwargs: Any) -> None:
        start, end = proposed_dates(item)
        occupations = item.get("occupations") or []
        kwargs.setdefault(
            "initial",
            {
                "role": item.get("role", ""),
                "employer_name": item.get("employer", ""),
                "occupation": occupations[0]["id"] if occupations else None,
                "started_on": start,
                "ended_on": end,
                "description": item.get("description", ""),
            },
        )
        super().__init__(*args, item=item, **kwargs)
        field = self.fields["occupation"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("No occupation")), *((o["id"], o["label"]) for o in occupations)]
        if not occupations:
            field.help_text = _("No ESCO occupation was found for this role.")

    def values(self) -> dict[str, Any]:
        values = super().values()
        chosen = values.pop("occupation")
        values["occupation"] = Occupation.objects.filter(pk=chosen).first() if chosen else None
        return values


class EducationItemForm(ItemForm):
    programme = forms.CharField(label=_("Programme"), max_length=200, required=False)
    institution = forms.CharField(label=_("School or institution"), max_length=200, required=False)
    level = forms.CharField(label=_("Level"), max_length=60, required=False)
    started_on = forms.DateField(label=_("From"), required=False, widget=_date_widget())
    ended_on = forms.DateField(label=_("Until"), required=False, widget=_date_widget())
    completed = forms.BooleanField(label=_("Diploma obtained"), required=False)
    required_when_accepted = ("programme", "institution")

    def __init__(self, *args: Any, item: dict[str, Any], **kwargs: Any) -> None:
        start, end = proposed_dates(item)
        kwargs.setdefault(
            "initial",
            {
                "programme": item.get("programme", ""),
                "institution": item.get("institution", ""),
                "level": item.get("level", ""),
                "started_on": start,
                "ended_on": end,
                "completed": item.get("completed", False),
            },
        )
        super().__init__(*args, item=item, **kwargs)


class SkillItemForm(ItemForm):
    skill = forms.TypedChoiceField(
        label=_("Skill (ESCO)"), required=False, coerce=int, empty_value=None
    )
    level = forms.ChoiceField(label=_("Level"), choices=SkillLevel.choices, required=False)
    required_when_accepted = ("skill", "level")

    def __init__(self, *args: Any, item: dict[str, Any], **kwargs: Any) -> None:
        choices = item.get("skills") or []
        kwargs.setdefault(
            "initial",
            {
                "skill": choices[0]["id"] if choices else None,
                "level": item.get("level") or SkillLevel.GOOD,
                "accept": bool(choices),
            },
        )
        super().__init__(*args, item=item, **kwargs)
        self.phrase = item.get("phrase", "")
        field = self.fields["skill"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose…")), *((s["id"], s["label"]) for s in choices)]
        self.linkable = bool(choices)
        if not choices:
            field.help_text = _("Not found among the ESCO skills; add it by hand if you like.")

    def values(self) -> dict[str, Any]:
        skill = Skill.objects.get(pk=self.cleaned_data["skill"])
        return {"skill": skill, "level": self.cleaned_data["level"]}


class LanguageItemForm(ItemForm):
    language = forms.ChoiceField(label=_("Language"), choices=Language.choices, required=False)
    level = forms.ChoiceField(label=_("Level"), choices=LanguageLevel.choices, required=False)
    required_when_accepted = ("language", "level")

    def __init__(self, *args: Any, item: dict[str, Any], **kwargs: Any) -> None:
        kwargs.setdefault(
            "initial",
            {
                "language": item.get("language", ""),
                "level": item.get("level") or LanguageLevel.GOOD,
            },
        )
        super().__init__(*args, item=item, **kwargs)


class ContactForm(forms.Form):
    """Each proposed detail: a box to use it, and the value, editable."""

    def __init__(self, *args: Any, proposal: dict[str, str], current: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.rows: list[tuple[str, str]] = []
        for name in CONTACT_FIELDS:
            if not proposal.get(name):
                continue
            now = getattr(current, name, "") or ""
            self.fields[f"use_{name}"] = forms.BooleanField(
                label=_("Use"), required=False, initial=not now
            )
            self.fields[name] = forms.CharField(
                label=CONTACT_LABELS[name],
                max_length=200,
                required=False,
                initial=proposal[name],
                help_text=_("Now on the profile: %(value)s") % {"value": now} if now else "",
            )
            self.rows.append((name, now))

    def values(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name, _now in self.rows
            if self.cleaned_data.get(f"use_{name}") and self.cleaned_data.get(name)
        }


ITEM_FORMS: dict[str, type[ItemForm]] = {
    Part.WORK: WorkItemForm,
    Part.EDUCATION: EducationItemForm,
    Part.SKILLS: SkillItemForm,
    Part.LANGUAGES: LanguageItemForm,
}
