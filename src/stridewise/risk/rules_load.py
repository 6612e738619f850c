"""Load rules: single-run spikes, weekly progression, acute:chronic ratio, monotony."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, cast

import pandas as pd

from stridewise import frames as f
from stridewise.risk.advice import (
    ADVICE_LOAD,
    ADVICE_REST,
    SOURCE_ACWR,
    SOURCE_FRANDSEN,
    SOURCE_MONOTONY,
    SOURCE_NIELSEN,
)
from stridewise.risk.breaks import covered_days, find_returns
from stridewise.risk.model import Evidence, Flag, Severity
from stridewise.risk.registry import Rule, RuleInput, Threshold, register
from stridewise.series import columns as sc
from stridewise.series import week_label


def at(frame: pd.DataFrame, row: object, column: str) -> Any:
    """One cell, for a row label taken from iterrows() (pandas-stubs types those labels as Hashable)."""
    return frame.loc[cast(Any, row), column]


def local_day(activities: pd.DataFrame, index: object) -> date:
    day: date = at(activities, index, f.LOCAL_DATE)
    return day


def week_end(week_start: pd.Timestamp) -> date:
    end: date = (week_start + pd.Timedelta(days=6)).date()
    return end


_REFERENCE_WORDS = {sc.REFERENCE_PREVIOUS_30D: "the previous 30 days",
                    sc.REFERENCE_BEFORE_BREAK: "the 30 days before your break"}


@register(Rule(
    "single_run_spike", "Single-run spike", Evidence.COHORT, (Severity.ELEVATED, Severity.HIGH), SOURCE_FRANDSEN,
    ADVICE_LOAD, {"elevated_ratio": Threshold(1.10, "run distance / longest run of the previous 30 days"),
                  "high_ratio": Threshold(2.0, "the same ratio at which the flag is high")}))
def single_run_spike(data: RuleInput, params: Mapping[str, float], rule: Rule) -> list[Flag]:
    """After 30 days or more without a run, the reference is the longest run of the 30 days before the break."""
    flags = []
    for index, run in data.runs.iterrows():
        ratio = run[sc.DISTANCE_SPIKE_RATIO]
        if pd.isna(ratio) or ratio < params["elevated_ratio"]:
            continue
        high = ratio >= params["high_ratio"]
        threshold = params["high_ratio"] if high else params["elevated_ratio"]
        day = local_day(data.activities, index)
        flags.append(rule.flag(
            Severity.HIGH if high else Severity.ELEVATED, week=week_label(pd.Timestamp(day)), day=day,
            value=float(ratio), threshold=threshold, activity_id=int(at(data.activities, index, f.ID)),
            message=f"Your {data.distance(run[f.DISTANCE_M])} run on {day:%a %d %b} was {ratio:.2f} x your "
                    f"longest run of {_REFERENCE_WORDS[run[sc.SPIKE_REFERENCE]]} "
                    f"({data.distance(run[sc.PREV_30D_LONGEST_M])})."))
    return flags


@register(Rule(
    "weekly_progression", "Too much too soon (weekly distance)", Evidence.WEAK, (Severity.ELEVATED,),
    SOURCE_NIELSEN, ADVICE_LOAD,
    {"max_increase": Threshold(0.30, "weekly distance / previous week (or mean of the previous 4 weeks) - 1")}))
def weekly_progression(data: RuleInput, params: Mapping[str, float], rule: Rule) -> list[Flag]:
    flags = []
    limit = params["max_increase"]
    for week, row in data.weekly.iterrows():
        changes = {"the week before": row[sc.DISTANCE_CHANGE_VS_PREV_WEEK],
                   "the mean of the previous 4 weeks": row[sc.DISTANCE_CHANGE_VS_PREV_4W]}
        over = {what: c for what, c in changes.items() if not pd.isna(c) and c >= limit}
        if not over:
            continue
        what, change = max(over.items(), key=lambda item: item[1])
        base = row[sc.RUN_DISTANCE_M] / (1 + change)
        flags.append(rule.flag(
            Severity.ELEVATED, week=str(week), day=week_end(row[sc.WEEK_START]), value=float(change), threshold=limit,
            message=f"You ran {data.distance(row[sc.RUN_DISTANCE_M])} in {week}, {change:.0%} more than {what} "
                    f"({data.distance(base)})."))
    return flags


@register(Rule(
    "acwr", "Acute:chronic load ratio (descriptive)", Evidence.WEAK, (Severity.INFO,), SOURCE_ACWR, ADVICE_LOAD,
    {"max_ratio": Threshold(1.5, "7-day EWMA / 28-day EWMA of daily running distance")}))
def acwr(data: RuleInput, params: Mapping[str, float], rule: Rule) -> list[Flag]:
    """Not evaluated in the first weeks back after a break (see `return_after_break`): the chronic window is
    then mostly the break, and the ratio says nothing but "you were away"."""
    return _weekly_peak(data, rule, sc.ACWR_EWMA, params["max_ratio"], Severity.INFO,
                        "Your acute:chronic load ratio reached {value:.2f} on {day:%a %d %b} (7/28-day EWMA); "
                        "descriptive only: in runners its link to injury is unproven.")


@register(Rule(
    "monotony", "Monotony: too few rest or easy days", Evidence.CONVENTION, (Severity.INFO,), SOURCE_MONOTONY,
    ADVICE_REST, {"max_monotony": Threshold(2.0, "mean / SD of the last 7 days' distances (capped at 10)")}))
def monotony(data: RuleInput, params: Mapping[str, float], rule: Rule) -> list[Flag]:
    """Not evaluated in the first weeks back after a break, like `acwr`."""
    return _weekly_peak(data, rule, sc.MONOTONY_7D, params["max_monotony"], Severity.INFO,
                        "Your 7-day training monotony reached {value:.1f} on {day:%a %d %b}: the days were too alike, "
                        "with too few rest or easy days.")


def _weekly_peak(data: RuleInput, rule: Rule, column: str, limit: float, severity: Severity,
                 template: str) -> list[Flag]:
    """One flag per ISO week whose highest daily ``column`` value is at or above ``limit``, outside the first weeks
    back after a break (where the value is not meaningful)."""
    returns = find_returns(data.activities)
    values = data.daily[column]
    if returns:
        values = values.mask(covered_days(returns, pd.DatetimeIndex(values.index)))
    flags = []
    for week, group in values.groupby(values.index.map(week_label)):
        if group.isna().all() or group.max() < limit:
            continue
        peak_day: date = cast(pd.Timestamp, group.idxmax()).date()
        peak = float(group.max())
        flags.append(rule.flag(severity, week=str(week), day=peak_day, value=peak, threshold=limit,
                               message=template.format(value=peak, day=peak_day)))
    return flags
