"""Writes of vacancies: each in one transaction, each status step recorded.

Rules that hold whoever writes (form, API, job): a published vacancy has a
closing date that has not passed, a salary range runs from low to high, the
hours per week lie between 1 and 60 (the model's validators and constraints),
and only a draft can be published, only a published vacancy closed.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from passend.candidates.models import CandidateProfile
from passend.coaching.services import appointment_create, appointment_update
from passend.common.scope import organisation_scope
from passend.documents.models import Document, DocumentKind
from passend.documents.services import document_id_copy_update
from passend.notifications.models import Kind
from passend.notifications.services import notify
from passend.privacy.audit.models import Action
from passend.privacy.audit.services import record
from passend.privacy.datamap import Purpose
from passend.privacy.restriction.gate import (
    ProcessingBlocked,
    ProcessingPurpose,
    assert_may_process,
)
from passend.taxonomy.models import Skill
from passend.tenancy.models import Employer, Membership, Organisation, Role
from passend.vacancies import keep, public, selectors
from passend.vacancies.models import (
    CLOSED_STAGES,
    CONFIGURABLE_PHASES,
    HANDLER_STAGES,
    Application,
    ApplicationDocument,
    ApplicationEvent,
    ApplicationNote,
    CloseReason,
    PipelineStage,
    Proposal,
    ProposalStatus,
    RejectionReason,
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
    *,
    application: Application,
    stage: str = "",
    by: Membership | None,
    rejection_reason: str = "",
    step: PipelineStage | None = None,
) -> Application:
    """Whoever handles the vacancy moves an application to another stage of the pipeline.

    `step` is one of the organisation's own stages (its phase is the stage);
    `stage` alone moves to that phase's first stage. Hired and rejected close
    the application; a rejection needs a reason and asks the candidate
    whether the application may be kept a year.
    """
    if step is not None:
        if step.organisation_id != application.organisation_id:
            raise ValidationError({"stage": [_("Choose a stage of the pipeline.")]})
        stage = step.phase
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.stage in CLOSED_STAGES:
        raise ValidationError(_("This application is closed."), code="closed")
    if stage not in HANDLER_STAGES:
        raise ValidationError({"stage": [_("Choose a stage of the pipeline.")]})
    if rejection_reason and rejection_reason not in RejectionReason.values:
        raise ValidationError({"rejection_reason": [_("Choose a reason from the list.")]})
    if stage == Stage.REJECTED and not rejection_reason:
        raise ValidationError({"rejection_reason": [_("Say why the application is rejected.")]})
    step_id = step.pk if step is not None else None
    if stage == locked.stage and step_id == locked.step_id:
        return locked
    phase_changed = stage != locked.stage
    locked.stage = stage
    locked.step_id = step_id
    locked.rejection_reason = rejection_reason if stage == Stage.REJECTED else ""
    # The retention trigger `application_closed`: a rejection closes now; a
    # hire closes when the employment ends (application_employment_end).
    locked.closed_at = timezone.now() if stage == Stage.REJECTED else None
    locked.save(update_fields=["stage", "step", "rejection_reason", "closed_at", "updated_at"])
    _application_event(locked, by, rejection_reason=locked.rejection_reason)
    if not phase_changed:
        return locked  # a step within the same phase is the organisation's affair
    # The candidate hears of every step (the page says which, in their own words).
    notify(
        recipient=locked.candidate.membership,
        kind=Kind.APPLICATION_UPDATED,
        params={"title": locked.vacancy.title},
        link=reverse("vacancies:my_applications"),
    )
    if stage == Stage.REJECTED:
        transaction.on_commit(lambda: keep.ask(locked))
    if stage == Stage.HIRED and by is not None:
        _employment_starts(locked, by)
    return locked


def _employment_starts(application: Application, by: Membership) -> None:
    """A hire starts the employment: the candidate's ID copies now follow its rules
    (kept five years after it ends, documents/retention.py)."""
    today = timezone.localdate()
    for document in Document.objects.filter(
        candidate_id=application.candidate_id, kind=DocumentKind.ID_COPY, hired_at__isnull=True
    ):
        document_id_copy_update(
            document=document,
            by=by,
            bsn_masked=document.bsn_masked,
            hired_at=today,
            employment_ended_at=None,
        )


@transaction.atomic
def application_employment_end(
    *, application: Application, ended_on: date, by: Membership
) -> Application:
    """The hired candidate's employment ended: the application closes (its
    retention starts) and the ID copies count their five years from this day."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.stage != Stage.HIRED or locked.closed_at is not None:
        raise ValidationError(_("Only a hire whose employment runs can end."), code="not_hired")
    started = locked.events.filter(stage=Stage.HIRED).order_by("-created_at").first()
    if started is not None and ended_on < timezone.localtime(started.created_at).date():
        raise ValidationError(
            {"ended_on": [_("The employment cannot end before the candidate was hired.")]}
        )
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": [_("Enter a day that has passed or is today.")]})
    locked.closed_at = timezone.make_aware(datetime.combine(ended_on, time(23, 59)))
    locked.save(update_fields=["closed_at", "updated_at"])
    for document in Document.objects.filter(
        candidate_id=locked.candidate_id,
        kind=DocumentKind.ID_COPY,
        hired_at__isnull=False,
        employment_ended_at__isnull=True,
    ):
        document_id_copy_update(
            document=document,
            by=by,
            bsn_masked=document.bsn_masked,
            hired_at=document.hired_at,
            employment_ended_at=ended_on,
        )
    return locked


