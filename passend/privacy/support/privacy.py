"""What a support grant holds about people, for the data map.

A grant names the staff member who asked, their reason, and the admins who
approved, refused or revoked it. It is the organisation's proof of who of
the processor could see its data and why, so it is kept for the same two
years as the audit trail (GDPR Art. 5(2) and 28(3)(h): the processor must be
able to demonstrate what it did), and erasure keeps it for that time.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_noop

from passend.privacy.datamap import (
    NOT_PERSONAL,
    Basis,
    Erasure,
    Purpose,
    Retention,
    RetentionAction,
    Subject,
    Trigger,
    declare,
    personal_shape,
)
from passend.privacy.support.models import SupportGrant

KEPT_TWO_YEARS = Retention(
    trigger=Trigger.CREATED,
    period=timedelta(days=2 * 365),
    action=RetentionAction.DELETE,
    legal_obligation=gettext_noop(
        "GDPR Art. 5(2), 28(3)(h) and 32 (accountability of the processor)"
    ),
)


_kept = personal_shape(
    subject=Subject.USER,
    purposes=(Purpose.SUPPORT, Purpose.SECURITY),
    basis=Basis.LEGAL_OBLIGATION,
    retention=KEPT_TWO_YEARS,
    recipients=("hosting",),
    erasure=Erasure.KEEP,
)


declare(
    SupportGrant,
    subject_field="staff",
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _kept("passend.record_metadata"),
        "updated_at": _kept("passend.record_metadata"),
        "staff": _kept("user.unique_id"),
        # Free text by the staff member; it may mention the problem of a person.
        "reason": _kept("system.operations"),
        "requested_at": _kept("passend.record_metadata"),
        "approved_by": _kept("user.unique_id"),
        "approved_at": _kept("passend.record_metadata"),
        "expires_at": _kept("passend.record_metadata"),
        "refused_by": _kept("user.unique_id"),
        "refused_at": _kept("passend.record_metadata"),
        "revoked_by": _kept("user.unique_id"),
        "revoked_at": _kept("passend.record_metadata"),
    },
)
