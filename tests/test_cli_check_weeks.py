"""`stridewise check` on weeks without runs, weeks that do not exist and weeks still to come."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from builders import gpx, straight_run
from conftest import cli_runner
from stridewise.cli import app

runner = cli_runner()


@pytest.fixture
def old_log(tmp_path: Path) -> tuple[Path, str]:
    """Two 8 km runs, the last on Sunday 3 Sep 2023, and a strength session in 2026-W30 (not a run)."""
    folder = tmp_path / "logs"
    folder.mkdir()
    for day in (datetime(2023, 8, 29, 7, tzinfo=UTC), datetime(2023, 9, 3, 7, tzinfo=UTC)):
        (folder / f"{day:%Y%m%d}.gpx").write_bytes(gpx(straight_run(day, distance_m=8000, pace_s_per_km=330,
                                                                    interval_s=5)))
    gym = straight_run(datetime(2026, 7, 22, 18, tzinfo=UTC), distance_m=50, pace_s_per_km=3600, interval_s=10)
    (folder / "gym.gpx").write_bytes(gpx(gym, name="Gym", sport="weight training"))
    (folder / "stridewise.toml").write_text('timezone = "UTC"\n')
    db = str(tmp_path / "s.sqlite3")
    assert runner.invoke(app, ["ingest", str(folder), "--db", db]).exit_code == 0
    return folder / "stridewise.toml", db


def check(old_log: tuple[Path, str], *args: str) -> tuple[int, str, str]:
    config, db = old_log
    result = runner.invoke(app, ["check", "--db", db, "--config", str(config), *args])
    return result.exit_code, result.stdout, result.stderr


def test_a_week_with_only_strength_says_no_runs_with_the_last_run(old_log: tuple[Path, str]) -> None:
    code, out, _ = check(old_log, "--week", "2026-W30")
    assert (code, out) == (0, "Week 2026-W30: No runs recorded in 2026-W30 (last run Sun 3 Sep 2023)\n")


def test_a_week_before_the_log_names_the_first_run(old_log: tuple[Path, str]) -> None:
    code, out, _ = check(old_log, "--week", "2005-W10")
    assert (code, out) == (0, "Week 2005-W10: No runs recorded in 2005-W10 (the first run recorded is on "
                              "Tue 29 Aug 2023)\n")


def test_a_future_week_says_it_is_in_the_future(old_log: tuple[Path, str]) -> None:
    code, out, _ = check(old_log, "--week", "2099-W01")
    assert (code, out) == (0, "Week 2099-W01: 2099-W01 is in the future: nothing recorded yet "
                              "(last run Sun 3 Sep 2023)\n")


def test_a_week_that_does_not_exist_is_a_usage_error(old_log: tuple[Path, str]) -> None:
    code, out, err = check(old_log, "--week", "2018-W53")
    assert (code, out, err) == (2, "", "Error: week '2018-W53' does not exist: 2018 has 52 ISO weeks\n")
    code, _, _ = check(old_log, "--week", "2020-W53")  # 2020 has 53 ISO weeks
    assert code == 0


def test_json_always_carries_the_runs_and_distance(old_log: tuple[Path, str]) -> None:
    code, out, _ = check(old_log, "--week", "2026-W30", "--json")
    empty = json.loads(out)
    assert (code, empty["status"], empty["runs"], empty["distance_m"], empty["flags"]) == (0, "no_runs", 0, 0.0, [])
    both = json.loads(check(old_log, "--week", "2023-W35", "--json")[1])
    # Tue 29 Aug and Sun 3 Sep 2023 are both in ISO week 35: two runs of 8 km drawn along a meridian.
    assert (both["status"], both["runs"]) == ("clear", 2)
    assert both["distance_m"] == pytest.approx(16000, abs=1)
    assert both["verdict"] == "No warnings this week."
