"""The applications pipeline: its board, one application's page, proposals,
the organisation's own stages, and the candidate's answers (proposals, keeping
a closed application a year).

Whoever handles a vacancy (advisors, admins, the employer's contact for their
own company) sees and moves its applications; only advisors and admins
propose candidates and see proposals (nothing reaches the employer before the
candidate agreed); only admins change the stages. Another organisation's or
company's application is a 404.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from passend.common.adapters import apply_errors, confirm_first, form_status, get_or_404, submit
from passend.common.scope import organisation_scope
from passend.documents.models import Document
from passend.documents.services import document_download
from passend.documents.validation import UploadRejected
from passend.documents.views import attachment
from passend.tenancy.access import require_role
from passend.tenancy.http import MemberRequest
from passend.tenancy.models import Role
from passend.vacancies import keep, selectors, services
from passend.vacancies.access import (
    EDITORS,
    MANAGERS,
    get_application_for_actor,
    get_vacancy_for_actor,
    own_profile,
)
from passend.vacancies.forms import (
    ApplyForm,
    BulkMoveForm,
    EmploymentEndForm,
    InterviewForm,
    KeepForm,
    MoveForm,
    NoteForm,
    ProposeForm,
    StageForm,
    StageRenameForm,
    SuggestFilterForm,
)
from passend.vacancies.models import (
    CLOSED_STAGES,
    Application,
    PipelineStage,
    Proposal,
    ProposalStatus,
    Stage,
)

OPEN_PHASES = frozenset(Stage.values) - frozenset(CLOSED_STAGES)


def _handled_application(request: MemberRequest, application_id: str) -> Application:
    """An application to a vacancy the person handles (never a candidate's own view)."""
    if request.membership.role not in EDITORS:
        raise Http404
    return get_application_for_actor(request.membership, application_id)


def _form_errors(request: HttpRequest, form: Any) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, str(message))


# --- The board -----------------------------------------------------------------


@require_role(*EDITORS)
@require_safe
def pipeline(request: MemberRequest, vacancy_id: str) -> HttpResponse:
    """The vacancy's applications per stage. Each card moves with a plain form
    (keyboard and screen readers), or by dragging it to another column; ticked
    cards move together (bulk)."""
    actor = request.membership
    vacancy = get_vacancy_for_actor(actor, vacancy_id)
    stages = selectors.stages_of(vacancy.organisation_id)
    show = request.GET.get("show", "")[:40]
    columns = selectors.pipeline(vacancy, show=show)
    context = {
        "show": show,
        "vacancy": vacancy,
        "columns": columns,
        "move_form": MoveForm(stages=stages),
        "rejected_keys": [selectors.column_key(s) for s in stages if s.phase == Stage.REJECTED],
        "open_count": sum(column.count for column in columns if column.phase in OPEN_PHASES),
        "proposals": list(selectors.proposals_of(vacancy)) if actor.role in MANAGERS else [],
        "may_propose": actor.role in MANAGERS and vacancy.is_open,
        "may_configure": actor.role == Role.ADMIN,
    }
    return render(request, "vacancies/pipeline.html", context)


@require_role(*EDITORS)
@require_POST
def application_move(request: MemberRequest, application_id: str) -> HttpResponse:
    actor = request.membership
    application = _handled_application(request, application_id)
    form = MoveForm(request.POST, stages=selectors.stages_of(application.organisation_id))
    if form.is_valid():
        try:
            services.application_move(
                application=application,
                rejection_reason=form.cleaned_data["rejection_reason"],
                by=actor,
                **form.target(),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(name)s is now at “%(stage)s”.")
                % {"name": application.candidate.display_name, "stage": form.target_name()},
            )
    else:
        _form_errors(request, form)
    if request.POST.get("next") == "detail":
        return redirect("vacancies:application_detail", application.pk)
    return redirect(
        reverse("vacancies:pipeline", args=[application.vacancy_id]) + f"#card-{application.pk}"
    )


