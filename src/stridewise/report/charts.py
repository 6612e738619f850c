"""The weekly report's charts: one ``*_chart`` function per chart, each returning a :class:`Chart`.

Every chart covers the ``weeks`` ISO weeks that end with ``week`` and slices the full ``TrainingLog`` tables itself
(pass ``log.weekly``, ``log.daily``, ``log.runs`` as they are). The two charts the summary card shows also exist as
``draw_*(ax, ...)`` functions that draw into a given Axes. Load over time lives here; terrain and shoes in
:mod:`stridewise.report.charts_terrain`, re-exported below. Nothing here prints, writes files or uses pyplot.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from datetime import date
from typing import Final

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from stridewise import frames as f
from stridewise.frames import START_LOCAL
from stridewise.report import style as s
from stridewise.report.chart_base import (
    DEFAULT_WEEKS,
    MAX_DATE_TICKS,
    MAX_WEEK_TICKS,
    Chart,
    Window,
    date_axis,
    headroom,
    legend_above,
    new_chart,
    start_axes,
    twin_axes,
    week_axis,
    week_window,
)
from stridewise.report.charts_terrain import downhill_chart, shoe_chart, surface_chart
from stridewise.risk.breaks import Return, covered_days
from stridewise.risk.model import Flag
from stridewise.risk.registry import RULES
from stridewise.series import columns as c
from stridewise.units import Units, distance_label, metres_per

__all__ = [
    "DEFAULT_WEEKS", "Chart", "Window", "acwr_chart", "distance_warning_weeks", "downhill_chart", "draw_spikes",
    "draw_weekly_distance", "pain_chart", "shoe_chart", "spike_chart", "spike_run_ids", "surface_chart",
    "week_window", "weekly_distance_chart",
]

_SPIKE: Final = RULES["single_run_spike"].thresholds
# The single_run_spike rule's default ratios (Frandsen et al. 2025, EVIDENCE.md); pass the config's own to override.
SPIKE_RATIOS: Final = (_SPIKE["elevated_ratio"].default, _SPIKE["high_ratio"].default)
# The acute:chronic "sweet spot" of the team-sport studies (Gabbett 2016). Shaded for orientation only: in runners
# the ratio's link to injury is unproven (EVIDENCE.md), hence "descriptive" in the title.
ACWR_BAND: Final = (0.8, 1.3)

TITLE_WEEKLY: Final = "Weekly running distance"
TITLE_SPIKES: Final = "Each run against your longest run of the previous 30 days"
TITLE_ACWR: Final = "Acute:chronic load ratio (descriptive only, not a risk prediction)"
TITLE_PAIN: Final = "Pain journal over daily running distance"


def weekly_caption(surge_min: float = s.CHANGE_HIGH_MIN) -> str:
    """The weekly distance chart's caption, with the weekly_progression threshold in force."""
    return (f"Colour and label: change from the previous week (steady within {s.CHANGE_STEADY_MAX:.0%}, surge above "
            f"{surge_min:.0%} or after a week without running). Outlined bars under a triangle: weeks with a "
            f"distance warning.")


def spike_caption(ratios: tuple[float, float] = SPIKE_RATIOS) -> str:
    """The spike chart's caption, with the single_run_spike thresholds in force."""
    return (f"A run above the dashed line is more than {ratios[0] - 1:.0%} longer than your longest run of the 30 "
            f"days before it (Frandsen et al. 2025); above the dash-dot line, {ratios[1]:g} times as long. After 30 "
            f"days without a run, the reference is the 30 days before the break.")


CAPTION_ACWR: Final = ("The last 7 days' distance against the last 28 (EWMA) or the 21 days before (rolling). "
                       "The shaded 0.8-1.3 band comes from team sports; in runners it predicts nothing proven.")
CAPTION_PAIN: Final = "Bars: running distance per day. Diamonds: the pain you recorded (0 none, 10 worst imaginable)."


# Rules whose flags mark a week in the weekly distance chart: the ones about how far the runner ran.
DISTANCE_RULES: Final = ("weekly_progression", "single_run_spike", "return_after_break")
SPIKE_RULE: Final = "single_run_spike"


def distance_warning_weeks(flags: Iterable[Flag]) -> set[str]:
    """The weeks to mark in the weekly distance chart: those with a ``DISTANCE_RULES`` flag."""
    return {flag.week for flag in flags if flag.rule in DISTANCE_RULES}


