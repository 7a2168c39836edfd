"""Writes of CV imports: read an upload into a proposal, confirm or drop its
parts, purge what was left waiting (docs/cvimport.md).

Nothing reaches the profile before the person confirms a part; each part is
confirmed on its own, once. Work history, education and skills are written
through `candidates.services.section_entry_create` and contact details
through `candidate_profile_update`, so they are validated and audited like
every other profile edit.
"""

from __future__ import annotations

import calendar
import json
from collections.abc import Iterable
from dataclasses import asdict
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from passend.candidates import services as candidate_services
from passend.candidates.models import (
    CandidateProfile,
    CandidateSkill,
    Education,
    WorkExperience,
)
from passend.common.scope import organisation_scope
from passend.cvimport import linking
from passend.cvimport.extract import DOCX, PDF, ExtractionFailed, extract_text
from passend.cvimport.models import CvImport, ImportStatus, LanguageSkill, Part
from passend.cvimport.parsing import READ_LANGUAGES, parse_cv
from passend.documents import scanning
from passend.documents.services import rule_for
from passend.documents.validation import KindRule, check_upload, spool
from passend.privacy.audit.models import Action
from passend.privacy.audit.services import record
from passend.privacy.datamap import Purpose
from passend.tenancy.models import Membership, Organisation

KEEP_FOR = timedelta(days=30)
CONTACT_FIELDS = (
    "first_name",
    "last_name",
    "email",
    "phone",
    "street",
    "house_number",
    "postcode",
    "city",
)
ALREADY_REVIEWED = _("This part was already added to the profile.")


def upload_rule() -> KindRule:
    """PDF or Word, at the CV kind's size limit (`PASSEND_DOCUMENT_MAX_BYTES["cv"]`)."""
    return KindRule(frozenset({PDF, DOCX}), rule_for("cv").max_bytes)


def _subject(profile: CandidateProfile) -> Any:
    return profile.membership.user_id


@transaction.atomic
def cv_import_create(
    *, profile: CandidateProfile, by: Membership, name: str, chunks: Iterable[bytes]
) -> CvImport:
    """Check the upload by its content, scan it, read it and store the proposal.

    Raises `documents.validation.UploadRejected` (not a PDF or DOCX, too
    large, empty, active content, a virus) or `extract.ExtractionFailed` (a
    password, a scan, a language we do not read, nothing found). The file
    itself is dropped once read.
    """
    rule = upload_rule()
    with spool(chunks, limit=rule.max_bytes) as spooled:
        size = spooled.seek(0, 2)
        checked = check_upload(name=name, spooled=spooled, size=size, rule=rule)
        scanning.scan(spooled)
    extracted = extract_text(checked.data, checked.content_type)
    parsed = parse_cv(extracted.text)
    if parsed.language and parsed.language not in READ_LANGUAGES:
        raise ExtractionFailed(
            _(
                "This CV seems to be written in another language than Dutch or English. "
                "Only Dutch and English CVs can be read; fill in the profile by hand."
            ),
            code="language",
        )
    language = parsed.language or "nl"
    proposal: dict[str, Any] = {
        "language": language,
        "notices": ["truncated"] if extracted.truncated else [],
        "pages": extracted.pages,
        "contact": {k: v for k, v in asdict(parsed.contact).items() if v},
        "work": [
            {**asdict(item), "occupations": linking.occupations_for(item.role, language)}
            for item in parsed.work[:30]
        ],
        "education": [asdict(item) for item in parsed.education[:20]],
        "skills": [
            {"phrase": phrase, "level": level, "skills": linking.skills_for(phrase, language)}
            for phrase, level in parsed.skills
        ],
        "languages": [asdict(item) for item in parsed.languages],
    }
    if not any(proposal[part] for part in Part.values):
        raise ExtractionFailed(
            _(
                "We could not find a work history, education, skills, languages or "
                "contact details in this file. Is it a CV?"
            ),
            code="nothing_found",
        )
    cv_import = CvImport(
        organisation_id=profile.organisation_id,
        profile=profile,
        uploaded_by=by.user,
        language=language,
        proposal=json.dumps(proposal),
    )
    # Parts with nothing to propose count as reviewed.
    cv_import.reviewed_parts = ",".join(p for p in Part.values if not proposal[p])
    cv_import.full_clean()
    cv_import.save()
    record(
        action=Action.CREATE,
        target=cv_import,
        fields=["proposal"],
        purpose=Purpose.MEDIATION,
        subject=_subject(profile),
    )
    return cv_import


def _month_date(value: str, *, end: bool) -> date | None:
    """ "2018" or "2018-03" as a date: the first day, or for an end the last
    day of the year or month (never after today)."""
    if not value:
        return None
    year_text, _dash, month_text = value.partition("-")
    year = int(year_text)
    month = int(month_text) if month_text else (12 if end else 1)
    day = calendar.monthrange(year, month)[1] if end else 1
    found = date(year, month, day)
    return min(found, timezone.localdate()) if end else found


