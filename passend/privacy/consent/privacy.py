"""Consent records in the data map.

The record is the controller's proof that consent was given (GDPR Art.
7(1)), so it outlives the withdrawal by the limitation period of claims about
the processing it allowed.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils.translation import gettext_noop

from passend.privacy.consent.models import Consent
from passend.privacy.datamap import (
    NOT_PERSONAL,
    Retention,
    RetentionAction,
    Trigger,
    declare,
    proof_shape,
)

KEPT_AS_PROOF = Retention(
    trigger=Trigger.CONSENT_WITHDRAWN,
    period=timedelta(days=5 * 365),
    action=RetentionAction.DELETE,
    legal_obligation=gettext_noop(
        "GDPR Art. 7(1) (the controller must be able to demonstrate consent)"
    ),
)


_proof = proof_shape(KEPT_AS_PROOF)


declare(
    Consent,
    subject_field="user",
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _proof("passend.record_metadata"),
        "updated_at": _proof("passend.record_metadata"),
        "user": _proof("user.unique_id"),
        "purpose": _proof("user.account.settings"),
        "statement_version": _proof("passend.record_metadata"),
        "given_at": _proof("passend.record_metadata"),
        "withdrawn_at": _proof("passend.record_metadata"),
    },
)
