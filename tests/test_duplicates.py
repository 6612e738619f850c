"""Duplicates across a clock shift: the same track re-exported with local time written as UTC counts once."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from builders import gpx, straight_run
from conftest import cli_runner
from stridewise.cli import app

runner = cli_runner()
START = datetime(2026, 7, 1, 6, 0, tzinfo=UTC)


def write(folder: Path, name: str, start: datetime, *, distance_m: float = 8000, lat0: float = 47.0) -> None:
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(gpx(straight_run(start, distance_m=distance_m, pace_s_per_km=330, interval_s=5,
                                                 lat0=lat0)))


def listed(folder: Path, tmp_path: Path) -> list[dict[str, object]]:
    result = runner.invoke(app, ["activities", str(folder), "--db", str(tmp_path / "s.sqlite3"), "--all", "--json"])
    assert result.exit_code == 0, result.output
    rows: list[dict[str, object]] = json.loads(result.stdout)
    return rows


def test_the_same_track_two_hours_later_is_a_duplicate_and_says_why(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    write(logs, "watch.gpx", START)
    write(logs, "reexport.gpx", START + timedelta(hours=2))  # Europe/Zurich in summer: local time written as UTC
    rows = listed(logs, tmp_path)
    # Equally rich copies: the older id counts (the files are read in name order: reexport.gpx first).
    (first,) = [row for row in rows if row["duplicate_of"] is None]
    (second,) = [row for row in rows if row["duplicate_of"] is not None]
    assert (first["id"], first["duplicate_reason"], second["duplicate_of"]) == (1, None, 1)
    assert second["duplicate_reason"] == ("the same track as activity 1 with the clock shifted by 2 h "
                                          "(a re-export that wrote local time as UTC)")
    text = runner.invoke(app, ["activities", "--db", str(tmp_path / "s.sqlite3"), "--all"]).stdout
    assert f"[copy of {first['id']}: the same track as activity {first['id']} with the clock shifted by 2 h" in text


@pytest.mark.parametrize(("later", "distance_m", "lat0", "why_not"), [
    (timedelta(hours=2), 8500, 47.0, "another distance (6% longer)"),
    (timedelta(hours=3), 8000, 47.2, "the same distance on another road 22 km away"),
    (timedelta(hours=2, minutes=30), 8000, 47.0, "not a whole number of hours"),
    (timedelta(hours=15), 8000, 47.0, "more than 14 hours: no time zone is that far from UTC"),
])
def test_other_runs_hours_apart_are_not_duplicates(tmp_path: Path, later: timedelta, distance_m: float,
                                                    lat0: float, why_not: str) -> None:
    logs = tmp_path / "logs"
    write(logs, "morning.gpx", START)
    write(logs, "later.gpx", START + later, distance_m=distance_m, lat0=lat0)
    assert [row["duplicate_of"] for row in listed(logs, tmp_path)] == [None, None], why_not


def test_a_clock_shift_reason_is_told_from_an_overlap() -> None:
    from stridewise.store.duplicates import is_clock_shift, overlap_reason, shift_reason

    assert (is_clock_shift(shift_reason(3, 2)), is_clock_shift(overlap_reason(3)), is_clock_shift(None)) == (
        True, False, False)
