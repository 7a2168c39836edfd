"""Data exports in the data map.

A person asks for their own export to exercise GDPR Art. 15 or 20, or an
organisation prepares one of its data in answer to their request at its
request desk; either way the basis is the controller's legal obligation to
answer. The zip holds a copy of
everything the person's data holds, sensitive data included: it is
encrypted, and deleted once downloaded or when the link expires. The job row
(when it was asked for, when downloaded) is kept a year as proof that the
request was answered (GDPR Art. 5(2)), then deleted.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from django.utils.translation import gettext_noop

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
from passend.privacy.rights.inventory import register_history
from passend.privacy.rights.models import ExportJob

KEPT_ONE_YEAR = Retention(
    trigger=Trigger.CREATED,
    period=timedelta(days=365),
    action=RetentionAction.DELETE,
    legal_obligation=gettext_noop("GDPR Art. 5(2) (showing that a request was answered)"),
)
DELETED_ON_EXPIRY = Retention(
    trigger=Trigger.EXPIRED, period=timedelta(0), action=RetentionAction.DELETE
)


def _job(
    category: str, *, sensitive: bool = False, retention: Retention = KEPT_ONE_YEAR
) -> Personal:
    return Personal(
        subject=Subject.USER,
        category=category,
        purposes=(Purpose.LEGAL_OBLIGATION,),
        basis=Basis.LEGAL_OBLIGATION,
        sensitive=sensitive,
        retention=retention,
        recipients=("hosting",),
        erasure=Erasure.DELETE,
    )


declare(
    ExportJob,
    subject_field="user",
    fields={
        "id": NOT_PERSONAL,  # random primary key
        "user": _job("user.unique_id"),
        "scope": _job("passend.record_metadata"),
        "status": _job("passend.record_metadata"),
        "progress": _job("passend.record_metadata"),
        "created_at": _job("passend.record_metadata"),
        "finished_at": _job("passend.record_metadata"),
        # A copy of all the person's data, BSN and documents included.
        "file": _job("user", sensitive=True, retention=DELETED_ON_EXPIRY),
        "size": _job("passend.record_metadata"),
        "token_hash": replace(
            _job("user.authorization.credentials", sensitive=True, retention=DELETED_ON_EXPIRY),
            protection=Protection.HASHED,
        ),
        "expires_at": _job("passend.record_metadata"),
        "downloaded_at": _job("passend.record_metadata"),
        # Which organisation prepared it through its request desk, and which of
        # its administrators asked (a user number, like the audit trail's).
        "organisation_id": NOT_PERSONAL,
        "requested_by_user_id": _job("user.unique_id.pseudonymous"),
    },
)

# The audit trail about the person grows with every use of the platform: the
# "my data" page gives its size and links to the paged "who viewed my data".
register_history("audit.AuditEvent", url_name="audit:my_data")
