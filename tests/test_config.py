"""The config file: where it is found, what it holds, and the one-line errors for bad values."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from stridewise.config import Config, find_config, load_config, parse_config
from stridewise.errors import ConfigError


def _write(folder: Path, text: str) -> Path:
    path = folder / "stridewise.toml"
    path.write_text(text)
    return path


def test_a_full_config_is_read(tmp_path: Path) -> None:
    path = _write(tmp_path, '''
timezone = "Europe/Zurich"
[elevation]
downhill_grade_pct = -6
steep_grade_pct = -12
grade_window_m = 80
[shoe_limits]
notice_km = 450
[[shoes]]
name = "Pegasus 40"
first_use = 2026-02-01
initial_km = 350
default_for = "road"
[[shoes]]
name = "Speedgoat 5"
replace_km = 700
[[surface_rules]]
surface = "trail"
name_contains = "Pilatus"
[rules.single_run_spike]
elevated_ratio = 1.2
''')
    config = load_config(path)
    assert config.zone().key == "Europe/Zurich"
    assert (config.elevation.downhill_grade_pct, config.elevation.steep_grade_pct,
            config.elevation.grade_window_m) == (-6.0, -12.0, 80.0)
    pegasus, speedgoat = config.shoes
    assert (pegasus.first_use, pegasus.initial_km, pegasus.notice_km, pegasus.replace_km, pegasus.default_for) == (
        date(2026, 2, 1), 350.0, 450.0, 800.0, ("road",))
    assert (speedgoat.notice_km, speedgoat.replace_km) == (450.0, 700.0)
    assert config.surface_rules[0].name_contains == "Pilatus"
    assert config.rules == {"single_run_spike": {"elevated_ratio": 1.2}}


def test_precedence_flag_then_env_then_log_folder_then_user_dir(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "logs").mkdir()
    (tmp_path / "env").mkdir()
    in_logs = _write(tmp_path / "logs", 'timezone = "UTC"')
    from_env = _write(tmp_path / "env", 'timezone = "UTC"')
    explicit = tmp_path / "explicit.toml"
    explicit.write_text("")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "nothing"))
    monkeypatch.delenv("STRIDEWISE_CONFIG", raising=False)
    assert find_config(None, [tmp_path / "logs"]) == in_logs
    monkeypatch.setenv("STRIDEWISE_CONFIG", str(from_env))
    assert find_config(None, [tmp_path / "logs"]) == from_env
    assert find_config(explicit, [tmp_path / "logs"]) == explicit
    monkeypatch.delenv("STRIDEWISE_CONFIG")
    assert find_config(None, [tmp_path / "elsewhere"]) is None
    assert load_config(None, [tmp_path / "elsewhere"]) == Config()


@pytest.mark.parametrize(("text", "message"), [
    ("timezone = 3", "timezone must be a string such as 'Europe/Zurich'"),
    ('timezone = "Mars/Olympus"', "unknown timezone 'Mars/Olympus'"),
    ("colour = 'red'", "unknown setting 'colour'"),
    ("[elevation]\ngrade_window_m = 20", "[elevation] grade_window_m = 20: must be a number from 50 to 10000"),
    ("[elevation]\ndownhill_grade_pct = -12\nsteep_grade_pct = -10", "steep_grade_pct <= downhill_grade_pct < 0"),
    ("[elevation]\nwindow = 60", "unknown [elevation] setting 'window'"),
    ("[elevation]\ngps_smoothing_m = 400", "[elevation] gps_smoothing_m is no longer used (the smoothing now follows "
                                          "each track's own noise)"),
    ("[elevation]\nbarometric_max_grade_filter_m = 30",
     "[elevation] barometric_max_grade_filter_m = 30: must be a number from 50 to 10000"),
    ("[elevation]\ntarget_grade_noise_pct = 0",
     "[elevation] target_grade_noise_pct = 0: must be a number > 0 and <= 100"),
    ("[[shoes]]\ninitial_km = 3", "every [[shoes]] needs a name"),
    ("[[shoes]]\nname = 'A'\nfirst_use = 'last spring'",
     "shoe 'A' first_use = 'last spring': must be a date like 2026-03-01"),
    ("[[shoes]]\nname = 'A'\ninitial_km = 'lots'",
     "shoe 'A' initial_km = 'lots': must be a number from 0 to 100000"),
    ("[[surface_rules]]\nsurface = 'sand'\ngear = 'x'", "surface rule needs surface = one of road, unpaved, trail"),
    ("[runner]\nbirth_year = 'seventies'", "[runner] birth_year must be a year such as 1970"),
    ("[runner]\nprevious_back_pain = 'yes'", "[runner] previous_back_pain must be true or false"),
    ("[runner]\nyears_running = -1", "[runner] years_running must be 0 or more"),
    ("[runner]\nweight_kg = 80", "unknown [runner] setting 'weight_kg'"),
    ("[[surface_rules]]\nsurface = 'trail'", "needs name_contains, gear or type"),
    ("timezone = ", "not valid TOML"),
])
def test_bad_values_give_one_line_errors_that_name_the_fix(tmp_path: Path, text: str, message: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert message in str(caught.value)
    assert str(path) in str(caught.value)
    assert "\n" not in str(caught.value)


def test_a_missing_explicit_config_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"config file .*nope\.toml not found"):
        load_config(tmp_path / "nope.toml")


def test_parse_config_without_a_file_uses_defaults() -> None:
    config = parse_config({})
    assert (config.elevation.downhill_grade_pct, config.elevation.steep_grade_pct) == (-5.0, -10.0)
    assert config.shoes == ()
