"""Working days in Vietnam: what a posting deadline of "N ngày làm việc" counts.

A working day is a Monday to Friday that is not a public holiday, plus the Saturdays the
Government moves work to when it swaps a day for a longer break. The public holidays, Tết
included, and the swaps the package knows come from the `holidays` package's Vietnam calendar
(Bộ luật Lao động 2019 Điều 112 and the yearly notices it lists); site.yaml adds what it lacks or
what applies to civil servants only: `holidays_extra:` (days off) and `workdays_extra:` (days
worked), e.g. for 2025 "nghỉ thứ Sáu 2/5, làm bù thứ Bảy 26/4" (Thông báo 6150/TB-BLĐTBXH,
implementing Công văn 8726/VPCP-KGVX ngày 26/11/2024). What site.yaml says wins over the package.

Pure functions of dates; nothing here knows the clock or the time zone.
"""
from __future__ import annotations

import datetime as dt
from functools import lru_cache

SATURDAY = 5


@lru_cache(maxsize=64)
def _national(year: int) -> tuple[frozenset[dt.date], frozenset[dt.date]]:
    """(public holidays, weekend days worked) of one year, from the holidays package."""
    import holidays     # imported when a deadline is checked, not by every build
    calendar = holidays.country_holidays("VN", years=year)
    off = frozenset(calendar.keys())
    # Saturdays worked in exchange for a day off (e.g. 26/4/2025); older releases lack the set.
    worked = frozenset(d for d in getattr(calendar, "weekend_workdays", ()) if d.year == year)
    return off, worked


class WorkCalendar:
    """Which days are working days, with site.yaml's extra days off and days worked."""

    def __init__(self, holidays_extra: tuple[dt.date, ...] = (), workdays_extra: tuple[dt.date, ...] = ()):
        self.holidays_extra = frozenset(holidays_extra)
        self.workdays_extra = frozenset(workdays_extra)

    def is_working_day(self, day: dt.date) -> bool:
        if day in self.workdays_extra:
            return True
        if day in self.holidays_extra:
            return False
        off, worked = _national(day.year)
        if day in worked:
            return True
        return day.weekday() < SATURDAY and day not in off

    def add(self, start: dt.date, days: int) -> dt.date:
        """The `days`-th working day after `start` (start itself not counted): the last day of a
        deadline of `days` working days counted from `start`."""
        day = start
        left = days
        while left > 0:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                left -= 1
        return day

    def between(self, after: dt.date, until: dt.date) -> int:
        """Working days d with after < d <= until (0 when until is not after `after`)."""
        count, day = 0, after
        while day < until:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count
