"""The SQLite store (stdlib ``sqlite3``). Never prints; raises :class:`StoreError`.

Each file's activities are written in one transaction together with the file's row, so a crash leaves either
the whole file or none of it. Duplicates (the same activity exported twice) stay stored but are marked
``duplicate_of`` the richest copy, and only that copy counts.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Final

import pandas as pd
import platformdirs

from stridewise.errors import StoreError
from stridewise.model import Activity
from stridewise.store.codec import PackedStream, decode_stream, pack_stream
from stridewise.store.duplicates import Span, find_duplicates, same_shape
from stridewise.store.guard import damage_reason, implausible, is_damage
from stridewise.store.maps import MapTables, mix_from_row
from stridewise.store.notified import DDL as NOTIFIED_DDL
from stridewise.store.notified import NotifiedFlags
from stridewise.store.pain import PainEntry
from stridewise.store.schema import ADDED_ACTIVITY_COLUMNS, DDL, METRICS_COLUMNS, SCHEMA_VERSION

DB_ENV: Final = "STRIDEWISE_DB"
DB_FILENAME: Final = "stridewise.sqlite3"
# Richness: the format says most (FIT carries sport, sub-sport, device totals), then what the stream holds.
_FORMAT_RICHNESS: Final = {"fit": 30, "tcx": 20, "gpx": 10}

# One activity's metrics by column name (schema.METRICS_COLUMNS after the id and settings key); the metrics stage
# builds it, the store only keeps it.
MetricValues = Mapping[str, float | str | None]
_INSERT_METRICS: Final = (f"INSERT OR REPLACE INTO metrics ({', '.join(METRICS_COLUMNS)}) "
                          f"VALUES ({', '.join('?' * len(METRICS_COLUMNS))})")


def default_db_path() -> Path:
    """``$STRIDEWISE_DB`` if set, else ``stridewise.sqlite3`` in the platform's user data directory."""
    env = os.environ.get(DB_ENV)
    if env:
        return Path(env).expanduser()
    return platformdirs.user_data_path("stridewise", appauthor=False) / DB_FILENAME


@dataclass(frozen=True)
class FileState:
    key: str
    size: int
    mtime_ns: int
    sha256: str | None
    status: str
    reason: str | None
    parser_version: int


@dataclass(frozen=True)
class ActivityRecord:
    """A stored activity with its summary metrics, as read back from the store."""

    id: int
    source: str
    format: str
    sport: str
    sub_sport: str | None
    sport_source: str
    start_utc: datetime
    utc_offset_s: int | None
    device: str | None
    name: str | None
    gear: str | None
    type_hint: str | None
    altitude_source: str
    device_distance_m: float | None
    device_descent_m: float | None
    duplicate_of: int | None
    warnings: list[str]
    distance_m: float | None
    duration_s: float | None
    moving_time_s: float | None
    distance_source: str | None
    ascent_m: float | None
    descent_m: float | None
    downhill_m: float | None
    steep_downhill_distance_m: float | None
    duplicate_reason: str | None = None  # why it is a copy of duplicate_of; None when it counts
    surface_mix: dict[str, float] | None = None  # metres per map surface class; None: never matched on a map
    counted: bool = True  # False: a duplicate, or impossible values (see not_counted_because)
    not_counted_because: str | None = None

    @property
    def is_run(self) -> bool:
        return self.sport == "running"


def richness(activity: Activity, packed: PackedStream) -> int:
    barometric = 5 if activity.altitude_source == "barometric" else 0
    return _FORMAT_RICHNESS.get(activity.format, 0) + barometric + packed.columns_present


