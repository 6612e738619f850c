"""Editing the shoes in stridewise.toml in place: comments and layout kept, errors that name the fix."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from stridewise.config import Shoe, load_config
from stridewise.config_edit import add_shoe, limit_defaults, retire_shoe
from stridewise.errors import ConfigError

EXISTING = """\
# My running setup
timezone = "Europe/Zurich"  # home

[[shoes]]
name = "Pegasus 40"  # the road pair
initial_km = 350

[elevation]
grade_window_m = 60
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "stridewise.toml"
    path.write_text(EXISTING, encoding="utf-8")
    return path


def test_add_keeps_the_comments_and_puts_the_shoe_after_the_others(config: Path) -> None:
    add_shoe(config, Shoe("Speedgoat 5", first_use=date(2026, 5, 1), initial_km=12.5, default_for=("trail",)))
    assert config.read_text(encoding="utf-8") == """\
# My running setup
timezone = "Europe/Zurich"  # home

[[shoes]]
name = "Pegasus 40"  # the road pair
initial_km = 350

[[shoes]]
name = "Speedgoat 5"
first_use = 2026-05-01
initial_km = 12.5
default_for = ["trail"]

[elevation]
grade_window_m = 60
"""
    assert [s.name for s in load_config(config).shoes] == ["Pegasus 40", "Speedgoat 5"]


def test_a_duplicate_name_is_refused_whatever_its_case(config: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        add_shoe(config, Shoe("pegasus 40"))
    assert str(caught.value) == (f"{config}: a shoe named 'Pegasus 40' is already declared; choose another name, "
                                 "or edit or retire the existing one (`stridewise shoes retire 'Pegasus 40'`)")
    assert config.read_text(encoding="utf-8") == EXISTING


def test_retire_writes_the_date_under_the_shoe(config: Path) -> None:
    retire_shoe(config, "PEGASUS 40", date(2026, 11, 20))
    assert config.read_text(encoding="utf-8") == EXISTING.replace(
        "initial_km = 350\n", "initial_km = 350\nretire = 2026-11-20\n")
    (shoe,) = load_config(config).shoes
    assert shoe.retire == date(2026, 11, 20)
    retire_shoe(config, "Pegasus 40", date(2026, 11, 21))  # again: the date is replaced, not repeated
    assert config.read_text(encoding="utf-8").count("retire = ") == 1
    assert load_config(config).shoes[0].retire == date(2026, 11, 21)


def test_retire_an_unknown_shoe_names_the_fix(config: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        retire_shoe(config, "Clifton 9", date(2026, 11, 20))
    assert str(caught.value) == (f"{config}: no shoe named 'Clifton 9' (declared: 'Pegasus 40'); run "
                                 "`stridewise shoes add 'Clifton 9'` to declare it")


def test_retire_before_first_use_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    add_shoe(path, Shoe("New", first_use=date(2026, 6, 1)))
    with pytest.raises(ConfigError, match=r"cannot retire on 2026-05-31, before its first_use 2026-06-01; give a "
                                          r"later --on date$"):
        retire_shoe(path, "New", date(2026, 5, 31))


def test_add_creates_the_file_and_its_folder(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "stridewise.toml"
    add_shoe(path, Shoe("Road"))
    add_shoe(path, Shoe("Trail", notice_km=400, replace_km=650))
    assert path.read_text(encoding="utf-8") == ('[[shoes]]\nname = "Road"\n\n'
                                                '[[shoes]]\nname = "Trail"\nnotice_km = 400\nreplace_km = 650\n')
    assert [(s.name, s.notice_km, s.replace_km) for s in load_config(path).shoes] == [
        ("Road", 500.0, 800.0), ("Trail", 400.0, 650.0)]


def test_limits_equal_to_the_files_defaults_are_not_written(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[shoe_limits]\nnotice_km = 600\n", encoding="utf-8")
    assert limit_defaults(path) == (600.0, 800.0)
    add_shoe(path, Shoe("Follows the file", notice_km=600))
    add_shoe(path, Shoe("Own limit", notice_km=500))  # explicitly 500, against the file's 600
    assert path.read_text(encoding="utf-8") == (
        '[shoe_limits]\nnotice_km = 600\n\n[[shoes]]\nname = "Follows the file"\n\n'
        '[[shoes]]\nname = "Own limit"\nnotice_km = 500\n')
    assert [s.notice_km for s in load_config(path).shoes] == [600.0, 500.0]


def test_a_file_that_is_not_toml_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("timezone = \n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        add_shoe(path, Shoe("Road"))
    message = str(caught.value)
    assert message.startswith(f"{path}: not valid TOML (")
    assert message.endswith("); fix that line, or move the file away to start a new one")
    assert path.read_text(encoding="utf-8") == "timezone = \n"


def test_shoes_that_are_not_a_list_of_tables_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('shoes = "Pegasus"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        add_shoe(path, Shoe("Road"))
    assert str(caught.value) == f"{path}: shoes must be a list of tables ([[shoes]]); fix it by hand first"


def test_replace_must_be_above_notice(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        add_shoe(tmp_path / "c.toml", Shoe("Odd", notice_km=800, replace_km=500))
    assert str(caught.value) == "shoe 'Odd': replace_km (500) must be above notice_km (800)"
    assert not (tmp_path / "c.toml").exists()
