"""The erasure record in the data map.

It holds the person's user number (pseudonymous once the account is gone),
which steps ran and the receipt: which kinds of data were deleted or kept and
under which law, never the values. The controller must be able to show that
it honoured the request (GDPR Art. 5(2), 12 and 17), so erasure keeps it;
retention removes it after two years.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_noop

from passend.privacy.datamap import (
    NOT_PERSONAL,
    Retention,
    RetentionAction,
    Trigger,
    declare,
    proof_shape,
)
from passend.privacy.erasure.models import ErasureRun

LAW = gettext_noop("GDPR Art. 5(2), 12 and 17 (proof that an erasure request was honoured)")
KEPT_AS_PROOF = Retention(
    trigger=Trigger.CREATED,
    period=timedelta(days=2 * 365),
    action=RetentionAction.DELETE,
    legal_obligation=LAW,
)


_proof = proof_shape(KEPT_AS_PROOF)


declare(
    ErasureRun,
    subject_field="user_id",
    fields={
        "id": NOT_PERSONAL,
        "user_id": _proof("user.unique_id.pseudonymous"),
        "organisation_id": NOT_PERSONAL,
        "requested_by_user_id": _proof("user.unique_id.pseudonymous"),
        "status": _proof("system.operations"),
        "completed_steps": _proof("system.operations"),
        "pending_files": _proof("system.operations"),
        "receipt": _proof("system.operations"),
        "started_at": _proof("passend.record_metadata"),
        "finished_at": _proof("passend.record_metadata"),
        "receipt_sent_at": _proof("passend.record_metadata"),
    },
)
