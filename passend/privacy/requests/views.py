"""The request desk's pages (GDPR Art. 12, J14, P11, P12).

Anyone: the public form (/requests/new/). Members: their own requests and
disputes (/requests/mine/, /requests/dispute/). Organisation admins: the
queue, registering a request that came by e-mail, letter or phone, and each
request's handling. Platform staff: the queue of requests for no known
organisation. Each view: parse -> access -> service/selector -> render.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from passend.common.adapters import apply_errors, confirm_first
from passend.privacy.requests import selectors, services
from passend.privacy.requests.access import (
    get_request_for_admin,
    get_request_for_member,
    get_unrouted_for_staff,
)
from passend.privacy.requests.forms import (
    DeskObjectionForm,
    DeskRestrictionForm,
    DisputeForm,
    ExtendForm,
    IdentityForm,
    KindDisputeForm,
    OwnRequestForm,
    PrepareExportForm,
    PublicRequestForm,
    RefuseForm,
    RegisterForm,
    ReplyForm,
    UnroutedReplyForm,
    WithdrawForm,
)
from passend.privacy.requests.models import DataSubjectRequest
from passend.privacy.requests.throttle import allow_public_request
from passend.privacy.rights.access import get_group_for_person
from passend.privacy.rights.inventory import ACCOUNT
from passend.privacy.rights.jobs import valid_for
from passend.tenancy.access import require_role
from passend.tenancy.http import MemberRequest, ScopedRequest
from passend.tenancy.models import Role


def _status(request: HttpRequest) -> int:
    return 400 if request.method == "POST" else 200


# --- anyone -------------------------------------------------------------------


def new(request: ScopedRequest) -> HttpResponse:
    """The public form: no account needed. The answer never says whether we
    know the person or whether the organisation holds data about them.

    Signed-in members are sent to their own requests page instead: there
    their account is their identity and no proof is needed.
    """
    if request.membership is not None:
        messages.info(request, _("You are signed in: send your request from your account."))
        return redirect("requests:mine")
    form = PublicRequestForm(request.POST or None)
    status = _status(request)
    if request.method == "POST" and form.is_valid():
        if form.is_spam:
            return redirect("requests:sent")
        if not allow_public_request(request, form.cleaned_data["email"]):
            form.add_error(
                None, _("Too many requests were sent from here. Please try again in an hour.")
            )
            status = 429
        else:
            try:
                services.request_file_public(
                    name=form.cleaned_data["name"],
                    email=form.cleaned_data["email"],
                    organisation=form.cleaned_data["organisation"],
                    kind=form.cleaned_data["kind"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as error:
                apply_errors(form, error)
            else:
                return redirect("requests:sent")
    return render(request, "requests/new.html", {"form": form}, status=status)


def sent(request: HttpRequest) -> HttpResponse:
    return render(request, "requests/sent.html")


# --- members ------------------------------------------------------------------


@require_role()
def mine(request: MemberRequest) -> HttpResponse:
    membership: Any = request.membership
    form = OwnRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            req = services.request_file_own(
                membership=membership,
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("Your request was sent. You will get an answer by e-mail."))
            return redirect("requests:mine_detail", request_id=req.pk)
    context = {
        "form": form,
        "requests": selectors.request_list_for_member(membership),
        "contacts": selectors.privacy_contacts(),
        "today": timezone.localdate(),
    }
    return render(request, "requests/mine.html", context, status=_status(request))


@require_role()
def mine_detail(request: MemberRequest, request_id: str) -> HttpResponse:
    req = get_request_for_member(request.membership, request_id)
    context = {
        "req": req,
        "messages_sent": selectors.request_messages(req),
        "contacts": selectors.privacy_contacts(),
        "today": timezone.localdate(),
    }
    return render(request, "requests/mine_detail.html", context)


def _holder(request: MemberRequest, group: str) -> Any:
    """The person's membership of the organisation that holds the disputed data:
    `group` is its id, or "account" / nothing for the current organisation (the
    account belongs to none). An organisation they do not belong to: 404."""
    if not group or group == ACCOUNT:
        return request.membership
    return get_group_for_person(request.user, group)


def _dispute_filed(request: MemberRequest, req: DataSubjectRequest, group: str,
                   kind: str) -> HttpResponse:  # fmt: skip
    if req.organisation_id == request.membership.organisation_id:
        messages.success(
            request, _("Your correction was sent to the organisation. You will get an answer.")
        )
        return redirect("requests:mine_detail", request_id=req.pk)
    # Filed with another organisation than the current one: its requests are
    # listed there, so go back to the data instead.
    messages.success(
        request,
        _("Your correction was sent to %(organisation)s. You will get an answer.")
        % {"organisation": req.organisation.name},
    )
    if kind:
        return redirect("rights:kind", group=group, kind=kind)
    return redirect("rights:my_data")


def _dispute_kind(request: MemberRequest, source: Any) -> HttpResponse:
    """One dispute per kind of data (linked once per block of "my data"), filed with
    the organisation that holds it; the person picks the field."""
    group, kind = source.get("organisation", "") or ACCOUNT, source.get("kind", "")
    holder = _holder(request, group)
    choices = selectors.kind_dispute_choices(request.user, group, kind)
    if not choices:
        raise Http404  # a kind the person has no data of there: like any unknown one
    initial = {"organisation": group, "kind": kind}
    form = KindDisputeForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        field_choices=choices,
    )
    if request.method == "POST" and form.is_valid():
        label, name = form.disputed
        try:
            req = services.request_dispute(
                membership=holder,
                model_label=label,
                field_name=name,
                object_id=selectors.disputed_record_id(request.user, group, label),
                proposed_value=form.cleaned_data["proposed_value"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _dispute_filed(request, req, group, kind)
    holder_name = holder.organisation.name if group != ACCOUNT else _("your account")
    context = {
        "contacts": selectors.privacy_contacts(),
        "form": form,
        "field_label": f"{selectors.kind_label(kind)} ({holder_name})",
        "back": reverse("rights:kind", kwargs={"group": group, "kind": kind}),
    }
    return render(request, "requests/dispute.html", context, status=_status(request))


@require_role()
def dispute(request: MemberRequest) -> HttpResponse:
    """Dispute data someone else set. From "my data": one link per kind of data,
    ?organisation=<id or account>&kind=<category>; the older per-field link
    ?model=&field=&object=[&organisation=] still works. Filed with the organisation
    that holds the data."""
    source: Any = request.POST if request.method == "POST" else request.GET
    if source.get("kind"):
        return _dispute_kind(request, source)
    model, field, obj = (source.get(name, "") for name in ("model", "field", "object"))
    group = source.get("organisation", "")
    holder = _holder(request, group)
    context: dict[str, Any] = {"contacts": selectors.privacy_contacts()}
    if request.method == "GET" and not (model or field or obj):
        return render(request, "requests/dispute.html", {**context, "form": None})
    # A record's link names no field: the person picks it from the record's fields.
    choosing = source.get("choose") in ("True", "on", "1") or (
        request.method == "GET" and bool(model) and not field
    )
    choices = selectors.disputable_fields(model) if choosing else None
    initial = {
        "model": model, "field": field, "object": obj, "choose": choosing, "organisation": group,
    }  # fmt: skip
    if request.method == "POST":
        form = DisputeForm(request.POST, field_choices=choices)
    else:
        form = DisputeForm(initial=initial, field_choices=choices)
    try:
        if choosing:
            if not choices:
                raise ValidationError(
                    {
                        "field_name": _(
                            "This record cannot be disputed here: it holds no personal data."
                        )
                    }
                )
            context["field_label"] = selectors.disputed_record_label(model)
        else:
            context["field_label"] = services.disputed_field_label(model, field)
    except ValidationError as error:
        # Refuse at once, whatever else was typed: the field cannot be disputed here.
        form = DisputeForm(
            request.POST or {"model": model, "field": field, "object": obj, "organisation": group}
        )
        context["field_label"] = ""
        form.is_valid()
        apply_errors(form, error)
        return render(request, "requests/dispute.html", {**context, "form": form}, status=400)
    if request.method == "POST" and form.is_valid():
        try:
            req = services.request_dispute(
                membership=holder,
                model_label=form.cleaned_data["model"],
                field_name=form.cleaned_data["field"],
                object_id=form.cleaned_data["object"],
                proposed_value=form.cleaned_data["proposed_value"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            return _dispute_filed(request, req, group, "")
    return render(
        request, "requests/dispute.html", {**context, "form": form}, status=_status(request)
    )


# --- organisation admins ------------------------------------------------------


@login_required
def index(request: ScopedRequest) -> HttpResponse:
    membership = request.membership
    if membership is not None and membership.role == Role.ADMIN:
        return _queue(request)
    if membership is None and getattr(request.user, "is_platform_staff", False):
        return redirect("requests:platform")
    if membership is not None:
        raise PermissionDenied
    raise Http404


def _queue(request: HttpRequest) -> HttpResponse:
    context = {
        "open_requests": selectors.request_queue(),
        "closed_requests": selectors.requests_closed_recently(),
        "today": timezone.localdate(),
    }
    return render(request, "requests/queue.html", context)


@require_role(Role.ADMIN)
def register(request: MemberRequest) -> HttpResponse:
    form = RegisterForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            req = services.request_register(
                by=request.membership,
                channel=form.cleaned_data["channel"],
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                kind=form.cleaned_data["kind"],
                description=form.cleaned_data["description"],
                received_on=form.cleaned_data["received_on"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The request was registered."))
            return redirect("requests:detail", request_id=req.pk)
    return render(request, "requests/register.html", {"form": form}, status=_status(request))


def _detail_page(
    request: HttpRequest, req: DataSubjectRequest, *, bound: Form | None = None
) -> HttpResponse:
    forms: dict[str, Form] = {
        "identity_form": IdentityForm(),
        "extend_form": ExtendForm(),
        "reply_form": ReplyForm(),
        "refuse_form": RefuseForm(),
        "prepareexport_form": PrepareExportForm(),
        "deskrestriction_form": DeskRestrictionForm(),
        "deskobjection_form": DeskObjectionForm(),
    }
    if bound is not None:
        forms[f"{type(bound).__name__.removesuffix('Form').lower()}_form"] = bound
    disputed_label = ""
    if req.disputed_model and req.disputed_field:
        try:
            disputed_label = services.disputed_field_label(req.disputed_model, req.disputed_field)
        except ValidationError:
            disputed_label = f"{req.disputed_model}.{req.disputed_field}"
    context = {
        "req": req,
        "messages_sent": selectors.request_messages(req),
        "contacts": selectors.privacy_contacts(),
        "today": timezone.localdate(),
        "disputed_label": disputed_label,
        "correction_link": selectors.correction_link(req),
        "choices_now": selectors.choices_now(req),
        "exports": selectors.desk_exports(req),
        "choice_kinds": [kind.value for kind in services.CHOICE_KINDS],
        "export_hours": int(valid_for().total_seconds() // 3600),
        "bound": bound,
        **forms,
    }
    return render(request, "requests/detail.html", context, status=400 if bound else 200)


@require_role(Role.ADMIN)
def detail(request: MemberRequest, request_id: str) -> HttpResponse:
    req = get_request_for_admin(request.membership, request_id)
    return _detail_page(request, req)


def _act(
    request: MemberRequest, request_id: str, form_class: type[Form], action: Any, done: str
) -> HttpResponse:
    """Run one handling action from the detail page; errors re-render it with 400."""
    req = get_request_for_admin(request.membership, request_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            action(req, request.membership, form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, done)
            return redirect("requests:detail", request_id=req.pk)
    return _detail_page(request, req, bound=form)


@require_role(Role.ADMIN)
@require_POST
def identity(request: MemberRequest, request_id: str) -> HttpResponse:
    return _act(
        request,
        request_id,
        IdentityForm,
        lambda req, by, data: services.request_check_identity(
            request=req, by=by, verified=data["outcome"] == "verified"
        ),
        _("The identity check was recorded."),
    )


@require_role(Role.ADMIN)
@require_POST
def extend(request: MemberRequest, request_id: str) -> HttpResponse:
    return _act(
        request,
        request_id,
        ExtendForm,
        lambda req, by, data: services.request_extend(request=req, by=by, reason=data["reason"]),
        _("The deadline was extended and the person was told why."),
    )


@require_role(Role.ADMIN)
@require_POST
def reply(request: MemberRequest, request_id: str) -> HttpResponse:
    return _act(
        request,
        request_id,
        ReplyForm,
        lambda req, by, data: services.request_reply(
            request=req, by=by, text=data["text"], closes=data["closes"]
        ),
        _("The message was sent."),
    )


@require_role(Role.ADMIN)
@require_POST
def refuse(request: MemberRequest, request_id: str) -> HttpResponse:
    return _act(
        request,
        request_id,
        RefuseForm,
        lambda req, by, data: services.request_refuse(request=req, by=by, reason=data["reason"]),
        _("The request was refused and the person was told how to complain."),
    )


@require_role(Role.ADMIN)
@require_http_methods(["GET", "POST"])
def withdraw(request: MemberRequest, request_id: str) -> HttpResponse:
    req = get_request_for_admin(request.membership, request_id)
    if page := confirm_first(
        request,
        question=_("Record the request of %(name)s as withdrawn?") % {"name": req.requester_name},
        detail=_("The request is closed; the person is not asked again."),
        confirm_label=_("Record as withdrawn"),
        cancel_url=reverse("requests:detail", kwargs={"request_id": req.pk}),
    ):
        return page
    return _act(
        request,
        request_id,
        WithdrawForm,
        lambda req, by, data: services.request_withdraw(request=req, by=by),
        _("The request was recorded as withdrawn."),
    )


@require_role(Role.ADMIN)
@require_POST
def export(request: MemberRequest, request_id: str) -> HttpResponse:
    return _act(
        request,
        request_id,
        PrepareExportForm,
        lambda req, by, data: services.request_export_prepare(request=req, by=by),
        _(
            "The export is being prepared. The person gets an e-mail at the address of their "
            "account with a link to download it; the message is recorded below."
        ),
    )


@require_role(Role.ADMIN)
@require_POST
def restrict(request: MemberRequest, request_id: str) -> HttpResponse:
    return _act(
        request,
        request_id,
        DeskRestrictionForm,
        lambda req, by, data: services.request_restrict(
            request=req, by=by, reason=data["reason"], note=data["note"]
        ),
        _("Processing of the person's data is restricted from now on."),
    )


@require_role(Role.ADMIN)
@require_POST
def object_(request: MemberRequest, request_id: str) -> HttpResponse:
    return _act(
        request,
        request_id,
        DeskObjectionForm,
        lambda req, by, data: services.request_object(request=req, by=by, purpose=data["purpose"]),
        _("The objection was recorded and applies from now on."),
    )


# --- platform staff -----------------------------------------------------------


def _staff_only(request: HttpRequest) -> Any:
    user: Any = request.user
    if not getattr(user, "is_platform_staff", False):
        raise Http404
    return user


@login_required
def platform(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    context = {
        "open_requests": selectors.unrouted_queue(),
        "answered": selectors.unrouted_answered(),
        "today": timezone.localdate(),
    }
    return render(request, "requests/platform.html", context)


@login_required
def platform_detail(request: HttpRequest, request_id: str) -> HttpResponse:
    staff = _staff_only(request)
    unrouted = get_unrouted_for_staff(staff, request_id)
    form = UnroutedReplyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.unrouted_reply(unrouted=unrouted, by=staff, text=form.cleaned_data["text"])
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The answer was sent."))
            return redirect("requests:platform")
    context = {"unrouted": unrouted, "form": form, "today": timezone.localdate()}
    return render(request, "requests/platform_detail.html", context, status=_status(request))
