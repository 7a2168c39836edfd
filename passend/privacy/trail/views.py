"""The audit pages: an organisation's trail for its admins, and "who looked at my
data" for everyone signed in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from passend.privacy.trail import selectors
from passend.privacy.trail.forms import TrailFilterForm
from passend.tenancy.access import require_role
from passend.tenancy.models import Role

PAGE_SIZE = 50


@require_role(Role.ADMIN)
def trail(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    form = TrailFilterForm(request.GET, organisation=organisation)
    events = selectors.trail_for_organisation(organisation=organisation, filters=form.filters())
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.describe_trail(list(page.object_list), organisation=organisation)
    return render(request, "audit/trail.html", {"form": form, "page": page, "rows": rows})


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    events = selectors.disclosures_for_subject(user=request.user)
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = selectors.describe_disclosures(list(page.object_list), user=request.user)
    return render(request, "audit/my_data.html", {"page": page, "rows": rows})