@require_role(*EDITORS)
@require_POST
def bulk_move(request: MemberRequest, vacancy_id: str) -> HttpResponse:
    actor = request.membership
    vacancy = get_vacancy_for_actor(actor, vacancy_id)
    applications = {
        str(a.pk): a
        for a in Application.objects.filter(vacancy=vacancy).select_related("candidate")
    }
    form = BulkMoveForm(
        request.POST,
        stages=selectors.stages_of(vacancy.organisation_id),
        application_ids=list(applications),
    )
    if form.is_valid():
        chosen = [applications[pk] for pk in form.cleaned_data["application"]]
        try:
            moved, skipped = services.application_bulk_move(
                applications=chosen,
                by=actor,
                rejection_reason=form.cleaned_data["rejection_reason"],
                **form.target(),
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                _("%(moved)s moved to “%(stage)s”.")
                % {"moved": moved, "stage": form.target_name()},
            )
            if skipped:
                messages.warning(
                    request,
                    _("%(skipped)s not moved: they are closed.") % {"skipped": skipped},
                )
    else:
        _form_errors(request, form)
    return redirect("vacancies:pipeline", vacancy.pk)


# --- One application -----------------------------------------------------------


def _detail(
    request: MemberRequest, application: Application, status: int = 200, **forms: Any
) -> HttpResponse:
    stages = selectors.stages_of(application.organisation_id)
    interview = application.interview
    context = {
        "application": application,
        "vacancy": application.vacancy,
        "documents": [a.document for a in application.attachments.select_related("document")],
        "history": list(application.events.select_related("by").order_by("created_at", "pk")),
        "notes": selectors.notes_of(application),
        "move_form": forms.get("move_form") or MoveForm(stages=stages),
        "note_form": forms.get("note_form") or NoteForm(),
        "interview_form": forms.get("interview_form")
        or InterviewForm(
            initial={
                "starts_at": interview.starts_at if interview else None,
                "duration_minutes": interview.duration_minutes if interview else 45,
                "place": interview.place if interview else "",
                "online_link": interview.online_link if interview else "",
                "with_whom": interview.with_whom if interview else "",
            }
        ),
        "end_form": forms.get("end_form") or EmploymentEndForm(),
        "employment_runs": application.stage == Stage.HIRED and application.closed_at is None,
        "proposal": Proposal.objects.filter(application=application)
        .select_related("proposed_by")
        .first(),
    }
    return render(request, "vacancies/application_detail.html", context, status=status)


@require_role(*EDITORS)
@require_safe
def application_detail(request: MemberRequest, application_id: str) -> HttpResponse:
    return _detail(request, _handled_application(request, application_id))


@require_role(*EDITORS)
@require_safe
def application_document(
    request: MemberRequest, application_id: str, document_id: str
) -> HttpResponse:
    """A document the candidate included: readable by whoever handles the vacancy
    (the employer too), and only while it is included; every read is audited."""
    application = _handled_application(request, application_id)
    document: Document = get_or_404(
        Document.objects.filter(
            pk__in=application.attachments.values("document"), candidate=application.candidate
        ),
        document_id,
    )
    try:
        data = document_download(document=document, by=request.membership)
    except UploadRejected:
        raise Http404 from None
    return attachment(data, document)


@require_role(*EDITORS)
@require_POST
def note_add(request: MemberRequest, application_id: str) -> HttpResponse:
    application = _handled_application(request, application_id)
    form = NoteForm(request.POST)
    if submit(
        request,
        form,
        lambda data: services.application_note_add(
            application=application, by=request.membership, text=data["text"]
        ),
    ):
        messages.success(request, _("The note was saved."))
        return redirect(reverse("vacancies:application_detail", args=[application.pk]) + "#notes")
    return _detail(request, application, status=400, note_form=form)


@require_role(*EDITORS)
@require_POST
def interview_schedule(request: MemberRequest, application_id: str) -> HttpResponse:
    application = _handled_application(request, application_id)
    form = InterviewForm(request.POST)
    if submit(
        request,
        form,
        lambda data: services.application_interview_schedule(
            application=application, by=request.membership, **data
        ),
    ):
        messages.success(
            request,
            _("The interview is planned; %(name)s finds it in their appointments.")
            % {"name": application.candidate.display_name},
        )
        return redirect("vacancies:application_detail", application.pk)
    return _detail(request, application, status=400, interview_form=form)


