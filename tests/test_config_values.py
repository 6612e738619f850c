"""Every config value is checked when the file is loaded: one line naming the key, the value and what is allowed.

The bad files of issue 10 (each gave a traceback or was silently accepted), then a property test: whatever values a
TOML file holds, loading it and using it gives a Config or one ConfigError line, never another exception.
"""

from __future__ import annotations

import math
import tomllib
from datetime import date, timedelta
from pathlib import Path

import pytest
import tomlkit
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from builders import gpx, morning, straight_run
from conftest import cli_runner
from rule_inputs import rule_input
from series_tables import at, run
from stridewise.cli import app
from stridewise.config import load_config, parse_config
from stridewise.errors import ConfigError
from stridewise.frames import SURFACES
from stridewise.metrics import compute_metrics
from stridewise.model import Activity
from stridewise.parsers import parse_bytes
from stridewise.risk import RULES, evaluate
from stridewise.risk.registry import validate_overrides

runner = cli_runner()
SURFACE_CHOICES = ", ".join((*SURFACES, "running"))


def _load(tmp_path: Path, text: str) -> tuple[Path, ConfigError]:
    path = tmp_path / "stridewise.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        config = load_config(path)
        validate_overrides(config.rules, where=str(path))
    return path, caught.value


@pytest.mark.parametrize(("text", "message"), [
    ("[elevation]\ngrade_window_m = nan", "[elevation] grade_window_m = nan: must be a number from 50 to 10000"),
    ("[elevation]\ngrade_window_m = inf", "[elevation] grade_window_m = inf: must be a number from 50 to 10000"),
    ("[elevation]\ntarget_grade_noise_pct = 0",
     "[elevation] target_grade_noise_pct = 0: must be a number > 0 and <= 100"),
    ("[elevation]\ngps_median_m = -1", "[elevation] gps_median_m = -1: must be a number from 0 to 10000"),
    ("[elevation]\ngps_max_grade_filter_m = 60\ngrade_window_m = 80",
     "[elevation] gps_max_grade_filter_m = 60, barometric_max_grade_filter_m = 100: both must be at least "
     "grade_window_m (80)"),
    ("[elevation]\nsteep_grade_pct = '-10'", "[elevation] steep_grade_pct = '-10': must be a number from -100 to 0"),
    ("[rules.worn_shoes]\nrate_days = 0", "[rules.worn_shoes] rate_days = 0: must be a whole number from 1 to 3650"),
    ("[rules.worn_shoes]\nrate_days = 2.5",
     "[rules.worn_shoes] rate_days = 2.5: must be a whole number from 1 to 3650"),
    ("[rules.downhill_share]\nnorm_weeks = -3",
     "[rules.downhill_share] norm_weeks = -3: must be a whole number from 1 to 520"),
    ("[rules.single_run_spike]\nelevated_ratio = 'high'", "[rules.single_run_spike] elevated_ratio = 'high': must be "
                                                           "a number"),
    ("[rules.single_run_spike]\nelevated_ratio = [1.1, 2]", "[rules.single_run_spike] elevated_ratio = [1.1, 2]: "
                                                            "must be a number"),
    ("[rules.single_run_spike]\nelevated_ratio = 0", "[rules.single_run_spike] elevated_ratio = 0: must be a "
                                                     "number > 0"),
    ("[rules]\nsingle_run_spike = 3", "rules.single_run_spike = 3: must be a table [rules.single_run_spike] of "
                                      "thresholds (see `stridewise rules`)"),
    ("[rules.single_run_spike]\nratio = 1.2", "[rules.single_run_spike] unknown threshold 'ratio' (known: "
                                              "elevated_ratio, high_ratio)"),
    ("[[shoes]]\nname = 'A'\ndefault_for = 5",
     f"shoe 'A' default_for = 5: must be one of {SURFACE_CHOICES}, or a list of them"),
    ("[[shoes]]\nname = 'A'\ndefault_for = ['road', 'sand']",
     f"shoe 'A' default_for = ['road', 'sand']: must be one of {SURFACE_CHOICES}, or a list of them"),
    ("[[shoes]]\nname = 'A'\nnotice_km = -500", "shoe 'A' notice_km = -500: must be a number > 0 and <= 100000"),
    ("[[shoes]]\nname = 'A'\nsize = 44", "unknown setting of shoe 'A': 'size' (known: default_for, first_use, "
                                         "initial_km, name, notice_km, replace_km, retire)"),
    ("[shoe_limits]\nnotice_km = -500", "[shoe_limits] notice_km = -500: must be a number > 0 and <= 100000"),
    ("[shoe_limits]\nreplace_km = 1e300", "[shoe_limits] replace_km = 1e+300: must be a number > 0 and <= 100000"),
    ("[[surface_rules]]\nsurface = 'trail'\nname_contains = 5",
     "surface rule for 'trail' name_contains = 5: must be text"),
    ("[[surface_rules]]\nsurface = 'trail'\ngear = 'x'\nfallback = 'yes'",
     "surface rule for 'trail' fallback = 'yes': must be true or false"),
    ("[osm]\nextract = 5", "[osm] extract = 5: must be the path of an .osm.pbf file, as text"),
])
def test_a_bad_value_is_one_line_naming_key_value_and_range(tmp_path: Path, text: str, message: str) -> None:
    path, error = _load(tmp_path, text)
    assert str(error) == f"{path}: {message}"


