"""The report's charts and summary card, drawn from sample_logs: the numbers in the drawn artists, not just "it ran"."""

from __future__ import annotations

import io
import json
import re
import struct
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Rectangle

import stridewise
from conftest import SAMPLE_LOGS, sample_store_copy
from stridewise import frames as f
from stridewise.api import START_LOCAL, TrainingLog
from stridewise.errors import UsageError
from stridewise.metrics.shoe_report import SHOE_REPORT_COLUMNS, shoe_report
from stridewise.report import style
from stridewise.report.card import MAX_FLAG_ROWS, shorten, summary_card
from stridewise.report.chart_base import Chart, week_window
from stridewise.report.charts import (
    acwr_chart,
    distance_warning_weeks,
    downhill_chart,
    pain_chart,
    shoe_chart,
    spike_chart,
    spike_run_ids,
    surface_chart,
    weekly_distance_chart,
)
from stridewise.risk import Severity
from stridewise.series import columns as c
from stridewise.units import KM_PER_MI, Units, distance_in, distance_label

WEEK = "2026-W39"
WINDOW = [f"2026-W{n}" for n in range(28, 40)]  # the 12 weeks ending with WEEK
TODAY = date(2026, 9, 27)
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory, sample_store: Path) -> TrainingLog:
    return stridewise.load([SAMPLE_LOGS], db=sample_store_copy(sample_store, tmp_path_factory.mktemp("charts")))


def by_gid(ax: Axes, gid: str) -> list[Artist]:
    return [artist for artist in ax.get_children() if artist.get_gid() == gid]


def line(ax: Axes, gid: str) -> Line2D:
    (only,) = [artist for artist in ax.get_lines() if artist.get_gid() == gid]
    return only


def xs(artist: Line2D) -> list[float]:
    return [float(x) for x in np.asarray(artist.get_xdata(), dtype=np.float64)]


def ys(artist: Line2D) -> np.ndarray[Any, np.dtype[np.float64]]:
    return np.asarray(artist.get_ydata(), dtype=np.float64)


def bars(ax: Axes, gid: str) -> list[Rectangle]:
    return [a for a in by_gid(ax, gid) if isinstance(a, Rectangle)]


