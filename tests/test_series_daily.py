"""The daily series: local days (DST-correct), sums per day, rest and cross-training days."""

from __future__ import annotations

from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from series_tables import KM, UTC, ZURICH, at, ride, run, table
from stridewise import frames
from stridewise.series import columns as sc
from stridewise.series import daily_series, local_days


def test_a_run_at_2330_on_the_dst_change_sunday_belongs_to_that_sunday() -> None:
    # 2026-10-25: Zurich goes from UTC+2 to UTC+1 at 01:00 UTC. 23:30 local = 22:30 UTC, still Sunday the 25th;
    # 23:30 UTC is 00:30 local on Monday the 26th. A naive "+2 h summer offset" would move the first one to Monday.
    activities = table([
        run(datetime(2026, 10, 25, 23, 30, tzinfo=ZURICH), 10),
        run(datetime(2026, 10, 25, 23, 30, tzinfo=UTC), 3),
    ])
    assert str(activities[frames.START_UTC].iloc[0]) == "2026-10-25 22:30:00+00:00"
    days = local_days(activities[frames.START_UTC], ZURICH)
    assert list(days) == [pd.Timestamp("2026-10-25"), pd.Timestamp("2026-10-26")]
    daily = daily_series(activities, ZURICH)
    assert list(daily.index) == [pd.Timestamp("2026-10-25"), pd.Timestamp("2026-10-26")]
    assert list(daily[sc.RUN_DISTANCE_M]) == [10 * KM, 3 * KM]


def test_every_day_from_the_first_activity_to_end_is_a_row_and_later_activities_are_left_out() -> None:
    activities = table([run(at(date(2026, 5, 4)), 5), run(at(date(2026, 5, 7)), 8), run(at(date(2026, 5, 20)), 9)])
    daily = daily_series(activities, UTC, end=date(2026, 5, 10))
    # 4 May .. 10 May inclusive = 7 days; the run on the 20th is after end.
    assert len(daily) == 7
    assert daily.index[0] == pd.Timestamp("2026-05-04") and daily.index[-1] == pd.Timestamp("2026-05-10")
    assert daily[sc.RUN_DISTANCE_M].sum() == 13 * KM
    assert list(daily[sc.REST_DAY]) == [False, True, True, False, True, True, True]
    assert list(daily[sc.RUNS]) == [1, 0, 0, 1, 0, 0, 0]


def test_end_defaults_to_the_last_activity_day_and_may_not_precede_the_first() -> None:
    activities = table([run(at(date(2026, 5, 4)), 5), run(at(date(2026, 5, 7)), 8)])
    assert len(daily_series(activities, UTC)) == 4  # 4, 5, 6, 7 May
    with pytest.raises(ValueError, match="before the first activity's day 2026-05-04"):
        daily_series(activities, UTC, end=date(2026, 5, 1))


def test_two_runs_the_same_day_are_summed_and_the_longer_is_the_longest() -> None:
    day = date(2026, 6, 1)
    activities = table([run(at(day, 6), 12, duration_s=4000.0), run(at(day, 18), 5, duration_s=1500.0)])
    row = daily_series(activities, UTC).iloc[0]
    assert (row[sc.RUN_DISTANCE_M], row[sc.RUN_DURATION_S], row[sc.RUNS], row[sc.LONGEST_RUN_M]) == (
        17 * KM, 5500.0, 2, 12 * KM)


def test_downhill_is_summed_over_runs_with_altitude_nan_only_when_all_lack_it_and_zero_without_a_run() -> None:
    activities = table([
        run(at(date(2026, 6, 1), 6), 10, downhill_m=800.0, steep_downhill_distance_m=200.0),
        run(at(date(2026, 6, 1), 18), 5),  # no altitude: left out of the sum, not a NaN for the day
        run(at(date(2026, 6, 2)), 8),  # the day's only run has no altitude
        run(at(date(2026, 6, 4)), 6, downhill_m=0.0, steep_downhill_distance_m=0.0, surface="treadmill"),
    ])
    daily = daily_series(activities, UTC)
    assert daily[sc.DOWNHILL_M].tolist() == pytest.approx([800.0, np.nan, 0.0, 0.0], nan_ok=True)
    assert daily[sc.STEEP_DOWNHILL_DISTANCE_M].tolist() == pytest.approx([200.0, np.nan, 0.0, 0.0], nan_ok=True)
    assert daily[sc.RUNS_WITH_ALTITUDE].tolist() == [1, 0, 0, 1]
    assert daily[sc.DISTANCE_WITH_ALTITUDE_M].tolist() == [10 * KM, 0.0, 0.0, 6 * KM]


