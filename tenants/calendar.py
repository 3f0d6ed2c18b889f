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
