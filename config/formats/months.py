"""The abbreviated month names that the Dutch DATE_FORMAT ("j N Y") uses.

These are Django's own msgids (`django.utils.dates.MONTHS_AP`). Django's
Dutch catalogue abbreviates without a dot ("7 dec 2026"); the Dutch
convention is "7 dec. 2026". Listing them here puts them in Passend's own
catalogue (makemessages finds them), which takes precedence over Django's, so
they are translated there: jan., feb., mrt., apr., mei, jun., jul., aug.,
sep., okt., nov., dec. Nothing imports this module.
"""

from django.utils.translation import pgettext_lazy

MONTHS_AP = (
    pgettext_lazy("abbrev. month", "Jan."),
    pgettext_lazy("abbrev. month", "Feb."),
    pgettext_lazy("abbrev. month", "March"),
    pgettext_lazy("abbrev. month", "April"),
    pgettext_lazy("abbrev. month", "May"),
    pgettext_lazy("abbrev. month", "June"),
    pgettext_lazy("abbrev. month", "July"),
    pgettext_lazy("abbrev. month", "Aug."),
    pgettext_lazy("abbrev. month", "Sept."),
    pgettext_lazy("abbrev. month", "Oct."),
    pgettext_lazy("abbrev. month", "Nov."),
    pgettext_lazy("abbrev. month", "Dec."),
)
