"""The ingest pipeline against the store: incremental, failure-tolerant, de-duplicating."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import stridewise.ingest as ingest_module
import stridewise.ingest.parse as parse_module
from builders import gpx, morning, straight_run, strava_csv, tcx
from stridewise.ingest import ingest
from stridewise.model import Activity
from stridewise.store import Store


def _write_week(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for day, km in ((1, 5.0), (3, 8.0), (5, 12.0)):
        path = folder / f"run-{day}.gpx"
        path.write_bytes(gpx(straight_run(morning(day), distance_m=km * 1000, pace_s_per_km=330)))
        paths.append(path)
    return paths


def test_first_ingest_stores_each_run_with_its_distance(tmp_path: Path, fresh_store: Store) -> None:
    _write_week(tmp_path / "logs")
    report = ingest([tmp_path / "logs"], fresh_store, jobs=1)
    assert (report.files_seen, report.files_parsed, report.activities_added, report.runs_added) == (3, 3, 3, 3)
    distances = [round(a.distance_m or 0) for a in fresh_store.activities()]
    assert distances == pytest.approx([5000, 8000, 12000], abs=5)
    assert [round(a.moving_time_s or 0) for a in fresh_store.activities()] == pytest.approx([1650, 2640, 3960],
                                                                                            abs=2)


def test_second_ingest_of_the_same_folder_parses_only_the_new_file(tmp_path: Path, fresh_store: Store,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    _write_week(tmp_path / "logs")
    ingest([tmp_path / "logs"], fresh_store, jobs=1)
    calls = tmp_path / "parsed.txt"  # written by the worker processes, which parse
    real_parse = parse_module.parse_bytes

    def spy(data: bytes, key: str) -> list[Activity]:
        with calls.open("a") as out:
            out.write(key + "\n")
        return real_parse(data, key)

    monkeypatch.setattr(parse_module, "parse_bytes", spy)
    (tmp_path / "logs" / "new.gpx").write_bytes(gpx(straight_run(morning(6), distance_m=3000, pace_s_per_km=330)))
    report = ingest([tmp_path / "logs"], fresh_store, jobs=1)
    assert (report.files_parsed, report.files_unchanged, report.activities_added) == (1, 3, 1)
    assert calls.read_text() == f"{tmp_path / 'logs' / 'new.gpx'}\n"
    assert len(fresh_store.activities()) == 4


def test_a_touched_but_identical_file_is_not_parsed_and_a_changed_one_replaces_its_activity(
        tmp_path: Path, fresh_store: Store) -> None:
    first, second, _ = _write_week(tmp_path / "logs")
    ingest([tmp_path / "logs"], fresh_store, jobs=1)
    os.utime(first, ns=(1_700_000_000_000_000_000, 1_700_000_000_000_000_000))
    second.write_bytes(gpx(straight_run(morning(3), distance_m=9000, pace_s_per_km=330)))
    report = ingest([tmp_path / "logs"], fresh_store, jobs=1)
    assert (report.files_parsed, report.files_unchanged) == (1, 2)
    assert sorted(round(a.distance_m or 0, -1) for a in fresh_store.activities()) == [5000, 9000, 12000]


def test_a_bad_file_is_recorded_and_never_stops_the_good_ones(tmp_path: Path, fresh_store: Store) -> None:
    _write_week(tmp_path / "logs")
    (tmp_path / "logs" / "broken.gpx").write_text("<gpx><trk><trkseg><trkpt lat=")
    (tmp_path / "logs" / "empty.fit").write_bytes(b"")
    report = ingest([tmp_path / "logs"], fresh_store, jobs=1)
    assert report.activities_added == 3
    assert sorted((Path(f.key).name, f.reason.split(" (")[0]) for f in report.failures) == [
        ("broken.gpx", "not well-formed XML"), ("empty.fit", "empty file")]
    again = ingest([tmp_path / "logs"], fresh_store, jobs=1)
    assert again.files_parsed == 0
    assert sorted((Path(f.key).name, f.unchanged) for f in again.failures) == [("broken.gpx", True),
                                                                              ("empty.fit", True)]


def test_parallel_parsing_stores_the_same_activities(tmp_path: Path) -> None:
    _write_week(tmp_path / "logs")
    results = []
    for jobs in (1, 2):
        with Store(tmp_path / f"jobs{jobs}.sqlite3") as store:
            ingest([tmp_path / "logs"], store, jobs=jobs)
            results.append([(Path(a.source).name, round(a.distance_m or 0, 3)) for a in store.activities()])
    assert results[0] == results[1] and len(results[0]) == 3


def test_the_same_run_exported_twice_is_counted_once_preferring_the_richer_file(tmp_path: Path,
                                                                                fresh_store: Store) -> None:
    points = straight_run(morning(7), distance_m=10_000, pace_s_per_km=300)
    (tmp_path / "strava").mkdir()
    (tmp_path / "strava" / "run.gpx").write_bytes(gpx(points))
    (tmp_path / "watch.tcx").write_bytes(tcx(points[5:]))  # the watch started a few seconds later
    report = ingest([tmp_path], fresh_store, jobs=1)
    assert report.duplicates == 1
    (kept,) = fresh_store.activities()
    assert kept.format == "tcx"
    everything = fresh_store.activities(include_duplicates=True)
    assert [(a.format, a.duplicate_of) for a in everything] == [("gpx", kept.id), ("tcx", None)]


def test_strava_csv_names_the_shoe_and_settles_the_sport_of_a_gpx_without_type(tmp_path: Path,
                                                                              fresh_store: Store) -> None:
    (tmp_path / "activities").mkdir()
    (tmp_path / "activities" / "1.gpx").write_bytes(
        gpx(straight_run(morning(9), distance_m=6000, pace_s_per_km=560), sport=None))  # 9:20 min/km
    (tmp_path / "activities.csv").write_text(strava_csv([("Trail climb", "Trail Run", "Speedgoat 5",
                                                          "activities/1.gpx")]))
    ingest([tmp_path], fresh_store, jobs=1)
    (activity,) = fresh_store.activities()
    assert (activity.sport, activity.name, activity.gear) == ("running", "Trail climb", "Speedgoat 5")
    assert activity.sport_source == "Strava activity type 'Trail Run'"


def test_a_parser_upgrade_reparses_and_a_metrics_upgrade_recomputes(tmp_path: Path, fresh_store: Store,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    _write_week(tmp_path / "logs")
    ingest([tmp_path / "logs"], fresh_store, jobs=1)
    monkeypatch.setattr(ingest_module, "PARSER_VERSION", ingest_module.PARSER_VERSION + 1)
    assert ingest([tmp_path / "logs"], fresh_store, jobs=1).files_parsed == 3
    import stridewise.metrics as metrics_module
    monkeypatch.setattr(metrics_module, "METRICS_VERSION", metrics_module.METRICS_VERSION + 1)
    report = ingest([tmp_path / "logs"], fresh_store, jobs=1)
    assert (report.files_parsed, report.metrics_recomputed) == (0, 3)