def spike_run_ids(flags: Iterable[Flag]) -> set[int]:
    """The activity ids to mark in the spike chart: the runs the single_run_spike rule flagged."""
    return {flag.activity_id for flag in flags if flag.rule == SPIKE_RULE and flag.activity_id is not None}


# --- 1. weekly distance ------------------------------------------------------------------------------------
def _change_style(change: float, surge_min: float = s.CHANGE_HIGH_MIN) -> tuple[str, str]:
    """Colour and hatch of a week's bar from its change against the previous week (NaN: no previous week).

    A week after a week without running (a return after a break) gets ``inf``: it is a surge, never "steady".
    """
    if math.isnan(change) or abs(change) <= s.CHANGE_STEADY_MAX:
        return s.CHANGE_STEADY, ""
    if change < 0:
        return s.CHANGE_DROP, ""
    if change <= surge_min:
        return s.CHANGE_UP, s.CHANGE_UP_HATCH
    return s.CHANGE_SURGE, s.CHANGE_SURGE_HATCH


def _change_text(change: float) -> str:
    return "from 0" if math.isinf(change) else f"{change:+.0%}"


def week_changes(weekly: pd.DataFrame, window: Window) -> np.ndarray:
    """Each window week's change against the week before; ``inf`` after a full week without running."""
    distance = weekly[c.RUN_DISTANCE_M].astype(float)
    previous = distance.shift(1)
    full_before = weekly[c.HISTORY_DAYS].shift(1) == 7
    change = weekly[c.DISTANCE_CHANGE_VS_PREV_WEEK].astype(float).where(
        ~(full_before & (previous == 0) & (distance > 0)), np.inf)
    return change.reindex(list(window.weeks)).to_numpy(float)


def draw_weekly_distance(ax: Axes, weekly: pd.DataFrame, window: Window, *, flagged_weeks: Collection[str] = (),
                         units: Units = "km", max_ticks: int = MAX_WEEK_TICKS,
                         surge_min: float = s.CHANGE_HIGH_MIN) -> None:
    """Bars of weekly running distance coloured by the change from the previous week; ``flagged_weeks`` marked.

    ``surge_min``: the weekly_progression rule's ``max_increase`` (pass the config's if it overrides it).
    """
    start_axes(ax, TITLE_WEEKLY, f"Distance ({distance_label(units)})")
    x = week_axis(ax, window, max_ticks)
    rows = window.weekly(weekly)
    height = rows[c.RUN_DISTANCE_M].to_numpy(float) / metres_per(units)
    change = week_changes(weekly, window) if not weekly.empty else np.full(len(window.weeks), np.nan)
    known = ~np.isnan(height)
    if not known.any():
        s.no_data(ax)
        return
    flagged = np.array([week in flagged_weeks for week in window.weeks]) & known
    for xi, h, ch, mark in zip(x[known], height[known], change[known], flagged[known], strict=True):
        colour, hatch = _change_style(float(ch), surge_min)
        ax.bar(xi, h, width=0.72, color=colour, hatch=hatch, hatchcolor=s.HATCH_COLOUR,
               edgecolor=s.INK if mark else s.EDGE, linewidth=1.8 if mark else 0.5,
               hatch_linewidth=s.HATCH_LINEWIDTH, gid="weekly-distance")
        if not math.isnan(ch) and abs(ch) > s.CHANGE_STEADY_MAX:
            ax.annotate(_change_text(float(ch)), (xi, h), xytext=(0, 2), textcoords="offset points", ha="center",
                        va="bottom", fontsize=s.NOTE_PT, color=s.INK)
    top = float(np.nanmax(height))
    headroom(ax, top, 1.32)
    ax.plot(x[flagged], np.full(int(flagged.sum()), top * 1.22), linestyle="none", marker="v", markersize=9,
            color=s.INK, gid="flagged-weeks")
    handles: list[Artist] = [
        Patch(facecolor=s.CHANGE_DROP, label="down >10%"), Patch(facecolor=s.CHANGE_STEADY, label="within 10%"),
        Patch(facecolor=s.CHANGE_UP, hatch=s.CHANGE_UP_HATCH, hatchcolor=s.HATCH_COLOUR,
              label=f"up 10-{surge_min:.0%}"),
        Patch(facecolor=s.CHANGE_SURGE, hatch=s.CHANGE_SURGE_HATCH, hatchcolor=s.HATCH_COLOUR,
              label=f"up >{surge_min:.0%} or from 0")]
    if flagged.any():
        handles.append(Line2D([], [], linestyle="none", marker="v", color=s.INK, label="distance warning"))
    legend_above(ax, handles)


