"""Hand-built activity tables (the frames.ACTIVITY_COLUMNS shape) for the series tests."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from stridewise import frames

UTC = ZoneInfo("UTC")
ZURICH = ZoneInfo("Europe/Zurich")
KM = 1000.0
# Runs in these tables go at 6 min/km unless a test says otherwise.
PACE_S_PER_KM = 360.0


def run(start: datetime, km: float, *, downhill_m: float = np.nan, steep_downhill_distance_m: float = np.nan,
        surface: str | None = "road", duration_s: float | None = None,
        surface_mix: dict[str, float] | None = None) -> dict[str, Any]:
    """One run row; ``start`` must be tz-aware. ``surface_mix``: the map's shares, when the map decided."""
    return {
        frames.START_UTC: start, frames.SPORT: "running", frames.SUB_SPORT: None, frames.IS_RUN: True,
        frames.DISTANCE_M: km * KM, frames.DURATION_S: km * PACE_S_PER_KM if duration_s is None else duration_s,
        frames.DOWNHILL_M: downhill_m, frames.STEEP_DOWNHILL_DISTANCE_M: steep_downhill_distance_m,
        frames.SURFACE: surface, frames.SURFACE_MIX: surface_mix,
    }


def ride(start: datetime, duration_s: float, km: float = 30.0) -> dict[str, Any]:
    """One cross-training row (a bike ride): it has distance, which must never count as running."""
    return {
        frames.START_UTC: start, frames.SPORT: "cycling", frames.SUB_SPORT: None, frames.IS_RUN: False,
        frames.DISTANCE_M: km * KM, frames.DURATION_S: duration_s, frames.DOWNHILL_M: np.nan,
        frames.STEEP_DOWNHILL_DISTANCE_M: np.nan, frames.SURFACE: "unknown",
    }


def table(rows: list[dict[str, Any]]) -> pd.DataFrame:
    """The activities table of ``rows``, every frames.ACTIVITY_COLUMNS column present, starts as UTC."""
    frame = pd.DataFrame(rows, columns=list(frames.ACTIVITY_COLUMNS))
    frame[frames.ID] = range(1, len(rows) + 1)
    frame[frames.START_UTC] = pd.to_datetime(frame[frames.START_UTC], utc=True)
    frame[frames.IS_RUN] = frame[frames.IS_RUN].astype(bool)
    for name in (frames.DISTANCE_M, frames.DURATION_S, frames.MOVING_TIME_S, frames.ASCENT_M, frames.DESCENT_M,
                 frames.DOWNHILL_M, frames.STEEP_DOWNHILL_DISTANCE_M, frames.DOWNHILL_SHARE):
        frame[name] = frame[name].astype(float)
    frame[frames.MOVING_TIME_S] = frame[frames.DURATION_S]
    return frame


def at(day: date, hour: int = 7, zone: ZoneInfo = UTC) -> datetime:
    """``hour`` o'clock on ``day`` in ``zone``."""
    return datetime.combine(day, time(hour), tzinfo=zone)


def daily_runs(first: date, km_per_day: list[float], zone: ZoneInfo = UTC) -> pd.DataFrame:
    """One run a day at 07:00 from ``first``; a 0 is a rest day (no row), so the log still starts on ``first``
    only if its first value is not 0."""
    return table([run(at(first + timedelta(days=i), zone=zone), km) for i, km in enumerate(km_per_day) if km])
