"""Writes of profiles, their sections, schemes and shares; each records its audit event."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passend.candidates.models import (
    CandidateProfile,
    ContactProfile,
    ProfileShare,
    Scheme,
    Section,
)
from passend.candidates.validators import normalise_phone
from passend.common.scope import organisation_scope
from passend.common.validators import normalise_bsn, normalise_iban, normalise_postcode
from passend.notifications.models import Kind
from passend.notifications.services import notify_many
from passend.privacy.audit.models import Action
from passend.privacy.audit.services import record
from passend.privacy.crypto.blind_index import blind_index
from passend.privacy.datamap import Purpose
from passend.privacy.restriction.gate import ProcessingPurpose, may_process
from passend.tenancy.models import Employer, Membership, Role

# What a candidate may change about themselves; advisors and admins may also
# say whether the person is a flex worker.
CANDIDATE_FIELDS = (
    "first_name",
    "last_name",
    "street",
    "house_number",
    "postcode",
    "city",
    "gender",
    "date_of_birth",
    "marital_status",
    "nationality",
    "email",
    "phone",
    "bsn",
    "iban",
    "self_employment_type",
    "self_employment_number",
    "self_employment_valid_from",
    "self_employment_valid_until",
    "interests",
)
MANAGER_FIELDS = (*CANDIDATE_FIELDS, "is_worker")

DUPLICATE_BSN = _("Another person in this organisation is already registered with this BSN.")
SHARING_RESTRICTED = _(
    "Processing of this candidate's data is restricted: the profile cannot be shared "
    "with employers while the restriction lasts."
)
BSN_ONLY_FOR_WORKERS = _(
    "A BSN is only recorded for flex workers, because the payroll requires it by law."
)


def _normalise(field: str, value: Any) -> Any:
    if not isinstance(value, str) or value == "":
        return value
    value = value.strip()
    if field == "postcode":
        return normalise_postcode(value)
    if field == "phone":
        return normalise_phone(value)
    if field == "iban":
        return normalise_iban(value)
    if field == "bsn":
        return normalise_bsn(value)
    return value


def _subject(profile: CandidateProfile) -> Any:
    return profile.membership.user_id


def profiles_follow_renamed_memberships(
    sender: Any, memberships: list[Membership], **kwargs: Any
) -> None:
    """A person's name changed: their profiles take their memberships' new
    sort key (the caseload and the API list sort by it), in each organisation."""
    for membership in memberships:
        with organisation_scope(membership.organisation):
            CandidateProfile.objects.filter(membership=membership).update(
                sort_name=membership.sort_name
            )


@transaction.atomic
def candidate_profile_ensure(*, membership: Membership) -> CandidateProfile:
    """The candidate's profile, made on first use."""
    profile = CandidateProfile.objects.filter(membership=membership).first()
    if profile is not None:
        return profile
    profile = CandidateProfile(organisation_id=membership.organisation_id, membership=membership)
    profile.full_clean()
    profile.save()
    record(
        action=Action.CREATE,
        target=profile,
        fields=["membership"],
        purpose=Purpose.MEDIATION,
        subject=membership.user_id,
    )
    return profile


def allowed_fields(actor: Membership) -> tuple[str, ...]:
    return MANAGER_FIELDS if actor.role in (Role.ADMIN, Role.PROFESSIONAL) else CANDIDATE_FIELDS


