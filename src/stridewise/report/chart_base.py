"""What every chart shares: the :class:`Chart` it returns, the :class:`Window` of weeks it covers, axis helpers.

A window is the ``weeks`` ISO weeks that end with ``week``; charts slice the full ``TrainingLog`` tables to it
themselves, so callers never pre-slice. Nothing here touches pyplot's global state.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Final

import numpy as np
import pandas as pd
from matplotlib import dates as mdates
from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.container import Container
from matplotlib.figure import Figure
from matplotlib.markers import TICKDOWN, MarkerStyle
from matplotlib.transforms import IdentityTransform

from stridewise.errors import UsageError
from stridewise.report import style as s
from stridewise.series import columns as c
from stridewise.weeks import parse_week, week_label

DEFAULT_WEEKS: Final = 12  # a training block: long enough to show a build-up, short enough to read each bar
MAX_WEEK_TICKS: Final = 14  # more two-line week labels than this collide on a 900 px chart
MAX_DATE_TICKS: Final = 12  # "21 Sep" labels on a date axis of the same width
DAY_MARK_PT: Final = 2.0  # the day marks under a date axis: shorter than the Monday ticks (3.5 pt)


@dataclass(frozen=True)
class Chart:
    """A finished chart. ``key`` ("weekly-distance") suits an HTML id or a file name; ``caption`` is one line."""

    key: str
    title: str
    caption: str
    figure: Figure


@dataclass(frozen=True)
class Window:
    """The ISO weeks a chart shows, oldest first, and their first (Monday) and last (Sunday) day."""

    weeks: tuple[str, ...]
    first_day: date
    last_day: date

    def days(self) -> pd.DatetimeIndex:
        """Every day of the window, as the daily table indexes them."""
        return pd.date_range(self.first_day, self.last_day, freq="D", name=c.DATE)

    def weekly(self, weekly: pd.DataFrame) -> pd.DataFrame:
        """``weekly`` restricted to the window: one row per week, NaN for weeks without data."""
        return weekly.reindex(list(self.weeks))

    def daily(self, daily: pd.DataFrame) -> pd.DataFrame:
        """``daily`` restricted to the window: one row per day, NaN for days outside the series."""
        return daily.reindex(self.days())


def week_window(week: str, weeks: int = DEFAULT_WEEKS) -> Window:
    """The ``weeks`` ISO weeks ending with ``week`` (``"2026-W39"``)."""
    last_monday = parse_week(week)
    if weeks < 1:
        raise UsageError(f"a chart needs at least 1 week, not {weeks}")
    mondays = [last_monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]
    labels = tuple(week_label(m) for m in mondays)
    return Window(labels, mondays[0], last_monday + timedelta(days=6))


def new_chart(key: str, title: str, caption: str, margins: s.Margins, height_px: int = s.CHART_HEIGHT_PX,
              ) -> tuple[Chart, Axes]:
    """An empty chart of the standard width and its one Axes, ``margins`` inside the figure's edges."""
    figure = s.new_figure(height_px=height_px)
    return Chart(key, title, caption, figure), s.add_plot(figure, margins)


def start_axes(ax: Axes, title: str, ylabel: str) -> None:
    """Common look, a left-aligned title (room above it for the legend row) and the y label."""
    s.style_axes(ax)
    # y given: otherwise matplotlib measures the tick labels at every draw to keep the title clear of ticks on top,
    # which these charts never have (a fifth of a chart's drawing time).
    ax.set_title(title, loc="left", fontsize=s.TITLE_PT, color=s.INK, pad=s.TITLE_PAD_PT, y=1.0)
    ax.set_ylabel(ylabel, fontsize=s.LABEL_PT)


def week_axis(ax: Axes, window: Window, max_ticks: int = MAX_WEEK_TICKS) -> np.ndarray[Any, np.dtype[np.int64]]:
    """Week positions 0..n-1 with "W39 / 21 Sep" tick labels, at most ``max_ticks``; the last week's in bold."""
    positions = np.arange(len(window.weeks), dtype=np.int64)
    step = max(1, math.ceil(len(positions) / max_ticks))
    shown = positions[::-1][::step][::-1]  # thin from the right, so that the report's own week keeps its label
    labels = [f"{window.weeks[n][5:]}\n{window.first_day + timedelta(weeks=int(n)):%d %b}" for n in shown]
    ax.set_xticks(shown, labels)
    ax.get_xticklabels()[-1].set_fontweight("bold")
    ax.set_xlim(-0.6, len(positions) - 0.4)
    ax.set_xlabel("ISO week (and its Monday)", fontsize=s.LABEL_PT)
    return positions


def date_axis(ax: Axes, window: Window, label: str, max_ticks: int = MAX_DATE_TICKS) -> None:
    """A day axis over the window, ticked on Mondays ("21 Sep") like the week axis, at most ``max_ticks``."""
    interval = max(1, math.ceil(len(window.weeks) / max_ticks))
    # matplotlib.dates is not annotated yet, hence the ignores.
    ax.xaxis.set_major_locator(mdates.WeekdayLocator(byweekday=mdates.MO, interval=interval))  # type: ignore[no-untyped-call]
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%d %b"))  # type: ignore[no-untyped-call]
    # Matplotlib counts dates in days; a margin of most of a day keeps a bar or a marker on the first or last day whole.
    first, last = (float(mdates.date2num(day)) for day in (window.first_day, window.last_day))  # type: ignore[no-untyped-call]
    # A small mark under each day, drawn as one collection: as minor ticks they were an artist per day (a tenth of
    # a report's time). Under the axis (zorder), so that a Monday's tick covers its mark.
    days = np.arange(first, last + 1)
    mark = MarkerStyle(TICKDOWN)
    marks = PathCollection([mark.get_path().transformed(mark.get_transform())], sizes=[DAY_MARK_PT**2],
                           offsets=np.column_stack([days, np.zeros(len(days))]), transform=IdentityTransform(),
                           offset_transform=ax.get_xaxis_transform(), facecolors="none", edgecolors=s.LIGHT_GREY,
                           linewidths=s.DAY_MARK_WIDTH_PT, clip_on=False, zorder=0.4, gid="day-marks")
    ax.add_collection(marks, autolim=False)  # a decoration: it must not move the y axis to take in 0
    ax.set_xlim(first - 0.8, last + 0.8)
    ax.set_xlabel(label, fontsize=s.LABEL_PT)


def twin_axes(ax: Axes, ylabel: str) -> Axes:
    """A second y axis on the right, styled like the first, without its own grid."""
    twin = ax.twinx()
    twin.spines[["top", "left"]].set_visible(False)
    twin.spines["right"].set_color(s.DARK_GREY)
    twin.tick_params(labelsize=s.TICK_PT, colors=s.DARK_GREY)
    twin.set_ylabel(ylabel, fontsize=s.LABEL_PT)
    return twin


def headroom(ax: Axes, top: float, factor: float) -> None:
    """y from 0 to ``top`` x ``factor``, leaving room for labels above the tallest bar; 0..1 if nothing to show."""
    ax.set_ylim(0, top * factor if top > 0 and math.isfinite(top) else 1.0)


def legend_above(ax: Axes, handles: Sequence[Artist | Container]) -> None:
    """One legend row above the plot, right-aligned beside the title, so that it never covers data."""
    ax.legend(handles=list(handles), loc="lower right", bbox_to_anchor=(1.0, 1.0), ncols=len(handles),
              fontsize=s.NOTE_PT, frameon=False, handlelength=1.6, columnspacing=1.0, borderaxespad=0.1)
