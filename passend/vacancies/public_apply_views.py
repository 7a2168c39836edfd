"""Applying on the public job page without an account: the form, the
confirmation link, and the invitation to claim an account
(services in `public_apply`).

Public pages, so never cached (the site's no-store): they carry a CSRF token
and, after a confirmation, what the visitor's session remembers. A form that
robots fill in (the honeypot) is answered like a success and goes nowhere;
the form and the invitation are limited per client address and per e-mail
address (`PUBLIC_APPLICATION_RATE_LIMIT`).
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from passend.common.adapters import apply_errors, get_or_404
from passend.common.ratelimit import Limit, client_address
from passend.documents.models import DocumentKind
from passend.documents.services import accepted_for, rule_for
from passend.documents.uploads import TOO_LARGE_FLAG, CappedUploadHandler
from passend.documents.validation import UploadRejected, too_large
from passend.privacy.consent.services import statement_version_now
from passend.vacancies import public, public_apply
from passend.vacancies.models import Vacancy
from passend.vacancies.public_forms import PublicApplyForm

# What the "your application is in" page and the invitation button need:
# ids only, in the session of the visitor who confirmed.
CONFIRMED_SESSION_KEY = "passend_public_application"

DEFAULT_RATE = "5/h"
RATE_SETTING = "PUBLIC_APPLICATION_RATE_LIMIT"
BY_CLIENT = Limit(group="passend.jobs.apply.client", setting=RATE_SETTING, default=DEFAULT_RATE)
BY_ADDRESS = Limit(group="passend.jobs.apply.address", setting=RATE_SETTING, default=DEFAULT_RATE)
CLAIM_BY_PERSON = Limit(group="passend.jobs.claim", setting=RATE_SETTING, default=DEFAULT_RATE)


def allow_apply(request: HttpRequest, email: str) -> bool:
    """Count one application; False once the client or the address used up the rate."""
    address = hashlib.sha256(email.strip().lower().encode()).hexdigest()
    by_client = BY_CLIENT.hit(request, client_address(request)).allowed
    by_address = BY_ADDRESS.hit(request, address).allowed
    return by_client and by_address


def _vacancy(slug: str, vacancy_id: Any) -> Vacancy:
    """A published vacancy of a publishing organisation, under its own address; else 404
    (the rules of the job's own page)."""
    vacancy: Vacancy = get_or_404(public.published().filter(organisation__slug=slug), vacancy_id)
    return vacancy


def _language() -> str:
    language = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


# --- The form -----------------------------------------------------------------


@csrf_exempt
@transaction.non_atomic_requests
def apply(request: HttpRequest, slug: str, vacancy_id: Any) -> HttpResponse:
    # The CV's size cap must be in place before the body is read, which is
    # before CSRF middleware would read it; CSRF is checked just below instead.
    if request.method == "POST":
        handlers = request.upload_handlers
        if isinstance(handlers, list):
            handlers.insert(0, CappedUploadHandler(request, rule_for(DocumentKind.CV).max_bytes))
    return _apply(request, slug, vacancy_id)


@csrf_protect
@require_http_methods(["GET", "POST"])
def _apply(request: HttpRequest, slug: str, vacancy_id: Any) -> HttpResponse:
    vacancy = _vacancy(slug, vacancy_id)
    posted = request.method == "POST"
    form = PublicApplyForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        statement_version=statement_version_now(),
    )
    status = 200
    if posted:
        if form.is_spam:  # answered as a success; nothing stored, nothing sent
            return redirect("jobs:apply_sent", slug=slug, vacancy_id=vacancy.pk)
        status = _submit(request, form, vacancy)
        if status == 302:
            return redirect("jobs:apply_sent", slug=slug, vacancy_id=vacancy.pk)
    context = {
        "vacancy": vacancy,
        "publisher": vacancy.organisation,
        "form": form,
        "days": public_apply.valid_days(),
    }
    return render(request, "vacancies/public/apply.html", context, status=status)


