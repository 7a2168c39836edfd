"""Data map of API tokens (see docs/datamap.md).

A token belongs to one person in one organisation. Its secret is stored only
as a hash; the hint (its first characters) lets the owner recognise it.
"""

from __future__ import annotations

from datetime import timedelta

from passend.api.models import ApiToken
from passend.api.throttling import rate_keys
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
from passend.privacy.erasure.caches import register_person_cache

EXPIRED_30_DAYS = Retention(
    trigger=Trigger.EXPIRED, period=timedelta(days=30), action=RetentionAction.DELETE
)


def _token(
    category: str,
    *,
    purposes: tuple[Purpose, ...] = (Purpose.ACCOUNT, Purpose.SECURITY),
    basis: Basis = Basis.CONTRACT,
    sensitive: bool = False,
    protection: Protection | None = None,
) -> Personal:
    return Personal(
        subject=Subject.USER,
        category=category,
        purposes=purposes,
        basis=basis,
        sensitive=sensitive,
        protection=protection,
        retention=EXPIRED_30_DAYS,
        recipients=("hosting",),
        erasure=Erasure.DELETE,
    )


declare(
    ApiToken,
    subject_field="user",
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _token("passend.record_metadata"),
        "updated_at": _token("passend.record_metadata"),
        "user": _token("user.unique_id"),
        "name": _token("user.account", purposes=(Purpose.ACCOUNT,)),
        "key_hash": _token(
            "user.authorization.credentials", sensitive=True, protection=Protection.HASHED
        ),
        "key_hint": _token("user.account"),
        "expires_at": _token("passend.record_metadata"),
        "revoked_at": _token("passend.record_metadata"),
        "last_used_at": _token(
            "user.behavior", purposes=(Purpose.SECURITY,), basis=Basis.LEGITIMATE_INTERESTS
        ),
    },
)

# The API's rate-limit count is about the person: erasure purges it.
register_person_cache(rate_keys)
