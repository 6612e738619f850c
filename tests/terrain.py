"""Synthetic tracks over a known terrain profile, with GPS-like noise, for the elevation tests.

A profile is a list of (length_m, grade_pct) segments run due north at a steady speed. Noise is AR(1)
(correlated from one second to the next, as GPS error is), seeded, so every test run sees the same track.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from builders import M_PER_DEG_LAT
from stridewise import columns as col

Profile = Sequence[tuple[float, float]]  # (length_m, grade_pct)

# Per-second correlation of the noise: positions decorrelate in about 50 s, GPS altitude in about 5 minutes.
POSITION_NOISE_RHO = 0.98
ALTITUDE_NOISE_RHO = float(np.exp(-1 / 300))

HILLY: Profile = [(1000, 0), (800, 6), (600, -8), (400, 0), (500, -12), (700, 4), (1000, -3), (500, 0)]
FLAT: Profile = [(6000, 0)]


def true_altitude_m(distance_m: np.ndarray, profile: Profile, start_altitude_m: float = 450.0) -> np.ndarray:
    ends = np.cumsum([length for length, _ in profile])
    starts = ends - np.array([length for length, _ in profile])
    altitude = np.full(distance_m.shape, start_altitude_m)
    base = start_altitude_m
    for (length, grade), start in zip(profile, starts, strict=True):
        inside = np.clip(distance_m - start, 0, length)
        altitude = altitude + inside * grade / 100.0
        base += length * grade / 100.0
    return altitude


def true_length_at_or_below(profile: Profile, grade_pct: float) -> float:
    return float(sum(length for length, grade in profile if grade <= grade_pct))


def _ar1(rng: np.random.Generator, n: int, sigma: float, rho: float) -> np.ndarray:
    noise = np.empty(n)
    noise[0] = rng.normal(0, sigma)
    innovation = sigma * np.sqrt(1 - rho**2)
    for i in range(1, n):
        noise[i] = rho * noise[i - 1] + rng.normal(0, innovation)
    return noise


def track(profile: Profile, *, speed_m_s: float = 3.0, altitude_noise_m: float = 0.0, position_noise_m: float = 0.0,
          seed: int = 7, with_altitude: bool = True) -> pd.DataFrame:
    """A 1 Hz stream along ``profile`` with the given noise (standard deviations of AR(1) processes)."""
    total_m = sum(length for length, _ in profile)
    seconds = np.arange(0, total_m / speed_m_s + 1)
    distance = np.minimum(seconds * speed_m_s, total_m)
    rng = np.random.default_rng(seed)
    north_m = distance + _ar1(rng, distance.size, position_noise_m, POSITION_NOISE_RHO)
    east_m = _ar1(rng, distance.size, position_noise_m, POSITION_NOISE_RHO)
    altitude = true_altitude_m(distance, profile)
    # GPS altitude error: a wander that follows the satellite geometry (correlation time of minutes) plus a
    # little jitter from fix to fix.
    altitude = (altitude + _ar1(rng, distance.size, altitude_noise_m, ALTITUDE_NOISE_RHO)
                + rng.normal(0, altitude_noise_m / 4, distance.size))
    lat0, lon0 = 47.0, 8.3
    return pd.DataFrame({
        col.TIME: pd.to_datetime("2026-07-01T06:00:00Z") + pd.to_timedelta(seconds, unit="s"),
        col.LAT: lat0 + north_m / M_PER_DEG_LAT,
        col.LON: lon0 + east_m / (M_PER_DEG_LAT * np.cos(np.radians(lat0))),
        col.DISTANCE_M: np.nan,
        col.ALTITUDE_M: altitude if with_altitude else np.nan,
        col.HEART_RATE: np.nan,
        col.CADENCE: np.nan,
        col.SPEED_M_S: np.nan,
    })
