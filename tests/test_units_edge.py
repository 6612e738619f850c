"""Units at the edge: with miles chosen, no outward-facing string of the report, card, charts or check says "km"."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from matplotlib.text import Text

from conftest import cli_runner, sample_store_copy
from stridewise.cli import app

runner = cli_runner()
WEEKS = ("2026-W39", "2026-W43")  # the ultra (a spike) and the week the Pegasus passes 800 km


class _TextOf(HTMLParser):
    """Every text node and every attribute a person can read (alt, title), outside <style>."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._in_style = tag == "style"
        self.parts += [value for name, value in attrs if name in ("alt", "title") and value]

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if not self._in_style and data.strip():
            self.parts.append(data.strip())


def strings(value: Any) -> list[str]:
    """Every string value in a JSON document (keys are names for programs, not for people)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for item in value.values() for s in strings(item)]
    if isinstance(value, list):
        return [s for item in value for s in strings(item)]
    return []


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory, sample_store: Path) -> Path:
    return sample_store_copy(sample_store, tmp_path_factory.mktemp("units"))


def with_km(texts: list[str]) -> list[str]:
    return [t for t in texts if "km" in t.lower()]


@pytest.mark.parametrize("week", WEEKS)
def test_a_miles_report_says_no_km_in_html_json_card_or_charts(store: Path, tmp_path: Path, week: str) -> None:
    import stridewise
    from stridewise.config import Config
    from stridewise.report.build import build_report
    from stridewise.report.charts_for import report_card, report_charts

    result = runner.invoke(app, ["report", "--db", str(store), "--week", week, "--units", "mi", "--out",
                                 str(tmp_path)])
    assert result.exit_code == 0, result.output
    parser = _TextOf()
    parser.feed((tmp_path / f"report-{week}.html").read_text())
    assert len(parser.parts) > 50 and any(" mi" in p for p in parser.parts)
    assert with_km(parser.parts) == []
    data = json.loads((tmp_path / f"report-{week}.json").read_text())
    assert data["units"] == "mi" and with_km(strings(data)) == []
    log = stridewise.load(db=store, config=Config(units="mi"))
    bundle = build_report(log, week, weeks=12, units="mi")
    assert with_km(strings(bundle.data)) == []
    figures = [report_card(log, week, bundle.data["verdict"], weeks=12, units="mi")]
    figures += [chart.figure for chart in report_charts(log, week, weeks=12, units="mi")]
    drawn = [t.get_text() for figure in figures for t in figure.findobj(Text) if t.get_text()]
    captions = [chart.caption for chart in report_charts(log, week, weeks=12, units="mi")]
    assert with_km(drawn + captions) == []
    assert any("mi" in t for t in drawn)


@pytest.mark.parametrize("week", WEEKS)
def test_check_in_miles_from_the_flag_or_the_config_says_no_km(store: Path, tmp_path: Path, week: str) -> None:
    flag = runner.invoke(app, ["check", "--db", str(store), "--week", week, "--units", "mi"])
    config = tmp_path / "c.toml"
    config.write_text('units = "mi"\n')
    from_config = runner.invoke(app, ["check", "--db", str(store), "--week", week, "--config", str(config)])
    as_json = runner.invoke(app, ["check", "--db", str(store), "--week", week, "--config", str(config), "--json"])
    assert flag.exit_code == from_config.exit_code == as_json.exit_code == 0
    assert flag.stdout == from_config.stdout
    assert with_km(flag.stdout.splitlines()) == [] and " mi" in flag.stdout
    assert with_km(strings(json.loads(as_json.stdout))) == []
    kilometres = runner.invoke(app, ["check", "--db", str(store), "--week", week, "--config", str(config),
                                     "--units", "km"])
    assert " km" in kilometres.stdout  # the flag wins over the config


def test_activities_and_shoes_list_take_units(store: Path) -> None:
    table = runner.invoke(app, ["activities", "--db", str(store), "--units", "mi"])
    assert table.exit_code == 0 and with_km(table.stdout.splitlines()) == [] and " mi " in table.stdout
    shoes = runner.invoke(app, ["shoes", "list", "--db", str(store), "--units", "mi", "--as-of", "2026-11-15"])
    assert shoes.exit_code == 0 and with_km(shoes.stdout.splitlines()) == []
    assert "shops and coaches say 298-497 mi" in shoes.stdout  # 480 and 800 km in international miles


def test_a_bad_units_value_is_a_usage_or_config_error(store: Path, tmp_path: Path) -> None:
    assert runner.invoke(app, ["check", "--db", str(store), "--units", "furlongs"]).exit_code == 2
    config = tmp_path / "c.toml"
    config.write_text('units = "leagues"\n')
    bad = runner.invoke(app, ["check", "--db", str(store), "--config", str(config)])
    assert (bad.exit_code, bad.stderr) == (1, f"Error: {config}: units must be one of km, mi, not 'leagues'\n")
