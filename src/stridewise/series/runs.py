"""Per-run spike ratios: each run against the longest run (and steep downhill distance) of the 30 days before it."""

from __future__ import annotations

from typing import Final

import numpy as np
import pandas as pd

from stridewise import frames
from stridewise.series import columns as sc
from stridewise.series.daily import require_columns

# Frandsen et al., BJSM 2025;59(17):1203-1210 (EVIDENCE.md, single-run spike): the reference is the longest run
# of the previous 30 days. The steep-descent ratio uses the same window by analogy (EVIDENCE.md, downhill).
SPIKE_WINDOW_DAYS: Final = 30

_REQUIRED: Final = (frames.START_UTC, frames.IS_RUN, frames.DISTANCE_M, frames.STEEP_DOWNHILL_DISTANCE_M)


def run_spikes(activities: pd.DataFrame, *, window_days: int = SPIKE_WINDOW_DAYS) -> pd.DataFrame:
    """One row per run (the activities' index kept, sorted by start) with its spike ratios.

    The window of a run is ``[start - window_days, start)`` in absolute time: the run itself and runs starting
    at the same instant are out, earlier runs the same day are in. Cross-training never counts.

    - prev_30d_longest_m: the longest run in the window. When the window holds no run (a break of ``window_days``
      or more), the longest run of the ``window_days`` up to the last run before the break: a first run back is
      compared with the level before the break, never left without a reference (``spike_reference`` says which);
      0 when no run came before at all;
    - distance_spike_ratio = distance_m / prev_30d_longest_m (1.2 = 20% longer); NaN when the denominator is 0;
    - prev_30d_max_steep_downhill_distance_m: the largest steep_downhill_distance_m of the window's runs with
      altitude; NaN when none of them had altitude, 0 when the window holds no run;
    - steep_downhill_spike_ratio = steep_downhill_distance_m / prev_30d_max_steep_downhill_distance_m; NaN when
      either is unknown or the denominator is 0.

    All four are NaN when the history before the run (from the first activity of the table, run or not) is
    shorter than ``window_days``: a short log gives nulls, not ratios against a partial window.
    """
    require_columns(activities, _REQUIRED)
    runs = activities[activities[frames.IS_RUN].astype(bool)].sort_values(frames.START_UTC, kind="stable")
    out = pd.DataFrame(index=runs.index)
    out[frames.START_UTC] = runs[frames.START_UTC]
    out[frames.DISTANCE_M] = runs[frames.DISTANCE_M].astype(float)
    out[frames.STEEP_DOWNHILL_DISTANCE_M] = runs[frames.STEEP_DOWNHILL_DISTANCE_M].astype(float)
    distance = out[frames.DISTANCE_M].to_numpy(dtype=float)
    steep = out[frames.STEEP_DOWNHILL_DISTANCE_M].to_numpy(dtype=float)
    longest = np.full(len(runs), np.nan)
    max_steep = np.full(len(runs), np.nan)
    reference = np.full(len(runs), sc.REFERENCE_NONE, dtype=object)
    if not runs.empty:
        starts = _utc_instants(runs[frames.START_UTC])
        history_start = _utc_instants(activities[frames.START_UTC]).min()
        window = np.timedelta64(window_days, "D")
        lows = np.searchsorted(starts, starts - window, side="left")
        highs = np.searchsorted(starts, starts, side="left")
        full_history = starts - history_start >= window
        for i, (low, high) in enumerate(zip(lows, highs, strict=True)):
            if not full_history[i]:
                continue
            max_steep[i] = _window_max(steep[low:high])
            if high > low:
                longest[i], reference[i] = _window_max(distance[low:high]), sc.REFERENCE_PREVIOUS_30D
            elif high > 0:  # a break: the 30 days that end with the last run before it
                before = int(np.searchsorted(starts, starts[high - 1] - window, side="left"))
                longest[i], reference[i] = _window_max(distance[before:high]), sc.REFERENCE_BEFORE_BREAK
            else:
                longest[i] = 0.0
    out[sc.PREV_30D_LONGEST_M] = longest
    out[sc.DISTANCE_SPIKE_RATIO] = _ratio(distance, longest)
    out[sc.SPIKE_REFERENCE] = reference
    out[sc.PREV_30D_MAX_STEEP_DOWNHILL_DISTANCE_M] = max_steep
    out[sc.STEEP_DOWNHILL_SPIKE_RATIO] = _ratio(steep, max_steep)
    return out[list(sc.RUN_COLUMNS)]


def _utc_instants(start_utc: pd.Series) -> np.ndarray:
    """Tz-aware starts as naive UTC datetime64[ns], for numpy arithmetic."""
    instants: np.ndarray = start_utc.dt.tz_convert("UTC").dt.tz_localize(None).to_numpy(dtype="datetime64[ns]")
    return instants


def _window_max(values: np.ndarray) -> float:
    """Largest known value; 0 for an empty window, NaN when the window's values are all unknown."""
    if values.size == 0:
        return 0.0
    known = values[~np.isnan(values)]
    return float(known.max()) if known.size else float("nan")


def _ratio(numerator: np.ndarray, denominator: np.ndarray) -> np.ndarray:
    """numerator / denominator, NaN where the denominator is 0 or unknown."""
    ratio: np.ndarray = numerator / np.where(denominator > 0, denominator, np.nan)
    return ratio
