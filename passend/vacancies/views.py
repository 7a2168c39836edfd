"""Vacancy pages for the people who manage them: career advisors and admins
(any employer of the organisation) and employers' contact persons (their own
company). Another company's or organisation's vacancy is a 404."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from passend.common.adapters import apply_errors, confirm_first, form_status, submit
from passend.documents.models import Document
from passend.tenancy.access import require_role
from passend.tenancy.http import MemberRequest
from passend.tenancy.models import Employer, Role
from passend.vacancies import keep, selectors, services
from passend.vacancies.access import (
    EDITORS,
    get_application_for_actor,
    get_open_vacancy,
    get_vacancy_for_actor,
    may_choose_employer,
    own_profile,
)
from passend.vacancies.forms import (
    ApplyForm,
    CloseForm,
    SkillForm,
    StatusFilterForm,
    VacancyForm,
)
from passend.vacancies.models import Application, Stage, Vacancy, VacancyStatus

PAGE_SIZE = 25


def _own_employer(request: MemberRequest) -> Employer | None:
    """The employer an employer's contact person posts for (None for managers)."""
    actor = request.membership
    if may_choose_employer(actor):
        return None
    if actor.employer_id is None:
        raise Http404
    employer: Employer = Employer.objects.get(pk=actor.employer_id)
    return employer


