"""Writes of vacancies: each in one transaction, each status step recorded.

Rules that hold whoever writes (form, API, job): a published vacancy has a
closing date that has not passed, a salary range runs from low to high, the
hours per week lie between 1 and 60 (the model's validators and constraints),
and only a draft can be published, only a published vacancy closed.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from passend.candidates.models import CandidateProfile
from passend.common.scope import organisation_scope
from passend.documents.models import Document
from passend.notifications.models import Kind
from passend.notifications.services import notify
from passend.taxonomy.models import Skill
from passend.tenancy.models import Employer, Membership, Organisation
from passend.vacancies import public, selectors
from passend.vacancies.models import (
    CLOSED_STAGES,
    HANDLER_STAGES,
    Application,
    ApplicationDocument,
    ApplicationEvent,
    CloseReason,
    Source,
    Stage,
    Vacancy,
    VacancyEvent,
    VacancySkill,
    VacancyStatus,
    rule_errors,
)

# What a copy takes over; its status, dates of publication and history start anew.
COPIED_FIELDS = (
    "employer",
    "title",
    "occupation",
    "description",
    "education_level",
    "hours_per_week",
    "contract_type",
    "start_date",
    "end_date",
    "postcode",
    "city",
    "work_mode",
    "salary_min",
    "salary_max",
    "salary_period",
    "positions",
)


def check_rules(vacancy: Vacancy, *, today: date | None = None) -> None:
    """The vacancy's rules (models.rule_errors) as one ValidationError."""
    errors = rule_errors(vacancy, today or timezone.localdate())
    if errors:
        raise ValidationError(errors)


def _event(vacancy: Vacancy, by: Membership | None, **fields: Any) -> VacancyEvent:
    return VacancyEvent.objects.create(
        organisation_id=vacancy.organisation_id,
        vacancy=vacancy,
        status=vacancy.status,
        by_id=by.user_id if by is not None else None,
        **fields,
    )


@transaction.atomic
def vacancy_create(*, employer: Employer, by: Membership | None, **fields: Any) -> Vacancy:
    """A new draft for `employer`."""
    vacancy = Vacancy(
        organisation_id=employer.organisation_id,
        employer=employer,
        created_by_id=by.user_id if by is not None else None,
        status=VacancyStatus.DRAFT,
        **fields,
    )
    vacancy.full_clean()  # runs the rules too (Vacancy.clean)
    vacancy.save()
    _event(vacancy, by)
    return vacancy


@transaction.atomic
def vacancy_update(*, vacancy: Vacancy, by: Membership | None, **fields: Any) -> Vacancy:
    """Change what the vacancy says; its status changes only through the steps below."""
    fields.pop("status", None)
    for name, value in fields.items():
        setattr(vacancy, name, value)
    vacancy.full_clean()
    vacancy.save()
    if vacancy.status == VacancyStatus.PUBLISHED:  # the public pages show the change
        transaction.on_commit(lambda: public.forget_counts(vacancy.organisation_id))
    return vacancy


@transaction.atomic
def vacancy_publish(*, vacancy: Vacancy, by: Membership | None) -> Vacancy:
    locked = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if locked.status != VacancyStatus.DRAFT:
        raise ValidationError(_("Only a draft can be published."), code="not_draft")
    check_rules(locked)
    locked.status = VacancyStatus.PUBLISHED
    locked.published_at = timezone.now()
    locked.save(update_fields=["status", "published_at", "updated_at"])
    _event(locked, by)
    transaction.on_commit(lambda: public.forget_counts(locked.organisation_id))
    return locked


@transaction.atomic
def vacancy_close(*, vacancy: Vacancy, reason: str, by: Membership | None) -> Vacancy:
    if reason not in CloseReason.values:
        raise ValidationError(_("Choose why the vacancy closes."), code="reason")
    locked = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if locked.status != VacancyStatus.PUBLISHED:
        raise ValidationError(_("Only a published vacancy can be closed."), code="not_published")
    locked.status = VacancyStatus.CLOSED
    locked.closed_at = timezone.now()
    locked.close_reason = reason
    locked.save(update_fields=["status", "closed_at", "close_reason", "updated_at"])
    _event(locked, by, reason=reason)
    transaction.on_commit(lambda: public.forget_counts(locked.organisation_id))
    return locked


@transaction.atomic
def vacancy_duplicate(*, vacancy: Vacancy, by: Membership | None) -> Vacancy:
    """A new draft with the same content and skills; the closing date is left to choose."""
    copy = Vacancy(
        organisation_id=vacancy.organisation_id,
        created_by_id=by.user_id if by is not None else None,
        status=VacancyStatus.DRAFT,
        **{name: getattr(vacancy, name) for name in COPIED_FIELDS},
    )
    copy.title = _("%(title)s (copy)") % {"title": vacancy.title}
    copy.title = copy.title[: Vacancy._meta.get_field("title").max_length]
    copy.full_clean()
    copy.save()
    VacancySkill.objects.bulk_create(
        VacancySkill(
            organisation_id=copy.organisation_id,
            vacancy=copy,
            skill_id=link.skill_id,
            required=link.required,
        )
        for link in selectors.skills_of(vacancy)
    )
    _event(copy, by, copied_from=vacancy)
    return copy


