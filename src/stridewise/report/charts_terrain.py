"""Charts of where and in what the runner ran: downhill, surface, shoes (re-exported by ``report.charts``)."""

from __future__ import annotations

import dataclasses
import math
from datetime import date
from typing import Final

import numpy as np
import pandas as pd
from matplotlib.artist import Artist

from stridewise.metrics import shoe_report as sr
from stridewise.report import style as s
from stridewise.report.chart_base import (
    DEFAULT_WEEKS,
    Chart,
    headroom,
    legend_above,
    new_chart,
    start_axes,
    twin_axes,
    week_axis,
    week_window,
)
from stridewise.series import columns as c
from stridewise.units import Units, distance_label, km_in, metres_per

TITLE_DOWNHILL: Final = "Downhill running per week"
TITLE_SURFACE: Final = "Running surface per week"
TITLE_SHOES: Final = "Distance on each pair of shoes"
CAPTION_DOWNHILL: Final = ("Bars: distance at -5% grade or steeper, and its steep part at -10% or steeper. "
                           "Line: that downhill as a share of the running distance with altitude data.")
CAPTION_SURFACE: Final = "Running distance per surface, stacked: a sudden change of surface loads tissues differently."
CAPTION_SHOES_END: Final = ("are conventions, not study results; dates after today are projected from the last 28 "
                            "days.")


def shoe_caption(report: pd.DataFrame, units: Units = "km") -> str:
    """The shoe chart's caption with the limits in force: one pair of limits, or "each pair's own"."""
    limits = {(float(n), float(r)) for n, r in zip(report[sr.NOTICE_KM], report[sr.REPLACE_KM], strict=True)}
    if len(limits) == 1:
        ((notice, replace),) = limits
        return (f"Notice at {km_in(notice, units):.0f} {units} and replace at {km_in(replace, units):.0f} {units} "
                f"{CAPTION_SHOES_END}")
    return f"Each pair's own notice and replace distances (the marks) {CAPTION_SHOES_END}"
# Room per pair in the shoe chart: the bar, and a line of text above it.
SHOE_ROW_PX: Final = 95
# Left of the widest pair's name: the y axis label ("Pair"), its pad, the tick and its pad, 8 px of edge (what
# constrained layout left there before the layout was fixed).
SHOE_NAME_ROOM_PX: Final = 40


def downhill_chart(weekly: pd.DataFrame, *, week: str, weeks: int = DEFAULT_WEEKS, units: Units = "km") -> Chart:
    """Chart 3: weekly downhill and steep-downhill distance (bars, steep inside) and the downhill share (line, %)."""
    chart, ax = new_chart("downhill", TITLE_DOWNHILL, CAPTION_DOWNHILL,
                            s.WEEK_TWIN_CHART)
    window = week_window(week, weeks)
    start_axes(ax, TITLE_DOWNHILL, f"Downhill distance ({distance_label(units)})")
    x = week_axis(ax, window)
    rows = window.weekly(weekly)
    downhill = rows[c.DOWNHILL_M].to_numpy(float) / metres_per(units)
    steep = rows[c.STEEP_DOWNHILL_DISTANCE_M].to_numpy(float) / metres_per(units)
    share_pct = rows[c.DOWNHILL_SHARE].to_numpy(float) * 100
    if np.isnan(downhill).all():
        s.no_data(ax, "No altitude data in these weeks")
        return chart
    ax.bar(x, np.nan_to_num(downhill), width=0.72, color=s.SKY_BLUE, edgecolor=s.EDGE,
           label="downhill (-5% or steeper)", gid="downhill")
    ax.bar(x, np.nan_to_num(steep), width=0.4, color=s.BLUE, edgecolor=s.EDGE, hatch="//", hatchcolor=s.HATCH_COLOUR,
           hatch_linewidth=s.HATCH_LINEWIDTH, label="steep (-10% or steeper)", gid="steep-downhill")
    headroom(ax, float(np.nanmax(downhill)), 1.15)
    twin = twin_axes(ax, "Downhill share of running (%)")
    twin.plot(x, share_pct, color=s.VERMILLION, marker="o", markersize=4, linewidth=1.6, label="downhill share",
              gid="downhill-share")
    twin.set_ylim(0, max(10.0, float(np.nanmax(share_pct, initial=0.0)) * 1.15))
    bars, _ = ax.get_legend_handles_labels()
    handles: list[Artist] = [*bars, *twin.get_lines()]
    legend_above(ax, handles)
    return chart


