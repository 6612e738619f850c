"""The weekly series: ISO weeks (Monday to Sunday) summed from the daily series.

A week belongs to the history only if all 7 of its days do: the first week is usually partial (the log starts
mid-week), and so is the current week when the series ends before Sunday. ``history_days`` says how many days
of each week the daily series covers, and the changes below never compare with a partial week.
"""

from __future__ import annotations

from typing import Final

import pandas as pd

from stridewise.series import columns as sc
from stridewise.weeks import week_label

DAYS_PER_WEEK: Final = 7
# Nielsen et al., JOSPT 2014 (EVIDENCE.md, weekly progression): progression against the previous week and, for
# a runner coming back from a light week, against the mean of the previous 4 weeks.
BASELINE_WEEKS: Final = 4

# Daily columns whose weekly value is their sum over the week's days.
_SUMMED: Final[tuple[str, ...]] = (
    sc.RUN_DISTANCE_M, sc.RUN_DURATION_S, sc.RUNS, sc.RUNS_WITH_ALTITUDE, sc.DISTANCE_WITH_ALTITUDE_M,
    *sc.SURFACE_DISTANCE_M.values(), sc.CROSS_TRAINING_S,
)
# Daily load columns whose weekly value is the one on the week's Sunday.
_SUNDAY_VALUES: Final[tuple[str, ...]] = (sc.ACWR_EWMA, sc.ACWR_ROLLING, sc.MONOTONY_7D)


def weekly_series(daily: pd.DataFrame) -> pd.DataFrame:
    """One row per ISO week touched by ``daily`` (the table :func:`daily_series` returns), indexed by week label.

    - sums over the week's days: distance, duration, runs, downhill, steep downhill, distance per surface,
      cross-training time; counts of cross-training days and rest days; the longest run;
    - downhill_m and steep_downhill_distance_m are NaN when the week had runs but none with altitude, 0 with no run;
      downhill_share = downhill_m / distance_with_altitude_m (runs without altitude are left out of both);
    - surface_<s>_share = surface_<s>_m / run_distance_m, NaN in a week without running;
    - distance_change_vs_prev_week = distance / previous week's distance - 1 (0.35 = +35%); NaN when the
      previous week is not a full week of the history or had no running;
    - distance_change_vs_prev_4w_mean = distance / mean distance of the 4 previous weeks - 1; NaN unless all
      4 are full weeks of the history, or when their mean is 0;
    - acwr_ewma, acwr_rolling, monotony_7d: the daily value on the week's Sunday (NaN if Sunday is after the
      series' end).
    """
    if daily.empty:
        return pd.DataFrame(columns=list(sc.WEEKLY_COLUMNS), index=pd.Index([], name=sc.WEEK, dtype=str))
    days = pd.DatetimeIndex(daily.index)
    week_start = days - pd.to_timedelta(days.day_of_week, unit="D")
    grouped = daily.groupby(week_start)
    sums = grouped[list(_SUMMED)].sum()
    out = pd.DataFrame(index=sums.index)
    out[sc.WEEK_START] = sums.index
    out[sc.HISTORY_DAYS] = grouped.size()
    out[list(_SUMMED)] = sums
    out[sc.LONGEST_RUN_M] = grouped[sc.LONGEST_RUN_M].max()
    no_altitude = (out[sc.RUNS] > 0) & (out[sc.RUNS_WITH_ALTITUDE] == 0)
    for column in (sc.DOWNHILL_M, sc.STEEP_DOWNHILL_DISTANCE_M):
        out[column] = grouped[column].sum().mask(no_altitude)
    out[sc.DOWNHILL_SHARE] = _share(out[sc.DOWNHILL_M], out[sc.DISTANCE_WITH_ALTITUDE_M])
    for surface, column in sc.SURFACE_DISTANCE_M.items():
        out[sc.SURFACE_SHARE[surface]] = _share(out[column], out[sc.RUN_DISTANCE_M])
    out[sc.CROSS_TRAINING_DAYS] = grouped[sc.CROSS_TRAINING].sum().astype(int)
    out[sc.REST_DAYS] = grouped[sc.REST_DAY].sum().astype(int)
    out[sc.DISTANCE_CHANGE_VS_PREV_WEEK] = _change(out, weeks=1)
    out[sc.DISTANCE_CHANGE_VS_PREV_4W] = _change(out, weeks=BASELINE_WEEKS)
    sundays = pd.DatetimeIndex(out.index) + pd.Timedelta(days=DAYS_PER_WEEK - 1)
    for column in _SUNDAY_VALUES:
        out[column] = daily[column].reindex(sundays).to_numpy(dtype=float)
    out.index = pd.Index([week_label(start) for start in out.index], name=sc.WEEK)
    return out[list(sc.WEEKLY_COLUMNS)]


def _share(part: pd.Series, whole: pd.Series) -> pd.Series:
    """part / whole, NaN where whole is 0."""
    return part / whole.where(whole != 0)


def _change(weeks_table: pd.DataFrame, *, weeks: int) -> pd.Series:
    """Relative change of running distance against the mean of the ``weeks`` full weeks before each week."""
    distance = weeks_table[sc.RUN_DISTANCE_M]
    previous = distance.shift(1)
    baseline = previous.rolling(weeks, min_periods=weeks).mean()
    full = weeks_table[sc.HISTORY_DAYS].shift(1).rolling(weeks, min_periods=weeks).min() == DAYS_PER_WEEK
    change: pd.Series = distance / baseline.where(full & (baseline > 0)) - 1
    return change
