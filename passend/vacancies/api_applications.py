"""Applications in the API (/api/v1/): the pipeline and its stages, a
candidate's own applications, private notes, interviews, the included
documents, the end of an employment and proposals.

The same rules as the pages (pipeline_views.py, views.py): whoever handles a
vacancy (advisors, admins, the employer's contact for their own company) sees
and moves its applications, reads the documents included and keeps notes on
them; a candidate sees only their own applications, in their own words,
without notes or who did what; only advisors and admins propose candidates,
and only the candidate answers a proposal; only admins change the
organisation's stages. Another organisation's or company's application, vacancy or
proposal is a 404, never a 403; bad input is a 422 problem and saves nothing.
"""

# No `from __future__ import annotations` here: ninja reads the parameters of a
# `@paginate`d operation through its wrapper, which cannot resolve string annotations.

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any, Literal
from uuid import UUID

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import OuterRef, Prefetch, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from passend.candidates.models import CandidateProfile
from passend.common.adapters import get_or_404
from passend.common.api.actor import actor_of, membership_of
from passend.common.api.pagination import PagePagination
from passend.common.api.problems import Problem
from passend.common.api.schemas import problems
from passend.documents.models import Document
from passend.documents.services import document_download
from passend.documents.validation import UploadRejected
from passend.documents.views import attachment
from passend.tenancy.models import Membership, Role
from passend.vacancies import selectors, services
from passend.vacancies.access import (
    EDITORS,
    MANAGERS,
    applications_for_actor,
    get_vacancy_for_actor,
    own_profile,
)
from passend.vacancies.models import (
    STAGE_FOR_CANDIDATE,
    Application,
    ApplicationEvent,
    PipelineStage,
    Proposal,
    RejectionReason,
    Source,
    Stage,
    Vacancy,
    VacancyStatus,
)

router = Router(tags=["applications"])

MAX_DOCUMENTS = 20
MAX_BULK = 1000  # applications one bulk move takes
# A stage's name taken already is the model's error of the whole stage: the API says `name`.
NAME_TAKEN: dict[str, str] = {NON_FIELD_ERRORS: "name"}


# --- Schemas -----------------------------------------------------------------


class CandidateRef(Schema):
    id: UUID
    name: str


class InterviewOut(Schema):
    starts_at: datetime
    duration_minutes: int
    place: str
    online_link: str
    with_whom: str


class IncludedDocumentOut(Schema):
    id: UUID
    kind: str
    name: str


class EventOut(Schema):
    stage: Stage
    stage_name: str = Field(
        description="Whoever handles the vacancy: the phase's name. The candidate: the stage "
        "in their own words."
    )
    rejection_reason: str
    at: datetime
    by_name: str | None = Field(
        description="Who took the step, for whoever handles the vacancy; always empty for the "
        "candidate."
    )


class ApplicationOut(Schema):
    """An application in a list: never the motivation.

    Whoever handles the vacancy reads the organisation's own stage names; the
    candidate reads their own application with the stages in their own words
    ("invited for an interview"), never who did what, and never the notes.
    """

    id: UUID
    vacancy_id: UUID
    vacancy_title: str = Field(alias="vacancy.title")
    employer_name: str = Field(alias="vacancy.employer.name")
    candidate: CandidateRef
    stage: Stage = Field(description="The phase, which fixes the rules.")
    stage_name: str = Field(
        description="Whoever handles the vacancy: the organisation's own name of the stage. "
        "The candidate: the stage in their own words."
    )
    source: Source
    rejection_reason: str = Field(description="Set when rejected.")
    created_at: datetime
    closed_at: datetime | None
    interview: InterviewOut | None
    documents: list[IncludedDocumentOut] = Field(description="The documents included.")

    @staticmethod
    def resolve_candidate(obj: Application) -> dict[str, Any]:
        return {"id": obj.candidate_id, "name": obj.candidate.display_name}

    @staticmethod
    def resolve_stage_name(obj: Application, context: Any) -> str:
        if not _handles(context):
            return _for_candidate(obj.stage)
        return _stage_name(obj)

    @staticmethod
    def resolve_documents(obj: Application) -> list[dict[str, Any]]:
        return [
            {"id": a.document_id, "kind": a.document.kind, "name": a.document.original_name}
            for a in obj.attachments.all()
        ]


