"""Column names of the daily, weekly and per-run series, defined once.

Units live in the names (``_m`` metres, ``_s`` seconds); ``_share`` is a fraction of the running distance (0..1);
a ``change`` is a relative change (0.35 means +35%); a ``ratio`` is a plain quotient (1.2 means 20% more).
Where a series column sums an activity column of the same meaning, it reuses that column's name.
"""

from __future__ import annotations

from typing import Final

from stridewise import frames

# --- daily table: one row per local calendar day, indexed by DATE ------------------------------------------
DATE: Final = "date"  # index: the local calendar day (tz-naive midnight timestamps, one per day, no gaps)
RUN_DISTANCE_M: Final = "run_distance_m"  # sum over the day's runs
RUN_DURATION_S: Final = "run_duration_s"  # elapsed time, summed over the day's runs
RUNS: Final = "runs"  # number of runs
LONGEST_RUN_M: Final = "longest_run_m"  # 0 when no run
DOWNHILL_M: Final = frames.DOWNHILL_M  # sum over runs with altitude; NaN if every run lacked it; 0 if no run
STEEP_DOWNHILL_DISTANCE_M: Final = frames.STEEP_DOWNHILL_DISTANCE_M  # same rule as DOWNHILL_M
RUNS_WITH_ALTITUDE: Final = "runs_with_altitude"  # runs whose downhill_m is known
DISTANCE_WITH_ALTITUDE_M: Final = "distance_with_altitude_m"  # running distance of those runs (share denominator)
CROSS_TRAINING: Final = "cross_training"  # bool: a non-run activity that day
CROSS_TRAINING_S: Final = "cross_training_s"  # elapsed time of the non-run activities
REST_DAY: Final = "rest_day"  # bool: no run that day (cross-training may still have happened)

# Running distance per surface, one column per frames.SURFACES value (``surface_road_m`` ...).
SURFACE_DISTANCE_M: Final[dict[str, str]] = {s: f"surface_{s}_m" for s in frames.SURFACES}

# Load, on daily running distance (see stridewise.series.load for the exact definitions).
ACWR_EWMA: Final = "acwr_ewma"  # acute EWMA / chronic EWMA
ACWR_ROLLING: Final = "acwr_rolling"  # last 7 days / mean weekly distance of the 21 days before them
MONOTONY_7D: Final = "monotony_7d"  # mean / population SD of the last 7 daily distances, capped

DAILY_COLUMNS: Final[tuple[str, ...]] = (
    RUN_DISTANCE_M, RUN_DURATION_S, RUNS, LONGEST_RUN_M, DOWNHILL_M, STEEP_DOWNHILL_DISTANCE_M, RUNS_WITH_ALTITUDE,
    DISTANCE_WITH_ALTITUDE_M, *SURFACE_DISTANCE_M.values(), CROSS_TRAINING, CROSS_TRAINING_S, REST_DAY,
    ACWR_EWMA, ACWR_ROLLING, MONOTONY_7D,
)

# --- weekly table: one row per ISO week (Monday first), indexed by WEEK -----------------------------------
WEEK: Final = "week"  # index: ISO week label, e.g. "2026-W43"
WEEK_START: Final = "week_start"  # the week's Monday (tz-naive midnight timestamp)
HISTORY_DAYS: Final = "history_days"  # days of the week inside the daily series (7 unless the first or last week)
DOWNHILL_SHARE: Final = frames.DOWNHILL_SHARE  # downhill_m / distance_with_altitude_m; NaN when no altitude
SURFACE_SHARE: Final[dict[str, str]] = {s: f"surface_{s}_share" for s in frames.SURFACES}
CROSS_TRAINING_DAYS: Final = "cross_training_days"
REST_DAYS: Final = "rest_days"
DISTANCE_CHANGE_VS_PREV_WEEK: Final = "distance_change_vs_prev_week"  # 0.35 = +35%
DISTANCE_CHANGE_VS_PREV_4W: Final = "distance_change_vs_prev_4w_mean"  # versus the mean of the 4 weeks before

WEEKLY_COLUMNS: Final[tuple[str, ...]] = (
    WEEK_START, HISTORY_DAYS, RUN_DISTANCE_M, RUN_DURATION_S, RUNS, LONGEST_RUN_M, DOWNHILL_M,
    STEEP_DOWNHILL_DISTANCE_M, RUNS_WITH_ALTITUDE, DISTANCE_WITH_ALTITUDE_M, DOWNHILL_SHARE,
    *SURFACE_DISTANCE_M.values(), *SURFACE_SHARE.values(), CROSS_TRAINING_DAYS, CROSS_TRAINING_S,
    REST_DAYS, DISTANCE_CHANGE_VS_PREV_WEEK, DISTANCE_CHANGE_VS_PREV_4W, ACWR_EWMA, ACWR_ROLLING, MONOTONY_7D,
)

# --- per-run table: one row per run, the activities table's index kept ------------------------------------
PREV_30D_LONGEST_M: Final = "prev_30d_longest_m"  # longest run in the 30 days before this one (or before a break)
DISTANCE_SPIKE_RATIO: Final = "distance_spike_ratio"  # distance_m / prev_30d_longest_m
SPIKE_REFERENCE: Final = "spike_reference"  # which 30 days prev_30d_longest_m covers: one of SPIKE_REFERENCES
REFERENCE_PREVIOUS_30D: Final = "previous_30_days"  # the 30 days before the run
REFERENCE_BEFORE_BREAK: Final = "before_break"  # no run in those 30 days: the 30 days up to the last run before
REFERENCE_NONE: Final = "none"  # the history before the run is shorter than 30 days, or holds no run
SPIKE_REFERENCES: Final = (REFERENCE_PREVIOUS_30D, REFERENCE_BEFORE_BREAK, REFERENCE_NONE)
# The longest distance on steep downhill of those runs.
PREV_30D_MAX_STEEP_DOWNHILL_DISTANCE_M: Final = "prev_30d_max_steep_downhill_distance_m"
STEEP_DOWNHILL_SPIKE_RATIO: Final = "steep_downhill_spike_ratio"  # steep_downhill_distance_m / its 30-day maximum

RUN_COLUMNS: Final[tuple[str, ...]] = (
    frames.START_UTC, frames.DISTANCE_M, frames.STEEP_DOWNHILL_DISTANCE_M, PREV_30D_LONGEST_M, DISTANCE_SPIKE_RATIO,
    SPIKE_REFERENCE, PREV_30D_MAX_STEEP_DOWNHILL_DISTANCE_M, STEEP_DOWNHILL_SPIKE_RATIO,
)
