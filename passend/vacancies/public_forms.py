"""The form of the public job page for people without an account."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from passend.common.autofill import autofill
from passend.documents.models import DocumentKind
from passend.documents.services import accepted_for
from passend.vacancies.models import PublicApplication

HONEYPOT = "website"
MOTIVATION_MAX = PublicApplication._meta.get_field("motivation").max_length or 5000


class PublicApplyForm(forms.Form):
    name = forms.CharField(
        label=_("Your name"), max_length=PublicApplication._meta.get_field("name").max_length
    )
    email = forms.EmailField(
        label=_("Your e-mail address"),
        help_text=_("We send a link here: your application counts once you open it."),
    )
    cv = forms.FileField(label=_("Your CV"))
    motivation = forms.CharField(
        label=_("Why this job?"),
        required=False,
        max_length=MOTIVATION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("A few lines in your own words. Only the people handling the vacancy read it."),
    )
    consent = forms.BooleanField(
        error_messages={
            "required": _("Tick that you have read the privacy statement to apply."),
        },
    )
    # A field people never see (hidden from screen readers and the keyboard
    # too); form-filling robots fill it in.
    website = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args: Any, statement_version: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.statement_version = statement_version
        autofill(self, only=("name", "email"))
        accepted = accepted_for(DocumentKind.CV)
        cv = self.fields["cv"]
        cv.help_text = _("Accepted: %(accepted)s.") % {"accepted": accepted}
        if self.is_bound:
            # A browser never keeps a chosen file when the page comes back.
            cv.help_text = format_html(
                "{} <strong>{}</strong>",
                cv.help_text,
                _(
                    "Choose your CV again: a browser does not keep a chosen file "
                    "when the page comes back."
                ),
            )
        consent = self.fields["consent"]
        if statement_version:
            consent.label = _("I have read the privacy statement (version %(version)s)") % {
                "version": statement_version
            }
            consent.help_text = format_html(
                '<a href="{}">{}</a>',
                reverse("statement:version", args=[statement_version]),
                _("Read the privacy statement, version %(version)s")
                % {"version": statement_version},
            )
        else:
            consent.label = _("I have read the privacy statement")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.statement_version:
            raise forms.ValidationError(
                _("Applying here is not possible yet: no privacy statement has been published."),
                code="no_statement",
            )
        return cleaned

    @property
    def is_spam(self) -> bool:
        return bool(self.data.get(HONEYPOT))