def proposed_dates(item: dict[str, Any]) -> tuple[date | None, date | None]:
    start = _month_date(item.get("start", ""), end=False)
    end = None if item.get("current") else _month_date(item.get("end", ""), end=True)
    return start, end


def _mark_reviewed(cv_import: CvImport, part: str) -> None:
    parts = [*cv_import.reviewed, part]
    cv_import.reviewed_parts = ",".join(p for p in Part.values if p in parts)
    if all(p in parts for p in Part.values):
        cv_import.status = ImportStatus.DONE
    cv_import.save(update_fields=["reviewed_parts", "status", "updated_at"])
    record(
        action=Action.UPDATE,
        target=cv_import,
        fields=["reviewed_parts"],
        purpose=Purpose.MEDIATION,
        subject=_subject(cv_import.profile),
        detail=part,
    )


@transaction.atomic
def cv_import_confirm(
    *, cv_import: CvImport, part: str, by: Membership, items: list[dict[str, Any]]
) -> int:
    """Write the accepted (and perhaps edited) `items` of one part to the profile.

    Contact details: one item, the fields to change. Work history,
    education: one item per entry, in the section's fields. Skills:
    `{"skill": Skill, "level": ...}`. Languages: `{"language", "level"}`.
    Entries the profile already has are skipped, and a part is confirmed
    once: a second time raises ValidationError. Returns the number of
    entries written.
    """
    locked = CvImport.objects.select_for_update().get(pk=cv_import.pk)
    if part not in Part.values:
        raise ValidationError(_("Unknown part."))
    if part in locked.reviewed:
        raise ValidationError(ALREADY_REVIEWED)
    profile = locked.profile
    written = 0
    if part == Part.CONTACT:
        data = {k: v for item in items for k, v in item.items() if k in CONTACT_FIELDS}
        if data:
            candidate_services.candidate_profile_update(profile=profile, by=by, data=data)
            written = len(data)
    elif part == Part.WORK:
        for item in items:
            exists = WorkExperience.objects.filter(
                profile=profile,
                employer_name__iexact=item["employer_name"],
                role__iexact=item["role"],
                started_on=item["started_on"],
            ).exists()
            if not exists:
                candidate_services.section_entry_create(
                    profile=profile, model=WorkExperience, data=item
                )
                written += 1
    elif part == Part.EDUCATION:
        for item in items:
            exists = Education.objects.filter(
                profile=profile,
                institution__iexact=item["institution"],
                programme__iexact=item["programme"],
            ).exists()
            if not exists:
                candidate_services.section_entry_create(profile=profile, model=Education, data=item)
                written += 1
    elif part == Part.SKILLS:
        for item in items:
            if not CandidateSkill.objects.filter(profile=profile, skill=item["skill"]).exists():
                candidate_services.section_entry_create(
                    profile=profile, model=CandidateSkill, data=item
                )
                written += 1
    else:
        for item in items:
            written += language_skill_save(profile=profile, **item)
    _mark_reviewed(locked, part)
    cv_import.refresh_from_db()
    return written


def language_skill_save(*, profile: CandidateProfile, language: str, level: str) -> int:
    """Add a language to the profile, or change its level; 1 when something changed."""
    found = LanguageSkill.objects.filter(profile=profile, language=language).first()
    created = found is None
    if found is None:
        found = LanguageSkill(
            organisation_id=profile.organisation_id, profile=profile, language=language
        )
    elif found.level == level:
        return 0
    found.level = level
    found.full_clean()
    found.save()
    record(
        action=Action.CREATE if created else Action.UPDATE,
        target=found,
        fields=["language", "level"] if created else ["level"],
        purpose=Purpose.MEDIATION,
        subject=_subject(profile),
    )
    return 1


@transaction.atomic
def cv_import_skip(*, cv_import: CvImport, part: str) -> None:
    """Drop a whole part: nothing of it reaches the profile."""
    if part not in Part.values:
        raise ValidationError(_("Unknown part."))
    if part not in cv_import.reviewed:
        _mark_reviewed(cv_import, part)


@transaction.atomic
def cv_import_delete(*, cv_import: CvImport) -> None:
    """Forget an import and its proposal (what was confirmed stays on the profile)."""
    record(
        action=Action.DELETE,
        target=cv_import,
        purpose=Purpose.MEDIATION,
        subject=_subject(cv_import.profile),
    )
    cv_import.delete()


def cv_imports_purge_expired(*, now: datetime | None = None) -> int:
    """Delete every import older than 30 days, in every organisation (the data map's retention)."""
    cutoff = (now or timezone.now()) - KEEP_FOR
    deleted = 0
    for organisation in Organisation.objects.all():
        with organisation_scope(organisation), transaction.atomic():
            count, _by_model = CvImport.objects.filter(created_at__lt=cutoff).delete()
            deleted += count
    return deleted
