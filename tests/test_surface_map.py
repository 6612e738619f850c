"""Surface from the map on a tiny synthetic extract written by the test (runs in a clean clone)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

import stridewise.store.maps as maps_module
import stridewise.surface.osmread as osmread
from builders import gpx
from osm_runs import (
    LAT0,
    LON0,
    M_PER_DEG,
    M_PER_DEG_LON,
    NODES,
    WAYS,
    as_points,
    densify,
    polyline_length_m,
    with_gps_noise,
    write_osm,
)
from osm_runs import (
    line as _line,
)
from stridewise.errors import InputError
from stridewise.ingest import ingest
from stridewise.store import Store
from stridewise.surface import import_map, match_runs, remove_map, surface_class
from stridewise.surface.match import match_track, search_boxes


@pytest.fixture
def extract(tmp_path: Path) -> Path:
    return write_osm(tmp_path / "tiny.osm", NODES, WAYS)


def _mix(store: Store, track: np.ndarray) -> dict[str, float]:
    metres = match_track(track[:, 0], track[:, 1], store.map_segments_near(search_boxes(track[:, 0], track[:, 1])))
    assert metres is not None
    total = sum(metres.values())
    return {name: value / total for name, value in metres.items()}


@pytest.mark.parametrize(("tags", "expected"), [
    ({"highway": "footway", "surface": "asphalt"}, "road"),
    ({"highway": "path", "surface": "fine_gravel"}, "unpaved"),
    ({"highway": "residential", "surface": "ground"}, "trail"),
    ({"highway": "track", "tracktype": "grade1"}, "road"),
    ({"highway": "track", "tracktype": "grade4"}, "trail"),
    ({"highway": "track"}, "unpaved"),
    ({"highway": "tertiary"}, "road"),
    ({"highway": "path"}, "trail"),
    ({"highway": "footway"}, "unknown"),
    ({"highway": "footway", "smoothness": "very_bad"}, "unpaved"),
    ({"highway": "cycleway", "surface": "asphalt;gravel"}, "road"),
    ({"leisure": "track"}, "track"),
    ({"leisure": "track", "sport": "running", "surface": "asphalt"}, "track"),
    ({"highway": "service", "surface": "tartan"}, "track"),
    ({"highway": "service", "surface": "glass"}, "road"),
])
def test_tags_give_the_documented_class(tags: dict[str, str], expected: str) -> None:
    assert surface_class(tags) == expected


def test_import_keeps_runnable_ways_and_a_second_import_replaces_them(extract: Path, fresh_store: Store) -> None:
    first = import_map(fresh_store, extract)
    # Ways 101-105; the construction site 106 is not runnable. 6 + 6 + 1 + 1 + 1 segments.
    assert (first.ways_seen, first.ways_kept, first.segments) == (5, 5, 15)
    second = import_map(fresh_store, extract)
    assert second.replaced_segments == 15
    [listed] = fresh_store.map_imports()
    assert (listed.id, listed.ways, listed.segments) == (second.import_id, 5, 15)
    everything = fresh_store.map_segments_near([(46.9, 8.2, 47.1, 8.4)])
    assert sorted(set(everything.way_id.tolist())) == [101, 102, 103, 104, 105]


def test_a_run_on_the_path_beside_the_road_counts_on_the_path(extract: Path, fresh_store: Store) -> None:
    import_map(fresh_store, extract)
    path = with_gps_noise(densify(_line((12, 0), (12, 600), (12, 0)), 3.0), seed=1)
    road = with_gps_noise(densify(_line((0, 0), (0, 600), (0, 0)), 3.0), seed=2)
    assert _mix(fresh_store, path)["unpaved"] >= 0.9
    assert _mix(fresh_store, road)["road"] >= 0.9


def test_a_lap_of_the_track_and_a_run_off_the_map(extract: Path, fresh_store: Store) -> None:
    import_map(fresh_store, extract)
    track = with_gps_noise(densify(_line((-300, 0), (-300, 100), (-300, 0)), 3.0), seed=3)
    assert _mix(fresh_store, track)["track"] >= 0.9
    far = with_gps_noise(densify(_line((3000, 0), (3000, 800)), 3.0), seed=4)
    assert _mix(fresh_store, far)["unknown"] == 1.0


def test_a_run_leaving_the_map_halfway_is_half_unknown(extract: Path, fresh_store: Store) -> None:
    import_map(fresh_store, extract)
    # 600 m along the road, then 600 m due south across open land (no way within 30 m after the first ~30 m).
    line = _line((0, 0), (0, 600), (-600, 600))
    mix = _mix(fresh_store, with_gps_noise(densify(line, 3.0), seed=5))
    assert mix["road"] == pytest.approx(0.5, abs=0.05)
    assert mix["unknown"] == pytest.approx(0.5, abs=0.05)


def _write_runs(folder: Path) -> Path:
    folder.mkdir()
    runs = {"path.gpx": _line((12, 0), (12, 600), (12, 0)), "road.gpx": _line((0, 0), (0, 600)),
            "far.gpx": _line((3000, 0), (3000, 800))}
    for day, (name, line) in enumerate(runs.items()):
        points = as_points(with_gps_noise(densify(line, 3.0), seed=day))
        points = [(t.replace(day=4 + day), lat, lon, d) for t, lat, lon, d in points]
        (folder / name).write_bytes(gpx(points))
    return folder


def _stored_mixes(store: Store) -> dict[str, dict[str, float] | None]:
    return {Path(r.source).name: r.surface_mix for r in store.activities()}


def test_both_orders_give_the_same_mixes(extract: Path, tmp_path: Path) -> None:
    runs = _write_runs(tmp_path / "runs")
    with Store(tmp_path / "ingest-first.sqlite3") as store:
        ingest([runs], store, jobs=1)
        assert all(mix is None for mix in _stored_mixes(store).values())
        assert import_map(store, extract).runs_matched == 3
        first = _stored_mixes(store)
    with Store(tmp_path / "map-first.sqlite3") as store:
        import_map(store, extract)
        assert ingest([runs], store, jobs=1).surfaces_matched == 3
        second = _stored_mixes(store)
    assert first == second
    path = first["path.gpx"]
    assert path is not None
    assert path["unpaved"] / sum(path.values()) >= 0.9
    far = first["far.gpx"]
    assert far is not None
    assert far["unknown"] == sum(far.values())


def test_removing_the_map_forgets_the_mixes(extract: Path, tmp_path: Path, fresh_store: Store) -> None:
    ingest([_write_runs(tmp_path / "runs")], fresh_store, jobs=1)
    report = import_map(fresh_store, extract)
    assert remove_map(fresh_store, report.import_id) == 0
    assert fresh_store.map_imports() == []
    assert all(mix is None for mix in _stored_mixes(fresh_store).values())
    with pytest.raises(InputError, match="no such import"):
        remove_map(fresh_store, report.import_id)


def test_a_big_extract_keeps_only_the_area_around_the_runs(extract: Path, tmp_path: Path, fresh_store: Store,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    # Batches of a few segments: some hold only ways far from the runs, and the area filter empties them.
    monkeypatch.setattr(osmread, "BATCH_SEGMENTS", 4)
    # The same tiny map, plus a second copy 50 km north: with the area limit only the first is kept.
    shifted = {node + 1000: (lat + 50_000 / M_PER_DEG, lon) for node, (lat, lon) in NODES.items()}
    ways = WAYS + [(way + 1000, [n + 1000 for n in refs], tags) for way, refs, tags in WAYS]
    two = write_osm(tmp_path / "two.osm", {**NODES, **shifted}, ways)
    ingest([_write_runs(tmp_path / "runs")], fresh_store, jobs=1)
    report = import_map(fresh_store, two, whole=False)
    assert report.limited_to_runs
    assert (report.ways_seen, report.ways_kept, report.segments) == (10, 5, 15)
    assert sorted(set(fresh_store.map_segments_near([(40.0, 0.0, 50.0, 10.0)]).way_id.tolist())) == [
        101, 102, 103, 104, 105]


def test_a_limited_import_needs_stored_runs(extract: Path, fresh_store: Store) -> None:
    with pytest.raises(InputError, match="no run with GPS is stored yet to import the area around"):
        import_map(fresh_store, extract, whole=False)
    assert fresh_store.map_imports() == []


def test_the_grid_index_answers_like_the_rtree(extract: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    box = (LAT0 - 0.0001, LON0 + 150 / M_PER_DEG_LON, LAT0 + 0.0002, LON0 + 250 / M_PER_DEG_LON)
    found = {}
    for name, rtree in (("rtree", True), ("grid", False)):
        monkeypatch.setattr(maps_module, "has_rtree", lambda conn, rtree=rtree: rtree)
        with Store(tmp_path / f"{name}.sqlite3") as store:
            import_map(store, extract)
            import_map(store, extract)
            found[name] = sorted(store.map_segments_near([box]).way_id.tolist())
    # The road's and the path's segments from 100 to 200 m and from 200 to 300 m.
    assert found["rtree"] == found["grid"] == [101, 101, 102, 102]


def test_a_file_that_is_not_osm_is_one_clear_error(tmp_path: Path, fresh_store: Store) -> None:
    bad = tmp_path / "not-a-map.osm.pbf"
    bad.write_bytes(b"\x00\x00\x00\x0dthis is not a pbf")
    with pytest.raises(InputError, match="not a readable OpenStreetMap file"):
        import_map(fresh_store, bad)
    assert fresh_store.map_imports() == []
    with pytest.raises(InputError, match="no such file"):
        import_map(fresh_store, tmp_path / "missing.osm.pbf")


def test_matching_needs_two_positions() -> None:
    empty = maps_module.MapSegments(*(np.zeros(0) for _ in range(8)))
    assert match_track(np.array([LAT0]), np.array([LON0]), empty) is None
    assert polyline_length_m(_line((0, 0), (0, 600))) == pytest.approx(600, abs=0.01)


def test_runs_are_not_matched_while_no_map_is_imported(tmp_path: Path, fresh_store: Store) -> None:
    ingest([_write_runs(tmp_path / "runs")], fresh_store, jobs=1)
    assert match_runs(fresh_store) == 0


def test_a_store_of_schema_1_gains_the_map_tables(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.executescript("DROP TABLE map_segments; DROP TABLE map_imports; DROP TABLE map_rtree; DROP TABLE surface_mix;"
                       "UPDATE meta SET value = '1' WHERE key = 'schema_version';")
    conn.close()
    with Store(path) as store:
        assert store.map_imports() == []
        assert store.activities() == []
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("3",)  # 3: verdicts
    conn.close()


def test_a_treadmill_run_gets_no_map_surface(extract: Path, tmp_path: Path, fresh_store: Store) -> None:
    folder = tmp_path / "runs"
    folder.mkdir()
    # A watch on a treadmill can still log (drifting) GPS positions; here they lie on the gravel path.
    points = as_points(with_gps_noise(densify(_line((12, 0), (12, 600)), 3.0), seed=1))
    (folder / "treadmill.gpx").write_bytes(gpx(points, sport="treadmill_running"))
    ingest([folder], fresh_store, jobs=1)
    import_map(fresh_store, extract)
    [record] = fresh_store.activities()
    assert (record.sub_sport, record.surface_mix) == ("treadmill", None)
