"""``stridewise map``: import, list, remove; messages and exit codes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from builders import gpx
from conftest import cli_runner
from osm_runs import NODES, WAYS, as_points, densify, line, with_gps_noise, write_osm
from stridewise.cli import app

runner = cli_runner()


def test_import_list_remove_and_the_activities_json(tmp_path: Path) -> None:
    db = str(tmp_path / "s.sqlite3")
    extract = write_osm(tmp_path / "tiny.osm", NODES, WAYS)
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "path.gpx").write_bytes(gpx(as_points(with_gps_noise(densify(line((12, 0), (12, 600)), 3.0), seed=1))))
    assert runner.invoke(app, ["ingest", str(logs), "--db", db]).exit_code == 0

    result = runner.invoke(app, ["map", "import", str(extract), "--db", db])
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == [
        "Imported tiny.osm as map 1: 5 of 5 runnable ways kept (the whole extract), 15 segments.",
        "Runs matched on the map: 1."]
    listed = runner.invoke(app, ["map", "list", "--db", db]).stdout.splitlines()
    assert listed[1].split()[:2] == ["1", "tiny.osm"]
    assert listed[1].split()[-4:-2] == ["5", "15"]

    later_run = as_points(with_gps_noise(densify(line((12, 0), (12, 600)), 3.0), seed=2),
                          start=datetime(2026, 5, 6, 7, 0, tzinfo=UTC))
    (logs / "path2.gpx").write_bytes(gpx(later_run))
    later = runner.invoke(app, ["ingest", str(logs), "--db", db])
    assert "Surface: 1 runs matched on the imported map." in later.stdout.splitlines()

    run, _ = json.loads(runner.invoke(app, ["activities", "--json", "--db", db]).stdout)
    assert (run["surface"], run["surface_source"]) == ("unpaved", "map")
    assert set(run["surface_mix"]) == {"road", "unpaved", "trail", "track", "unknown"}
    assert sum(run["surface_mix"].values()) == 1.0
    assert run["surface_mix"]["unpaved"] >= 0.9

    result = runner.invoke(app, ["map", "remove", "1", "--db", db])
    assert result.stdout == "Removed map 1; runs matched again: 0.\n"
    run, _ = json.loads(runner.invoke(app, ["activities", "--json", "--db", db]).stdout)
    assert (run["surface"], run["surface_mix"]) == ("unknown", None)
    assert runner.invoke(app, ["map", "list", "--db", db]).stdout == (
        "No map imported yet: run `stridewise map import EXTRACT.osm.pbf`.\n")


def test_bad_input_is_one_line_and_exit_1(tmp_path: Path) -> None:
    db = str(tmp_path / "s.sqlite3")
    missing = runner.invoke(app, ["map", "import", str(tmp_path / "nope.osm.pbf"), "--db", db])
    assert (missing.exit_code, missing.stderr) == (1, f"Error: {tmp_path / 'nope.osm.pbf'}: no such file\n")
    gone = runner.invoke(app, ["map", "remove", "7", "--db", db])
    assert (gone.exit_code, gone.stderr) == (1, "Error: map 7: no such import (see `stridewise map list`)\n")
    assert runner.invoke(app, ["map", "import", str(tmp_path), "--margin-km", "0", "--db", db]).exit_code == 2


def test_the_extract_can_come_from_the_config(tmp_path: Path) -> None:
    write_osm(tmp_path / "tiny.osm", NODES, WAYS)
    config = tmp_path / "stridewise.toml"
    config.write_text('[osm]\nextract = "tiny.osm"\n')
    result = runner.invoke(app, ["map", "import", "--config", str(config), "--db", str(tmp_path / "s.sqlite3")])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("Imported tiny.osm as map 1: 5 of 5 runnable ways kept")
    empty = tmp_path / "empty.toml"
    empty.write_text("")
    result = runner.invoke(app, ["map", "import", "--config", str(empty), "--db", str(tmp_path / "s.sqlite3")])
    assert (result.exit_code, result.stderr) == (
        2, "Error: name an extract, or set `[osm] extract` in the config (see docs/surface.md)\n")
