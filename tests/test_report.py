"""The weekly report on sample_logs: files, sections, embedded charts, schema, safety, and a real browser."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import jsonschema
import numpy as np
import pytest
from matplotlib import image as mpimg

from builders import gpx, morning, straight_run
from conftest import PROJECT_ROOT, SAMPLE_LOGS, cli_runner, sample_store_copy
from stridewise.cli import app

runner = cli_runner()
SCHEMA = json.loads((PROJECT_ROOT / "docs" / "report.schema.json").read_text())
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SECTIONS = ("summary", "verdict", "flags", "charts", "runs", "data-quality")
CHARTS = ("weekly-distance", "spikes", "downhill", "surface", "shoes", "acwr")


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory: pytest.TempPathFactory, sample_store: Path) -> Path:
    out = tmp_path_factory.mktemp("report")
    db = sample_store_copy(sample_store, out)
    result = runner.invoke(app, ["report", str(SAMPLE_LOGS), "--out", str(out), "--week", "2026-W39", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return out


def test_the_three_files_are_written(report_dir: Path) -> None:
    names = sorted(p.name for p in report_dir.iterdir() if p.name.startswith("report-"))
    assert names == ["report-2026-W39.html", "report-2026-W39.json", "report-2026-W39.png"]
    assert not [p for p in report_dir.iterdir() if p.name.endswith(".tmp")]


def test_the_html_has_every_section_and_chart_and_loads_nothing_from_outside(report_dir: Path) -> None:
    html = (report_dir / "report-2026-W39.html").read_text()
    for section in SECTIONS:
        assert f'id="{section}"' in html, section
    for chart in CHARTS:
        assert f'id="chart-{chart}"' in html, chart
    assert html.count('src="data:image/png;base64,') == len(CHARTS)
    assert not re.search(r"(src|href)=[\"']?(https?:)?//", html)
    assert "<script" not in html
    assert "High: Your 34.0 km run on Sun 27 Sep was 2.12 x your longest run" in html


def test_the_json_validates_against_the_schema_in_docs(report_dir: Path) -> None:
    data = json.loads((report_dir / "report-2026-W39.json").read_text())
    jsonschema.validate(data, SCHEMA)
    assert data["week"] == "2026-W39" and data["weeks"] == 13  # the history starts in W27
    assert [w["week"] for w in data["weekly"]][-1] == "2026-W39"
    assert data["weekly"][-1]["run_distance_m"] == pytest.approx(47_000, rel=0.01)
    assert {f["rule"] for f in data["flags"]} >= {"single_run_spike", "downhill_novelty", "downhill_share"}


def test_the_png_card_is_about_1200_px_wide(report_dir: Path) -> None:
    card = mpimg.imread(report_dir / "report-2026-W39.png")
    assert 1150 <= card.shape[1] <= 1250
    assert float(np.asarray(card).std()) > 0.05  # not a blank image


def test_miles_change_the_numbers_shown(tmp_path: Path, report_dir: Path) -> None:
    result = runner.invoke(app, ["report", "--out", str(tmp_path), "--week", "2026-W39", "--units", "mi",
                                 "--db", str(report_dir / "store.sqlite3"), "--config",
                                 str(SAMPLE_LOGS / "stridewise.toml")])
    assert result.exit_code == 0, result.output
    data = json.loads((tmp_path / "report-2026-W39.json").read_text())
    assert data["units"] == "mi"
    ultra = [r for r in data["week_runs"] if r["distance"].startswith("21.")]
    assert ultra and ultra[0]["distance"] == "21.14 mi"  # 34,015 m measured / 1609.344 m per mile


def _xss_log(tmp_path: Path) -> Path:
    folder = tmp_path / "logs"
    folder.mkdir()
    for day in (1, 3, 5):
        (folder / f"r{day}.gpx").write_bytes(gpx(straight_run(morning(day), distance_m=5000, pace_s_per_km=330,
                                                              interval_s=5), name="<script>alert(1)</script>"))
    return folder


def test_activity_names_are_escaped(tmp_path: Path) -> None:
    out = tmp_path / "out"
    result = runner.invoke(app, ["report", str(_xss_log(tmp_path)), "--out", str(out), "--db",
                                 str(tmp_path / "s.sqlite3")])
    assert result.exit_code == 0, result.output
    html = (out / "report-2026-W27.html").read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<script" not in html


def _chromium(*args: str, profile: Path) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               f"--user-data-dir={profile}", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed (Debian package `chromium`; .ci/run installs it)")
def test_chromium_renders_the_report(report_dir: Path, tmp_path: Path) -> None:
    page = (report_dir / "report-2026-W39.html").resolve().as_uri()
    shot = tmp_path / "shot.png"
    result = _chromium(f"--screenshot={shot}", "--window-size=1280,2400", "--hide-scrollbars", page,
                       profile=tmp_path / "profile")
    assert shot.is_file(), result.stderr[-2000:]
    pixels = np.asarray(mpimg.imread(shot))[:, :, :3]
    assert pixels.shape[:2] == (2400, 1280)
    assert float(pixels.std()) > 0.05, "the page rendered blank"
    # The verdict box of a high week has a vermillion (#D55E00) border near the top of the page.
    vermillion = np.all(np.abs(pixels[:600] - np.array([0xD5, 0x5E, 0x00]) / 255) < 0.03, axis=2)
    assert int(vermillion.sum()) > 200
    dom = _chromium("--dump-dom", page, profile=tmp_path / "profile2").stdout
    assert "High: Your 34.0 km run on Sun 27 Sep" in dom
    assert dom.count("<img") == len(CHARTS)


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium not installed (Debian package `chromium`; .ci/run installs it)")
def test_chromium_runs_no_script_from_an_activity_name(tmp_path: Path) -> None:
    out = tmp_path / "out"
    runner.invoke(app, ["report", str(_xss_log(tmp_path)), "--out", str(out), "--db", str(tmp_path / "s.sqlite3")])
    dom = _chromium("--dump-dom", (out / "report-2026-W27.html").resolve().as_uri(), profile=tmp_path / "p").stdout
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in dom
    assert "<script" not in dom
