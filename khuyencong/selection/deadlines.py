"""Working days in Vietnam: weekends, public holidays (Tết and the others, with their days in lieu) and the
Saturdays worked in exchange, from the `holidays` package (country "VN"), never a hand-made list.

A region round decides within the rule set's working days (30) of a province's complete submission:
the submission's own day is not counted, the next working day is day 1.
"""

import datetime
from functools import lru_cache

import holidays


@lru_cache(maxsize=1)
def _calendar():
    return holidays.country_holidays("VN")  # expands to each year asked for


def is_working_day(day: datetime.date) -> bool:
    return _calendar().is_working_day(day)


def add_working_days(start: datetime.date, days: int) -> datetime.date:
    """The `days`-th working day after `start` (which is not counted)."""
    if days < 1:
        raise ValueError("days must be at least 1")
    return _calendar().get_nth_working_day(start, days)


def working_days_left(today: datetime.date, due: datetime.date) -> int:
    """Working days after `today` up to and including `due` (0 when due today or past)."""
    if due <= today:
        return 0
    return sum(1 for n in range(1, (due - today).days + 1) if is_working_day(today + datetime.timedelta(n)))
