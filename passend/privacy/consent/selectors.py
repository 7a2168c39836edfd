"""Reads of consent records. Call inside the organisation's scope."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from passend.privacy.consent.models import Consent


def has_consent(*, user: Any, organisation: Any, purpose: str) -> bool:
    """True only when an active (not withdrawn) consent row exists: absence is never consent."""
    if user is None or getattr(user, "pk", None) is None:
        return False
    return Consent.objects.filter(
        organisation=organisation, user=user, purpose=str(purpose), withdrawn_at__isnull=True
    ).exists()


def consent_history(*, user: Any, organisation: Any) -> QuerySet[Consent]:
    return Consent.objects.filter(organisation=organisation, user=user).order_by("-given_at")
