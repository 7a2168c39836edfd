"""Document pages: parse -> access -> service/selector -> render."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from passend.common.adapters import confirm_first
from passend.documents import access, selectors, services
from passend.documents.forms import IdCopyForm, UploadForm
from passend.documents.models import Document, DocumentKind
from passend.documents.uploads import TOO_LARGE_FLAG, CappedUploadHandler
from passend.documents.validation import UploadRejected, too_large
from passend.tenancy.access import require_role
from passend.tenancy.http import MemberRequest
from passend.tenancy.models import Role

ALL_ROLES = (Role.ADMIN, Role.PROFESSIONAL, Role.EMPLOYER, Role.CANDIDATE)
DOCUMENTS_PAGE_SIZE = 20


@require_GET
@require_role(Role.CANDIDATE)
def mine(request: MemberRequest) -> HttpResponse:
    profile = access.own_profile(request.membership)
    return redirect("documents:candidate", candidate_id=profile.pk)


@csrf_exempt
@transaction.non_atomic_requests
def candidate(request: HttpRequest, candidate_id: Any) -> HttpResponse:
    # The size cap must be in place before the body is read, which is before
    # CSRF middleware would read it; CSRF is checked just below instead.
    if request.method == "POST":
        # If the body was already read, the service's own cap still applies.
        handlers = request.upload_handlers
        if isinstance(handlers, list):
            handlers.insert(0, CappedUploadHandler(request))
    return _candidate(request, candidate_id)


@csrf_protect
@require_http_methods(["GET", "POST"])
@require_role(*ALL_ROLES)
def _candidate(request: MemberRequest, candidate_id: Any) -> HttpResponse:
    actor = request.membership
    with transaction.atomic():
        profile = access.get_candidate_for_actor(actor, candidate_id)
        own = profile.membership_id == actor.pk
        form = UploadForm(passport_photo=own)
        status = 200
        if request.method == "POST":
            if not access.may_upload(actor, profile):
                raise PermissionDenied
            form = UploadForm(request.POST, request.FILES, passport_photo=own)
            status = _upload(request, form, profile, actor)
            if status == 302:
                return redirect("documents:candidate", candidate_id=profile.pk)
        # A page at a time: the list grows with the years, the page does not.
        page = Paginator(
            selectors.documents_for_actor(actor=actor, candidate=profile), DOCUMENTS_PAGE_SIZE
        ).get_page(request.GET.get("page"))
    context = {
        "profile": profile,
        "own": own,
        "page": page,
        "documents": [(d, access.may_delete(actor, d)) for d in page],
        "form": form,
        "is_staff": actor.role in access.STAFF,
        "may_upload": access.may_upload(actor, profile),
        "id_copy_form": IdCopyForm(),
    }
    return render(request, "documents/candidate.html", context, status=status)


def _upload(request: HttpRequest, form: UploadForm, profile: Any, actor: Any) -> int:
    if getattr(request, TOO_LARGE_FLAG, False):
        message = str(too_large(services.largest_limit()).message)
        form.add_error("file", _with_accepted(message, request.POST.get("kind", "")))
        return 413
    if not form.is_valid():
        return 400
    upload = form.cleaned_data["file"]
    try:
        services.document_upload(
            candidate=profile,
            kind=form.cleaned_data["kind"],
            name=upload.name or "",
            chunks=upload.chunks(),
            by=actor,
            consent=form.cleaned_data.get("consent", False),
        )
    except UploadRejected as rejected:
        form.add_error("file", _with_accepted(str(rejected.message), form.cleaned_data["kind"]))
        return rejected.status
    messages.success(request, _("The document was uploaded."))
    return 302


def _with_accepted(message: str, kind: str) -> str:
    """An upload error that also says what this kind of document accepts."""
    if kind not in DocumentKind.values:
        return message
    accepted = _("Accepted for “%(kind)s”: %(accepted)s.") % {
        "kind": DocumentKind(kind).label,
        "accepted": services.accepted_for(kind),
    }
    return f"{message} {accepted}"


def attachment(data: bytes, document: Document) -> HttpResponse:
    response = HttpResponse(data, content_type=document.content_type)
    response["Content-Disposition"] = (
        content_disposition_header(as_attachment=True, filename=document.original_name)
        or "attachment"
    )
    response["Cache-Control"] = "no-store, private"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@require_GET
@require_role(*ALL_ROLES)
def download(request: MemberRequest, document_id: Any) -> HttpResponse:
    actor = request.membership
    document = access.get_document_for_actor(actor, document_id)
    try:
        data = services.document_download(document=document, by=actor)
    except UploadRejected:
        raise Http404 from None
    return attachment(data, document)


@require_http_methods(["GET", "POST"])
@require_role(*ALL_ROLES)
def delete(request: MemberRequest, document_id: Any) -> HttpResponse:
    actor = request.membership
    document = access.get_document_for_actor(actor, document_id)
    if not access.may_delete(actor, document):
        raise PermissionDenied
    candidate_id = document.candidate_id
    if page := confirm_first(
        request,
        question=_("Delete the document “%(name)s”?") % {"name": document.original_name},
        detail=_("The file is deleted for good; this cannot be undone."),
        confirm_label=_("Delete"),
        cancel_url=reverse("documents:candidate", kwargs={"candidate_id": candidate_id}),
    ):
        return page
    services.document_delete(document=document, by=actor)
    messages.success(request, _("The document was deleted."))
    return redirect("documents:candidate", candidate_id=candidate_id)


@require_POST
@require_role(Role.ADMIN, Role.PROFESSIONAL)
def id_copy(request: MemberRequest, document_id: Any) -> HttpResponse:
    actor = request.membership
    document = access.get_document_for_actor(actor, document_id)
    if document.kind != DocumentKind.ID_COPY:
        raise Http404
    form = IdCopyForm(request.POST)
    if form.is_valid():
        try:
            services.document_id_copy_update(document=document, by=actor, **form.cleaned_data)
        except UploadRejected as rejected:
            messages.error(request, str(rejected.message))
            return redirect("documents:candidate", candidate_id=document.candidate_id)
        messages.success(request, _("The ID copy settings were saved."))
    else:
        # Name the rule that was broken (e.g. the bounds of a date), not just "invalid".
        details = " ".join(str(error) for errors in form.errors.values() for error in errors)
        messages.error(request, f"{_('Enter valid dates.')} {details}".strip())
    return redirect("documents:candidate", candidate_id=document.candidate_id)
