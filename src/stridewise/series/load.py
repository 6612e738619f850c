"""Training-load indices on daily running distance: acute:chronic workload ratios and 7-day monotony.

All of them are descriptive (EVIDENCE.md grades ACWR "weak" and the monotony cut-off "convention"). Each is NaN
until its window is filled by days of the runner's own history, never estimated from a shorter one.
Input is a daily series with one value per calendar day and no gaps (rest days are 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from stridewise.series import columns as sc

# Williams et al., BJSM 2017;51:209 (EVIDENCE.md, acute:chronic workload ratio): EWMA spans of 7 and 28 days.
# The rolling form uses the same two lengths (Gabbett, BJSM 2016).
ACUTE_DAYS: Final = 7
CHRONIC_DAYS: Final = 28
# Foster, Med Sci Sports Exerc 1998 (EVIDENCE.md, rest days / monotony): monotony is taken over one week.
MONOTONY_DAYS: Final = 7
# EVIDENCE.md (rest days / monotony): "cap monotony (e.g. at 10) when SD is 0", i.e. the same distance every day.
MONOTONY_CAP: Final = 10.0


@dataclass(frozen=True)
class LoadSettings:
    """The window lengths and cap; defaults are the published values. Not a config-file section: a notebook passes
    its own to ``daily_series(..., load=LoadSettings(...))``."""

    acute_days: int = ACUTE_DAYS
    chronic_days: int = CHRONIC_DAYS
    monotony_days: int = MONOTONY_DAYS
    monotony_cap: float = MONOTONY_CAP

    def __post_init__(self) -> None:
        if not 1 <= self.acute_days < self.chronic_days:
            raise ValueError(f"need 1 <= acute_days < chronic_days, got {self.acute_days}, {self.chronic_days}")
        if self.monotony_days < 2 or self.monotony_cap <= 0:
            raise ValueError("need monotony_days >= 2 and monotony_cap > 0")


DEFAULT_LOAD_SETTINGS: Final = LoadSettings()


def ewma(distance_m: pd.Series, span_days: int) -> pd.Series:
    """Exponentially weighted moving average per Williams et al. 2017, lambda = 2 / (span_days + 1).

    ``ewma[0] = x[0]`` and ``ewma[t] = lambda * x[t] + (1 - lambda) * ewma[t - 1]`` (pandas ``adjust=False``).
    """
    return distance_m.astype(float).ewm(span=span_days, adjust=False).mean()


def acwr_ewma(distance_m: pd.Series, *, acute_days: int = ACUTE_DAYS, chronic_days: int = CHRONIC_DAYS) -> pd.Series:
    """EWMA acute:chronic workload ratio: ``ewma(acute_days) / ewma(chronic_days)`` (Williams et al. 2017).

    NaN on the first ``chronic_days - 1`` days (the chronic average has not seen a full window yet) and where the
    chronic EWMA is 0.
    """
    ratio = _divide(ewma(distance_m, acute_days), ewma(distance_m, chronic_days))
    return _blank_start(ratio, chronic_days)


def acwr_rolling(distance_m: pd.Series, *, acute_days: int = ACUTE_DAYS,
                 chronic_days: int = CHRONIC_DAYS) -> pd.Series:
    """Uncoupled rolling acute:chronic workload ratio (Lolli et al., BJSM 2019).

    With today as day 0 and the defaults (7, 28):

    - acute = total distance of days -6..0 (the last 7 days, today included);
    - chronic = mean weekly distance of days -27..-7, i.e. the total of those 21 days / 3. The acute days are
      not part of the chronic window, so the two are not mathematically coupled;
    - ratio = acute / chronic.

    In general the chronic window is the ``chronic_days - acute_days`` days before the acute window, expressed
    per ``acute_days``. NaN on the first ``chronic_days - 1`` days and where the chronic total is 0.
    """
    values = distance_m.astype(float)
    acute = values.rolling(acute_days, min_periods=acute_days).sum()
    chronic_span = chronic_days - acute_days
    chronic_total = values.shift(acute_days).rolling(chronic_span, min_periods=chronic_span).sum()
    chronic = chronic_total * (acute_days / chronic_span)
    return _blank_start(_divide(acute, chronic), chronic_days)


def monotony(distance_m: pd.Series, *, days: int = MONOTONY_DAYS, cap: float = MONOTONY_CAP) -> pd.Series:
    """Training monotony (Foster 1998): mean / standard deviation of the last ``days`` daily distances.

    The SD is the population SD (ddof = 0): the week is the whole set being described, not a sample of one.
    The value is capped at ``cap``; an SD of 0 (the same distance every day) gives exactly ``cap``. NaN on the
    first ``days - 1`` days and for a window with no running at all (no load, so no monotony).
    """
    values = distance_m.astype(float).to_numpy()
    result = np.full(values.size, np.nan)
    if values.size >= days:
        windows = np.lib.stride_tricks.sliding_window_view(values, days)
        mean = windows.mean(axis=1)
        sd = windows.std(axis=1, ddof=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            raw = np.where(sd > 0, mean / sd, np.inf)
        result[days - 1:] = np.where(mean > 0, np.minimum(raw, cap), np.nan)
    return pd.Series(result, index=distance_m.index, name=sc.MONOTONY_7D)


def with_load(daily: pd.DataFrame, settings: LoadSettings = DEFAULT_LOAD_SETTINGS) -> pd.DataFrame:
    """A copy of the daily table with the ACWR_EWMA, ACWR_ROLLING and MONOTONY_7D columns set."""
    distance = daily[sc.RUN_DISTANCE_M]
    out = daily.copy()
    out[sc.ACWR_EWMA] = acwr_ewma(distance, acute_days=settings.acute_days, chronic_days=settings.chronic_days)
    out[sc.ACWR_ROLLING] = acwr_rolling(distance, acute_days=settings.acute_days,
                                        chronic_days=settings.chronic_days)
    out[sc.MONOTONY_7D] = monotony(distance, days=settings.monotony_days, cap=settings.monotony_cap)
    return out


def _divide(numerator: pd.Series, denominator: pd.Series) -> pd.Series:
    """numerator / denominator, NaN where the denominator is 0 (never inf)."""
    return numerator / denominator.where(denominator != 0)


def _blank_start(series: pd.Series, window_days: int) -> pd.Series:
    """NaN on the days before the window is first full."""
    out = series.copy()
    out.iloc[: window_days - 1] = np.nan
    return out