class ApplicationDetailOut(ApplicationOut):
    motivation: str
    history: list[EventOut] = Field(description="Every step, oldest first.")

    @staticmethod
    def resolve_history(obj: Application, context: Any) -> list[dict[str, Any]]:
        handler = _handles(context)
        return [
            {
                "stage": event.stage,
                "stage_name": str(Stage(event.stage).label)
                if handler
                else _for_candidate(event.stage),
                "rejection_reason": event.rejection_reason,
                "at": event.created_at,
                "by_name": _name(event.by) if handler else None,
            }
            for event in obj.events.all()
        ]


class ListIn(Schema):
    stage: Stage | None = Field(None, description="Only the applications in this phase.")


class ApplyIn(Schema):
    motivation: str = Field("", max_length=5000)
    document_ids: list[UUID] = Field(
        default_factory=list,
        max_length=MAX_DOCUMENTS,
        description="Documents of your own to include; the rest are not shown.",
    )


class MoveIn(Schema):
    stage: Stage | None = Field(
        None, description="A phase: the application goes to its first stage."
    )
    stage_id: UUID | None = Field(None, description="One of the organisation's own stages.")
    rejection_reason: RejectionReason | None = Field(None, description="Required when rejecting.")


class BulkMoveIn(MoveIn):
    application_ids: list[UUID] = Field(
        min_length=1, max_length=MAX_BULK, description="Applications to this vacancy."
    )


class BulkMovedOut(Schema):
    moved: int
    skipped: int = Field(description="Closed (meanwhile): not moved.")


class EmploymentEndIn(Schema):
    ended_on: date = Field(
        description="The last day of the employment: not before the hire, not in the future."
    )


class StageOut(Schema):
    id: UUID | None = Field(
        description="Empty for a default stage while the organisation has changed none."
    )
    key: str = Field(description="What the stage's path takes: its id, or a default's phase.")
    name: str = Field(description="The organisation's own name.")
    phase: Stage = Field(
        description="The meaning, which fixes the rules and the candidate's words."
    )
    position: int = Field(description="The place in the pipeline, from 0.")


class StageIn(Schema):
    name: str = Field(max_length=60)
    phase: Stage = Field(description="The meaning; any phase but `withdrawn`.")


class StagePatch(Schema):
    name: str | None = Field(None, max_length=60)
    move: Literal["up", "down"] | None = Field(
        None, description="One place within its meaning: the meanings keep their order."
    )


class NoteIn(Schema):
    text: str = Field(max_length=4000)


class NoteOut(Schema):
    id: UUID
    text: str
    author_name: str | None
    created_at: datetime

    @staticmethod
    def resolve_author_name(obj: Any) -> str | None:
        return _name(obj.author)


class InterviewIn(Schema):
    starts_at: datetime = Field(description="Without a time zone: the organisation's local time.")
    duration_minutes: int = Field(45, ge=5, le=600)
    place: str = Field("", max_length=200)
    online_link: str = Field("", max_length=500, description="An https:// address.")
    with_whom: str = Field("", max_length=200, description="The employer's name when empty.")


class ProposeIn(Schema):
    candidate_id: UUID
    message: str = Field("", max_length=2000, description="For the candidate to read.")


class ProposalOut(Schema):
    id: UUID
    vacancy_id: UUID
    candidate_id: UUID
    status: str
    message: str
    created_at: datetime
    decided_at: datetime | None


class MyProposalOut(Schema):
    id: UUID
    vacancy_id: UUID
    vacancy_title: str = Field(alias="vacancy.title")
    employer_name: str = Field(alias="vacancy.employer.name")
    proposed_by_name: str | None
    message: str
    status: str
    created_at: datetime
    decided_at: datetime | None

    @staticmethod
    def resolve_proposed_by_name(obj: Proposal) -> str | None:
        return _name(obj.proposed_by)


# --- Helpers -----------------------------------------------------------------


def _for_candidate(stage: str) -> str:
    return str(STAGE_FOR_CANDIDATE.get(Stage(stage), stage))


def _stage_name(application: Application) -> str:
    """The organisation's name of the stage: its own step, else the first stage of
    the phase (selectors.stages_of), else the phase's default name."""
    step = application.step
    if step is not None and step.phase == application.stage:
        return step.name
    return getattr(application, "phase_stage_name", None) or str(Stage(application.stage).label)


