"""Organisation pages: switch, settings, contacts, members, invitations, employers.

Each view: parse -> access -> service/selector -> render.
"""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import get_adapter
from allauth.account.utils import perform_login
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from passend.accounts.decorators import require_fresh_two_factor
from passend.common.adapters import apply_errors, confirm_first
from passend.tenancy import selectors, services
from passend.tenancy.access import (
    get_contact_for_actor,
    get_employer_for_actor,
    get_invitation_for_actor,
    get_member_for_actor,
    require_role,
    roles_that_may_invite,
)
from passend.tenancy.forms import (
    EmployerContactForm,
    EmployerForm,
    IbanChangeForm,
    InvitationForm,
    MembershipForm,
    OrganisationContactForm,
    OrganisationForm,
    SwitchOrganisationForm,
)
from passend.tenancy.http import MemberRequest, ScopedRequest
from passend.tenancy.middleware import SESSION_KEY
from passend.tenancy.models import Invitation, Role
from passend.tenancy.signup import INVITATION_SESSION_KEY

ADMIN = Role.ADMIN
PROFESSIONAL = Role.PROFESSIONAL
EMPLOYER = Role.EMPLOYER


@login_required
@require_POST
def switch(request: ScopedRequest) -> HttpResponse:
    form = SwitchOrganisationForm(request.POST)
    if not form.is_valid():
        raise Http404
    chosen = str(form.cleaned_data["organisation"])
    membership = next(
        (m for m in request.memberships if str(m.organisation_id) == chosen),
        None,
    )
    if membership is None:
        raise Http404
    request.session[SESSION_KEY] = chosen
    messages.success(
        request, _("You are now working in %(org)s.") % {"org": membership.organisation.name}
    )
    next_url = request.POST.get("next", "")
    # Only a path of this site; redirect() would take anything else for a view name.
    if not next_url.startswith("/") or not url_has_allowed_host_and_scheme(
        next_url, {request.get_host()}
    ):
        next_url = reverse("web:home")
    return HttpResponseRedirect(next_url)


