"""The daily series: one row per local calendar day, rest days included, from the activities table.

A day is the runner's local calendar day: each start (UTC) is converted to the given zone first, so a run at
23:30 on the evening of a DST change still belongs to that day.
"""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

import pandas as pd

from stridewise import frames
from stridewise.series import columns as sc
from stridewise.series.load import DEFAULT_LOAD_SETTINGS, LoadSettings, with_load

# The activity columns this stage reads.
REQUIRED_COLUMNS: tuple[str, ...] = (
    frames.START_UTC, frames.IS_RUN, frames.DISTANCE_M, frames.DURATION_S, frames.DOWNHILL_M,
    frames.STEEP_DOWNHILL_DISTANCE_M, frames.SURFACE,
)
# A run whose surface is missing (None/NaN) counts here; frames.SURFACES lists it.
UNKNOWN_SURFACE = "unknown"


def local_days(start_utc: pd.Series, zone: ZoneInfo) -> pd.Series:
    """The local calendar day (tz-naive midnight) of each tz-aware start, DST-correct."""
    days: pd.Series = start_utc.dt.tz_convert(zone).dt.tz_localize(None).dt.normalize()
    return days


def require_columns(activities: pd.DataFrame, required: tuple[str, ...] = REQUIRED_COLUMNS) -> None:
    """Raise ValueError naming the columns the activities table lacks (a caller's bug, not a data error)."""
    missing = [name for name in required if name not in activities.columns]
    if missing:
        raise ValueError(f"activities table lacks column(s): {', '.join(missing)}")


def daily_series(activities: pd.DataFrame, zone: ZoneInfo, *, end: date | None = None,
                 load: LoadSettings = DEFAULT_LOAD_SETTINGS) -> pd.DataFrame:
    """One row per local day from the first activity's day to ``end`` (default: the last activity's day).

    Columns: see ``stridewise.series.columns`` (DAILY_COLUMNS); the load columns come from
    :func:`stridewise.series.load.with_load`. Activities after ``end`` are left out. Downhill sums are NaN
    only on a day when every run lacked altitude, 0 on a day without a run. A run without a surface counts as
    "unknown"; a run with a measured map mix (frames.SURFACE_MIX, optional column) is split by it. An empty
    activities table gives an empty table with the same columns.

    Raises ValueError if a required column is missing, ``end`` is before the first activity's day, or a
    surface is not one of ``frames.SURFACES``.
    """
    require_columns(activities)
    if activities.empty:
        return pd.DataFrame(columns=list(sc.DAILY_COLUMNS), index=pd.DatetimeIndex([], name=sc.DATE))
    day = local_days(activities[frames.START_UTC], zone)
    first = day.min()
    last = day.max() if end is None else pd.Timestamp(end).normalize()
    if last < first:
        raise ValueError(f"end {last.date()} is before the first activity's day {first.date()}")
    index = pd.date_range(first, last, freq="D", name=sc.DATE)
    inside = day <= last
    is_run = activities[frames.IS_RUN].astype(bool) & inside
    is_other = ~activities[frames.IS_RUN].astype(bool) & inside
    out = _run_columns(activities[is_run], day[is_run], index)
    other_s = activities.loc[is_other, frames.DURATION_S].groupby(day[is_other])
    out[sc.CROSS_TRAINING] = other_s.size().reindex(index, fill_value=0) > 0
    out[sc.CROSS_TRAINING_S] = other_s.sum().reindex(index, fill_value=0.0).astype(float)
    out[sc.REST_DAY] = out[sc.RUNS] == 0
    return with_load(out, load)


def _run_columns(runs: pd.DataFrame, run_day: pd.Series, index: pd.DatetimeIndex) -> pd.DataFrame:
    """The running columns of the daily table (every column before CROSS_TRAINING)."""
    distance = runs[frames.DISTANCE_M].astype(float)
    downhill = runs[frames.DOWNHILL_M].astype(float)
    by_day = distance.groupby(run_day)
    out = pd.DataFrame(index=index)
    out[sc.RUN_DISTANCE_M] = _fill(by_day.sum(), index)
    out[sc.RUN_DURATION_S] = _fill(runs[frames.DURATION_S].astype(float).groupby(run_day).sum(), index)
    out[sc.RUNS] = _fill(by_day.size(), index).astype(int)
    out[sc.LONGEST_RUN_M] = _fill(by_day.max(), index)
    out[sc.DOWNHILL_M] = _fill(downhill.groupby(run_day).sum(min_count=1), index)
    steep = runs[frames.STEEP_DOWNHILL_DISTANCE_M].astype(float)
    out[sc.STEEP_DOWNHILL_DISTANCE_M] = _fill(steep.groupby(run_day).sum(min_count=1), index)
    out[sc.RUNS_WITH_ALTITUDE] = _fill(downhill.groupby(run_day).count(), index).astype(int)
    out[sc.DISTANCE_WITH_ALTITUDE_M] = _fill(distance.where(downhill.notna()).groupby(run_day).sum(), index)
    for name, metres in _surface_metres(runs, distance).items():
        out[sc.SURFACE_DISTANCE_M[name]] = _fill(metres.groupby(run_day).sum(), index)
    return out


def _surface_metres(runs: pd.DataFrame, distance: pd.Series) -> dict[str, pd.Series]:
    """Each run's distance per surface: split by its measured map mix where it has one, else all on its surface."""
    surface = _surfaces(runs[frames.SURFACE])
    mixes = (runs[frames.SURFACE_MIX] if frames.SURFACE_MIX in runs.columns
             else pd.Series([None] * len(runs), index=runs.index, dtype=object))
    has_mix = mixes.map(lambda mix: isinstance(mix, dict) and bool(mix)).astype(bool)
    out = {}
    for name in frames.SURFACES:
        share = mixes[has_mix].map(lambda mix, name=name: float(mix.get(name, 0.0)))
        whole = distance.where(~has_mix & (surface == name), 0.0)
        out[name] = whole.add(distance[has_mix] * share, fill_value=0.0)
    return out


def _fill(per_day: pd.Series, index: pd.DatetimeIndex) -> pd.Series:
    """A per-day aggregate spread over every day of ``index``; days without a value get 0 (NaNs are kept)."""
    return per_day.reindex(index, fill_value=0).astype(float)


def _surfaces(surface: pd.Series) -> pd.Series:
    known = surface.astype(object).where(surface.notna(), UNKNOWN_SURFACE)
    odd = sorted({str(s) for s in known} - set(frames.SURFACES))
    if odd:
        raise ValueError(f"surface(s) {', '.join(odd)} not in {', '.join(frames.SURFACES)}")
    return known
