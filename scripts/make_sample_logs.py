#!/usr/bin/env python3
"""Write sample_logs/: 20 weeks (2026-W27..W46) of one simulated runner's files, identical bytes on every run.

Usage: .venv/bin/python scripts/make_sample_logs.py sample_logs      (this is what `make samples` runs)

PLAN is the whole history, one line per activity. Each activity is simulated once on a 1 s grid over ONE
terrain function (`terrain_m`), then recorded by a device: a Garmin Forerunner 955 with a barometric
altimeter (FIT, TCX) or the Strava phone app (GPX, GPS altitude). truth.json keeps the true numbers.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import math
import shutil
import sys
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

import numpy as np
import numpy.typing as npt
from fit_tool.fit_file_builder import FitFileBuilder
from fit_tool.profile.messages.activity_message import ActivityMessage
from fit_tool.profile.messages.device_info_message import DeviceInfoMessage
from fit_tool.profile.messages.event_message import EventMessage
from fit_tool.profile.messages.file_id_message import FileIdMessage
from fit_tool.profile.messages.lap_message import LapMessage
from fit_tool.profile.messages.record_message import RecordMessage
from fit_tool.profile.messages.session_message import SessionMessage
from fit_tool.profile.profile_type import (
    Activity,
    Event,
    EventType,
    FileType,
    LapTrigger,
    Manufacturer,
    SessionTrigger,
    SourceType,
    Sport,
    SubSport,
)

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Curve = Callable[[Floats], tuple[Floats, Floats]]

# THE PLAN. One line per activity: local date and start time (Europe/Zurich; the generator adds 3-57 s),
# kind, distance km, route, surface, gear, output(s), and an optional activity name after "|" (else Strava's
# "Morning Run" naming). Outputs: fit, fit.gz, gpx, gpx.gz, tcx, tcx.gz outside the zip; "zip:" puts the
# file in the Strava export only; "a+b" records the same run twice (the dedup case).
PLAN = """
# W27-W34: calm block. 4 runs a week, the long run grows <= 4 % a week, Saturday on the gentle forest path.
2026-06-29 18:40 long      12.0 long     road      pegasus   zip:fit.gz
2026-07-02 06:50 easy       7.0 lake     road      pegasus   zip:fit.gz
2026-07-04 08:15 easy       6.0 forest   trail     speedgoat zip:gpx
2026-07-05 07:30 long      12.0 long     road      pegasus   zip:fit.gz
2026-07-07 06:45 easy       7.0 lake     road      pegasus   zip:fit.gz
2026-07-08 18:05 ride      42.0 ride_e   road      canyon    zip:fit.gz
2026-07-09 18:30 hills      8.0 hills    road      pegasus   zip:tcx.gz
2026-07-11 08:00 easy       6.0 forest   trail     speedgoat zip:fit.gz
2026-07-12 07:30 long      12.5 long     road      pegasus   zip:fit.gz
2026-07-14 06:45 easy       7.5 lake     road      pegasus   zip:gpx
2026-07-16 18:30 hills      8.0 hills    road      pegasus   zip:fit.gz
2026-07-18 08:10 easy       6.0 forest   trail     speedgoat zip:fit.gz
2026-07-19 07:20 long      12.5 long     road      pegasus   zip:fit.gz
2026-07-21 06:45 easy       7.5 lake     road      pegasus   zip:fit.gz
2026-07-23 18:30 hills      8.5 hills    road      pegasus   zip:fit.gz
2026-07-24 17:45 ride      48.0 ride_w   road      canyon    zip:gpx
2026-07-25 08:00 easy       6.0 forest   trail     speedgoat zip:fit.gz
2026-07-26 07:15 long      13.0 long     road      pegasus   zip:gpx
2026-07-28 06:40 easy       7.5 lake     road      pegasus   zip:fit.gz
2026-07-30 18:30 hills      8.5 hills    road      pegasus   zip:fit.gz
2026-08-01 08:00 easy       6.0 forest   trail     speedgoat zip:fit.gz
2026-08-02 07:15 long      13.0 long     road      pegasus   zip:fit.gz
2026-08-04 06:45 easy       8.0 lake     road      pegasus   fit
2026-08-05 18:00 ride      45.0 ride_e   road      canyon    fit.gz
2026-08-06 18:30 hills      8.5 hills    road      pegasus   fit
2026-08-08 08:00 easy       6.0 forest   trail     speedgoat gpx
2026-08-09 07:15 long      13.5 long     road      pegasus   fit
2026-08-10 12:15 swim       2.0 pool     pool      -         fit
2026-08-11 06:45 easy       8.0 lake     road      pegasus   fit.gz
2026-08-13 18:30 hills      9.0 hills    road      pegasus   tcx
2026-08-15 08:00 easy       6.0 forest   trail     speedgoat fit
2026-08-16 07:15 long      13.5 long     road      pegasus   fit
2026-08-18 06:45 easy       8.0 lake     road      pegasus   fit
2026-08-20 18:30 hills      9.0 hills    road      pegasus   gpx.gz
2026-08-22 08:00 easy       6.0 forest   trail     speedgoat fit
2026-08-23 07:15 long      14.0 long     road      pegasus   fit
# W35: weekly distance +35 %, and a 16 km long run = 1.14 x the 30-day longest (14 km). Road.
2026-08-25 06:45 easy       9.0 lake     road      pegasus   fit
2026-08-26 18:45 easy       8.0 river    road      pegasus   fit.gz
2026-08-27 18:30 hills      9.5 hills    road      pegasus   fit
2026-08-29 08:00 easy       7.5 forest   trail     speedgoat fit
2026-08-30 07:00 long      16.0 long     road      pegasus   fit
# W36: recovery week.
2026-09-01 06:45 easy       7.0 lake     road      pegasus   fit
2026-09-02 18:00 ride      38.0 ride_w   road      canyon    fit
2026-09-03 18:30 easy       7.5 river    road      pegasus   gpx
2026-09-05 08:30 easy       5.0 forest   trail     speedgoat fit
2026-09-06 08:00 long      11.0 long     road      pegasus   fit
# W37-W38: trails on the hill: long steep descents, in the Speedgoat.
2026-09-08 18:15 trail      8.0 pilatus  trail     speedgoat fit      | Pilatus trail
2026-09-10 06:45 easy       7.0 lake     road      pegasus   fit
2026-09-12 08:30 trail      8.0 pilatus  trail     speedgoat gpx.gz
2026-09-13 08:00 trail     14.0 pilatus  trail     speedgoat fit      | Pilatus long trail
2026-09-15 18:15 trail      8.0 pilatus  trail     speedgoat fit.gz   | Pilatus trail
2026-09-17 06:45 easy       8.0 lake     road      pegasus   fit
2026-09-19 08:30 trail      9.0 pilatus  trail     speedgoat tcx.gz
2026-09-20 08:00 trail     15.0 pilatus  trail     speedgoat fit      | Pilatus long trail
# W39: a 34 km trail race = 2.1 x the 30-day longest (16 km on Aug 30).
2026-09-22 06:45 easy       7.0 lake     road      pegasus   fit
2026-09-24 18:15 trail      6.0 pilatus  trail     speedgoat fit      | Pilatus trail
2026-09-27 07:00 ultra     34.0 pilatus3 trail     speedgoat fit      | Pilatus Trail 34K
# W40-W41: easier, road. Thursday Oct 1 is recorded twice (watch FIT + phone GPX).
2026-09-29 18:30 easy       6.0 lake     road      pegasus   fit
2026-09-30 18:00 ride      40.0 ride_e   road      canyon    fit.gz
2026-10-01 06:45 easy       7.0 river    road      pegasus   fit+gpx
2026-10-03 08:30 easy       7.0 lake     road      pegasus   gpx
2026-10-04 08:00 long      11.0 long     road      pegasus   fit
2026-10-06 06:50 easy       7.5 lake     road      pegasus   fit
2026-10-08 18:30 hills      8.5 hills    road      pegasus   fit.gz
2026-10-10 08:30 easy       7.0 river    road      pegasus   gpx.gz
2026-10-11 08:00 long      13.0 long     road      pegasus   fit
# W42: every day, 5.8-6.0 km, no rest day (monotony > 2).
2026-10-12 18:30 easy       5.8 lake     road      pegasus   fit
2026-10-13 06:45 easy       5.9 lake     road      pegasus   fit
2026-10-14 18:30 easy       5.8 river    road      pegasus   fit.gz
2026-10-15 06:45 easy       6.0 lake     road      pegasus   tcx
2026-10-16 18:30 easy       5.8 lake     road      pegasus   fit
2026-10-17 08:30 easy       5.9 river    road      pegasus   gpx
2026-10-18 08:30 easy       5.8 lake     road      pegasus   fit
# W43-W46: hard surfaces only (road, track, treadmill). Sunday Oct 25 (DST ends) at 23:30.
2026-10-20 06:50 easy       7.0 lake     road      pegasus   fit
2026-10-21 18:30 easy       6.0 river    road      pegasus   fit
2026-10-22 18:30 hills      8.0 hills    road      pegasus   fit.gz
2026-10-24 09:00 easy       6.0 lake     road      pegasus   gpx
2026-10-25 23:30 easy      10.0 lake     road      pegasus   fit
2026-10-27 07:00 easy       7.0 lake     road      pegasus   fit
2026-10-28 18:30 track      8.0 stadium  track     vaporfly  fit      | Track 5x800m
2026-10-30 12:15 easy       7.0 river    road      pegasus   tcx.gz
2026-10-31 10:00 ride      35.0 ride_w   road      canyon    fit
2026-11-01 08:30 long      13.0 long     road      pegasus   fit
2026-11-02 18:30 strength   0.0 gym      indoor    -         fit
2026-11-03 07:00 easy       7.5 lake     road      pegasus   fit
2026-11-05 19:00 treadmill  8.0 belt     treadmill pegasus   fit      | Treadmill tempo
2026-11-07 09:00 easy       6.0 river    road      pegasus   gpx.gz
2026-11-08 08:30 long      13.5 long     road      pegasus   fit.gz
2026-11-10 07:00 easy       7.5 lake     road      pegasus   fit
2026-11-11 12:15 easy       6.0 river    road      pegasus   gpx
2026-11-12 18:30 hills      8.0 hills    road      pegasus   fit
2026-11-14 09:00 easy       6.0 lake     road      pegasus   fit
2026-11-15 08:30 long      14.0 long     road      pegasus   fit
"""

# What each ISO week is meant to show (README); rule names as in /work/shared/EVIDENCE.md.
WEEK_NOTES = {
    27: "calm block; Monday's 12 km run seeds the 30-day longest-run baseline, so no block run is a spike",
    35: "weekly progression: +35 % on W34 (> 30 %); single-run spike: 16 km = 1.14 x the 30-day longest",
    36: "recovery week (lighter)",
    37: "surface change road -> trail; downhill novelty (first steep descents); descent share far above norm",
    38: "second trail week: descent share still far above the 8-week norm",
    39: "single-run spike, HIGH: Pilatus Trail 34K = 2.1 x the 30-day longest (16 km)",
    40: "easier, road; Thursday recorded twice (dedup case)",
    41: "easier, road",
    42: "rest days / monotony: 7 runs of 5.8-6.0 km, monotony > 2.0",
    43: "hard surface only; Sunday 23:30 run on the DST day belongs to W43 (local time)",
    44: "track session in the Vaporfly; hard surface only",
    45: "treadmill run; strength session; hard surface only",
    46: "hard surface only (W40-W46: seven weeks of road, track, treadmill)",
}
GEAR = {"pegasus": "Pegasus 40", "speedgoat": "Speedgoat 5", "vaporfly": "Vaporfly 3",
        "canyon": "Canyon Endurace", "-": ""}
SHOE_START_KM = {"Pegasus 40": 350.0, "Speedgoat 5": 0.0, "Vaporfly 3": 0.0}  # km on each pair before W27
SEED = 9552026
TZ = ZoneInfo("Europe/Zurich")
HOME_LAT_DEG, HOME_LON_DEG = 47.05, 8.30  # the runner's front door; every road loop starts here
EARTH_RADIUS_M = 6_371_008.8
FIT_EPOCH_UNIX_S = 631_065_600  # 1989-12-31T00:00:00Z
FR955_PRODUCT_ID, WATCH_SERIAL = 4024, 3_469_812_345  # GarminProduct.FR955 in the FIT profile
ZIP_NAME = "strava_export.zip"
ZIP_DATE_TIME = (2026, 11, 16, 6, 0, 0)  # Strava built the export the morning after the last run
# Terrain: a lake-side town on rolling ground (road grades stay within +-8.5 %) and one big hill to the SW.
TOWN_LEVEL_M = 450.0
ROLLING = ((16.0, 3000.0, 30.0, 0.3), (9.0, 1900.0, 120.0, 1.1), (4.0, 1100.0, 75.0, 2.0))  # m, m, deg, rad
HILL_EAST_M, HILL_NORTH_M = -4200.0, -5000.0  # "Pilatus" foothill, 6.5 km SW of home
HILL_HEIGHT_M, HILL_SIGMA_M = 520.0, 1500.0  # max grade 21 %; <= -10 % from about 0.45 to 2.6 km out
KNOLL_EAST_M, KNOLL_NORTH_M = 2000.0, 1700.0  # the knoll the Thursday "hills" loop crosses
KNOLL_HEIGHT_M, KNOLL_SIGMA_M = 45.0, 550.0
STADIUM_EAST_M, STADIUM_NORTH_M, TRACK_LAP_M, TRACK_STRAIGHT_M = 700.0, -500.0, 400.0, 84.39
# Truth definitions (EVIDENCE.md "downhill"): grade over a 50 m window; <= -5 % is descent, <= -10 % steep.
GRADE_WINDOW_M, DOWNHILL_GRADE, STEEP_GRADE = 50, -0.05, -0.10
# Ascent counting: a barometer is trusted in 2 m steps; Strava smooths GPS altitude much harder.
HYSTERESIS_M = {"baro": 2.0, "gps": 8.0}
BASE_SPEED_M_S = {"easy": 2.90, "hills": 2.85, "long": 2.86, "trail": 2.75, "ultra": 2.60, "track": 2.90,
                  "treadmill": 2.80, "ride": 7.2, "swim": 0.85}  # easy 5:45/km; long 6:00/km with fatigue
RUN_THRESHOLD_M_S = 4.1  # effort 1.0 -> heart rate about 174
SAMPLE_GAPS_S = {"fit": (1, 2, 3), "gpx": (2, 3, 4), "tcx": (2, 3, 4, 5)}  # GPX and TCX are bulky
CROSS_TRAINING = {"ride": ("cycling", "road"), "swim": ("swimming", "lap_swimming"),
                  "strength": ("training", "strength_training")}
SUB_SPORT_OF_SURFACE = {"road": "street", "trail": "trail", "track": "track", "treadmill": "treadmill"}
STRAVA_TYPE = {"ride": "Ride", "swim": "Swim", "strength": "Weight Training"}


@dataclass(frozen=True)
class Entry:
    """One line of PLAN."""

    start_local: datetime
    kind: str
    distance_km: float
    route: str
    surface: str
    gear: str
    outputs: tuple[str, ...]
    name: str

    @property
    def is_run(self) -> bool:
        return self.kind not in CROSS_TRAINING

    @property
    def sport(self) -> tuple[str, str]:
        return CROSS_TRAINING.get(self.kind) or ("running", SUB_SPORT_OF_SURFACE[self.surface])

    @property
    def strava_type(self) -> str:
        return STRAVA_TYPE.get(self.kind) or ("Trail Run" if self.surface == "trail" else "Run")


def parse_plan(text: str) -> list[Entry]:
    entries = []
    for raw in text.splitlines():
        fields, _, name = raw.split("#", 1)[0].partition("|")
        if not fields.strip():
            continue
        day, hhmm, kind, km, route, surface, gear, outputs = fields.split()
        start = datetime.fromisoformat(f"{day}T{hhmm}").replace(tzinfo=TZ)
        entry = Entry(start, kind, float(km), route, surface, gear, tuple(outputs.split("+")), name.strip())
        if not entry.name:  # Strava's automatic names
            hour = start.hour
            part = ("Night" if hour < 4 or hour >= 21 else "Morning" if hour < 11 else "Lunch" if hour < 14
                    else "Afternoon" if hour < 17 else "Evening")
            entry = replace(entry, name=f"{part} {entry.strava_type}")
        entries.append(entry)
    return entries


# --- Place: one terrain function; routes are smooth parametric curves -------------------------------------
def to_lat_lon(east_m: Floats, north_m: Floats) -> tuple[Floats, Floats]:
    lat = HOME_LAT_DEG + np.degrees(north_m / EARTH_RADIUS_M)
    return lat, HOME_LON_DEG + np.degrees(east_m / (EARTH_RADIUS_M * math.cos(math.radians(HOME_LAT_DEG))))


def terrain_m(lat_deg: Floats, lon_deg: Floats) -> Floats:
    """Height above sea level of any point: the same place always has the same height."""
    north = np.radians(lat_deg - HOME_LAT_DEG) * EARTH_RADIUS_M
    east = np.radians(lon_deg - HOME_LON_DEG) * EARTH_RADIUS_M * math.cos(math.radians(HOME_LAT_DEG))
    height = np.full_like(north, TOWN_LEVEL_M)
    for amplitude_m, wavelength_m, direction_deg, phase in ROLLING:
        along = east * math.cos(math.radians(direction_deg)) + north * math.sin(math.radians(direction_deg))
        height += amplitude_m * np.sin(2 * np.pi * along / wavelength_m + phase)
    for east0, north0, peak_m, sigma_m in ((HILL_EAST_M, HILL_NORTH_M, HILL_HEIGHT_M, HILL_SIGMA_M),
                                           (KNOLL_EAST_M, KNOLL_NORTH_M, KNOLL_HEIGHT_M, KNOLL_SIGMA_M)):
        height += peak_m * np.exp(-((east - east0) ** 2 + (north - north0) ** 2) / (2 * sigma_m**2))
    return height


def _rotate(along: Floats, across: Floats, heading_deg: float) -> tuple[Floats, Floats]:
    cos_h, sin_h = math.cos(math.radians(heading_deg)), math.sin(math.radians(heading_deg))
    return along * cos_h - across * sin_h, along * sin_h + across * cos_h


def loop(heading_deg: float, aspect: float, wobble: float) -> Curve:
    """A closed loop from the origin out along heading_deg (0 = east, 90 = north) and back."""
    def curve(t: Floats) -> tuple[Floats, Floats]:
        across = 0.5 * aspect * np.sin(2 * np.pi * t) + wobble * np.sin(6 * np.pi * t)
        return _rotate(0.5 - 0.5 * np.cos(2 * np.pi * t), across, heading_deg)
    return curve


def out_and_back(heading_deg: float, wiggle: float) -> Curve:
    def curve(t: Floats) -> tuple[Floats, Floats]:
        along = 1 - np.abs(1 - 2 * t)
        return _rotate(along, wiggle * np.sin(3 * np.pi * along), heading_deg)
    return curve


def petals(count: int) -> Curve:
    """Loops around the hill top: each petal climbs from the foot (radius 1) to near the top and back down."""
    home_bearing = math.atan2(-HILL_NORTH_M, -HILL_EAST_M)  # the trailhead lies on the home side

    def curve(t: Floats) -> tuple[Floats, Floats]:
        theta = 2 * np.pi * t
        radius = 0.08 + 0.92 * (0.5 + 0.5 * np.cos(count * theta))
        angle = home_bearing + theta + 0.04 * np.sin(5 * theta)
        return radius * np.cos(angle), radius * np.sin(angle)
    return curve


ROUTES: dict[str, tuple[tuple[float, float], Curve]] = {  # origin (east, north) m, unit curve scaled about it
    "lake": ((0.0, 0.0), loop(70, 0.45, 0.03)),
    "hills": ((0.0, 0.0), loop(20, 0.7, 0.04)),
    "long": ((0.0, 0.0), loop(95, 0.6, 0.05)),
    "forest": ((0.0, 0.0), loop(150, 0.8, 0.06)),
    "river": ((0.0, 0.0), out_and_back(125, 0.05)),
    "pilatus": ((HILL_EAST_M, HILL_NORTH_M), petals(1)),
    "pilatus3": ((HILL_EAST_M, HILL_NORTH_M), petals(3)),
    "ride_e": ((0.0, 0.0), loop(-10, 0.55, 0.04)),
    "ride_w": ((0.0, 0.0), loop(110, 0.6, 0.04)),
}


def track_oval(distance_m: Floats) -> tuple[Floats, Floats]:
    """Lane 1 of a 400 m track, anticlockwise from the start of the back straight."""
    radius_m = (TRACK_LAP_M - 2 * TRACK_STRAIGHT_M) / (2 * np.pi)
    bend_m = np.pi * radius_m
    s, half = distance_m % TRACK_LAP_M, TRACK_STRAIGHT_M / 2
    bend1 = np.clip((s - TRACK_STRAIGHT_M) / radius_m, 0, np.pi)
    bend2 = np.clip((s - 2 * TRACK_STRAIGHT_M - bend_m) / radius_m, 0, np.pi)
    where = [s < TRACK_STRAIGHT_M, s < TRACK_STRAIGHT_M + bend_m, s < TRACK_LAP_M - bend_m]
    back = half - (s - TRACK_STRAIGHT_M - bend_m)
    east = np.select(where, [s - half, half + radius_m * np.sin(bend1), back], -half - radius_m * np.sin(bend2))
    flat = np.full_like(s, radius_m)
    north = np.select(where, [-flat, -radius_m * np.cos(bend1), flat], radius_m * np.cos(bend2))
    return STADIUM_EAST_M + east, STADIUM_NORTH_M + north


def route_en(route: str, distance_m: Floats) -> tuple[Floats, Floats] | None:
    """East/north metres of the route at each distance along it; None indoors."""
    if route == "stadium":
        return track_oval(distance_m)
    if route not in ROUTES:
        return None
    (east0, north0), curve = ROUTES[route]
    t = np.linspace(0.0, 1.0, 40_001)
    unit_east, unit_north = curve(t)
    unit_length = np.concatenate(([0.0], np.cumsum(np.hypot(np.diff(unit_east), np.diff(unit_north)))))
    scale = distance_m[-1] / unit_length[-1]
    east, north = curve(np.interp(distance_m / scale, unit_length, t))
    return east0 + scale * east, north0 + scale * north


# --- Motion: what the athlete really did, on a 1 s timer grid ----------------------------------------------
@dataclass
class Motion:
    timer_s: Ints
    distance_m: Floats
    east_m: Floats | None
    north_m: Floats | None
    altitude_m: Floats | None  # true terrain height
    speed_m_s: Floats
    heart_rate: Floats
    cadence: Floats | None  # strides (one foot) per minute for runs, rpm for rides
    pauses: list[tuple[int, int]]  # (timer second when the timer stopped, pause length s)
    truth: dict[str, float]


def ar1(rng: np.random.Generator, n: int, sigma: float, tau_steps: float) -> Floats:
    """Correlated (first-order autoregressive) noise with standard deviation sigma."""
    phi = math.exp(-1.0 / tau_steps)
    shocks = rng.normal(0.0, sigma * math.sqrt(1 - phi**2), n)
    out, value = np.empty(n), rng.normal(0.0, sigma)
    for i in range(n):
        value = phi * value + shocks[i]
        out[i] = value
    return out


def grade_over(altitude_m: Floats, half_window_m: int) -> Floats:
    """Grade (a fraction) centred on each point of a profile sampled every metre."""
    index = np.arange(len(altitude_m))
    high, low = np.minimum(index + half_window_m, index[-1]), np.maximum(index - half_window_m, 0)
    grade: Floats = (altitude_m[high] - altitude_m[low]) / np.maximum(high - low, 1)
    return grade


def profile_truth(where: tuple[Floats, Floats] | None, altitude_m: Floats | None,
                  planned_m: float) -> dict[str, float]:
    distance_m = planned_m if where is None else float(np.hypot(*np.diff(where, axis=1)).sum())
    if altitude_m is None:
        return {"distance_m": distance_m, "ascent_m": 0.0, "descent_m": 0.0, "downhill_m": 0.0,
                "steep_downhill_distance_m": 0.0}
    climb, grade = np.diff(altitude_m), grade_over(altitude_m, GRADE_WINDOW_M // 2)
    return {"distance_m": distance_m, "ascent_m": float(np.maximum(climb, 0).sum()),
            "descent_m": float(np.maximum(-climb, 0).sum()),
            "downhill_m": float((grade <= DOWNHILL_GRADE).sum()),
            "steep_downhill_distance_m": float((grade <= STEEP_GRADE).sum())}


def speed_profile(entry: Entry, distance_m: Floats, grade: Floats, rng: np.random.Generator) -> Floats:
    """Speed at each metre: base pace for the session, slower uphill and on steep descents."""
    speed = np.full_like(distance_m, BASE_SPEED_M_S[entry.kind])
    if entry.kind == "track":  # 1.2 km warm-up, 5 x (800 m at 4:00/km + 400 m jog), cool-down
        reps = (distance_m >= 1200) & (distance_m < 7200)
        speed[reps] = np.where((distance_m[reps] - 1200) % 1200 < 800, 4.17, 2.5)
    if entry.kind == "treadmill":  # tempo in the middle
        speed[(distance_m >= 2000) & (distance_m < 6000)] = 3.3
    if entry.kind == "ride":
        slowdown = np.where(grade > 0, 1 + 9 * grade, np.maximum(0.6, 1 + 4 * grade))
    else:
        slowdown = np.where(grade >= 0, 1 + 3.5 * grade,
                            1 + 1.5 * np.maximum(grade, -0.08) + 3.0 * np.maximum(0.0, -grade - 0.08))
    if entry.surface == "trail":  # roots and rocks
        slowdown *= 1.08 if entry.route.startswith("pilatus") else 1.03
    if entry.kind in ("long", "ultra"):  # fatigue
        slowdown *= 1 + 0.05 * distance_m / distance_m[-1]
    wander = 0.01 if entry.kind in ("track", "treadmill") else 0.03
    return np.clip(speed * np.exp(ar1(rng, len(distance_m), wander, 400)) / slowdown, 0.5, 20.0)


def heart_rate(entry: Entry, speed: Floats, grade: Floats, timer_s: Floats,
               rng: np.random.Generator) -> Floats:
    """Heart rate follows effort with a 30 s lag, plus cardiac drift."""
    if entry.kind == "ride":
        target = 70 + 95 * speed * (1 + 9 * np.maximum(grade, 0)) / 9.0
    elif entry.kind == "swim":
        target = 128 + 6 * np.sin(timer_s / 300)
    elif entry.kind == "strength":
        target = np.where(timer_s % 150 < 45, 128.0, 98.0)
    else:
        effort = speed * np.where(grade > 0, 1 + 8 * grade, np.maximum(0.5, 1 + 2 * grade))
        target = 62 + 112 * effort / RUN_THRESHOLD_M_S
    target = target + 4 * timer_s / 3600
    alpha, value, out = 1 - math.exp(-1 / 30), 85.0, np.empty_like(target)
    for i, goal in enumerate(target):
        value += alpha * (goal - value)
        out[i] = value
    bpm: Floats = np.clip(out + ar1(rng, len(out), 1.2, 10), 60, 192)
    return bpm


def simulate(entry: Entry, rng: np.random.Generator) -> Motion:
    planned_m = round(entry.distance_km * 1000)
    profile_m = np.arange(0.0, planned_m + 1.0) if planned_m else np.zeros(2)
    where = route_en(entry.route, profile_m) if planned_m else None
    altitude = None if where is None else terrain_m(*to_lat_lon(*where))
    if altitude is not None and entry.route == "stadium":  # a flat track
        altitude = np.full_like(profile_m, altitude.mean())
    truth = profile_truth(where, altitude, float(planned_m))
    grade_1m = np.zeros_like(profile_m) if altitude is None else grade_over(altitude, 10)
    if planned_m:
        speed_1m = speed_profile(entry, profile_m, grade_1m, rng)
        timer_at_m = np.concatenate(([0.0], np.cumsum(1.0 / speed_1m[:-1])))
    else:  # strength: 40 minutes without going anywhere
        speed_1m, timer_at_m = np.zeros(2), np.array([0.0, 2400.0])
    timer_s = np.arange(0, math.ceil(timer_at_m[-1]) + 1)
    distance = np.interp(timer_s, timer_at_m, profile_m)

    def along(values: Floats | None) -> Floats | None:
        return None if values is None else np.interp(distance, profile_m, values)

    grade, speed = np.interp(distance, profile_m, grade_1m), np.interp(distance, profile_m, speed_1m)
    cadence = None
    if entry.is_run or entry.kind == "ride":
        stride = 66 + 5.6 * speed - 30 * np.maximum(grade, 0)  # strides per minute, shorter uphill
        cadence = np.clip((84.0 if entry.kind == "ride" else stride) + ar1(rng, len(speed), 1.0, 8), 60, 100)
    pauses: set[tuple[int, int]] = set()
    if entry.surface == "road" and entry.kind in ("easy", "long", "hills") and rng.random() < 0.35:
        for _ in range(int(rng.integers(1, 3))):  # traffic lights: the watch's timer is stopped
            pauses.add((int(rng.uniform(0.1, 0.9) * timer_s[-1]), int(rng.integers(15, 50))))
    east, north = where or (None, None)
    return Motion(timer_s, distance, along(east), along(north), along(altitude), speed,
                  heart_rate(entry, speed, grade, timer_s.astype(float), rng), cadence, sorted(pauses), truth)


# --- Recording: what a device wrote down --------------------------------------------------------------------
@dataclass
class Recording:
    altimeter: str  # "baro" or "gps"
    wall_s: Ints  # seconds since the start, pauses included
    timer_s: Ints
    lat_deg: Floats | None
    lon_deg: Floats | None
    altitude_m: Floats | None
    distance_m: Floats
    speed_m_s: Floats
    heart_rate: Floats
    cadence: Floats | None
    pauses: list[tuple[int, int]]  # (wall second the timer stopped, wall second it started again)


def record(motion: Motion, rng: np.random.Generator, gaps_s: tuple[int, ...], altimeter: str) -> Recording:
    """Sample the motion like a device: smart-recording gaps, GPS wander, barometric or GPS altitude."""
    n = len(motion.timer_s)
    steps = np.cumsum(np.concatenate(([0], rng.choice(gaps_s, size=n))))
    keep = np.union1d(steps[steps < n - 1], [*(stop for stop, _ in motion.pauses), n - 1])
    calibration = float(np.clip(rng.normal(0.0, 0.002), -0.004, 0.004))  # GPS or foot-pod distance error
    lat = lon = altitude = None
    if motion.east_m is not None and motion.north_m is not None:
        lat, lon = to_lat_lon(motion.east_m + ar1(rng, n, 3.0, 20), motion.north_m + ar1(rng, n, 3.0, 20))
    if motion.altitude_m is not None and altimeter == "baro":  # offset, slow drift, 0.2 m noise
        altitude = motion.altitude_m + rng.normal(0.0, 2.0) + ar1(rng, n, 1.2, 900) + rng.normal(0.0, 0.2, n)
    elif motion.altitude_m is not None:
        altitude = motion.altitude_m + rng.normal(0.0, 3.0) + ar1(rng, n, 4.0, 60)
    speed = np.maximum(motion.speed_m_s * (1 + calibration) + ar1(rng, n, 0.06, 4), 0.0)
    offset, wall_pauses = np.zeros(n, dtype=np.int64), []
    for stop, length in motion.pauses:
        wall_pauses.append((int(stop + offset[stop]), int(stop + offset[stop] + length)))
        offset[motion.timer_s > stop] += length

    def pick(values: Floats | None) -> Floats | None:
        return None if values is None else values[keep]

    return Recording(altimeter, (motion.timer_s + offset)[keep], motion.timer_s[keep], pick(lat), pick(lon),
                     pick(altitude), motion.distance_m[keep] * (1 + calibration), speed[keep],
                     np.round(motion.heart_rate[keep]), pick(motion.cadence), wall_pauses)


def device_climb_m(rec: Recording) -> tuple[Floats, Floats]:
    """Cumulative ascent and descent as a device counts them: altitude steps beyond a hysteresis."""
    if rec.altitude_m is None:
        return np.zeros(len(rec.wall_s)), np.zeros(len(rec.wall_s))
    hysteresis_m = HYSTERESIS_M[rec.altimeter]
    up, down = np.empty_like(rec.altitude_m), np.empty_like(rec.altitude_m)
    ref, total_up, total_down = rec.altitude_m[0], 0.0, 0.0
    for i, value in enumerate(np.round(rec.altitude_m * 5) / 5):  # the FIT resolution is 0.2 m
        if value - ref >= hysteresis_m:
            total_up, ref = total_up + value - ref, value
        elif ref - value >= hysteresis_m:
            total_down, ref = total_down + ref - value, value
        up[i], down[i] = total_up, total_down
    return up, down


def lap_ends(entry: Entry, rec: Recording) -> list[int]:
    """Auto-lap every km for runs (the record where the km is crossed); one lap for everything else."""
    last = len(rec.wall_s) - 1
    if not entry.is_run:
        return [last]
    crossed = np.flatnonzero(np.diff(np.floor(rec.distance_m / 1000)) > 0) + 1
    return [*(int(i) for i in crossed if i < last), last]


def calories_kcal(entry: Entry, distance_m: float) -> float:
    per_km = {"ride": 22.0, "swim": 200.0}.get(entry.kind, 68.0)  # a 68 kg athlete
    return 250.0 if entry.kind == "strength" else per_km * distance_m / 1000


# --- FIT ----------------------------------------------------------------------------------------------------
def _summarise(message: Any, entry: Entry, rec: Recording, first: int, last: int, start_ms: int,
               climb: tuple[Floats, Floats]) -> None:
    """Fill the fields laps and sessions share (the two fit_tool classes use the same property names)."""
    sport, sub_sport = entry.sport
    span = slice(first, last + 1)
    message.start_time = start_ms + int(rec.wall_s[first]) * 1000
    message.timestamp = start_ms + int(rec.wall_s[last]) * 1000
    message.sport, message.sub_sport = Sport[sport.upper()], SubSport[sub_sport.upper()]
    message.total_elapsed_time = float(rec.wall_s[last] - rec.wall_s[first])
    message.total_timer_time = float(rec.timer_s[last] - rec.timer_s[first])
    distance_m = float(rec.distance_m[last] - rec.distance_m[first])
    if entry.kind != "strength":
        message.total_distance = distance_m
        message.enhanced_avg_speed = distance_m / max(message.total_timer_time, 1.0)
        message.enhanced_max_speed = float(rec.speed_m_s[span].max())
    if rec.altitude_m is not None:
        message.total_ascent = round(climb[0][last] - climb[0][first])
        message.total_descent = round(climb[1][last] - climb[1][first])
    message.avg_heart_rate = round(float(rec.heart_rate[span].mean()))
    message.max_heart_rate = round(float(rec.heart_rate[span].max()))
    if rec.cadence is not None and entry.is_run:
        message.avg_running_cadence = round(float(rec.cadence[span].mean()))
    elif rec.cadence is not None:
        message.avg_cadence = round(float(rec.cadence[span].mean()))
    share = (last - first) / max(len(rec.wall_s) - 1, 1)
    message.total_calories = round(calories_kcal(entry, float(rec.distance_m[-1])) * share)


def _timer_event(timestamp_ms: int, event_type: EventType) -> EventMessage:
    event = EventMessage(local_id=2)
    event.timestamp, event.event, event.event_type = timestamp_ms, Event.TIMER, event_type
    event.event_group = 0
    return event


def _record_message(entry: Entry, rec: Recording, i: int, start_ms: int) -> RecordMessage:
    point = RecordMessage(local_id=3)
    point.timestamp = start_ms + int(rec.wall_s[i]) * 1000
    if rec.lat_deg is not None and rec.lon_deg is not None:
        point.position_lat, point.position_long = float(rec.lat_deg[i]), float(rec.lon_deg[i])
    if entry.kind != "strength":
        point.distance = float(rec.distance_m[i])
        point.enhanced_speed = point.speed = float(rec.speed_m_s[i])
    if rec.altitude_m is not None:
        point.enhanced_altitude = point.altitude = float(rec.altitude_m[i])
    point.heart_rate = int(rec.heart_rate[i])
    if rec.cadence is not None:
        point.cadence = round(float(rec.cadence[i]))
    return point


def fit_bytes(entry: Entry, rec: Recording, start_utc: datetime) -> bytes:
    """A Forerunner 955 activity file. fit_tool takes date_time fields in ms since the Unix epoch."""
    start_ms = int(start_utc.timestamp()) * 1000
    end_ms, last = start_ms + int(rec.wall_s[-1]) * 1000, len(rec.wall_s) - 1
    # A fixed local id per message type: with fit_tool's default (all 0) each type switch re-emits a definition.
    file_id = FileIdMessage(local_id=0)
    file_id.type, file_id.manufacturer = FileType.ACTIVITY, Manufacturer.GARMIN.value
    file_id.product, file_id.serial_number, file_id.time_created = FR955_PRODUCT_ID, WATCH_SERIAL, start_ms
    device = DeviceInfoMessage(local_id=1)
    device.timestamp, device.device_index, device.manufacturer = start_ms, 0, Manufacturer.GARMIN.value
    device.product, device.serial_number, device.software_version = FR955_PRODUCT_ID, WATCH_SERIAL, 19.18
    device.source_type = SourceType.LOCAL
    builder = FitFileBuilder(auto_define=True)
    builder.add_all([file_id, device, _timer_event(start_ms, EventType.START)])
    climb, ends, lap_start = device_climb_m(rec), set(lap_ends(entry, rec)), 0
    laps: list[LapMessage] = []
    restarts = dict(rec.pauses)
    for i, wall in enumerate(rec.wall_s):
        builder.add(_record_message(entry, rec, i, start_ms))
        if int(wall) in restarts:  # a pause: the timer stops after this record, no records until it restarts
            builder.add_all([_timer_event(start_ms + int(wall) * 1000, EventType.STOP_ALL),
                             _timer_event(start_ms + restarts[int(wall)] * 1000, EventType.START)])
        if i in ends:
            lap = LapMessage(local_id=4)
            _summarise(lap, entry, rec, lap_start, i, start_ms, climb)
            lap.message_index, lap.event, lap.event_type = len(laps), Event.LAP, EventType.STOP
            lap.lap_trigger = LapTrigger.DISTANCE if i < last else LapTrigger.SESSION_END
            laps.append(lap)
            lap_start = i
            if i < last:
                builder.add(lap)
    builder.add_all([_timer_event(end_ms, EventType.STOP_ALL), laps[-1]])
    session = SessionMessage(local_id=5)
    _summarise(session, entry, rec, 0, last, start_ms, climb)
    session.message_index, session.first_lap_index, session.num_laps = 0, 0, len(laps)
    session.event, session.event_type = Event.SESSION, EventType.STOP
    session.trigger = SessionTrigger.ACTIVITY_END
    if rec.lat_deg is not None and rec.lon_deg is not None:
        session.start_position_lat, session.start_position_long = float(rec.lat_deg[0]), float(rec.lon_deg[0])
    activity = ActivityMessage(local_id=6)
    activity.timestamp, activity.total_timer_time = end_ms, float(rec.timer_s[-1])
    activity.num_sessions, activity.type = 1, Activity.MANUAL
    activity.event, activity.event_type = Event.ACTIVITY, EventType.STOP
    # fit_tool writes local_timestamp raw, without the epoch shift it applies to `timestamp`:
    # FIT-epoch seconds of the local wall clock at the end of the activity.
    end_local = datetime.fromtimestamp(end_ms / 1000, TZ)
    activity.local_timestamp = int(end_local.replace(tzinfo=UTC).timestamp()) - FIT_EPOCH_UNIX_S
    builder.add_all([session, activity])
    return bytes(builder.build().to_bytes())


# --- GPX and TCX --------------------------------------------------------------------------------------------
GPX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<gpx creator="StravaGPX" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="'
    "http://www.topografix.com/GPX/1/1 http://www.topografix.com/GPX/1/1/gpx.xsd "
    "http://www.garmin.com/xmlschemas/GpxExtensions/v3 http://www.garmin.com/xmlschemas/GpxExtensionsv3.xsd "
    "http://www.garmin.com/xmlschemas/TrackPointExtension/v1 "
    'http://www.garmin.com/xmlschemas/TrackPointExtensionv1.xsd" version="1.1" '
    'xmlns="http://www.topografix.com/GPX/1/1" '
    'xmlns:gpxtpx="http://www.garmin.com/xmlschemas/TrackPointExtension/v1" '
    'xmlns:gpxx="http://www.garmin.com/xmlschemas/GpxExtensions/v3">'
)
TCX_HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<TrainingCenterDatabase xsi:schemaLocation="'
    "http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2 "
    'http://www.garmin.com/xmlschemas/TrainingCenterDatabasev2.xsd" '
    'xmlns:ns3="http://www.garmin.com/xmlschemas/ActivityExtension/v2" '
    'xmlns="http://www.garmin.com/xmlschemas/TrainingCenterDatabase/v2" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
)


def iso_z(moment: datetime, *, millis: bool = False) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.000Z" if millis else "%Y-%m-%dT%H:%M:%SZ")


def gpx_bytes(entry: Entry, rec: Recording, start_utc: datetime, *, with_type: bool) -> bytes:
    """A GPX 1.1 file as Strava exports it: GPS altitude, heart rate and cadence in TrackPointExtension."""
    assert rec.lat_deg is not None and rec.lon_deg is not None and rec.altitude_m is not None
    out = [GPX_HEAD, f" <metadata>\n  <time>{iso_z(start_utc)}</time>\n </metadata>",
           f" <trk>\n  <name>{escape(entry.name)}</name>"]
    if with_type:
        out.append(f"  <type>{'running' if entry.is_run else entry.sport[0]}</type>")
    out.append("  <trkseg>")
    for i, wall in enumerate(rec.wall_s):
        cadence = "" if rec.cadence is None else f"\n      <gpxtpx:cad>{round(rec.cadence[i])}</gpxtpx:cad>"
        out.append(f'   <trkpt lat="{rec.lat_deg[i]:.7f}" lon="{rec.lon_deg[i]:.7f}">\n'
                   f"    <ele>{rec.altitude_m[i]:.1f}</ele>\n"
                   f"    <time>{iso_z(start_utc + timedelta(seconds=int(wall)))}</time>\n"
                   f"    <extensions>\n     <gpxtpx:TrackPointExtension>\n"
                   f"      <gpxtpx:hr>{int(rec.heart_rate[i])}</gpxtpx:hr>{cadence}\n"
                   f"     </gpxtpx:TrackPointExtension>\n    </extensions>\n   </trkpt>")
    out.append("  </trkseg>\n </trk>\n</gpx>\n")
    return "\n".join(out).encode()


def tcx_bytes(entry: Entry, rec: Recording, start_utc: datetime) -> bytes:
    """A TrainingCenterDatabase v2 file as Garmin Connect exports a watch run: one Lap per km."""
    assert rec.lat_deg is not None and rec.lon_deg is not None and rec.altitude_m is not None

    def time_at(i: int) -> str:
        return iso_z(start_utc + timedelta(seconds=int(rec.wall_s[i])), millis=True)

    out = [TCX_HEAD, f'  <Activities>\n    <Activity Sport="Running">\n      <Id>{time_at(0)}</Id>']
    first = 0
    for last in lap_ends(entry, rec):
        span = range(first, last + 1 if last == len(rec.wall_s) - 1 else last)
        lap_s = float(rec.timer_s[last] - rec.timer_s[first])
        lap_m = float(rec.distance_m[last] - rec.distance_m[first])
        out.append(f'      <Lap StartTime="{time_at(first)}">\n'
                   f"        <TotalTimeSeconds>{lap_s:.1f}</TotalTimeSeconds>\n"
                   f"        <DistanceMeters>{lap_m:.1f}</DistanceMeters>\n"
                   f"        <MaximumSpeed>{rec.speed_m_s[span].max():.3f}</MaximumSpeed>\n"
                   f"        <Calories>{round(calories_kcal(entry, lap_m))}</Calories>\n"
                   f"        <AverageHeartRateBpm><Value>{round(rec.heart_rate[span].mean())}</Value>"
                   f"</AverageHeartRateBpm>\n        <MaximumHeartRateBpm><Value>"
                   f"{int(rec.heart_rate[span].max())}</Value></MaximumHeartRateBpm>\n"
                   f"        <Intensity>Active</Intensity>\n        <TriggerMethod>Distance</TriggerMethod>\n"
                   f"        <Track>")
        for i in span:
            cadence = "" if rec.cadence is None else f"<ns3:RunCadence>{rec.cadence[i]:.0f}</ns3:RunCadence>"
            out.append(f"          <Trackpoint>\n            <Time>{time_at(i)}</Time>\n"
                       f"            <Position><LatitudeDegrees>{rec.lat_deg[i]:.7f}</LatitudeDegrees>"
                       f"<LongitudeDegrees>{rec.lon_deg[i]:.7f}</LongitudeDegrees></Position>\n"
                       f"            <AltitudeMeters>{rec.altitude_m[i]:.1f}</AltitudeMeters>\n"
                       f"            <DistanceMeters>{rec.distance_m[i]:.1f}</DistanceMeters>\n"
                       f"            <HeartRateBpm><Value>{int(rec.heart_rate[i])}</Value></HeartRateBpm>\n"
                       f"            <Extensions><ns3:TPX><ns3:Speed>{rec.speed_m_s[i]:.3f}</ns3:Speed>"
                       f"{cadence}</ns3:TPX></Extensions>\n          </Trackpoint>")
        out.append(f"        </Track>\n        <Extensions><ns3:LX><ns3:AvgSpeed>{lap_m / max(lap_s, 1):.3f}"
                   f"</ns3:AvgSpeed></ns3:LX></Extensions>\n      </Lap>")
        first = last
    out.append('      <Creator xsi:type="Device_t">\n        <Name>Forerunner 955</Name>\n'
               f"        <UnitId>{WATCH_SERIAL}</UnitId>\n        <ProductID>{FR955_PRODUCT_ID}</ProductID>\n"
               "      </Creator>\n    </Activity>\n  </Activities>\n</TrainingCenterDatabase>\n")
    return "\n".join(out).encode()


# --- Strava's activities.csv (its header repeats column names, so values are set by position) -------------
STRAVA_HEADER = next(csv.reader([
    "Activity ID,Activity Date,Activity Name,Activity Type,Activity Description,Elapsed Time,Distance,"
    "Max Heart Rate,Relative Effort,Commute,Activity Private Note,Activity Gear,Filename,Athlete Weight,"
    "Bike Weight,Elapsed Time,Moving Time,Distance,Max Speed,Average Speed,Elevation Gain,Elevation Loss,"
    "Elevation Low,Elevation High,Max Grade,Average Grade,Average Positive Grade,Average Negative Grade,"
    "Max Cadence,Average Cadence,Max Heart Rate,Average Heart Rate,Max Watts,Average Watts,Calories,"
    "Max Temperature,Average Temperature,Relative Effort,Total Work,Number of Runs,Uphill Time,"
    "Downhill Time,Other Time,Perceived Exertion,Type,Start Time,Weighted Average Power,Power Count,"
    "Prefer Perceived Exertion,Perceived Relative Effort,Commute,Total Weight Lifted,From Upload,"
    "Grade Adjusted Distance,Weather Observation Time,Weather Condition,Weather Temperature,"
    "Apparent Temperature,Dewpoint,Humidity,Weather Pressure,Wind Speed,Wind Gust,Wind Bearing,"
    "Precipitation Intensity,Sunrise Time,Sunset Time,Moon Phase,Bike,Gear,Precipitation Probability,"
    "Precipitation Type,Cloud Cover,Weather Visibility,UV Index,Weather Ozone,Jump Count,Total Grit,"
    "Average Flow,Flagged,Average Elapsed Speed,Dirt Distance,Newly Explored Distance,"
    "Newly Explored Dirt Distance,Activity Count,Total Steps,Carbon Saved,Pool Length,Training Load,"
    "Intensity,Average Grade Adjusted Pace,Timer Time,Total Cycles,Recovery,With Pet,Competition,Long Run,"
    "For a Cause,With Kid,Downhill Distance,Total Sets,Total Reps,Media"]))


def strava_row(entry: Entry, rec: Recording, activity_id: int, filename: str,
               start_utc: datetime) -> list[str]:
    row = [""] * len(STRAVA_HEADER)
    elapsed_s, moving_s, distance_m = int(rec.wall_s[-1]), int(rec.timer_s[-1]), float(rec.distance_m[-1])
    up, down = device_climb_m(rec)
    hour12 = start_utc.hour % 12 or 12  # Strava writes "Jul 1, 2026, 5:12:33 AM" in UTC
    effort = round(moving_s / 60 * (0.5 if entry.kind == "easy" else 0.8))
    row[0:13] = [str(activity_id), start_utc.strftime(f"%b {start_utc.day}, %Y, {hour12}:%M:%S %p"),
                 entry.name, entry.strava_type, "", str(elapsed_s), f"{distance_m / 1000:.2f}",
                 f"{rec.heart_rate.max():.1f}", str(effort), "false", "", GEAR[entry.gear], filename]
    row[15:24] = [f"{elapsed_s:.1f}", f"{moving_s:.1f}", f"{distance_m:.1f}", f"{rec.speed_m_s.max():.3f}",
                  f"{distance_m / max(moving_s, 1):.3f}", f"{up[-1]:.1f}", f"{down[-1]:.1f}",
                  "" if rec.altitude_m is None else f"{rec.altitude_m.min():.1f}",
                  "" if rec.altitude_m is None else f"{rec.altitude_m.max():.1f}"]
    row[30:32] = [f"{rec.heart_rate.max():.1f}", f"{rec.heart_rate.mean():.1f}"]
    row[34] = f"{calories_kcal(entry, distance_m):.0f}"
    return row


def csv_bytes(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([STRAVA_HEADER, *rows])
    return buffer.getvalue().encode()


# --- Assembly -----------------------------------------------------------------------------------------------
@dataclass
class Output:
    """One written file: where it went and what the tests and README need to know about it."""

    reference: str  # path relative to sample_logs/, or "strava_export.zip!activities/<id>.<ext>"
    in_zip: bool
    csv_row: list[str]
    truth: dict[str, Any]


def write_outputs(entry: Entry, index: int, output_dir: Path, zip_members: dict[str, bytes]) -> list[Output]:
    """Simulate one plan entry, record it once per output, write the files."""
    rng = np.random.default_rng([SEED, index])
    start_utc = (entry.start_local + timedelta(seconds=int(rng.integers(3, 58)))).astimezone(UTC)
    motion = simulate(entry, rng)
    day = (entry.start_local.date() - date(2026, 6, 29)).days
    outputs: list[Output] = []
    for number, output in enumerate(entry.outputs):
        where, _, extension = output.rpartition(":")
        kind = extension.split(".")[0]
        rec = record(motion, np.random.default_rng([SEED, index, number + 1]), SAMPLE_GAPS_S[kind],
                     "gps" if kind == "gpx" else "baro")
        if kind == "fit":
            data = fit_bytes(entry, rec, start_utc)
        elif kind == "gpx":
            data = gpx_bytes(entry, rec, start_utc, with_type=bool(where) or entry.surface != "road")
        else:
            data = tcx_bytes(entry, rec, start_utc)
        if extension.endswith(".gz"):
            data = gzip.compress(data, mtime=0)  # no file name, no time: the same bytes every run
        strava_id = 15_700_000_000 + day * 9_000_000 + index * 10 + number
        name = {"fit": f"garmin/{start_utc.astimezone(TZ):%Y-%m-%d-%H-%M-%S}.{extension}",
                "gpx": f"strava/{strava_id}.{extension}",
                "tcx": f"tcx/activity_{19_900_000_000 + day * 6_000_000 + index}.{extension}"}[kind]
        if where == "zip":
            name = f"activities/{strava_id}.{extension}"
            zip_members[name] = data
        else:
            (output_dir / name).parent.mkdir(parents=True, exist_ok=True)
            (output_dir / name).write_bytes(data)
        reference = f"{ZIP_NAME}!{name}" if where == "zip" else name
        local = start_utc.astimezone(TZ)
        sport, sub_sport = entry.sport
        truth = {"file": reference, "start_utc": iso_z(start_utc), "start_local": local.isoformat(),
                 "iso_week": f"{local.isocalendar().year}-W{local.isocalendar().week:02d}", "sport": sport,
                 "sub_sport": sub_sport, "surface": entry.surface, "kind": entry.kind, "name": entry.name,
                 **{key: round(value, 1) for key, value in motion.truth.items()},
                 "elapsed_s": int(rec.wall_s[-1]), "timer_s": int(rec.timer_s[-1]),
                 "shoe": GEAR[entry.gear] if entry.is_run else None,
                 "duplicate_of": outputs[0].reference if outputs else None}
        row = strava_row(entry, rec, strava_id, name, start_utc)
        outputs.append(Output(reference, where == "zip", row, truth))
    return outputs


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    output_dir = Path(argv[1])
    for folder in ("garmin", "strava", "tcx"):  # wipe what an earlier run generated, nothing else
        shutil.rmtree(output_dir / folder, ignore_errors=True)
    for name in (ZIP_NAME, "activities.csv", "truth.json", "README.md"):
        (output_dir / name).unlink(missing_ok=True)
    output_dir.mkdir(parents=True, exist_ok=True)
    zip_members: dict[str, bytes] = {}
    outputs = [out for index, entry in enumerate(parse_plan(PLAN))
               for out in write_outputs(entry, index, output_dir, zip_members)]
    zip_csv = csv_bytes([out.csv_row for out in outputs if out.in_zip])
    with zipfile.ZipFile(output_dir / ZIP_NAME, "w") as archive:
        for name, data in [("activities.csv", zip_csv), *zip_members.items()]:
            info = zipfile.ZipInfo(name, date_time=ZIP_DATE_TIME)
            info.compress_type, info.create_system, info.external_attr = zipfile.ZIP_DEFLATED, 3, 0o644 << 16
            archive.writestr(info, data)
    (output_dir / "activities.csv").write_bytes(csv_bytes([out.csv_row for out in outputs if not out.in_zip]))
    truths = [out.truth for out in outputs]
    (output_dir / "truth.json").write_text(json.dumps(truths, indent=1) + "\n")
    (output_dir / "README.md").write_text(readme(truths))
    return 0


def readme(truths: list[dict[str, Any]]) -> str:
    """sample_logs/README.md, computed from the same truth records as truth.json."""
    runs = [t for t in truths if t["sport"] == "running" and not t["duplicate_of"]]
    weeks = []
    for week in range(27, 47):
        week_runs = [t for t in runs if t["iso_week"] == f"2026-W{week}"]
        km = sum(t["distance_m"] for t in week_runs) / 1000
        trail_km = sum(t["distance_m"] for t in week_runs if t["surface"] == "trail") / 1000
        monday = date.fromisocalendar(2026, week, 1)
        longest_km = max(t["distance_m"] for t in week_runs) / 1000
        weeks.append(f"| W{week} | {monday:%b %d} - {monday + timedelta(days=6):%b %d} | {len(week_runs)} "
                     f"| {km:.1f} | {longest_km:.1f} | {trail_km / km:.0%} "
                     f"| {WEEK_NOTES.get(week, 'calm block: no rule should trigger')} |")
    shoes = []
    for shoe, start_km in SHOE_START_KM.items():
        total_km, passes = start_km, {500.0: "-", 800.0: "-"}
        for t in (t for t in runs if t["shoe"] == shoe):
            for limit in passes:
                if total_km < limit <= total_km + t["distance_m"] / 1000:
                    passes[limit] = t["start_local"][:10]
            total_km += t["distance_m"] / 1000
        shoes.append(f"| {shoe} | {start_km:.0f} | {total_km - start_km:.1f} | {total_km:.1f} "
                     f"| {passes[500.0]} | {passes[800.0]} |")
    duplicate = next(t for t in truths if t["duplicate_of"])
    night = next(t for t in truths if t["start_local"][11:13] == "23")
    table = [f"| {t['file']} | {t['start_local'][:16].replace('T', ' ')} | {t['sport']}/{t['sub_sport']} "
             f"| {t['distance_m'] / 1000:.2f} | {t['descent_m']:.0f} | {t['steep_downhill_distance_m']:.0f} "
             f"| {t['shoe'] or '-'} |" for t in truths]
    return README_TEMPLATE.format(
        weeks="\n".join(weeks), shoes="\n".join(shoes), table="\n".join(table), duplicate=duplicate["file"],
        primary=duplicate["duplicate_of"], night=night["file"], night_local=night["start_local"],
        night_utc=night["start_utc"], pegasus_km=SHOE_START_KM["Pegasus 40"])


README_TEMPLATE = """# sample_logs: 20 weeks of one simulated runner

