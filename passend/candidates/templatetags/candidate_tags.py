"""Show a section entry's values generically, in the order its section names them."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import template
from django.utils import formats
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from passend.candidates.sections import SectionSpec

register = template.Library()


def _display(entry: Any, name: str) -> Any:
    field = entry._meta.get_field(name)
    value = getattr(entry, name)
    if field.choices and value not in (None, ""):
        return getattr(entry, f"get_{name}_display")()
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, date):
        return formats.date_format(value, "DATE_FORMAT")
    if hasattr(value, "label") and callable(value.label):
        return value.label(get_language() or "en")
    return value


@register.filter
def section_values(entry: Any, spec: SectionSpec) -> list[tuple[str, Any]]:
    """(label, value) pairs of the entry, skipping empty values."""
    pairs = []
    for name in spec.fields:
        value = _display(entry, name)
        if value in (None, ""):
            continue
        pairs.append((str(entry._meta.get_field(name).verbose_name), value))
    return pairs
