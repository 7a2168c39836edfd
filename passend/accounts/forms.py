from typing import Any

from django import forms

from passend.accounts.models import User
from passend.common.autofill import autofill


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "preferred_language"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        autofill(self)
