"""Closing an account (J5) and erasing a person in one organisation (Art. 17)."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from passend.privacy.erasure import engine, tasks
from passend.privacy.erasure.models import ErasureRun
from passend.privacy.rights.graph import all_rows
from passend.tenancy.models import Membership, Role

RECEIPT_SALT = "passend.erasure.receipt"
RECEIPT_MAX_AGE = 60 * 60 * 24 * 30  # a receipt link works for 30 days


def sole_admin_of(user: Any) -> list[Any]:
    """Organisations that would be left without an admin if this person left."""
    admin_of = all_rows(Membership).filter(user=user, role=Role.ADMIN, is_active=True)
    alone = []
    for membership in admin_of.select_related("organisation"):
        others = (
            all_rows(Membership)
            .filter(organisation=membership.organisation_id, role=Role.ADMIN, is_active=True)
            .exclude(user=user)
        )
        if not others.exists():
            alone.append(membership.organisation)
    return alone


def check_can_close(user: Any) -> None:
    alone = sole_admin_of(user)
    if alone:
        names = ", ".join(str(o.name) for o in alone)
        raise ValidationError(
            _(
                "You are the only administrator of %(names)s. Make someone else an "
                "administrator first, so the organisation is not left without one."
            )
            % {"names": names},
            code="sole_admin",
        )


def close_account(*, user: Any) -> ErasureRun:
    """Erase everything about the person the law lets us erase, in every organisation.

    The receipt link is e-mailed to the account's address once the erasure is done.
    """
    check_can_close(user)
    run = engine.start(user_id=user.pk, requested_by_user_id=user.pk)
    language = user.preferred_language or translation.get_language() or ""
    tasks.run_erasure.delay(str(run.pk), notify=str(user.email), language=language)
    run.refresh_from_db()
    return run


def receipt_url(run: ErasureRun) -> str:
    path = reverse("erasure:receipt", kwargs={"token": receipt_token(run)})
    return str(settings.SITE_URL).rstrip("/") + path


def send_receipt(run: ErasureRun, *, email: str, language: str = "") -> None:
    """E-mail the receipt: what was deleted and kept, and the link to see it again."""
    with translation.override(language or None):
        context = {"receipt": readable(run.receipt), "link": receipt_url(run), "run": run}
        subject = _("Your account has been deleted")
        body = render_to_string("erasure/email/receipt.txt", context)
    send_mail(subject, body, None, [email])


def erase_member(*, membership: Membership, by: Membership) -> ErasureRun:
    """An admin erases a person's data in their organisation (a request at the desk)."""
    if membership.organisation_id != by.organisation_id:
        raise ValidationError(_("That person is not in your organisation."), code="other_org")
    if membership.pk == by.pk:
        raise ValidationError(_("To erase your own data, close your account instead."), code="self")
    run = engine.start(
        user_id=membership.user_id,
        organisation_id=membership.organisation_id,
        requested_by_user_id=by.user_id,
    )
    tasks.run_erasure.delay(str(run.pk))
    run.refresh_from_db()
    return run


def receipt_token(run: ErasureRun) -> str:
    return signing.dumps(str(run.pk), salt=RECEIPT_SALT)


def run_for_token(token: str) -> ErasureRun | None:
    try:
        run_id = signing.loads(token, salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE)
    except signing.BadSignature:
        return None
    return ErasureRun.objects.filter(pk=run_id).first()


def _model_name(label: str, count: int) -> str:
    model = apps.get_model(label)
    name = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
    return capfirst(str(name))


def _field_names(label: str, fields: Any) -> str:
    if fields == "all":
        return str(gettext_lazy("the whole record"))
    model = apps.get_model(label)
    return ", ".join(str(model._meta.get_field(name).verbose_name) for name in fields)


def readable(summary: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """A receipt or preview in words, in the active language."""
    deleted = [
        {"what": _model_name(label, count), "count": count}
        for label, count in sorted(summary.get("deleted", {}).items())
    ]
    cleared = [
        {"what": _model_name(label, count), "count": count}
        for label, count in sorted(summary.get("cleared", {}).items())
    ]
    kept = [
        {
            "what": _model_name(entry["model"], entry["count"]),
            "count": entry["count"],
            "fields": _field_names(entry["model"], entry["fields"]),
            "law": entry["law"],
            "until": entry["until"],
        }
        for entry in summary.get("kept", [])
    ]
    return {"deleted": deleted, "cleared": cleared, "kept": kept}
