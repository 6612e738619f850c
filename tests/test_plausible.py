"""The plausibility gate: impossible points are dropped, impossible activities are stored but not counted.

Expected numbers come from the generator (a run due north at a known pace) and from the world-record table.
"""

from __future__ import annotations

import json
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from builders import M_PER_DEG_LAT, gpx, morning, straight_run, tcx
from conftest import cli_runner
from stridewise import columns as col
from stridewise.cli import app
from stridewise.ingest import ingest
from stridewise.model import Activity
from stridewise.parsers import parse_bytes
from stridewise.plausible import (
    ON_FOOT_MAX_SPEED_M_S,
    WORLD_RECORDS_M_S,
    _glitches,
    drop_impossible_points,
    not_counted_because,
    record_time_s,
)
from stridewise.store import Store
from stridewise.store.duplicates import overlap_reason

runner = cli_runner()
NOW = datetime(2026, 11, 27, tzinfo=UTC)


def _run(km: float = 5.0, pace_s_per_km: float = 330.0, *, sport: str = "running") -> Activity:
    data = gpx(straight_run(morning(1), distance_m=km * 1000, pace_s_per_km=pace_s_per_km), sport=sport)
    (activity,) = parse_bytes(data, "run.gpx")
    return activity


def _distance_km(activity: Activity) -> float:
    lat = activity.stream[col.LAT].to_numpy()
    return float((lat.max() - lat.min()) * M_PER_DEG_LAT / 1000)


# --- points --------------------------------------------------------------------------------------------------
def test_one_point_at_lon_91_is_dropped_with_a_warning() -> None:
    activity = _run()
    activity.stream.loc[600, col.LON] = 91.0  # the file: one point at lon 91 made a 27,523 km run
    cleaned = drop_impossible_points(activity)
    assert len(cleaned.stream) == len(activity.stream) - 1
    assert 91.0 not in cleaned.stream[col.LON].to_numpy()
    assert cleaned.warnings == [f"dropped 1 of {len(activity.stream)} points implying an impossible speed for "
                                "running (over 12.5 m/s) or an impossible position"]


def test_a_position_outside_the_globe_is_dropped() -> None:
    activity = _run()
    activity.stream.loc[10, col.LAT] = 123.0
    assert len(drop_impossible_points(activity).stream) == len(activity.stream) - 1


def test_a_flipped_bit_in_the_distance_counter_is_dropped() -> None:
    activity = _run()
    distance = activity.stream[col.TIME].sub(activity.stream[col.TIME].iloc[0]).dt.total_seconds() * 1000 / 330
    activity.stream[col.DISTANCE_M] = distance
    activity.stream.loc[900, col.DISTANCE_M] += 2.0**30 / 100  # bit 30 of a FIT distance in cm
    cleaned = drop_impossible_points(activity)
    assert len(cleaned.stream) == len(activity.stream) - 1
    assert cleaned.stream[col.DISTANCE_M].max() == pytest.approx(5000, abs=1)


def test_a_glitch_of_three_points_and_one_at_the_start_are_dropped() -> None:
    activity = _run()
    activity.stream.loc[0, col.LAT] = 0.0  # a cold-start fix at (0, 8.3)
    activity.stream.loc[300:302, col.LAT] += 1.0  # three fixes 111 km north
    cleaned = drop_impossible_points(activity)
    assert len(cleaned.stream) == len(activity.stream) - 4
    assert _distance_km(cleaned) == pytest.approx(5.0, abs=0.01)
    assert cleaned.start_utc == morning(1) + timedelta(seconds=1)


def test_a_clean_run_and_a_fast_ride_are_left_alone() -> None:
    run = _run()
    assert drop_impossible_points(run) is run
    ride = _run(km=40, pace_s_per_km=1000 / 15, sport="cycling")  # 15 m/s = 54 km/h: fast, possible on a bike
    assert drop_impossible_points(ride) is ride


def test_the_same_speed_is_a_glitch_on_foot_and_possible_on_a_bike() -> None:
    for sport, dropped in (("running", 1), ("cycling", 0)):
        activity = _run(sport=sport)
        activity.stream.loc[500, col.LAT] += 130 / M_PER_DEG_LAT  # 130 m ahead for one second: 130 m/s...
        # ...less 100 m of slack and 12.5 m/s on foot is too fast; 40 m/s on a bike plus slack is not.
        assert len(activity.stream) - len(drop_impossible_points(activity).stream) == dropped


# --- whole activities ----------------------------------------------------------------------------------------
def test_record_times_are_the_table_at_its_distances_and_log_log_between() -> None:
    for distance_m, seconds in WORLD_RECORDS_M_S:
        assert record_time_s(distance_m) == pytest.approx(seconds)
    # Between 5000 m (755.36 s) and 10000 m (1571.00 s), geometric mean of distances -> geometric mean of times.
    assert record_time_s(math.sqrt(5000 * 10000)) == pytest.approx(math.sqrt(755.36 * 1571.00))
    assert record_time_s(50) == pytest.approx(50 / 12.5)  # below 100 m: peak sprint speed