class Store(NotifiedFlags, MapTables):
    """Open (creating if needed) the store at ``path``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._conn = sqlite3.connect(path, timeout=30, isolation_level=None)
            self._conn.execute("PRAGMA foreign_keys = ON")
            self._conn.execute("PRAGMA journal_mode = WAL")
            # In WAL mode NORMAL still keeps the store consistent through a crash or power cut; it only skips the
            # fsync at each commit, so a power cut may lose the last files stored, which the next ingest reads
            # again (https://www.sqlite.org/pragma.html#pragma_synchronous). FULL cost a disk flush per file.
            self._conn.execute("PRAGMA synchronous = NORMAL")
            self._rebuild_changed_metrics_table()
            self._conn.executescript(DDL + NOTIFIED_DDL)
            self._init_map_tables()
            migrated = self._check_schema()
        except sqlite3.Error as exc:
            raise StoreError(str(path), damage_reason(exc) if is_damage(exc) else f"cannot open ({exc})") from exc
        except OSError as exc:
            raise StoreError(str(path), f"cannot open ({exc})") from exc
        if migrated:
            self.resolve_duplicates()

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._conn
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
        except sqlite3.Error as exc:
            raise StoreError(str(self.path), damage_reason(exc) if is_damage(exc) else str(exc)) from exc

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        """Every row of a query; a damaged file raises :class:`StoreError`, never sqlite3's own error."""
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as exc:
            raise StoreError(str(self.path), damage_reason(exc) if is_damage(exc) else str(exc)) from exc

    def _row(self, sql: str, params: tuple[Any, ...] = ()) -> tuple[Any, ...] | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def _rebuild_changed_metrics_table(self) -> None:
        columns = tuple(r[1] for r in self._conn.execute("PRAGMA table_info(metrics)").fetchall())
        if columns and columns != METRICS_COLUMNS:
            self._conn.execute("DROP TABLE metrics")  # derived data: refresh_metrics recomputes it from streams

    def _check_schema(self) -> bool:
        """Check the schema version, adding what older versions lack; True when the store was migrated."""
        row = self._conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        if row is None:
            self._conn.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
            return False
        version = str(row[0])
        if not version.isdigit():
            raise StoreError(str(self.path), f"damaged: schema version {version[:40]!r} is not a number; restore a "
                                             "backup, or move the file aside and ingest again")
        if int(version) > SCHEMA_VERSION:
            raise StoreError(str(self.path), f"written by a newer stridewise (schema {version}); upgrade stridewise")
        if int(version) == SCHEMA_VERSION:
            return False
        present = {r[1] for r in self._conn.execute("PRAGMA table_info(activities)").fetchall()}
        for name, definition in ADDED_ACTIVITY_COLUMNS:
            if name not in present:
                self._conn.execute(f"ALTER TABLE activities ADD COLUMN {name} {definition}")
        self._conn.execute("UPDATE meta SET value = ? WHERE key = 'schema_version'", (str(SCHEMA_VERSION),))
        return True

    # --- files -------------------------------------------------------------------------------------------
    def file_state(self, key: str) -> FileState | None:
        row = self._row("SELECT key, size, mtime_ns, sha256, status, reason, parser_version "
                        "FROM files WHERE key = ?", (key,))
        return FileState(*row) if row else None

    def record_archive(self, key: str, size: int, mtime_ns: int, parser_version: int) -> None:
        with self._transaction() as conn:
            self._upsert_file(conn, key, size, mtime_ns, None, "archive", None, parser_version)

    def record_failure(self, key: str, size: int, mtime_ns: int, sha256: str | None, reason: str,
                       parser_version: int) -> None:
        with self._transaction() as conn:
            self._upsert_file(conn, key, size, mtime_ns, sha256, "failed", reason, parser_version)

    def touch_file(self, key: str, size: int, mtime_ns: int) -> None:
        """The file changed on disk but not in content: remember its new size and time, keep its activities."""
        with self._transaction() as conn:
            conn.execute("UPDATE files SET size = ?, mtime_ns = ? WHERE key = ?", (size, mtime_ns, key))

    def record_activities(self, key: str, size: int, mtime_ns: int, sha256: str, parser_version: int,
                          activities: Sequence[tuple[Activity, MetricValues]], settings_key: str,
                          packed: Sequence[PackedStream] | None = None) -> list[int]:
        """Replace whatever the file held before with these activities; return their ids.

        ``packed``: the streams already packed (:func:`~stridewise.store.codec.pack_stream`), one per activity, whose
        own ``stream`` is then not read; by default they are packed here.
        """
        if packed is None:
            packed = [pack_stream(a.stream) for a, _ in activities]
        ids = []
        with self._transaction() as conn:
            file_id = self._upsert_file(conn, key, size, mtime_ns, sha256, "ok", None, parser_version)
            conn.execute("DELETE FROM activities WHERE file_id = ?", (file_id,))
            for (activity, metrics), stream in zip(activities, packed, strict=True):
                activity_id = self._insert_activity(conn, file_id, activity, stream)
                self._write_metrics(conn, activity_id, metrics, settings_key)
                ids.append(activity_id)
        return ids

    @staticmethod
    def _upsert_file(conn: sqlite3.Connection, key: str, size: int, mtime_ns: int, sha256: str | None,
                     status: str, reason: str | None, parser_version: int) -> int:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        conn.execute(
            "INSERT INTO files (key, size, mtime_ns, sha256, status, reason, parser_version, updated_utc) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO UPDATE SET size = excluded.size, "
            "mtime_ns = excluded.mtime_ns, sha256 = excluded.sha256, status = excluded.status, "
            "reason = excluded.reason, parser_version = excluded.parser_version, updated_utc = excluded.updated_utc",
            (key, size, mtime_ns, sha256, status, reason, parser_version, now))
        row = conn.execute("SELECT id FROM files WHERE key = ?", (key,)).fetchone()
        if status != "ok":
            conn.execute("DELETE FROM activities WHERE file_id = ?", (row[0],))
        return int(row[0])

    @staticmethod
    def _insert_activity(conn: sqlite3.Connection, file_id: int, a: Activity, stream: PackedStream) -> int:
        cursor = conn.execute(
            "INSERT INTO activities (file_id, session_index, source, format, sport, sub_sport, sport_source, "
            "start_utc, end_utc, utc_offset_s, device, name, gear, type_hint, altitude_source, device_distance_m, "
            "device_elapsed_s, device_timer_s, device_ascent_m, device_descent_m, n_points, richness, warnings) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (file_id, a.session_index, a.source, a.format, a.sport, a.sub_sport, a.sport_source,
             _iso(a.start_utc), _iso(stream.end_utc), a.utc_offset_s, a.device, a.name, a.gear_hint, a.type_hint,
             a.altitude_source, a.device_distance_m, a.device_elapsed_s, a.device_timer_s, a.device_ascent_m,
             a.device_descent_m, stream.n_points, richness(a, stream), json.dumps(a.warnings)))
        activity_id = int(cursor.lastrowid or 0)
        conn.execute("INSERT INTO streams VALUES (?, ?)", (activity_id, stream.blob))
        return activity_id

    @staticmethod
    def _write_metrics(conn: sqlite3.Connection, activity_id: int, values: MetricValues, settings_key: str) -> None:
        conn.execute(_INSERT_METRICS, (activity_id, settings_key, *(values[c] for c in METRICS_COLUMNS[2:])))

    def failed_files(self, *, prefix: str = "") -> list[FileState]:
        rows = self._rows("SELECT key, size, mtime_ns, sha256, status, reason, parser_version "
                          "FROM files WHERE status = 'failed' AND substr(key, 1, ?) = ? ORDER BY key",
                          (len(prefix), prefix))
        return [FileState(*r) for r in rows]

    # --- derived data ------------------------------------------------------------------------------------
    def stale_metrics(self, settings_key: str) -> list[int]:
        """Activities whose metrics were computed by other code or settings (or never)."""
        rows = self._rows("SELECT a.id FROM activities a LEFT JOIN metrics m ON m.activity_id = a.id "
                          "WHERE m.settings_key IS NULL OR m.settings_key != ?", (settings_key,))
        return [int(r[0]) for r in rows]

    def save_metrics(self, activity_id: int, metrics: MetricValues, settings_key: str) -> None:
        with self._transaction() as conn:
            self._write_metrics(conn, activity_id, metrics, settings_key)

    def metrics_inputs(self, activity_id: int) -> tuple[float | None, str, str | None]:
        """(device distance, altitude source, sub-sport): what metrics need besides the stream."""
        row = self._row("SELECT device_distance_m, altitude_source, sub_sport FROM activities WHERE id = ?",
                        (activity_id,))
        if row is None:
            raise StoreError(str(self.path), f"no activity {activity_id}")
        return row[0], row[1], row[2]

    def stream(self, activity_id: int) -> pd.DataFrame:
        row = self._row("SELECT data FROM streams WHERE activity_id = ?", (activity_id,))
        if row is None:
            raise StoreError(str(self.path), f"no stream for activity {activity_id}")
        return decode_stream(row[0])

    def resolve_duplicates(self) -> int:
        """Decide which activities count; return how many are duplicates.

        An activity with impossible totals (:mod:`stridewise.plausible`) is not counted. Among the rest, every copy
        of another activity (overlapping it, or its track with the clock shifted by whole hours) is marked its
        duplicate, with the reason, so an impossible copy can never hide the real one.
        """
        rows = self._rows(
            "SELECT a.id, a.start_utc, a.end_utc, a.richness, a.file_id, COALESCE(m.distance_m, a.device_distance_m), "
            "a.sport, m.distance_m, m.duration_s, m.moving_time_s, a.device_elapsed_s, a.device_timer_s "
            "FROM activities a LEFT JOIN metrics m ON m.activity_id = a.id ORDER BY a.start_utc, a.id")
        impossible = {r[0]: reason for r in rows if (reason := implausible(r[1], *r[6:])) is not None}
        spans = [Span(r[0], datetime.fromisoformat(r[1]), datetime.fromisoformat(r[2]), r[3], r[4], r[5])
                 for r in rows if r[0] not in impossible]
        found = find_duplicates(spans, lambda a, b: same_shape(self.stream(a), self.stream(b)))
        with self._transaction() as conn:
            conn.execute("UPDATE activities SET duplicate_of = NULL, counted = 1, not_counted_because = NULL")
            conn.execute("DELETE FROM duplicate_reasons")
            conn.executemany("UPDATE activities SET duplicate_of = ?, counted = 0, not_counted_because = ? "
                             "WHERE id = ?", [(d.keep, d.reason, drop) for drop, d in found.items()])
            conn.executemany("INSERT INTO duplicate_reasons VALUES (?, ?)",
                             [(drop, d.reason) for drop, d in found.items()])
            conn.executemany("UPDATE activities SET counted = 0, not_counted_because = ? WHERE id = ?",
                             [(reason, activity_id) for activity_id, reason in impossible.items()])
        return len(found)

    # --- shoes -------------------------------------------------------------------------------------------
    def assign_shoe(self, activity_id: int, shoe: str) -> None:
        """Record that an activity was run in ``shoe`` (kept when its file is read again)."""
        row = self._row("SELECT source, session_index FROM activities WHERE id = ?", (activity_id,))
        if row is None:
            raise StoreError(str(self.path), f"no activity with id {activity_id} (see `stridewise activities`)")
        with self._transaction() as conn:
            conn.execute("INSERT OR REPLACE INTO shoe_assignments VALUES (?, ?, ?)", (row[0], row[1], shoe))

    def shoe_assignments(self) -> dict[int, str]:
        """Activity id -> shoe, for every assignment whose activity is stored."""
        rows = self._rows("SELECT a.id, s.shoe FROM shoe_assignments s JOIN activities a "
                          "ON a.source = s.source AND a.session_index = s.session_index")
        return {int(r[0]): str(r[1]) for r in rows}

    def fingerprint(self) -> str:
        """Changes whenever anything a report depends on changes: files, activities, shoes, pain, map surfaces."""
        parts = [self._row(sql) for sql in (
            "SELECT count(*), max(updated_utc), sum(size), sum(mtime_ns % 1000003) FROM files",
            "SELECT count(*), max(id), sum(COALESCE(duplicate_of, 0)), sum(counted) FROM activities",
            "SELECT count(*), group_concat(settings_key) FROM (SELECT DISTINCT settings_key FROM metrics)",
            "SELECT count(*), group_concat(shoe) FROM shoe_assignments",
            "SELECT count(*), max(id) FROM pain_entries",
            "SELECT count(*), sum(road_m + 2 * unpaved_m + 3 * trail_m + 5 * track_m) FROM surface_mix",
        )]
        return repr(parts)

    # --- reading -----------------------------------------------------------------------------------------
    def activities(self, *, include_duplicates: bool = False) -> list[ActivityRecord]:
        where = "" if include_duplicates else "WHERE a.duplicate_of IS NULL"
        rows = self._rows(
            "SELECT a.id, a.source, a.format, a.sport, a.sub_sport, a.sport_source, a.start_utc, a.utc_offset_s, "
            "a.device, a.name, a.gear, a.type_hint, a.altitude_source, a.device_distance_m, a.device_descent_m, "
            "a.duplicate_of, a.warnings, m.distance_m, m.duration_s, m.moving_time_s, m.distance_source, "
            "m.ascent_m, m.descent_m, m.downhill_m, m.steep_downhill_distance_m, d.reason, "
            "s.road_m, s.unpaved_m, s.trail_m, s.track_m, s.unknown_m, a.counted, a.not_counted_because "
            "FROM activities a LEFT JOIN metrics m ON m.activity_id = a.id "
            "LEFT JOIN duplicate_reasons d ON d.activity_id = a.id "
            f"LEFT JOIN surface_mix s ON s.activity_id = a.id {where} "
            "ORDER BY a.start_utc, a.id")
        return [_record(r) for r in rows]

    # --- pain journal ------------------------------------------------------------------------------------
    def add_pain(self, day: date, level: int, location: str | None, note: str | None) -> int:
        """Record one pain entry; return its id. A level outside 0-10 raises :class:`StoreError`."""
        return self.add_pain_entries([(day, level, location, note)])[0]

    def add_pain_entries(self, rows: Iterable[tuple[date, int, str | None, str | None]]) -> list[int]:
        """Record (day, level, location, note) rows in one transaction: all of them or none."""
        with self._transaction() as conn:
            return [int(conn.execute("INSERT INTO pain_entries (day, level, location, note) VALUES (?, ?, ?, ?)",
                                     (d.isoformat(), level, where, note)).lastrowid or 0)
                    for d, level, where, note in rows]

    def pain_entries(self) -> list[PainEntry]:
        """Every pain entry, oldest day first (entries of one day in the order they were recorded)."""
        rows = self._rows("SELECT id, day, level, location, note FROM pain_entries ORDER BY day, id")
        return [PainEntry(int(r[0]), date.fromisoformat(r[1]), int(r[2]), r[3], r[4]) for r in rows]


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _record(row: tuple[Any, ...]) -> ActivityRecord:
    values = list(row)
    values[6] = datetime.fromisoformat(values[6])
    values[16] = json.loads(values[16])
    values[26:] = [mix_from_row(values[26:31]), bool(values[31]), values[32]]  # map surfaces; counted, why not
    return ActivityRecord(*values)
