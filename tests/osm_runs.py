"""Runs along OpenStreetMap ways, for the surface tests: maps written with osmium, tracks with GPS noise.

Ways of the real Helsinki extract are read here with pyosmium directly (not with stridewise's reader), so the
truth of a test run (its length on each tagged surface) does not depend on the code under test.
"""

from __future__ import annotations

import itertools
import math
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import osmium

HELSINKI = Path(__file__).parent.parent.parent / "shared" / "osm" / "helsinki.osm.pbf"
HELSINKI_MISSING = f"the real OSM extract {HELSINKI} is not here (it sits in ../shared next to a checkout)"
M_PER_DEG = math.pi * 6_371_008.8 / 180
# Explicit surface tags only: the truth of a test run must not lean on the defaults under test.
HARD_TAGS = frozenset({"asphalt", "paved", "cobblestone", "sett", "paving_stones", "concrete"})
LOOSE_TAGS = frozenset({"unpaved", "gravel", "fine_gravel", "compacted"})
# A running watch in the open: about 4 m of error, part of it drifting slowly (AR(1)), part jitter.
GPS_DRIFT_M = 3.0
GPS_JITTER_M = 2.0
GPS_DRIFT_MEMORY = 0.95  # AR(1) coefficient per second


def write_osm(path: Path, nodes: dict[int, tuple[float, float]], ways: list[tuple[int, list[int], dict[str, str]]],
              ) -> Path:
    """An .osm (XML) file with these nodes (id -> lat, lon) and ways (id, node ids, tags)."""
    writer = osmium.SimpleWriter(str(path), overwrite=True)
    try:
        for node_id, (lat, lon) in sorted(nodes.items()):
            writer.add_node(osmium.osm.mutable.Node(id=node_id, location=(lon, lat), version=1))
        for way_id, refs, tags in ways:
            writer.add_way(osmium.osm.mutable.Way(id=way_id, nodes=refs, tags=tags, version=1))
    finally:
        writer.close()
    return path


def real_ways(path: Path = HELSINKI) -> dict[int, tuple[dict[str, str], list[int], np.ndarray]]:
    """Every highway of the extract: id -> (tags, node ids, (n, 2) lat/lon), nodes outside the file dropped."""
    ways = {}
    processor = (osmium.FileProcessor(str(path)).with_locations()
                 .with_filter(osmium.filter.EntityFilter(osmium.osm.WAY)).with_filter(osmium.filter.KeyFilter("highway")))
    for way in processor:
        nodes = [(n.ref, n.lat, n.lon) for n in way.nodes if n.location.valid()]
        if len(nodes) >= 2:
            ways[way.id] = (dict(way.tags), [n[0] for n in nodes], np.array([n[1:] for n in nodes]))
    return ways


def polyline_length_m(latlon: np.ndarray) -> float:
    dy = np.diff(latlon[:, 0]) * M_PER_DEG
    dx = np.diff(latlon[:, 1]) * M_PER_DEG * np.cos(np.radians(latlon[:-1, 0]))
    return float(np.hypot(dx, dy).sum())


def densify(latlon: np.ndarray, step_m: float) -> np.ndarray:
    """Positions every ``step_m`` along the polyline (a runner at step_m metres per second, sampled at 1 Hz)."""
    dy = np.diff(latlon[:, 0]) * M_PER_DEG
    dx = np.diff(latlon[:, 1]) * M_PER_DEG * np.cos(np.radians(latlon[:-1, 0]))
    along = np.concatenate(([0.0], np.cumsum(np.hypot(dx, dy))))
    at = np.arange(0.0, along[-1], step_m)
    return np.column_stack((np.interp(at, along, latlon[:, 0]), np.interp(at, along, latlon[:, 1])))


def with_gps_noise(latlon: np.ndarray, seed: int) -> np.ndarray:
    """Add a slowly drifting error plus jitter (metres, see the constants above) with a fixed seed."""
    rng = np.random.default_rng(seed)
    n = len(latlon)
    drift = np.zeros((n, 2))
    shocks = rng.normal(0.0, GPS_DRIFT_M * math.sqrt(1 - GPS_DRIFT_MEMORY**2), (n, 2))
    drift[0] = rng.normal(0.0, GPS_DRIFT_M, 2)
    for i in range(1, n):
        drift[i] = GPS_DRIFT_MEMORY * drift[i - 1] + shocks[i]
    error = drift + rng.normal(0.0, GPS_JITTER_M, (n, 2))
    lat = latlon[:, 0] + error[:, 1] / M_PER_DEG
    lon = latlon[:, 1] + error[:, 0] / (M_PER_DEG * np.cos(np.radians(latlon[:, 0])))
    return np.column_stack((lat, lon))


