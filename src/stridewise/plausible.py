"""The plausibility gate: values no runner, watch or day can produce never reach the series and the risk rules.

Two steps. After parsing, :func:`drop_impossible_points` removes single points (or a few in a row) that imply a
speed nobody reaches in the activity's sport: one flipped bit in a position or a distance counter, a fix at the
other end of the world. After metrics, :func:`not_counted_because` judges the activity's totals; an activity with
an impossible distance, duration, speed or date stays stored (and listed) but is not counted.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Final

import numpy as np
import pandas as pd

from stridewise import columns as col
from stridewise.geo import EARTH_RADIUS_M, step_distances_m
from stridewise.model import RUNNING, Activity

_Step = Callable[[int, int], float]  # metres between two points of a stream, by row number

# --- speed limits per sport (points and whole activities) ---------------------------------------------------
# Usain Bolt's peak speed in his 9.58 s 100 m (Berlin 2009) was 12.4 m/s between 60 and 80 m (IAAF biomechanical
# report): no one on foot covers ground faster, running, walking or hiking.
ON_FOOT_MAX_SPEED_M_S: Final = 12.5
ON_FOOT_SPORTS: Final = frozenset({RUNNING, "walking", "hiking"})
# Professional road cyclists top out near 130 km/h (36 m/s) on mountain descents; 40 m/s leaves a margin.
CYCLING_MAX_SPEED_M_S: Final = 40.0
# Any other sport, or none: the speed-skiing record (254.958 km/h = 70.8 m/s, Origone 2016) plus a margin.
# A point implying more is a glitch, whatever the file says the sport is.
ANY_SPORT_MAX_SPEED_M_S: Final = 100.0
# A GPS fix wanders by tens of metres (more after a tunnel or cold start), and a distance counter can lag a
# second: a step may exceed max speed x time by this much before it counts as impossible.
STEP_SLACK_M: Final = 100.0
# A glitch of up to this many consecutive points is dropped; a longer run of far-away points is kept as it is
# (a real relocation, or an offset the activity-level gate judges from the totals).
MAX_GLITCH_POINTS: Final = 5

# --- activity-level limits -------------------------------------------------------------------------------------
# The longest races a watch records as one activity: the Spine Race (431 km) and Tor des Geants (330 km) allow 168 h
# and 150 h, and watches record that long (Garmin Enduro 2: 150 h of GPS). A run moving for more than a week is a
# recording left running or a damaged file (the 200 MB GPX of issue 12 became a 24-day "run").
RUN_MAX_MOVING_S: Final = 7 * 24 * 3600.0
# Men's world records (World Athletics, outdoor or road), (metres, seconds): a run faster than these over its
# distance is not a real run. Between two records the limit is interpolated on log-log scales (Riegel's law).
WORLD_RECORDS_M_S: Final[tuple[tuple[float, float], ...]] = (
    (100.0, 9.58),  # Usain Bolt, Berlin 2009
    (200.0, 19.19),  # Usain Bolt, Berlin 2009
    (400.0, 43.03),  # Wayde van Niekerk, Rio de Janeiro 2016
    (800.0, 100.91),  # David Rudisha, London 2012
    (1000.0, 131.96),  # Noah Ngeny, Rieti 1999
    (1500.0, 206.00),  # Hicham El Guerrouj, Rome 1998
    (1609.344, 223.13),  # Hicham El Guerrouj (mile), Rome 1999
    (2000.0, 283.13),  # Jakob Ingebrigtsen, Paris 2023
    (3000.0, 437.55),  # Jakob Ingebrigtsen, Chorzow 2024
    (5000.0, 755.36),  # Joshua Cheptegei, Monaco 2020
    (10000.0, 1571.00),  # Joshua Cheptegei, Valencia 2020
    (21097.5, 3402.0),  # Jacob Kiplimo (half marathon, 56:42), Barcelona 2025
    (42195.0, 7235.0),  # Kelvin Kiptum (marathon, 2:00:35), Chicago 2023
    (100000.0, 21935.0),  # Aleksandr Sorokin (100 km, 6:05:35), Vilnius 2022
    (319614.0, 86400.0),  # Aleksandr Sorokin (24-hour run, 319.614 km), Verona 2022
)
# GPS tracks over-read distance by a few percent (jitter zig-zags), so a run counts as impossible only when it is
# this much faster than the record: a flipped bit makes it ten to a thousand times faster.
WORLD_RECORD_MARGIN: Final = 0.05
# The first handheld consumer GPS receiver (Magellan NAV 1000) came out in 1989: no activity file starts before.
EARLIEST_START_UTC: Final = datetime(1990, 1, 1, tzinfo=UTC)
# A device clock set a little ahead, or a time zone mistaken for UTC, puts a start up to a day in the future.
FUTURE_TOLERANCE: Final = timedelta(days=1)


def max_speed_m_s(sport: str) -> float:
    """The highest speed a point or an activity of ``sport`` can plausibly reach."""
    if sport in ON_FOOT_SPORTS:
        return ON_FOOT_MAX_SPEED_M_S
    if sport == "cycling":
        return CYCLING_MAX_SPEED_M_S
    return ANY_SPORT_MAX_SPEED_M_S


# --- points ----------------------------------------------------------------------------------------------------
def drop_impossible_points(activity: Activity) -> Activity:
    """``activity`` without points that imply an impossible speed (with a warning saying how many), or unchanged."""
    stream = activity.stream
    if len(stream) < 2:
        return activity
    seconds = _seconds(stream[col.TIME])
    limit = max_speed_m_s(activity.sport)
    keep = np.ones(len(stream), dtype=bool)
    lat, lon = stream[col.LAT].to_numpy(dtype=float), stream[col.LON].to_numpy(dtype=float)
    positioned = np.flatnonzero(np.isfinite(lat) & np.isfinite(lon) & (np.abs(lat) <= 90) & (np.abs(lon) <= 180))
    bad_position = np.flatnonzero((np.isfinite(lat) | np.isfinite(lon)) & ~_mask(positioned, len(stream)))

    def position_step(i: int, j: int) -> float:
        return _haversine_m(lat[i], lon[i], lat[j], lon[j])

    keep[bad_position] = False
    steps = step_distances_m(lat[positioned], lon[positioned])
    if _any_too_fast(steps, seconds[positioned], limit):
        keep[_glitches(positioned, seconds, position_step, limit, steps)] = False
    distance = stream[col.DISTANCE_M].to_numpy(dtype=float)
    counted = np.flatnonzero(np.isfinite(distance))
    keep[np.flatnonzero(np.isinf(distance))] = False
    distance_steps = np.abs(np.diff(distance[counted]))
    if _any_too_fast(distance_steps, seconds[counted], limit):
        keep[_glitches(counted, seconds, lambda i, j: abs(distance[j] - distance[i]), limit, distance_steps)] = False
    dropped = int((~keep).sum())
    if dropped == 0:
        return activity
    if dropped >= len(stream) - 1:  # nothing usable would be left: keep the file as read and let the gate judge it
        return activity
    kept = stream.loc[keep].reset_index(drop=True)
    warning = (f"dropped {dropped} of {len(stream)} points implying an impossible speed for {activity.sport} "
               f"(over {limit:g} m/s) or an impossible position")
    # The start moves only when the first point was the glitch (a FIT session's own start time is kept otherwise).
    start = activity.start_utc if keep[0] else kept[col.TIME].iloc[0].to_pydatetime()
    return replace(activity, stream=kept, start_utc=start, warnings=[*activity.warnings, warning])


def _seconds(times: pd.Series) -> np.ndarray:
    """Seconds since the epoch, NaN where a time is missing (numpy: pandas' timedelta arithmetic cost more)."""
    ns = times.to_numpy(dtype="datetime64[ns]")
    seconds = ns.view(np.int64) / 1e9
    seconds[np.isnat(ns)] = np.nan
    return seconds


def _any_too_fast(steps_m: np.ndarray, seconds: np.ndarray, limit_m_s: float) -> bool:
    """Whether any step between consecutive points is longer than the limit allows (vectorised first look)."""
    dt = np.nan_to_num(np.maximum(np.diff(seconds), 0.0), nan=0.0)
    return bool(np.any(steps_m > limit_m_s * dt + STEP_SLACK_M))


def _mask(indices: np.ndarray, n: int) -> np.ndarray:
    mask = np.zeros(n, dtype=bool)
    mask[indices] = True
    return mask


def _haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, max(0.0, a))))