def application_bulk_move(
    *,
    applications: list[Application],
    by: Membership | None,
    stage: str = "",
    step: PipelineStage | None = None,
    rejection_reason: str = "",
) -> tuple[int, int]:
    """Move several applications at once; (moved, skipped). Each moves in its own
    transaction, so one that is closed meanwhile does not hold back the rest;
    a wrong stage or a rejection without a reason refuses them all, before any move."""
    if step is None and stage not in HANDLER_STAGES:
        raise ValidationError({"stage": [_("Choose a stage of the pipeline.")]})
    target = step.phase if step is not None else stage
    if target == Stage.REJECTED and not rejection_reason:
        raise ValidationError({"rejection_reason": [_("Say why the application is rejected.")]})
    moved = skipped = 0
    for application in applications:
        try:
            application_move(
                application=application,
                stage=stage,
                step=step,
                by=by,
                rejection_reason=rejection_reason,
            )
        except ValidationError:
            skipped += 1
        else:
            moved += 1
    return moved, skipped


@transaction.atomic
def application_withdraw(*, application: Application, by: Membership | None) -> Application:
    """The candidate withdraws; the application is closed from then on."""
    locked = Application.objects.select_for_update().get(pk=application.pk)
    if locked.stage in CLOSED_STAGES:
        raise ValidationError(_("This application is closed."), code="closed")
    locked.stage = Stage.WITHDRAWN
    locked.step = None
    locked.closed_at = timezone.now()
    locked.save(update_fields=["stage", "step", "closed_at", "updated_at"])
    _application_event(locked, by)
    return locked


# --- Notes and interviews ----------------------------------------------------


@transaction.atomic
def application_note_add(*, application: Application, by: Membership, text: str) -> ApplicationNote:
    """A note for the organisation's eyes only; the candidate's pages never show it."""
    note = ApplicationNote(
        organisation_id=application.organisation_id,
        application=application,
        author_id=by.user_id,
        text=text.strip(),
    )
    note.full_clean()
    note.save()
    record(
        action=Action.CREATE,
        target=note,
        fields=["text"],
        purpose=Purpose.MEDIATION,
        subject=application.candidate.membership.user_id,
        actor=by,
    )
    return note