@require_role(ADMIN)
def organisation_detail(request: MemberRequest) -> HttpResponse:
    organisation = request.organisation
    form = OrganisationForm(request.POST or None, instance=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(organisation=organisation, data=form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The organisation's details were saved."))
            return redirect("tenancy:organisation")
    contacts = selectors.organisation_contact_list()
    return render(
        request,
        "tenancy/organisation.html",
        {"form": form, "contacts": contacts, "contact_form": OrganisationContactForm()},
    )


@require_role(ADMIN)
@require_fresh_two_factor
def iban_change(request: MemberRequest) -> HttpResponse:
    """The organisation's payout account: its admins change it, right after a two-factor check."""
    organisation = request.organisation
    form = IbanChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_iban_change(
                organisation=organisation,
                iban=form.cleaned_data["iban"],
                by=request.membership,
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request,
                _("The bank account was changed. Every administrator was told by e-mail."),
            )
            return redirect("tenancy:organisation")
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "tenancy/iban_form.html",
        {"form": form, "current": organisation.iban_masked},
        status=status,
    )


@require_role(ADMIN)
@require_POST
def contact_create(request: MemberRequest) -> HttpResponse:
    form = OrganisationContactForm(request.POST)
    if form.is_valid():
        services.organisation_contact_create(**form.cleaned_data)
        messages.success(request, _("The contact person was added."))
        return redirect("tenancy:organisation")
    organisation = request.organisation
    return render(
        request,
        "tenancy/organisation.html",
        {
            "form": OrganisationForm(instance=organisation),
            "contacts": selectors.organisation_contact_list(),
            "contact_form": form,
        },
        status=400,
    )


@require_role(ADMIN)
@require_http_methods(["GET", "POST"])
def contact_delete(request: MemberRequest, contact_id: str) -> HttpResponse:
    contact = get_contact_for_actor(request.membership, contact_id)
    if page := confirm_first(
        request,
        question=_("Remove the contact person %(name)s?") % {"name": contact.name},
        confirm_label=_("Remove"),
        cancel_url=reverse("tenancy:organisation"),
    ):
        return page
    services.organisation_contact_delete(contact=contact)
    messages.success(request, _("The contact person was removed."))
    return redirect("tenancy:organisation")


@require_role(ADMIN)
def members(request: MemberRequest) -> HttpResponse:
    return render(request, "tenancy/members.html", {"members": selectors.member_list()})


@require_role(ADMIN)
def member_edit(request: MemberRequest, membership_id: str) -> HttpResponse:
    member = get_member_for_actor(request.membership, membership_id)
    form = MembershipForm(request.POST or None, instance=member)
    if member.role == Role.EMPLOYER:
        form.fields["role"].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_update(
                membership=member,
                role=form.cleaned_data["role"],
                is_active=form.cleaned_data["is_active"],
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("The membership was updated."))
            return redirect("tenancy:members")
    status = 400 if request.method == "POST" else 200
    return render(
        request, "tenancy/member_edit.html", {"form": form, "member": member}, status=status
    )


@require_role(ADMIN, PROFESSIONAL)
def invitations(request: MemberRequest) -> HttpResponse:
    actor = request.membership
    return render(
        request, "tenancy/invitations.html", {"invitations": selectors.invitation_list_for(actor)}
    )


@require_role(ADMIN, PROFESSIONAL)
def invitation_create(request: MemberRequest) -> HttpResponse:
    actor = request.membership
    roles = list(roles_that_may_invite(actor))
    initial = {"role": request.GET.get("role", Role.CANDIDATE)}
    form = InvitationForm(request.POST or None, roles=roles, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            invitation = services.invitation_create(
                invited_by=actor,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                employer=form.cleaned_data.get("employer"),
            )
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(
                request, _("An invitation was sent to %(email)s.") % {"email": invitation.email}
            )
            return redirect("tenancy:invitations")
    status = 400 if request.method == "POST" else 200
    return render(request, "tenancy/invitation_form.html", {"form": form}, status=status)


@require_role(ADMIN, PROFESSIONAL)
@require_http_methods(["GET", "POST"])
def invitation_revoke(request: MemberRequest, invitation_id: str) -> HttpResponse:
    invitation = get_invitation_for_actor(request.membership, invitation_id)
    if page := confirm_first(
        request,
        question=_("Withdraw the invitation to %(email)s?") % {"email": invitation.email},
        detail=_("The link in the invitation stops working."),
        confirm_label=_("Withdraw"),
        cancel_url=reverse("tenancy:invitations"),
    ):
        return page
    services.invitation_revoke(invitation=invitation)
    messages.success(request, _("The invitation was withdrawn."))
    return redirect("tenancy:invitations")


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the invitation e-mail. Nothing is created for an unusable one."""
    invitation = Invitation.objects.by_token(token)
    if invitation is None or not invitation.is_usable:
        status = "missing" if invitation is None else invitation.status
        return render(request, "tenancy/invitation_unusable.html", {"status": status}, status=410)
    user = request.user
    if user.is_authenticated:
        if user.email.lower() != invitation.email.lower():
            return render(
                request,
                "tenancy/invitation_wrong_account.html",
                {"invitation": invitation},
                status=403,
            )
        if request.method == "POST":
            membership = services.invitation_accept(invitation=invitation, user=user)
            request.session[SESSION_KEY] = str(membership.organisation_id)
            messages.success(
                request,
                _("Welcome to %(org)s.") % {"org": invitation.organisation.name},
            )
            return redirect("web:home")
        return render(request, "tenancy/invitation_accept.html", {"invitation": invitation})
    account = get_user_model().objects.filter(email__iexact=invitation.email).first()
    if account is not None and not account.has_usable_password():
        # An account made when its person confirmed an application on a public
        # job page has no password to log in with: the link proves the address,
        # so they choose one here.
        return _choose_password(request, invitation, account)
    request.session[INVITATION_SESSION_KEY] = token
    get_adapter(request).stash_verified_email(request, invitation.email)
    if account is not None:
        messages.info(request, _("Log in to accept the invitation."))
        login_url = reverse("account_login")
        return redirect(f"{login_url}?next={request.path}")
    return redirect("account_signup")


def _choose_password(request: HttpRequest, invitation: Invitation, user: Any) -> HttpResponse:
    form = SetPasswordForm(user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        membership = services.invitation_accept_with_password(
            invitation=invitation, user=user, password=form.cleaned_data["new_password1"]
        )
        request.session[SESSION_KEY] = str(membership.organisation_id)
        messages.success(request, _("Welcome to %(org)s.") % {"org": invitation.organisation.name})
        # allauth's own sign-in: its checks and hooks (the saved language) run.
        return perform_login(request, user, redirect_url=reverse("web:home"))
    status = 400 if request.method == "POST" else 200
    context = {"invitation": invitation, "form": form}
    return render(request, "tenancy/invitation_password.html", context, status=status)


@require_role(ADMIN, PROFESSIONAL, EMPLOYER)
def employers(request: MemberRequest) -> HttpResponse:
    actor = request.membership
    if actor.role == Role.EMPLOYER:
        return redirect("tenancy:employer_detail", employer_id=actor.employer_id)
    return render(request, "tenancy/employers.html", {"employers": selectors.employer_list()})


@require_role(ADMIN, PROFESSIONAL)
def employer_create(request: MemberRequest) -> HttpResponse:
    organisation = request.organisation
    form = EmployerForm(request.POST or None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            employer = services.employer_create(**form.cleaned_data)
        except ValidationError as error:
            apply_errors(form, error)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": employer.name})
            return redirect("tenancy:employer_detail", employer_id=employer.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "tenancy/employer_form.html", {"form": form}, status=status)


@require_role(ADMIN, PROFESSIONAL, EMPLOYER)
def employer_detail(request: MemberRequest, employer_id: str) -> HttpResponse:
    actor = request.membership
    employer = get_employer_for_actor(actor, employer_id)
    may_edit = actor.role in (ADMIN, PROFESSIONAL)
    form = EmployerForm(
        request.POST or None,
        instance=employer,
        organisation=request.organisation,
    )
    contact_form = EmployerContactForm()
    if request.method == "POST":
        if not may_edit:
            raise Http404
        if form.is_valid():
            try:
                services.employer_update(employer=employer, data=form.cleaned_data)
            except ValidationError as error:
                apply_errors(form, error)
            else:
                messages.success(request, _("The company's details were saved."))
                return redirect("tenancy:employer_detail", employer_id=employer.pk)
    context = {
        "employer": employer,
        "form": form,
        "contact_form": contact_form,
        "contacts": employer.contacts.all(),
        "may_edit": may_edit,
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "tenancy/employer_detail.html", context, status=status)


@require_role(ADMIN, PROFESSIONAL)
@require_POST
def employer_contact_create(request: MemberRequest, employer_id: str) -> HttpResponse:
    employer = get_employer_for_actor(request.membership, employer_id)
    form = EmployerContactForm(request.POST)
    if form.is_valid():
        services.employer_contact_create(employer=employer, **form.cleaned_data)
        messages.success(request, _("The contact person was added."))
        return redirect("tenancy:employer_detail", employer_id=employer.pk)
    context = {
        "employer": employer,
        "form": EmployerForm(instance=employer, organisation=request.organisation),
        "contact_form": form,
        "contacts": employer.contacts.all(),
        "may_edit": True,
    }
    return render(request, "tenancy/employer_detail.html", context, status=400)