Generated by `scripts/make_sample_logs.py`; do not edit by hand. Regenerate with `make samples` (it runs
`.venv/bin/python scripts/make_sample_logs.py sample_logs`). Every run writes identical bytes: seeded RNG,
fixed timestamps, gzip with mtime 0 and no file name, zip members with a fixed date.

## The runner and the devices
Home is 47.05 N, 8.30 E (Lucerne), time zone Europe/Zurich. The history runs from Monday 2026-06-29 (W27)
to Sunday 2026-11-15 (W46), so the end of daylight saving time (Sunday 2026-10-25) falls inside it. Road
loops start at the front door on rolling ground (true road grades stay within +-8.5 %); trail runs climb a
520 m hill 6.5 km to the south-west ("Pilatus"), with continuous descents of -10 % to -20 % for about 2 km
each. Heights come from one terrain function, so the same place always has the same height.
- Garmin Forerunner 955 (FIT, TCX): barometric altitude (terrain + 0.2 m noise + slow drift); the session's
  total_ascent/total_descent count it with a 2 m hysteresis. A record every 1-3 s (TCX 2-5 s). At traffic
  lights the timer stops (timer stop/start events, no records in between).
- Strava phone app (GPX): GPS altitude (terrain + about 4 m of correlated noise), a point every 2-4 s.
- Positions wander about 3 m (correlated). Distances carry up to 0.4 % of GPS or foot-pod error.

