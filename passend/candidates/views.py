"""Profile pages: my profile, the caseload list, a candidate, sections, shares, schemes.

Each view: parse -> access -> service/selector -> render.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from passend.candidates import selectors, services
from passend.candidates.access import (
    get_candidate_for_actor,
    get_candidate_for_editor,
    get_candidate_membership_for_actor,
    get_entry_for_actor,
    get_scheme_for_actor,
    get_share_for_actor,
    shares_documents_with,
)
from passend.candidates.forms import (
    CandidateSearchForm,
    ContactProfileForm,
    ProfileForm,
    SchemeForm,
    ShareForm,
    section_form_class,
)
from passend.candidates.models import CandidateProfile
from passend.candidates.sections import SECTIONS, SectionSpec
from passend.common.adapters import apply_errors, confirm_first
from passend.common.paging import CountedPaginator
from passend.tenancy.access import require_role
from passend.tenancy.http import MemberRequest
from passend.tenancy.models import Membership, Role

ADMIN, PROFESSIONAL, EMPLOYER, CANDIDATE = (
    Role.ADMIN,
    Role.PROFESSIONAL,
    Role.EMPLOYER,
    Role.CANDIDATE,
)
PAGE_SIZE = 25
SHOWN_SHARES = 20


def _spec(kind: str) -> SectionSpec:
    spec = SECTIONS.get(kind)
    if spec is None:
        raise Http404
    return spec


def _profile_page(request: MemberRequest, profile: CandidateProfile) -> HttpResponse:
    actor = request.membership
    context = {
        "profile": selectors.full_view(profile),
        "sections": selectors.section_windows(profile),
        # One more than shown, to know whether older stopped shares are left out.
        "shares": list(selectors.shares_of(profile)[: SHOWN_SHARES + 1]),
        "shown_shares": SHOWN_SHARES,
        "share_form": ShareForm(),
        "is_own": profile.membership_id == actor.pk,
        "may_manage": actor.role in (ADMIN, PROFESSIONAL),
    }
    return render(request, "candidates/profile.html", context)


@require_role(CANDIDATE)
def me(request: MemberRequest) -> HttpResponse:
    profile = services.candidate_profile_ensure(membership=request.membership)
    return _profile_page(request, profile)


@require_role(ADMIN, PROFESSIONAL)
def candidate_list(request: MemberRequest) -> HttpResponse:
    """The caseload, searchable by name.

    The search form posts: a name comes back as `?q=` (so pages and links
    work); a BSN or IBAN is refused on the posted page and never reaches a URL.
    An administrator may look up a flex worker by BSN: the answer is the posted
    page itself, the number goes through the blind index and is never echoed.
    A `?q=` someone typed into the address bar is checked too, and never finds
    anyone by BSN.
    """
    htmx = bool(request.htmx)
    actor = request.membership
    if request.method == "POST":
        form = CandidateSearchForm(request.POST, allow_bsn=actor.role == Role.ADMIN)
        valid = form.is_valid()
        bsn = form.cleaned_data.get("bsn", "") if valid else ""
        if valid and not bsn and not htmx:
            query = f"?{urlencode({'q': form.cleaned_data['q']})}" if form.cleaned_data["q"] else ""
            return redirect(reverse("candidates:list") + query)
    else:
        form = CandidateSearchForm(request.GET if "q" in request.GET else None)
        bsn = ""
    if bsn:
        # The number is not shown back: the field is emptied on the page.
        form = CandidateSearchForm(allow_bsn=True)
        found = selectors.worker_by_bsn(bsn, organisation_id=actor.organisation_id)
        search = ""
    else:
        search = form.cleaned_data["q"] if form.is_bound and form.is_valid() else ""
        found = (
            selectors.candidate_memberships(search)
            if not form.errors
            else Membership.objects.none()
        )
    # The whole list's total is a cached count; a search counts its matches.
    whole = not bsn and not search and not form.errors
    total = selectors.listed_counts().candidates if whole else None
    page = CountedPaginator(found, PAGE_SIZE, count=total).get_page(request.GET.get("page"))
    template = "candidates/_candidate_rows.html" if htmx else "candidates/candidate_list.html"
    context = {"page": page, "form": form, "search": search, "by_bsn": bool(bsn)}
    return render(request, template, context)


@require_role(ADMIN, PROFESSIONAL)
@require_POST
def start(request: MemberRequest, membership_id: str) -> HttpResponse:
    """Open the profile of a candidate who has not opened it yet."""
    member = get_candidate_membership_for_actor(request.membership, membership_id)
    profile = services.candidate_profile_ensure(membership=member)
    return redirect("candidates:detail", candidate_id=profile.pk)


@require_role(ADMIN, PROFESSIONAL, EMPLOYER, CANDIDATE)
def detail(request: MemberRequest, candidate_id: str) -> HttpResponse:
    actor = request.membership
    profile = get_candidate_for_actor(actor, candidate_id)
    if actor.role == EMPLOYER:
        context = {
            "view": selectors.employer_view(profile, with_sections=False),
            "sections": selectors.section_windows(profile, for_employer=True),
            "documents": shares_documents_with(profile, actor),
        }
        return render(request, "candidates/employer_profile.html", context)
    return _profile_page(request, profile)


@require_role(ADMIN, PROFESSIONAL, EMPLOYER, CANDIDATE)
@require_safe
def section_list(request: MemberRequest, candidate_id: str, kind: str) -> HttpResponse:
    """Every entry of one section, a page at a time: the "show all" behind the
    profile page's first entries. Who may see the profile page may see this;
    an employer only a section shown to employers."""
    actor = request.membership
    profile = get_candidate_for_actor(actor, candidate_id)
    spec = _spec(kind)
    employer = actor.role == EMPLOYER
    if employer and not spec.for_employers:
        raise Http404
    entries = selectors.section_list(profile, spec)
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"profile": profile, "spec": spec, "page": page, "may_edit": not employer}
    return render(request, "candidates/section_list.html", context)


@require_role(ADMIN, PROFESSIONAL, CANDIDATE)
def edit(request: MemberRequest, candidate_id: str) -> HttpResponse:
    actor = request.membership
    profile = get_candidate_for_editor(actor, candidate_id)
    if request.method != "POST" and profile.iban:
        selectors.full_view(profile, shown=("iban",))  # the form shows the IBAN, not the BSN
    form = ProfileForm(request.POST or None, profile=profile, actor=actor)
    if request.method == "POST" and form.is_valid():
        try:
            services.candidate_profile_update(profile=profile, by=actor, data=form.changes())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The profile was saved."))
            return redirect("candidates:detail", candidate_id=profile.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "candidates/profile_form.html", {"form": form, "profile": profile}, status=status
    )


def _section_response(
    request: MemberRequest, profile: CandidateProfile, spec: SectionSpec
) -> HttpResponse:
    if request.htmx:
        window = selectors.section_window(profile, spec)
        context = {
            "profile": profile,
            "candidate_id": profile.pk,
            "spec": spec,
            "window": window,
            "entries": window.entries,
            "may_edit": True,
        }
        return render(request, "candidates/_section.html", context)
    return redirect("candidates:detail", candidate_id=profile.pk)


@require_role(ADMIN, PROFESSIONAL, CANDIDATE)
def section_add(request: MemberRequest, candidate_id: str, kind: str) -> HttpResponse:
    actor = request.membership
    profile = get_candidate_for_editor(actor, candidate_id)
    spec = _spec(kind)
    form = section_form_class(spec)(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.section_entry_create(profile=profile, model=spec.model, data=form.values())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _section_response(request, profile, spec)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "candidates/section_form.html",
        {"form": form, "profile": profile, "spec": spec, "entry": None},
        status=status,
    )


@require_role(ADMIN, PROFESSIONAL, CANDIDATE)
def section_edit(
    request: MemberRequest, candidate_id: str, kind: str, entry_id: str
) -> HttpResponse:
    actor = request.membership
    profile = get_candidate_for_editor(actor, candidate_id)
    spec = _spec(kind)
    entry = get_entry_for_actor(actor, profile, spec.model, entry_id)
    form = section_form_class(spec)(request.POST or None, instance=entry)
    if request.method == "POST" and form.is_valid():
        try:
            services.section_entry_update(entry=entry, data=form.values())
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _section_response(request, profile, spec)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "candidates/section_form.html",
        {"form": form, "profile": profile, "spec": spec, "entry": entry},
        status=status,
    )


@require_role(ADMIN, PROFESSIONAL, CANDIDATE)
@require_http_methods(["GET", "POST"])
def section_delete(
    request: MemberRequest, candidate_id: str, kind: str, entry_id: str
) -> HttpResponse:
    actor = request.membership
    profile = get_candidate_for_editor(actor, candidate_id)
    spec = _spec(kind)
    entry = get_entry_for_actor(actor, profile, spec.model, entry_id)
    if page := confirm_first(
        request,
        question=_("Remove this entry from “%(section)s”?") % {"section": spec.title},
        detail=_("This cannot be undone."),
        confirm_label=_("Remove"),
        cancel_url=reverse("candidates:detail", kwargs={"candidate_id": profile.pk}),
    ):
        return page
    services.section_entry_delete(entry=entry)
    return _section_response(request, profile, spec)


@require_role(ADMIN, PROFESSIONAL, CANDIDATE)
@require_POST
def share(request: MemberRequest, candidate_id: str) -> HttpResponse:
    actor = request.membership
    profile = get_candidate_for_editor(actor, candidate_id)
    form = ShareForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose an employer of this organisation."))
        return redirect("candidates:detail", candidate_id=profile.pk)
    try:
        result = services.profile_share(
            profile=profile,
            employer=form.cleaned_data["employer"],
            by=actor,
            includes_documents=form.cleaned_data["includes_documents"],
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect("candidates:detail", candidate_id=profile.pk)
    if result.is_active:
        messages.success(request, _("The profile is now shared with this employer."))
    elif actor.role == CANDIDATE:
        messages.success(request, _("You agreed; your career advisor still has to share it."))
    else:
        messages.success(request, _("Shared; the candidate still has to agree."))
    return redirect("candidates:detail", candidate_id=profile.pk)


@require_role(ADMIN, PROFESSIONAL, CANDIDATE)
@require_http_methods(["GET", "POST"])
def share_revoke(request: MemberRequest, share_id: str) -> HttpResponse:
    actor = request.membership
    found = get_share_for_actor(actor, share_id)
    if page := confirm_first(
        request,
        question=_("Stop sharing the profile with %(employer)s?")
        % {"employer": found.employer.name},
        detail=_("The employer can no longer see the profile."),
        confirm_label=_("Stop sharing"),
        cancel_url=reverse("candidates:detail", kwargs={"candidate_id": found.profile_id}),
    ):
        return page
    services.profile_share_revoke(share=found, by=actor)
    messages.success(request, _("The employer can no longer see the profile."))
    return redirect("candidates:detail", candidate_id=found.profile_id)


@require_role(EMPLOYER)
def shared(request: MemberRequest) -> HttpResponse:
    page = Paginator(selectors.shared_with_employer(request.membership), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "candidates/shared.html", {"page": page})


@require_role(ADMIN)
def schemes(request: MemberRequest) -> HttpResponse:
    form = SchemeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.scheme_create(
                organisation_id=request.membership.organisation_id, **form.cleaned_data
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The scheme was added."))
            return redirect("candidates:schemes")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "candidates/schemes.html",
        {"form": form, "schemes": selectors.schemes()},
        status=status,
    )


@require_role(ADMIN)
@require_POST
def scheme_toggle(request: MemberRequest, scheme_id: str) -> HttpResponse:
    scheme = get_scheme_for_actor(request.membership, scheme_id)
    services.scheme_set_active(scheme=scheme, is_active=not scheme.is_active)
    return redirect("candidates:schemes")


@require_role(ADMIN, PROFESSIONAL, EMPLOYER)
def contact_profile(request: MemberRequest) -> HttpResponse:
    actor = request.membership
    current = selectors.contact_profile_of(actor)
    initial = {"name": actor.user.name, "email": actor.user.email}
    form = ContactProfileForm(request.POST or None, instance=current, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_profile_save(membership=actor, data=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your contact profile was saved."))
            return redirect("candidates:contact_profile")
    status = 400 if request.method == "POST" else 200
    return render(request, "candidates/contact_profile.html", {"form": form}, status=status)