@require_role(*EDITORS)
@require_POST
def employment_end(request: MemberRequest, application_id: str) -> HttpResponse:
    application = _handled_application(request, application_id)
    form = EmploymentEndForm(request.POST)
    if submit(
        request,
        form,
        lambda data: services.application_employment_end(
            application=application, ended_on=data["ended_on"], by=request.membership
        ),
    ):
        messages.success(request, _("The employment's end is recorded."))
        return redirect("vacancies:application_detail", application.pk)
    return _detail(request, application, status=400, end_form=form)


# --- Proposals -----------------------------------------------------------------


@require_role(*MANAGERS)
@require_http_methods(["GET", "POST"])
def propose(request: MemberRequest, vacancy_id: str) -> HttpResponse:
    """Propose a candidate: the list leaves out who applied or was proposed, and
    everyone who restricted processing or objects to matching."""
    actor = request.membership
    vacancy = get_vacancy_for_actor(actor, vacancy_id)
    search = SuggestFilterForm(request.GET or None)
    query = search.cleaned_data["q"] if search.is_bound and search.is_valid() else ""
    candidates = selectors.suggestions(vacancy, query)
    if request.method == "POST":
        # The one chosen may lie outside these suggestions (another search): offer it too.
        chosen = request.POST.get("candidate", "")
        if chosen and all(str(c.pk) != chosen for c in candidates):
            candidates += selectors.suggestions(vacancy, candidate_id=chosen)
    form = ProposeForm(request.POST or None, candidates=candidates)
    by_id = {str(c.pk): c for c in candidates}

    def save(data: dict[str, Any]) -> None:
        services.proposal_create(
            vacancy=vacancy, candidate=by_id[data["candidate"]], by=actor, message=data["message"]
        )

    if submit(request, form, save):
        messages.success(
            request,
            _("%(name)s is asked whether they want to apply.")
            % {"name": by_id[form.cleaned_data["candidate"]].display_name},
        )
        return redirect("vacancies:pipeline", vacancy.pk)
    context = {
        "vacancy": vacancy,
        "form": form,
        "search": search,
        "candidates": candidates,
        "limit": selectors.SUGGESTIONS,
    }
    return render(request, "vacancies/propose.html", context, status=form_status(request))


@require_role(Role.CANDIDATE)
@require_http_methods(["GET", "POST"])
def proposal_answer(request: MemberRequest, proposal_id: str) -> HttpResponse:
    """The candidate reads the proposal and applies (choosing what to include) or declines."""
    actor = request.membership
    profile = own_profile(actor)
    proposal: Proposal = get_or_404(
        Proposal.objects.filter(candidate=profile, status=ProposalStatus.PENDING).select_related(
            "vacancy__employer", "proposed_by"
        ),
        proposal_id,
    )
    documents = Document.objects.filter(candidate=profile)
    form = ApplyForm(request.POST or None, documents=documents)
    if request.method == "POST" and request.POST.get("answer") == "decline":
        services.proposal_decline(proposal=proposal, by=actor)
        messages.success(request, _("You declined. Your advisor sees your answer."))
        return redirect("vacancies:my_applications")

    def save(data: dict[str, Any]) -> None:
        services.proposal_accept(
            proposal=proposal,
            by=actor,
            motivation=data["motivation"],
            documents=list(data["documents"]),
        )

    if submit(request, form, save):
        messages.success(request, _("Your application was sent. You can follow it here."))
        return redirect("vacancies:my_applications")
    context = {
        "proposal": proposal,
        "vacancy": proposal.vacancy,
        "skills": selectors.skills_of(proposal.vacancy),
        "form": form,
    }
    return render(request, "vacancies/proposal.html", context, status=form_status(request))


# --- Keeping a closed application a year -----------------------------------------


