"""Stream an OpenStreetMap extract (.osm.pbf, .osm, .osm.bz2) into way segments with a surface class.

pyosmium reads the file in C++; node locations go to osmium's ``sparse_file_array`` index in a temporary file
on disk, so memory stays bounded however big the extract is (a country: a few GB on disk, not in RAM).
Only runnable ways (classes.is_runnable) reach Python; with an :class:`Area`, only those touching it are kept.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import osmium

from stridewise.errors import InputError
from stridewise.store import MapSegments
from stridewise.surface.area import Area
from stridewise.surface.classes import CLASS_CODE, is_runnable, surface_class

# Segments collected before the area filter and the hand-over to the store: a few MB of arrays.
BATCH_SEGMENTS: Final = 200_000
_WKB: Final = osmium.geom.WKBFactory()
_WKB_HEADER: Final = 9  # byte order (1), geometry type (4), number of points (4); then (lon, lat) float64 pairs


@dataclass
class ReadCounts:
    ways_seen: int = 0  # runnable ways in the extract
    ways_kept: int = 0  # of those, inside the area and with known node positions
    segments: int = 0


def extract_bounds(path: Path) -> tuple[float, float, float, float] | None:
    """(min_lat, min_lon, max_lat, max_lon) from the file's header, if it states one."""
    if not path.is_file():
        raise InputError(str(path), "no such file")
    try:
        reader = osmium.io.Reader(str(path), osmium.osm.NOTHING)
        try:
            box = reader.header().box()
        finally:
            reader.close()
    except RuntimeError as exc:
        raise InputError(str(path), f"not a readable OpenStreetMap file ({exc})") from exc
    if not box.valid():
        return None
    return box.bottom_left.lat, box.bottom_left.lon, box.top_right.lat, box.top_right.lon


def read_segments(path: Path, area: Area | None, counts: ReadCounts) -> Iterator[MapSegments]:
    """Yield the runnable ways' segments in batches; ``counts`` is filled in as the file is read."""
    if not path.is_file():
        raise InputError(str(path), "no such file")
    with tempfile.TemporaryDirectory(prefix="stridewise-osm-") as tmp:
        processor = (osmium.FileProcessor(str(path)).with_locations(f"sparse_file_array,{Path(tmp) / 'nodes.bin'}")
                     .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY))
                     .with_filter(osmium.filter.KeyFilter("highway", "leisure")))
        builder = _Builder()
        try:
            for way in processor:
                if not isinstance(way, osmium.osm.Way):
                    continue
                tags = way.tags
                if not is_runnable(tags):
                    continue
                counts.ways_seen += 1
                builder.add(way, CLASS_CODE[surface_class(tags)])
                if builder.size >= BATCH_SEGMENTS:
                    yield from _counted(builder.flush(area), counts)
        except RuntimeError as exc:  # libosmium's I/O and format errors
            raise InputError(str(path), f"not a readable OpenStreetMap file ({exc})") from exc
        if builder.size:
            yield from _counted(builder.flush(area), counts)


def _counted(batch: tuple[MapSegments, int], counts: ReadCounts) -> Iterator[MapSegments]:
    """The batch, unless the area filter left nothing of it; counted."""
    segments, ways = batch
    counts.ways_kept += ways
    counts.segments += len(segments)
    if len(segments):
        yield segments


class _Builder:
    """Collects ways (their coordinates as WKB, decoded in bulk) until a batch is full."""

    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._way: list[int] = []
        self._surface: list[int] = []
        self._points: list[bytes] = []  # per way: its (lon, lat) pairs as little-endian float64
        self.size = 0  # segments collected (before the area filter)

    def add(self, way: osmium.osm.Way, code: int) -> None:
        try:
            points = bytes.fromhex(_WKB.create_linestring(way, osmium.geom.ALL))[_WKB_HEADER:]
        except (osmium.InvalidLocationError, RuntimeError):
            # Nodes outside the extract (a way cut at its edge): keep the part whose nodes are known.
            known = [(n.lon, n.lat) for n in way.nodes if n.location.valid()]
            if len(known) < 2:
                return
            points = np.array(known, dtype="<f8").tobytes()
        self._way.append(way.id)
        self._surface.append(code)
        self._points.append(points)
        self.size += len(points) // 16 - 1

    def flush(self, area: Area | None) -> tuple[MapSegments, int]:
        """The batch's segments (of the ways touching ``area``, if given) and how many ways they are."""
        lengths = np.array([len(p) // 16 for p in self._points], dtype=np.int64)
        lonlat = np.frombuffer(b"".join(self._points), dtype="<f8").reshape(-1, 2)
        way_of_node = np.repeat(np.arange(lengths.size), lengths)
        keep_way = np.ones(lengths.size, dtype=bool)
        if area is not None:
            inside = area.contains(lonlat[:, 1], lonlat[:, 0])
            keep_way = np.bincount(way_of_node, weights=inside, minlength=lengths.size) > 0
        ends = np.cumsum(lengths)
        starts = np.ones(lonlat.shape[0], dtype=bool)
        starts[ends - 1] = False  # a way's last node starts no segment
        starts &= keep_way[way_of_node]
        a = np.flatnonzero(starts)
        keys = position_keys(lonlat[:, 1], lonlat[:, 0])
        kept_lengths = lengths[keep_way] - 1
        segments = MapSegments(
            way_id=np.repeat(np.array(self._way, dtype=np.int64)[keep_way], kept_lengths),
            surface=np.repeat(np.array(self._surface, dtype=np.int8)[keep_way], kept_lengths),
            node_a=keys[a], node_b=keys[a + 1], lat_a=lonlat[a, 1], lon_a=lonlat[a, 0], lat_b=lonlat[a + 1, 1],
            lon_b=lonlat[a + 1, 0])
        self._reset()
        return segments, int(keep_way.sum())


def position_keys(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """One int64 per position on OSM's 1e-7 degree grid: ways meeting at a node share its key.

    Keys stand in for node ids, which cost ten times more to read through pyosmium than the coordinates.
    """
    lat7 = np.rint(np.asarray(lat) * 1e7).astype(np.int64) + 900_000_000
    lon7 = np.rint(np.asarray(lon) * 1e7).astype(np.int64) + 1_800_000_000
    return lat7 * 3_600_000_001 + lon7