## Layout
- `garmin/*.fit`, `garmin/*.fit.gz`: watch files, named by local start time.
- `strava/<id>.gpx(.gz)`: phone recordings exported from Strava; road runs here have no `<type>`.
- `tcx/activity_<id>.tcx(.gz)`: Garmin Connect TCX exports (one Lap per km, ns3 RunCadence).
- `strava_export.zip`: a Strava bulk export (`activities.csv`, `activities/<id>.fit.gz|.gpx|.tcx.gz`)
  holding W27-W31; those activities exist only in the zip.
- `activities.csv`: Strava's header, one row per file outside the zip; `Activity Gear` names the shoe (or
  the bike), `Filename` is relative to this folder.
- `truth.json`: the true numbers per file (below).

## The plan, week by week
Runs counted by local start date, without the duplicate.

| ISO week | dates | runs | run km | longest km | trail share | meant to show |
|---|---|---|---|---|---|---|
{weeks}

## Shoes
The Pegasus 40 had {pegasus_km:.0f} km on it before W27: that is the starting distance for the config.

| shoe | km before W27 | km in these files | km at the end | passes 500 km on | passes 800 km on |
|---|---|---|---|---|---|
{shoes}

Rides carry the bike "Canyon Endurace" in Activity Gear: gear that is not a shoe.