@require_role(*EDITORS)
@require_safe
def vacancy_list(request: MemberRequest) -> HttpResponse:
    form = StatusFilterForm(request.GET or None)
    status = form.cleaned_data["status"] if form.is_bound and form.is_valid() else ""
    vacancies = selectors.vacancy_list_for_actor(request.membership, status=status)
    page = Paginator(vacancies, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page": page, "form": form, "status": status}
    return render(request, "vacancies/list.html", context)


def _save_new(request: MemberRequest, data: dict[str, Any]) -> Vacancy:
    employer = data.pop("employer", None) or _own_employer(request)
    if employer is None:  # a manager's form requires one; an employer has their own
        raise Http404
    return services.vacancy_create(employer=employer, by=request.membership, **data)


@require_role(*EDITORS)
def vacancy_create(request: MemberRequest) -> HttpResponse:
    own = _own_employer(request)
    form = VacancyForm(request.POST or None, choose_employer=own is None)
    created: list[Vacancy] = []
    if submit(request, form, lambda data: created.append(_save_new(request, data))):
        messages.success(request, _("The vacancy was saved as a draft."))
        return redirect("vacancies:detail", created[0].pk)
    context = {"form": form, "title": _("New vacancy"), "employer": own}
    return render(request, "vacancies/form.html", context, status=form_status(request))


@require_role(*EDITORS)
@require_safe
def vacancy_detail(request: MemberRequest, vacancy_id: str) -> HttpResponse:
    vacancy = get_vacancy_for_actor(request.membership, vacancy_id)
    return render(request, "vacancies/detail.html", _detail_context(vacancy, SkillForm()))


def _detail_context(vacancy: Vacancy, skill_form: SkillForm) -> dict[str, Any]:
    return {
        "vacancy": vacancy,
        "skills": selectors.skills_of(vacancy),
        "history": selectors.history_of(vacancy),
        "skill_form": skill_form,
        "editable": vacancy.status != VacancyStatus.CLOSED,
        "applications": selectors.application_count(vacancy),
    }


@require_role(*EDITORS)
def vacancy_edit(request: MemberRequest, vacancy_id: str) -> HttpResponse:
    actor = request.membership
    vacancy = get_vacancy_for_actor(actor, vacancy_id)
    if vacancy.status == VacancyStatus.CLOSED:
        messages.info(request, _("A closed vacancy is not changed. Copy it to post it again."))
        return redirect("vacancies:detail", vacancy.pk)
    form = VacancyForm(request.POST or None, instance=vacancy, choose_employer=False)

    def save(data: dict[str, Any]) -> None:
        services.vacancy_update(vacancy=Vacancy.objects.get(pk=vacancy.pk), by=actor, **data)

    if submit(request, form, save):
        messages.success(request, _("The vacancy was saved."))
        return redirect("vacancies:detail", vacancy.pk)
    context = {"form": form, "title": _("Change vacancy"), "vacancy": vacancy}
    return render(request, "vacancies/form.html", context, status=form_status(request))


def _step(request: MemberRequest, vacancy: Vacancy, step: Any, done: str) -> HttpResponse:
    try:
        step()
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect("vacancies:detail", vacancy.pk)


@require_role(*EDITORS)
@require_POST
def vacancy_publish(request: MemberRequest, vacancy_id: str) -> HttpResponse:
    actor = request.membership
    vacancy = get_vacancy_for_actor(actor, vacancy_id)
    return _step(
        request,
        vacancy,
        lambda: services.vacancy_publish(vacancy=vacancy, by=actor),
        _("The vacancy is published."),
    )


@require_role(*EDITORS)
def vacancy_close(request: MemberRequest, vacancy_id: str) -> HttpResponse:
    """Closing asks why (filled or withdrawn) on its own page: it cannot be undone."""
    actor = request.membership
    vacancy = get_vacancy_for_actor(actor, vacancy_id)
    form = CloseForm(request.POST or None)

    def save(data: dict[str, Any]) -> None:
        services.vacancy_close(vacancy=vacancy, reason=data["reason"], by=actor)

    if submit(request, form, save):
        messages.success(request, _("The vacancy is closed."))
        return redirect("vacancies:detail", vacancy.pk)
    context = {"form": form, "vacancy": vacancy}
    return render(request, "vacancies/close.html", context, status=form_status(request))


@require_role(*EDITORS)
@require_POST
def vacancy_duplicate(request: MemberRequest, vacancy_id: str) -> HttpResponse:
    actor = request.membership
    vacancy = get_vacancy_for_actor(actor, vacancy_id)
    copy = services.vacancy_duplicate(vacancy=vacancy, by=actor)
    messages.success(request, _("A copy was made as a draft. Check it and choose a closing date."))
    return redirect("vacancies:edit", copy.pk)


@require_role(*EDITORS)
@require_POST
def skill_add(request: MemberRequest, vacancy_id: str) -> HttpResponse:
    vacancy = get_vacancy_for_actor(request.membership, vacancy_id)
    if vacancy.status == VacancyStatus.CLOSED:
        raise Http404
    form = SkillForm(request.POST)
    if form.is_valid():
        try:
            services.vacancy_skill_add(
                vacancy=vacancy,
                skill=form.cleaned_data["skill"],
                required=form.cleaned_data["required"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The skill was added."))
            return redirect("vacancies:detail", vacancy.pk)
    return render(request, "vacancies/detail.html", _detail_context(vacancy, form), status=400)


@require_role(*EDITORS)
def skill_remove(request: MemberRequest, vacancy_id: str, link_id: str) -> HttpResponse:
    vacancy = get_vacancy_for_actor(request.membership, vacancy_id)
    link = next((s for s in selectors.skills_of(vacancy) if str(s.pk) == str(link_id)), None)
    if link is None or vacancy.status == VacancyStatus.CLOSED:
        raise Http404
    asked = confirm_first(
        request,
        question=_("Remove “%(skill)s” from this vacancy?") % {"skill": link.skill},
        confirm_label=_("Remove"),
        cancel_url=reverse("vacancies:detail", args=[vacancy.pk]),
    )
    if asked is not None:
        return asked
    services.vacancy_skill_remove(vacancy=vacancy, link_id=link.pk)
    messages.success(request, _("The skill was removed."))
    return redirect("vacancies:detail", vacancy.pk)


# --- Applications: the candidate --------------------------------------------


@require_role(Role.CANDIDATE)
@require_safe
def open_list(request: MemberRequest) -> HttpResponse:
    """The organisation's published vacancies, for a candidate to apply to."""
    page = Paginator(selectors.open_vacancies(), PAGE_SIZE).get_page(request.GET.get("page"))
    profile = own_profile(request.membership)
    applied = (
        set(Application.objects.filter(candidate=profile).values_list("vacancy_id", flat=True))
        if profile is not None
        else set()
    )
    return render(request, "vacancies/open_list.html", {"page": page, "applied": applied})


@require_role(Role.CANDIDATE)
def open_detail(request: MemberRequest, vacancy_id: str) -> HttpResponse:
    """A published vacancy, and the form to apply with a motivation and chosen documents."""
    actor = request.membership
    vacancy = get_open_vacancy(actor, vacancy_id)
    profile = own_profile(actor)
    existing = (
        Application.objects.filter(vacancy=vacancy, candidate=profile).first() if profile else None
    )
    documents = Document.objects.filter(candidate=profile) if profile else Document.objects.none()
    form = ApplyForm(request.POST or None, documents=documents)

    def save(data: dict[str, Any]) -> None:
        if profile is None:
            raise ValidationError(_("Fill in your profile before you apply."))
        if existing is not None:
            raise ValidationError(_("You have applied to this vacancy already."))
        services.application_create(
            vacancy=vacancy,
            candidate=profile,
            motivation=data["motivation"],
            documents=list(data["documents"]),
            by=actor,
        )

    if submit(request, form, save):
        messages.success(request, _("Your application was sent. You can follow it here."))
        return redirect("vacancies:my_applications")
    context = {
        "vacancy": vacancy,
        "skills": selectors.skills_of(vacancy),
        "form": form,
        "existing": existing,
        "profile": profile,
    }
    return render(request, "vacancies/open_detail.html", context, status=form_status(request))


@require_role(Role.CANDIDATE)
@require_safe
def my_applications(request: MemberRequest) -> HttpResponse:
    """The candidate's applications in their own words, the proposals waiting
    for their answer, and, after a rejection, the question whether to keep it."""
    profile = own_profile(request.membership)
    applications = list(selectors.applications_of_candidate(profile)) if profile else []
    kept = bool(applications) and keep.kept_for(request.user, request.organisation)
    for application in applications:
        if application.stage in (Stage.REJECTED, Stage.WITHDRAWN):
            application.keep_link = reverse(  # type: ignore[attr-defined]
                "vacancies:keep", args=[keep.token_for(application)]
            )
    context = {
        "applications": applications,
        "proposals": list(selectors.pending_proposals(profile)) if profile else [],
        "kept": kept,
    }
    return render(request, "vacancies/my_applications.html", context)


@require_role(Role.CANDIDATE)
def application_withdraw(request: MemberRequest, application_id: str) -> HttpResponse:
    actor = request.membership
    application = get_application_for_actor(actor, application_id)
    asked = confirm_first(
        request,
        question=_("Withdraw your application to “%(title)s”?") % {"title": application.vacancy},
        confirm_label=_("Withdraw"),
        cancel_url=reverse("vacancies:my_applications"),
        detail=_("The employer sees that you withdrew. You cannot apply to it again."),
    )
    if asked is not None:
        return asked
    try:
        services.application_withdraw(application=application, by=actor)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Your application was withdrawn."))
    return redirect("vacancies:my_applications")