def _glitches(indices: np.ndarray, seconds: np.ndarray, step_m: _Step, limit_m_s: float,
              consecutive_m: np.ndarray) -> list[int]:
    """Points among ``indices`` (in order) that a glitch put out of reach of both their neighbours.

    ``consecutive_m``: the step from each of ``indices`` to the next (vectorised), used to skip the long stretches
    where every point surely reaches the next; each decision near the limit is the exact one of ``reachable``.
    """
    if len(indices) < 2:
        return []

    def reachable(i: int, j: int) -> bool:
        dt = max(0.0, seconds[j] - seconds[i]) if np.isfinite(seconds[i]) and np.isfinite(seconds[j]) else 0.0
        return step_m(i, j) <= limit_m_s * dt + STEP_SLACK_M

    dt = np.nan_to_num(np.maximum(np.diff(seconds[indices]), 0.0), nan=0.0)
    # A margin far above rounding (the scalar and vectorised haversine differ in the last bits) and far below GPS.
    surely = consecutive_m <= (limit_m_s * dt + STEP_SLACK_M) * (1 - 1e-9) - 1e-6
    unsure = np.flatnonzero(~surely)  # k such that points[k] may not reach points[k + 1]
    points = [int(i) for i in indices]
    dropped: list[int] = []
    # A glitch at the very start: begin at the first point whose successor it can reach.
    start = next((k for k in range(min(MAX_GLITCH_POINTS, len(points) - 1) + 1)
                  if k + 1 < len(points) and reachable(points[k], points[k + 1])), 0)
    dropped.extend(points[:start])
    last, k = start, start + 1  # positions in points: the last point kept, the next to look at
    while k < len(points):
        if last == k - 1 and surely[last]:  # jump over the points that surely reach their successor
            following = int(np.searchsorted(unsure, last))
            last = int(unsure[following]) if following < len(unsure) else len(points) - 1
            k = last + 1
            continue
        if reachable(points[last], points[k]):
            last, k = k, k + 1
            continue
        back = next((j for j in range(k + 1, min(k + 1 + MAX_GLITCH_POINTS, len(points)))
                     if reachable(points[last], points[j])), None)
        if back is None:  # far away for longer than a glitch lasts: keep it, the totals are judged later
            last, k = k, k + 1
            continue
        dropped.extend(points[k:back])
        last, k = back, back + 1
    return dropped