def test_distance_is_split_by_surface_and_a_missing_surface_counts_as_unknown() -> None:
    day = date(2026, 6, 1)
    activities = table([run(at(day, 6), 10, surface="trail"), run(at(day, 12), 4, surface="road"),
                        run(at(day, 18), 3, surface=None)])
    row = daily_series(activities, UTC).iloc[0]
    assert {s: row[c] for s, c in sc.SURFACE_DISTANCE_M.items()} == {
        "road": 4 * KM, "unpaved": 0.0, "trail": 10 * KM, "track": 0.0, "treadmill": 0.0, "mixed": 0.0,
        "unknown": 3 * KM}


def test_a_run_with_a_measured_map_mix_is_split_by_it() -> None:
    day = date(2026, 6, 1)
    mix = {"road": 0.5, "unpaved": 0.25, "trail": 0.15, "track": 0.0, "unknown": 0.1}
    activities = table([run(at(day, 6), 10, surface="road", surface_mix=mix), run(at(day, 12), 4, surface="trail")])
    row = daily_series(activities, UTC).iloc[0]
    # 10 km split 5 / 2.5 / 1.5 / 0 / 1 by the mix, plus the 4 km trail run whole.
    assert {s: row[c] for s, c in sc.SURFACE_DISTANCE_M.items()} == pytest.approx({
        "road": 5 * KM, "unpaved": 2.5 * KM, "trail": 5.5 * KM, "track": 0.0, "treadmill": 0.0, "mixed": 0.0,
        "unknown": 1 * KM})


def test_an_unknown_surface_name_is_refused() -> None:
    with pytest.raises(ValueError, match="surface\\(s\\) grass not in road"):
        daily_series(table([run(at(date(2026, 6, 1)), 5, surface="grass")]), UTC)


def test_cross_training_is_a_flag_and_seconds_and_never_running_distance() -> None:
    activities = table([run(at(date(2026, 6, 1)), 10), ride(at(date(2026, 6, 2), 9), 3600.0),
                        ride(at(date(2026, 6, 2), 17), 1800.0), run(at(date(2026, 6, 3)), 5),
                        ride(at(date(2026, 6, 3), 17), 600.0)])
    daily = daily_series(activities, UTC)
    assert daily[sc.CROSS_TRAINING].tolist() == [False, True, True]
    assert daily[sc.CROSS_TRAINING_S].tolist() == [0.0, 5400.0, 600.0]
    assert daily[sc.REST_DAY].tolist() == [False, True, False]
    assert daily[sc.RUN_DISTANCE_M].tolist() == [10 * KM, 0.0, 5 * KM]


def test_columns_are_the_declared_ones_in_order() -> None:
    daily = daily_series(table([run(at(date(2026, 6, 1)), 5)]), UTC)
    assert tuple(daily.columns) == sc.DAILY_COLUMNS
    assert daily.index.name == sc.DATE


def test_an_empty_table_gives_an_empty_series_with_the_columns() -> None:
    daily = daily_series(table([]), UTC)
    assert len(daily) == 0 and tuple(daily.columns) == sc.DAILY_COLUMNS


def test_a_missing_column_is_named() -> None:
    activities = table([run(at(date(2026, 6, 1)), 5)]).drop(columns=[frames.SURFACE, frames.DOWNHILL_M])
    with pytest.raises(ValueError, match="lacks column\\(s\\): downhill_m, surface"):
        daily_series(activities, UTC)