def _verdict(**values: object) -> str | None:
    args: dict[str, object] = {"sport": "running", "start_utc": datetime(2026, 7, 1, tzinfo=UTC),
                               "distance_m": 10_000.0, "duration_s": 3000.0, "moving_time_s": 2900.0, "now": NOW}
    args.update(values)
    return not_counted_because(**args)  # type: ignore[arg-type]


@pytest.mark.parametrize(("values", "reason"), [
    ({}, None),
    ({"distance_m": math.inf}, "distance is not a finite number (inf)"),
    ({"distance_m": math.nan}, "distance is not a finite number (nan)"),
    ({"distance_m": -99999.0}, "negative distance (-99999)"),
    ({"duration_s": -5.0}, "negative duration (-5)"),
    ({"start_utc": datetime(1989, 12, 31, tzinfo=UTC)}, "starts 1989-12-31, before 1990 (before consumer GPS "
                                                        "devices)"),
    ({"start_utc": datetime(2026, 11, 29, tzinfo=UTC)}, "starts 2026-11-29, in the future"),
    ({"start_utc": datetime(2026, 11, 27, 23, tzinfo=UTC)}, None),  # within a day: a clock a little ahead
    # 1,349 km at the 24-hour record's pace (319,614 m / 86,400 s = 3.70 m/s) takes 364,669.9 s = 101:17:50
    ({"distance_m": 1_349_000.0, "duration_s": 2220.0},
     "1349.00 km in 0:37:00 is faster than the 24-hour world record's pace (3.70 m/s) allows (101:17:50)"),
    # a 48-hour race: 400 km needs 108,130 s (30:02:10) at that pace; 48 h is well within it
    ({"distance_m": 400_000.0, "duration_s": 172_800.0, "moving_time_s": 165_600.0}, None),
    ({"distance_m": 200_000.0, "duration_s": 200_000.0, "moving_time_s": 90_000.0}, None),  # a 25-h ultra counts
    ({"distance_m": 42_195.0, "duration_s": 6600.0},  # 1:50:00 < 95% of 2:00:35 (1:54:33)
     "42.20 km in 1:50:00 is faster than the world record over that distance (2:00:35)"),
    ({"distance_m": 42_195.0, "duration_s": 6960.0}, None),  # 1:56:00: within the 5% GPS margin
    ({"distance_m": 200_000.0, "duration_s": 700_000.0, "moving_time_s": 612_000.0},
     "a run moving for 170.0 h (more than 168 h)"),
    ({"sport": "cycling", "distance_m": 180_000.0, "duration_s": 4.0},
     "180.00 km in 0:00:04 (45000.0 m/s) is faster than 40 m/s for cycling"),
    ({"sport": "cycling", "distance_m": 180_000.0, "duration_s": 4.0, "device_duration_s": 18930.35}, None),
])
def test_implausible_totals_give_one_line_reasons(values: dict[str, object], reason: str | None) -> None:
    assert _verdict(**values) == reason


# --- through ingest, the store and the CLI ---------------------------------------------------------------------
def _tcx_with_lap_distance(points: list[tuple[datetime, float, float, float]], lap_distance: str) -> bytes:
    data = tcx(points).decode()
    lap = f"<DistanceMeters>{points[-1][3]:.2f}</DistanceMeters><Track>"
    return data.replace(lap, f"<DistanceMeters>{lap_distance}</DistanceMeters><Track>").encode()


def _strict(text: str) -> object:
    def refuse(constant: str) -> object:
        raise ValueError(f"not JSON: {constant}")
    return json.loads(text, parse_constant=refuse)