@transaction.atomic
def application_interview_schedule(
    *,
    application: Application,
    by: Membership,
    starts_at: datetime,
    duration_minutes: int = 60,
    place: str = "",
    online_link: str = "",
    with_whom: str = "",
) -> Application:
    """Plan the job interview as an appointment in the candidate's calendar
    (they are notified, with an .ics); an application not yet at the
    interview moves there. A second call plans it anew."""
    locked = (
        Application.objects.select_for_update()
        .select_related("vacancy__employer")
        .get(pk=application.pk)
    )
    if locked.stage in CLOSED_STAGES:
        raise ValidationError(_("This application is closed."), code="closed")
    advisor = by if by.role in (Role.ADMIN, Role.PROFESSIONAL) else None
    details: dict[str, Any] = {
        "starts_at": starts_at,
        "duration_minutes": duration_minutes,
        "place": place,
        "online_link": online_link,
        "with_whom": with_whom or locked.vacancy.employer.name,
    }
    if locked.interview_id is not None:
        appointment = appointment_update(appointment=locked.interview, **details)
    else:
        appointment = appointment_create(
            candidate=locked.candidate, professional=advisor, **details
        )
        locked.interview = appointment
        locked.save(update_fields=["interview", "updated_at"])
    if locked.stage in (Stage.NEW, Stage.SCREENING):
        locked = application_move(application=locked, stage=Stage.INTERVIEW, by=by)
    return locked


# --- Proposals: an advisor proposes, the candidate decides -------------------


@transaction.atomic
def proposal_create(
    *, vacancy: Vacancy, candidate: CandidateProfile, by: Membership, message: str = ""
) -> Proposal:
    """An advisor proposes a candidate; nothing reaches the employer until the
    candidate accepts. Refused for a restricted or objecting candidate (the
    gate, purpose matching), a vacancy that is not open, and a candidate who
    applied already or is waiting to decide."""
    if by.role not in (Role.ADMIN, Role.PROFESSIONAL):
        raise ValidationError(_("Only career advisors propose candidates."), code="not_advisor")
    if candidate.organisation_id != vacancy.organisation_id:
        raise ValidationError({"candidate": [_("Choose a candidate of this organisation.")]})
    if vacancy.status != VacancyStatus.PUBLISHED:
        raise ValidationError(
            _("This vacancy takes no applications: it is not open."), code="not_open"
        )
    try:
        assert_may_process(candidate.membership_id, ProcessingPurpose.MATCHING)
    except ProcessingBlocked as blocked:
        raise ValidationError({"candidate": [blocked.message]}) from None
    if Application.objects.filter(vacancy=vacancy, candidate=candidate).exists():
        raise ValidationError({"candidate": [_("This candidate has applied already.")]})
    proposal = Proposal(
        organisation_id=vacancy.organisation_id,
        vacancy=vacancy,
        candidate=candidate,
        proposed_by_id=by.user_id,
        message=message.strip(),
    )
    proposal.full_clean()
    proposal.save()
    notify(
        recipient=candidate.membership,
        kind=Kind.APPLICATION_PROPOSED,
        params={"title": vacancy.title},
        link=reverse("vacancies:my_applications"),
        dedupe_key=f"proposal:{proposal.pk}",
    )
    return proposal


def _pending(proposal: Proposal, by: Membership) -> Proposal:
    locked = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if by.role != Role.CANDIDATE or locked.candidate.membership_id != by.pk:
        raise ValidationError(_("Only the candidate decides about a proposal."), code="not_theirs")
    if locked.status != ProposalStatus.PENDING:
        raise ValidationError(_("This proposal has been decided already."), code="decided")
    return locked


@transaction.atomic
def proposal_accept(
    *,
    proposal: Proposal,
    by: Membership,
    motivation: str = "",
    documents: list[Document] | None = None,
) -> Application:
    """The candidate says yes: an application with the documents they choose."""
    locked = _pending(proposal, by)
    application = application_create(
        vacancy=locked.vacancy,
        candidate=locked.candidate,
        motivation=motivation,
        documents=documents,
        by=by,
        source=Source.PROPOSED,
        proposed_by_id=locked.proposed_by_id,
    )
    locked.status = ProposalStatus.ACCEPTED
    locked.decided_at = timezone.now()
    locked.application = application
    locked.save(update_fields=["status", "decided_at", "application", "updated_at"])
    return application


