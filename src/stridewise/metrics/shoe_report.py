"""Distance on each pair of shoes, and when it reaches the worn-shoe limits.

EVIDENCE.md, worn shoes (convention grade): notice at 500 km, replace at 800 km, per shoe. A shoe's distance is
its ``initial_km`` plus the runs the activities table puts in it, so reading the same files again never counts a
run twice. The projection is linear: the distance of the last 28 days (up to ``today``) spread over 28 days.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final

import numpy as np
import pandas as pd

from stridewise import frames as f
from stridewise.config import Shoe
from stridewise.metrics.shoes import registered_shoes

LOCAL_DATE: Final = f.LOCAL_DATE  # the run's date in the runner's time zone

# --- report columns (one row per shoe) ----------------------------------------------------------------------
NAME: Final = "name"
DISTANCE_KM: Final = "distance_km"  # initial_km + the runs logged in the shoe up to `today`
INITIAL_KM: Final = "initial_km"  # on the pair before its first logged run (from the config)
RUNS: Final = "runs"  # runs logged in the shoe up to `today`
FIRST_RUN: Final = "first_run"  # local date, None without runs
LAST_RUN: Final = "last_run"  # local date, None without runs
KM_LAST_28D: Final = "km_last_28d"  # run distance in the window that ends on `today`
RATE_KM_PER_DAY: Final = "rate_km_per_day"  # km_last_28d / 28
NOTICE_KM: Final = "notice_km"
REPLACE_KM: Final = "replace_km"
NOTICE_DATE: Final = "notice_date"  # the day it crossed notice_km, or will at the current rate; None: unknown
REPLACE_DATE: Final = "replace_date"  # the same for replace_km
RETIRED_ON: Final = "retired_on"  # the config's retire date, None while in use
STATUS: Final = "status"  # one of STATUSES

SHOE_REPORT_COLUMNS: Final[tuple[str, ...]] = (
    NAME, DISTANCE_KM, INITIAL_KM, RUNS, FIRST_RUN, LAST_RUN, KM_LAST_28D, RATE_KM_PER_DAY, NOTICE_KM, REPLACE_KM,
    NOTICE_DATE, REPLACE_DATE, RETIRED_ON, STATUS,
)
_DATE_COLUMNS: Final = (FIRST_RUN, LAST_RUN, NOTICE_DATE, REPLACE_DATE, RETIRED_ON)

STATUS_OK: Final = "ok"
STATUS_NOTICE: Final = "notice"  # at or past notice_km
STATUS_REPLACE: Final = "replace"  # at or past replace_km
STATUS_RETIRED: Final = "retired"  # retire date on or before `today`, whatever its distance
STATUSES: Final = (STATUS_OK, STATUS_NOTICE, STATUS_REPLACE, STATUS_RETIRED)

# The rate window: four weeks smooth over a rest week or a race week, yet follow a change of pair within a month.
RATE_WINDOW_DAYS: Final = 28
M_PER_KM: Final = 1000.0
# Digits kept before rounding a projected day count up, so that 28.000000001 days (float noise) stays 28.
_DAYS_DIGITS: Final = 9


def shoe_report(activities: pd.DataFrame, shoes: Sequence[Shoe], *, today: date) -> pd.DataFrame:
    """One row per shoe (``shoes``, then any other name the runs carry), columns ``SHOE_REPORT_COLUMNS``.

    ``activities`` needs ``frames.IS_RUN``, ``frames.SHOE``, ``frames.DISTANCE_M`` and ``LOCAL_DATE`` (a
    ``datetime.date``), as :func:`stridewise.load` returns them. Runs after ``today`` are left out. Shoe names
    match case-insensitively, as Strava gear does.
    """
    mask = activities[f.IS_RUN].astype(bool) & activities[f.SHOE].notna()
    runs = activities.loc[mask, [f.SHOE, LOCAL_DATE, f.DISTANCE_M]]
    runs = runs.loc[np.array([day <= today for day in runs[LOCAL_DATE]], dtype=bool)]
    keys = runs[f.SHOE].astype(str).str.lower()
    rows = []
    for shoe in registered_shoes(shoes, list(runs[f.SHOE].astype(str))):
        mine = runs[keys == shoe.name.lower()].sort_values(LOCAL_DATE, kind="stable")
        rows.append(_row(shoe, list(mine[LOCAL_DATE]), mine[f.DISTANCE_M].fillna(0.0).to_numpy(float) / M_PER_KM,
                         today))
    report = pd.DataFrame(rows, columns=list(SHOE_REPORT_COLUMNS))
    for column in (DISTANCE_KM, INITIAL_KM, KM_LAST_28D, RATE_KM_PER_DAY, NOTICE_KM, REPLACE_KM):
        report[column] = report[column].astype(float)
    report[RUNS] = report[RUNS].astype(int)
    for column in _DATE_COLUMNS:
        report[column] = report[column].astype(object)
    return report


@dataclass(frozen=True)
class Wear:
    """One pair's wear on ``today``: the one computation behind the shoe report and the worn_shoes flags."""

    distance_km: float  # initial_km + the runs up to today
    recent_km: float  # the runs of the rate window that ends on today
    rate_km_per_day: float  # recent_km / the window's days (0 for a retired pair: it will not be run in)
    notice_date: date | None  # the day the pair crossed notice_km, or will at the current rate; None: unknown
    replace_date: date | None
    status: str  # one of STATUSES


