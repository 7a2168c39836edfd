"""An appointment as an iCalendar file (RFC 5545), built with `icalendar`.

The same file is the download on the coaching pages and the attachment of
the appointment's e-mail. Its UID is the appointment's id, so a calendar
that imports a changed appointment updates the one it has (SEQUENCE grows
with each change). Notes are never put in the file: they may be sensitive.
"""

from __future__ import annotations

from datetime import UTC, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from passend.coaching.models import Appointment

MIME_TYPE = "text/calendar"


def filename(appointment: Appointment) -> str:
    return f"appointment-{timezone.localtime(appointment.starts_at):%Y%m%d-%H%M}.ics"


def appointment_ics(appointment: Appointment, *, organisation_name: str) -> bytes:
    """The appointment as an `.ics` file of one VEVENT, times in UTC."""
    calendar = Calendar()
    calendar.add("prodid", "-//Passend//Appointments//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", f"{appointment.pk}@passend")
    event.add("dtstamp", timezone.now().astimezone(UTC))
    starts = appointment.starts_at.astimezone(UTC)
    event.add("dtstart", starts)
    event.add("dtend", starts + timedelta(minutes=appointment.duration_minutes))
    event.add("sequence", int(appointment.updated_at.timestamp()) if appointment.updated_at else 0)
    event.add("summary", _("Appointment with %(org)s") % {"org": organisation_name})
    if appointment.place:
        event.add("location", appointment.place)
    elif appointment.online_link:
        event.add("location", appointment.online_link)
    if appointment.online_link:
        event.add("url", appointment.online_link)
    lines = []
    if appointment.with_whom:
        lines.append(_("With: %(who)s") % {"who": appointment.with_whom})
    if appointment.online_link:
        lines.append(_("Online: %(link)s") % {"link": appointment.online_link})
    lines.append(str(settings.SITE_URL).rstrip("/"))
    event.add("description", "\n".join(lines))
    calendar.add_component(event)
    return bytes(calendar.to_ical())
