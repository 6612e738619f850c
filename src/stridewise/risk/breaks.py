"""Breaks from running and the first weeks back, found once for the rules, the check and the charts.

A break is at least ``BREAK_DAYS`` calendar days without a counted run. The runner's level before it is read from
the ``LEVEL_WEEKS`` weeks that end with the last run before the break; the first ``RETURN_WEEKS`` ISO weeks from
the first run back are "the first weeks back" (EVIDENCE.md, return after a break).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import pairwise
from typing import Final, cast

import numpy as np
import pandas as pd

from stridewise import frames as f

# EVIDENCE.md (return after a break): two weeks without a run. Shorter gaps are ordinary rest or a taper; the
# spike rule's 30-day window still holds the runs before them.
BREAK_DAYS: Final = 14
# EVIDENCE.md: "the runner's level before the break: longest run and weekly distance of the 4-8 weeks before it".
# Eight weeks when the history has them, never fewer than four in the divisor (a short log is not a high level).
LEVEL_WEEKS: Final = 8
MIN_LEVEL_WEEKS: Final = 4
# EVIDENCE.md: "each of the first 4 weeks back". Also how long the acute:chronic ratio and monotony are "not
# meaningful": their 28-day chronic window is then mostly the break itself.
RETURN_WEEKS: Final = 4


@dataclass(frozen=True)
class Return:
    """One return after a break: the break's length, the level before it, and the weeks back."""

    last_before: date  # local day of the last run before the break
    first_back: date  # local day of the first run after it
    longest_before_m: float  # the longest run of the level window
    weekly_before_m: float  # the mean weekly distance of the level window
    level_weeks: int  # weeks the level was read from (the divisor of weekly_before_m)
    return_weeks: int

    @property
    def days_off(self) -> int:
        """Days without a run between the two runs (a run on Monday and the next on Monday a week later: 6)."""
        return (self.first_back - self.last_before).days - 1

    @property
    def until(self) -> date:
        """The Sunday ending the last of the first weeks back."""
        monday = self.first_back - timedelta(days=self.first_back.weekday())
        return monday + timedelta(days=7 * self.return_weeks - 1)

    def covers(self, day: date) -> bool:
        return self.first_back <= day <= self.until


def find_returns(activities: pd.DataFrame, *, break_days: float = BREAK_DAYS, level_weeks: float = LEVEL_WEEKS,
                 return_weeks: float = RETURN_WEEKS) -> list[Return]:
    """Every return after a break of at least ``break_days`` days without a run, oldest first.

    ``activities`` is the TrainingLog table (``frames.IS_RUN``, ``DISTANCE_M``, ``LOCAL_DATE``). A break counts
    only after at least one run: the start of the log is not a return.
    """
    runs = activities.loc[activities[f.IS_RUN].astype(bool), [f.LOCAL_DATE, f.DISTANCE_M]]
    per_day = runs.groupby(f.LOCAL_DATE)[f.DISTANCE_M]
    days: list[date] = sorted(cast(Iterable[date], per_day.groups))
    if not days:
        return []
    longest = per_day.max().fillna(0.0)
    total = per_day.sum().fillna(0.0)
    returns = []
    for before, after in pairwise(days):
        if (after - before).days - 1 < break_days:
            continue
        start = before - timedelta(days=7 * int(level_weeks) - 1)
        window = [d for d in days if start <= d <= before]
        weeks = max(MIN_LEVEL_WEEKS, min(int(level_weeks), -(-((before - max(start, days[0])).days + 1) // 7)))
        returns.append(Return(
            last_before=before, first_back=after, longest_before_m=float(max(longest[d] for d in window)),
            weekly_before_m=float(sum(total[d] for d in window)) / weeks, level_weeks=weeks,
            return_weeks=int(return_weeks)))
    return returns


def return_covering(returns: Sequence[Return], day: date) -> Return | None:
    """The latest return whose first weeks back include ``day``."""
    covering = [r for r in returns if r.covers(day)]
    return covering[-1] if covering else None


def covered_days(returns: Sequence[Return], days: pd.DatetimeIndex) -> np.ndarray:
    """For each day of ``days`` (tz-naive midnights, as the daily table indexes them): inside a return's weeks?"""
    mask = np.zeros(len(days), dtype=bool)
    for back in returns:
        mask |= (days >= pd.Timestamp(back.first_back)) & (days <= pd.Timestamp(back.until))
    return mask