def shoe_wear(shoe: Shoe, days: Sequence[date], km: np.ndarray[Any, np.dtype[np.float64]], *, today: date,
              window_days: int = RATE_WINDOW_DAYS) -> Wear:
    """The pair's wear on ``today`` from its runs (local ``days``, oldest first, none after today, and their
    ``km``). The rate is the distance of the ``window_days`` days that end on today, spread over them."""
    cumulative_km = shoe.initial_km + np.cumsum(km)
    distance_km = shoe.initial_km + float(km.sum())
    window_start = today - timedelta(days=window_days - 1)
    recent_km = float(sum(k for day, k in zip(days, km, strict=True) if day >= window_start))
    retired = shoe.retire is not None and shoe.retire <= today
    rate = 0.0 if retired else recent_km / window_days

    def reaches(limit_km: float) -> date | None:
        return _limit_date(limit_km, shoe.initial_km, list(days), cumulative_km, distance_km,
                           rate_km_per_day=rate, today=today)

    if retired:
        status = STATUS_RETIRED
    elif distance_km >= shoe.replace_km:
        status = STATUS_REPLACE
    elif distance_km >= shoe.notice_km:
        status = STATUS_NOTICE
    else:
        status = STATUS_OK
    return Wear(distance_km, recent_km, recent_km / window_days, reaches(shoe.notice_km), reaches(shoe.replace_km),
                status)


def _row(shoe: Shoe, days: list[date], km: np.ndarray[Any, np.dtype[np.float64]], today: date) -> dict[str, Any]:
    wear = shoe_wear(shoe, days, km, today=today)
    return {
        NAME: shoe.name, DISTANCE_KM: wear.distance_km, INITIAL_KM: shoe.initial_km, RUNS: len(days),
        FIRST_RUN: days[0] if days else None, LAST_RUN: days[-1] if days else None, KM_LAST_28D: wear.recent_km,
        RATE_KM_PER_DAY: wear.rate_km_per_day, NOTICE_KM: shoe.notice_km, REPLACE_KM: shoe.replace_km,
        NOTICE_DATE: wear.notice_date, REPLACE_DATE: wear.replace_date, RETIRED_ON: shoe.retire,
        STATUS: wear.status,
    }


def _limit_date(limit_km: float, initial_km: float, days: list[date],
                cumulative_km: np.ndarray[Any, np.dtype[np.float64]], distance_km: float, *,
                rate_km_per_day: float, today: date) -> date | None:
    """The day of the run that took the pair to ``limit_km``, else the projected day, else None.

    None also when the pair was past the limit before its first logged run (``initial_km``): that day is not known.
    """
    if initial_km >= limit_km:
        return None
    crossed = np.flatnonzero(cumulative_km >= limit_km)
    if crossed.size:
        return days[int(crossed[0])]
    if rate_km_per_day <= 0:
        return None
    days_left = math.ceil(round((limit_km - distance_km) / rate_km_per_day, _DAYS_DIGITS))
    return today + timedelta(days=days_left)


def unassigned_runs(activities: pd.DataFrame, *, today: date) -> int:
    """Runs up to ``today`` that no shoe was decided for (no assignment, no Strava gear, no config default)."""
    runs = activities[activities[f.IS_RUN].astype(bool) & activities[f.SHOE].isna()]
    return sum(1 for day in runs[LOCAL_DATE] if day <= today)


def active_shoes(report: pd.DataFrame) -> list[str]:
    """Shoes in use: not retired, with a run in the last 28 days. One name alone means no rotation."""
    active = report[(report[STATUS] != STATUS_RETIRED) & (report[KM_LAST_28D] > 0)]
    return [str(name) for name in active[NAME]]


def report_records(report: pd.DataFrame) -> list[dict[str, Any]]:
    """The report as plain values for JSON: dates as ISO strings, km rounded to metres, rates to 0.001 km."""
    records = []
    for row in report.to_dict(orient="records"):
        record: dict[str, Any] = {}
        for column in SHOE_REPORT_COLUMNS:
            value = row[column]
            if column in _DATE_COLUMNS:
                record[column] = value.isoformat() if isinstance(value, date) else None
            elif column == RUNS:
                record[column] = int(value)
            elif isinstance(value, float):
                record[column] = round(value, 3)
            else:
                record[column] = value
        records.append(record)
    return records
