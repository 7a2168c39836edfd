"""English dates that cannot be misread: "7 Dec 2026", never 12/07/2026.

Django's own English formats are American (month first); Passend is used in
the Netherlands, so the day comes first and the month is a word. Date inputs
stay type="date" and take ISO dates (DATE_INPUT_FORMATS keeps Django's).
"""

DATE_FORMAT = "j M Y"
SHORT_DATE_FORMAT = "j M Y"
DATETIME_FORMAT = "j M Y, H:i"
SHORT_DATETIME_FORMAT = "j M Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