@require_http_methods(["GET", "POST"])
def keep_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the question e-mail: answers without signing in (the signed
    link is the proof). Only the question and the vacancy's title are shown."""
    found = keep.application_for_token(token)
    if found is None:
        return render(request, "vacancies/keep_gone.html", status=410)
    organisation, application = found
    with organisation_scope(organisation):
        form = KeepForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            keep.answer(application=application, keep=form.cleaned_data["keep"])
            context = {"application": application, "kept": form.cleaned_data["keep"]}
            return render(request, "vacancies/keep_done.html", context)
        context = {
            "application": application,
            "form": form,
            "kept": keep.is_kept(application),
        }
        return render(request, "vacancies/keep.html", context, status=form_status(request))


# --- The organisation's stages ---------------------------------------------------


@require_role(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def stages(request: MemberRequest) -> HttpResponse:
    organisation_id = request.organisation.pk
    form = StageForm(request.POST or None, instance=PipelineStage(organisation_id=organisation_id))
    if submit(
        request,
        form,
        lambda data: services.stage_create(
            organisation_id=organisation_id, name=data["name"], phase=data["phase"]
        ),
    ):
        messages.success(request, _("The stage was added."))
        return redirect("vacancies:stages")
    rows = selectors.stages_of(organisation_id)
    context = {
        "form": form,
        "stages": [
            {
                "stage": stage,
                "key": selectors.column_key(stage),
                "up": index > 0 and rows[index - 1].phase == stage.phase,
                "down": index + 1 < len(rows) and rows[index + 1].phase == stage.phase,
                "removable": stage.phase not in services.KEPT_PHASES
                or sum(1 for other in rows if other.phase == stage.phase) > 1,
            }
            for index, stage in enumerate(rows)
        ],
        "is_default": not rows or rows[0].pk is None,
    }
    return render(request, "vacancies/stages.html", context, status=form_status(request))


def _stage(request: MemberRequest, stage_key: str) -> PipelineStage:
    """A stage by its key (a default stage's key is its phase); the defaults are
    written down first, so the first change keeps the rest of the pipeline."""
    for stage in services.stages_materialise(request.organisation.pk):
        if str(stage.pk) == stage_key or stage.phase == stage_key:
            return stage
    raise Http404


@require_role(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def stage_remove(request: MemberRequest, stage_key: str) -> HttpResponse:
    """Remove a stage, after a confirmation (a GET shows the question)."""
    stage = (
        _stage_for_read(request, stage_key)
        if request.method == "GET"
        else _stage(request, stage_key)
    )
    asked = confirm_first(
        request,
        question=_("Remove the stage “%(name)s”?") % {"name": stage.name},
        confirm_label=_("Remove"),
        cancel_url=reverse("vacancies:stages"),
        detail=_("Applications that were in it earlier keep their history."),
    )
    if asked is not None:
        return asked
    try:
        services.stage_delete(stage=stage)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The stage was removed."))
    return redirect("vacancies:stages")


def _stage_for_read(request: MemberRequest, stage_key: str) -> PipelineStage:
    """A stage by its key without writing anything (a GET never writes)."""
    for stage in selectors.stages_of(request.organisation.pk):
        if selectors.column_key(stage) == stage_key:
            return stage
    raise Http404


@require_role(Role.ADMIN)
@require_POST
def stage_change(request: MemberRequest, stage_key: str) -> HttpResponse:
    """Rename, or move up or down, one stage."""
    action = request.POST.get("action", "")
    stage = _stage(request, stage_key)
    if action in ("up", "down"):
        services.stage_shift(stage=stage, by=-1 if action == "up" else 1)
        return redirect(reverse("vacancies:stages") + f"#stage-{stage.pk}")
    form = StageRenameForm(request.POST, instance=stage)
    if form.is_valid():
        try:
            services.stage_rename(stage=stage, name=form.cleaned_data["name"])
        except ValidationError as error:
            apply_errors(form, error)
            _form_errors(request, form)
        else:
            messages.success(request, _("The stage was renamed."))
    else:
        _form_errors(request, form)
    return redirect(reverse("vacancies:stages") + f"#stage-{stage.pk}")
