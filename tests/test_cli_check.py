"""`stridewise check` and `stridewise rules`: output, JSON and exit codes."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from builders import gpx, straight_run
from conftest import cli_runner
from stridewise.cli import app

runner = cli_runner()


@pytest.fixture
def spiky_logs(tmp_path: Path) -> Path:
    """Five weeks of 8 km runs, then a 20 km run: 2.5 x the longest of the previous 30 days (high)."""
    folder = tmp_path / "logs"
    folder.mkdir()
    start = datetime(2026, 6, 30, 6, 0, tzinfo=UTC)
    for n in range(0, 35, 3):
        (folder / f"r{n}.gpx").write_bytes(gpx(straight_run(start + timedelta(days=n), distance_m=8000,
                                                            pace_s_per_km=330, interval_s=5)))
    (folder / "long.gpx").write_bytes(gpx(straight_run(start + timedelta(days=36), distance_m=20000,
                                                       pace_s_per_km=330, interval_s=5)))
    (folder / "stridewise.toml").write_text('timezone = "UTC"\n')
    return folder


def test_check_prints_the_weeks_flags_and_fail_on_sets_exit_3(spiky_logs: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "s.sqlite3")
    result = runner.invoke(app, ["check", str(spiky_logs), "--db", db])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Week 2026-W32: High: Your 20.0 km run on Wed 05 Aug was 2.50 x your longest "
                                    "run of the previous 30 days (8.0 km).")
    assert "HIGH      single_run_spike  (cohort evidence)" in result.stdout
    assert runner.invoke(app, ["check", "--db", db, "--config", str(spiky_logs / "stridewise.toml"),
                               "--fail-on", "high"]).exit_code == 3
    assert runner.invoke(app, ["check", "--db", db, "--config", str(spiky_logs / "stridewise.toml"),
                               "--week", "2026-W28", "--fail-on", "elevated"]).exit_code == 0


def test_an_old_unreadable_file_stays_listed_but_no_longer_hides_exit_3(spiky_logs: Path, tmp_path: Path) -> None:
    (spiky_logs / "broken.gpx").write_text("<gpx><trk><trkseg><trkpt lat=")  # cut short: never readable
    args = ["check", str(spiky_logs), "--db", str(tmp_path / "s.sqlite3"), "--fail-on", "high"]
    first = runner.invoke(app, args)
    assert first.exit_code == 1  # new in this run: the cron job's owner must hear of it once
    assert "broken.gpx" in first.stderr
    again = runner.invoke(app, args)
    assert again.exit_code == 3  # the 20 km spike is still high; the known failure is listed, not fatal
    assert "broken.gpx" in again.stderr and "(unchanged since the last try)" in again.stderr


def test_check_json_has_the_week_and_the_flag_fields(spiky_logs: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", str(spiky_logs), "--db", str(tmp_path / "s.sqlite3"), "--json"])
    report = json.loads(result.stdout)
    assert report["week"] == "2026-W32"
    (flag,) = [f for f in report["flags"] if f["rule"] == "single_run_spike"]
    assert set(flag) == {"rule", "severity", "evidence", "week", "date", "activity_id", "shoe", "value", "threshold",
                         "message", "advice", "source"}
    assert (flag["severity"], flag["evidence"], flag["date"], flag["value"], flag["threshold"]) == (
        "high", "cohort", "2026-08-05", 2.5, 2.0)


def test_check_usage_errors(spiky_logs: Path, tmp_path: Path) -> None:
    db = str(tmp_path / "s.sqlite3")
    assert runner.invoke(app, ["check", str(spiky_logs), "--db", db, "--fail-on", "medium"]).exit_code == 2
    bad_week = runner.invoke(app, ["check", "--db", db, "--week", "47"])
    assert bad_week.exit_code == 2
    assert "Error: week '47' is not an ISO week such as 2026-W47" in bad_week.stderr


@pytest.mark.parametrize(("week", "message"), [
    ("2018-W53", "week '2018-W53' does not exist: 2018 has 52 ISO weeks"),
    ("0001-W01", "week '0001-W01' is outside the years 1980-2999"),
    ("9999-W52", "week '9999-W52' is outside the years 1980-2999"),
])
def test_a_week_that_cannot_be_is_a_usage_error_everywhere(spiky_logs: Path, tmp_path: Path, week: str,
                                                           message: str) -> None:
    db = str(tmp_path / "s.sqlite3")
    assert runner.invoke(app, ["ingest", str(spiky_logs), "--db", db]).exit_code == 0
    for command in (["check", "--week", week], ["report", "--week", week, "--out", str(tmp_path / "r")]):
        result = runner.invoke(app, [*command, "--db", db])
        assert result.exit_code == 2, command
        assert result.stderr.strip() == f"Error: {message}"


def test_check_on_an_empty_store_says_what_to_do(tmp_path: Path) -> None:
    result = runner.invoke(app, ["check", "--db", str(tmp_path / "empty.sqlite3")])
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: no activities stored yet: run `stridewise ingest PATH` first"


def test_rules_lists_every_rule_with_thresholds_grade_and_source(tmp_path: Path) -> None:
    config = tmp_path / "c.toml"
    config.write_text("[rules.single_run_spike]\nelevated_ratio = 1.2\n")
    result = runner.invoke(app, ["rules", "--config", str(config)])
    assert result.exit_code == 0
    assert "single_run_spike  [cohort; elevated, high]  Single-run spike" in result.stdout
    assert "    thresholds: elevated_ratio = 1.1, high_ratio = 2   (config: elevated_ratio = 1.2)" in result.stdout
    assert result.stdout.count("    source: ") == 10
    config.write_text("[rules.spike]\nratio = 1.2\n")
    bad = runner.invoke(app, ["rules", "--config", str(config)])
    assert bad.exit_code == 1 and "no such rule" in bad.stderr
