"""``stridewise shoes``: exit codes, exact messages, and the numbers of ``shoes list --json`` on a small log."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from builders import gpx, morning, straight_run, strava_csv
from conftest import cli_runner
from stridewise.cli import app

runner = cli_runner()
AS_OF = "2026-07-10"  # the 28-day window is 2026-06-13 .. 2026-07-10: every run below is in it
CONFIG = """\
timezone = "UTC"

# Road runs without a named shoe are in the Road pair.
[[shoes]]
name = "Road"
initial_km = 488
replace_km = 515
default_for = ["running"]

[[shoes]]
name = "Trail Shoe"
initial_km = 490
replace_km = 512
"""


@pytest.fixture(autouse=True)
def no_user_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """No config or store from the machine running the tests."""
    monkeypatch.delenv("STRIDEWISE_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    monkeypatch.setenv("STRIDEWISE_DB", str(tmp_path / "default.sqlite3"))


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    """Runs of 5 km (1 July), 6 km in the Trail Shoe by Strava's gear (3 July) and 10 km (5 July)."""
    folder = tmp_path / "logs"
    folder.mkdir()
    for name, day, km in (("a", 1, 5), ("b", 3, 6), ("c", 5, 10)):
        (folder / f"{name}.gpx").write_bytes(gpx(straight_run(morning(day), distance_m=km * 1000,
                                                              pace_s_per_km=330)))
    (folder / "activities.csv").write_text(strava_csv([("Hills", "Trail Run", "Trail Shoe", "b.gpx")]))
    return folder


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "stridewise.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


def invoke(*args: str) -> Any:
    return runner.invoke(app, list(args))


def listed(db: Path, config: Path, *paths: Path) -> dict[str, dict[str, Any]]:
    result = invoke("shoes", "list", *map(str, paths), "--json", "--as-of", AS_OF, "--db", str(db),
                    "--config", str(config))
    assert result.exit_code == 0, result.output
    return {row["name"]: row for row in json.loads(result.stdout)}


@pytest.mark.parametrize("command", [[], ["list"], ["add"], ["retire"], ["assign"]])
def test_every_shoes_command_has_help_with_an_example(command: list[str]) -> None:
    result = invoke("shoes", *command, "--help")
    assert result.exit_code == 0
    assert "Example" in result.stdout


def test_list_json_numbers(logs: Path, config: Path, tmp_path: Path) -> None:
    shoes = listed(tmp_path / "s.sqlite3", config, logs)
    road, trail = shoes["Road"], shoes["Trail Shoe"]
    assert road["distance_km"] == pytest.approx(503.0, abs=0.02)  # 488 + 5 + 10
    assert (road["runs"], road["first_run"], road["last_run"]) == (2, "2026-07-01", "2026-07-05")
    assert road["km_last_28d"] == pytest.approx(15.0, abs=0.02)
    assert road["rate_km_per_day"] == pytest.approx(15 / 28, abs=0.001)
    assert road["notice_date"] == "2026-07-05"  # 488 + 5 = 493, + 10 = 503: crossed 500 on the 10 km run
    assert road["replace_date"] == "2026-08-02"  # 12 km at 15/28 km a day: 22.4 days -> 23 days after 10 July
    assert road["status"] == "notice"
    assert trail["distance_km"] == pytest.approx(496.0, abs=0.02)  # 490 + 6, named by Strava's gear
    assert trail["notice_date"] == "2026-07-29"  # 4 km at 6/28 km a day: 18.7 -> 19 days
    assert trail["replace_date"] == "2026-09-23"  # 16 km: 74.7 -> 75 days
    assert trail["status"] == "ok"