@transaction.atomic
def vacancy_skill_add(*, vacancy: Vacancy, skill: Skill, required: bool) -> VacancySkill:
    link = VacancySkill(
        organisation_id=vacancy.organisation_id, vacancy=vacancy, skill=skill, required=required
    )
    link.full_clean()
    link.save()
    return link


def vacancy_skill_remove(*, vacancy: Vacancy, link_id: Any) -> None:
    VacancySkill.objects.filter(vacancy=vacancy, pk=link_id).delete()


def close_due_vacancies(*, today: date | None = None) -> int:
    """Close every published vacancy whose closing date has passed, in every
    active organisation (the daily job); how many were closed. Each in its own
    transaction, recorded like a manual close; safe to run again."""
    today = today or timezone.localdate()
    closed = 0
    for organisation in Organisation.objects.filter(is_active=True).order_by("pk"):
        with organisation_scope(organisation):
            for vacancy in list(selectors.due_to_close(today)):
                try:
                    vacancy_close(vacancy=vacancy, reason=CloseReason.CLOSING_DATE, by=None)
                except ValidationError:
                    continue  # closed by someone else meanwhile
                closed += 1
    return closed


# --- Applications ------------------------------------------------------------


def _application_event(
    application: Application, by: Membership | None, **fields: Any
) -> ApplicationEvent:
    return ApplicationEvent.objects.create(
        organisation_id=application.organisation_id,
        application=application,
        stage=application.stage,
        by_id=by.user_id if by is not None else None,
        **fields,
    )


@transaction.atomic
def application_create(
    *,
    vacancy: Vacancy,
    candidate: CandidateProfile,
    motivation: str = "",
    documents: list[Document] | None = None,
    by: Membership | None = None,
    source: str = Source.APPLIED,
    proposed_by_id: Any = None,
    statement_version: str = "",
) -> Application:
    """A candidate applies: to a published vacancy, once, with documents of their own.

    `source` says how it came in (in Passend, through an advisor's proposal,
    on the public page, where the statement version shown is kept)."""
    locked = Vacancy.objects.select_for_update().get(pk=vacancy.pk)
    if locked.status != VacancyStatus.PUBLISHED:
        raise ValidationError(
            _("This vacancy takes no applications: it is not open."), code="not_open"
        )
    chosen = list(documents or [])
    if any(document.candidate_id != candidate.pk for document in chosen):
        raise ValidationError({"documents": [_("Include only your own documents.")]})
    application = Application(
        organisation_id=vacancy.organisation_id,
        vacancy=locked,
        candidate=candidate,
        motivation=motivation,
        source=source,
        proposed_by_id=proposed_by_id,
        statement_version=statement_version,
    )
    application.full_clean()
    application.save()
    ApplicationDocument.objects.bulk_create(
        ApplicationDocument(
            organisation_id=application.organisation_id,
            application=application,
            document=document,
        )
        for document in chosen
    )
    _application_event(application, by)
    return application


@transaction.atomic
def application_move(
    *, application: Application, stage: str, by: Membership | None, rejection_reason: str = ""
) -> Application:
    """Whoever handles the vacancy moves an application to another stage of the pipeline."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.stage in CLOSED_STAGES:
        raise ValidationError(_("This application is closed."), code="closed")
    if stage not in HANDLER_STAGES:
        raise ValidationError({"stage": [_("Choose a stage of the pipeline.")]})
    if stage == Stage.REJECTED and not rejection_reason:
        raise ValidationError({"rejection_reason": [_("Say why the application is rejected.")]})
    if stage == locked.stage:
        return locked
    locked.stage = stage
    locked.rejection_reason = rejection_reason if stage == Stage.REJECTED else ""
    locked.closed_at = timezone.now() if stage in CLOSED_STAGES else None
    locked.save(update_fields=["stage", "rejection_reason", "closed_at", "updated_at"])
    _application_event(locked, by, rejection_reason=locked.rejection_reason)
    # The candidate hears of every step (the page says which, in their own words).
    notify(
        recipient=locked.candidate.membership,
        kind=Kind.APPLICATION_UPDATED,
        params={"title": locked.vacancy.title},
        link=reverse("vacancies:my_applications"),
    )
    return locked


@transaction.atomic
def application_withdraw(*, application: Application, by: Membership | None) -> Application:
    """The candidate withdraws; the application is closed from then on."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.stage in CLOSED_STAGES:
        raise ValidationError(_("This application is closed."), code="closed")
    locked.stage = Stage.WITHDRAWN
    locked.closed_at = timezone.now()
    locked.save(update_fields=["stage", "closed_at", "updated_at"])
    _application_event(locked, by)
    return locked
