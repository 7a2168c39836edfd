"""Data map of CV imports and the languages a candidate speaks (docs/cvimport.md).

The uploaded CV itself is never stored. What was read from it waits,
encrypted, in the import's proposal until the person reviewed each part, and
at most 30 days after the upload (`services.cv_imports_purge_expired`).
Languages confirmed from an import live with the profile, like its sections.
"""

from __future__ import annotations

from datetime import timedelta

from passend.candidates.privacy import MEMBERSHIP_ENDED_30_DAYS
from passend.cvimport.models import CvImport, LanguageSkill
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

CREATED_30_DAYS = Retention(
    trigger=Trigger.CREATED, period=timedelta(days=30), action=RetentionAction.DELETE
)

_pending = personal_shape(
    subject=Subject.CANDIDATE,
    purposes=(Purpose.MEDIATION, Purpose.COACHING),
    basis=Basis.CONTRACT,
    retention=CREATED_30_DAYS,
    recipients=("hosting",),
    erasure=Erasure.DELETE,
)
_profile = personal_shape(
    subject=Subject.CANDIDATE,
    purposes=(Purpose.MEDIATION, Purpose.COACHING),
    basis=Basis.CONTRACT,
    retention=MEMBERSHIP_ENDED_30_DAYS,
    recipients=("hosting",),
    erasure=Erasure.DELETE,
)

declare(
    CvImport,
    subject_field="profile",
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _pending("passend.record_metadata"),
        "updated_at": _pending("passend.record_metadata"),
        "profile": _pending("user.unique_id"),
        "uploaded_by": _pending("passend.record_metadata"),
        "language": _pending("passend.record_metadata"),
        # Contact details, work history, education, skills and languages read
        # from the CV: sensitive as a whole, encrypted.
        "proposal": _pending("passend.documents", sensitive=True),
        "reviewed_parts": _pending("passend.record_metadata"),
        "status": _pending("passend.record_metadata"),
    },
)

declare(
    LanguageSkill,
    subject_field="profile",
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _profile("passend.record_metadata"),
        "updated_at": _profile("passend.record_metadata"),
        "profile": _profile("user.unique_id"),
        "language": _profile("passend.skills"),
        "level": _profile("passend.skills"),
    },
)
