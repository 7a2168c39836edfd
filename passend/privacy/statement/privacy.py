"""Data map of the statement app (see docs/statement.md).

A published version holds no personal data: the statement and its facts are
about categories, never about people. An acknowledgement records that a
person was informed of a new version (GDPR Art. 12-14) and lets the platform
demonstrate it (Art. 5(2)): a legal obligation. It goes with the account.
"""

from __future__ import annotations

from datetime import timedelta

from passend.privacy.datamap import (
    NOT_PERSONAL,
    Basis,
    Erasure,
    Personal,
    Purpose,
    Retention,
    RetentionAction,
    Subject,
    Trigger,
    declare,
    declare_not_personal,
)
from passend.privacy.statement.models import StatementAcknowledgement, StatementVersion


def _acknowledgement(category: str) -> Personal:
    return Personal(
        subject=Subject.USER,
        category=category,
        purposes=(Purpose.LEGAL_OBLIGATION,),
        basis=Basis.LEGAL_OBLIGATION,
        sensitive=False,
        retention=Retention(
            trigger=Trigger.ACCOUNT_CLOSED, period=timedelta(days=30), action=RetentionAction.DELETE
        ),
        recipients=("hosting",),
        erasure=Erasure.DELETE,
    )


declare_not_personal(
    StatementVersion,
    reason="a published privacy statement: categories, purposes and recipients, no people",
)

declare(
    StatementAcknowledgement,
    subject_field="user",
    fields={
        "id": NOT_PERSONAL,
        "user": _acknowledgement("user.unique_id"),
        "version": _acknowledgement("user.privacy_preferences"),
        "acknowledged_at": _acknowledgement("user.privacy_preferences"),
    },
)