# --- whole activities ------------------------------------------------------------------------------------------
def record_time_s(distance_m: float) -> float:
    """The world-record time over ``distance_m`` (interpolated; below 100 m at the peak sprint speed; beyond the
    24-hour record's distance at its average pace, which nobody has kept up for longer)."""
    first_m, _ = WORLD_RECORDS_M_S[0]
    if distance_m < first_m:
        return distance_m / ON_FOOT_MAX_SPEED_M_S
    last_m, last_s = WORLD_RECORDS_M_S[-1]
    if distance_m > last_m:
        return distance_m * last_s / last_m
    distances = np.log([d for d, _ in WORLD_RECORDS_M_S])
    times = np.log([t for _, t in WORLD_RECORDS_M_S])
    return float(np.exp(np.interp(math.log(distance_m), distances, times)))


def not_counted_because(*, sport: str, start_utc: datetime, distance_m: float | None, duration_s: float | None,
                        moving_time_s: float | None, device_duration_s: float | None = None,
                        now: datetime | None = None) -> str | None:
    """Why an activity with these totals cannot be real (one line), or None when it is plausible.

    ``device_duration_s``: the device's own elapsed or timer total, where the file has one. A damaged file whose
    records stop early has its distance from that total, so the time it took comes from there too.
    """
    for what, value in (("distance", distance_m), ("duration", duration_s), ("moving time", moving_time_s)):
        if value is None:
            continue
        if not math.isfinite(value):
            return f"{what} is not a finite number ({value})"
        if value < 0:
            return f"negative {what} ({value:g})"
    now = now or datetime.now(UTC)
    if start_utc < EARLIEST_START_UTC:
        return f"starts {start_utc:%Y-%m-%d}, before {EARLIEST_START_UTC:%Y} (before consumer GPS devices)"
    if start_utc > now + FUTURE_TOLERANCE:
        return f"starts {start_utc:%Y-%m-%d}, in the future"
    distance, duration, moving = distance_m or 0.0, duration_s or 0.0, moving_time_s or 0.0
    if device_duration_s is not None and math.isfinite(device_duration_s):
        duration = max(duration, device_duration_s)
    if sport == RUNNING:
        if moving > RUN_MAX_MOVING_S:
            return f"a run moving for {moving / 3600:.1f} h (more than {RUN_MAX_MOVING_S / 3600:.0f} h)"
        last_m, last_s = WORLD_RECORDS_M_S[-1]
        if distance > last_m and duration < (1 - WORLD_RECORD_MARGIN) * record_time_s(distance):
            return (f"{distance / 1000:.2f} km in {_clock(duration)} is faster than the 24-hour world record's pace "
                    f"({last_m / last_s:.2f} m/s) allows ({_clock(record_time_s(distance))})")
        if distance > 0 and duration < (1 - WORLD_RECORD_MARGIN) * record_time_s(distance):
            return (f"{distance / 1000:.2f} km in {_clock(duration)} is faster than the world record over that "
                    f"distance ({_clock(record_time_s(distance))})")
        return None
    limit = max_speed_m_s(sport)
    if distance > 0 and distance > limit * duration + STEP_SLACK_M:
        speed = f"{distance / duration:.1f} m/s" if duration > 0 else "no time"
        return f"{distance / 1000:.2f} km in {_clock(duration)} ({speed}) is faster than {limit:g} m/s for {sport}"
    return None


def _clock(seconds: float) -> str:
    whole = round(seconds)
    return f"{whole // 3600}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


