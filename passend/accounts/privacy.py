"""Data map of the global user account (see docs/datamap.md).

The account is the platform's: the basis is the contract of use (the terms
every user accepts). It is deleted 30 days after the account is closed; what
a person does within an organisation is declared by the apps that hold it.
"""

from __future__ import annotations

from datetime import timedelta

from passend.accounts.models import User
from passend.privacy.datamap import (
    NOT_PERSONAL,
    Basis,
    Erasure,
    Personal,
    Protection,
    Purpose,
    Retention,
    RetentionAction,
    Subject,
    Trigger,
    declare,
)

ACCOUNT_CLOSED_30_DAYS = Retention(
    trigger=Trigger.ACCOUNT_CLOSED, period=timedelta(days=30), action=RetentionAction.DELETE
)
ACCOUNT = (Purpose.ACCOUNT,)
ACCOUNT_AND_SECURITY = (Purpose.ACCOUNT, Purpose.SECURITY)


def account(
    category: str,
    purposes: tuple[Purpose, ...] = ACCOUNT,
    *,
    basis: Basis = Basis.CONTRACT,
    sensitive: bool = False,
    protection: Protection | None = None,
    recipients: tuple[str, ...] = ("hosting",),
    internal: bool = False,
) -> Personal:
    return Personal(
        subject=Subject.USER,
        category=category,
        purposes=purposes,
        basis=basis,
        sensitive=sensitive,
        protection=protection,
        retention=ACCOUNT_CLOSED_30_DAYS,
        recipients=recipients,
        erasure=Erasure.DELETE,
        internal=internal,
    )


declare(
    User,
    subject_field="id",
    fields={
        "id": NOT_PERSONAL,
        "password": account(
            "user.authorization.credentials",
            ACCOUNT_AND_SECURITY,
            sensitive=True,
            protection=Protection.HASHED,
        ),
        "last_login": account(
            "user.behavior", ACCOUNT_AND_SECURITY, basis=Basis.LEGITIMATE_INTERESTS, internal=True
        ),
        "is_superuser": account("user.authorization", ACCOUNT_AND_SECURITY, internal=True),
        "email": account(
            "user.contact.email",
            (Purpose.ACCOUNT, Purpose.SUPPORT, Purpose.SECURITY),
            recipients=("email", "hosting"),
        ),
        "name": account("user.name", recipients=("email", "hosting")),
        "preferred_language": account("user.account.settings"),
        "is_active": account("user.account", ACCOUNT_AND_SECURITY),
        "is_platform_staff": account("user.authorization", ACCOUNT_AND_SECURITY, internal=True),
        "date_joined": account("user.account"),
        "groups": account("user.authorization", ACCOUNT_AND_SECURITY, internal=True),
        "user_permissions": account("user.authorization", ACCOUNT_AND_SECURITY, internal=True),
    },
)
