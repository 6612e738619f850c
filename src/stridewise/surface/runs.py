"""Import an extract into the store and match the stored runs on it (both orders give the same mixes).

``import_map`` reads the extract (only the area around the stored runs when it is big), replaces the ways of the
same area, then re-matches every run whose track lies in that area. ``match_runs`` matches the runs not yet
matched (ingest calls it for new files). A run with no way near gets a mix of zeros: nothing is known.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np

from stridewise import columns as col
from stridewise.errors import InputError
from stridewise.store import Store
from stridewise.surface.area import DEFAULT_MARGIN_M, Area
from stridewise.surface.match import CANDIDATE_RADIUS_M, match_track, search_boxes
from stridewise.surface.osmread import ReadCounts, extract_bounds, read_segments

# Bumped whenever matching changes: stored mixes of an older version are matched again.
MATCH_VERSION: Final = 1
# Extracts smaller than this are imported whole (a city or a small region: seconds, a few MB in the store);
# bigger ones only around the stored runs, so a country extract stays cheap.
WHOLE_EXTRACT_BYTES: Final = 64 * 1024 * 1024
# Runs the map says nothing about: indoor runs (sub-sport or the runner's own activity type).
INDOOR_SUB_SPORTS: Final = frozenset({"treadmill", "indoor_running", "virtual_activity"})
INDOOR_TYPES: Final = frozenset({"virtual run", "virtualrun", "treadmill", "indoor run"})


@dataclass(frozen=True)
class MapImportReport:
    import_id: int
    name: str
    ways_seen: int  # runnable ways in the extract
    ways_kept: int
    segments: int
    replaced_segments: int  # from earlier imports of the same area
    limited_to_runs: bool  # only the area around stored runs was kept
    runs_matched: int


def import_map(store: Store, path: Path, *, margin_m: float = DEFAULT_MARGIN_M, whole: bool | None = None,
               progress: Callable[[ReadCounts], None] | None = None) -> MapImportReport:
    """Import ``path`` into the store and match the stored runs inside it. ``whole``: None decides by size."""
    bounds = extract_bounds(path)
    if whole is None:
        whole = path.stat().st_size < WHOLE_EXTRACT_BYTES
    area = None if whole else Area.around(_tracks(store), margin_m)
    if area is not None and area.cells.size == 0:
        raise InputError(str(path), "no run with GPS is stored yet to import the area around: ingest your runs "
                                    "first, or import the whole extract (--whole)")
    counts = ReadCounts()
    import_id = store.begin_map_import(path.name)
    lat_range, lon_range = [np.inf, -np.inf], [np.inf, -np.inf]
    ways_stored = 0
    try:
        for batch in read_segments(path, area, counts):
            store.add_map_segments(import_id, batch, ways=counts.ways_kept - ways_stored)
            ways_stored = counts.ways_kept
            for values, bound in ((batch.lat_a, lat_range), (batch.lon_a, lon_range), (batch.lat_b, lat_range),
                                  (batch.lon_b, lon_range)):
                bound[0], bound[1] = min(bound[0], float(values.min())), max(bound[1], float(values.max()))
            if progress is not None:
                progress(counts)
    except BaseException:
        store.remove_map_import(import_id)  # nothing half-imported stays behind
        raise
    if bounds is None:
        if counts.segments == 0:
            store.remove_map_import(import_id)
            raise InputError(str(path), "holds no ways one can run on (and no bounding box)")
        bounds = (lat_range[0], lon_range[0], lat_range[1], lon_range[1])
    replaced = store.finish_map_import(import_id, bounds)
    matched = match_runs(store, box=bounds)
    return MapImportReport(import_id, path.name, counts.ways_seen, counts.ways_kept, counts.segments, replaced,
                           area is not None, matched)


def remove_map(store: Store, import_id: int) -> int:
    """Remove one import and match every run again on what is left; returns how many runs were matched."""
    if not store.remove_map_import(import_id):
        raise InputError(f"map {import_id}", "no such import (see `stridewise map list`)")
    return match_runs(store, rematch_all=True)


def match_runs(store: Store, *, box: tuple[float, float, float, float] | None = None,
               rematch_all: bool = False) -> int:
    """Match the runs never matched (by this version of the matcher); also every run reaching into ``box``
    (a new import's area), or every run (``rematch_all``). Returns how many were matched."""
    if not store.has_map():
        if rematch_all:
            store.delete_surface_mixes()
        return 0
    matched = 0
    for activity_id, sub_sport, type_hint, up_to_date in store.runs_to_match(MATCH_VERSION):
        if sub_sport in INDOOR_SUB_SPORTS or (type_hint or "").strip().lower() in INDOOR_TYPES:
            continue
        if up_to_date and not rematch_all and box is None:
            continue
        stream = store.stream(activity_id)
        lat, lon = stream[col.LAT].to_numpy(dtype=float), stream[col.LON].to_numpy(dtype=float)
        if up_to_date and not rematch_all and box is not None and not _reaches(lat, lon, box):
            continue
        metres = match_track(lat, lon, store.map_segments_near(search_boxes(lat, lon)))
        if metres is not None:
            store.save_surface_mix(activity_id, metres, MATCH_VERSION)
            matched += 1
    return matched


def _reaches(lat: np.ndarray, lon: np.ndarray, box: tuple[float, float, float, float]) -> bool:
    """Whether any position lies in the box, widened by the matching radius."""
    pad = CANDIDATE_RADIUS_M / 111_000
    box = (box[0] - pad, box[1] - 2 * pad, box[2] + pad, box[3] + 2 * pad)
    return bool(((lat >= box[0]) & (lat <= box[2]) & (lon >= box[1]) & (lon <= box[3])).any())


def _tracks(store: Store) -> list[tuple[np.ndarray, np.ndarray]]:
    tracks = []
    for activity_id, _, _, _ in store.runs_to_match(MATCH_VERSION):
        stream = store.stream(activity_id)
        tracks.append((stream[col.LAT].to_numpy(dtype=float), stream[col.LON].to_numpy(dtype=float)))
    return tracks

