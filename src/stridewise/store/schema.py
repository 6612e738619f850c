"""The store's tables. ``SCHEMA_VERSION`` changes only with a migration below."""

from __future__ import annotations

from typing import Final

SCHEMA_VERSION: Final = 3
# Version 2 added the map tables (map_imports, map_segments, the map_rtree index or map_grid) and surface_mix.
# The migration from 1 is the CREATE ... IF NOT EXISTS below: a version-1 store gains empty tables.
# Columns added since version 1, with their definitions: opening an older store adds them (its rows are then
# judged again by Store.resolve_duplicates). Version 3: the plausibility gate's verdict.
ADDED_ACTIVITY_COLUMNS: Final = (
    ("counted", "INTEGER NOT NULL DEFAULT 1"),
    ("not_counted_because", "TEXT"),
)
# The metrics table holds derived data only: when its columns differ from these, it is dropped and rebuilt.
METRICS_COLUMNS: Final = ("activity_id", "settings_key", "distance_m", "duration_s", "moving_time_s",
                          "distance_source", "ascent_m", "descent_m", "downhill_m", "steep_downhill_distance_m")

DDL: Final = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

-- One row per file or archive member seen, read or not: the key to skipping unchanged files.
CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,             -- path, or archive.zip!member
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,            -- zip members: the member's CRC-32
    sha256 TEXT,
    status TEXT NOT NULL CHECK (status IN ('ok', 'failed', 'archive')),
    reason TEXT,                          -- one line, for failed files
    parser_version INTEGER NOT NULL,
    updated_utc TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS activities (
    id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    session_index INTEGER NOT NULL,
    source TEXT NOT NULL,
    format TEXT NOT NULL,
    sport TEXT NOT NULL,
    sub_sport TEXT,
    sport_source TEXT NOT NULL,
    start_utc TEXT NOT NULL,              -- ISO 8601, UTC
    end_utc TEXT NOT NULL,
    utc_offset_s INTEGER,
    device TEXT,
    name TEXT,
    gear TEXT,
    type_hint TEXT,
    altitude_source TEXT NOT NULL,
    device_distance_m REAL,
    device_elapsed_s REAL,
    device_timer_s REAL,
    device_ascent_m REAL,
    device_descent_m REAL,
    n_points INTEGER NOT NULL,
    richness INTEGER NOT NULL,            -- higher wins when the same activity was exported twice
    duplicate_of INTEGER REFERENCES activities(id) ON DELETE SET NULL,
    warnings TEXT NOT NULL DEFAULT '[]',  -- JSON list of one-line warnings
    counted INTEGER NOT NULL DEFAULT 1,   -- 0: a duplicate, or implausible (stridewise.plausible)
    not_counted_because TEXT,             -- one line, when counted = 0
    UNIQUE (file_id, session_index)
);
CREATE INDEX IF NOT EXISTS activities_start ON activities (start_utc);

-- Why an activity is a copy of its duplicate_of (rewritten with it); a table of its own, so older stores gain it.
CREATE TABLE IF NOT EXISTS duplicate_reasons (
    activity_id INTEGER PRIMARY KEY REFERENCES activities(id) ON DELETE CASCADE,
    reason TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS streams (
    activity_id INTEGER PRIMARY KEY REFERENCES activities(id) ON DELETE CASCADE,
    data BLOB NOT NULL
);

-- The runner's own "this run was in that shoe", keyed by file and session so a re-read keeps it.
CREATE TABLE IF NOT EXISTS shoe_assignments (
    source TEXT NOT NULL,
    session_index INTEGER NOT NULL,
    shoe TEXT NOT NULL,
    PRIMARY KEY (source, session_index)
);

-- Derived from streams; recomputed when the metrics code or its settings change (settings_key).
CREATE TABLE IF NOT EXISTS metrics (
    activity_id INTEGER PRIMARY KEY REFERENCES activities(id) ON DELETE CASCADE,
    settings_key TEXT NOT NULL,
    distance_m REAL NOT NULL,
    duration_s REAL NOT NULL,
    moving_time_s REAL NOT NULL,
    distance_source TEXT NOT NULL,
    ascent_m REAL,                        -- NULL: no usable altitude
    descent_m REAL,
    downhill_m REAL,
    steep_downhill_distance_m REAL
);

-- The pain journal: what the runner felt on a local day, 0 (none) to 10 (worst imaginable).
CREATE TABLE IF NOT EXISTS pain_entries (
    id INTEGER PRIMARY KEY,
    day TEXT NOT NULL,                    -- local date, YYYY-MM-DD
    level INTEGER NOT NULL CHECK (level BETWEEN 0 AND 10),
    location TEXT,
    note TEXT
);

-- OpenStreetMap extracts imported by `stridewise map import`; each replaced the ways inside its box.
CREATE TABLE IF NOT EXISTS map_imports (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,                   -- the extract's file name
    imported_utc TEXT NOT NULL,
    min_lat REAL NOT NULL, min_lon REAL NOT NULL, max_lat REAL NOT NULL, max_lon REAL NOT NULL,
    ways INTEGER NOT NULL,
    segments INTEGER NOT NULL
);

-- One row per pair of consecutive nodes of a kept way; spatially indexed by map_rtree (or map_grid).
CREATE TABLE IF NOT EXISTS map_segments (
    id INTEGER PRIMARY KEY,
    import_id INTEGER NOT NULL REFERENCES map_imports(id) ON DELETE CASCADE,
    way_id INTEGER NOT NULL,
    surface INTEGER NOT NULL,             -- index into store.maps.MIX_CLASSES
    node_a INTEGER NOT NULL,              -- position keys of the ends: ways sharing a node share one
    node_b INTEGER NOT NULL,
    lat_a REAL NOT NULL, lon_a REAL NOT NULL, lat_b REAL NOT NULL, lon_b REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS map_segments_import ON map_segments (import_id);

-- A run's distance per surface class as matched on the imported map (metres of its GPS track).
CREATE TABLE IF NOT EXISTS surface_mix (
    activity_id INTEGER PRIMARY KEY REFERENCES activities(id) ON DELETE CASCADE,
    match_version INTEGER NOT NULL,
    road_m REAL NOT NULL,
    unpaved_m REAL NOT NULL,
    trail_m REAL NOT NULL,
    track_m REAL NOT NULL,
    unknown_m REAL NOT NULL
);
"""