def _submit(request: HttpRequest, form: PublicApplyForm, vacancy: Vacancy) -> int:
    valid = form.is_valid()
    if getattr(request, TOO_LARGE_FLAG, False):
        form.errors.pop("cv", None)  # "required": the file was refused as it came in
        form.add_error("cv", _with_accepted(str(too_large(rule_for(DocumentKind.CV).max_bytes))))
        return 413
    if not valid:
        return 400
    data = form.cleaned_data
    if not allow_apply(request, data["email"]):
        form.add_error(
            None,
            _("Too many applications were sent from here or to this address. "
              "Nothing was stored. Please try again in an hour."),
        )  # fmt: skip
        return 429
    upload = data["cv"]
    try:
        public_apply.public_application_submit(
            vacancy=vacancy,
            name=data["name"],
            email=data["email"],
            motivation=data["motivation"],
            file_name=upload.name or "",
            chunks=upload.chunks(),
            statement_version=form.statement_version,
            language=_language(),
        )
    except UploadRejected as rejected:
        form.add_error("cv", _with_accepted(str(rejected.message)))
        return rejected.status
    except ValidationError as error:
        apply_errors(form, error)
        return 400
    return 302


def _with_accepted(message: str) -> str:
    return f"{message} " + _("Accepted: %(accepted)s.") % {
        "accepted": accepted_for(DocumentKind.CV)
    }


@require_safe
def apply_sent(request: HttpRequest, slug: str, vacancy_id: Any) -> HttpResponse:
    vacancy = _vacancy(slug, vacancy_id)
    context = {
        "vacancy": vacancy,
        "publisher": vacancy.organisation,
        "days": public_apply.valid_days(),
    }
    return render(request, "vacancies/public/apply_sent.html", context)


# --- The confirmation link ----------------------------------------------------


def _unusable(request: HttpRequest, status: str) -> HttpResponse:
    return render(request, "vacancies/public/link_unusable.html", {"status": status}, status=410)


@transaction.non_atomic_requests
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    """GET shows what is confirmed and a button; only the POST acts, because
    mail scanners open the links in e-mails."""
    try:
        row = public_apply.public_application_find(token)
        if request.method == "GET":
            return render(request, "vacancies/public/confirm.html", {"row": row})
        confirmed = public_apply.public_application_confirm(row=row)
    except public_apply.LinkUnusable as unusable:
        return _unusable(request, unusable.status)
    except public_apply.ConfirmRefused as refused:
        context = {"refused": refused, "row": row}
        status = 503 if refused.kept else 409
        return render(request, "vacancies/public/refused.html", context, status=status)
    request.session[CONFIRMED_SESSION_KEY] = {
        "organisation_id": str(confirmed.membership.organisation_id),
        "membership_id": str(confirmed.membership.pk),
        "application_id": str(confirmed.application.pk),
    }
    return redirect("jobs:confirmed")


def _summary(request: HttpRequest) -> tuple[dict[str, Any], Any]:
    kept = request.session.get(CONFIRMED_SESSION_KEY)
    if not isinstance(kept, dict):
        return {}, None
    summary = public_apply.confirmed_summary(
        organisation_id=kept.get("organisation_id"),
        membership_id=kept.get("membership_id"),
        application_id=kept.get("application_id"),
    )
    return kept, summary


@require_safe
def confirmed(request: HttpRequest) -> HttpResponse:
    kept, summary = _summary(request)
    if summary is None:
        return redirect("jobs:list")
    context = {"summary": summary, "invited": kept.get("invited", False)}
    return render(request, "vacancies/public/confirmed.html", context)


# --- Claiming an account ------------------------------------------------------


@require_POST
def claim(request: HttpRequest) -> HttpResponse:
    """Send the candidate who just confirmed an invitation to follow it in Passend."""
    kept, summary = _summary(request)
    if summary is None:
        return redirect("jobs:list")
    if not summary.claimable:
        return redirect("jobs:confirmed")
    if not CLAIM_BY_PERSON.hit(request, kept["membership_id"]).allowed:
        messages.error(
            request,
            _("Too many invitations were asked for. Please try again in an hour."),
        )
        context = {"summary": summary, "invited": kept.get("invited", False)}
        return render(request, "vacancies/public/confirmed.html", context, status=429)
    try:
        public_apply.public_application_claim(
            organisation=summary.organisation, membership_id=kept["membership_id"]
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("jobs:confirmed")
    request.session[CONFIRMED_SESSION_KEY] = {**kept, "invited": True}
    messages.success(
        request,
        _("We sent you an invitation by e-mail. Open its link to choose a password."),
    )
    return redirect("jobs:confirmed")
