"""Dutch dates that cannot be misread: "7 dec. 2026".

The short format is the same: a month in words is clearer than 07-12-2026.
"N" is the abbreviated month with its dot ("dec.", "mei", "juni").
"""

DATE_FORMAT = "j N Y"
SHORT_DATE_FORMAT = "j N Y"
DATETIME_FORMAT = "j N Y, H:i"
SHORT_DATETIME_FORMAT = "j N Y, H:i"
MONTH_DAY_FORMAT = "j F"
YEAR_MONTH_FORMAT = "F Y"
TIME_FORMAT = "H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
