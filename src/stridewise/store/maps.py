"""The store's map tables: imported OpenStreetMap way segments in a spatial index, and each run's measured mix.

The spatial index is SQLite's R*Tree module when the SQLite library has it (almost every build does), else a
plain table of grid cells (``map_grid``) with the same answers, only slower.
"""

from __future__ import annotations

import math
import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Final

import numpy as np

# The classes of a measured mix, as stored (surface.classes names the same five).
MIX_CLASSES: Final[tuple[str, ...]] = ("road", "unpaved", "trail", "track", "unknown")
# Grid fallback: cells of this many degrees (about 1.1 km north-south).
GRID_DEG: Final = 0.01
_GRID_COLUMNS: Final = 36_001
_CHUNK: Final = 30_000
# The R*Tree keeps 32-bit floats rounded outward (up to ~1e-5 degrees here): a segment on the edge of an
# import's box must still count as inside it.
_BOX_PAD_DEG: Final = 1e-4

RTREE_DDL: Final = "CREATE VIRTUAL TABLE IF NOT EXISTS map_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon)"
GRID_DDL: Final = ("CREATE TABLE IF NOT EXISTS map_grid (cell INTEGER NOT NULL, id INTEGER NOT NULL);"
                   "CREATE INDEX IF NOT EXISTS map_grid_cell ON map_grid (cell)")
Box = tuple[float, float, float, float]  # min_lat, min_lon, max_lat, max_lon


@dataclass(frozen=True)
class MapSegments:
    """Straight pieces of ways (one row per pair of consecutive nodes), as parallel numpy arrays."""

    way_id: np.ndarray  # int64
    surface: np.ndarray  # int8: index into MIX_CLASSES
    node_a: np.ndarray  # int64 keys of the ends' positions: ways that share a node share a key (connected)
    node_b: np.ndarray
    lat_a: np.ndarray  # float64 degrees
    lon_a: np.ndarray
    lat_b: np.ndarray
    lon_b: np.ndarray

    def __len__(self) -> int:
        return int(self.way_id.size)


@dataclass(frozen=True)
class MapImport:
    id: int
    name: str
    imported_utc: str
    box: Box
    ways: int
    segments: int


def has_rtree(conn: sqlite3.Connection) -> bool:
    """Whether this SQLite library has the R*Tree module (a store made without it keeps its grid)."""
    try:
        conn.execute("CREATE VIRTUAL TABLE temp.rtree_probe USING rtree(id, a, b)")
        conn.execute("DROP TABLE temp.rtree_probe")
    except sqlite3.OperationalError:
        return False
    return True


