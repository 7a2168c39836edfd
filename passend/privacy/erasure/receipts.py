"""The erasure receipt: its signed link, its words, and the e-mail that sends it.

The receipt is the inventory taken when the erasure started (`engine.start`):
what is deleted, what is cleared and what must be kept, under which law and
until when. The link is signed and works for 30 days; it names the run only.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from passend.privacy.erasure.models import ErasureRun

RECEIPT_SALT = "passend.erasure.receipt"
RECEIPT_MAX_AGE = 60 * 60 * 24 * 30  # a receipt link works for 30 days


def receipt_token(run: ErasureRun) -> str:
    return signing.dumps(str(run.pk), salt=RECEIPT_SALT)


def run_for_token(token: str) -> ErasureRun | None:
    try:
        run_id = signing.loads(token, salt=RECEIPT_SALT, max_age=RECEIPT_MAX_AGE)
    except signing.BadSignature:
        return None
    return ErasureRun.objects.filter(pk=run_id).first()


def receipt_url(run: ErasureRun) -> str:
    path = reverse("erasure:receipt", kwargs={"token": receipt_token(run)})
    return str(settings.SITE_URL).rstrip("/") + path


def send_receipt(run: ErasureRun, *, email: str, language: str = "") -> bool:
    """E-mail the receipt: what was deleted and kept, and the link to see it again.

    Once per run: the run notes when it was sent, so a repeated task sends
    nothing (and says so: False). A send that fails leaves it unsent.
    """
    with transaction.atomic():
        locked = ErasureRun.objects.select_for_update().get(pk=run.pk)
        if locked.receipt_sent_at is not None:
            return False
        with translation.override(language or None):
            receipt, link = readable(locked.receipt), receipt_url(locked)
            context = {"receipt": receipt, "link": link, "run": locked}
            subject = _("Your account has been deleted")
            body = render_to_string("erasure/email/receipt.txt", context)
        send_mail(subject, body, None, [email])
        locked.receipt_sent_at = timezone.now()
        locked.save(update_fields=["receipt_sent_at"])
    return True


def _model_name(label: str, count: int) -> str:
    model = apps.get_model(label)
    name = model._meta.verbose_name if count == 1 else model._meta.verbose_name_plural
    return capfirst(str(name))


def _readable_date(value: str | None) -> str | None:
    """The receipt stores ISO dates; show them as the active language writes dates."""
    if not value:
        return None
    try:
        return formats.date_format(date.fromisoformat(value), "DATE_FORMAT")
    except ValueError:
        return value


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
            "law": _(entry["law"]) if entry["law"] else "",
            "until": _readable_date(entry["until"]),
        }
        for entry in summary.get("kept", [])
    ]
    return {"deleted": deleted, "cleared": cleared, "kept": kept}
