"""The command line: exit codes, messages, help texts and the activities JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.main import get_command

from builders import gpx, morning, straight_run
from conftest import cli_runner
from stridewise.cli import app

runner = cli_runner()


@pytest.fixture
def logs(tmp_path: Path) -> Path:
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "easy.gpx").write_bytes(gpx(straight_run(morning(1), distance_m=5000, pace_s_per_km=330),
                                          name="Easy <b>run</b>"))
    return folder


def _command_paths(command: Any, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], bool]]:
    """(path, is a group) for the root and every command and sub-command."""
    subcommands = getattr(command, "commands", {})
    paths = [(prefix, bool(subcommands))]
    for name, sub in subcommands.items():
        paths += _command_paths(sub, (*prefix, name))
    return paths


def test_every_command_has_help_with_an_example() -> None:
    paths = _command_paths(get_command(app))
    assert {p[0] for p, _ in paths if p} == {"ingest", "activities", "check", "rules", "report", "batch", "schedule",
                                             "shoes", "pain", "map"}
    for path, is_group in paths:
        result = runner.invoke(app, [*path, "--help"])
        assert result.exit_code == 0, path
        if not is_group or not path:
            assert "Example" in result.stdout, path


def test_ingest_prints_a_summary_and_exits_0(logs: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(logs), "--db", str(tmp_path / "s.sqlite3")])
    assert result.exit_code == 0, result.output
    assert "Files: 1 found, 1 read, 0 unchanged." in result.stdout
    assert "Activities: 1 added (1 runs)" in result.stdout


def test_a_bad_file_is_listed_with_its_reason_and_exits_1(logs: Path, tmp_path: Path) -> None:
    (logs / "cut.tcx").write_text("<TrainingCenterDatabase><Activities>")
    result = runner.invoke(app, ["ingest", str(logs), "--db", str(tmp_path / "s.sqlite3")])
    assert result.exit_code == 1
    assert "Activities: 1 added (1 runs)" in result.stdout
    assert f"  {logs / 'cut.tcx'}: not well-formed XML (no element found: line 1, column 36)" in result.stdout
    assert "Error: 1 file(s) could not be read (listed above)" in result.stderr
    assert "Traceback" not in result.output


def test_a_missing_path_is_an_error_not_a_traceback(tmp_path: Path) -> None:
    result = runner.invoke(app, ["ingest", str(tmp_path / "nope"), "--db", str(tmp_path / "s.sqlite3")])
    assert result.exit_code == 1
    assert f"{tmp_path / 'nope'}: no such file or folder" in result.stdout


def test_usage_errors_exit_2(logs: Path) -> None:
    assert runner.invoke(app, ["ingest", str(logs), "--jobs", "0"]).exit_code == 2
    assert runner.invoke(app, ["ingest"]).exit_code == 2


def test_an_unusable_store_path_gives_one_line_and_exit_1(logs: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = runner.invoke(app, ["ingest", str(logs), "--db", str(blocker / "s.sqlite3")])
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: store {blocker / 's.sqlite3'}: cannot open")
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_store_comes_from_stridewise_db_when_no_flag(logs: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STRIDEWISE_DB", str(tmp_path / "env.sqlite3"))
    assert runner.invoke(app, ["ingest", str(logs)]).exit_code == 0
    assert (tmp_path / "env.sqlite3").is_file()


def test_activities_json_lists_the_documented_fields(logs: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["activities", str(logs), "--json", "--db", str(tmp_path / "s.sqlite3")])
    assert result.exit_code == 0, result.output
    (activity,) = json.loads(result.stdout)
    required = {"id", "source", "format", "sport", "sub_sport", "start_utc", "start_local", "distance_m",
                "duration_s", "moving_time_s", "name", "gear"}
    assert required <= activity.keys()
    assert (activity["format"], activity["sport"], activity["name"]) == ("gpx", "running", "Easy <b>run</b>")
    assert activity["start_utc"] == "2026-07-01T06:00:00+00:00"
    assert activity["distance_m"] == pytest.approx(5000, abs=5)
    assert activity["duration_s"] == 1650.0
