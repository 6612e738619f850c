"""The report's faster drawing changes no pixel: every chart and the card, drawn as the report draws them, equal
matplotlib's own Agg canvas (``FigureCanvasAgg``, nothing cached) pixel by pixel, over several weeks in a row."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from PIL import Image

import stridewise
from conftest import SAMPLE_LOGS, sample_store_copy
from stridewise.api import TrainingLog
from stridewise.report import agg
from stridewise.report.build import report_data
from stridewise.report.charts_for import report_card, report_charts
from stridewise.report.images import CHART_DPI, figure_png
from stridewise.report.style import DPI, new_figure
from stridewise.units import Units

# Weeks of sample_logs drawn one after the other, as a batch does: flags, a break, runs with and without altitude.
WEEKS = ("2026-W30", "2026-W36", "2026-W37", "2026-W38", "2026-W39")


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory, sample_store: Path) -> TrainingLog:
    return stridewise.load([SAMPLE_LOGS], db=sample_store_copy(sample_store, tmp_path_factory.mktemp("pixels")))


def pixels(figure: Figure, dpi: int) -> np.ndarray[Any, np.dtype[np.uint8]]:
    figure.set_dpi(dpi)
    figure.canvas.draw()
    return np.asarray(figure.canvas.buffer_rgba()).copy()


def figures(log: TrainingLog, week: str, units: Units) -> list[tuple[str, Figure, int]]:
    data = report_data(log, week, weeks=16, units=units)
    drawn = [(chart.key, chart.figure, CHART_DPI) for chart in report_charts(log, week, weeks=16, units=units)]
    return [*drawn, ("card", report_card(log, week, data["verdict"], weeks=16, units=units), DPI)]


@pytest.mark.parametrize("units", ["km", "mi"])
def test_every_chart_and_the_card_equal_matplotlibs_own_canvas(log: TrainingLog, units: Units) -> None:
    assert agg.TEXT_CACHE_IN_USE, "this matplotlib lacks the calls the text cache uses: the test would prove nothing"
    compared = 0
    for week in WEEKS:
        for key, figure, dpi in figures(log, week, units):
            assert isinstance(figure.canvas, agg.ReportCanvas)
            ours = pixels(figure, dpi)
            FigureCanvasAgg(figure)  # matplotlib's canvas and renderer, nothing shared or remembered
            theirs = pixels(figure, dpi)
            assert ours.shape == theirs.shape
            differ = int(np.any(ours != theirs, axis=2).sum())
            assert differ == 0, f"{week} {key}: {differ} pixels differ from matplotlib's"
            compared += 1
    assert compared >= 7 * len(WEEKS)
    counts = agg.cached_counts()
    assert counts["glyphs"] > 0 and counts["layouts"] > 0 and counts["fonts"] > 0, "the cached paths were not taken"


def test_figures_of_one_size_share_a_renderer_and_others_do_not(log: TrainingLog) -> None:
    charts = report_charts(log, "2026-W39", weeks=16, units="km")
    renderers = {chart.key: chart.figure.canvas.get_renderer() for chart in charts}
    assert renderers["weekly-distance"] is renderers["spikes"] is renderers["acwr"]
    assert renderers["shoes"] is not renderers["weekly-distance"]  # another height


@pytest.mark.parametrize("key", ["weekly-distance", "shoes", "card"])
def test_the_png_files_hold_exactly_the_drawn_pixels(log: TrainingLog, key: str) -> None:
    (figure, dpi), = [(f, d) for k, f, d in figures(log, "2026-W39", "km") if k == key]
    png = figure_png(figure, dpi)
    drawn = pixels(figure, dpi)[:, :, :3]
    with Image.open(io.BytesIO(png)) as image:
        assert image.format == "PNG" and image.mode == "RGB"
        assert np.array_equal(np.asarray(image), drawn)
        assert image.info["dpi"] == pytest.approx((dpi, dpi), abs=0.01)
    assert bool(np.all(np.asarray(pixels(figure, dpi))[:, :, 3] == 255)), "a chart is opaque: no alpha to keep"


def test_the_renderer_used_least_recently_is_the_one_dropped() -> None:
    first = agg.shared_renderer(11, 11, 100)
    second = agg.shared_renderer(12, 11, 100)
    for width in range(13, 11 + agg.MAX_RENDERERS):
        agg.shared_renderer(width, 11, 100)
    assert agg.shared_renderer(11, 11, 100) is first  # used again: now the most recent
    agg.shared_renderer(99, 11, 100)  # one more size than are kept
    assert agg.cached_counts()["renderers"] == agg.MAX_RENDERERS
    assert agg.shared_renderer(11, 11, 100) is first
    assert agg.shared_renderer(12, 11, 100) is not second


def test_a_text_drawn_again_under_other_font_settings_is_drawn_in_the_new_font() -> None:
    """The caches are keyed by the font matplotlib resolves, not by the family's name ("sans-serif")."""
    def drawn(canvas: type[FigureCanvasAgg]) -> np.ndarray[Any, np.dtype[np.uint8]]:
        figure = new_figure(300, 60)
        canvas(figure)
        figure.text(0.05, 0.4, "W39 21 Sep 0.50", fontsize=14)
        return pixels(figure, DPI)

    sans = drawn(agg.ReportCanvas)
    with matplotlib.rc_context({"font.family": "serif"}):
        serif = drawn(agg.ReportCanvas)
        assert np.array_equal(serif, drawn(FigureCanvasAgg))
    assert not np.array_equal(serif, sans)
    assert np.array_equal(drawn(agg.ReportCanvas), sans)
