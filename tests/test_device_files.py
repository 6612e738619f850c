"""Real device files kept in tests/data/devices: the parsers agree with what the devices themselves recorded.

Expected values are the devices' own totals (FIT session messages, read with fitparse; TCX lap totals) and a hand
computation for GPX (haversine over the file's points), so these tests run in a clean clone without ../shared.
"""

from __future__ import annotations

import itertools
import math
import re
from datetime import UTC, datetime

import pytest

from conftest import TESTS_DATA
from stridewise.config import ElevationSettings
from stridewise.metrics import compute_metrics
from stridewise.model import Activity
from stridewise.parsers import parse_bytes

DEVICES = TESTS_DATA / "devices"
EARTH_RADIUS_M = 6_371_008.8  # IUGG mean radius
# A FIT or TCX file carries the device's own distance total; stored distance agrees within 1% (the bar).
DEVICE_DISTANCE_TOLERANCE = 0.01

# file -> (sport, counts as a run, session start UTC, device total distance m, device total descent m or None)
# from each file's session message (FIT) or lap totals (TCX).
DEVICE_TOTALS = {
    "fitparse__garmin-fenix-5-run.fit": ("running", True, datetime(2017, 6, 11, 14, 34, 9, tzinfo=UTC), 157.56),
    "fitparse__2013-02-06-12-11-14.fit": ("running", True, datetime(2013, 2, 6, 12, 11, 14, tzinfo=UTC), 4835.38),
    "fitparse__activity-small-fenix2-run.fit": ("running", True, datetime(2015, 8, 15, 14, 45, 8, tzinfo=UTC),
                                                9008.22),
    "fitparse__elemnt-bolt-no-application-id-inside-developer-data-id.fit": (
        "cycling", False, datetime(2017, 8, 21, 8, 18, tzinfo=UTC), 963.65),
    "fitparserjs__snorkeling-unknown-sport.fit": ("snorkeling", False, datetime(2025, 8, 27, 7, 52, 2, tzinfo=UTC),
                                                  75.0),
    "gofit__0134902991.fit": ("cycling", False, datetime(2021, 3, 4, 12, 4, 26, tzinfo=UTC), 7123.39),
    "togeojson__sample.tcx": ("running", True, datetime(2007, 8, 7, 2, 42, 41, tzinfo=UTC), 8348.5039063),
}


def _read(name: str) -> list[Activity]:
    return parse_bytes((DEVICES / name).read_bytes(), name)


@pytest.mark.parametrize("name", sorted(DEVICE_TOTALS))
def test_sport_start_and_distance_agree_with_the_device(name: str) -> None:
    sport, is_run, start_utc, distance_m = DEVICE_TOTALS[name]
    (activity,) = _read(name)
    assert (activity.sport, activity.is_run) == (sport, is_run)
    # The session's start_time; the first record may come up to a second later (the Onelap's does).
    assert abs((activity.start_utc - start_utc).total_seconds()) <= 1
    metrics = compute_metrics(activity.stream, device_distance_m=activity.device_distance_m,
                              altitude_source=activity.altitude_source, sub_sport=activity.sub_sport,
                              settings=ElevationSettings())
    assert metrics.summary.distance_m == pytest.approx(distance_m, rel=DEVICE_DISTANCE_TOLERANCE)


def test_a_fenix2_barometric_descent_is_near_the_devices_own_total() -> None:
    # The fenix 2's session says 61 m of descent (64 m of ascent); its altitude is barometric. 15% is the tolerance
    # the real-file sweep (test_elevation.py) holds barometric sessions to.
    (activity,) = _read("fitparse__activity-small-fenix2-run.fit")
    assert activity.altitude_source == "barometric"
    metrics = compute_metrics(activity.stream, device_distance_m=activity.device_distance_m,
                              altitude_source=activity.altitude_source, sub_sport=activity.sub_sport,
                              settings=ElevationSettings())
    assert metrics.elevation.descent_m == pytest.approx(61, rel=0.15)


def test_a_forerunner_70_without_a_utc_clock_is_read_with_a_warning() -> None:
    # 755 records, 10,248.67 m in the session; the watch wrote only relative times and a local clock.
    (activity,) = _read("fitparse__compressed-speed-distance.fit")
    assert len(activity.stream) == 755
    assert activity.device_distance_m == pytest.approx(10248.67)
    assert activity.warnings == ["device recorded relative times and only a local clock; times are local, not UTC"]


def _haversine_m(points: list[tuple[float, float]]) -> float:
    total = 0.0
    for (lat1, lon1), (lat2, lon2) in itertools.pairwise(points):
        p1, p2 = math.radians(lat1), math.radians(lat2)
        h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
        total += 2 * EARTH_RADIUS_M * math.asin(math.sqrt(h))
    return total


def test_a_strava_gpx_run_measures_what_its_points_say() -> None:
    name = "togeojson__run_gpxtpx.gpx"
    text = (DEVICES / name).read_text(encoding="utf-8")
    points = [(float(lat), float(lon)) for lat, lon in re.findall(r'<trkpt lat="([^"]+)" lon="([^"]+)"', text)]
    assert len(points) == 42
    (activity,) = _read(name)
    assert (activity.sport, activity.is_run, len(activity.stream)) == ("running", True, 42)
    metrics = compute_metrics(activity.stream, device_distance_m=None, altitude_source=activity.altitude_source,
                              sub_sport=None, settings=ElevationSettings())
    # Dense tracks are smoothed before measuring (model.POSITION_SMOOTHING_POINTS), which can only shorten a
    # zig-zag: the distance lies between 97% and 100% of the raw haversine sum.
    raw = _haversine_m(points)
    assert 0.97 * raw <= metrics.summary.distance_m <= raw


def test_non_runs_are_read_and_set_aside() -> None:
    (walk,) = _read("togeojson__apple_watch_route.gpx")
    (indoor,) = _read("gofit__unterminated-strings.fit")
    (ride,) = _read("saf__dead_end.tcx")
    assert [(a.sport, a.is_run) for a in (walk, indoor, ride)] == [("walking", False), ("cycling", False),
                                                                    ("cycling", False)]
    # The Edge 500 lap says 28,529.73 m; all its 48 points carry one time, so the lap total is the distance.
    assert ride.device_distance_m == pytest.approx(28529.727, abs=0.01)
