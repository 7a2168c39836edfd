"""System check: no protected field is a matching feature (issue 14, part 3)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core import checks
from django.core.exceptions import FieldDoesNotExist

from passend.matching.features import SIGNALS, protected
from passend.privacy.datamap import Personal, UndeclaredError, field_declaration
from passend.privacy.datamap.vocabulary import category as category_of


def check_features(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for signal in SIGNALS:
        for source in signal.sources:
            errors.extend(_check_source(signal.key, source))
    return errors


def _check_source(signal: str, source: str) -> list[checks.CheckMessage]:
    app_label, model_name, field_name = source.split(".")
    try:
        model = apps.get_model(app_label, model_name)
        model._meta.get_field(field_name)
    except (LookupError, FieldDoesNotExist):
        return [
            checks.Error(
                f"Matching signal {signal!r} reads {source}, which does not exist.",
                id="matching.E002",
            )
        ]
    try:
        declaration = field_declaration(model, field_name)
    except UndeclaredError:
        return [
            checks.Error(
                f"Matching signal {signal!r} reads {source}, which the data map does not declare.",
                id="matching.E002",
            )
        ]
    if not isinstance(declaration, Personal):
        return []
    category = category_of(declaration.category)
    if protected(
        declaration.category,
        sensitive=declaration.sensitive or bool(category and category.sensitive),
        special=bool(category and category.special),
    ):
        return [
            checks.Error(
                f"Matching signal {signal!r} reads {source}, whose category "
                f"{declaration.category!r} is protected: it may never enter a score.",
                hint="Remove the field from passend.matching.features.SIGNALS.",
                id="matching.E001",
            )
        ]
    return []
