"""Reads of the rights app."""

from __future__ import annotations

from typing import Any

from passend.privacy.rights.models import ExportJob


def exports_of(user: Any, *, limit: int = 5) -> list[ExportJob]:
    """The person's latest own export jobs, newest first.

    Exports an organisation prepared for them at its request desk are not
    listed: they reach the person as an e-mailed single-use link.
    """
    return list(
        ExportJob.objects.filter(user=user, organisation_id__isnull=True).order_by("-created_at")[
            :limit
        ]
    )


def organisation_exports_of(user: Any, organisation_id: Any, *, limit: int = 5) -> list[ExportJob]:
    """The exports an organisation prepared for the person, newest first (the desk shows them)."""
    return list(
        ExportJob.objects.filter(user=user, organisation_id=organisation_id).order_by(
            "-created_at"
        )[:limit]
    )
