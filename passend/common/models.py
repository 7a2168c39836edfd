"""Base models shared by every app."""

from __future__ import annotations

import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from passend.common.inputs import model_input_errors


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True

    def clean_fields(self, exclude: Any = None) -> None:
        # Text without control characters, dates within bounds: one rule for
        # every service's full_clean() and every ModelForm (passend/common/inputs.py).
        errors: dict[str, list[Any]] = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        failed = set(errors)
        for name, messages in model_input_errors(self, exclude=failed | set(exclude or ())).items():
            errors.setdefault(name, []).extend(messages)
        if errors:
            raise ValidationError(errors)


class PublicIdModel(TimeStampedModel):
    """Random primary keys: URLs never reveal how many records exist."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)

    class Meta:
        abstract = True