def test_a_bad_threshold_stops_check_with_exit_1_before_anything_is_read(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text("[rules.worn_shoes]\nrate_days = 0\n")
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "run.gpx").write_bytes(gpx(straight_run(morning(1), distance_m=5000, pace_s_per_km=330)))
    result = runner.invoke(app, ["check", str(logs), "--config", str(config), "--db", str(tmp_path / "s.sqlite3")])
    assert result.exit_code == 1
    assert result.stderr == (f"Error: {config}: [rules.worn_shoes] rate_days = 0: must be a whole number from 1 to "
                             "3650\n")
    assert not (tmp_path / "s.sqlite3").exists()


# --- property: any TOML values ---------------------------------------------------------------------------------
SECTIONS = {
    "elevation": ["downhill_grade_pct", "steep_grade_pct", "grade_window_m", "target_grade_noise_pct", "gps_median_m",
                  "gps_max_grade_filter_m", "barometric_hysteresis_m", "gps_totals_dead_band_pct", "gps_smoothing_m",
                  "window"],
    "shoe_limits": ["notice_km", "replace_km", "other"],
    "osm": ["extract", "other"],
}
THRESHOLDS = [(rule_id, name) for rule_id, rule in RULES.items() for name in rule.thresholds] + [("spike", "x")]
SCALARS = st.one_of(
    st.integers(min_value=-(2**63), max_value=2**63 - 1), st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0, 1, -1, 50, 0.5, 1e308, -0.0, 2**62]), st.text(max_size=12), st.booleans(), st.dates(),
    st.sampled_from(["road", "trail", "running", "2026-03-01", "Europe/Zurich", ""]),
)
VALUES = st.one_of(SCALARS, st.lists(SCALARS, max_size=3))


@st.composite
def documents(draw: st.DrawFn) -> dict[str, object]:
    doc: dict[str, object] = {}
    for section, keys in SECTIONS.items():
        if draw(st.booleans()):
            doc[section] = draw(st.dictionaries(st.sampled_from(keys), VALUES, max_size=3))
    if draw(st.booleans()):
        pairs = draw(st.lists(st.tuples(st.sampled_from(THRESHOLDS), VALUES), max_size=3))
        rules: dict[str, dict[str, object]] = {}
        for (rule_id, name), value in pairs:
            rules.setdefault(rule_id, {})[name] = value
        doc["rules"] = rules
    if draw(st.booleans()):
        shoe_keys = ["name", "first_use", "retire", "initial_km", "notice_km", "replace_km", "default_for"]
        doc["shoes"] = draw(st.lists(st.dictionaries(st.sampled_from(shoe_keys), VALUES, max_size=4), max_size=2))
    if draw(st.booleans()):
        rule_keys = ["surface", "name_contains", "gear", "type", "fallback"]
        doc["surface_rules"] = draw(st.lists(st.dictionaries(st.sampled_from(rule_keys), VALUES, max_size=4),
                                             max_size=2))
    if draw(st.booleans()):
        doc["timezone"] = draw(SCALARS)
    return doc


def _sample_activity() -> Activity:
    (activity,) = parse_bytes(gpx(straight_run(morning(1), distance_m=3000, pace_s_per_km=330)), "run.gpx")
    return activity


SAMPLE = _sample_activity()
RULE_DATA = rule_input([run(at(date(2026, 7, 1) + timedelta(days=d)), 8) for d in range(0, 60, 2)])


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_any_toml_values_give_a_config_or_one_config_error_line(tmp_path_factory: pytest.TempPathFactory,
                                                                 doc: dict[str, object]) -> None:
    text = tomlkit.dumps(doc)
    data = tomllib.loads(text)  # what a runner's file can hold (TOML has no null, but has nan, inf, dates)
    path = tmp_path_factory.mktemp("config") / "stridewise.toml"
    path.write_text(text)
    try:
        config = load_config(path)
        validate_overrides(config.rules, where=str(path))
    except ConfigError as exc:
        message = str(exc)
        assert message.startswith(f"{path}: ") and "\n" not in message and len(message) < 400
        return
    assert parse_config(data, path) == config
    # What was accepted works: metrics with these elevation settings, the rules with these thresholds.
    metrics = compute_metrics(SAMPLE.stream, device_distance_m=None, altitude_source="gps", sub_sport=None,
                              settings=config.elevation)
    assert math.isclose(metrics.summary.distance_m, 3000, rel_tol=0.02)
    evaluate(RULE_DATA, config.rules)
