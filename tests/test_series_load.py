"""Acute:chronic workload ratios (EWMA and uncoupled rolling) and 7-day monotony on daily running distance."""

from __future__ import annotations

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest

from series_tables import KM, UTC, daily_runs
from stridewise.series import LoadSettings, acwr_ewma, acwr_rolling, daily_series, ewma, monotony
from stridewise.series import columns as sc
from stridewise.series.load import MONOTONY_CAP

# 40 days of a plausible log, km per day (0 = rest day); it starts and ends with a run.
LOG_KM = [8, 0, 10, 6, 0, 16, 5, 8, 0, 12, 6, 0, 18, 5, 9, 0, 12, 7, 0, 20, 0,
          10, 0, 14, 8, 0, 24, 6, 0, 0, 12, 6, 0, 14, 5, 10, 0, 16, 8, 4]


def _km_series(km: list[float]) -> pd.Series:
    return pd.Series([k * KM for k in km], index=pd.date_range("2026-06-01", periods=len(km), freq="D"))


def _hand_ewma(values: list[float], n: int) -> list[float]:
    lam = 2 / (n + 1)  # Williams et al. 2017
    out = [values[0]]
    for x in values[1:]:
        out.append(lam * x + (1 - lam) * out[-1])
    return out


def test_ewma_matches_a_hand_rolled_loop() -> None:
    values = [k * KM for k in LOG_KM]
    assert ewma(_km_series(LOG_KM), 7).tolist() == pytest.approx(_hand_ewma(values, 7))
    assert ewma(_km_series(LOG_KM), 28).tolist() == pytest.approx(_hand_ewma(values, 28))


def test_acwr_ewma_is_acute_over_chronic_from_day_28_on() -> None:
    values = [k * KM for k in LOG_KM]
    acute, chronic = _hand_ewma(values, 7), _hand_ewma(values, 28)
    expected = [np.nan] * 27 + [a / c for a, c in zip(acute[27:], chronic[27:], strict=True)]
    got = acwr_ewma(_km_series(LOG_KM)).tolist()
    assert got == pytest.approx(expected, nan_ok=True)
    assert math.isnan(got[26]) and not math.isnan(got[27])


def test_acwr_rolling_uses_the_21_days_before_the_acute_week() -> None:
    # Days 0..20 at 1 km, days 21..28 at 2 km.
    ratio = acwr_rolling(_km_series([1] * 21 + [2] * 8)).tolist()
    # Day 27: acute = days 21..27 = 7 x 2 = 14 km; chronic = days 0..20 = 21 km / 3 = 7 km/week -> 2.0.
    # Day 28: acute = days 22..28 = 14 km; chronic = days 1..21 = 20 x 1 + 2 = 22 km / 3 -> 14 / (22/3) = 21/11.
    assert ratio == pytest.approx([np.nan] * 27 + [2.0, 21 / 11], nan_ok=True)


def test_acwr_is_nan_when_the_chronic_load_is_zero() -> None:
    # Back from a break: nothing for 21 days, then a week of running. Chronic = 0 -> NaN, not inf.
    km = [0] * 21 + [5] * 7
    assert math.isnan(acwr_rolling(_km_series(km)).iloc[27])
    assert math.isnan(acwr_ewma(_km_series([0] * 28)).iloc[27])


def test_monotony_of_seven_identical_days_is_the_cap() -> None:
    assert MONOTONY_CAP == 10.0
    result = monotony(_km_series([8] * 7)).tolist()
    assert result == pytest.approx([np.nan] * 6 + [10.0], nan_ok=True)


def test_monotony_is_mean_over_population_sd() -> None:
    # 10, 0, 10, 0, 10, 0, 10 km: mean = 40/7, population SD = sqrt(400/7 - (40/7)^2) = sqrt(1200)/7
    # -> monotony = 40 / sqrt(1200) = 1.1547...
    assert monotony(_km_series([10, 0, 10, 0, 10, 0, 10])).iloc[6] == pytest.approx(40 / math.sqrt(1200))
    # A near-constant week (one day 1 m longer) is capped too: mean / SD would be about 28,571.
    assert monotony(pd.Series([10_000.0] * 6 + [10_001.0])).iloc[6] == 10.0


def test_monotony_of_a_week_without_running_is_nan() -> None:
    assert math.isnan(monotony(_km_series([8, 0, 0, 0, 0, 0, 0, 0])).iloc[7])


def test_short_histories_get_nulls_everywhere() -> None:
    daily = daily_series(daily_runs(date(2026, 6, 1), [5, 0, 8, 6, 0, 10, 4] * 3 + [5] * 6), UTC)
    assert len(daily) == 27
    assert daily[sc.ACWR_EWMA].isna().all() and daily[sc.ACWR_ROLLING].isna().all()
    short = daily_series(daily_runs(date(2026, 6, 1), [5, 6, 7, 5, 6, 7]), UTC)
    assert short[sc.MONOTONY_7D].isna().all()


def test_daily_series_carries_the_load_columns() -> None:
    daily = daily_series(daily_runs(date(2026, 6, 1), LOG_KM), UTC)
    assert daily[sc.RUN_DISTANCE_M].tolist() == [k * KM for k in LOG_KM]
    assert daily[sc.ACWR_EWMA].tolist() == pytest.approx(acwr_ewma(_km_series(LOG_KM)).tolist(), nan_ok=True)
    # Day 39: acute = days 33..39 = 14+5+10+0+16+8+4 = 57 km; chronic = days 12..32 =
    # 18+5+9+0+12+7+0+20+0+10+0+14+8+0+24+6+0+0+12+6+0 = 151 km / 3 -> 57 * 3 / 151.
    assert daily[sc.ACWR_ROLLING].iloc[39] == pytest.approx(57 * 3 / 151)
    # Day 39's week: 14, 5, 10, 0, 16, 8, 4 km: mean 57/7; population variance = 657/7 - (57/7)^2 = 1350/49
    # -> monotony = (57/7) / (sqrt(1350)/7) = 57 / sqrt(1350) = 1.551...
    assert daily[sc.MONOTONY_7D].iloc[39] == pytest.approx(57 / math.sqrt(1350))


def test_load_settings_are_validated() -> None:
    with pytest.raises(ValueError, match="acute_days < chronic_days"):
        LoadSettings(acute_days=28, chronic_days=7)
    with pytest.raises(ValueError, match="monotony_days >= 2"):
        LoadSettings(monotony_days=1)


def test_other_windows_can_be_chosen() -> None:
    settings = LoadSettings(acute_days=3, chronic_days=9, monotony_days=3, monotony_cap=4.0)
    daily = daily_series(daily_runs(date(2026, 6, 1), [1, 1, 1, 1, 1, 1, 2, 2, 2]), UTC, load=settings)
    # Day 8: acute = 3 x 2 = 6 km; chronic = days 0..5 = 6 km per 6 days = 3 km per 3 days -> 2.0.
    assert daily[sc.ACWR_ROLLING].tolist() == pytest.approx([np.nan] * 8 + [2.0], nan_ok=True)
    assert daily[sc.MONOTONY_7D].iloc[8] == 4.0