def main_axes(chart: Chart) -> Axes:
    return chart.figure.axes[0]


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == PNG_MAGIC
    assert data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def render(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


# --- units and windows ---------------------------------------------------------------------------------------
def test_units_convert_only_at_the_edge() -> None:
    assert distance_in(1609.344, "mi") == pytest.approx(1.0)
    assert distance_in(42195.0, "km") == pytest.approx(42.195)
    assert pytest.approx(1.609344) == KM_PER_MI
    assert (distance_label("km"), distance_label("mi")) == ("km", "mi")


def test_a_window_is_the_weeks_ending_with_the_week_across_the_new_year() -> None:
    window = week_window(WEEK, 12)
    assert list(window.weeks) == WINDOW
    assert (window.first_day, window.last_day) == (date(2026, 7, 6), date(2026, 9, 27))
    assert week_window("2026-W02", 4).weeks == ("2025-W51", "2025-W52", "2026-W01", "2026-W02")


@pytest.mark.parametrize(("week", "weeks", "message"), [
    ("2026-39", 12, "week '2026-39' is not an ISO week such as 2026-W47"),
    ("2026-W39", 0, "a chart needs at least 1 week, not 0"),
    ("2026-W54", 4, "week '2026-W54' does not exist"),
])
def test_a_bad_window_says_what_is_wrong(week: str, weeks: int, message: str) -> None:
    with pytest.raises(UsageError, match=message):
        week_window(week, weeks)


# --- 1. weekly distance --------------------------------------------------------------------------------------
@pytest.mark.parametrize(("units", "per_unit"), [("km", 1000.0), ("mi", 1609.344)])
def test_weekly_bars_are_the_weekly_distance_in_the_chosen_unit(log: TrainingLog, units: Units,
                                                                per_unit: float) -> None:
    chart = weekly_distance_chart(log.weekly, week=WEEK, units=units)
    ax = main_axes(chart)
    assert (chart.key, chart.title, ax.get_title("left")) == ("weekly-distance", "Weekly running distance",
                                                              "Weekly running distance")
    assert ax.get_ylabel() == f"Distance ({units})"
    assert ax.get_xlabel() == "ISO week (and its Monday)"
    heights = [bar.get_height() for bar in bars(ax, "weekly-distance")]
    expected = log.weekly.loc[WINDOW, c.RUN_DISTANCE_M].to_numpy(float) / per_unit
    np.testing.assert_allclose(heights, expected)


def test_miles_are_kilometres_divided_by_1_609344(log: TrainingLog) -> None:
    km = [b.get_height() for b in bars(main_axes(weekly_distance_chart(log.weekly, week=WEEK)), "weekly-distance")]
    mi = [b.get_height() for b in bars(main_axes(weekly_distance_chart(log.weekly, week=WEEK, units="mi")),
                                       "weekly-distance")]
    np.testing.assert_allclose(np.array(km) / np.array(mi), KM_PER_MI)


def test_bars_are_coloured_and_labelled_by_the_change_on_the_week_before(log: TrainingLog) -> None:
    ax = main_axes(weekly_distance_chart(log.weekly, week=WEEK))
    colour = {week: to_hex(bar.get_facecolor()).upper() for week, bar in zip(WINDOW, bars(ax, "weekly-distance"),
                                                                             strict=True)}
    assert colour["2026-W34"] == style.CHANGE_STEADY  # +1.8%
    assert colour["2026-W35"] == style.CHANGE_SURGE  # +34.8%
    assert colour["2026-W36"] == style.CHANGE_DROP  # -38.8%
    assert colour["2026-W37"] == style.CHANGE_UP  # +21.8%
    labels = [text.get_text() for text in ax.texts]
    assert labels == ["+35%", "-39%", "+22%", "+18%"]


def test_flagged_weeks_are_marked_and_outlined(log: TrainingLog) -> None:
    flagged = distance_warning_weeks(log.flags)
    assert flagged >= {"2026-W35", "2026-W39"}
    ax = main_axes(weekly_distance_chart(log.weekly, week=WEEK, flagged_weeks=flagged))
    assert xs(line(ax, "flagged-weeks")) == [WINDOW.index(w) for w in sorted(flagged & set(WINDOW))]
    widths = [bar.get_linewidth() for bar in bars(ax, "weekly-distance")]
    assert sum(width > 1 for width in widths) == len(flagged & set(WINDOW))


def test_no_flagged_week_draws_no_marker(log: TrainingLog) -> None:
    assert xs(line(main_axes(weekly_distance_chart(log.weekly, week=WEEK)), "flagged-weeks")) == []


# --- 2. spikes -----------------------------------------------------------------------------------------------
def test_the_spike_chart_draws_the_1_1_and_2_0_lines_and_marks_flagged_runs(log: TrainingLog) -> None:
    ids = spike_run_ids(log.flags)
    chart = spike_chart(log.runs, log.activities, week=WEEK, flagged_ids=ids)
    ax = main_axes(chart)
    assert chart.title == ax.get_title("left") == "Each run against your longest run of the previous 30 days"
    assert (ax.get_ylabel(), ax.get_xlabel()) == ("Run distance (km)", "Date of the run")
    runs = log.runs.join(log.activities[[f.ID, START_LOCAL]])
    local_day = runs[START_LOCAL].dt.tz_localize(None).dt.normalize()
    inside = runs[(local_day >= pd.Timestamp("2026-07-06")) & (local_day <= pd.Timestamp("2026-09-27"))]
    longest_km = inside[c.PREV_30D_LONGEST_M].to_numpy(float) / 1000
    for gid, ratio in (("spike-1.1x", 1.1), ("spike-2x", 2.0)):
        np.testing.assert_allclose(ys(line(ax, gid)), longest_km * ratio)
    assert sorted(ys(line(ax, "spike-flagged")).round(1)) == [16.0, 34.0]
    assert len(xs(line(ax, "runs"))) + 2 == len(inside)
    assert [t.get_text() for t in ax.texts] == ["1.14\u00d7", "2.12\u00d7"]


def test_spike_lines_follow_the_configured_ratios(log: TrainingLog) -> None:
    ax = main_axes(spike_chart(log.runs, log.activities, week=WEEK, ratios=(1.2, 1.5), units="mi"))
    assert [line.get_gid() for line in ax.get_lines()][:3] == ["spike-1x", "spike-1.2x", "spike-1.5x"]
    assert ax.get_ylabel() == "Run distance (mi)"


# --- 3. downhill, 4. surface ---------------------------------------------------------------------------------
def test_downhill_bars_and_share_line(log: TrainingLog) -> None:
    chart = downhill_chart(log.weekly, week=WEEK)
    ax, twin = chart.figure.axes
    assert chart.title == "Downhill running per week"
    assert (ax.get_ylabel(), twin.get_ylabel()) == ("Downhill distance (km)", "Downhill share of running (%)")
    rows = log.weekly.loc[WINDOW]
    np.testing.assert_allclose([b.get_height() for b in bars(ax, "downhill")], rows[c.DOWNHILL_M] / 1000)
    np.testing.assert_allclose([b.get_height() for b in bars(ax, "steep-downhill")],
                               rows[c.STEEP_DOWNHILL_DISTANCE_M] / 1000)
    np.testing.assert_allclose(ys(line(twin, "downhill-share")), rows[c.DOWNHILL_SHARE] * 100)
    # W39's steep downhill in the generator's truth: 7,547 m; measured from noisy altitude within 5%.
    truth = json.loads((SAMPLE_LOGS / "truth.json").read_text())
    steep_w39_m = sum(e["steep_downhill_distance_m"] for e in truth if e["iso_week"] == WEEK and e["sport"] == "running"
                      and not e["duplicate_of"])
    assert max(b.get_height() for b in bars(ax, "steep-downhill")) == pytest.approx(steep_w39_m / 1000, rel=0.05)


def test_surface_stacks_sum_to_the_weeks_distance_per_surface(log: TrainingLog) -> None:
    ax = main_axes(surface_chart(log.weekly, week=WEEK, units="mi"))
    assert ax.get_ylabel() == "Distance (mi)"
    drawn = {surface: bars(ax, f"surface-{surface}") for surface in f.SURFACES}
    assert [s for s, b in drawn.items() if b] == ["road", "trail"]  # the only surfaces run in these weeks
    tops = np.array([[b.get_y() + b.get_height() for b in drawn[s]] for s in ("road", "trail")])
    known = log.weekly.loc[WINDOW, list(c.SURFACE_DISTANCE_M.values())].sum(axis=1).to_numpy(float)
    np.testing.assert_allclose(tops[-1], known / 1609.344)
    np.testing.assert_allclose(tops[0], log.weekly.loc[WINDOW, c.SURFACE_DISTANCE_M["road"]] / 1609.344)
    assert drawn["road"][0].get_hatch() != drawn["trail"][0].get_hatch()  # greyscale still tells them apart
    legend = ax.get_legend()
    assert legend is not None
    assert [t.get_text() for t in legend.get_texts()] == ["road", "trail"]


# --- 5. shoes, 6. acwr, 7. pain ------------------------------------------------------------------------------
def test_shoe_bars_include_the_initial_distance_and_the_limits(log: TrainingLog) -> None:
    report = shoe_report(log.activities, log.shoes, today=TODAY)
    chart = shoe_chart(report, today=TODAY)
    ax = main_axes(chart)
    assert (chart.key, ax.get_xlabel()) == ("shoes", "Distance on the pair (km)")
    initial, logged = bars(ax, "shoe-initial"), bars(ax, "shoe-logged")
    totals = [a.get_width() + b.get_width() for a, b in zip(initial, logged, strict=True)]
    np.testing.assert_allclose(totals, report["distance_km"])
    assert initial[0].get_width() == 350.0  # Pegasus 40's initial_km
    (notice,) = by_gid(ax, "shoe-notice")
    assert isinstance(notice, LineCollection)
    assert [round(float(segment[0][0])) for segment in notice.get_segments()] == [500, 500, 500]
    texts = [t.get_text() for t in ax.texts]
    # 350 km before the log plus the Pegasus runs up to TODAY in the generator's truth (326 km): 676 km.
    truth = json.loads((SAMPLE_LOGS / "truth.json").read_text())
    worn_km = 350 + sum(e["distance_m"] for e in truth if e["shoe"] == "Pegasus 40" and not e["duplicate_of"]
                        and e["start_local"][:10] <= TODAY.isoformat()) / 1000
    shown = re.fullmatch(r"(\d+) km: notice reached \d\d \w{3} 2026, replace expected around \d\d \w{3} 20\d\d",
                         texts[0])
    assert shown is not None, texts[0]
    assert float(shown[1]) == pytest.approx(worn_km, rel=0.01)
    assert texts[2] == "no runs logged yet"
    mi = main_axes(shoe_chart(report, today=TODAY, units="mi"))
    assert bars(mi, "shoe-initial")[0].get_width() == pytest.approx(350 / KM_PER_MI)


def test_acwr_chart_is_descriptive_and_shades_0_8_to_1_3(log: TrainingLog) -> None:
    chart = acwr_chart(log.daily, week=WEEK)
    ax = main_axes(chart)
    assert "descriptive" in chart.title
    assert ax.get_ylabel() == "Ratio (acute / chronic, no unit)"
    (band,) = bars(ax, "acwr-band")
    assert (band.get_y(), band.get_y() + band.get_height()) == pytest.approx((0.8, 1.3))
    shown_days = log.daily.loc[str(week_window(WEEK).first_day):str(week_window(WEEK).last_day), c.ACWR_EWMA]
    assert np.nanmax(ys(line(ax, "acwr-ewma"))) == pytest.approx(shown_days.max())


def test_pain_chart_is_none_without_entries_in_the_window(log: TrainingLog) -> None:
    assert pain_chart(log.daily, [], week=WEEK) is None
    assert pain_chart(log.daily, [(date(2026, 1, 5), 6)], week=WEEK) is None


def test_pain_points_sit_over_the_daily_distance(log: TrainingLog) -> None:
    entries = [(date(2026, 9, 28), 5), (date(2026, 9, 22), 2), (date(2026, 1, 5), 6)]
    chart = pain_chart(log.daily, entries, week="2026-W40", units="mi")
    assert chart is not None
    ax, twin = chart.figure.axes
    assert (ax.get_ylabel(), twin.get_ylabel()) == ("Daily distance (mi)", "Pain (0-10, no unit)")
    assert list(ys(line(twin, "pain"))) == [2, 5]
    assert twin.get_ylim()[0] < 0 and twin.get_ylim()[1] > 10
    daily = bars(ax, "daily-distance")
    assert len(daily) == 84
    assert max(b.get_height() for b in daily) == pytest.approx(log.daily[c.RUN_DISTANCE_M].max() / 1609.344)


# --- every chart ---------------------------------------------------------------------------------------------
def all_charts(log: TrainingLog, week: str) -> list[Chart]:
    charts = [
        weekly_distance_chart(log.weekly, week=week, flagged_weeks=distance_warning_weeks(log.flags)),
        spike_chart(log.runs, log.activities, week=week, flagged_ids=spike_run_ids(log.flags)),
        downhill_chart(log.weekly, week=week), surface_chart(log.weekly, week=week),
        shoe_chart(shoe_report(log.activities, log.shoes, today=TODAY), today=TODAY), acwr_chart(log.daily, week=week),
        pain_chart(log.daily, [(date(2026, 9, 23), 3)], week=week),
    ]
    return [chart for chart in charts if chart is not None]


def test_every_chart_has_a_title_a_caption_and_labelled_axes(log: TrainingLog) -> None:
    charts = all_charts(log, WEEK)
    assert [chart.key for chart in charts] == ["weekly-distance", "spikes", "downhill", "surface", "shoes", "acwr",
                                               "pain"]
    for chart in charts:
        ax = main_axes(chart)
        assert ax.get_title("left") == chart.title
        assert chart.caption.endswith(".") and "\n" not in chart.caption
        assert ax.get_xlabel() and ax.get_ylabel(), chart.key
        assert chart.figure.get_size_inches()[0] * chart.figure.dpi == 900
        assert png_size(render(chart.figure))[0] == 900


def test_weeks_without_data_give_a_no_data_note_not_an_error(log: TrainingLog) -> None:
    empty_weekly = pd.DataFrame(columns=list(c.WEEKLY_COLUMNS), dtype=float)
    empty_daily = pd.DataFrame(columns=list(c.DAILY_COLUMNS), dtype=float)
    charts = [
        weekly_distance_chart(empty_weekly, week=WEEK), downhill_chart(empty_weekly, week=WEEK),
        surface_chart(empty_weekly, week=WEEK), acwr_chart(empty_daily, week=WEEK),
        spike_chart(log.runs, log.activities, week="2025-W10"),  # before the history
        shoe_chart(pd.DataFrame(columns=list(SHOE_REPORT_COLUMNS)), today=TODAY),
    ]
    for chart in charts:
        notes = [t.get_text() for t in main_axes(chart).texts if t.get_gid() == "no-data"]
        assert len(notes) == 1, chart.key
        assert png_size(render(chart.figure))[0] == 900


def test_a_nan_week_leaves_a_gap(log: TrainingLog) -> None:
    weekly = log.weekly.copy()
    weekly.loc["2026-W38", [c.RUN_DISTANCE_M, c.DOWNHILL_M, c.DISTANCE_CHANGE_VS_PREV_WEEK]] = np.nan
    assert len(bars(main_axes(weekly_distance_chart(weekly, week=WEEK)), "weekly-distance")) == 11
    assert bars(main_axes(downhill_chart(weekly, week=WEEK)), "downhill")[10].get_height() == 0


# --- the card ------------------------------------------------------------------------------------------------
def card_of(log: TrainingLog, week: str = WEEK) -> Figure:
    flags = [flag for flag in log.flags if flag.week == week]
    return summary_card(week, "High: a verdict line.", flags, weekly=log.weekly, runs=log.runs,
                        activities=log.activities, history=log.flags)


def test_the_card_is_1200_px_wide_and_renders_to_png(log: TrainingLog) -> None:
    card = card_of(log)
    assert card.get_size_inches()[0] * card.dpi == 1200
    width, height = png_size(render(card))
    assert width == 1200 and 900 < height < 1400


def test_the_card_shows_up_to_five_flags_most_severe_first(log: TrainingLog) -> None:
    flags = [flag for flag in log.flags if flag.week == WEEK]
    assert len(flags) == 5
    header, rows, *_ = card_of(log).axes
    assert len(by_gid(rows, "flag-row")) == 5
    badges = [t.get_text() for t in rows.texts if t.get_text().isupper()]
    assert badges == ["HIGH", "ELEVATED", "ELEVATED", "INFO", "INFO"]
    assert [t.get_text() for t in header.texts][:3] == [
        "Training week 2026-W39", "Mon 21 Sep \u2013 Sun 27 Sep 2026",
        "47.0 km in 3 runs, +18% on the week before, longest run 34.0 km"]
    messages = [t.get_text() for t in rows.texts if t.get_gid() == "flag-message"]
    assert all(len(m) <= 115 for m in messages)


def test_more_than_five_flags_are_counted_not_shown(log: TrainingLog) -> None:
    many = [flag for flag in log.flags if flag.week in ("2026-W37", "2026-W39")]
    card = summary_card(WEEK, "v", many, weekly=log.weekly, runs=log.runs, activities=log.activities)
    rows = card.axes[1]
    assert len(by_gid(rows, "flag-row")) == MAX_FLAG_ROWS
    (more,) = [t.get_text() for t in rows.texts if t.get_gid() == "more-flags"]
    assert more == f"+ {len(many) - 5} more in the full report"
    assert rows.texts[0].get_text() == Severity.HIGH.value.upper()


def test_the_cards_charts_are_the_weekly_and_spike_charts_with_their_marks(log: TrainingLog) -> None:
    _, _, weekly_ax, spike_ax, _ = card_of(log).axes
    assert xs(line(weekly_ax, "flagged-weeks")) == [7, 11]  # W35 and W39
    assert len(xs(line(spike_ax, "spike-flagged"))) == 2


def test_a_week_without_flags_has_no_flag_band() -> None:
    empty = pd.DataFrame(columns=list(c.WEEKLY_COLUMNS), dtype=float)
    runs = pd.DataFrame(columns=list(c.RUN_COLUMNS))
    activities = pd.DataFrame({f.ID: pd.Series(dtype=int),
                               START_LOCAL: pd.Series(dtype="datetime64[ns, Europe/Zurich]")})
    card = summary_card(WEEK, "No warnings this week.", [], weekly=empty, runs=runs, activities=activities)
    assert len(card.axes) == 4
    assert [t.get_text() for t in card.axes[0].texts][2] == "no runs this week"
    assert png_size(render(card))[0] == 1200


@pytest.mark.parametrize(("text", "limit", "expected"), [
    ("short enough", 20, "short enough"),
    ("Your acute:chronic load ratio reached 1.60, descriptive only", 40, "Your acute:chronic load ratio reached\u2026"),
    ("a  b\n c", 10, "a b c"),
])
def test_shorten_cuts_at_a_word(text: str, limit: int, expected: str) -> None:
    assert shorten(text, limit) == expected
    assert len(shorten(text, limit)) <= limit
