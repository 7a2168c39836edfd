"""Notification pages: the list, marking as read, and the e-mail preferences.

Shape of each view: parse -> access -> service/selector -> render. Reading
the list writes nothing; marking as read is a POST.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from passend.common.adapters import form_status, submit
from passend.notifications import selectors, services
from passend.notifications.access import get_notification_for_actor
from passend.notifications.forms import PreferenceForm
from passend.notifications.kinds import message
from passend.tenancy.access import require_role
from passend.tenancy.http import MemberRequest

PAGE_SIZE = 25


@require_role()
def notification_list(request: MemberRequest) -> HttpResponse:
    actor = request.membership
    page = Paginator(selectors.notifications_of(actor), PAGE_SIZE).get_page(request.GET.get("page"))
    items = [{"notification": n, "text": message(n.kind, n.params)} for n in page]
    context = {"page": page, "items": items, "unread": selectors.unread_count(actor)}
    return render(request, "notifications/list.html", context)


@require_role()
@require_POST
def mark_read(request: MemberRequest, notification_id: str) -> HttpResponse:
    """Mark one as read; with `open`, go on to what it is about."""
    notification = get_notification_for_actor(request.membership, notification_id)
    services.notification_mark_read(notification=notification)
    if request.POST.get("open") and url_has_allowed_host_and_scheme(
        notification.link, allowed_hosts=None
    ):
        return redirect(notification.link or "notifications:list")
    messages.success(request, _("The notification is marked as read."))
    return redirect("notifications:list")


@require_role()
@require_POST
def mark_all_read(request: MemberRequest) -> HttpResponse:
    count = services.notifications_mark_all_read(recipient=request.membership)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    return redirect("notifications:list")


@require_role()
def preferences(request: MemberRequest) -> HttpResponse:
    actor = request.membership
    # Every box unticked is a choice too (no e-mail at all): any POST binds the form.
    form = PreferenceForm(
        request.POST if request.method == "POST" else None,
        role=actor.role,
        initial={"email_kinds": selectors.email_kinds_of(actor)},
    )
    if submit(
        request,
        form,
        lambda data: services.preference_save(membership=actor, email_kinds=data["email_kinds"]),
    ):
        messages.success(request, _("Your choices are saved."))
        return redirect("notifications:preferences")
    return render(
        request, "notifications/preferences.html", {"form": form}, status=form_status(request)
    )