def _handles(context: Any) -> bool:
    """Whether the caller handles the vacancy (else it is the candidate, reading their own).
    Without a request to tell, the candidate's view: it says the least."""
    request = (context or {}).get("request")
    if request is None:
        return False
    membership = actor_of(request).membership
    return membership is not None and membership.role in EDITORS


def _name(user: Any) -> str | None:
    return (user.name or user.email) if user is not None else None


def _rows(applications: QuerySet[Application]) -> QuerySet[Application]:
    """What an item shows, in a fixed number of queries however long the page."""
    first_of_phase = PipelineStage.objects.filter(
        organisation_id=OuterRef("organisation_id"), phase=OuterRef("stage")
    ).order_by("position", "created_at")
    return (
        applications.select_related(
            "candidate__membership__user", "interview", "step", "vacancy__employer"
        )
        .annotate(phase_stage_name=Subquery(first_of_phase.values("name")[:1]))
        .prefetch_related("attachments__document")
    )


def _with_history(applications: QuerySet[Application]) -> QuerySet[Application]:
    return _rows(applications).prefetch_related(
        Prefetch(
            "events",
            queryset=ApplicationEvent.objects.select_related("by").order_by("created_at", "pk"),
        )
    )


def _editor(request: HttpRequest) -> Membership:
    membership: Membership = membership_of(actor_of(request))
    if membership.role not in EDITORS:
        raise Problem(
            403, _("Only career advisors, administrators and employers manage vacancies.")
        )
    return membership


def _candidate(request: HttpRequest) -> Membership:
    membership: Membership = membership_of(actor_of(request))
    if membership.role != Role.CANDIDATE:
        raise Problem(403, _("Only candidates apply to vacancies."))
    return membership


def _handled(membership: Membership, application_id: UUID, *, full: bool = True) -> Application:
    """An application to a vacancy the caller handles, with what its page shows
    (`full`) or bare, to write to; 404 for anyone else, the candidate too (notes
    and moves are never theirs)."""
    if membership.role not in EDITORS:
        raise Problem(404)
    applications = applications_for_actor(membership)
    found: Application = get_or_404(
        _with_history(applications) if full else applications.select_related("candidate"),
        application_id,
    )
    return found


def _own(membership: Membership, application_id: UUID) -> Application:
    """The candidate's own application; 404 for anyone else."""
    if membership.role != Role.CANDIDATE:
        raise Problem(404)
    found: Application = get_or_404(
        _with_history(applications_for_actor(membership)), application_id
    )
    return found


