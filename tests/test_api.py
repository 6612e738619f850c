"""stridewise.load(): the notebook entry point gives the numbers the CLI gives."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

import stridewise
from builders import gpx, straight_run, strava_csv
from stridewise.config import Config, Shoe
from stridewise.metrics import ElevationSettings, settings_key
from stridewise.store import Store


def _runs(folder: Path) -> None:
    """Week 2026-W27: Mon 8 km, Wed 10 km, Sat 12 km (06:00 UTC = 08:00 in Zurich); W28: Mon 16 km."""
    folder.mkdir()
    rows = []
    for day, km in ((29, 8), (1, 10), (4, 12), (6, 16)):
        month = 6 if day == 29 else 7
        start = datetime(2026, month, day, 6, 0, tzinfo=UTC)
        name = f"run-{month}-{day}.gpx"
        (folder / name).write_bytes(gpx(straight_run(start, distance_m=km * 1000, pace_s_per_km=330)))
        rows.append(("Morning Run", "Run", "Pegasus 40", name))
    (folder / "activities.csv").write_text(strava_csv(rows))


def test_load_returns_activities_daily_weekly_and_runs(tmp_path: Path) -> None:
    _runs(tmp_path / "logs")
    config = Config(timezone="Europe/Zurich", shoes=(Shoe("Pegasus 40", initial_km=100.0),))
    log = stridewise.load([tmp_path / "logs"], config=config, db=tmp_path / "s.sqlite3", jobs=1)
    assert list(log.activities["distance_m"].round(-1)) == [8000, 10000, 12000, 16000]
    assert list(log.activities["shoe"]) == ["Pegasus 40"] * 4
    # The flat synthetic track has an altitude channel (400 m everywhere): measured, and zero.
    assert list(log.activities["downhill_m"]) == [0.0, 0.0, 0.0, 0.0]
    assert list(log.weekly.index) == ["2026-W27", "2026-W28"]
    assert log.weekly.loc["2026-W27", "run_distance_m"] == pytest.approx(30_000, abs=10)
    assert log.weekly.loc["2026-W27", "runs"] == 3
    assert log.weekly.loc["2026-W27", "rest_days"] == 4
    assert log.daily.loc[pd.Timestamp("2026-07-01"), "run_distance_m"] == pytest.approx(10_000, abs=10)
    # Fewer than 30 days of history: no spike ratio, not a made-up one.
    assert log.runs["distance_spike_ratio"].isna().all()


def test_load_without_paths_reads_the_store_as_it_is(tmp_path: Path) -> None:
    _runs(tmp_path / "logs")
    stridewise.load([tmp_path / "logs"], config=Config(timezone="UTC"), db=tmp_path / "s.sqlite3", jobs=1)
    again = stridewise.load(config=Config(timezone="UTC"), db=tmp_path / "s.sqlite3")
    assert again.ingest_report is None
    assert len(again.activities) == 4


def test_changing_the_downhill_threshold_recomputes_from_stored_streams(tmp_path: Path) -> None:
    _runs(tmp_path / "logs")
    db = tmp_path / "s.sqlite3"
    stridewise.load([tmp_path / "logs"], config=Config(timezone="UTC"), db=db, jobs=1)
    (tmp_path / "stridewise.toml").write_text("[elevation]\ndownhill_grade_pct = -4\nsteep_grade_pct = -8\n")
    log = stridewise.load(config=tmp_path / "stridewise.toml", db=db)
    assert log.config.elevation.downhill_grade_pct == -4.0
    assert log.ingest_report is None and len(log.activities) == 4
    with Store(db) as store:
        assert store.stale_metrics(settings_key(log.config.elevation)) == []
        assert len(store.stale_metrics(settings_key(ElevationSettings()))) == 4


def test_a_store_from_before_the_rename_recomputes_steep_downhill_distance(tmp_path: Path) -> None:
    """Stores written before steep_downhill_m became steep_downhill_distance_m: the metrics table (derived data)
    is rebuilt from the stored streams on the next load."""
    _runs(tmp_path / "logs")
    db = tmp_path / "s.sqlite3"
    stridewise.load([tmp_path / "logs"], config=Config(timezone="UTC"), db=db, jobs=1)
    with sqlite3.connect(db) as conn:
        conn.execute("ALTER TABLE metrics RENAME COLUMN steep_downhill_distance_m TO steep_downhill_m")
        conn.execute("UPDATE metrics SET settings_key = 'v1-old', steep_downhill_m = 770.0")
    log = stridewise.load(config=Config(timezone="UTC"), db=db)
    with sqlite3.connect(db) as conn:
        columns = [row[1] for row in conn.execute("PRAGMA table_info(metrics)")]
    assert "steep_downhill_distance_m" in columns and "steep_downhill_m" not in columns
    # The flat synthetic tracks have no steep downhill: recomputed, not carried over (770 m).
    assert list(log.activities["steep_downhill_distance_m"]) == [0.0, 0.0, 0.0, 0.0]