@transaction.atomic
def candidate_profile_update(
    *, profile: CandidateProfile, by: Membership, data: dict[str, Any]
) -> CandidateProfile:
    """Change the fields in `data` (only those `by` may change); validate, save, audit.

    The BSN is normalised, accepted only for flex workers and unique within
    the organisation (checked on its blind index, never by decrypting).
    """
    permitted = allowed_fields(by)
    unknown = set(data) - set(permitted)
    if unknown:
        raise ValidationError(
            _("These fields cannot be changed here: %(fields)s."),
            params={"fields": ", ".join(sorted(unknown))},
        )
    errors: dict[str, list[Any]] = {}
    changed: list[str] = []
    for field, raw in data.items():
        try:
            value = _normalise(field, raw)
        except ValidationError as error:
            errors.setdefault(field, []).extend(error.messages)
            continue
        if getattr(profile, field) != value:
            setattr(profile, field, value)
            changed.append(field)
    if errors:
        raise ValidationError(errors)
    if profile.bsn and not profile.is_worker:
        raise ValidationError({"bsn": [BSN_ONLY_FOR_WORKERS]})
    if "bsn" in changed and profile.bsn:
        index = blind_index(profile.bsn, organisation=profile.organisation_id)
        if CandidateProfile.objects.filter(bsn_index=index).exclude(pk=profile.pk).exists():
            raise ValidationError({"bsn": [DUPLICATE_BSN]})
    if not changed:
        return profile
    profile.full_clean()
    try:
        with transaction.atomic():
            profile.save()
    except IntegrityError:
        raise ValidationError({"bsn": [DUPLICATE_BSN]}) from None
    record(
        action=Action.UPDATE,
        target=profile,
        fields=sorted(changed),
        purpose=Purpose.MEDIATION,
        subject=_subject(profile),
    )
    return profile


@transaction.atomic
def contact_profile_save(*, membership: Membership, data: dict[str, Any]) -> ContactProfile:
    """Create or change the contact profile of an advisor, admin or employer contact (P4)."""
    profile = ContactProfile.objects.filter(membership=membership).first()
    created = profile is None
    if profile is None:
        profile = ContactProfile(organisation_id=membership.organisation_id, membership=membership)
    errors: dict[str, list[Any]] = {}
    changed = []
    for field in ("name", "postcode", "email", "phone", "profile_text"):
        if field not in data:
            continue
        try:
            value = _normalise(field, data[field])
        except ValidationError as error:
            errors[field] = list(error.messages)
            continue
        if getattr(profile, field) != value:
            setattr(profile, field, value)
            changed.append(field)
    if errors:
        raise ValidationError(errors)
    if not changed and not created:
        return profile
    profile.full_clean()
    profile.save()
    record(
        action=Action.CREATE if created else Action.UPDATE,
        target=profile,
        fields=sorted(changed),
        purpose=Purpose.MEDIATION,
        subject=membership.user_id,
    )
    return profile


def _section_fields(model: type[models.Model]) -> list[str]:
    skip = {"id", "organisation", "profile", "created_at", "updated_at"}
    return [f.name for f in model._meta.concrete_fields if f.name not in skip]


@transaction.atomic
def section_entry_create(
    *, profile: CandidateProfile, model: type[Section], data: dict[str, Any]
) -> Section:
    """Add an entry to a section of the profile (work history, skills, ...)."""
    entry = model(organisation_id=profile.organisation_id, profile=profile)
    names = _section_fields(model)
    for field, value in data.items():
        if field not in names:
            raise ValidationError(_("Unknown field: %(field)s."), params={"field": field})
        setattr(entry, field, value)
    entry.full_clean()
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        raise ValidationError(_("This entry is already on the profile.")) from None
    record(
        action=Action.CREATE,
        target=entry,
        fields=sorted(data),
        purpose=Purpose.MEDIATION,
        subject=_subject(profile),
    )
    return entry


@transaction.atomic
def section_entry_update(*, entry: Section, data: dict[str, Any]) -> Section:
    names = _section_fields(type(entry))
    changed = []
    for field, value in data.items():
        if field not in names:
            raise ValidationError(_("Unknown field: %(field)s."), params={"field": field})
        if getattr(entry, field) != value:
            setattr(entry, field, value)
            changed.append(field)
    if not changed:
        return entry
    entry.full_clean()
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError:
        raise ValidationError(_("This entry is already on the profile.")) from None
    record(
        action=Action.UPDATE,
        target=entry,
        fields=sorted(changed),
        purpose=Purpose.MEDIATION,
        subject=_subject(entry.profile),
    )
    return entry


@transaction.atomic
def section_entry_delete(*, entry: Section) -> None:
    record(
        action=Action.DELETE,
        target=entry,
        purpose=Purpose.MEDIATION,
        subject=_subject(entry.profile),
    )
    entry.delete()


