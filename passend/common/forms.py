"""Form fields every app may use (leaf layer: Django only)."""

from __future__ import annotations

from typing import Any

import django.forms
from django.forms.models import ModelChoiceIterator


class ListedChoiceIterator(ModelChoiceIterator):
    """The choices in one query. Django streams them through a server-side
    cursor, which on PostgreSQL is three round trips (declare, fetch, close)
    for a list of a few dozen rows, on every form drawn."""

    def __iter__(self) -> Any:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ListedModelChoiceField(django.forms.ModelChoiceField):
    """A ModelChoiceField for the short lists a form offers (advisors, schemes)."""

    iterator = ListedChoiceIterator
