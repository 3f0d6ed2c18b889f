"""Working days (Werktage) in Hamburg: Monday to Friday without Hamburg's public holidays."""

from datetime import date, timedelta
from functools import lru_cache

import holidays


@lru_cache(maxsize=32)
def _hamburg_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.Germany(subdiv="HH", years=year).keys())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _hamburg_holidays(day.year)


def add_working_days(start: date, days: int) -> date:
    """The `days`-th working day after `start` (start itself does not count)."""
    current = start
    remaining = days
    while remaining > 0:
        current += timedelta(days=1)
        if is_working_day(current):
            remaining -= 1
    return current


def is_business_hours(moment) -> bool:
    """Whether the office is open at `moment` (aware datetime), per PORTAL_BUSINESS_HOURS."""
    from django.conf import settings
    from django.utils import timezone

    local = timezone.localtime(moment)
    hours = settings.PORTAL_BUSINESS_HOURS.get(local.weekday())
    if hours is None or not is_working_day(local.date()):
        return False
    start, end = hours
    return start <= local.hour < end