def surface_chart(weekly: pd.DataFrame, *, week: str, weeks: int = DEFAULT_WEEKS, units: Units = "km") -> Chart:
    """Chart 4: weekly running distance per surface, stacked and hatched; surfaces not run in the window left out."""
    chart, ax = new_chart("surface", TITLE_SURFACE, CAPTION_SURFACE, s.WEEK_CHART)
    window = week_window(week, weeks)
    start_axes(ax, TITLE_SURFACE, f"Distance ({distance_label(units)})")
    x = week_axis(ax, window)
    rows = window.weekly(weekly)
    bottom = np.zeros(len(x))
    for surface, column in c.SURFACE_DISTANCE_M.items():
        height = np.nan_to_num(rows[column].to_numpy(float)) / metres_per(units)
        if not height.any():
            continue
        ax.bar(x, height, bottom=bottom, width=0.72, color=s.SURFACE_COLOUR[surface], label=surface,
               hatch=s.SURFACE_HATCH[surface], hatchcolor=s.SURFACE_HATCH_COLOUR[surface], edgecolor=s.EDGE,
               linewidth=0.5, hatch_linewidth=s.HATCH_LINEWIDTH, gid=f"surface-{surface}")
        bottom += height
    if not bottom.any():
        s.no_data(ax)
        return chart
    headroom(ax, float(bottom.max()), 1.1)
    handles, _ = ax.get_legend_handles_labels()
    legend_above(ax, handles)
    return chart


def _when(day: object, today: date) -> str:
    if not isinstance(day, date):
        return "not projected (no recent runs)"
    return f"reached {day:%d %b %Y}" if day <= today else f"expected around {day:%d %b %Y}"


def _shoe_line(row: pd.Series, distance: float, units: Units, today: date) -> str:
    retired = row[sr.RETIRED_ON]
    if isinstance(retired, date) and retired <= today:
        return f"{distance:.0f} {units}, retired {retired:%d %b %Y}"
    if row[sr.RUNS] == 0 and distance == 0:
        return "no runs logged yet"
    return (f"{distance:.0f} {units}: notice {_when(row[sr.NOTICE_DATE], today)}, "
            f"replace {_when(row[sr.REPLACE_DATE], today)}")


def shoe_chart(report: pd.DataFrame, *, today: date, units: Units = "km") -> Chart:
    """Chart 5: distance per pair from ``metrics.shoe_report.shoe_report(..., today=today)``.

    Hatched: the distance on the pair before the log (``initial_km``); dashes and bars across each pair: its notice
    and replace distances; above each bar, the day each limit was (or at the current rate will be) reached.
    """
    names = [str(name) for name in report[sr.NAME]]
    widest = max((s.text_width_px(name, s.LABEL_PT) for name in names), default=0.0)
    margins = dataclasses.replace(s.DATE_CHART, left=max(s.Y_LABELS_PX, SHOE_NAME_ROOM_PX + math.ceil(widest)))
    chart, ax = new_chart("shoes", TITLE_SHOES, shoe_caption(report, units), margins,
                          150 + SHOE_ROW_PX * max(1, len(report)))
    start_axes(ax, TITLE_SHOES, "Pair")
    ax.grid(axis="y", visible=False)
    ax.grid(axis="x", color=s.LIGHT_GREY, linewidth=0.8)
    ax.set_xlabel(f"Distance on the pair ({distance_label(units)})", fontsize=s.LABEL_PT)
    if report.empty:
        s.no_data(ax, "No shoes configured")
        ax.set_xticks([])
        return chart
    y = np.arange(len(report), dtype=float)[::-1]
    initial, total, notice, replace = (np.array([km_in(float(v), units) for v in report[column]])
                                       for column in (sr.INITIAL_KM, sr.DISTANCE_KM, sr.NOTICE_KM, sr.REPLACE_KM))
    before = ax.barh(y, initial, height=0.4, color=s.LIGHT_GREY, hatch="..", edgecolor=s.DARK_GREY, linewidth=0.5,
            hatch_linewidth=s.HATCH_LINEWIDTH, label="before the log", gid="shoe-initial")
    logged = ax.barh(y, total - initial, left=initial, height=0.4, color=s.BLUE, edgecolor=s.EDGE, label="logged runs",
            gid="shoe-logged")
    notice_marks = ax.vlines(notice, y - 0.24, y + 0.24, colors=s.ORANGE, linestyles="--", linewidth=2.2,
                             label="notice", gid="shoe-notice")
    replace_marks = ax.vlines(replace, y - 0.24, y + 0.24, colors=s.VERMILLION, linewidth=2.2, label="replace",
                              gid="shoe-replace")
    for yi, (_, row), distance in zip(y, report.iterrows(), total, strict=True):
        ax.annotate(_shoe_line(row, float(distance), units, today), (0, yi + 0.24), xytext=(4, 3),
                    textcoords="offset points", va="bottom", ha="left", fontsize=s.NOTE_PT, color=s.INK,
                    bbox={"facecolor": "white", "edgecolor": "none", "pad": 1.0})
    ax.set_yticks(y, names, fontsize=s.LABEL_PT)
    ax.set_ylim(-0.5, len(report) - 0.2)
    ax.set_xlim(0, max(float(total.max()), float(replace.max())) * 1.06)
    legend_above(ax, [before, logged, notice_marks, replace_marks])
    return chart