def test_an_infinite_distance_is_stored_listed_and_not_counted(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    points = straight_run(morning(2), distance_m=8000, pace_s_per_km=330, interval_s=5)
    points = [(t, lat, lon, 0.0) for t, lat, lon, _ in points]  # records without distance: the lap total counts
    (logs / "broken.tcx").write_bytes(_tcx_with_lap_distance(points, "1e400"))
    (logs / "fine.gpx").write_bytes(gpx(straight_run(morning(4), distance_m=5000, pace_s_per_km=330)))
    db = tmp_path / "s.sqlite3"
    result = runner.invoke(app, ["activities", str(logs), "--db", str(db), "--json"])
    assert result.exit_code == 0, result.stderr
    rows = _strict(result.stdout)
    assert isinstance(rows, list)
    assert [(r["source"].rsplit("/", 1)[-1], r["counted"], r["not_counted_because"], r["distance_m"])
            for r in rows] == [("broken.tcx", False, "distance is not a finite number (inf)", None),
                               ("fine.gpx", True, None, pytest.approx(5000, abs=5))]
    check = runner.invoke(app, ["check", "--db", str(db), "--week", "2026-W27", "--json"])
    assert check.exit_code == 0, check.stderr
    report = _strict(check.stdout)
    assert isinstance(report, dict)
    assert [(item["sport"], item["reason"]) for item in report["not_counted"]] == [
        ("running", "distance is not a finite number (inf)")]
    assert report["notes"][:2] == ["1 stored activity of this week is not counted:",
                                   "- Thu 02 Jul 06:00 running (broken.tcx): distance is not a finite number (inf)"]
    text = runner.invoke(app, ["check", "--db", str(db), "--week", "2026-W27"])
    assert "1 stored activity of this week is not counted:" in text.stdout.splitlines()


def test_an_implausible_copy_does_not_hide_the_real_run(tmp_path: Path, fresh_store: Store) -> None:
    """The TCX is richer than the GPX, so it would win as the copy that counts; implausible, it must not."""
    logs = tmp_path / "logs"
    logs.mkdir()
    points = straight_run(morning(6), distance_m=6000, pace_s_per_km=330)
    (logs / "watch.tcx").write_bytes(_tcx_with_lap_distance([(t, a, o, 0.0) for t, a, o, _ in points], "1e400"))
    (logs / "phone.gpx").write_bytes(gpx(points))
    report = ingest([logs], fresh_store, jobs=1)
    assert report.duplicates == 0
    stored = {Path(r.source).name: r for r in fresh_store.activities(include_duplicates=True)}
    assert (stored["phone.gpx"].counted, stored["phone.gpx"].duplicate_of) == (True, None)
    assert (stored["watch.tcx"].counted, stored["watch.tcx"].not_counted_because) == (
        False, "distance is not a finite number (inf)")


def test_a_duplicate_is_not_counted_because_it_duplicates_another(tmp_path: Path, fresh_store: Store) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    points = straight_run(morning(6), distance_m=6000, pace_s_per_km=330)
    (logs / "watch.tcx").write_bytes(tcx(points))
    (logs / "phone.gpx").write_bytes(gpx(points))
    ingest([logs], fresh_store, jobs=1)
    stored = {Path(r.source).name: r for r in fresh_store.activities(include_duplicates=True)}
    keep = stored["watch.tcx"].id
    assert (stored["phone.gpx"].counted, stored["phone.gpx"].not_counted_because) == (
        False, overlap_reason(keep))


def test_a_dropped_glitch_reaches_the_ingest_warnings_and_the_stored_distance(tmp_path: Path,
                                                                               fresh_store: Store) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    points = straight_run(morning(8), distance_m=5000, pace_s_per_km=330)
    points[700] = (points[700][0], points[700][1], 91.0, points[700][3])
    (logs / "glitch.gpx").write_bytes(gpx(points))
    report = ingest([logs], fresh_store, jobs=1)
    assert report.warnings == [(str(logs / "glitch.gpx"), f"dropped 1 of {len(points)} points implying an "
                                "impossible speed for running (over 12.5 m/s) or an impossible position")]
    (record,) = fresh_store.activities()
    assert record.counted
    assert record.distance_m == pytest.approx(5000, rel=0.005)


def test_activities_table_lists_a_not_counted_run_with_its_reason(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    points = straight_run(morning(2), distance_m=8000, pace_s_per_km=330, interval_s=5)
    (logs / "broken.tcx").write_bytes(_tcx_with_lap_distance([(t, a, o, 0.0) for t, a, o, _ in points], "1e400"))
    result = runner.invoke(app, ["activities", str(logs), "--db", str(tmp_path / "s.sqlite3")])
    assert result.exit_code == 0, result.stderr
    (line,) = result.stdout.splitlines()
    assert "       - km" in line and line.endswith("(not counted: distance is not a finite number (inf))")


def test_a_stream_time_column_survives_the_gate() -> None:
    activity = _run()
    activity.stream.loc[5, col.LON] = 91.0
    cleaned = drop_impossible_points(activity)
    assert isinstance(cleaned.stream[col.TIME].dtype, pd.DatetimeTZDtype)
    assert cleaned.stream.index.tolist() == list(range(len(cleaned.stream)))


@given(st.lists(st.tuples(st.sampled_from([0.0, 1.0, 1.0, 2.0, 5.0, math.nan]),  # seconds to the next point
                          st.floats(-40.0, 40.0),  # metres moved along the track
                          st.booleans()),  # a glitch: the point jumps kilometres away
                min_size=2, max_size=120),
       st.sampled_from([ON_FOOT_MAX_SPEED_M_S, 35.0]))
@settings(max_examples=300, deadline=None)
def test_skipping_sure_stretches_drops_exactly_what_the_point_by_point_test_drops(
        points: list[tuple[float, float, bool]], limit_m_s: float) -> None:
    seconds = np.cumsum([0.0, *(p[0] for p in points[:-1])])
    along_m = np.cumsum([p[1] for p in points]) + np.array([4_000.0 if p[2] else 0.0 for p in points])
    indices = np.arange(len(points))

    def step(i: int, j: int) -> float:
        return abs(along_m[j] - along_m[i])

    vectorised = np.abs(np.diff(along_m))
    never_sure = np.full(len(points) - 1, np.inf)  # every step decided by the exact test, point by point
    assert (_glitches(indices, seconds, step, limit_m_s, vectorised)
            == _glitches(indices, seconds, step, limit_m_s, never_sure))
