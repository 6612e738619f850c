"""The normalized activity: what every parser returns and the store keeps."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

import numpy as np
import pandas as pd

from stridewise import columns as col
from stridewise.geo import cumulative_distance_m

Format = Literal["fit", "gpx", "tcx"]
AltitudeSource = Literal["barometric", "gps", "unknown"]

# Normalized sport names. Everything that is not one of RUNNING_SPORTS is cross-training.
RUNNING: str = "running"


@dataclass
class Activity:
    """One activity (a run, a ride, a swim...) read from one file or one session of a multisport file.

    Times are UTC; ``utc_offset_s`` is the local offset where the file records it (FIT ``activity.local_timestamp``),
    else None. ``stream`` has the columns of :mod:`stridewise.columns`.
    """

    source: str
    format: Format
    sport: str
    sub_sport: str | None
    start_utc: datetime
    stream: pd.DataFrame
    utc_offset_s: int | None = None
    device: str | None = None
    name: str | None = None
    gear_hint: str | None = None
    type_hint: str | None = None
    sport_source: str = "file"
    altitude_source: AltitudeSource = "unknown"
    session_index: int = 0
    # The device's own totals, where the file has them (FIT session, TCX laps); None otherwise.
    device_distance_m: float | None = None
    device_elapsed_s: float | None = None
    device_timer_s: float | None = None
    device_ascent_m: float | None = None
    device_descent_m: float | None = None
    warnings: list[str] = field(default_factory=list)

    @property
    def is_run(self) -> bool:
        return self.sport == RUNNING


# GPS jitter at 1 Hz adds distance (each fix wanders a few metres); a centred 3-point mean of the positions
# removes most of it. Sparser tracks ("smart recording", 3-10 s) are left alone: smoothing them cuts corners.
DENSE_TRACK_MAX_INTERVAL_S = 1.5
POSITION_SMOOTHING_POINTS = 3
# The first record often comes a few metres after the start (the device's distance then starts at 7 m, say):
# that much counts. A larger first value is a later session of a multisport file continuing the counter.
RECORDING_START_MAX_M = 100.0


def track_distance_m(stream: pd.DataFrame) -> np.ndarray:
    """Cumulative distance of a stream: the device's own where it recorded one, else from the positions."""
    recorded = stream[col.DISTANCE_M].to_numpy(dtype=float)
    if np.isfinite(recorded).sum() >= max(2, len(recorded) // 2):
        filled = pd.Series(recorded).ffill().bfill().to_numpy(dtype=float)
        # A counter that dips and climbs back (two sensors interleaved, a glitch) must not add distance twice:
        # only progress beyond the furthest point so far counts.
        steps = np.diff(np.maximum.accumulate(filled))
        start = filled[0] if filled[0] <= RECORDING_START_MAX_M else 0.0
        return np.asarray(start + np.concatenate(([0.0], np.cumsum(steps))), dtype=float)
    lat, lon = stream[col.LAT], stream[col.LON]
    if len(stream) > POSITION_SMOOTHING_POINTS:
        interval_s = stream[col.TIME].diff().dt.total_seconds().median()
        if interval_s <= DENSE_TRACK_MAX_INTERVAL_S:
            lat = lat.rolling(POSITION_SMOOTHING_POINTS, center=True, min_periods=1).mean()
            lon = lon.rolling(POSITION_SMOOTHING_POINTS, center=True, min_periods=1).mean()
    return cumulative_distance_m(lat.to_numpy(dtype=float), lon.to_numpy(dtype=float))


def elapsed_s(times: pd.Series) -> np.ndarray:
    """Seconds since the first sample of a stream's times, NaN where a time is missing (numpy: pandas' timedelta
    arithmetic gives the same floats at several times the cost)."""
    ns = times.to_numpy(dtype="datetime64[ns]")
    elapsed = ns - ns[0]
    seconds: np.ndarray = elapsed.view(np.int64) / 1e9
    seconds[np.isnat(elapsed)] = np.nan
    return seconds


def stream_frame(time_ns: np.ndarray, columns: Mapping[str, np.ndarray]) -> pd.DataFrame:
    """The stream DataFrame from UTC nanoseconds and float columns (the arrays are used as they are)."""
    times = pd.DatetimeIndex(time_ns.view("datetime64[ns]")).tz_localize("UTC")
    # One constructor call: inserting the columns one by one costs more than all the checks above.
    return pd.DataFrame({col.TIME: times, **{name: columns[name] for name in col.NUMERIC_COLUMNS}}, copy=False)
