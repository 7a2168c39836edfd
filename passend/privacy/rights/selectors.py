"""Reads of the rights app."""

from __future__ import annotations

from typing import Any

from passend.privacy.rights.models import ExportJob


def exports_of(user: Any, *, limit: int = 5) -> list[ExportJob]:
    """The person's latest export jobs, newest first."""
    return list(ExportJob.objects.filter(user=user).order_by("-created_at")[:limit])