def test_reading_the_files_again_does_not_count_twice(logs: Path, config: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    first = listed(db, config, logs)
    for path in logs.iterdir():  # changed on disk, same content
        os.utime(path, (1_800_000_000, 1_800_000_000))
    assert listed(db, config, logs) == first
    assert listed(db, config) == first


def test_assign_moves_a_run_to_another_shoe(logs: Path, config: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    listed(db, config, logs)
    result = invoke("shoes", "assign", "3", "trail shoe", "--db", str(db), "--config", str(config))
    assert result.exit_code == 0, result.output
    assert result.stdout == "Activity 3 (2026-07-05 Morning Run, 10.00 km) now counts for 'Trail Shoe'.\n"
    shoes = listed(db, config, logs)  # reading the files again keeps the assignment
    road, trail = shoes["Road"], shoes["Trail Shoe"]
    assert (road["runs"], trail["runs"]) == (1, 2)
    assert road["distance_km"] == pytest.approx(493.0, abs=0.02)
    assert trail["distance_km"] == pytest.approx(506.0, abs=0.02)
    assert (road["notice_date"], road["replace_date"]) == ("2026-08-19", "2026-11-11")  # 7 and 22 km at 5/28 a day
    assert (trail["notice_date"], trail["replace_date"]) == ("2026-07-05", "2026-07-21")  # 6 km at 16/28: 10.5 d


def test_assign_errors_name_the_fix(logs: Path, config: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    listed(db, config, logs)
    result = invoke("shoes", "assign", "99", "Road", "--db", str(db), "--config", str(config))
    assert (result.exit_code, result.stderr) == (1, "Error: no activity with id 99 (see `stridewise activities`)\n")
    result = invoke("shoes", "assign", "1", "Clifton", "--db", str(db), "--config", str(config))
    assert (result.exit_code, result.stderr) == (1, "Error: unknown shoe 'Clifton' (known: 'Road', 'Trail Shoe'); "
                                                    "run `stridewise shoes add 'Clifton'` to register it\n")
    assert invoke("shoes", "assign", "one", "Road", "--db", str(db)).exit_code == 2


def test_list_table_shows_limits_retirement_and_the_rotation_hint(logs: Path, config: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    result = invoke("shoes", "retire", "Trail Shoe", "--on", "2026-07-04", "--db", str(db), "--config", str(config))
    assert (result.exit_code, result.stdout) == (0, f"Retired 'Trail Shoe' on 2026-07-04 in {config}.\n")
    result = invoke("shoes", "list", str(logs), "--as-of", AS_OF, "--db", str(db), "--config", str(config))
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "shoe        status        km  runs  last run    km/week  limits"
    assert lines[1].startswith("Road        notice     503.0     2  2026-07-05      3.7  ")
    assert lines[1].endswith("passed notice on 2026-07-05 (500 km); replace at 515 km on 2026-08-02")
    assert lines[2].startswith("Trail Shoe  retired    496.0     1  2026-07-03      1.5  retired on 2026-07-04")
    assert lines[-1] == ("Only one pair in use (Road): consider rotating two pairs. Runners who used more than one "
                         "pair had fewer injuries (Malisoux et al. 2015, HR 0.61).")


def test_add_writes_the_config_and_refuses_a_duplicate(config: Path) -> None:
    result = invoke("shoes", "add", "Clifton 9", "--first-use", "2026-07-01", "--initial-km", "12",
                    "--default-for", "road", "--config", str(config))
    assert (result.exit_code, result.stdout) == (
        0, f"Added 'Clifton 9' to {config}: notice at 500 km, replace at 800 km.\n")
    assert config.read_text(encoding="utf-8") == CONFIG + (
        '\n[[shoes]]\nname = "Clifton 9"\nfirst_use = 2026-07-01\ninitial_km = 12\ndefault_for = ["road"]\n')
    result = invoke("shoes", "add", "clifton 9", "--config", str(config))
    assert (result.exit_code, result.stderr) == (
        1, f"Error: {config}: a shoe named 'Clifton 9' is already declared; choose another name, or edit or "
           "retire the existing one (`stridewise shoes retire 'Clifton 9'`)\n")


def test_add_says_what_the_store_already_holds(logs: Path, config: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    bare = tmp_path / "bare.toml"
    bare.write_text('timezone = "UTC"\n', encoding="utf-8")
    listed(db, bare, logs)
    result = invoke("shoes", "add", "Trail shoe", "--initial-km", "100", "--db", str(db), "--config", str(bare))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == "It has 106.0 km from 1 logged run(s) so far."


def test_add_without_a_config_file_writes_the_users_and_says_so(tmp_path: Path) -> None:
    result = invoke("shoes", "add", "Road")
    path = tmp_path / "xdg-config" / "stridewise" / "stridewise.toml"
    assert (result.exit_code, result.stdout) == (
        0, f"No config file was found; created {path}.\nAdded 'Road' to {path}: notice at 500 km, replace at 800 km.\n")
    assert path.read_text(encoding="utf-8") == '[[shoes]]\nname = "Road"\n'


@pytest.mark.parametrize("args", [
    ["add", "X", "--first-use", "2026-7-1"],
    ["add", "X", "--first-use", "01.07.2026"],
    ["add", "X", "--default-for", "beach"],
    ["add", "X", "--notice-km", "600", "--replace-km", "500"],
    ["add", "X", "--initial-km", "-1"],
    ["add", " "],
    ["retire", "X", "--on", "2026-02-30"],
    ["list", "--as-of", "20260710"],
])
def test_usage_errors_exit_2(args: list[str], config: Path) -> None:
    result = invoke("shoes", *args, "--config", str(config))
    assert result.exit_code == 2, result.output
    assert config.read_text(encoding="utf-8") == CONFIG


def test_a_bad_date_says_the_format(config: Path) -> None:
    result = invoke("shoes", "retire", "Road", "--on", "2026-7-1", "--config", str(config))
    assert result.exit_code == 2
    words = " ".join(result.stderr.replace("│", " ").split())  # Typer draws a box and wraps the lines
    assert "Invalid value for '--on': '2026-7-1' is not a date like 2026-03-01 (YYYY-MM-DD)" in words


def test_retire_a_shoe_known_only_from_strava(logs: Path, tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite3"
    bare = tmp_path / "bare.toml"
    bare.write_text("# mine\n", encoding="utf-8")
    listed(db, bare, logs)
    result = invoke("shoes", "retire", "trail shoe", "--on", "2026-07-04", "--db", str(db), "--config", str(bare))
    assert (result.exit_code, result.stdout) == (
        0, f"Declared 'Trail Shoe' (from Strava's gear) in {bare}, retired on 2026-07-04.\n")
    assert bare.read_text(encoding="utf-8") == '# mine\n\n[[shoes]]\nname = "Trail Shoe"\nretire = 2026-07-04\n'
    assert listed(db, bare)["Trail Shoe"]["status"] == "retired"


def test_retire_an_unknown_shoe_exits_1(config: Path, tmp_path: Path) -> None:
    result = invoke("shoes", "retire", "Nope", "--db", str(tmp_path / "none.sqlite3"), "--config", str(config))
    assert (result.exit_code, result.stderr) == (
        1, f"Error: {config}: no shoe named 'Nope' (declared: 'Road', 'Trail Shoe'); run `stridewise shoes add "
           "'Nope'` to declare it\n")


def test_list_with_a_missing_config_file_exits_1(tmp_path: Path) -> None:
    result = invoke("shoes", "list", "--db", str(tmp_path / "s.sqlite3"), "--config", str(tmp_path / "no.toml"))
    assert (result.exit_code, result.stderr) == (1, f"Error: config file {tmp_path / 'no.toml'} not found\n")
