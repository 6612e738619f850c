"""The generated sample_logs/ (scripts/make_sample_logs.py): files exist, FIT totals agree with truth.json, and
the weekly running distance has the shape the plan promises."""

from __future__ import annotations

import gzip
import io
import json
import zipfile
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import fitparse
import pytest

SAMPLE_LOGS = Path(__file__).parent.parent / "sample_logs"
TRUTH: list[dict[str, Any]] = json.loads((SAMPLE_LOGS / "truth.json").read_text())
RUNS = [t for t in TRUTH if t["sport"] == "running" and t["duplicate_of"] is None]
FIT_WITH_DISTANCE = [t for t in TRUTH if t["file"].endswith((".fit", ".fit.gz")) and t["distance_m"] > 0]


def read_bytes(reference: str) -> bytes:
    """A file under sample_logs/, or a zip member named "archive.zip!member"; gunzipped if .gz."""
    archive, separator, member = reference.partition("!")
    if separator:
        with zipfile.ZipFile(SAMPLE_LOGS / archive) as zipped:
            data = zipped.read(member)
    else:
        data = (SAMPLE_LOGS / reference).read_bytes()
    return gzip.decompress(data) if reference.endswith(".gz") else data


def start(entry: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(entry["start_utc"].replace("Z", "+00:00"))


@pytest.mark.parametrize("entry", TRUTH, ids=lambda entry: entry["file"])
def test_truth_entry_is_a_file_or_zip_member(entry: dict[str, Any]) -> None:
    archive, separator, member = entry["file"].partition("!")
    if separator:
        with zipfile.ZipFile(SAMPLE_LOGS / archive) as zipped:
            assert member in zipped.namelist()
    else:
        assert (SAMPLE_LOGS / archive).is_file()


@pytest.mark.parametrize("entry", FIT_WITH_DISTANCE, ids=lambda entry: entry["file"])
def test_fit_session_distance_matches_truth(entry: dict[str, Any]) -> None:
    fit = fitparse.FitFile(io.BytesIO(read_bytes(entry["file"])), check_crc=True)
    (session,) = list(fit.get_messages("session"))
    assert session.get_value("total_distance") == pytest.approx(entry["distance_m"], rel=0.01)


def test_w35_running_distance_jumps_more_than_30_percent_over_w34() -> None:
    week_m: dict[str, float] = defaultdict(float)
    for run in RUNS:
        week_m[run["iso_week"]] += run["distance_m"]
    assert len(week_m) == 20
    assert week_m["2026-W35"] > 1.3 * week_m["2026-W34"]


def test_w39_longest_run_is_more_than_twice_the_longest_of_the_previous_30_days() -> None:
    race = max((run for run in RUNS if run["iso_week"] == "2026-W39"), key=lambda run: run["distance_m"])
    previous_m = [run["distance_m"] for run in RUNS
                  if start(race) - timedelta(days=30) <= start(run) < start(race)]
    assert race["distance_m"] > 2.0 * max(previous_m)


def test_sunday_night_run_on_the_dst_day_belongs_to_w43() -> None:
    (night,) = [run for run in RUNS if run["start_local"].startswith("2026-10-25T23:30")]
    assert night["start_utc"].startswith("2026-10-25T22:30")
    assert night["iso_week"] == "2026-W43"
