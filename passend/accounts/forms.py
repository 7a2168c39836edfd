from django import forms

from passend.accounts.models import User


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["name", "preferred_language"]
