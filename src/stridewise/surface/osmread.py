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
from stridewise.surface.classes import CLASS_CODE, KEYS, is_runnable, surface_class

# Segments handed to the store at once: a few MB of arrays.
BATCH_SEGMENTS: Final = 200_000


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
                tags = {key: way.tags[key] for key in KEYS if key in way.tags}
                if not is_runnable(tags):
                    continue
                counts.ways_seen += 1
                if builder.add(way, CLASS_CODE[surface_class(tags)], area):
                    counts.ways_kept += 1
                if builder.size >= BATCH_SEGMENTS:
                    counts.segments += builder.size
                    yield builder.flush()
        except RuntimeError as exc:  # libosmium's I/O and format errors
            raise InputError(str(path), f"not a readable OpenStreetMap file ({exc})") from exc
        if builder.size:
            counts.segments += builder.size
            yield builder.flush()


class _Builder:
    def __init__(self) -> None:
        self._reset()

    def _reset(self) -> None:
        self._way: list[int] = []
        self._surface: list[int] = []
        self._nodes: list[int] = []
        self._lat: list[float] = []
        self._lon: list[float] = []
        self._ends: list[int] = []  # index one past each way's last node
        self.size = 0

    def add(self, way: osmium.osm.Way, code: int, area: Area | None) -> bool:
        nodes, lat, lon = [], [], []
        for node in way.nodes:
            location = node.location
            if not location.valid():
                continue  # a node outside the extract: the way is kept up to the edge
            nodes.append(node.ref)
            lat.append(location.lat)
            lon.append(location.lon)
        if len(nodes) < 2 or (area is not None and not area.contains(np.array(lat), np.array(lon)).any()):
            return False
        self._way.append(way.id)
        self._surface.append(code)
        self._nodes.extend(nodes)
        self._lat.extend(lat)
        self._lon.extend(lon)
        self._ends.append(len(self._nodes))
        self.size += len(nodes) - 1
        return True

    def flush(self) -> MapSegments:
        ends = np.array(self._ends, dtype=np.int64)
        lengths = np.diff(np.concatenate(([0], ends)))
        nodes = np.array(self._nodes, dtype=np.int64)
        lat = np.array(self._lat, dtype=float)
        lon = np.array(self._lon, dtype=float)
        starts = np.ones(nodes.size, dtype=bool)
        starts[ends - 1] = False  # a way's last node starts no segment
        a = np.flatnonzero(starts)
        segments = MapSegments(
            way_id=np.repeat(np.array(self._way, dtype=np.int64), lengths - 1),
            surface=np.repeat(np.array(self._surface, dtype=np.int8), lengths - 1),
            node_a=nodes[a], node_b=nodes[a + 1], lat_a=lat[a], lon_a=lon[a], lat_b=lat[a + 1], lon_b=lon[a + 1])
        self._reset()
        return segments
