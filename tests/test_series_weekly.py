"""The ISO-week series: totals, shares, week-on-week changes, and the load value of each week's Sunday."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from series_tables import KM, PACE_S_PER_KM, UTC, ZURICH, at, daily_runs, ride, run, table
from stridewise import frames
from stridewise.series import columns as sc
from stridewise.series import daily_series, week_label, weekly_series

MON_W41 = date(2026, 10, 5)  # Monday of ISO week 2026-W41


def _day(offset: int) -> date:
    return MON_W41 + timedelta(days=offset)


def _three_weeks() -> pd.DataFrame:
    """W41: 5 + 5 + 10 = 20 km; W42: 6 + 6 + 5 + 10 = 27 km and a ride; W43: 8 + 10 = 18 km, the last run at
    23:30 local on Sunday 25 October, the night the clocks go back."""
    return table([
        run(at(_day(0), zone=ZURICH), 5), run(at(_day(2), zone=ZURICH), 5), run(at(_day(5), zone=ZURICH), 10),
        run(at(_day(7), zone=ZURICH), 6), ride(at(_day(8), zone=ZURICH), 3600.0), run(at(_day(9), zone=ZURICH), 6),
        run(at(_day(11), zone=ZURICH), 5), run(at(_day(13), zone=ZURICH), 10),
        run(at(_day(15), zone=ZURICH), 8), run(datetime(2026, 10, 25, 23, 30, tzinfo=ZURICH), 10),
    ])


def test_a_three_week_log_gives_the_known_weekly_totals() -> None:
    weekly = weekly_series(daily_series(_three_weeks(), ZURICH))
    assert list(weekly.index) == ["2026-W41", "2026-W42", "2026-W43"]
    assert weekly.index.name == sc.WEEK
    assert list(weekly[sc.WEEK_START]) == [pd.Timestamp("2026-10-05"), pd.Timestamp("2026-10-12"),
                                           pd.Timestamp("2026-10-19")]
    assert weekly[sc.RUN_DISTANCE_M].tolist() == [20 * KM, 27 * KM, 18 * KM]
    assert weekly[sc.RUN_DURATION_S].tolist() == [20 * PACE_S_PER_KM, 27 * PACE_S_PER_KM, 18 * PACE_S_PER_KM]
    assert weekly[sc.RUNS].tolist() == [3, 4, 2]
    assert weekly[sc.LONGEST_RUN_M].tolist() == [10 * KM, 10 * KM, 10 * KM]
    assert weekly[sc.HISTORY_DAYS].tolist() == [7, 7, 7]
    assert weekly[sc.REST_DAYS].tolist() == [4, 3, 5]
    assert weekly[sc.CROSS_TRAINING_DAYS].tolist() == [0, 1, 0]
    assert weekly[sc.CROSS_TRAINING_S].tolist() == [0.0, 3600.0, 0.0]
    assert tuple(weekly.columns) == sc.WEEKLY_COLUMNS


def test_week_on_week_change_is_exact() -> None:
    weekly = weekly_series(daily_series(_three_weeks(), ZURICH))
    # W42: 27 / 20 - 1 = 0.35 (+35%); W43: 18 / 27 - 1 = -1/3. W41 has no previous week.
    assert weekly[sc.DISTANCE_CHANGE_VS_PREV_WEEK].tolist() == pytest.approx([np.nan, 0.35, -1 / 3], nan_ok=True)


def test_no_change_against_a_partial_first_week_or_a_week_without_running() -> None:
    # History starts on Wednesday of W41 (5 of its 7 days); W42 15 km; W43 nothing; W44 5 km.
    activities = table([run(at(_day(2)), 10), run(at(_day(8)), 15), run(at(_day(21)), 5)])
    weekly = weekly_series(daily_series(activities, UTC))
    assert weekly[sc.HISTORY_DAYS].tolist() == [5, 7, 7, 1]
    # W42: previous week partial -> NaN; W43: 0 / 15 - 1 = -1.0; W44: previous week had 0 km -> NaN.
    assert weekly[sc.DISTANCE_CHANGE_VS_PREV_WEEK].tolist() == pytest.approx([np.nan, np.nan, -1.0, np.nan],
                                                                             nan_ok=True)


def test_change_against_the_mean_of_the_four_previous_weeks_needs_four_full_weeks() -> None:
    # One run each Monday: W41 20, W42 30, W43 10, W44 40, W45 30 km.
    activities = table([run(at(_day(7 * week)), km) for week, km in enumerate((20, 30, 10, 40, 30))])
    weekly = weekly_series(daily_series(activities, UTC))
    # W45: mean of W41..W44 = (20 + 30 + 10 + 40) / 4 = 25 -> 30 / 25 - 1 = 0.2. Earlier weeks lack 4 weeks.
    assert weekly[sc.DISTANCE_CHANGE_VS_PREV_4W].tolist() == pytest.approx([np.nan] * 4 + [0.2], nan_ok=True)
    # Versus the previous week: 30/20-1 = 0.5, 10/30-1 = -2/3, 40/10-1 = 3.0, 30/40-1 = -0.25.
    assert weekly[sc.DISTANCE_CHANGE_VS_PREV_WEEK].tolist() == pytest.approx(
        [np.nan, 0.5, -2 / 3, 3.0, -0.25], nan_ok=True)


def test_a_partial_week_among_the_four_blanks_the_four_week_change() -> None:
    # Starts on Wednesday of W41, so W45 still has only 3 full weeks before it; W46 has 4 (W42..W45).
    activities = table([run(at(_day(2)), 10)] + [run(at(_day(7 * week)), 20) for week in range(1, 6)])
    weekly = weekly_series(daily_series(activities, UTC))
    assert list(weekly.index) == ["2026-W41", "2026-W42", "2026-W43", "2026-W44", "2026-W45", "2026-W46"]
    # W46: 20 / mean(20, 20, 20, 20) - 1 = 0.
    assert weekly[sc.DISTANCE_CHANGE_VS_PREV_4W].tolist() == pytest.approx([np.nan] * 5 + [0.0], nan_ok=True)


def test_downhill_share_leaves_out_runs_without_altitude_and_surface_shares_add_up() -> None:
    activities = table([
        run(at(_day(0)), 10, downhill_m=1000.0, steep_downhill_distance_m=300.0, surface="trail"),
        run(at(_day(2)), 10, surface="road"),  # no altitude
        run(at(_day(4)), 5, downhill_m=0.0, steep_downhill_distance_m=0.0, surface="treadmill"),
        run(at(_day(7)), 8, surface="road"),  # W42: the only run, no altitude
        run(at(_day(21)), 5, downhill_m=50.0, steep_downhill_distance_m=0.0),  # W44; W43 has no run
    ])
    weekly = weekly_series(daily_series(activities, UTC))
    # W41: 1000 m downhill over the 15 km with altitude = 1/15; W42: unknown; W43: no run, 0 m but no share.
    assert weekly[sc.DOWNHILL_M].tolist() == pytest.approx([1000.0, np.nan, 0.0, 50.0], nan_ok=True)
    assert weekly[sc.STEEP_DOWNHILL_DISTANCE_M].tolist() == pytest.approx([300.0, np.nan, 0.0, 0.0], nan_ok=True)
    assert weekly[sc.DISTANCE_WITH_ALTITUDE_M].tolist() == [15 * KM, 0.0, 0.0, 5 * KM]
    assert weekly[sc.DOWNHILL_SHARE].tolist() == pytest.approx([1 / 15, np.nan, np.nan, 0.01], nan_ok=True)
    # W41: 25 km = 10 trail + 10 road + 5 treadmill.
    w41 = weekly.loc["2026-W41"]
    assert {s: w41[sc.SURFACE_SHARE[s]] for s in frames.SURFACES} == pytest.approx(
        {"road": 0.4, "unpaved": 0.0, "trail": 0.4, "track": 0.0, "treadmill": 0.2, "mixed": 0.0, "unknown": 0.0})
    assert w41[sc.SURFACE_DISTANCE_M["trail"]] == 10 * KM
    assert np.isnan(weekly.loc["2026-W43", sc.SURFACE_SHARE["road"]])


def test_iso_weeks_cross_the_new_year_with_the_iso_year() -> None:
    assert week_label(pd.Timestamp("2027-01-01")) == "2026-W53"
    assert week_label(pd.Timestamp("2027-01-04")) == "2027-W01"
    activities = table([run(at(date(2026, 12, 31)), 10), run(at(date(2027, 1, 3)), 12), run(at(date(2027, 1, 4)), 5)])
    weekly = weekly_series(daily_series(activities, UTC))
    assert list(weekly.index) == ["2026-W53", "2027-W01"]
    assert weekly[sc.RUN_DISTANCE_M].tolist() == [22 * KM, 5 * KM]
    assert list(weekly[sc.WEEK_START]) == [pd.Timestamp("2026-12-28"), pd.Timestamp("2027-01-04")]


def test_load_columns_are_the_values_of_each_weeks_sunday() -> None:
    # Mon 1 June 2026 (W23) for 38 days: 5 weeks and 3 days of W28, distances cycling 4, 0, 8, 6, 0, 12, 10 km.
    pattern = [4, 0, 8, 6, 0, 12, 10]
    activities = daily_runs(date(2026, 6, 1), [pattern[i % 7] for i in range(38)])
    daily = daily_series(activities, UTC)
    weekly = weekly_series(daily)
    sundays = [pd.Timestamp("2026-06-07") + pd.Timedelta(days=7 * w) for w in range(5)]
    for column in (sc.ACWR_EWMA, sc.ACWR_ROLLING, sc.MONOTONY_7D):
        assert weekly[column].tolist()[:5] == pytest.approx(daily.loc[sundays, column].tolist(), nan_ok=True)
        assert np.isnan(weekly[column].iloc[5]), "W28's Sunday is after the end of the series"
    # ACWR needs 28 days: the first Sunday with a value is 28 June (day 27), the Sunday of W26.
    assert weekly[sc.ACWR_ROLLING].notna().tolist() == [False, False, False, True, True, False]
    # Every full week has the same distances, so the rolling ratio is 40 km / (120 km / 3) = 1.0.
    assert weekly[sc.ACWR_ROLLING].iloc[3] == pytest.approx(1.0)


def test_an_empty_daily_table_gives_an_empty_weekly_table() -> None:
    weekly = weekly_series(daily_series(table([]), UTC))
    assert len(weekly) == 0 and tuple(weekly.columns) == sc.WEEKLY_COLUMNS
