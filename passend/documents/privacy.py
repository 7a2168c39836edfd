"""Data map of documents (see docs/documents.md).

One declaration covers every kind. The stricter rules of two kinds are
enforced by the code rather than by the map: an ID copy is deleted on its own
`delete_after` date (Waadi art. 7c: four weeks at registration, employment
plus five years once hired) and never shown to employers; a passport photo
exists only while its consent record is active (J7).
"""

from datetime import timedelta

from django.utils.translation import gettext_noop

from passend.documents.models import Document, DocumentKind
from passend.privacy.datamap import (
    NOT_PERSONAL,
    Basis,
    Erasure,
    Hold,
    Personal,
    Purpose,
    Retention,
    RetentionAction,
    Subject,
    Trigger,
    declare,
)
from passend.privacy.rights.corrections import register_self_edit
from passend.tenancy.models import Role

MEMBERSHIP_ENDED_30_DAYS = Retention(
    trigger=Trigger.MEMBERSHIP_ENDED, period=timedelta(days=30), action=RetentionAction.DELETE
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


PAYROLL_ID_COPY = gettext_noop(
    "Wet op de loonbelasting 1964 (a hired worker's ID copy belongs to the payroll "
    "records: the employment plus five years)"
)


def id_copy_hold(document: Document) -> Hold | None:
    """An erasure keeps the ID copy of a person who was hired, until its end date.

    Before hiring, the copy is only kept for registration (Waadi art. 7c) and
    an erasure deletes it; once hired, the payroll-records obligation wins
    over the erasure (GDPR Art. 17(3)(b)).
    """
    if document.kind != DocumentKind.ID_COPY or document.hired_at is None:
        return None
    return Hold(law=PAYROLL_ID_COPY, until=document.delete_after)


declare(
    Document,
    subject_field="candidate",
    legal_hold=id_copy_hold,
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _document("passend.record_metadata"),
        "updated_at": _document("passend.record_metadata"),
        "candidate": _document("user.unique_id"),
        "kind": _document("passend.documents"),
        # Holds ID copies too: encrypted at rest, reads of ID copies audited.
        "file": _document("passend.documents", sensitive=True),
        # People name files after what is in them ("paspoort_<BSN>.pdf"):
        # sensitive, and encrypted like the file.
        "original_name": _document("passend.documents", sensitive=True),
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


# --- corrections (GDPR Art. 16): the candidate uploads again or deletes on
# the documents page.
register_self_edit(
    Document._meta.label,
    url_name="documents:mine",
    fields=("kind", "file", "original_name"),
    roles=(Role.CANDIDATE,),
)
