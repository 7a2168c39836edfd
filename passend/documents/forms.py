from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from passend.common.inputs import CAREER_DATE
from passend.documents.models import DocumentKind
from passend.documents.services import accepted_for


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind of document"), choices=DocumentKind.choices)
    file = forms.FileField(label=_("File"))
    consent = forms.BooleanField(
        label=_(
            "For a passport photo: I agree that it is stored and shown to the people "
            "who mediate for me and to employers I share my profile with. I can delete "
            "it at any time."
        ),
        required=False,
    )

    def __init__(self, *args: Any, passport_photo: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        choices = list(DocumentKind.choices)
        if not passport_photo:
            # Only the person can consent to their passport photo (J7).
            choices = [c for c in choices if c[0] != DocumentKind.PASSPORT_PHOTO]
            kind.choices = choices
            del self.fields["consent"]
        else:
            # Shown with JavaScript only while "Passport photo" is chosen
            # (passend.js); without it, `clean` ignores it for other kinds.
            self.fields["consent"].widget.attrs["data-show-for-kind"] = (
                DocumentKind.PASSPORT_PHOTO.value
            )
        # What each kind accepts: listed on the page, and read out by the hint
        # under the kind (passend.js) as the choice changes.
        self.accepted = [(label, accepted_for(value)) for value, label in choices]
        kind.widget.attrs["data-accepted-hint"] = "upload-accepted"
        chosen = self.data.get("kind") if self.is_bound else None
        if chosen in DocumentKind.values:
            self.fields["file"].help_text = _("Accepted for this kind: %(accepted)s.") % {
                "accepted": accepted_for(chosen)
            }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("kind") != DocumentKind.PASSPORT_PHOTO:
            # The box is about passport photos only; ticked for another kind
            # (without JavaScript it stays visible) it means nothing.
            cleaned["consent"] = False
        return cleaned


class IdCopyForm(forms.Form):
    bsn_masked = forms.BooleanField(
        label=_("I have made the BSN on this copy unreadable"), required=False
    )
    hired_at = forms.DateField(
        label=_("Employment started"),
        required=False,
        validators=[CAREER_DATE],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    employment_ended_at = forms.DateField(
        label=_("Employment ended"),
        required=False,
        validators=[CAREER_DATE],
        widget=forms.DateInput(attrs={"type": "date"}),
    )
