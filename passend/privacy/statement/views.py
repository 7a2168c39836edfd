"""The privacy statement pages (anyone), the acknowledgement (signed in) and the
records of processing activities (organisation admins; platform staff)."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from passend.privacy.datamap import default_map
from passend.privacy.recipients import recipients
from passend.privacy.statement import selectors, services
from passend.privacy.statement.diff import diff_snapshots
from passend.privacy.statement.generate import collect_facts
from passend.privacy.statement.models import StatementVersion
from passend.privacy.statement.register import (
    controller_csv_rows,
    controller_record,
    party_of,
    processor_csv_rows,
    processor_record,
)
from passend.tenancy.access import require_role
from passend.tenancy.models import Role


def _not_published(request: HttpRequest) -> HttpResponse:
    # Pages only read: publishing is `manage.py publish_statement`, at deploy
    # time. Before the first one there is nothing to show, which is said plainly.
    return render(request, "statement/not_published.html", status=503)


def _safe_next(request: HttpRequest, target: str | None) -> str | None:
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def _page(request: HttpRequest, version: StatementVersion, latest: StatementVersion,
          template: str) -> HttpResponse:  # fmt: skip
    user: Any = request.user
    organisation = getattr(request, "organisation", None)
    context = {
        "version": version,
        "latest": latest,
        "is_latest": version.pk == latest.pk,
        "content": selectors.version_content(version, get_language()),
        "organisation": organisation,
        "contacts": selectors.contacts_of_organisation(organisation) if organisation else [],
        "pending": user.is_authenticated and selectors.acknowledgement_pending(user, latest),
        "previous": selectors.version_before(version),
    }
    return render(request, template, context)


def statement(request: HttpRequest) -> HttpResponse:
    latest = selectors.version_latest_summary()
    if latest is None:
        return _not_published(request)
    return _page(request, latest, latest, "statement/statement.html")


def versions(request: HttpRequest) -> HttpResponse:
    latest = selectors.version_latest_summary()
    if latest is None:
        return _not_published(request)
    items = list(selectors.version_list())
    pairs = [(v, items[i + 1] if i + 1 < len(items) else None) for i, v in enumerate(items)]
    return render(request, "statement/versions.html", {"pairs": pairs, "latest": latest})


def version_detail(request: HttpRequest, number: str) -> HttpResponse:
    latest = selectors.version_latest_summary()
    if latest is None:
        return _not_published(request)
    version = selectors.version_by_number(number)
    if version is None:
        raise Http404
    return _page(request, version, latest, "statement/version.html")


def changes(request: HttpRequest) -> HttpResponse:
    latest = selectors.version_latest()
    if latest is None:
        return _not_published(request)
    new = selectors.version_by_number(request.GET["to"]) if "to" in request.GET else latest
    if new is None:
        raise Http404
    if "from" in request.GET:
        old = selectors.version_by_number(request.GET["from"])
        if old is None:
            raise Http404
    else:
        old = selectors.version_before(new) or new
    diff = diff_snapshots(old.snapshot, new.snapshot, language=get_language())
    context = {
        "old": old,
        "new": new,
        "diff": diff,
        "all_versions": list(selectors.version_list()),
    }
    return render(request, "statement/changes.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def acknowledge(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    next_url = _safe_next(request, request.POST.get("next") or request.GET.get("next"))
    if request.method == "POST":
        version = selectors.version_by_number(request.POST.get("version"))
        if version is None:
            raise Http404
        services.statement_acknowledge(user=user, version=version)
        messages.success(
            request,
            _("Thank you. You confirmed that you read version %(number)s of the privacy statement.")
            % {"number": version.number},
        )
        return redirect(next_url or "statement:statement")
    latest = selectors.version_latest()
    if latest is None:
        return _not_published(request)
    baseline = selectors.baseline_version(user)
    diff = None
    if baseline is not None and baseline.pk != latest.pk:
        diff = diff_snapshots(baseline.snapshot, latest.snapshot, language=get_language())
    context = {
        "latest": latest,
        "baseline": baseline,
        "diff": diff,
        "pending": selectors.acknowledgement_pending(user, latest),
        "next": next_url or "",
    }
    return render(request, "statement/acknowledge.html", context)


def _csv_response(rows: list[list[str]], filename: str) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = csv.writer(response)
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])
    return response


def _csv_cell(value: str) -> str:
    # Text that a spreadsheet would run as a formula is shown as text (CSV injection).
    if value and value[0] in "=+-@\t\r":
        return "'" + value
    return value


@require_role(Role.ADMIN)
def register_controller(request: HttpRequest) -> HttpResponse:
    organisation = request.organisation  # type: ignore[attr-defined]
    latest = selectors.version_latest_summary()
    datamap, register = default_map(), recipients()
    record = controller_record(
        facts=collect_facts(datamap, register),
        controller=party_of(organisation, selectors.contacts_of_organisation(organisation)),
        register=register,
        datamap=datamap,
    )
    if request.GET.get("format") == "csv":
        name = f"register-{organisation.slug}-{timezone.localdate():%Y-%m-%d}.csv"
        return _csv_response(controller_csv_rows(record), name)
    context = {"record": record, "latest": latest, "today": timezone.localdate()}
    return render(request, "statement/register_controller.html", context)


def register_processor(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not (user.is_authenticated and user.is_platform_staff):
        raise Http404
    latest = selectors.version_latest_summary()
    datamap, register = default_map(), recipients()
    contacts = selectors.contacts_by_organisation()
    organisations = selectors.organisations_for_register()
    record = processor_record(
        facts=collect_facts(datamap, register),
        controllers=[party_of(org, contacts.get(org.pk, [])) for org in organisations],
        register=register,
        datamap=datamap,
    )
    if request.GET.get("format") == "csv":
        name = f"register-processor-{timezone.localdate():%Y-%m-%d}.csv"
        return _csv_response(processor_csv_rows(record), name)
    context = {"record": record, "latest": latest, "today": timezone.localdate()}
    return render(request, "statement/register_processor.html", context)
