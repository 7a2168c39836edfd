"""The deadline rule of GDPR Art. 12(3), as pure date arithmetic.

A controller answers "without undue delay and in any event within one month
of receipt". One month runs to the same day of the next month; when that
month has no such day (31 January, 31 March), to its last day
(28/29 February, 30 April). `relativedelta` clamps exactly that way. The
deadline may be extended by two further months, counted from receipt, if
the person is told so, with the reasons, within the first month.
"""

from __future__ import annotations

from datetime import date

# No stubs installed for python-dateutil (types-python-dateutil is not a dev dependency).
from dateutil.relativedelta import relativedelta  # type: ignore[import-untyped]

FIRST_PERIOD_MONTHS = 1
EXTENSION_MONTHS = 2
DUE_SOON_DAYS = 7


def due_date(received: date) -> date:
    """The last day on which the answer is on time: receipt plus one calendar month."""
    result: date = received + relativedelta(months=FIRST_PERIOD_MONTHS)
    return result


def extended_due_date(received: date) -> date:
    """The deadline after an extension: receipt plus three calendar months."""
    result: date = received + relativedelta(months=FIRST_PERIOD_MONTHS + EXTENSION_MONTHS)
    return result


def may_extend(received: date, today: date) -> bool:
    """Whether the person can still be told of an extension: within the first month."""
    return today <= due_date(received)


def days_left(deadline: date, today: date) -> int:
    """Days until the deadline: 0 on the day itself, negative once it has passed."""
    return (deadline - today).days


def is_overdue(deadline: date, today: date) -> bool:
    return days_left(deadline, today) < 0


def is_due_soon(deadline: date, today: date, within: int = DUE_SOON_DAYS) -> bool:
    """Due within `within` days (today included), not yet overdue."""
    return 0 <= days_left(deadline, today) <= within


def reminder_due(deadline: date, today: date) -> str | None:
    """Which reminder about `deadline` applies today: "overdue", "1d", "7d" or none.

    Counted by days left rather than on exact days, so a day the reminder job
    did not run is caught up the next time it does.
    """
    left = days_left(deadline, today)
    if left < 0:
        return "overdue"
    if left <= 1:
        return "1d"
    if left <= DUE_SOON_DAYS:
        return "7d"
    return None
