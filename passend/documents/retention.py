"""When a document must go, as pure date arithmetic.

ID copy (Waadi art. 7c, Wet arbeid vreemdelingen / Wet op de loonbelasting
for hired workers): at registration it may be kept at most four weeks; once
the person is hired it is part of the payroll records and kept for the
employment plus five years. While employed there is no end date yet.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

REGISTRATION_PERIOD = timedelta(weeks=4)
AFTER_EMPLOYMENT_YEARS = 5


def _plus_years(day: date, years: int) -> date:
    if day.year + years > date.max.year:
        # Only reachable by a date the input bounds refuse; never an overflow.
        return date.max
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def id_copy_delete_after(
    *, uploaded_at: datetime, hired_at: date | None, employment_ended_at: date | None
) -> datetime | None:
    if hired_at is None:
        return uploaded_at + REGISTRATION_PERIOD
    if employment_ended_at is None:
        return None
    end = _plus_years(employment_ended_at, AFTER_EMPLOYMENT_YEARS)
    return timezone.make_aware(datetime.combine(end, time.max.replace(microsecond=0)))
