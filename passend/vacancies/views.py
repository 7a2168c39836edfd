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
from passend.tenancy.access import require_role
from passend.tenancy.http import MemberRequest
from passend.tenancy.models import Employer
from passend.vacancies import selectors, services
from passend.vacancies.access import EDITORS, get_vacancy_for_actor, may_choose_employer
from passend.vacancies.forms import CloseForm, SkillForm, StatusFilterForm, VacancyForm
from passend.vacancies.models import Vacancy, VacancyStatus

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
    context = {
        "vacancy": vacancy,
        "skills": selectors.skills_of(vacancy),
        "history": selectors.history_of(vacancy),
        "skill_form": SkillForm(),
        "editable": vacancy.status != VacancyStatus.CLOSED,
    }
    return render(request, "vacancies/detail.html", context)


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
    context = {
        "vacancy": vacancy,
        "skills": selectors.skills_of(vacancy),
        "history": selectors.history_of(vacancy),
        "skill_form": form,
        "editable": True,
    }
    return render(request, "vacancies/detail.html", context, status=400)


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
