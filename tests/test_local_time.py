"""One local time: the config zone puts an activity on the same local day in activities --json, the series and the
flags; GPX/TCX times without a zone are read as UTC with a warning."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import stridewise
from builders import gpx, straight_run
from conftest import SAMPLE_LOGS, cli_runner
from stridewise.cli import app
from stridewise.config import Config

runner = cli_runner()
# A late-evening run in the sample season (23:30 local in Europe/Zurich on Sun 25 Oct 2026, the night clocks went
# back): in Tokyo it is already Monday 26 Oct.
LATE_RUN = SAMPLE_LOGS / "garmin" / "2026-10-25-23-30-44.fit"


def test_activities_json_uses_the_config_zone_like_the_series(tmp_path: Path) -> None:
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / LATE_RUN.name).write_bytes(LATE_RUN.read_bytes())
    config = tmp_path / "c.toml"
    config.write_text('timezone = "Asia/Tokyo"\n')
    db = str(tmp_path / "s.sqlite3")
    result = runner.invoke(app, ["activities", str(folder), "--db", db, "--config", str(config), "--json"])
    (row,) = json.loads(result.stdout)
    log = stridewise.load(db=db, config=Config(timezone="Asia/Tokyo"))
    assert row["start_local"].endswith("+09:00")
    assert row["start_local"][:10] == str(log.activities["local_date"].iloc[0]) == "2026-10-26"
    assert str(log.daily.index[0].date()) == "2026-10-26"


def test_gpx_times_without_a_zone_are_read_as_utc_with_a_warning(tmp_path: Path) -> None:
    naive = gpx(straight_run(datetime(2026, 7, 1, 6, tzinfo=UTC), distance_m=3000, pace_s_per_km=330,
                             interval_s=5)).replace(b"Z</time>", b"</time>")
    (tmp_path / "naive.gpx").write_bytes(naive)
    result = runner.invoke(app, ["activities", str(tmp_path / "naive.gpx"), "--db", str(tmp_path / "s.sqlite3"),
                                 "--json"])
    (row,) = json.loads(result.stdout)
    assert row["start_utc"] == "2026-07-01T06:00:00+00:00"
    assert "times carry no time zone: read as UTC, so the local day may be wrong" in row["warnings"]
