from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passend.common.autofill import autofill
from passend.privacy.requests.models import (
    DESCRIPTION_MAX_LENGTH,
    REGISTERED_CHANNELS,
    REPLY_MAX_LENGTH,
    Channel,
    RequestKind,
)
from passend.privacy.requests.selectors import organisations_to_choose
from passend.privacy.restriction.models import NOTE_MAX_LENGTH, ObjectablePurpose, RestrictionReason

HONEYPOT = "website"


class OrganisationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


def _description() -> forms.CharField:
    return forms.CharField(
        label=_("Your request"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What you would like, in your own words. Leave out data we do not need."),
    )


class PublicRequestForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=200)
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send the answer here. Use the address the organisation knows you by."),
    )
    organisation = OrganisationChoiceField(
        label=_("Organisation"),
        queryset=organisations_to_choose(),
        required=False,
        empty_label=_("I do not know which organisation"),
        help_text=_(
            "The organisation that invited you decides about your data. If you do not "
            "know which, we pass the request to the right one for you."
        ),
    )
    kind = forms.ChoiceField(label=_("What do you ask for?"), choices=RequestKind.choices)
    description = _description()
    # A field people never see (hidden from screen readers and the keyboard
    # too); form-filling robots fill it in.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations_to_choose()  # type: ignore[attr-defined]
        autofill(self, only=("name", "email"))

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get(HONEYPOT))


class OwnRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("What do you ask for?"), choices=RequestKind.choices)
    description = _description()


class RegisterForm(forms.Form):
    channel = forms.ChoiceField(
        label=_("Received by"),
        choices=[(c.value, c.label) for c in Channel if c in REGISTERED_CHANNELS],
    )
    received_on = forms.DateField(
        label=_("Received on"),
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("The deadline runs from this day."),
    )
    name = forms.CharField(label=_("Name of the person"), max_length=200)
    email = forms.EmailField(
        label=_("E-mail address of the person"),
        required=False,
        help_text=_("Needed for a request that came by e-mail; the answer is sent here."),
    )
    kind = forms.ChoiceField(label=_("What does the person ask for?"), choices=RequestKind.choices)
    description = forms.CharField(
        label=_("The request"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["received_on"].initial = timezone.localdate()


class DisputeForm(forms.Form):
    # The organisation that holds the data (its id); empty: the current one.
    organisation = forms.CharField(widget=forms.HiddenInput, max_length=64, required=False)
    model = forms.CharField(widget=forms.HiddenInput, max_length=100)
    field = forms.CharField(widget=forms.HiddenInput, max_length=100)
    object = forms.CharField(widget=forms.HiddenInput, max_length=64)
    # Set when the person names the field themselves (a record's "Dispute" link).
    choose = forms.BooleanField(widget=forms.HiddenInput, required=False)
    proposed_value = forms.CharField(
        label=_("What it should say"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.CharField(
        label=_("Why it is not right"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(
        self, *args: Any, field_choices: list[tuple[str, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if field_choices is not None:
            self.fields["field"] = forms.ChoiceField(
                label=_("Which detail is wrong?"),
                choices=[("", _("Choose a detail")), *field_choices],
            )
            self.order_fields(["field", "proposed_value", "reason"])


class KindDisputeForm(forms.Form):
    """One dispute for a kind of data held by one organisation: the person picks the
    field ("<model label>:<field>") and says what is wrong."""

    organisation = forms.CharField(widget=forms.HiddenInput, max_length=64)
    kind = forms.CharField(widget=forms.HiddenInput, max_length=100)
    field = forms.ChoiceField(label=_("Which detail is wrong?"))
    proposed_value = forms.CharField(
        label=_("What it should say"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    reason = forms.CharField(
        label=_("What is wrong"),
        required=False,
        max_length=DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Why it is not right; if you have several such records, say which one."),
    )

    def __init__(self, *args: Any, field_choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = [("", _("Choose a detail")), *field_choices]  # type: ignore[attr-defined]
        self.fields["field"].error_messages["required"] = _("Choose the detail that is wrong.")
        self.fields["field"].error_messages["invalid_choice"] = _(
            "Choose the detail that is wrong."
        )

    @property
    def disputed(self) -> tuple[str, str]:
        """(model label, field name) of the chosen detail."""
        label, _sep, name = self.cleaned_data["field"].rpartition(":")
        return label, name


class IdentityForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Identity"),
        choices=[
            ("verified", _("The person proved who they are")),
            ("failed", _("The person could not prove who they are")),
        ],
        widget=forms.RadioSelect,
    )


class ExtendForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the extension"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Sent to the person, e.g. the complexity or the number of requests."),
    )


class ReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Message to the person"),
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    closes = forms.TypedChoiceField(
        label=_("This message is"),
        choices=[
            ("no", _("a message; the request stays open (e.g. asking for identification)")),
            ("yes", _("the answer; the request is closed as answered")),
        ],
        coerce=lambda value: value == "yes",
        initial="no",
        widget=forms.RadioSelect,
    )


class RefuseForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for the refusal"),
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent to the person, with how they can complain."),
    )


class WithdrawForm(forms.Form):
    pass


class PrepareExportForm(forms.Form):
    """The button "Prepare the export for this person": no fields."""


class DeskRestrictionForm(forms.Form):
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
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What the person wrote, e.g. which data they contest."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "desk-restrict-%s")  # unique ids on the detail page
        super().__init__(*args, **kwargs)


class DeskObjectionForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("The person objects to"),
        choices=[("", _("Choose a use of their data")), *ObjectablePurpose.choices],
        error_messages={
            "required": _("Choose the use the person objects to."),
            "invalid_choice": _("Choose the use the person objects to."),
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "desk-object-%s")  # unique ids on the detail page
        super().__init__(*args, **kwargs)


class UnroutedReplyForm(forms.Form):
    text = forms.CharField(
        label=_("Answer to the person"),
        max_length=REPLY_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
