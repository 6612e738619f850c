"""Return after a break: the first weeks back against the runner's own level before the break."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

import pandas as pd

from stridewise.risk.advice import ADVICE_LOAD, SOURCE_RETURN
from stridewise.risk.breaks import BREAK_DAYS, LEVEL_WEEKS, RETURN_WEEKS, find_returns
from stridewise.risk.model import Evidence, Flag, Severity
from stridewise.risk.registry import Rule, RuleInput, Threshold, register
from stridewise.risk.rules_load import at, week_end
from stridewise.series import columns as sc
from stridewise.series import week_label


@register(Rule(
    "return_after_break", "Return after a break: more than before it", Evidence.WEAK,
    (Severity.ELEVATED, Severity.HIGH), SOURCE_RETURN, ADVICE_LOAD,
    {"break_days": Threshold(BREAK_DAYS, "days without a run that make a break (two weeks: shorter gaps are rest "
                                         "or a taper, and the spike rule's 30-day window still sees the runs before)"),
     "level_weeks": Threshold(LEVEL_WEEKS, "weeks before the break the level is read from (at least 4 in the "
                                           "divisor of the weekly distance)"),
     "return_weeks": Threshold(RETURN_WEEKS, "ISO weeks from the first run back that are compared"),
     "elevated_ratio": Threshold(1.10, "week's distance / weekly distance before the break, or week's longest run / "
                                       "longest run before it, whichever is larger (by analogy with the spike rule)"),
     "high_ratio": Threshold(2.0, "the same ratio at which the flag is high")}))
def return_after_break(data: RuleInput, params: Mapping[str, float], rule: Rule) -> list[Flag]:
    """Each of the first weeks back after a break is compared with the weeks before it: its distance with the
    weekly distance of the `level_weeks` weeks that end with the last run before the break, its longest run with
    their longest run. Each run is compared by `single_run_spike`, whose reference after 30 days without a run is
    the 30 days before the break. While a return lasts, `acwr` and `monotony` are not evaluated: their 28-day
    window is then mostly the break itself.
    """
    flags = []
    dist = data.distance
    returns = find_returns(data.activities, break_days=params["break_days"], level_weeks=params["level_weeks"],
                           return_weeks=params["return_weeks"])
    for back in returns:
        monday = back.first_back - timedelta(days=back.first_back.weekday())
        for n in range(back.return_weeks):
            week = week_label(pd.Timestamp(monday + timedelta(days=7 * n)))
            if week not in data.weekly.index:
                continue
            distance = float(at(data.weekly, week, sc.RUN_DISTANCE_M))
            longest = float(at(data.weekly, week, sc.LONGEST_RUN_M))
            week_ratio = distance / back.weekly_before_m if back.weekly_before_m > 0 else float("inf")
            run_ratio = longest / back.longest_before_m if back.longest_before_m > 0 else float("inf")
            value = max(week_ratio, run_ratio)
            if distance <= 0 or value < params["elevated_ratio"]:
                continue
            high = value >= params["high_ratio"]
            flags.append(rule.flag(
                Severity.HIGH if high else Severity.ELEVATED, week=week,
                day=week_end(at(data.weekly, week, sc.WEEK_START)),
                value=value, threshold=params["high_ratio"] if high else params["elevated_ratio"],
                message=f"Week {n + 1} back after {back.days_off} days without running: {dist(distance)} in "
                        f"{week} against {dist(back.weekly_before_m)} a week before the break "
                        f"({_ratio(week_ratio)}), longest run {dist(longest)} against "
                        f"{dist(back.longest_before_m)} ({_ratio(run_ratio)})."))
    return flags


def _ratio(value: float) -> str:
    return "none before" if value == float("inf") else f"{value:.2f} x"
