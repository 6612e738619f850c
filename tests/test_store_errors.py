"""A damaged or tampered store gives one line and exit 1, never a sqlite3 traceback; old stores are migrated."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from builders import gpx, morning, straight_run, tcx
from conftest import cli_runner
from stridewise.cli import app
from stridewise.ingest import ingest
from stridewise.store import Store
from stridewise.store.duplicates import overlap_reason
from stridewise.store.schema import SCHEMA_VERSION

runner = cli_runner()
DAMAGED_ADVICE = ("restore a backup, or move the file aside and run `stridewise ingest` again (shoe assignments and "
                  "the pain journal live only in the store)")


def _store_with_runs(tmp_path: Path) -> Path:
    logs = tmp_path / "logs"
    logs.mkdir()
    for day in (1, 3, 5):
        (logs / f"run-{day}.gpx").write_bytes(gpx(straight_run(morning(day), distance_m=5000, pace_s_per_km=330)))
    db = tmp_path / "s.sqlite3"
    with Store(db) as store:
        ingest([logs], store, jobs=1)
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # every page in the main file, where the damage goes
    return db


def _overwrite_page(db: Path, table: str) -> None:
    with sqlite3.connect(db) as conn:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        root = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()[0]
    with db.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xa5" * page_size)


def test_a_damaged_page_is_one_line_and_exit_1(tmp_path: Path) -> None:
    db = _store_with_runs(tmp_path)
    _overwrite_page(db, "activities")
    for command in (["activities"], ["check"], ["shoes", "list"]):
        result = runner.invoke(app, [*command, "--db", str(db)])
        assert (result.exit_code, result.stdout, result.stderr) == (
            1, "", f"Error: store {db}: damaged (database disk image is malformed); {DAMAGED_ADVICE}\n"), command


def test_a_file_that_is_not_sqlite_is_one_line_and_exit_1(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    db.write_bytes(b"this is not a database, just text that someone saved under the store's name\n" * 100)
    result = runner.invoke(app, ["activities", "--db", str(db)])
    assert (result.exit_code, result.stderr) == (
        1, f"Error: store {db}: damaged (file is not a database); {DAMAGED_ADVICE}\n")


def test_a_tampered_schema_version_is_one_line_and_exit_1(tmp_path: Path) -> None:
    db = _store_with_runs(tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE meta SET value = 'two' WHERE key = 'schema_version'")
    result = runner.invoke(app, ["activities", "--db", str(db)])
    assert (result.exit_code, result.stderr) == (
        1, f"Error: store {db}: damaged: schema version 'two' is not a number; restore a backup, or move the file "
           "aside and ingest again\n")


def test_a_newer_schema_asks_for_an_upgrade(tmp_path: Path) -> None:
    db = _store_with_runs(tmp_path)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    result = runner.invoke(app, ["activities", "--db", str(db)])
    assert (result.exit_code, result.stderr) == (
        1, f"Error: store {db}: written by a newer stridewise (schema 99); upgrade stridewise\n")


def test_a_version_1_store_gains_the_verdict_columns_and_is_judged_on_opening(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    points = straight_run(morning(6), distance_m=6000, pace_s_per_km=330)
    (logs / "watch.tcx").write_bytes(tcx(points))
    (logs / "phone.gpx").write_bytes(gpx(points))
    db = tmp_path / "s.sqlite3"
    with Store(db) as store:
        ingest([logs], store, jobs=1)
    with sqlite3.connect(db) as conn:  # what version 1 wrote: no verdict columns
        conn.execute("ALTER TABLE activities DROP COLUMN counted")
        conn.execute("ALTER TABLE activities DROP COLUMN not_counted_because")
        conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    with Store(db) as store:
        verdicts = sorted((Path(r.source).name, r.counted, r.not_counted_because)
                          for r in store.activities(include_duplicates=True))
        watch = next(r.id for r in store.activities() if r.source.endswith("watch.tcx"))
    assert verdicts == [("phone.gpx", False, overlap_reason(watch)), ("watch.tcx", True, None)]
    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == (str(SCHEMA_VERSION),)
