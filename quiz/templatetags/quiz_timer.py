"""Time-limit filters for the question page: whole seconds for the script, minutes for people.

The page counts down from the seconds the server sends, not from the deadline, so a wrong clock on
the student's device can't make the countdown lie; without JavaScript the minutes still show.
"""

import datetime as dt
import math

from django import template
from django.utils import timezone
from django.utils.translation import ngettext

register = template.Library()


@register.filter
def seconds_left(deadline: dt.datetime | None, now: dt.datetime | None = None) -> int:
    """Whole seconds until the deadline, rounded up; 0 once it has passed."""
    if deadline is None:
        return 0
    return max(0, math.ceil((deadline - (now or timezone.now())).total_seconds()))


@register.filter
def minutes_left(deadline: dt.datetime | None, now: dt.datetime | None = None) -> str:
    """Minutes until the deadline, rounded up: "5 minutes" just after a five-minute start."""
    minutes = math.ceil(seconds_left(deadline, now) / 60)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
