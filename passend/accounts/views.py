from __future__ import annotations

from allauth.account.internal.flows.manage_email import delete_email
from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language

from passend.accounts.forms import ProfileForm
from passend.accounts.middleware import has_two_factor
from passend.accounts.services import user_set_language, user_update_profile


@login_required
def settings_page(request: HttpRequest) -> HttpResponse:
    """Settings > Account: name, language, and links to e-mail, password, 2FA, tokens."""
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user_update_profile(
            user=request.user,  # type: ignore[arg-type]
            name=form.cleaned_data["name"],
            preferred_language=form.cleaned_data["preferred_language"],
        )
        translation.activate(form.cleaned_data["preferred_language"])
        response = redirect("accounts:settings")
        response.set_cookie(
            "django_language", form.cleaned_data["preferred_language"], samesite="Lax"
        )
        messages.success(request, _("Your settings were saved."))
        return response
    context = {"form": form, "has_two_factor": has_two_factor(request.user)}
    status = 400 if request.method == "POST" else 200
    return render(request, "accounts/settings.html", context, status=status)


def set_language(request: HttpRequest) -> HttpResponse:
    """The header's language switch: Django's view, and for a signed-in person
    the choice is saved on the account, so e-mails follow it too."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if (
        request.method == "POST"
        and user.is_authenticated
        and translation.check_for_language(language)
        and language in dict(settings.LANGUAGES)
    ):
        user_set_language(user=user, language=language)
    return response


@login_required
@require_POST
def email_remove(request: HttpRequest) -> HttpResponse:
    """Remove one of the person's e-mail addresses, after asking (with or without
    JavaScript): the first post shows the question, the confirmed one removes."""
    address = EmailAddress.objects.filter(
        user=request.user, email__iexact=request.POST.get("email", "")
    ).first()
    if address is None:
        messages.error(request, _("Choose one of your addresses to remove."))
        return redirect("account_email")
    if request.POST.get("confirmed") != "yes":
        context = {
            "question": _("Remove the address %(email)s?") % {"email": address.email},
            "detail": _("You can no longer sign in or get e-mail with it."),
            "confirm_label": _("Remove"),
            "cancel_url": reverse("account_email"),
            "hidden": {"email": address.email, "confirmed": "yes"},
        }
        return render(request, "web/confirm.html", context)
    delete_email(request, address)
    return redirect("account_email")
