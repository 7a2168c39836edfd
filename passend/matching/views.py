"""Pages of matching: ranked candidates for a vacancy, ranked vacancies for a
candidate (for their advisor, and "Vacancies for you" for the candidate)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from passend.candidates.access import get_candidate_for_actor
from passend.common.adapters import form_status, submit
from passend.matching import explain, geo, services
from passend.matching.forms import JobPreferenceForm
from passend.matching.models import JobPreference
from passend.matching.services import RankingResult
from passend.tenancy.access import require_role
from passend.tenancy.http import MemberRequest
from passend.tenancy.models import Role
from passend.vacancies.access import MANAGERS, get_vacancy_for_actor, own_profile
from passend.vacancies.models import Application, Proposal, ProposalStatus, VacancyStatus


def _readings(result: RankingResult) -> list[tuple[Any, explain.Reading]]:
    occupations, skills = explain.labels_for([m.explanation for m in result.matches])
    return [(m, explain.read(m.explanation, occupations, skills)) for m in result.matches]


@require_role(*MANAGERS)
@require_safe
def candidates_for_vacancy(request: MemberRequest, vacancy_id: str) -> Any:
    """The organisation's candidates ranked for one vacancy, each with why; the
    advisor chooses whom to propose (nothing reaches the employer by itself)."""
    vacancy = get_vacancy_for_actor(request.membership, vacancy_id)
    result = services.rank_candidates(vacancy, requested_by=request.user)
    ids = [m.candidate_id for m in result.matches]
    applied = set(
        Application.objects.filter(vacancy=vacancy, candidate__in=ids).values_list(
            "candidate", flat=True
        )
    )
    proposed = set(
        Proposal.objects.filter(
            vacancy=vacancy, candidate__in=ids, status=ProposalStatus.PENDING
        ).values_list("candidate", flat=True)
    )
    context = {
        "vacancy": vacancy,
        "result": result,
        "rows": _readings(result),
        "applied": applied,
        "proposed": proposed,
        "open": vacancy.status == VacancyStatus.PUBLISHED,
        "attribution": geo.ATTRIBUTION,
    }
    return render(request, "matching/candidates.html", context)


@require_role(*MANAGERS)
@require_safe
def vacancies_for_candidate(request: MemberRequest, candidate_id: str) -> Any:
    candidate = get_candidate_for_actor(request.membership, candidate_id)
    result = services.rank_vacancies(candidate, requested_by=request.user)
    context = {
        "candidate": candidate,
        "result": result,
        "rows": _readings(result),
        "attribution": geo.ATTRIBUTION,
    }
    return render(request, "matching/vacancies.html", context)


@require_role(Role.CANDIDATE)
@require_safe
def for_me(request: MemberRequest) -> Any:
    """Vacancies for you, and why: what the candidate reads."""
    profile = own_profile(request.membership)
    result = services.rank_vacancies(profile, requested_by=request.user) if profile else None
    context = {
        "candidate": profile,
        "result": result,
        "rows": _readings(result) if result else [],
        "own": True,
        "attribution": geo.ATTRIBUTION,
    }
    return render(request, "matching/vacancies.html", context)


@require_role(Role.CANDIDATE)
@require_http_methods(["GET", "POST"])
def preferences(request: MemberRequest) -> Any:
    """The candidate's own wishes: one of the signals, in their own words."""
    profile = own_profile(request.membership)
    if profile is None:
        return redirect("candidates:me")
    instance = JobPreference.objects.filter(profile=profile).first() or JobPreference(
        organisation_id=profile.organisation_id, profile=profile
    )
    form = JobPreferenceForm(request.POST or None, instance=instance)

    def save(data: dict[str, Any]) -> None:
        services.preference_save(form=form)

    if submit(request, form, save):
        messages.success(request, _("Your wishes are saved. Vacancies for you use them now."))
        return redirect("matching:for_me")
    return render(request, "matching/preferences.html", {"form": form}, status=form_status(request))
