"""The deadline rule of GDPR Art. 12(3) as pure date arithmetic."""

from __future__ import annotations

from datetime import date

import pytest

from passend.privacy.requests import deadlines


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (date(2026, 1, 15), date(2026, 2, 15)),
        (date(2026, 1, 31), date(2026, 2, 28)),  # February has no 31st
        (date(2028, 1, 31), date(2028, 2, 29)),  # leap year
        (date(2028, 1, 30), date(2028, 2, 29)),
        (date(2028, 2, 29), date(2028, 3, 29)),  # received on a leap day
        (date(2026, 3, 31), date(2026, 4, 30)),
        (date(2026, 12, 31), date(2027, 1, 31)),  # across the year
        (date(2026, 8, 31), date(2026, 9, 30)),
    ],
)
def test_it_gives_one_calendar_month_clamped_to_the_end_of_the_month(received, due):
    assert deadlines.due_date(received) == due


@pytest.mark.parametrize(
    ("received", "extended"),
    [
        (date(2026, 1, 15), date(2026, 4, 15)),
        (date(2026, 11, 30), date(2027, 2, 28)),  # counted from receipt, clamped once
        (date(2027, 11, 30), date(2028, 2, 29)),
        (date(2026, 12, 31), date(2027, 3, 31)),  # not 28 Feb + 2 months = 28 April
        (date(2026, 3, 31), date(2026, 6, 30)),
    ],
)
def test_it_extends_to_three_months_counted_from_receipt(received, extended):
    assert deadlines.extended_due_date(received) == extended


def test_it_allows_an_extension_up_to_and_including_the_original_due_date():
    received = date(2026, 1, 31)
    assert deadlines.may_extend(received, date(2026, 1, 31))
    assert deadlines.may_extend(received, date(2026, 2, 28))
    assert not deadlines.may_extend(received, date(2026, 3, 1))


def test_it_counts_days_left_and_overdue():
    due = date(2026, 2, 28)
    assert deadlines.days_left(due, date(2026, 2, 28)) == 0
    assert not deadlines.is_overdue(due, date(2026, 2, 28))
    assert deadlines.is_overdue(due, date(2026, 3, 1))
    assert deadlines.is_due_soon(due, date(2026, 2, 21))
    assert not deadlines.is_due_soon(due, date(2026, 2, 20))
    assert not deadlines.is_due_soon(due, date(2026, 3, 1))


@pytest.mark.parametrize(
    ("today", "reminder"),
    [
        (date(2026, 2, 20), None),
        (date(2026, 2, 21), "7d"),
        (date(2026, 2, 26), "7d"),
        (date(2026, 2, 27), "1d"),
        (date(2026, 2, 28), "1d"),
        (date(2026, 3, 1), "overdue"),
    ],
)
def test_it_picks_the_reminder_that_applies_on_a_day(today, reminder):
    assert deadlines.reminder_due(date(2026, 2, 28), today) == reminder
