from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from passend.common.inputs import CAREER_DATE
from passend.documents.models import DocumentKind


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
        if not passport_photo:
            # Only the person can consent to their passport photo (J7).
            kind = self.fields["kind"]
            assert isinstance(kind, forms.ChoiceField)
            kind.choices = [c for c in DocumentKind.choices if c[0] != DocumentKind.PASSPORT_PHOTO]
            del self.fields["consent"]


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