def weekly_distance_chart(weekly: pd.DataFrame, *, week: str, weeks: int = DEFAULT_WEEKS,
                          flagged_weeks: Collection[str] = (), units: Units = "km",
                          surge_min: float = s.CHANGE_HIGH_MIN) -> Chart:
    """Chart 1: weekly running distance; ``flagged_weeks`` (ISO labels) are outlined and marked with a triangle."""
    chart, ax = new_chart("weekly-distance", TITLE_WEEKLY, weekly_caption(surge_min), s.WEEK_CHART)
    draw_weekly_distance(ax, weekly, week_window(week, weeks), flagged_weeks=flagged_weeks, units=units,
                         surge_min=surge_min)
    return chart


# --- 2. single-run spikes ----------------------------------------------------------------------------------
def draw_spikes(ax: Axes, runs: pd.DataFrame, activities: pd.DataFrame, window: Window, *,
                flagged_ids: Collection[int] = (), ratios: tuple[float, float] = SPIKE_RATIOS,
                units: Units = "km", max_ticks: int = MAX_DATE_TICKS) -> None:
    """Each run's distance (points) against ``ratios`` x the longest run of its previous 30 days (step lines).

    ``ratios`` are the single_run_spike rule's (elevated, high) thresholds: pass the config's if it overrides them.

    ``runs`` is ``TrainingLog.runs``, indexed like ``activities``, which gives each run its local start and the id
    that ``flagged_ids`` holds (the runs the single_run_spike rule flagged).
    """
    start_axes(ax, TITLE_SPIKES, f"Run distance ({distance_label(units)})")
    date_axis(ax, window, "Date of the run", max_ticks)
    table = runs.join(activities[[f.ID, START_LOCAL]], how="inner")
    local = table[START_LOCAL].dt.tz_localize(None)
    inside = (local.dt.normalize() >= pd.Timestamp(window.first_day)) & (local < pd.Timestamp(window.last_day)
                                                                          + pd.Timedelta(days=1))
    table = table[inside].sort_values(START_LOCAL, kind="stable")
    if table.empty:
        s.no_data(ax, "No runs in these weeks")
        return
    when = table[START_LOCAL].dt.tz_localize(None).dt.normalize().to_numpy()  # on its day, like the date ticks
    distance = table[f.DISTANCE_M].to_numpy(float) / metres_per(units)
    longest = table[c.PREV_30D_LONGEST_M].to_numpy(float) / metres_per(units)
    ax.plot(when, longest, drawstyle="steps-post", color=s.GREY, linewidth=1.0, label="longest run, previous 30 days",
            gid="spike-1x")
    for ratio, colour, dashes in zip(ratios, (s.ORANGE, s.VERMILLION), ("--", "-."), strict=True):
        ax.plot(when, longest * ratio, drawstyle="steps-post", color=colour, linestyle=dashes, linewidth=1.6,
                label=f"{ratio:g} \u00d7 longest", gid=f"spike-{ratio:g}x")
    flagged = table[f.ID].isin(list(flagged_ids)).to_numpy(bool)
    ax.plot(when[~flagged], distance[~flagged], linestyle="none", marker="o", markersize=5, color=s.BLUE,
            label="run", gid="runs")
    ax.plot(when[flagged], distance[flagged], linestyle="none", marker="o", markersize=10, color=s.VERMILLION,
            markeredgecolor=s.INK, markeredgewidth=1.4, label="flagged run", gid="spike-flagged")
    for t, d, r in zip(when[flagged], distance[flagged], table[c.DISTANCE_SPIKE_RATIO].to_numpy(float)[flagged],
                       strict=True):
        ax.annotate(f"{r:.2f}\u00d7", (t, d), xytext=(0, 8), textcoords="offset points", ha="center",
                    va="bottom", fontsize=s.NOTE_PT, color=s.INK)
    top = max(float(np.nanmax(distance)), float(np.nanmax(longest * max(ratios), initial=0.0)))
    headroom(ax, top, 1.15)
    legend_above(ax, [line for line in ax.get_lines() if np.size(line.get_xdata())])


