"""Ascent, descent and downhill distance from a noisy altitude trace.

The trace is resampled every ``RESAMPLE_STEP_M`` metres of distance, spikes are removed with a running median,
the result is smoothed with a running mean, and the grade is taken across a window of at least 50 m (EVIDENCE.md,
"Elevation noise"). Ascent and descent use a hysteresis, as GoldenCheetah does, so that noise does not add up.
GPS altitude is far noisier than barometric altitude (metres per second against decimetres), so it is smoothed
over a longer stretch.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from stridewise import columns as col
from stridewise.config import ElevationSettings
from stridewise.model import track_distance_m

RESAMPLE_STEP_M: Final = 5.0
# No runner or rider climbs or drops faster than this; a reading that would need it is a spike or a barometer
# recalibration (a fenix 2 starts 87 m too high for two seconds), not terrain.
MAX_VERTICAL_SPEED_M_S: Final = 5.0
VERTICAL_TOLERANCE_M: Final = 1.0
# Fewer altitude points than this, or a track shorter than this, says nothing about terrain.
MIN_ALTITUDE_POINTS: Final = 10
MIN_TRACK_M: Final = 100.0


@dataclass(frozen=True)
class Elevation:
    """Per-activity elevation numbers; all None when the activity has no usable altitude."""

    ascent_m: float | None
    descent_m: float | None
    downhill_m: float | None
    steep_downhill_m: float | None

    @staticmethod
    def unknown() -> Elevation:
        return Elevation(None, None, None, None)


def _window_points(length_m: float) -> int:
    """An odd number of resampled points covering ``length_m``."""
    points = max(1, round(length_m / RESAMPLE_STEP_M))
    return points if points % 2 == 1 else points + 1


@dataclass(frozen=True)
class Profile:
    """Altitude on a regular distance grid: despiked (for totals) and smoothed (for grades)."""

    distance_m: np.ndarray
    despiked_m: np.ndarray
    smoothed_m: np.ndarray


def _plausible(seconds: np.ndarray, altitude_m: np.ndarray) -> np.ndarray:
    """Mask of readings reachable from the last kept one at MAX_VERTICAL_SPEED_M_S."""
    keep = np.zeros(altitude_m.size, dtype=bool)
    last = 0
    keep[0] = True
    for i in range(1, altitude_m.size):
        allowed = MAX_VERTICAL_SPEED_M_S * (seconds[i] - seconds[last]) + VERTICAL_TOLERANCE_M
        if abs(altitude_m[i] - altitude_m[last]) <= allowed:
            keep[i] = True
            last = i
    # A first reading that is itself the spike would reject everything after it: then trust the majority.
    if keep.sum() < altitude_m.size / 2:
        return np.ones(altitude_m.size, dtype=bool)
    return keep


def profile_by_distance(stream: pd.DataFrame, *, barometric: bool, settings: ElevationSettings) -> Profile | None:
    """The cleaned altitude on a regular distance grid, or None when the activity has no usable altitude."""
    altitude = stream[col.ALTITUDE_M].to_numpy(dtype=float)
    distance = track_distance_m(stream)
    seconds = (stream[col.TIME] - stream[col.TIME].iloc[0]).dt.total_seconds().to_numpy(dtype=float)
    usable = np.isfinite(altitude) & np.isfinite(distance)
    if usable.sum() < MIN_ALTITUDE_POINTS:
        return None
    altitude, distance, seconds = altitude[usable], distance[usable], seconds[usable]
    plausible = _plausible(seconds, altitude)
    altitude, distance = altitude[plausible], distance[plausible]
    if np.all(altitude == 0):  # exporters write 0 for "no altitude" (gpxpy's elevations-zero sample)
        return None
    distance, first = np.unique(distance, return_index=True)  # standing still: keep the first reading
    altitude = altitude[first]
    if distance.size < 2 or distance[-1] - distance[0] < MIN_TRACK_M:
        return None
    grid = np.arange(distance[0], distance[-1] + RESAMPLE_STEP_M / 2, RESAMPLE_STEP_M)
    resampled = pd.Series(np.interp(grid, distance, altitude))
    median_m = settings.barometric_median_m if barometric else settings.gps_median_m
    smoothing_m = settings.barometric_smoothing_m if barometric else settings.gps_smoothing_m
    despiked = resampled.rolling(_window_points(median_m), center=True, min_periods=1).median()
    smooth = despiked.rolling(_window_points(smoothing_m), center=True, min_periods=1).mean()
    return Profile(grid, despiked.to_numpy(), smooth.to_numpy())


def grade_pct(altitude_m: np.ndarray, settings: ElevationSettings) -> np.ndarray:
    """Grade at each grid point, over a centred window of ``grade_window_m`` (shrinking at the ends)."""
    half = max(1, int(np.ceil(settings.grade_window_m / RESAMPLE_STEP_M / 2)))
    n = altitude_m.size
    ahead = np.minimum(np.arange(n) + half, n - 1)
    behind = np.maximum(np.arange(n) - half, 0)
    run_m = (ahead - behind) * RESAMPLE_STEP_M
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(run_m > 0, 100.0 * (altitude_m[ahead] - altitude_m[behind]) / run_m, 0.0)


def descending_legs(altitude_m: np.ndarray, min_drop_m: float) -> np.ndarray:
    """Mask of the points on a descent from a crest to a hollow at least ``min_drop_m`` lower.

    Crests and hollows are the turning points of a zigzag with threshold ``min_drop_m``: the trace must move
    that far the other way before an extreme counts as a turn.
    """
    mask = np.zeros(altitude_m.size, dtype=bool)
    if altitude_m.size < 2:
        return mask
    rising: bool | None = None  # unknown until the trace first moves min_drop_m
    low = high = 0  # before the first turn: the lowest and highest points so far
    turn = candidate = 0  # the last confirmed turning point, and the extreme since then
    for i in range(1, altitude_m.size):
        value = altitude_m[i]
        if rising is None:
            if value - altitude_m[low] >= min_drop_m:
                rising, turn, candidate = True, low, i
            elif altitude_m[high] - value >= min_drop_m:
                rising, turn, candidate = False, high, i
            low = i if value < altitude_m[low] else low
            high = i if value > altitude_m[high] else high
        elif rising:
            if value >= altitude_m[candidate]:
                candidate = i
            elif altitude_m[candidate] - value >= min_drop_m:  # the candidate was a crest
                turn, candidate, rising = candidate, i, False
        else:
            if value <= altitude_m[candidate]:
                candidate = i
            elif value - altitude_m[candidate] >= min_drop_m:  # the candidate was a hollow
                mask[turn:candidate + 1] = True
                turn, candidate, rising = candidate, i, True
    if rising is False and altitude_m[turn] - altitude_m[candidate] >= min_drop_m:
        mask[turn:candidate + 1] = True  # the activity ended on a descent
    return mask


def hysteresis_totals(altitude_m: np.ndarray, threshold_m: float) -> tuple[float, float]:
    """(ascent, descent): a change counts once the altitude has moved ``threshold_m`` from the last turn."""
    ascent = descent = 0.0
    reference = float(altitude_m[0])
    for value in altitude_m[1:]:
        change = float(value) - reference
        if change >= threshold_m:
            ascent += change
            reference = float(value)
        elif change <= -threshold_m:
            descent -= change
            reference = float(value)
    return ascent, descent


def measure_elevation(stream: pd.DataFrame, *, barometric: bool, treadmill: bool = False,
              settings: ElevationSettings | None = None) -> Elevation:
    """Ascent, descent, and the distance run at downhill and steep downhill grades.

    A treadmill has no downhill (0, whatever its altitude channel says); an activity without altitude gets
    None everywhere, never 0.
    """
    settings = settings or ElevationSettings()
    if treadmill:
        return Elevation(None, None, 0.0, 0.0)
    profile = profile_by_distance(stream, barometric=barometric, settings=settings)
    if profile is None:
        return Elevation.unknown()
    grid = profile.distance_m
    grades = grade_pct(profile.smoothed_m, settings)
    # Each grid point stands for the RESAMPLE_STEP_M of track around it; scale so the parts add up to the whole.
    metres_per_point = (grid[-1] - grid[0]) / max(grid.size - 1, 1)
    legs = descending_legs(profile.smoothed_m,
                           settings.barometric_min_descent_m if barometric else settings.gps_min_descent_m)
    downhill_m = float(((grades <= settings.downhill_grade_pct) & legs).sum() * metres_per_point)
    steep_m = float(((grades <= settings.steep_grade_pct) & legs).sum() * metres_per_point)
    threshold = settings.barometric_hysteresis_m if barometric else settings.gps_hysteresis_m
    # Barometric totals come from the despiked trace (smoothing would shave real undulations the device counts);
    # a GPS trace is only trustworthy after smoothing.
    totals_trace = profile.despiked_m if barometric else (
        pd.Series(profile.despiked_m).rolling(_window_points(settings.gps_totals_smoothing_m), center=True,
                                              min_periods=1).mean().to_numpy())
    ascent, descent = hysteresis_totals(totals_trace, threshold)
    return Elevation(ascent, descent, downhill_m, steep_m)
