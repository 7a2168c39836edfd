"""Data map of candidate and worker profiles, their sections, contact profiles and
shares with employers (see docs/datamap.md and docs/profiles.md)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.urls import reverse

from passend.candidates.models import (
    AvailabilityException,
    AvailabilitySlot,
    CandidateProfile,
    CandidateSkill,
    ContactProfile,
    Course,
    Education,
    LeavePeriod,
    ProfileScheme,
    ProfileShare,
    Scheme,
    SocialMediaAccount,
    WebLink,
    WorkExperience,
)
from passend.candidates.sections import SECTIONS, SectionSpec
from passend.candidates.services import CANDIDATE_FIELDS
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
    personal_shape,
)
from passend.privacy.rights.corrections import (
    CorrectionPage,
    register_correction_page,
    register_self_edit,
)
from passend.tenancy.models import Role

MEMBERSHIP_ENDED_30_DAYS = Retention(
    trigger=Trigger.MEMBERSHIP_ENDED, period=timedelta(days=30), action=RetentionAction.DELETE
)
SHARE_REVOKED_30_DAYS = Retention(
    trigger=Trigger.EXPIRED, period=timedelta(days=30), action=RetentionAction.DELETE
)


def _profile(
    category: str,
    *,
    purposes: tuple[Purpose, ...] | None = None,
    sensitive: bool = False,
    protection: Protection | None = None,
) -> Personal:
    return Personal(
        subject=Subject.CANDIDATE,
        category=category,
        sensitive=sensitive,
        protection=protection,
        purposes=purposes or (Purpose.MEDIATION, Purpose.COACHING),
        basis=Basis.CONTRACT,
        retention=MEMBERSHIP_ENDED_30_DAYS,
        recipients=("hosting",),
        erasure=Erasure.DELETE,
    )


# BSN and bank account: sensitive, encrypted, read-audited; for flex workers' payroll.
_payroll = personal_shape(
    subject=Subject.WORKER,
    purposes=(Purpose.PAYMENTS, Purpose.LEGAL_OBLIGATION),
    basis=Basis.LEGAL_OBLIGATION,
    sensitive=True,
    retention=MEMBERSHIP_ENDED_30_DAYS,
    recipients=("hosting",),
    erasure=Erasure.DELETE,
)


INDEX = Personal(
    subject=Subject.WORKER,
    category="passend.blind_index",
    sensitive=True,
    protection=Protection.KEYED_INDEX,
    purposes=(Purpose.LEGAL_OBLIGATION,),
    basis=Basis.LEGAL_OBLIGATION,
    retention=MEMBERSHIP_ENDED_30_DAYS,
    recipients=("hosting",),
    erasure=Erasure.DELETE,
)

declare(
    CandidateProfile,
    subject_field="membership",
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _profile("passend.record_metadata"),
        "updated_at": _profile("passend.record_metadata"),
        "membership": _profile("user.unique_id"),
        "is_worker": _profile("user.job_title"),
        "first_name": _profile("user.name.first"),
        "last_name": _profile("user.name.last"),
        # The account's name folded for sorting: personal like the name itself.
        "sort_name": _profile("user.name"),
        "street": _profile("user.contact.address.street"),
        "house_number": _profile("user.contact.address.street"),
        "postcode": _profile("user.contact.address.postal_code"),
        "city": _profile("user.contact.address.city"),
        "gender": _profile("user.demographic.gender", purposes=(Purpose.COACHING,)),
        "date_of_birth": _profile("user.demographic.date_of_birth"),
        "marital_status": _profile("user.demographic.marital_status", purposes=(Purpose.COACHING,)),
        "nationality": _profile("passend.nationality"),
        "email": _profile("user.contact.email"),
        "phone": _profile("user.contact.phone_number"),
        "bsn": _payroll("user.government_id.national_identification_number"),
        "bsn_index": INDEX,
        "iban": _payroll("user.financial.bank_account"),
        "self_employment_type": _profile("passend.self_employment_declaration"),
        "self_employment_number": _profile("passend.self_employment_declaration"),
        "self_employment_valid_from": _profile("passend.self_employment_declaration"),
        "self_employment_valid_until": _profile("passend.self_employment_declaration"),
        "interests": _profile("user.demographic.profile"),
    },
)


_contact = personal_shape(
    subject=Subject.PROFESSIONAL,
    purposes=(Purpose.MEDIATION,),
    basis=Basis.LEGITIMATE_INTERESTS,
    retention=MEMBERSHIP_ENDED_30_DAYS,
    recipients=("hosting",),
    erasure=Erasure.DELETE,
)


declare(
    ContactProfile,
    subject_field="membership",
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _contact("passend.record_metadata"),
        "updated_at": _contact("passend.record_metadata"),
        "membership": _contact("user.unique_id"),
        "name": _contact("user.name"),
        "postcode": _contact("user.contact.address.postal_code"),
        "email": _contact("user.contact.email"),
        "phone": _contact("user.contact.phone_number"),
        "profile_text": _contact("user.job_title"),
    },
)


# Which schemes apply tells of benefits and work disability: sensitive.
SENSITIVE_SECTIONS = {"passend.schemes"}
# Free text where people write why they are on leave ("sick leave",
# "maternity leave"): health data, so sensitive and encrypted.
SENSITIVE_FIELDS = {("LeavePeriod", "description")}
# The link to an entry of the organisation's list of schemes is a foreign
# key: it cannot be encrypted without giving up the key. A known gap, shown
# as such in the data map (docs/datamap.md); the free-text note is encrypted.
REFERENCES = {("ProfileScheme", "scheme")}


def _section(model: type, fields: dict[str, str]) -> None:
    def field(name: str, category: str) -> Personal:
        key = (model.__name__, name)
        return _profile(
            category,
            sensitive=category in SENSITIVE_SECTIONS or key in SENSITIVE_FIELDS,
            protection=Protection.UNENCRYPTED_REFERENCE if key in REFERENCES else None,
        )

    declare(
        model,
        subject_field="profile",
        fields={
            "id": NOT_PERSONAL,
            "organisation": NOT_PERSONAL,
            "created_at": _profile("passend.record_metadata"),
            "updated_at": _profile("passend.record_metadata"),
            "profile": _profile("user.unique_id"),
            **{name: field(name, category) for name, category in fields.items()},
        },
    )


_section(
    LeavePeriod,
    {"starts_on": "passend.leave", "ends_on": "passend.leave", "description": "passend.leave"},
)
_section(SocialMediaAccount, {"platform": "user.social", "handle": "user.social"})
_section(
    WorkExperience,
    {
        "employer_name": "user.workplace",
        "role": "user.job_title",
        "occupation": "user.job_title",
        "started_on": "passend.work_history",
        "ended_on": "passend.work_history",
        "description": "passend.work_history",
    },
)
_section(
    Education,
    {
        "institution": "passend.education",
        "programme": "passend.education",
        "level": "passend.education",
        "started_on": "passend.education",
        "ended_on": "passend.education",
        "completed": "passend.education",
    },
)
_section(CandidateSkill, {"skill": "passend.skills", "level": "passend.skills"})
_section(
    Course,
    {
        "name": "passend.courses_and_tests",
        "provider": "passend.courses_and_tests",
        "completed_on": "passend.courses_and_tests",
        "result": "passend.courses_and_tests",
    },
)
_section(WebLink, {"title": "user.contact.url", "url": "user.contact.url"})
_section(
    AvailabilitySlot,
    {
        "weekday": "passend.availability",
        "starts_at": "passend.availability",
        "ends_at": "passend.availability",
    },
)
_section(
    AvailabilityException,
    {
        "date": "passend.availability",
        "available": "passend.availability",
        "note": "passend.availability",
    },
)
_section(ProfileScheme, {"scheme": "passend.schemes", "note": "passend.schemes"})

declare(
    Scheme,
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": NOT_PERSONAL,
        "updated_at": NOT_PERSONAL,
        "name": NOT_PERSONAL,
        "description": NOT_PERSONAL,
        "is_active": NOT_PERSONAL,
    },
)


_share = personal_shape(
    subject=Subject.CANDIDATE,
    purposes=(Purpose.MEDIATION,),
    basis=Basis.CONSENT,
    retention=SHARE_REVOKED_30_DAYS,
    recipients=("hosting",),
    erasure=Erasure.DELETE,
)


declare(
    ProfileShare,
    subject_field="profile",
    fields={
        "id": NOT_PERSONAL,
        "organisation": NOT_PERSONAL,
        "created_at": _share("passend.record_metadata"),
        "updated_at": _share("passend.record_metadata"),
        "profile": _share("user.unique_id"),
        "employer": _share("user.workplace"),
        "shared_by": _share("passend.record_metadata"),
        "shared_at": _share("passend.record_metadata"),
        "candidate_consented_at": _share("user.privacy_preferences"),
        "revoked_at": _share("user.privacy_preferences"),
        "includes_documents": _share("user.privacy_preferences"),
    },
)


# --- corrections (GDPR Art. 16) --------------------------------------------------
# Where the candidate changes their own profile and sections, and where an
# advisor or admin corrects a value the candidate disputed.


def _section_kwargs(kind: str) -> Callable[[Any], dict[str, Any]]:
    def kwargs(row: Any) -> dict[str, Any]:
        return {"candidate_id": row.profile_id, "kind": kind, "entry_id": row.pk}

    return kwargs


def _profile_page(object_id: str, membership_id: Any) -> str | None:
    profile = (
        CandidateProfile.objects.filter(pk=object_id, membership_id=membership_id)
        .values_list("pk", flat=True)
        .first()
    )
    return reverse("candidates:edit", kwargs={"candidate_id": profile}) if profile else None


def _section_page(spec: SectionSpec) -> CorrectionPage:
    def page(object_id: str, membership_id: Any) -> str | None:
        entry = (
            spec.model.objects.filter(pk=object_id, profile__membership_id=membership_id)
            .values_list("pk", "profile_id")
            .first()
        )
        if entry is None:
            return None
        return reverse(
            "candidates:section_edit",
            kwargs={"candidate_id": entry[1], "kind": spec.kind, "entry_id": entry[0]},
        )

    return page


register_self_edit(
    CandidateProfile._meta.label,
    url_name="candidates:edit",
    fields=CANDIDATE_FIELDS,
    kwargs=lambda row: {"candidate_id": row.pk},
    roles=(Role.CANDIDATE,),
)
register_self_edit(
    ContactProfile._meta.label,
    url_name="candidates:contact_profile",
    fields=("name", "postcode", "email", "phone", "profile_text"),
    roles=(Role.ADMIN, Role.PROFESSIONAL, Role.EMPLOYER),
)
register_correction_page(CandidateProfile._meta.label, _profile_page)
for _spec in SECTIONS.values():
    register_self_edit(
        _spec.model._meta.label,
        url_name="candidates:section_edit",
        fields=_spec.fields,
        kwargs=_section_kwargs(_spec.kind),
        roles=(Role.CANDIDATE,),
    )
    register_correction_page(_spec.model._meta.label, _section_page(_spec))
