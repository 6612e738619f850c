"""Pick the charts and the card for one week of a TrainingLog (the glue between the log and report.charts)."""

from __future__ import annotations

from datetime import date, timedelta

from matplotlib.figure import Figure

from stridewise.log import TrainingLog
from stridewise.metrics.shoe_report import shoe_report
from stridewise.report.card import summary_card
from stridewise.report.charts import (
    Chart,
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
from stridewise.risk import RULES, in_week
from stridewise.risk.breaks import find_returns
from stridewise.units import Units
from stridewise.weeks import week_sunday


def _spike_ratios(log: TrainingLog) -> tuple[float, float]:
    params = RULES["single_run_spike"].params(log.config.rules.get("single_run_spike"))
    return params["elevated_ratio"], params["high_ratio"]


def _surge_min(log: TrainingLog) -> float:
    return RULES["weekly_progression"].params(log.config.rules.get("weekly_progression"))["max_increase"]


def _as_of(log: TrainingLog, week: str) -> date:
    """Projections are made from the week's last day, or the last day of data if the week is unfinished."""
    sunday = week_sunday(week)
    last = log.daily.index[-1].date() if not log.daily.empty else sunday
    return min(sunday, last) if last >= sunday - timedelta(days=6) else sunday


def report_charts(log: TrainingLog, week: str, *, weeks: int, units: Units) -> list[Chart]:
    """The report's charts in reading order; the pain chart only where pain was recorded in these weeks."""
    flagged_weeks = distance_warning_weeks(log.flags)
    charts = [
        weekly_distance_chart(log.weekly, week=week, weeks=weeks, flagged_weeks=flagged_weeks, units=units,
                              surge_min=_surge_min(log)),
        spike_chart(log.runs, log.activities, week=week, weeks=weeks, flagged_ids=spike_run_ids(log.flags),
                    ratios=_spike_ratios(log), units=units),
        downhill_chart(log.weekly, week=week, weeks=weeks, units=units),
        surface_chart(log.weekly, week=week, weeks=weeks, units=units),
        shoe_chart(shoe_report(log.activities, log.shoes, today=_as_of(log, week)), today=_as_of(log, week),
                   units=units),
        acwr_chart(log.daily, week=week, weeks=weeks, returns=find_returns(log.activities)),
    ]
    pain = pain_chart(log.daily, [(entry.day, entry.level) for entry in log.pain], week=week, weeks=weeks,
                      units=units)
    return [*charts, pain] if pain is not None else charts


def report_card(log: TrainingLog, week: str, verdict: str, *, weeks: int, units: Units,
                neutral: bool = False) -> Figure:
    return summary_card(week, verdict, in_week(log.flags, week), weekly=log.weekly, runs=log.runs,
                        activities=log.activities, history=log.flags, weeks=min(weeks, 12),
                        ratios=_spike_ratios(log), units=units, neutral=neutral, surge_min=_surge_min(log))
