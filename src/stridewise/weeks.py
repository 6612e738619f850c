"""ISO weeks, parsed and named in one place: ``2026-W47`` <-> the week's Monday.

Every command that takes a week (``--week``, ``--since``) and every stage that turns a label back into dates uses
these functions, so a malformed or non-existent week is the same usage error everywhere.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Final

from stridewise.errors import UsageError

_WEEK: Final = re.compile(r"(\d{4})-W(\d{2})")
# Weeks outside these years cannot hold a GPS activity, and date arithmetic near year 1 or 9999 overflows:
# a chart reaches back up to a few years and forward one week from the week asked for.
FIRST_YEAR: Final = 1980
LAST_YEAR: Final = 2999


def parse_week(text: str) -> date:
    """The Monday of ISO week ``text`` (``"2026-W47"``); raises :class:`UsageError` for anything else."""
    match = _WEEK.fullmatch(text.strip())
    if match is None:
        raise UsageError(f"week {text!r} is not an ISO week such as 2026-W47")
    year, week = int(match[1]), int(match[2])
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise UsageError(f"week {text!r} is outside the years {FIRST_YEAR}-{LAST_YEAR}")
    try:
        return date.fromisocalendar(year, week, 1)
    except ValueError:
        weeks_in_year = date(year, 12, 28).isocalendar()[1]
        raise UsageError(f"week {text!r} does not exist: {year} has {weeks_in_year} ISO weeks") from None


def week_label(day: date) -> str:
    """The ISO week of a day, e.g. ``2026-W43`` (the ISO year, which differs from the calendar year near 1 Jan)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_sunday(text: str) -> date:
    """The Sunday that ends ISO week ``text``."""
    return parse_week(text) + timedelta(days=6)
