"""Data map of documents (see docs/documents.md).

One declaration covers every kind. The stricter rules of two kinds are
enforced by the code rather than by the map: an ID copy is deleted on its own
`delete_after` date (Waadi art. 7c: four weeks at registration, employment
plus five years once hired) and never shown to employers; a passport photo
exists only while its consent record is active (J7).
"""

from datetime import timedelta

from passend.documents.models import Document
from passend.privacy.datamap import (
    NOT_PERSONAL,
    Action,
    Basis,
    Erasure,
    Personal,
    Purpose,
    Retention,
    Subject,
    Trigger,
    declare,
)

MEMBERSHIP_ENDED_30_DAYS = Retention(
    trigger=Trigger.MEMBERSHIP_ENDED, period=timedelta(days=30), action=Action.DELETE
)


def _document(category: str, *, sensitive: bool = False) -> Personal:
    return Personal(
        subject=Subject.CANDIDATE,
        category=category,
        purposes=(Purpose.MEDIATION, Purpose.COACHING),
        basis=Basis.CONTRACT,
        sensitive=sensitive,
        retention=MEMBERSHIP_ENDED_30_DAYS,
        recipients=("hosting",),
        erasure=Erasure.DELETE,
    )


declare(
    Document,
    subject_field="candidate",
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _document("passend.record_metadata"),
        "updated_at": _document("passend.record_metadata"),
        "candidate": _document("user.unique_id"),
        "kind": _document("passend.documents"),
        # Holds ID copies too: encrypted at rest, reads of ID copies audited.
        "file": _document("passend.documents", sensitive=True),
        "original_name": _document("passend.documents"),
        "content_type": _document("passend.record_metadata"),
        "size": _document("passend.record_metadata"),
        "sha256": _document("passend.record_metadata"),
        "uploaded_by": _document("user.unique_id"),
        "bsn_masked": _document("passend.record_metadata"),
        "hired_at": _document("passend.record_metadata"),
        "employment_ended_at": _document("passend.record_metadata"),
        "delete_after": _document("passend.record_metadata"),
    },
)
