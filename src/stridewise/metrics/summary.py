"""Distance, elapsed time and moving time of one activity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from stridewise import columns as col
from stridewise.model import elapsed_s, track_distance_m

# Bump when a change here alters stored numbers: the store recomputes every activity's metrics.
METRICS_VERSION: Final = 2
# Below this speed between two samples the runner is standing (traffic light, watch auto-pause); the same
# threshold Strava and Garmin use for "moving" is about 0.5 m/s (1.8 km/h, far below any walking pace).
MOVING_MIN_SPEED_M_S: Final = 0.5
# With no distance at all (pool swims, strength), a gap this long between samples is a pause.
PAUSE_GAP_S: Final = 30.0
# Records covering less than this share of the device's session distance carry no usable distance.
DEVICE_TOTAL_FALLBACK_SHARE: Final = 0.5


@dataclass(frozen=True)
class Summary:
    distance_m: float
    duration_s: float
    moving_time_s: float
    distance_source: str  # "records", "positions" or "device total"


def summarize(stream: pd.DataFrame, device_distance_m: float | None = None, *,
              distance: np.ndarray | None = None) -> Summary:
    """Totals of a stream: distance (device's records, else positions), elapsed and moving time.

    Where the records carry no distance (pool swims count lengths, some files repeat one value) the device's own
    session total is used, and ``distance_source`` says so.
    """
    if stream.empty:
        return Summary(0.0, 0.0, 0.0, "records")
    seconds = elapsed_s(stream[col.TIME])
    duration_s = float(seconds[-1])
    distance = track_distance_m(stream) if distance is None else distance
    distance_m = float(distance[-1])
    source = "records" if not np.isnan(stream[col.DISTANCE_M].to_numpy(dtype=float)).all() else "positions"
    moving_s = moving_time_s(seconds, distance, has_distance=distance_m > 0)
    if device_distance_m and distance_m < DEVICE_TOTAL_FALLBACK_SHARE * device_distance_m:
        return Summary(device_distance_m, duration_s, moving_s, "device total")
    return Summary(distance_m, duration_s, moving_s, source)


def moving_time_s(seconds: np.ndarray, distance_m: np.ndarray, *, has_distance: bool) -> float:
    """Sum of the intervals in which the athlete moved: pauses and standing still are left out."""
    dt = np.diff(seconds)
    if dt.size == 0:
        return 0.0
    if not has_distance:
        return float(dt[dt <= PAUSE_GAP_S].sum())
    dd = np.diff(distance_m)
    with np.errstate(invalid="ignore", divide="ignore"):
        speed = np.where(dt > 0, dd / dt, 0.0)
    return float(dt[speed >= MOVING_MIN_SPEED_M_S].sum())