@transaction.atomic
def scheme_create(*, organisation_id: Any, name: str, description: str = "") -> Scheme:
    scheme = Scheme(organisation_id=organisation_id, name=name.strip(), description=description)
    scheme.full_clean()
    scheme.save()
    return scheme


@transaction.atomic
def scheme_set_active(*, scheme: Scheme, is_active: bool) -> Scheme:
    """Schemes are retired, not deleted: profiles that name one keep it."""
    scheme.is_active = is_active
    scheme.save(update_fields=["is_active", "updated_at"])
    return scheme


@transaction.atomic
def profile_share(
    *,
    profile: CandidateProfile,
    employer: Employer,
    by: Membership,
    includes_documents: bool | None = None,
) -> ProfileShare:
    """One half of sharing a profile with an employer.

    The candidate's half is consent; an advisor's or admin's half is the act
    of sharing. The share shows the profile to the employer only when both
    halves are there; either may come first.

    `includes_documents`: whether the employer also sees the CV, diplomas and
    photos. The first half decides (default: no); the second half agrees to
    the share as it stands, so asking for something else is refused: stop
    the share and share again.
    """
    if employer.organisation_id != profile.organisation_id:
        raise ValidationError(_("Choose an employer of this organisation."))
    if not may_process(profile.membership_id, ProcessingPurpose.SHARING):
        raise ValidationError(SHARING_RESTRICTED)
    share = ProfileShare.objects.filter(
        profile=profile, employer=employer, revoked_at__isnull=True
    ).first()
    created = share is None
    if share is None:
        share = ProfileShare(
            organisation_id=profile.organisation_id,
            profile=profile,
            employer=employer,
            includes_documents=bool(includes_documents),
        )
    elif includes_documents is not None and includes_documents != share.includes_documents:
        raise ValidationError(
            {
                "includes_documents": _(
                    "This share is waiting or running with other documents. Stop it and "
                    "share again to change whether the CV and diplomas are included."
                )
            }
        )
    now = timezone.now()
    changed = ["includes_documents"] if created and includes_documents else []
    if by.role == Role.CANDIDATE:
        if profile.membership_id != by.pk:
            raise ValidationError(_("Only the candidate can agree to sharing their profile."))
        if share.candidate_consented_at is None:
            share.candidate_consented_at = now
            changed.append("candidate_consented_at")
    elif by.role in (Role.ADMIN, Role.PROFESSIONAL):
        if share.shared_at is None:
            share.shared_at = now
            share.shared_by = by
            changed += ["shared_at", "shared_by"]
    else:
        raise ValidationError(_("You cannot share profiles."))
    if not changed:
        return share
    share.full_clean()
    share.save()
    record(
        action=Action.CREATE if created else Action.UPDATE,
        target=share,
        fields=changed,
        purpose=Purpose.MEDIATION,
        subject=_subject(profile),
    )
    if share.is_active:  # both halves are there now: the employer may look
        _tell_employer(share, employer)
    return share


def _tell_employer(share: ProfileShare, employer: Employer) -> None:
    """Notify the employer's contact persons (their members) of a new shared profile."""
    notify_many(
        recipients=Membership.objects.filter(
            role=Role.EMPLOYER, employer=employer, is_active=True
        ).order_by("pk"),
        kind=Kind.PROFILE_SHARED,
        params={"employer": employer.name},
        link=reverse("candidates:detail", args=[share.profile_id]),
        dedupe_key=f"profile-shared:{share.pk}",
    )


@transaction.atomic
def profile_share_revoke(*, share: ProfileShare, by: Membership) -> ProfileShare:
    """The candidate or an advisor stops the sharing; the employer loses access at once."""
    if share.revoked_at is not None:
        return share
    share.revoked_at = timezone.now()
    share.save(update_fields=["revoked_at", "updated_at"])
    record(
        action=Action.UPDATE,
        target=share,
        fields=["revoked_at"],
        purpose=Purpose.MEDIATION,
        subject=_subject(share.profile),
        detail="revoked",
    )
    return share
