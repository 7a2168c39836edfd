"""What each kind of notification says, rendered in the reader's language.

A notification stores its kind and short parameters; the sentence is made
here each time it is shown or e-mailed, so a person reads it in their own
language, whatever language the person who caused it used.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from passend.notifications.models import Kind


def _when(value: Any) -> str:
    moment = parse_datetime(str(value or ""))
    if moment is None:
        return ""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    # "7 December 2026, 14:00" / "7 december 2026, 14:00": unambiguous in both languages.
    return date_format(moment, "j F Y, H:i")


def _day(value: Any) -> str:
    day = parse_date(str(value or ""))
    return date_format(day, "j F Y") if day else ""


def message(kind: str, params: dict[str, Any]) -> str:
    """The notification's sentence, in the active language."""
    if kind == Kind.APPOINTMENT_PLANNED:
        return _("New appointment on %(when)s.") % {"when": _when(params.get("when"))}
    if kind == Kind.APPOINTMENT_CHANGED:
        return _("Your appointment has changed: it is now on %(when)s.") % {
            "when": _when(params.get("when"))
        }
    if kind == Kind.TASK_ASSIGNED:
        return _("New task for you: %(title)s.") % {"title": params.get("title", "")}
    if kind == Kind.TASK_DUE:
        return _("Task due tomorrow (%(day)s): %(title)s.") % {
            "title": params.get("title", ""),
            "day": _day(params.get("due")),
        }
    if kind == Kind.PROFILE_SHARED:
        return _("A candidate's profile was shared with %(employer)s.") % {
            "employer": params.get("employer", "")
        }
    if kind == Kind.APPLICATION_UPDATED:
        return _("There is news about your application to %(title)s.") % {
            "title": params.get("title", "")
        }
    if kind == Kind.APPLICATION_PROPOSED:
        return _("Your career advisor proposes you for %(title)s: do you want to apply?") % {
            "title": params.get("title", "")
        }
    if kind == Kind.REQUEST_DEADLINE:
        return _("A privacy request must be answered by %(day)s.") % {
            "day": _day(params.get("deadline"))
        }
    return str(Kind(kind).label) if kind in Kind.values else ""