@transaction.atomic
def proposal_decline(*, proposal: Proposal, by: Membership) -> Proposal:
    """The candidate says no; the employer never hears of it."""
    locked = _pending(proposal, by)
    locked.status = ProposalStatus.DECLINED
    locked.decided_at = timezone.now()
    locked.save(update_fields=["status", "decided_at", "updated_at"])
    return locked


# --- The organisation's own pipeline -----------------------------------------

# Every application starts and ends in one of these: each keeps at least one stage.
KEPT_PHASES = (Stage.NEW, Stage.HIRED, Stage.REJECTED)


@transaction.atomic
def stages_materialise(organisation_id: Any) -> list[PipelineStage]:
    """The organisation's stages as rows: the defaults are written down on the first change."""
    Organisation.objects.select_for_update().filter(pk=organisation_id).first()
    stages = list(PipelineStage.objects.filter(organisation_id=organisation_id))
    if stages:
        return stages
    return PipelineStage.objects.bulk_create(
        PipelineStage(
            organisation_id=organisation_id,
            name=str(capfirst(phase.label)),
            phase=phase,
            position=number,
        )
        for number, phase in enumerate(CONFIGURABLE_PHASES)
    )


@transaction.atomic
def stage_create(*, organisation_id: Any, name: str, phase: str) -> PipelineStage:
    """A stage of the organisation's own, last of its phase."""
    stages = stages_materialise(organisation_id)
    after = [stage.position for stage in stages if stage.phase == phase]
    position = max(after) + 1 if after else len(stages)
    PipelineStage.objects.filter(organisation_id=organisation_id, position__gte=position).update(
        position=F("position") + 1
    )
    stage = PipelineStage(
        organisation_id=organisation_id, name=name.strip(), phase=phase, position=position
    )
    stage.full_clean()
    stage.save()
    return stage


@transaction.atomic
def stage_rename(*, stage: PipelineStage, name: str) -> PipelineStage:
    stage.name = name.strip()
    stage.full_clean()
    stage.save(update_fields=["name", "updated_at"])
    return stage


@transaction.atomic
def stage_shift(*, stage: PipelineStage, by: int) -> PipelineStage:
    """Move a stage one place up (-1) or down (+1) within its phase: the phases keep
    the pipeline's order, so "hired" never comes before "interview"."""
    stages = [s for s in stages_materialise(stage.organisation_id) if s.phase == stage.phase]
    stages.sort(key=lambda s: (s.position, s.created_at))
    index = next(i for i, s in enumerate(stages) if s.pk == stage.pk)
    other = index + by
    if 0 <= other < len(stages):
        mine, theirs = stages[index].position, stages[other].position
        if mine == theirs:  # equal positions: make room
            theirs = mine + by
        PipelineStage.objects.filter(pk=stages[index].pk).update(position=theirs)
        PipelineStage.objects.filter(pk=stages[other].pk).update(position=mine)
    stage.refresh_from_db()
    return stage


@transaction.atomic
def stage_delete(*, stage: PipelineStage) -> None:
    """Remove a stage that holds no open application; the phases that start and
    end every application (new, hired, rejected) keep at least one stage."""
    siblings = PipelineStage.objects.filter(
        organisation_id=stage.organisation_id, phase=stage.phase
    ).exclude(pk=stage.pk)
    if stage.phase in KEPT_PHASES and not siblings.exists():
        raise ValidationError(
            _("The pipeline needs a stage meaning “%(phase)s”: rename this one instead.")
            % {"phase": Stage(stage.phase).label},
            code="last_of_phase",
        )
    if Application.objects.filter(step=stage, closed_at__isnull=True).exists():
        raise ValidationError(
            _("Applications are in this stage: move them to another stage first."),
            code="in_use",
        )
    stage.delete()
