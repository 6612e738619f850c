"""The summary card: one PNG-ready figure, 1200 px wide, that a runner can send to a coach or a physio.

Top to bottom: the week and its numbers, the verdict, up to ``MAX_FLAG_ROWS`` flags (severity badge, evidence
grade, the message on one line), the weekly distance chart and the single-run spike chart, and a footer that says
what the flags are and are not. The figure is returned; the caller saves it (``figure.savefig(path_or_buffer)``).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Sequence
from datetime import timedelta
from typing import Final

import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.patches import FancyBboxPatch

from stridewise.report import style as s
from stridewise.report.chart_base import DEFAULT_WEEKS, week_window
from stridewise.report.charts import (
    SPIKE_RATIOS,
    distance_warning_weeks,
    draw_spikes,
    draw_weekly_distance,
    spike_run_ids,
)
from stridewise.risk.model import Evidence, Flag
from stridewise.series import columns as c
from stridewise.units import Units, distance_in, distance_label
from stridewise.weeks import parse_week

CARD_WIDTH_PX: Final = 1200  # wide enough for two lines of text per flag to fit on one; messaging apps keep it sharp
MAX_FLAG_ROWS: Final = 5  # more rows and the card stops being glanceable; the rest are counted, not shown
# A flag row, in fractions of the card's text width: badge, evidence grade, message.
BADGE_WIDTH: Final = 0.082
EVIDENCE_X: Final = 0.094
MESSAGE_X: Final = 0.205
# Characters of a flag message on one row: about 900 px of 10 pt DejaVu Sans (7.2 px per character on average).
MESSAGE_CHARS: Final = 115
VERDICT_CHARS: Final = 112  # per line, at 12.5 pt; the verdict wraps onto two lines at most
# The card's bands, top to bottom, in pixels (fixed: a layout engine would measure every label at each save).
# The heights are what constrained layout gave these bands before the layout was fixed.
HEADER_PX: Final = 100
FLAG_ROW_PX: Final = 29
CHART_PX: Final = 304  # the plot of each chart; its title, legend and ticks take CHART_MARGINS around it
FOOTER_PX: Final = 29
CARD_EDGE_PX: Final = 12  # above the first band and below the last
BAND_GAP_PX: Final = 18  # between two bands
# The text of every band starts where the charts' y axes are, 76 px in; 40 px on the right leave room for the
# last date tick. The card is read on its own, often on a phone: wider edges than a report chart's.
TEXT_MARGINS: Final = s.Margins(left=76, right=40, top=0, bottom=0)
WEEK_CHART_MARGINS: Final = s.Margins(left=76, right=40, top=s.TITLE_ROOM_PX, bottom=s.WEEK_AXIS_PX)
DATE_CHART_MARGINS: Final = s.Margins(left=76, right=40, top=s.TITLE_ROOM_PX, bottom=s.DATE_AXIS_PX)
CARD_WEEK_TICKS: Final = 16
CARD_DATE_TICKS: Final = 12

EVIDENCE_WORDS: Final = {Evidence.COHORT: "cohort study", Evidence.WEAK: "weak evidence",
                         Evidence.CONVENTION: "convention only"}
FOOTER: Final = ("Made with stridewise from the runner's own training log. Each warning names the strength of the "
                 "evidence behind it; none is a diagnosis.")


def shorten(text: str, limit: int) -> str:
    """``text`` on one line of at most ``limit`` characters, cut at a word and ended with an ellipsis if needed."""
    line = " ".join(text.split())
    if len(line) <= limit:
        return line
    cut = line[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:.-")
    return cut + "\u2026"


def _week_line(week: str, weekly: pd.DataFrame, units: Units) -> str:
    """ "47.0 km in 3 runs, +18% on the week before, longest run 34.0 km" (or "no runs this week")."""
    columns = [c.RUN_DISTANCE_M, c.RUNS, c.DISTANCE_CHANGE_VS_PREV_WEEK, c.LONGEST_RUN_M]
    if week not in weekly.index:
        return "no runs this week"
    row = dict(zip(columns, weekly.loc[[week], columns].to_numpy(float)[0].tolist(), strict=True))
    if not row[c.RUNS] > 0:
        return "no runs this week"
    label = distance_label(units)
    runs = int(row[c.RUNS])
    parts = [f"{distance_in(row[c.RUN_DISTANCE_M], units):.1f} {label} in {runs} run{'s' if runs > 1 else ''}"]
    if not math.isnan(row[c.DISTANCE_CHANGE_VS_PREV_WEEK]):
        parts.append(f"{row[c.DISTANCE_CHANGE_VS_PREV_WEEK]:+.0%} on the week before")
    parts.append(f"longest run {distance_in(row[c.LONGEST_RUN_M], units):.1f} {label}")
    return ", ".join(parts)


def _header(ax: Axes, week: str, verdict: str, top: Flag | None, weekly: pd.DataFrame, units: Units,
            neutral: bool) -> None:
    ax.axis("off")
    monday = parse_week(week)
    ax.text(0, 1, f"Training week {week}", transform=ax.transAxes, va="top", fontsize=17, fontweight="bold",
            color=s.INK)
    ax.text(1, 1, f"{monday:%a %d %b} \u2013 {monday + timedelta(days=6):%a %d %b %Y}", transform=ax.transAxes,
            ha="right", va="top", fontsize=12, color=s.DARK_GREY)
    ax.text(0, 0.63, _week_line(week, weekly, units), transform=ax.transAxes, va="top", fontsize=12,
            color=s.DARK_GREY)
    lines = textwrap.wrap(" ".join(verdict.split()), VERDICT_CHARS)
    text = "\n".join([*lines[:1], shorten(" ".join(lines[1:]), VERDICT_CHARS)] if len(lines) > 1 else lines)
    # Green says "runs were checked, nothing found"; a week with nothing recorded is grey, never green.
    colour = s.SEVERITY_COLOUR[top.severity] if top is not None else s.GREY if neutral else s.BLUISH_GREEN
    ax.add_patch(FancyBboxPatch((0, 0.0), 0.006, 0.36, boxstyle="square,pad=0", transform=ax.transAxes,
                                facecolor=colour, edgecolor="none", gid="verdict-bar"))
    ax.text(0.016, 0.18, text, transform=ax.transAxes, va="center", fontsize=12.5, color=s.INK, gid="verdict",
            linespacing=1.3)


def _flag_rows(ax: Axes, flags: Sequence[Flag]) -> None:
    ax.axis("off")
    shown = list(flags[:MAX_FLAG_ROWS])
    height = 1 / (len(shown) + (1 if len(flags) > MAX_FLAG_ROWS else 0))
    for i, flag in enumerate(shown):
        y = 1 - (i + 0.5) * height
        ax.add_patch(FancyBboxPatch((0, y - 0.36 * height), BADGE_WIDTH, 0.72 * height, boxstyle="square,pad=0",
                                    transform=ax.transAxes, facecolor=s.SEVERITY_COLOUR[flag.severity],
                                    edgecolor="none", gid="flag-row"))
        ax.text(BADGE_WIDTH / 2, y, flag.severity.value.upper(), transform=ax.transAxes, ha="center", va="center",
                fontsize=9, fontweight="bold", color=s.SEVERITY_TEXT[flag.severity])
        ax.text(EVIDENCE_X, y, EVIDENCE_WORDS[flag.evidence], transform=ax.transAxes, va="center", fontsize=9,
                color=s.DARK_GREY, style="italic")
        ax.text(MESSAGE_X, y, shorten(flag.message, MESSAGE_CHARS), transform=ax.transAxes, va="center", fontsize=10,
                color=s.INK, gid="flag-message")
    if len(flags) > MAX_FLAG_ROWS:
        ax.text(MESSAGE_X, 0.5 * height, f"+ {len(flags) - MAX_FLAG_ROWS} more in the full report",
                transform=ax.transAxes, va="center", fontsize=9.5, color=s.DARK_GREY, gid="more-flags")


def summary_card(week: str, verdict: str, flags: Sequence[Flag], *, weekly: pd.DataFrame, runs: pd.DataFrame,
                 activities: pd.DataFrame, history: Sequence[Flag] | None = None, weeks: int = DEFAULT_WEEKS,
                 ratios: tuple[float, float] = SPIKE_RATIOS, units: Units = "km", neutral: bool = False,
                 surge_min: float = s.CHANGE_HIGH_MIN) -> Figure:
    """The card for ``week``: ``verdict`` (one line, e.g. ``weekcheck.verdict``), the week's ``flags``, two charts.

    ``flags`` are shown most severe first (ties keep their order). ``history`` (default ``flags``) supplies the
    marks in the charts: weeks with a distance warning, runs with a single-run spike. ``weekly``, ``runs`` and
    ``activities`` are the ``TrainingLog`` tables; the charts cover the ``weeks`` weeks ending with ``week``.
    ``neutral``: the week holds no counted run (or has not begun), so the verdict bar is grey, not green.
    """
    window = week_window(week, weeks)
    ordered = sorted(flags, key=lambda flag: -flag.severity.rank)
    marks = list(flags) if history is None else list(history)
    flag_rows = min(len(ordered), MAX_FLAG_ROWS) + (1 if len(ordered) > MAX_FLAG_ROWS else 0)
    # Without flags the verdict already says "no warnings": no empty band under it.
    bands = [(TEXT_MARGINS, HEADER_PX), *([(TEXT_MARGINS, FLAG_ROW_PX * flag_rows)] if flag_rows else []),
             (WEEK_CHART_MARGINS, CHART_PX), (DATE_CHART_MARGINS, CHART_PX), (TEXT_MARGINS, FOOTER_PX)]
    heights = [margins.top + height + margins.bottom for margins, height in bands]
    figure = s.new_figure(CARD_WIDTH_PX, sum(heights) + 2 * CARD_EDGE_PX + BAND_GAP_PX * (len(bands) - 1), dpi=s.DPI)
    tops = [CARD_EDGE_PX + sum(heights[:n]) + BAND_GAP_PX * n for n in range(len(bands))]
    grid = iter([s.add_plot(figure, margins, top_px=top, height_px=height)
                 for (margins, _), top, height in zip(bands, tops, heights, strict=True)])
    _header(next(grid), week, verdict, ordered[0] if ordered else None, weekly, units, neutral)
    if flag_rows:
        _flag_rows(next(grid), ordered)
    draw_weekly_distance(next(grid), weekly, window, flagged_weeks=distance_warning_weeks(marks),
                         units=units, max_ticks=CARD_WEEK_TICKS, surge_min=surge_min)
    draw_spikes(next(grid), runs, activities, window, flagged_ids=spike_run_ids(marks),
                ratios=ratios, units=units, max_ticks=CARD_DATE_TICKS)
    footer = next(grid)
    footer.axis("off")
    footer.text(0, 0.5, FOOTER, transform=footer.transAxes, va="center", fontsize=9, color=s.DARK_GREY)
    return figure
