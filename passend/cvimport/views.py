"""CV import pages: upload, review (a form per part), confirm or skip a part, delete.

Each view: parse -> access -> service -> render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from passend.candidates.access import get_candidate_for_editor
from passend.candidates.models import CandidateProfile
from passend.common.adapters import confirm_first
from passend.cvimport import services
from passend.cvimport.access import get_import_for_actor
from passend.cvimport.extract import ExtractionFailed
from passend.cvimport.forms import ITEM_FORMS, ContactForm, ItemForm, UploadForm
from passend.cvimport.models import CvImport, ImportStatus, LanguageSkill, Part
from passend.documents.uploads import TOO_LARGE_FLAG, CappedUploadHandler
from passend.documents.validation import UploadRejected, too_large
from passend.tenancy.access import require_role
from passend.tenancy.http import MemberRequest
from passend.tenancy.models import Role

EDITORS = (Role.ADMIN, Role.PROFESSIONAL, Role.CANDIDATE)
SHOWN_IMPORTS = 5


@csrf_exempt
@transaction.non_atomic_requests
def upload(request: HttpRequest, candidate_id: Any) -> HttpResponse:
    # The size cap must be in place before the body is read, which is before
    # the CSRF middleware would read it; CSRF is checked just below instead.
    if request.method == "POST" and isinstance(request.upload_handlers, list):
        limit = services.upload_rule().max_bytes
        request.upload_handlers.insert(0, CappedUploadHandler(request, limit=limit))
    return _upload(request, candidate_id)


@csrf_protect
@require_http_methods(["GET", "POST"])
@require_role(*EDITORS)
def _upload(request: MemberRequest, candidate_id: Any) -> HttpResponse:
    actor = request.membership
    with transaction.atomic():
        profile = get_candidate_for_editor(actor, candidate_id)
        form = UploadForm(request.POST, request.FILES) if request.method == "POST" else UploadForm()
        status = 200
        if request.method == "POST":
            result = _read(request, form, profile)
            if isinstance(result, CvImport):
                return redirect("cvimport:review", import_id=result.pk)
            status = result
        imports = list(
            CvImport.objects.filter(profile=profile, status=ImportStatus.PENDING)[:SHOWN_IMPORTS]
        )
    context = {
        "profile": profile,
        "own": profile.membership_id == actor.pk,
        "form": form,
        "imports": imports,
        "max_mb": services.upload_rule().max_bytes // (1024 * 1024),
    }
    return render(request, "cvimport/upload.html", context, status=status)


def _read(request: MemberRequest, form: UploadForm, profile: CandidateProfile) -> int | CvImport:
    if getattr(request, TOO_LARGE_FLAG, False):
        form.is_valid()
        form.errors.pop("file", None)  # "required": the file was skipped at the cap
        form.add_error("file", str(too_large(services.upload_rule().max_bytes).message))
        return 413
    if not form.is_valid():
        return 400
    upload_file = form.cleaned_data["file"]
    try:
        return services.cv_import_create(
            profile=profile,
            by=request.membership,
            name=upload_file.name or "",
            chunks=upload_file.chunks(),
        )
    except UploadRejected as rejected:
        form.add_error("file", str(rejected.message))
        return rejected.status
    except ExtractionFailed as failed:
        form.add_error("file", str(failed.message))
        return 422


def _part_forms(cv_import: CvImport, data: Any = None, only: str = "") -> dict[str, Any]:
    """The review's forms, per part: the contact form, or one form per item."""
    proposal = cv_import.data
    forms: dict[str, Any] = {}
    for part in Part.values:
        bound = data if part == only else None
        if part == Part.CONTACT:
            contact = proposal.get("contact") or {}
            forms[part] = (
                [ContactForm(bound, prefix="contact", proposal=contact, current=cv_import.profile)]
                if contact
                else []
            )
            continue
        form_class = ITEM_FORMS[part]
        forms[part] = [
            form_class(bound, prefix=f"{part}-{index}", item=item)
            for index, item in enumerate(proposal.get(part) or [])
        ]
    return forms


def _review_page(
    request: MemberRequest, cv_import: CvImport, forms: dict[str, Any], status: int = 200
) -> HttpResponse:
    profile = cv_import.profile
    parts = [
        {
            "key": part,
            "label": Part(part).label,
            "forms": forms[part],
            "reviewed": part in cv_import.reviewed,
        }
        for part in Part.values
    ]
    context = {
        "cv_import": cv_import,
        "profile": profile,
        "own": profile.membership_id == request.membership.pk,
        "parts": parts,
        "notices": cv_import.data.get("notices", []),
        "languages": LanguageSkill.objects.filter(profile=profile),
        "done": cv_import.status == ImportStatus.DONE,
    }
    return render(request, "cvimport/review.html", context, status=status)


@require_safe
@require_role(*EDITORS)
def review(request: MemberRequest, import_id: Any) -> HttpResponse:
    cv_import = get_import_for_actor(request.membership, import_id)
    return _review_page(request, cv_import, _part_forms(cv_import))


@require_POST
@require_role(*EDITORS)
def confirm(request: MemberRequest, import_id: Any, part: str) -> HttpResponse:
    cv_import = get_import_for_actor(request.membership, import_id)
    if part not in Part.values:
        raise Http404
    anchor = reverse("cvimport:review", kwargs={"import_id": cv_import.pk}) + f"#part-{part}"
    if "skip" in request.POST:
        services.cv_import_skip(cv_import=cv_import, part=part)
        messages.info(request, _("Nothing of “%(part)s” was added.") % {"part": Part(part).label})
        return redirect(anchor)
    forms = _part_forms(cv_import, request.POST, only=part)
    bound = forms[part]
    if not bound or not all(form.is_valid() for form in bound):
        return _review_page(request, cv_import, forms, status=400)
    if part == Part.CONTACT:
        items = [bound[0].values()]
    else:
        items = [f.values() for f in bound if isinstance(f, ItemForm) and f.cleaned_data["accept"]]
    try:
        written = services.cv_import_confirm(
            cv_import=cv_import, part=part, by=request.membership, items=items
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        return redirect(anchor)
    messages.success(
        request,
        ngettext(
            "%(part)s: %(count)d change was saved to the profile.",
            "%(part)s: %(count)d changes were saved to the profile.",
            written,
        )
        % {"part": Part(part).label, "count": written},
    )
    return redirect(anchor)


@require_http_methods(["GET", "POST"])
@require_role(*EDITORS)
def delete(request: MemberRequest, import_id: Any) -> HttpResponse:
    cv_import = get_import_for_actor(request.membership, import_id)
    review_url = reverse("cvimport:review", kwargs={"import_id": cv_import.pk})
    if page := confirm_first(
        request,
        question=_("Delete this CV import?"),
        detail=_("What was read from the CV is forgotten; what you already added stays."),
        confirm_label=_("Delete"),
        cancel_url=review_url,
    ):
        return page
    profile_id = cv_import.profile_id
    services.cv_import_delete(cv_import=cv_import)
    messages.success(request, _("The CV import was deleted."))
    return redirect("candidates:detail", candidate_id=profile_id)
