"""The runner's own risk factors: context in the articles' words, never a threshold."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from conftest import cli_runner
from stridewise.cli import app
from stridewise.config import RunnerProfile, parse_config
from stridewise.risk.profile import NOT_A_DIAGNOSIS, profile_context

SAMPLE_LOGS = Path(__file__).resolve().parent.parent / "sample_logs"


def test_nothing_said_nothing_shown() -> None:
    assert profile_context(RunnerProfile(), date(2026, 11, 22)) == []
    # Born 1976: 50 in 2026, over 50 only from 2027. Five years of running: neither a beginner nor past six.
    assert profile_context(RunnerProfile(birth_year=1976, previous_back_pain=False, years_running=5),
                           date(2026, 11, 22)) == []


def test_each_factor_is_one_sentence_with_its_grade_and_the_disclaimer_last() -> None:
    profile = parse_config({"runner": {"birth_year": 1970, "previous_back_pain": True,
                                       "previous_running_injury": True, "years_running": 1.5}}).runner
    lines = profile_context(profile, date(2026, 11, 22))
    assert len(lines) == 5
    assert lines[0].startswith("You are over 50:") and "(convention: no study gives an age threshold)" in lines[0]
    assert lines[1].startswith("You have had back pain before:")
    assert lines[2].startswith("You have had a running injury before (cohort:")
    assert lines[3].startswith("You have run for less than 2 years: beginners and returning runners")
    assert lines[4] == NOT_A_DIAGNOSIS
    veteran = profile_context(RunnerProfile(years_running=10), date(2026, 11, 22))
    assert veteran[0].startswith("You have run for more than 6 years") and "Maselli" in veteran[0]


def test_the_report_shows_the_profile_and_its_flags_do_not_change(tmp_path: Path) -> None:
    plain, told = tmp_path / "plain.toml", tmp_path / "told.toml"
    plain.write_text('timezone = "Europe/Zurich"\n')
    told.write_text('timezone = "Europe/Zurich"\n[runner]\nprevious_running_injury = true\n')
    db = str(tmp_path / "s.sqlite3")
    reports = {}
    for config in (plain, told):
        out = tmp_path / config.stem
        result = cli_runner().invoke(app, ["report", str(SAMPLE_LOGS), "--out", str(out), "--week", "2026-W39",
                                          "--db", db, "--config", str(config)])
        assert result.exit_code == 0, result.output
        reports[config.stem] = (json.loads((out / "report-2026-W39.json").read_text()),
                                (out / "report-2026-W39.html").read_text())
    (plain_json, plain_html), (told_json, told_html) = reports["plain"], reports["told"]
    assert plain_json["runner"] == [] and 'id="runner"' not in plain_html
    assert told_json["runner"][0].startswith("You have had a running injury before")
    assert 'id="runner"' in told_html
    assert told_json["flags"] == plain_json["flags"]
