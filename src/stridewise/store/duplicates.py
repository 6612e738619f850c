"""Which stored activities are copies of another: overlapping recordings, and re-exports with the clock shifted.

Pure decisions over summaries (and, for a clock shift, the two tracks); the store applies them. Each copy is marked
with the activity it duplicates and a reason a person can read.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Final

import numpy as np
import pandas as pd

from stridewise import columns as col
from stridewise.geo import EARTH_RADIUS_M
from stridewise.model import elapsed_s

# Two recordings are the same activity when their overlap covers at least this share of the longer one
# (a watch and a phone app started a few minutes apart; not a 27-day file that happens to contain a run).
DUPLICATE_MIN_OVERLAP: Final = 0.5
# A re-export that wrote local time as if it were UTC moves the whole track by the zone's offset: whole hours, at
# most 14 (UTC+14, Kiribati) and at least 1. Half-hour zones (India, +5:30) are not matched: rare, and a run
# started 30 minutes after another is not unusual.
MAX_SHIFT_HOURS: Final = 14
# The two exports round times to the second, each their own way: a few seconds of slack on the start and the length.
SHIFT_TOLERANCE_S: Final = 5.0
# The same track measured twice gives the same distance up to resampling: 1% (GPS noise between two different
# recordings of one route is several per cent, so two different runs rarely agree this closely).
SHIFT_DISTANCE_TOLERANCE: Final = 0.01
# Points compared along the two tracks (at equal shares of the elapsed time), and the median gap, in metres, under
# which they are one track: a re-export keeps the positions; two runs on one route a minute apart differ by far more.
SHAPE_POINTS: Final = 20
SHAPE_MAX_MEDIAN_GAP_M: Final = 25.0


@dataclass(frozen=True)
class Span:
    """What the decision reads of one stored activity."""

    id: int
    start: datetime
    end: datetime
    richness: int
    file_id: int
    distance_m: float | None


@dataclass(frozen=True)
class Duplicate:
    keep: int  # the activity that counts
    reason: str


def overlap_reason(keep: int) -> str:
    return f"overlaps activity {keep} in time (the same activity recorded or exported twice)"


def shift_reason(keep: int, hours: int) -> str:
    return (f"the same track as activity {keep} with the clock shifted by {hours} h (a re-export that wrote local "
            f"time as UTC)")


def is_clock_shift(reason: str | None) -> bool:
    """Whether a stored duplicate reason is a clock-shift match (see :func:`shift_reason`)."""
    return reason is not None and "with the clock shifted by" in reason


def find_duplicates(spans: Sequence[Span], same_track: Callable[[int, int], bool]) -> dict[int, Duplicate]:
    """Each copy's id -> the activity it duplicates (the richer, then the older id) and why.

    ``spans`` sorted by start. ``same_track(a, b)`` compares two activities' positions, the start of one aligned
    with the start of the other; it is asked only about pairs whose start differs by whole hours and whose length
    and distance agree.
    """
    winner: dict[int, Duplicate | None] = {s.id: None for s in spans}

    def link(a: Span, b: Span, reason: Callable[[int], str]) -> None:
        keep, drop = (a, b) if (a.richness, -a.id) >= (b.richness, -b.id) else (b, a)
        final = winner[keep.id].keep if winner[keep.id] is not None else keep.id  # type: ignore[union-attr]
        winner[drop.id] = Duplicate(final, reason(final))

    for i, a in enumerate(spans):
        for b in spans[i + 1:]:
            if b.start >= a.end:
                break
            if a.file_id == b.file_id:
                continue
            overlap = (min(a.end, b.end) - max(a.start, b.start)).total_seconds()
            longer = max((a.end - a.start).total_seconds(), (b.end - b.start).total_seconds())
            if longer > 0 and overlap >= DUPLICATE_MIN_OVERLAP * longer:
                link(a, b, overlap_reason)
    starts = [s.start for s in spans]
    tolerance = timedelta(seconds=SHIFT_TOLERANCE_S)
    for a in spans:
        first = bisect.bisect_left(starts, a.start + timedelta(hours=1) - tolerance)
        last = bisect.bisect_right(starts, a.start + timedelta(hours=MAX_SHIFT_HOURS) + tolerance)
        for b in spans[first:last]:
            hours = _whole_hours(b.start - a.start)
            if hours is None or a.file_id == b.file_id or not _same_length(a, b):
                continue
            if winner[a.id] is None and winner[b.id] is None and same_track(a.id, b.id):
                link(a, b, partial(shift_reason, hours=hours))
    return {drop: found for drop, found in winner.items() if found is not None}


def _whole_hours(delta: timedelta) -> int | None:
    hours = round(delta.total_seconds() / 3600)
    off = abs(delta.total_seconds() - hours * 3600)
    return hours if 1 <= hours <= MAX_SHIFT_HOURS and off <= SHIFT_TOLERANCE_S else None


def _same_length(a: Span, b: Span) -> bool:
    durations = abs((a.end - a.start).total_seconds() - (b.end - b.start).total_seconds())
    if durations > SHIFT_TOLERANCE_S or not a.distance_m or not b.distance_m:
        return False
    return abs(a.distance_m - b.distance_m) <= SHIFT_DISTANCE_TOLERANCE * max(a.distance_m, b.distance_m)


def same_shape(first: pd.DataFrame, second: pd.DataFrame) -> bool:
    """Two streams trace one track: positions at ``SHAPE_POINTS`` equal shares of the elapsed time lie within a
    median of ``SHAPE_MAX_MEDIAN_GAP_M`` of each other. False when either has too few positions."""
    points = [_positions(stream) for stream in (first, second)]
    if any(p is None for p in points):
        return False
    (lat1, lon1), (lat2, lon2) = points  # type: ignore[misc]
    lat1r, lat2r = np.radians(lat1), np.radians(lat2)
    a = (np.sin((lat2r - lat1r) / 2) ** 2
         + np.cos(lat1r) * np.cos(lat2r) * np.sin(np.radians(lon2 - lon1) / 2) ** 2)
    gaps = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))
    return bool(np.median(gaps) <= SHAPE_MAX_MEDIAN_GAP_M)


def _positions(stream: pd.DataFrame) -> tuple[np.ndarray, np.ndarray] | None:
    known = stream[[col.TIME, col.LAT, col.LON]].dropna()
    if len(known) < 2:
        return None
    seconds = elapsed_s(known[col.TIME])
    if seconds[-1] <= 0:
        return None
    at = np.linspace(0.0, seconds[-1], SHAPE_POINTS)
    return (np.interp(at, seconds, known[col.LAT].to_numpy(float)),
            np.interp(at, seconds, known[col.LON].to_numpy(float)))
