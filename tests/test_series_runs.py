"""Per-run spike ratios against the previous 30 days (Frandsen et al. 2025)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd
import pytest

from series_tables import KM, ZURICH, at, ride, run, table
from stridewise import frames
from stridewise.series import columns as sc
from stridewise.series import run_spikes

DAY0 = date(2026, 6, 1)


def _day(offset: int, hour: int = 7) -> datetime:
    return at(DAY0 + timedelta(days=offset), hour)


def _nan_or(values: pd.Series) -> list[float]:
    return values.astype(float).tolist()


def test_a_12_km_run_after_a_10_km_longest_is_a_spike_of_1_2() -> None:
    activities = table([
        run(_day(0), 15),  # 35 days before the spike run: outside its 30-day window
        run(_day(10), 10),
        run(_day(20), 8),
        ride(_day(25), 7200.0, km=60),  # cross-training never counts, however long
        run(_day(35), 12),
    ])
    spikes = run_spikes(activities)
    last = spikes.iloc[-1]
    assert last[sc.PREV_30D_LONGEST_M] == 10 * KM
    assert last[sc.DISTANCE_SPIKE_RATIO] == pytest.approx(1.2)
    assert len(spikes) == 4, "one row per run, the ride left out"
    assert list(spikes.index) == [0, 1, 2, 4], "the activities' index is kept"
    assert tuple(spikes.columns) == sc.RUN_COLUMNS


def test_a_run_with_only_20_days_of_history_gets_nulls() -> None:
    activities = table([run(_day(0), 10), run(_day(20), 12)])
    spikes = run_spikes(activities)
    for column in (sc.PREV_30D_LONGEST_M, sc.DISTANCE_SPIKE_RATIO, sc.PREV_30D_MAX_STEEP_DOWNHILL_DISTANCE_M,
                   sc.STEEP_DOWNHILL_SPIKE_RATIO):
        assert spikes[column].isna().all(), column


def test_history_counts_from_the_first_activity_and_the_window_starts_exactly_30_days_before() -> None:
    activities = table([
        ride(_day(0), 3600.0),  # the log starts with a ride
        run(_day(0, 8), 10),  # 30 days and 23 hours before the last run: outside its window
        run(_day(29, 6), 9),  # 29 days 23 h after the ride: one hour short of a full history
        run(_day(30), 6),  # exactly 30 days after the ride: the ride is at the window's first instant
        run(_day(31, 7), 5),
    ])
    spikes = run_spikes(activities)
    # 29 d 23 h of history -> NaN; day 30: longest of [day 0 07:00, day 30 07:00) = 10 km -> 0.6;
    # day 31: window [day 1 07:00, day 31 07:00) holds 9 and 6 km -> 5 / 9.
    assert _nan_or(spikes[sc.PREV_30D_LONGEST_M]) == pytest.approx([np.nan, np.nan, 10 * KM, 9 * KM], nan_ok=True)
    assert _nan_or(spikes[sc.DISTANCE_SPIKE_RATIO]) == pytest.approx([np.nan, np.nan, 0.6, 5 / 9], nan_ok=True)


def test_an_earlier_run_the_same_day_counts_and_the_run_itself_does_not() -> None:
    activities = table([run(_day(0), 10), run(_day(40, 6), 14), run(_day(40, 18), 7)])
    spikes = run_spikes(activities)
    # 06:00 on day 40: nothing in [day 10 06:00, day 40 06:00), a break: the 30 days up to the last run before it
    # (day 0) hold 10 km -> 14 / 10. 18:00: the 14 km of that morning is the longest -> 7 / 14 = 0.5.
    assert spikes[sc.PREV_30D_LONGEST_M].tolist() == pytest.approx([np.nan, 10 * KM, 14 * KM], nan_ok=True)
    assert _nan_or(spikes[sc.DISTANCE_SPIKE_RATIO]) == pytest.approx([np.nan, 1.4, 0.5], nan_ok=True)
    assert spikes[sc.SPIKE_REFERENCE].tolist() == ["none", "before_break", "previous_30_days"]


def test_a_first_run_back_after_five_weeks_off_is_compared_with_the_level_before_the_break() -> None:
    # 8 and 15 km in the 30 days up to day 40, then 35 days off, then 21 km: 21 / 15 = 1.4, not null.
    activities = table([run(_day(0), 10), run(_day(20), 8), run(_day(40), 15), run(_day(75), 21)])
    last = run_spikes(activities).iloc[-1]
    assert (last[sc.PREV_30D_LONGEST_M], last[sc.DISTANCE_SPIKE_RATIO], last[sc.SPIKE_REFERENCE]) == (
        15 * KM, pytest.approx(1.4), "before_break")


def test_steep_downhill_ratio_against_the_largest_known_descent_of_the_window() -> None:
    activities = table([
        run(_day(0), 10, downhill_m=900.0, steep_downhill_distance_m=400.0),  # history start; out of later windows
        run(_day(5), 10, downhill_m=500.0, steep_downhill_distance_m=200.0),
        run(_day(10), 8),  # no altitude: left out of the maximum
        run(_day(31), 12, downhill_m=700.0, steep_downhill_distance_m=300.0),  # window holds 200 m and unknown -> 1.5
        run(_day(45), 6, surface="treadmill", downhill_m=0.0, steep_downhill_distance_m=0.0),  # window: 300 m -> 0
        run(_day(70), 9),  # own descent unknown -> NaN, denominator still 0 (treadmill)
        run(_day(72), 9, downhill_m=100.0, steep_downhill_distance_m=50.0),  # max over 0 and unknown = 0 -> NaN
    ])
    spikes = run_spikes(activities)
    assert _nan_or(spikes[sc.PREV_30D_MAX_STEEP_DOWNHILL_DISTANCE_M]) == pytest.approx(
        [np.nan, np.nan, np.nan, 200.0, 300.0, 0.0, 0.0], nan_ok=True)
    assert _nan_or(spikes[sc.STEEP_DOWNHILL_SPIKE_RATIO]) == pytest.approx(
        [np.nan, np.nan, np.nan, 1.5, 0.0, np.nan, np.nan], nan_ok=True)


def test_a_window_whose_runs_all_lack_altitude_has_an_unknown_denominator() -> None:
    activities = table([run(_day(0), 10), run(_day(20), 10),
                        run(_day(35), 10, downhill_m=80.0, steep_downhill_distance_m=20.0)])
    last = run_spikes(activities).iloc[-1]
    assert np.isnan(last[sc.PREV_30D_MAX_STEEP_DOWNHILL_DISTANCE_M]) and np.isnan(last[sc.STEEP_DOWNHILL_SPIKE_RATIO])
    assert last[sc.DISTANCE_SPIKE_RATIO] == pytest.approx(1.0)


def test_the_window_length_can_be_overridden() -> None:
    activities = table([run(_day(0), 10), run(_day(5), 8), run(_day(8), 4)])
    # 7-day window: the day-8 run sees [day 1, day 8) = 8 km -> 0.5; the day-5 run has 5 days of history -> NaN.
    spikes = run_spikes(activities, window_days=7)
    assert _nan_or(spikes[sc.DISTANCE_SPIKE_RATIO]) == pytest.approx([np.nan, np.nan, 0.5], nan_ok=True)


def test_rows_are_sorted_by_start_and_a_table_without_runs_gives_no_rows() -> None:
    activities = table([run(_day(40), 6), run(_day(0), 5), run(_day(20), 10)])
    spikes = run_spikes(activities)
    assert list(spikes.index) == [1, 2, 0]
    assert spikes[frames.DISTANCE_M].tolist() == [5 * KM, 10 * KM, 6 * KM]
    # Day 40: window [day 10, day 40) holds the 10 km of day 20 -> 6 / 10.
    assert spikes[sc.DISTANCE_SPIKE_RATIO].iloc[2] == pytest.approx(0.6)
    empty = run_spikes(table([ride(at(DAY0), 600.0)]))
    assert len(empty) == 0 and tuple(empty.columns) == sc.RUN_COLUMNS


def test_the_30_days_are_absolute_time_so_a_spring_dst_change_shortens_the_local_clock_span() -> None:
    # 1 March 07:00 CET = 06:00 UTC; 31 March 07:00 CEST = 05:00 UTC: 30 local days but 29 d 23 h of history.
    # At 08:00 CEST (06:00 UTC) the history is exactly 30 days: window holds 10 and 9 km -> 11 / 10.
    activities = table([run(datetime(2026, 3, 1, 7, tzinfo=ZURICH), 10),
                        run(datetime(2026, 3, 31, 7, tzinfo=ZURICH), 9),
                        run(datetime(2026, 3, 31, 8, tzinfo=ZURICH), 11)])
    assert _nan_or(run_spikes(activities)[sc.DISTANCE_SPIKE_RATIO]) == pytest.approx([np.nan, np.nan, 1.1],
                                                                                     nan_ok=True)