class MapTables:
    """Mixed into :class:`stridewise.store.Store`, which provides the connection and transactions."""

    _conn: sqlite3.Connection
    _rtree: bool

    def _transaction(self) -> AbstractContextManager[sqlite3.Connection]:
        raise NotImplementedError

    def _init_map_tables(self) -> None:
        grid_made = self._conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'map_grid'").fetchone()
        self._rtree = not grid_made and has_rtree(self._conn)
        self._conn.executescript(RTREE_DDL if self._rtree else GRID_DDL)

    # --- imports -----------------------------------------------------------------------------------------
    def begin_map_import(self, name: str) -> int:
        """A new import, empty until segments are added and :meth:`finish_map_import` names its area."""
        with self._transaction() as conn:
            cursor = conn.execute("INSERT INTO map_imports (name, imported_utc, min_lat, min_lon, max_lat, max_lon, "
                                  "ways, segments) VALUES (?, ?, 0, 0, 0, 0, 0, 0)",
                                  (name, datetime.now(UTC).isoformat(timespec="seconds")))
            return int(cursor.lastrowid or 0)

    def finish_map_import(self, import_id: int, box: Box) -> int:
        """The import covers ``box``: older segments inside it are replaced. Returns how many were dropped."""
        with self._transaction() as conn:
            padded = (box[0] - _BOX_PAD_DEG, box[1] - _BOX_PAD_DEG, box[2] + _BOX_PAD_DEG, box[3] + _BOX_PAD_DEG)
            inside = _ids_in(conn, padded, self._rtree, within=True)
            older = [int(r[0]) for chunk in _chunks(inside) for r in conn.execute(
                f"SELECT id FROM map_segments WHERE import_id != ? AND id IN ({_marks(chunk)})", (import_id, *chunk))]
            _delete_segments(conn, older, self._rtree)
            conn.execute("UPDATE map_imports SET min_lat = ?, min_lon = ?, max_lat = ?, max_lon = ? WHERE id = ?",
                         (*box, import_id))
            conn.execute("DELETE FROM map_imports WHERE id != ? AND id NOT IN "
                         "(SELECT DISTINCT import_id FROM map_segments)", (import_id,))
            return len(older)

    def add_map_segments(self, import_id: int, segments: MapSegments, ways: int) -> None:
        with self._transaction() as conn:
            first = int(conn.execute("SELECT COALESCE(max(id), 0) + 1 FROM map_segments").fetchone()[0])
            ids = np.arange(first, first + len(segments), dtype=np.int64)
            rows = zip(ids.tolist(), segments.way_id.tolist(), segments.surface.tolist(), segments.node_a.tolist(),
                       segments.node_b.tolist(), segments.lat_a.tolist(), segments.lon_a.tolist(),
                       segments.lat_b.tolist(), segments.lon_b.tolist(), strict=True)
            conn.executemany("INSERT INTO map_segments VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                             ((i, import_id, *rest) for i, *rest in rows))
            if self._rtree:  # boxes computed inside SQLite: no Python tuple per segment
                conn.execute("INSERT INTO map_rtree SELECT id, min(lat_a, lat_b), max(lat_a, lat_b), "
                             "min(lon_a, lon_b), max(lon_a, lon_b) FROM map_segments WHERE id >= ?", (first,))
            else:
                boxes = (np.minimum(segments.lat_a, segments.lat_b), np.maximum(segments.lat_a, segments.lat_b),
                         np.minimum(segments.lon_a, segments.lon_b), np.maximum(segments.lon_a, segments.lon_b))
                conn.executemany("INSERT INTO map_grid VALUES (?, ?)", _grid_rows(ids, *boxes))
            conn.execute("UPDATE map_imports SET ways = ways + ?, segments = segments + ? WHERE id = ?",
                         (ways, len(segments), import_id))

    def map_imports(self) -> list[MapImport]:
        rows = self._conn.execute("SELECT id, name, imported_utc, min_lat, min_lon, max_lat, max_lon, ways, segments "
                                  "FROM map_imports ORDER BY id").fetchall()
        return [MapImport(r[0], r[1], r[2], (r[3], r[4], r[5], r[6]), r[7], r[8]) for r in rows]

    def remove_map_import(self, import_id: int) -> bool:
        with self._transaction() as conn:
            ids = [r[0] for r in conn.execute("SELECT id FROM map_segments WHERE import_id = ?", (import_id,))]
            _delete_segments(conn, ids, self._rtree)
            return conn.execute("DELETE FROM map_imports WHERE id = ?", (import_id,)).rowcount > 0

    def map_segments_near(self, boxes: Sequence[Box]) -> MapSegments:
        """Every segment whose bounding box meets one of ``boxes``."""
        found: set[int] = set()
        for box in boxes:
            found.update(_ids_in(self._conn, box, self._rtree))
        rows = []
        for chunk in _chunks(sorted(found)):
            rows.extend(self._conn.execute(
                "SELECT way_id, surface, node_a, node_b, lat_a, lon_a, lat_b, lon_b FROM map_segments "
                f"WHERE id IN ({_marks(chunk)})", chunk).fetchall())
        table = np.array(rows, dtype=float).reshape(-1, 8)
        return MapSegments(table[:, 0].astype(np.int64), table[:, 1].astype(np.int8), table[:, 2].astype(np.int64),
                           table[:, 3].astype(np.int64), table[:, 4], table[:, 5], table[:, 6], table[:, 7])

    # --- measured mixes ----------------------------------------------------------------------------------
    def save_surface_mix(self, activity_id: int, metres: Mapping[str, float], version: int) -> None:
        with self._transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO surface_mix VALUES (?, ?, ?, ?, ?, ?, ?)",
                         (activity_id, version, *(float(metres.get(c, 0.0)) for c in MIX_CLASSES)))

    def delete_surface_mixes(self) -> None:
        with self._transaction() as conn:
            conn.execute("DELETE FROM surface_mix")

    def runs_to_match(self, version: int) -> list[tuple[int, str | None, str | None, bool]]:
        """(id, sub-sport, type hint, matched at ``version`` already) of every stored run."""
        rows = self._conn.execute(
            "SELECT a.id, a.sub_sport, a.type_hint, COALESCE(s.match_version = ?, 0) FROM activities a "
            "LEFT JOIN surface_mix s ON s.activity_id = a.id WHERE a.sport = 'running' ORDER BY a.id",
            (version,)).fetchall()
        return [(int(r[0]), r[1], r[2], bool(r[3])) for r in rows]

    def has_map(self) -> bool:
        return self._conn.execute("SELECT 1 FROM map_imports LIMIT 1").fetchone() is not None


