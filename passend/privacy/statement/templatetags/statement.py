"""Template helpers for the statement pages."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def version_date(version: Any) -> str:
    """The publication date as the statement shows it: "22-11-2026" (P13)."""
    return timezone.localtime(version.published_at).strftime("%d-%m-%Y")


@register.filter
def is_list(value: Any) -> bool:
    return isinstance(value, list | tuple)
