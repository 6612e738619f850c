"""The series stage: activities -> daily series -> ISO-week series, plus per-run spike ratios.

Pure functions over pandas tables; column names live in :mod:`stridewise.series.columns`.
"""

from __future__ import annotations

from stridewise.series.daily import daily_series, local_days
from stridewise.series.load import LoadSettings, acwr_ewma, acwr_rolling, ewma, monotony, with_load
from stridewise.series.runs import run_spikes
from stridewise.series.weekly import weekly_series
from stridewise.weeks import week_label

__all__ = [
    "LoadSettings",
    "acwr_ewma",
    "acwr_rolling",
    "daily_series",
    "ewma",
    "local_days",
    "monotony",
    "run_spikes",
    "week_label",
    "weekly_series",
    "with_load",
]