def mix_from_row(values: Sequence[float | None]) -> dict[str, float] | None:
    """The five stored metres (None when the run was never matched) as a mapping."""
    if values[0] is None:
        return None
    return {c: float(v or 0.0) for c, v in zip(MIX_CLASSES, values, strict=True)}


def _ids_in(conn: sqlite3.Connection, box: Box, rtree: bool, *, within: bool = False) -> list[int]:
    min_lat, min_lon, max_lat, max_lon = box
    if rtree:
        where = ("min_lat >= ? AND max_lat <= ? AND min_lon >= ? AND max_lon <= ?" if within else
                 "max_lat >= ? AND min_lat <= ? AND max_lon >= ? AND min_lon <= ?")
        return [r[0] for r in conn.execute(f"SELECT id FROM map_rtree WHERE {where}",
                                           (min_lat, max_lat, min_lon, max_lon))]
    rows: set[int] = set()
    for chunk in _chunks(list(_cells(min_lat, max_lat, min_lon, max_lon))):
        rows.update(r[0] for r in conn.execute(f"SELECT DISTINCT id FROM map_grid WHERE cell IN ({_marks(chunk)})",
                                               chunk))
    # The cells are coarse: keep what the R*Tree query above would have kept.
    test = ("min(lat_a, lat_b) >= ? AND max(lat_a, lat_b) <= ? AND min(lon_a, lon_b) >= ? AND max(lon_a, lon_b) <= ?"
            if within else
            "max(lat_a, lat_b) >= ? AND min(lat_a, lat_b) <= ? AND max(lon_a, lon_b) >= ? AND min(lon_a, lon_b) <= ?")
    return [r[0] for chunk in _chunks(sorted(rows)) for r in conn.execute(
        f"SELECT id FROM map_segments WHERE {test} AND id IN ({_marks(chunk)})",
        (min_lat, max_lat, min_lon, max_lon, *chunk))]


def _delete_segments(conn: sqlite3.Connection, ids: Sequence[int], rtree: bool) -> None:
    for chunk in _chunks(list(ids)):
        conn.execute(f"DELETE FROM map_segments WHERE id IN ({_marks(chunk)})", chunk)
        conn.execute(f"DELETE FROM {'map_rtree' if rtree else 'map_grid'} WHERE id IN ({_marks(chunk)})", chunk)


def _chunks(values: list[int]) -> Iterator[list[int]]:
    """Pieces small enough for SQLite's limit on bound variables (32,766 since 3.32)."""
    for start in range(0, len(values), _CHUNK):
        yield values[start:start + _CHUNK]


def _marks(chunk: Sequence[int]) -> str:
    return ",".join("?" * len(chunk))


def _cells(min_lat: float, max_lat: float, min_lon: float, max_lon: float) -> Iterator[int]:
    for row in range(math.floor((min_lat + 90) / GRID_DEG), math.floor((max_lat + 90) / GRID_DEG) + 1):
        for column in range(math.floor((min_lon + 180) / GRID_DEG), math.floor((max_lon + 180) / GRID_DEG) + 1):
            yield row * _GRID_COLUMNS + column


def _grid_rows(ids: np.ndarray, min_lat: np.ndarray, max_lat: np.ndarray, min_lon: np.ndarray,
               max_lon: np.ndarray) -> Iterator[tuple[int, int]]:
    for i, a, b, c, d in zip(ids.tolist(), min_lat.tolist(), max_lat.tolist(), min_lon.tolist(), max_lon.tolist(),
                             strict=True):
        for cell in _cells(a, b, c, d):
            yield cell, i