def spike_chart(runs: pd.DataFrame, activities: pd.DataFrame, *, week: str, weeks: int = DEFAULT_WEEKS,
                flagged_ids: Collection[int] = (), ratios: tuple[float, float] = SPIKE_RATIOS,
                units: Units = "km") -> Chart:
    """Chart 2: every run against the longest of its previous 30 days; ``flagged_ids`` (activity ids) marked."""
    chart, ax = new_chart("spikes", TITLE_SPIKES, spike_caption(ratios), s.DATE_CHART)
    draw_spikes(ax, runs, activities, week_window(week, weeks), flagged_ids=flagged_ids, ratios=ratios, units=units)
    return chart


# --- 6. acute:chronic ratio --------------------------------------------------------------------------------
def acwr_chart(daily: pd.DataFrame, *, week: str, weeks: int = DEFAULT_WEEKS,
               returns: Sequence[Return] = ()) -> Chart:
    """Chart 6: the daily acute:chronic ratios (EWMA and rolling) with the 0.8-1.3 band shaded.

    ``returns`` (``risk.breaks.find_returns``): the first weeks back after a break are left blank, not meaningful.
    """
    window = week_window(week, weeks)
    rows = window.daily(daily)
    quiet = covered_days(returns, pd.DatetimeIndex(rows.index))
    caption = CAPTION_ACWR + (" Blank in the first weeks back after a break: not meaningful there." if quiet.any()
                              else "")
    chart, ax = new_chart("acwr", TITLE_ACWR, caption, s.DATE_CHART)
    start_axes(ax, TITLE_ACWR, "Ratio (acute / chronic, no unit)")
    date_axis(ax, window, "Date")
    values = rows[[c.ACWR_EWMA, c.ACWR_ROLLING]].to_numpy(float, copy=True)
    values[quiet] = np.nan
    if np.isnan(values).all():
        s.no_data(ax, "Not enough history for the ratio (it needs 4 weeks)")
        ax.set_ylim(0, 2)
        return chart
    ax.axhspan(*ACWR_BAND, color=s.LIGHT_GREY, alpha=0.7, linewidth=0, label="0.8-1.3 (team-sport studies)",
               gid="acwr-band")
    days = rows.index.to_numpy()
    ax.plot(days, values[:, 0], color=s.BLUE, linewidth=1.8, label="EWMA 7/28 days", gid="acwr-ewma")
    ax.plot(days, values[:, 1], color=s.ORANGE, linestyle="--", linewidth=1.6, label="rolling 7/21 days",
            gid="acwr-rolling")
    ax.set_ylim(min(0.5, float(np.nanmin(values)) - 0.1), max(1.6, float(np.nanmax(values)) + 0.15))
    handles, _ = ax.get_legend_handles_labels()
    legend_above(ax, handles)
    return chart


# --- 7. pain -----------------------------------------------------------------------------------------------
def pain_chart(daily: pd.DataFrame, entries: Sequence[tuple[date, int]], *, week: str, weeks: int = DEFAULT_WEEKS,
               units: Units = "km") -> Chart | None:
    """Chart 7: daily distance (bars) and pain levels (0-10, points); None when no entry falls in the window.

    ``entries`` are (day, level) pairs, e.g. ``[(e.day, e.level) for e in log.pain]``.
    """
    window = week_window(week, weeks)
    inside = sorted((d, lv) for d, lv in entries if window.first_day <= d <= window.last_day)
    if not inside:
        return None
    chart, ax = new_chart("pain", TITLE_PAIN, CAPTION_PAIN, s.DATE_TWIN_CHART)
    start_axes(ax, TITLE_PAIN, f"Daily distance ({distance_label(units)})")
    date_axis(ax, window, "Date")
    rows = window.daily(daily)
    distance = np.nan_to_num(rows[c.RUN_DISTANCE_M].to_numpy(float)) / metres_per(units)
    ax.bar(rows.index.to_numpy(), distance, width=0.75, color=s.SKY_BLUE, label="running distance",
           gid="daily-distance")
    headroom(ax, float(distance.max()), 1.1)
    twin = twin_axes(ax, "Pain (0-10, no unit)")
    # Points, not a line: a journal says nothing about the days between two entries.
    twin.plot([np.datetime64(d) for d, _ in inside], [lv for _, lv in inside], linestyle="none", marker="D",
              markersize=7, color=s.VERMILLION, markeredgecolor=s.INK, label="pain", gid="pain")
    twin.set_ylim(-0.4, 10.6)
    twin.set_yticks(range(0, 11, 2))
    bars, _ = ax.get_legend_handles_labels()
    handles: list[Artist] = [*bars, *twin.get_lines()]
    legend_above(ax, handles)
    return chart