def as_points(latlon: np.ndarray, start: datetime = datetime(2026, 5, 4, 6, tzinfo=UTC),
              ) -> list[tuple[datetime, float, float, float]]:
    """(time, lat, lon, distance) one second apart, for tests.builders.gpx."""
    return [(start + timedelta(seconds=i), float(lat), float(lon), 0.0) for i, (lat, lon) in enumerate(latlon)]


def tagged_route(ways: dict[int, tuple[dict[str, str], list[int], np.ndarray]], *, seed: int, min_length_m: float,
                 ) -> tuple[np.ndarray, dict[str, float]]:
    """A walk along connected ways whose surface tag is explicitly hard or loose, never running an edge twice.

    Returns the polyline (lat, lon) and the truth: metres on "hard" and on "loose" ways. It goes straight on
    along the current way where it can, else takes a random branch (seeded), and stops at ``min_length_m``.
    """
    edges: dict[int, list[tuple[int, int, str]]] = {}
    where: dict[int, tuple[float, float]] = {}
    for way_id, (tags, refs, latlon) in ways.items():
        kind = "hard" if tags.get("surface") in HARD_TAGS else "loose" if tags.get("surface") in LOOSE_TAGS else None
        if kind is None:
            continue
        for (a, b), pa, pb in zip(itertools.pairwise(refs), latlon[:-1], latlon[1:], strict=True):
            where[a], where[b] = (float(pa[0]), float(pa[1])), (float(pb[0]), float(pb[1]))
            edges.setdefault(a, []).append((b, way_id, kind))
            edges.setdefault(b, []).append((a, way_id, kind))
    rng = np.random.default_rng(seed)
    loose_starts = sorted(n for n, out in edges.items() if any(kind == "loose" for _, _, kind in out))
    node = loose_starts[int(rng.integers(len(loose_starts)))]
    used: set[tuple[int, int]] = set()
    path, truth, way = [node], {"hard": 0.0, "loose": 0.0}, -1
    while truth["hard"] + truth["loose"] < min_length_m:
        options = [(b, w, kind) for b, w, kind in edges[node] if (min(node, b), max(node, b)) not in used]
        if not options:
            break
        same = [o for o in options if o[1] == way]
        nxt, way, kind = same[0] if same else options[int(rng.integers(len(options)))]
        used.add((min(node, nxt), max(node, nxt)))
        truth[kind] += polyline_length_m(np.array([where[node], where[nxt]]))
        path.append(nxt)
        node = nxt
    return np.array([where[n] for n in path]), truth


# --- a tiny synthetic map (runs in a clean clone) ------------------------------------------------------------
LAT0, LON0 = 47.0, 8.3
M_PER_DEG_LON = M_PER_DEG * math.cos(math.radians(LAT0))


def _at(north_m: float, east_m: float) -> tuple[float, float]:
    return LAT0 + north_m / M_PER_DEG, LON0 + east_m / M_PER_DEG_LON


# A 600 m asphalt road running east, a gravel path 12 m north of it joined to it at both ends by short
# untagged footways, and a 100 m straight of an athletics track 300 m south.
NODES = {
    **{1 + i: _at(0, 100 * i) for i in range(7)},
    **{11 + i: _at(12, 100 * i) for i in range(7)},
    21: _at(-300, 0), 22: _at(-300, 100),
}
WAYS = [
    (101, [1, 2, 3, 4, 5, 6, 7], {"highway": "residential", "surface": "asphalt"}),
    (102, list(range(11, 18)), {"highway": "path", "surface": "gravel"}),
    (103, [1, 11], {"highway": "footway"}),
    (104, [7, 17], {"highway": "footway"}),
    (105, [21, 22], {"leisure": "track", "sport": "athletics"}),
    (106, [1, 21], {"highway": "construction"}),
]


def line(*points: tuple[float, float]) -> np.ndarray:
    """A polyline through (metres north, metres east) of the tiny map's origin."""
    return np.array([_at(n, e) for n, e in points])
