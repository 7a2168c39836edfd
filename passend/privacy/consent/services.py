"""Giving and withdrawing consent. Each write is audited in its transaction.

`has_consent` is a read and lives in selectors; it is re-exported here so the
three functions can be imported together.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from passend.privacy.audit.models import Action
from passend.privacy.audit.services import record
from passend.privacy.consent.models import Consent
from passend.privacy.consent.selectors import has_consent
from passend.privacy.datamap import Purpose

__all__ = ["consent_give", "consent_withdraw", "has_consent", "statement_version_now"]


def statement_version_now() -> str:
    """The number ("1.2") of the privacy statement in force, or "" if none is published."""
    from passend.privacy.statement.selectors import version_latest_summary

    version = version_latest_summary()
    return f"{version.major}.{version.minor}" if version is not None else ""


def consent_give(*, user: Any, organisation: Any, purpose: str) -> Consent:
    """Record the person's consent; giving it again while active keeps the first record."""
    with transaction.atomic():
        active = (
            Consent.objects.select_for_update()
            .filter(organisation=organisation, user=user, purpose=str(purpose))
            .filter(withdrawn_at__isnull=True)
            .first()
        )
        if active is not None:
            return active
        consent = Consent(
            organisation=organisation,
            user=user,
            purpose=str(purpose),
            statement_version=statement_version_now(),
            given_at=timezone.now(),
        )
        consent.full_clean()
        consent.save()
        record(
            action=Action.CREATE,
            target=consent,
            fields=["purpose", "given_at", "statement_version"],
            purpose=Purpose.LEGAL_OBLIGATION,
            subject=user,
            detail="consent given",
        )
        return consent


def consent_withdraw(*, user: Any, organisation: Any, purpose: str) -> int:
    """Withdraw the person's active consent for `purpose` at once; returns how many
    records were withdrawn (0 when there was none)."""
    with transaction.atomic():
        now = timezone.now()
        active = list(
            Consent.objects.select_for_update().filter(
                organisation=organisation,
                user=user,
                purpose=str(purpose),
                withdrawn_at__isnull=True,
            )
        )
        for consent in active:
            consent.withdrawn_at = now
            consent.save(update_fields=["withdrawn_at", "updated_at"])
            record(
                action=Action.UPDATE,
                target=consent,
                fields=["withdrawn_at"],
                purpose=Purpose.LEGAL_OBLIGATION,
                subject=user,
                detail="consent withdrawn",
            )
        return len(active)
