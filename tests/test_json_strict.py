"""Every JSON the CLI writes is strict RFC 8259: no NaN or Infinity, checked with a parser that refuses them."""

from __future__ import annotations

import json
import math
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from conftest import SAMPLE_LOGS, cli_runner
from stridewise.cli import app
from stridewise.jsontext import dumps, plain

runner = cli_runner()
TRUTH = json.loads((SAMPLE_LOGS / "truth.json").read_text())
SAMPLE_CONFIG = SAMPLE_LOGS / "stridewise.toml"


def strict(text: str) -> Any:
    """Parse JSON as JSON.parse and jq do: bare NaN, Infinity and -Infinity are errors."""
    def refuse(constant: str) -> Any:
        raise ValueError(f"not RFC 8259 JSON: {constant}")
    return json.loads(text, parse_constant=refuse)


def test_strict_refuses_what_python_json_writes_for_nan() -> None:
    with pytest.raises(ValueError, match="not RFC 8259 JSON: NaN"):
        strict(json.dumps({"distance_m": math.nan}))


def test_dumps_writes_null_for_every_missing_or_non_finite_number() -> None:
    value = {"nan": math.nan, "inf": -math.inf, "np": np.float64("nan"), "na": pd.NA, "nat": pd.NaT,
             "i": np.int64(7), "f": np.float32(0.5), "b": np.bool_(True), "day": date(2026, 7, 1),
             "at": datetime(2026, 7, 1, 6, tzinfo=UTC), "t": (1, 2.5), 3: "key"}
    assert strict(dumps(value)) == {"nan": None, "inf": None, "np": None, "na": None, "nat": None, "i": 7, "f": 0.5,
                                    "b": True, "day": "2026-07-01", "at": "2026-07-01T06:00:00+00:00",
                                    "t": [1, 2.5], "3": "key"}
    assert plain(pd.Timestamp("2026-07-01T06:00:00Z")) == "2026-07-01T06:00:00+00:00"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "store.sqlite3"
    result = runner.invoke(app, ["ingest", str(SAMPLE_LOGS), "--db", str(db), "--jobs", "2"])
    assert result.exit_code == 0, result.stderr
    result = runner.invoke(app, ["pain", "add", "2026-09-22", "3", "--where", "lower back", "--db", str(db)])
    assert result.exit_code == 0, result.stderr
    return db


@pytest.mark.parametrize("command", [
    ["activities", "--json", "--all"],
    ["check", "--json", "--week", "2026-W39"],
    ["shoes", "list", "--json", "--as-of", "2026-09-30"],
    ["pain", "list", "--json"],
])
def test_every_json_command_on_the_demo_store_is_strict(demo_db: Path, command: list[str]) -> None:
    config = ["--config", str(SAMPLE_CONFIG)] if command[0] != "pain" else []
    result = runner.invoke(app, [*command, "--db", str(demo_db), *config])
    assert result.exit_code == 0, result.stderr
    assert strict(result.stdout)


def test_activities_json_has_a_verdict_for_every_activity_duplicates_included(demo_db: Path) -> None:
    result = runner.invoke(app, ["activities", "--json", "--all", "--db", str(demo_db)])
    rows = strict(result.stdout)
    assert len(rows) == len(TRUTH)
    duplicates = [r for r in rows if r["duplicate_of"] is not None]
    assert len(duplicates) == sum(1 for t in TRUTH if t["duplicate_of"])
    assert all(r["counted"] is (r["duplicate_of"] is None) for r in rows)
    assert [r["not_counted_because"] for r in duplicates] == [r["duplicate_reason"] for r in duplicates]
    assert all(f"activity {r['duplicate_of']} " in r["not_counted_because"] for r in duplicates)
    assert all(r["not_counted_because"] is None for r in rows if r["counted"])


def test_the_report_json_file_is_strict(demo_db: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["report", "--db", str(demo_db), "--config", str(SAMPLE_CONFIG), "--week", "2026-W39",
                                 "--out", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    data = strict((tmp_path / "report-2026-W39.json").read_text())
    assert data["week"] == "2026-W39"


def test_the_activities_table_prints_runs_with_and_without_a_shoe(demo_db: Path) -> None:
    """The demo's own store crashed the table: shoe was NaN (a float) for runs without one."""
    result = runner.invoke(app, ["activities", "--db", str(demo_db), "--config", str(SAMPLE_CONFIG)])
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == sum(1 for t in TRUTH if not t["duplicate_of"])
    rides = [line for line in lines if " cycling " in line]
    assert rides and all("Pegasus" not in line and "Speedgoat" not in line for line in rides)
    assert any("Pegasus" in line for line in lines)
