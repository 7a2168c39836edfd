"""What any input may hold, checked the same way on every path in.

Text may not contain control characters (other than tab, line feed and
carriage return) or unpaired surrogates: PostgreSQL refuses a NUL byte, the
database drivers cannot encode a lone surrogate, and neither belongs in a
name or a note. Dates must lie within sensible bounds, so that date arithmetic
(retention periods, deadlines) never overflows and year 9999 never stands in
for "forever".

One path: models derived from `TimeStampedModel` run `model_input_errors` in
`clean_fields()`, so every service's `full_clean()` and every ModelForm apply
these rules; the API runs `text_problems` over every value of a request
before an operation sees it; plain form fields take `DateBounds` and
`validate_text` as validators.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

# C0 controls except \t \n \r, DEL, and UTF-16 surrogates (never valid on their own).
_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")

CONTROL_CHARACTERS = _(
    "Remove the invisible control characters (such as null bytes) from this text."
)


def has_forbidden_characters(value: str) -> bool:
    return _FORBIDDEN.search(value) is not None


def validate_text(value: Any) -> None:
    """A Django validator: refuses text with control characters or lone surrogates."""
    if isinstance(value, str) and has_forbidden_characters(value):
        raise ValidationError(CONTROL_CHARACTERS, code="control_characters")


def text_problems(value: Any, location: tuple[str | int, ...] = ()) -> Iterator[tuple[str, str]]:
    """Every string in a parsed request value (keys too) that `validate_text` refuses,
    as (dotted location, message)."""
    if isinstance(value, str):
        if has_forbidden_characters(value):
            yield ".".join(str(part) for part in location), str(CONTROL_CHARACTERS)
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and has_forbidden_characters(key):
                yield ".".join(str(part) for part in location), str(CONTROL_CHARACTERS)
            yield from text_problems(item, (*location, key))
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from text_problems(item, (*location, index))


def _plus_years(day: datetime.date, years: int) -> datetime.date:
    year = min(max(day.year + years, datetime.MINYEAR), datetime.MAXYEAR)
    try:
        return day.replace(year=year)
    except ValueError:  # 29 February
        return day.replace(year=year, day=28)


@dataclass(frozen=True)
class DateBounds:
    """The dates a field accepts: `earliest` and `latest` are fixed dates or a
    number of years from today (0 is today, -10 ten years ago).

    Callable, so it is a Django validator for date and datetime fields alike.
    """

    earliest: datetime.date | int
    latest: datetime.date | int

    def _resolve(self, bound: datetime.date | int) -> datetime.date:
        if isinstance(bound, datetime.date):
            return bound
        return _plus_years(timezone.localdate(), bound)

    def range(self) -> tuple[datetime.date, datetime.date]:
        return self._resolve(self.earliest), self._resolve(self.latest)

    def __call__(self, value: Any) -> None:
        if isinstance(value, datetime.datetime):
            day = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
        elif isinstance(value, datetime.date):
            day = value
        else:
            return
        earliest, latest = self.range()
        if earliest <= day <= latest:
            return
        today = timezone.localdate()
        params = {
            "earliest": formats.date_format(earliest, "DATE_FORMAT"),
            "latest": formats.date_format(latest, "DATE_FORMAT"),
        }
        if latest == today:
            message = _("Enter a date between %(earliest)s and today.")
        else:
            message = _("Enter a date between %(earliest)s and %(latest)s.")
        raise ValidationError(message, code="date_out_of_bounds", params=params)


# A person's date of birth: not in the future, not before 1900.
BIRTH_DATE = DateBounds(earliest=datetime.date(1900, 1, 1), latest=0)
# A career's facts (work, education, employment, declarations, leave): from
# 1950, up to ten years ahead (a contract that ends later, a planned course).
CAREER_DATE = DateBounds(earliest=datetime.date(1950, 1, 1), latest=10)
# Planning (trajectories, deadlines, appointments): ten years back, five ahead.
PLANNING_DATE = DateBounds(earliest=-10, latest=5)
# Any other date a person can enter.
ANY_DATE = DateBounds(earliest=datetime.date(1900, 1, 1), latest=100)


def model_input_errors(instance: models.Model, exclude: Any = None) -> dict[str, list[Any]]:
    """The input errors of a model instance's editable text and date fields.

    Date fields use the bounds the model declares in `input_date_bounds`
    (`{field name: DateBounds}`), `ANY_DATE` otherwise.
    """
    exclude = set(exclude or ())
    declared: dict[str, DateBounds] = getattr(instance, "input_date_bounds", {})
    errors: dict[str, list[Any]] = {}
    for field in instance._meta.concrete_fields:
        if field.name in exclude or field.attname in exclude or not field.editable:
            continue
        value = getattr(instance, field.attname)
        if value in (None, ""):
            continue
        validators: list[Any] = []
        if isinstance(field, models.CharField | models.TextField):
            validators.append(validate_text)
        elif isinstance(field, models.DateField):  # DateTimeField too
            validators.append(declared.get(field.name, ANY_DATE))
        for validator in validators:
            try:
                validator(value)
            except ValidationError as error:
                errors.setdefault(field.name, []).extend(error.error_list)
    return errors
