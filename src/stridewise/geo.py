"""Pure geometry on WGS84 positions (no I/O, no pandas)."""

from __future__ import annotations

from typing import Final

import numpy as np

# Mean Earth radius (IUGG); the haversine error against the ellipsoid is below 0.5% at any latitude.
EARTH_RADIUS_M: Final = 6_371_008.8


def step_distances_m(lat_deg: np.ndarray, lon_deg: np.ndarray) -> np.ndarray:
    """Haversine distance between consecutive positions; NaN where either end has no position."""
    lat = np.radians(lat_deg)
    lon = np.radians(lon_deg)
    dlat = np.diff(lat)
    dlon = np.diff(lon)
    a = np.sin(dlat / 2) ** 2 + np.cos(lat[:-1]) * np.cos(lat[1:]) * np.sin(dlon / 2) ** 2
    return np.asarray(2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0))), dtype=float)


def cumulative_distance_m(lat_deg: np.ndarray, lon_deg: np.ndarray) -> np.ndarray:
    """Cumulative track distance, starting at 0; gaps in position add nothing."""
    steps = np.nan_to_num(step_distances_m(lat_deg, lon_deg), nan=0.0)
    return np.concatenate(([0.0], np.cumsum(steps)))