## Special cases
- Duplicate: `{duplicate}` (phone GPX, GPS altitude) is the same run as `{primary}`
  (watch FIT): same time span, different device noise. Count it once. Both have a row in activities.csv.
- Week boundary and DST: `{night}` starts {night_local} ({night_utc}),
  Sunday of W43, after the clocks went back; it ends after midnight. It belongs to W43.
- The first run (Monday 2026-06-29, 12 km) is as long as the block's long runs, so the 30-day longest-run
  baseline exists from the start.
- Cross-training never counts as running: 6 rides (FIT `sport=cycling`, GPX `<type>cycling</type>`,
  Strava type Ride), a pool swim (`swimming/lap_swimming`, no GPS), a strength session
  (`training/strength_training`, no distance).
- Treadmill (`sub_sport=treadmill`): no positions, no altitude; distance and speed from the foot pod.
  Track (`sub_sport=track`): 20 laps of a flat 400 m oval in the Vaporfly.

## Truth (truth.json and the table below)
`distance_m` is the horizontal length of the route really covered. `ascent_m`/`descent_m` add up the rises
and falls of the true terrain sampled every metre. `downhill_m`/`steep_downhill_distance_m` are the metres of route
where the grade over a centred 50 m window is <= -5 % / <= -10 %. Device numbers differ by their noise.
Zip members are named `strava_export.zip!activities/<id>.<ext>`; `duplicate_of` names the primary file.

| file | local start | sport/sub_sport | km | descent m | steep descent m | shoe |
|---|---|---|---|---|---|---|
{table}
"""


if __name__ == "__main__":
    sys.exit(main(sys.argv))
