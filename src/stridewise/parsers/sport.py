"""Sport names: normalize what each format calls a sport, and classify files that do not say.

Normalized sports are FIT's own names (``running``, ``cycling``, ``swimming``, ``walking``, ``hiking`` ...);
running sub-sports are ``street``, ``trail``, ``track`` and ``treadmill``. Anything that is not ``running`` is
cross-training: kept as a day of activity, never counted as running distance.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

import numpy as np
import pandas as pd

from stridewise import columns as col
from stridewise.model import elapsed_s, track_distance_m

RUNNING: Final = "running"
UNKNOWN: Final = "unknown"
OTHER: Final = "other"  # moving, but not a sport we can name: cross-training

# What GPX <type>, TCX Sport and Strava "Activity Type" write, lower-cased -> (sport, sub_sport).
# Strava's GPX export writes numeric codes in <type>: 1 ride, 9 run, 10 walk, 4 hike (from Strava's GPX files).
_ALIASES: Final[dict[str, tuple[str, str | None]]] = {
    "running": (RUNNING, None),
    "run": (RUNNING, None),
    "9": (RUNNING, None),
    "trail run": (RUNNING, "trail"),
    "trail_running": (RUNNING, "trail"),
    "trailrun": (RUNNING, "trail"),
    "trail running": (RUNNING, "trail"),
    "virtual run": (RUNNING, "treadmill"),
    "virtualrun": (RUNNING, "treadmill"),
    "treadmill": (RUNNING, "treadmill"),
    "treadmill running": (RUNNING, "treadmill"),
    "track running": (RUNNING, "track"),
    "street running": (RUNNING, "street"),
    "road running": (RUNNING, "street"),
    "biking": ("cycling", None),
    "cycling": ("cycling", None),
    "ride": ("cycling", None),
    "1": ("cycling", None),
    "virtual ride": ("cycling", "virtual_activity"),
    "virtualride": ("cycling", "virtual_activity"),
    "mountain bike ride": ("cycling", "mountain"),
    "gravel ride": ("cycling", "gravel_cycling"),
    "e-bike ride": ("cycling", "e_bike_fitness"),
    "walk": ("walking", None),
    "walking": ("walking", None),
    "10": ("walking", None),
    "hike": ("hiking", None),
    "hiking": ("hiking", None),
    "4": ("hiking", None),
    "swim": ("swimming", None),
    "swimming": ("swimming", None),
    "nordic ski": ("cross_country_skiing", None),
    "rowing": ("rowing", None),
    "workout": ("training", None),
    "weight training": ("training", "strength_training"),
    "yoga": ("training", "yoga"),
}

# Words that name no sport at all: the file does not know, so the pace decides.
_NO_SPORT: Final = frozenset({"", "other", "generic", "unknown", "all", "multisport", "none"})

# FIT running sub-sports kept as they are; other FIT running sub-sports (generic, indoor_running...) map here.
_FIT_RUN_SUB_SPORTS: Final[dict[str, str | None]] = {
    "street": "street",
    "trail": "trail",
    "track": "track",
    "treadmill": "treadmill",
    "indoor_running": "treadmill",
    "virtual_activity": "treadmill",
    "generic": None,
}


def normalize_fit(sport: object, sub_sport: object) -> tuple[str, str | None]:
    """Map FIT session/sport message values to (sport, sub_sport); ``unknown`` when the file does not say."""
    sport_name = str(sport).lower() if sport is not None else ""
    sub_name = str(sub_sport).lower() if sub_sport is not None else None
    if sport_name == "fitness_equipment" and sub_name == "treadmill":
        return RUNNING, "treadmill"
    if sport_name == RUNNING:
        return RUNNING, _FIT_RUN_SUB_SPORTS.get(sub_name or "generic", sub_name)
    if sport_name in _NO_SPORT or sport_name.isdigit():
        return UNKNOWN, None
    return sport_name, (None if sub_name in (None, "generic") else sub_name)


def normalize_label(label: str | None) -> tuple[str, str | None]:
    """Map a free-text sport label (GPX type, TCX Sport, Strava Activity Type) to (sport, sub_sport)."""
    if label is None:
        return UNKNOWN, None
    key = " ".join(label.strip().lower().replace("_", " ").split())
    if key in _ALIASES:
        return _ALIASES[key]
    if key.replace(" ", "_") in _ALIASES:
        return _ALIASES[key.replace(" ", "_")]
    return UNKNOWN, None


# Pace bands for files that do not name their sport. Median moving speed over the activity:
# below 1.9 m/s (8:46 min/km) is walking pace; 1.9-5.2 m/s (3:12-8:46 min/km) is running for all but elite
# racers; above 5.2 m/s, or a 95th percentile above 9 m/s (32 km/h, no runner's sprint), it is a ride or a vehicle.
WALK_MAX_SPEED_M_S: Final = 1.9
RUN_MAX_SPEED_M_S: Final = 5.2
RUN_MAX_P95_SPEED_M_S: Final = 9.0
# Below this speed a sample counts as standing still, not as slow movement (same as the moving-time threshold).
MOVING_MIN_SPEED_M_S: Final = 0.5
# Running cadence is at least ~140 steps/min, i.e. 70 strides/min of one foot as FIT and TCX record it; walking
# is 50-60 strides/min. Below 60 in either convention the activity is not a run (cross-country skiing: ~43).
RUN_MIN_CADENCE_PER_MIN: Final = 60.0
# Samples over which a speed is derived from positions (10 s at the usual 1 Hz recording).
SPEED_WINDOW_SAMPLES: Final = 10


@dataclass(frozen=True)
class Classification:
    sport: str
    reason: str


def _pace_text(speed_m_s: float) -> str:
    seconds_per_km = round(1000.0 / speed_m_s)
    return f"{seconds_per_km // 60}:{seconds_per_km % 60:02d} min/km"


def moving_speeds_m_s(stream: pd.DataFrame) -> np.ndarray:
    """Speeds of the moving samples: the recorded speed, else distance over time between samples."""
    speed = stream[col.SPEED_M_S].to_numpy(dtype=float)
    if np.isnan(speed).all():
        distance = track_distance_m(stream)
        seconds = elapsed_s(stream[col.TIME])
        # Per-sample GPS speed is dominated by position noise; over a window of samples the noise averages out.
        lag = min(SPEED_WINDOW_SAMPLES, len(distance) - 1)
        with np.errstate(invalid="ignore", divide="ignore"):
            speed = (distance[lag:] - distance[:-lag]) / (seconds[lag:] - seconds[:-lag])
    speed = speed[np.isfinite(speed)]
    return np.asarray(speed[speed >= MOVING_MIN_SPEED_M_S], dtype=float)


def classify_by_pace(stream: pd.DataFrame) -> Classification:
    """Decide running / walking / cycling from the pace of a file that does not name its sport."""
    speeds = moving_speeds_m_s(stream) if len(stream) > 1 else np.empty(0)
    if speeds.size < 10:
        return Classification(UNKNOWN, "no sport in the file and too few moving samples to judge the pace")
    median = float(np.median(speeds))
    p95 = float(np.percentile(speeds, 95))
    pace = f"median moving pace {_pace_text(median)}"
    if p95 > RUN_MAX_P95_SPEED_M_S:
        return Classification("cycling", f"classified by pace: {pace}, 95th percentile {p95 * 3.6:.0f} km/h "
                                         f"is faster than running")
    if median > RUN_MAX_SPEED_M_S:
        return Classification("cycling", f"classified by pace: {pace} is faster than "
                                         f"{_pace_text(RUN_MAX_SPEED_M_S)}")
    if median < WALK_MAX_SPEED_M_S:
        return Classification("walking", f"classified by pace: {pace} is slower than "
                                         f"{_pace_text(WALK_MAX_SPEED_M_S)}")
    cadence = stream[col.CADENCE].to_numpy(dtype=float)
    cadence = cadence[np.isfinite(cadence)]
    if cadence.size >= 10:
        stepping = cadence[cadence > 0]
        # A watch in a running profile always counts steps; all-zero cadence means the runner chose another
        # profile. A cadence below any runner's (a cross-country ski, a paddle) is not a run either.
        if stepping.size < cadence.size / 2:
            return Classification(OTHER, f"classified by pace: {pace} is a running pace, but the device "
                                         f"recorded no cadence (a non-running profile)")
        if float(np.median(stepping)) < RUN_MIN_CADENCE_PER_MIN:
            return Classification(OTHER, f"classified by pace: {pace} is a running pace, but the median "
                                         f"cadence {np.median(stepping):.0f}/min is below any runner's")
    return Classification(RUNNING, f"classified by pace: {pace} is in the running band "
                                   f"{_pace_text(RUN_MAX_SPEED_M_S)}-{_pace_text(WALK_MAX_SPEED_M_S)}")