@contextmanager
def _named(**names: str) -> Iterator[None]:
    """A service's field errors under the names the API's body uses."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError(
            {names.get(field, field): errors for field, errors in error.error_dict.items()}
        ) from None


def _target(payload: MoveIn) -> dict[str, Any]:
    """The move service's target: a phase (`stage`) or one of the organisation's
    own stages (`stage_id`), exactly one of them."""
    if (payload.stage is None) == (payload.stage_id is None):
        raise ValidationError({"stage": [_("Give either stage or stage_id.")]})
    if payload.stage is not None:
        return {"stage": payload.stage}
    step = PipelineStage.objects.filter(pk=payload.stage_id).first()
    if step is None:  # another organisation's is unknown here, like a missing one
        raise ValidationError({"stage_id": [_("Choose a stage of the pipeline.")]})
    return {"step": step}


def _own_documents(profile: CandidateProfile, ids: list[UUID]) -> list[Document]:
    """The candidate's own documents among `ids`; any other id refuses them all
    (another person's document is unknown here, like a missing one)."""
    wanted = set(ids)
    documents = list(Document.objects.filter(candidate=profile, pk__in=wanted))
    if len(documents) != len(wanted):
        raise ValidationError({"document_ids": [_("Include only your own documents.")]})
    return documents


def _aware(moment: datetime) -> datetime:
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


# --- The pipeline: whoever handles the vacancy ---------------------------------


@router.get(
    "/vacancies/{vacancy_id}/applications",
    response={200: list[ApplicationOut], **problems(403, 404, 422)},
    summary="The applications to a vacancy",
    description="Whoever handles the vacancy: advisors and admins, the employer's contact for "
    "their own company. Oldest first; `stage` narrows to one phase. Never the motivation.",
    operation_id="vacancy_applications",
)
@paginate(PagePagination)
def vacancy_applications(request: HttpRequest, vacancy_id: UUID, query: Query[ListIn]) -> Any:
    vacancy = get_vacancy_for_actor(_editor(request), vacancy_id)
    applications = Application.objects.filter(vacancy=vacancy)
    if query.stage is not None:
        applications = applications.filter(stage=query.stage)
    return _rows(applications).order_by("created_at", "pk")


@router.get(
    "/applications/{application_id}",
    response={200: ApplicationDetailOut, **problems(404)},
    summary="One application",
    description="Whoever handles the vacancy: the application with the motivation and its "
    "history. The candidate: their own, with the stages in their own words and without "
    "who did what.",
    operation_id="application_detail",
)
def application_detail(request: HttpRequest, application_id: UUID) -> Any:
    membership = membership_of(actor_of(request))
    if membership.role == Role.CANDIDATE:
        return _own(membership, application_id)
    return _handled(membership, application_id)


@router.post(
    "/applications/{application_id}/move",
    response={200: ApplicationDetailOut, **problems(404, 422)},
    summary="Move an application to another stage",
    description="Give `stage` (a phase) or `stage_id` (one of the organisation's own stages). "
    "A rejection needs a `rejection_reason` and closes the application; nothing moves after a "
    "rejection, a hire or a withdrawal. The candidate is told of every change of meaning.",
    operation_id="application_move",
)
def application_move(request: HttpRequest, application_id: UUID, payload: MoveIn) -> Any:
    membership = membership_of(actor_of(request))
    application = _handled(membership, application_id, full=False)
    target = _target(payload)
    with _named(stage="stage_id" if payload.stage_id is not None else "stage"):
        services.application_move(
            application=application,
            by=membership,
            rejection_reason=payload.rejection_reason or "",
            **target,
        )
    return _handled(membership, application_id)


@router.post(
    "/vacancies/{vacancy_id}/applications/move",
    response={200: BulkMovedOut, **problems(403, 404, 422)},
    summary="Move several applications at once",
    description="Whoever handles the vacancy: the same move for every application in "
    "`application_ids`, all of them applications to this vacancy. A wrong stage, a rejection "
    "without a reason or another vacancy's application refuses them all before anything "
    "moves; an application that is closed (meanwhile) is skipped and counted.",
    operation_id="application_bulk_move",
)
def application_bulk_move(request: HttpRequest, vacancy_id: UUID, payload: BulkMoveIn) -> Any:
    membership = _editor(request)
    vacancy = get_vacancy_for_actor(membership, vacancy_id)
    target = _target(payload)
    wanted = list(dict.fromkeys(payload.application_ids))  # in the order given, once each
    found = {
        application.pk: application
        for application in Application.objects.filter(
            vacancy=vacancy, pk__in=wanted
        ).select_related("candidate")
    }
    if len(found) != len(wanted):  # another vacancy's is unknown here, like a missing one
        raise ValidationError({"application_ids": [_("Move only applications to this vacancy.")]})
    with _named(stage="stage_id" if payload.stage_id is not None else "stage"):
        moved, skipped = services.application_bulk_move(
            applications=[found[pk] for pk in wanted],
            by=membership,
            rejection_reason=payload.rejection_reason or "",
            **target,
        )
    return {"moved": moved, "skipped": skipped}


@router.get(
    "/applications/{application_id}/documents/{document_id}",
    response={200: None, **problems(404)},
    summary="Download a document included in an application",
    description="Whoever handles the vacancy, the employer too, and only while the candidate "
    "includes it: the decrypted file as an attachment; every download is audited.",
    operation_id="application_document_download",
)
def application_document_download(
    request: HttpRequest, application_id: UUID, document_id: UUID
) -> HttpResponse:
    membership = membership_of(actor_of(request))
    application = _handled(membership, application_id, full=False)
    document: Document = get_or_404(
        Document.objects.filter(
            pk__in=application.attachments.values("document"),
            candidate_id=application.candidate_id,
        ),
        document_id,
    )
    try:
        data = document_download(document=document, by=membership)
    except UploadRejected:
        raise Problem(404) from None
    return attachment(data, document)


@router.get(
    "/applications/{application_id}/notes",
    response={200: list[NoteOut], **problems(404)},
    summary="The private notes on an application",
    description="Whoever handles the vacancy; never the candidate. Oldest first.",
    operation_id="application_notes",
)
def application_notes(request: HttpRequest, application_id: UUID) -> Any:
    application = _handled(membership_of(actor_of(request)), application_id, full=False)
    return selectors.notes_of(application)


@router.post(
    "/applications/{application_id}/notes",
    response={201: NoteOut, **problems(404, 422)},
    summary="Add a private note",
    description="For the organisation and the employer; the candidate never sees it.",
    operation_id="application_note_add",
)
def application_note_add(request: HttpRequest, application_id: UUID, payload: NoteIn) -> Any:
    membership = membership_of(actor_of(request))
    application = _handled(membership, application_id, full=False)
    note = services.application_note_add(application=application, by=membership, text=payload.text)
    return Status(201, note)


@router.post(
    "/applications/{application_id}/interview",
    response={200: ApplicationDetailOut, **problems(404, 422)},
    summary="Plan the job interview",
    description="An appointment in the candidate's calendar (they are told); give a place, "
    "an online link, or both. An application not yet at the interview moves there; a "
    "second call plans it anew.",
    operation_id="application_interview",
)
def application_interview(request: HttpRequest, application_id: UUID, payload: InterviewIn) -> Any:
    membership = membership_of(actor_of(request))
    application = _handled(membership, application_id, full=False)
    services.application_interview_schedule(
        application=application,
        by=membership,
        starts_at=_aware(payload.starts_at),
        duration_minutes=payload.duration_minutes,
        place=payload.place.strip(),
        online_link=payload.online_link.strip(),
        with_whom=payload.with_whom.strip(),
    )
    return _handled(membership, application_id)


@router.post(
    "/applications/{application_id}/employment-end",
    response={200: ApplicationDetailOut, **problems(404, 422)},
    summary="Record the end of a hire's employment",
    description="Whoever handles the vacancy, for a hire whose employment runs: the "
    "application closes with this day (its retention starts) and the candidate's ID copies "
    "count their five years from it. Not before the hire, not in the future.",
    operation_id="application_employment_end",
)
def application_employment_end(
    request: HttpRequest, application_id: UUID, payload: EmploymentEndIn
) -> Any:
    membership = membership_of(actor_of(request))
    application = _handled(membership, application_id, full=False)
    services.application_employment_end(
        application=application, ended_on=payload.ended_on, by=membership
    )
    return _handled(membership, application_id)


# --- The candidate ---------------------------------------------------------------


@router.get(
    "/me/applications",
    response={200: list[ApplicationOut], **problems(403, 404, 422)},
    summary="Your applications",
    description="Candidates: their own applications, newest first, in their own words.",
    operation_id="my_applications",
)
@paginate(PagePagination)
def my_applications(request: HttpRequest) -> Any:
    profile = own_profile(_candidate(request))
    if profile is None:
        return Application.objects.none()
    return _rows(Application.objects.filter(candidate=profile)).order_by("-created_at", "pk")


@router.post(
    "/vacancies/{vacancy_id}/applications",
    response={201: ApplicationDetailOut, **problems(403, 404, 422)},
    summary="Apply to a vacancy",
    description="Candidates: once per vacancy, to a published one, with a motivation and "
    "documents of their own.",
    operation_id="application_create",
)
def application_create(request: HttpRequest, vacancy_id: UUID, payload: ApplyIn) -> Any:
    membership = _candidate(request)
    # A closed vacancy is refused with a reason; a draft was never shown to candidates.
    vacancy: Vacancy = get_or_404(
        Vacancy.objects.filter(status__in=[VacancyStatus.PUBLISHED, VacancyStatus.CLOSED]),
        vacancy_id,
    )
    profile = own_profile(membership)
    if profile is None:
        raise ValidationError(_("Fill in your profile before you apply."))
    with _named(documents="document_ids"):
        application = services.application_create(
            vacancy=vacancy,
            candidate=profile,
            motivation=payload.motivation,
            documents=_own_documents(profile, payload.document_ids),
            by=membership,
        )
    return Status(201, _own(membership, application.pk))


@router.post(
    "/applications/{application_id}/withdraw",
    response={200: ApplicationDetailOut, **problems(404, 422)},
    summary="Withdraw your application",
    description="The candidate only. The application closes; it cannot be sent again.",
    operation_id="application_withdraw",
)
def application_withdraw(request: HttpRequest, application_id: UUID) -> Any:
    membership = membership_of(actor_of(request))
    application = _own(membership, application_id)
    services.application_withdraw(application=application, by=membership)
    return _own(membership, application_id)


# --- Proposals: an advisor proposes, the candidate decides ---------------------


@router.post(
    "/vacancies/{vacancy_id}/proposals",
    response={201: ProposalOut, **problems(403, 404, 422)},
    summary="Propose a candidate for a vacancy",
    description="Career advisors and admins. The candidate decides first; nothing reaches "
    "the employer before they accept. Refused for a candidate who restricted processing or "
    "objects to matching, who applied already or is waiting to decide.",
    operation_id="proposal_create",
)
def proposal_create(request: HttpRequest, vacancy_id: UUID, payload: ProposeIn) -> Any:
    membership: Membership = membership_of(actor_of(request))
    if membership.role not in MANAGERS:
        raise Problem(403, _("Only career advisors propose candidates."))
    vacancy = get_vacancy_for_actor(membership, vacancy_id)
    candidate = (
        CandidateProfile.objects.filter(
            pk=payload.candidate_id, membership__is_active=True, membership__role=Role.CANDIDATE
        )
        .select_related("membership")
        .first()
    )
    if candidate is None:  # another organisation's is unknown here, like a missing one
        raise ValidationError({"candidate_id": [_("Choose a candidate of this organisation.")]})
    with _named(candidate="candidate_id"):
        proposal = services.proposal_create(
            vacancy=vacancy, candidate=candidate, by=membership, message=payload.message
        )
    return Status(201, proposal)


def _own_proposals(membership: Membership) -> QuerySet[Proposal]:
    if membership.role != Role.CANDIDATE:
        return Proposal.objects.none()
    return Proposal.objects.filter(candidate__membership=membership).select_related(
        "vacancy__employer", "proposed_by", "candidate"
    )


@router.get(
    "/me/proposals",
    response={200: list[MyProposalOut], **problems(403, 404, 422)},
    summary="Vacancies proposed to you",
    description="Candidates: the proposals waiting for their answer, newest first.",
    operation_id="my_proposals",
)
@paginate(PagePagination)
def my_proposals(request: HttpRequest) -> Any:
    profile = own_profile(_candidate(request))
    if profile is None:
        return Proposal.objects.none()
    return selectors.pending_proposals(profile)


@router.post(
    "/proposals/{proposal_id}/accept",
    response={201: ApplicationDetailOut, **problems(404, 422)},
    summary="Accept a proposal: apply",
    description="The candidate only: an application with the motivation and documents of "
    "their own they choose.",
    operation_id="proposal_accept",
)
def proposal_accept(request: HttpRequest, proposal_id: UUID, payload: ApplyIn) -> Any:
    membership = membership_of(actor_of(request))
    proposal: Proposal = get_or_404(_own_proposals(membership), proposal_id)
    with _named(documents="document_ids"):
        application = services.proposal_accept(
            proposal=proposal,
            by=membership,
            motivation=payload.motivation,
            documents=_own_documents(proposal.candidate, payload.document_ids),
        )
    return Status(201, _own(membership, application.pk))


@router.post(
    "/proposals/{proposal_id}/decline",
    response={200: MyProposalOut, **problems(404, 422)},
    summary="Decline a proposal",
    description="The candidate only; the employer never hears of it.",
    operation_id="proposal_decline",
)
def proposal_decline(request: HttpRequest, proposal_id: UUID) -> Any:
    membership = membership_of(actor_of(request))
    proposal: Proposal = get_or_404(_own_proposals(membership), proposal_id)
    services.proposal_decline(proposal=proposal, by=membership)
    return get_or_404(_own_proposals(membership), proposal_id)


# --- The organisation's stages: handlers read them, admins change them -----------


def _admin(request: HttpRequest) -> Membership:
    membership: Membership = membership_of(actor_of(request))
    if membership.role != Role.ADMIN:
        raise Problem(403, _("Only an administrator of the organisation can do this."))
    return membership


def _stages_out(organisation_id: Any) -> list[dict[str, Any]]:
    return [
        {
            "id": stage.pk,
            "key": selectors.column_key(stage),
            "name": stage.name,
            "phase": stage.phase,
            "position": number,
        }
        for number, stage in enumerate(selectors.stages_of(organisation_id))
    ]


def _stage_out(stage: PipelineStage) -> dict[str, Any]:
    return next(row for row in _stages_out(stage.organisation_id) if row["id"] == stage.pk)


def _stage(membership: Membership, stage_key: str) -> PipelineStage:
    """A stage by its key (a default stage's key is its phase), as the stages page
    finds it (pipeline_views._stage): the defaults are written down first, so the
    first change keeps the rest of the pipeline. Another organisation's stage is
    unknown here, like a missing one: a 404, and nothing is written down."""

    def matches(stage: PipelineStage) -> bool:
        return stage_key in (selectors.column_key(stage), stage.phase)

    if any(matches(stage) for stage in selectors.stages_of(membership.organisation_id)):
        for stage in services.stages_materialise(membership.organisation_id):
            if matches(stage):
                return stage
    raise Problem(404)


def _admin_stage(request: HttpRequest, stage_key: str) -> PipelineStage:
    """The stage an admin changes. A key that names no stage of the organisation
    is a 404 for everyone, before the role is asked about (a 403 would tell a
    non-admin nothing, but "no such stage" comes first, as for any other id)."""
    membership: Membership = membership_of(actor_of(request))
    keys = {
        key
        for stage in selectors.stages_of(membership.organisation_id)
        for key in (selectors.column_key(stage), stage.phase)
    }
    if stage_key not in keys:
        raise Problem(404)
    return _stage(_admin(request), stage_key)


@router.get(
    "/pipeline/stages",
    response={200: list[StageOut], **problems(403, 404)},
    summary="The organisation's pipeline stages",
    description="Whoever handles vacancies (advisors, admins, employers' contacts), for the "
    "ids a move takes: the stages in their order, each with its meaning. Until an admin "
    "changes one, the defaults, one per meaning, without an id.",
    operation_id="pipeline_stages",
)
def pipeline_stages(request: HttpRequest) -> Any:
    return _stages_out(_editor(request).organisation_id)


@router.post(
    "/pipeline/stages",
    response={201: StageOut, **problems(403, 404, 422)},
    summary="Add a pipeline stage",
    description="Admins: a stage of the organisation's own, last of its meaning. Its name "
    "is not yet in the pipeline.",
    operation_id="pipeline_stage_create",
)
def pipeline_stage_create(request: HttpRequest, payload: StageIn) -> Any:
    membership = _admin(request)
    with _named(**NAME_TAKEN):
        stage = services.stage_create(
            organisation_id=membership.organisation_id, name=payload.name, phase=payload.phase
        )
    return Status(201, _stage_out(stage))


@router.patch(
    "/pipeline/stages/{stage_key}",
    response={200: StageOut, **problems(403, 404, 422)},
    summary="Rename a pipeline stage or move it up or down",
    description="Admins. `stage_key` is the stage's id, or a default stage's meaning; the "
    "first change writes the defaults down. `move` goes one place within the stage's "
    "meaning.",
    operation_id="pipeline_stage_update",
)
def pipeline_stage_update(request: HttpRequest, stage_key: str, payload: StagePatch) -> Any:
    stage = _admin_stage(request, stage_key)
    if payload.name is not None:
        with _named(**NAME_TAKEN):
            stage = services.stage_rename(stage=stage, name=payload.name)
    if payload.move is not None:
        stage = services.stage_shift(stage=stage, by=-1 if payload.move == "up" else 1)
    return _stage_out(stage)


@router.delete(
    "/pipeline/stages/{stage_key}",
    response={204: None, **problems(403, 404, 422)},
    summary="Remove a pipeline stage",
    description="Admins. Refused while open applications are in it, and for the last stage "
    "meaning new, hired or rejected. Applications that were in it earlier keep their "
    "history.",
    operation_id="pipeline_stage_delete",
)
def pipeline_stage_delete(request: HttpRequest, stage_key: str) -> Any:
    services.stage_delete(stage=_admin_stage(request, stage_key))
    return Status(204, None)
