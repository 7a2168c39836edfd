"""The "my data" page, one kind of data paged, the export page and the download link
(GDPR Art. 15, 16, 20).

Every signed-in person, whatever their role: rights belong to people, not
to roles. Each view: parse -> access -> service/selector -> render.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from passend.privacy.rights import selectors, services
from passend.privacy.rights.access import (
    get_export_by_token,
    get_export_for_person,
    get_group_for_person,
)
from passend.privacy.rights.forms import ExportForm
from passend.privacy.rights.inventory import (
    ROW_LIMIT,
    KindRecords,
    inventory_for,
    kind_block,
    kind_parts,
)
from passend.privacy.rights.models import ExportStatus


def _url(*names: str, fallback: str) -> str:
    """Link pages other apps are still building by name, once one exists."""
    for name in names:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return fallback


def _links() -> dict[str, str]:
    return {
        "who_viewed": reverse("audit:my_data"),
        "export": reverse("rights:export"),
        "choices": _url("restriction:choices", "restriction:mine", fallback="/my-choices/"),
        "delete": _url("erasure:start", fallback="/account/delete/"),
    }


@login_required
def my_data(request: HttpRequest) -> HttpResponse:
    inventory = inventory_for(
        request.user, current_organisation=getattr(request, "organisation", None)
    )
    return render(request, "rights/my_data.html", {"inventory": inventory, "links": _links()})


@login_required
def kind(request: HttpRequest, group: str, kind: str) -> HttpResponse:
    """Every record of one kind of data in one organisation (or the account), 20 a page.

    Not the person's organisation, or a kind they have no data of there: 404.
    """
    membership = get_group_for_person(request.user, group)
    parts = kind_parts(request.user.pk, group, kind)
    if not parts:
        raise Http404
    page = Paginator(KindRecords(parts), ROW_LIMIT).get_page(request.GET.get("page"))
    block = kind_block(
        request.user,
        key=group,
        kind=kind,
        records=list(page.object_list),
        current_organisation=getattr(request, "organisation", None),
    )
    context = {
        "data": block,
        "page": page,
        "organisation": membership.organisation if membership else None,
        "links": _links(),
    }
    return render(request, "rights/kind.html", context)


def _export_context(request: HttpRequest, form: ExportForm) -> dict[str, Any]:
    jobs = selectors.exports_of(request.user)
    latest = jobs[0] if jobs else None
    return {
        "form": form,
        "latest": latest,
        "earlier": jobs[1:],
        "now": timezone.now(),
        "links": _links(),
        "Status": ExportStatus,
    }


@never_cache
@login_required
def export(request: HttpRequest) -> HttpResponse:
    form = ExportForm(request.POST or None)
    if request.method == "POST":
        if form.is_valid():
            try:
                services.export_request(user=request.user, scope=form.cleaned_data["scope"])
            except ValidationError as error:
                form.add_error("scope", error.message_dict.get("scope", error.messages))
            else:
                return redirect("rights:export")
        return render(request, "rights/export.html", _export_context(request, form), status=400)
    context = _export_context(request, form)
    if getattr(request, "htmx", False):
        return render(request, "rights/_export_status.html", context)
    return render(request, "rights/export.html", context)


@login_required
@require_POST
def export_link(request: HttpRequest, job_id: str) -> HttpResponse:
    """Make a fresh single-use link for the person's ready export and follow it."""
    job = get_export_for_person(request.user, job_id)
    try:
        token = services.export_link_create(job=job)
    except services.ExportUnavailable:
        return render(request, "rights/export_gone.html", {"job": job, "reason": "expired"},
                      status=410)  # fmt: skip
    return redirect("rights:download", token=token)


@never_cache
@login_required
def download(request: HttpRequest, token: str) -> HttpResponse:
    job = get_export_by_token(request.user, token)
    result = services.export_download(job=job)
    if result.data is None:
        context = {"job": result.job, "reason": result.reason}
        return render(request, "rights/export_gone.html", context, status=410)
    stamp = timezone.localtime(result.job.created_at).strftime("%Y-%m-%d")
    response = HttpResponse(result.data, content_type="application/zip")
    response["Content-Disposition"] = (
        f'attachment; filename="passend-{result.job.scope}-{stamp}.zip"'
    )
    response["Cache-Control"] = "no-store"
    return response
