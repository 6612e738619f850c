"""Terrain rules: steep-downhill novelty, downhill share, change of surface, weeks only on roads."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

import numpy as np
import pandas as pd

from stridewise import frames as f
from stridewise.risk.advice import ADVICE_DOWNHILL, ADVICE_SURFACE, SOURCE_DOWNHILL, SOURCE_SURFACE
from stridewise.risk.model import Evidence, Flag, Severity
from stridewise.risk.registry import MAX_WEEKS, Rule, RuleInput, Threshold, register
from stridewise.risk.rules_load import at, local_day, week_end
from stridewise.series import columns as sc
from stridewise.series import week_label

# Surfaces whose share of a week's distance is compared; "unknown" is left out (unknown stays unknown).
KNOWN_SURFACES = ("road", "unpaved", "trail", "track", "treadmill", "mixed")


def _distance(data: RuleInput, metres: float) -> str:
    """A distance on the ground in the runner's units: "7.1 km", or "330 m" under a kilometre (0.3 km would hide a
    30% difference); in miles two digits under a mile ("0.21 mi")."""
    if metres >= 1000:
        return data.distance(metres)
    return f"{metres:.0f} m" if data.units == "km" else data.distance(metres, digits=2)


@register(Rule(
    "downhill_novelty", "Steep downhill beyond what you are used to", Evidence.CONVENTION, (Severity.ELEVATED,),
    SOURCE_DOWNHILL, ADVICE_DOWNHILL,
    {"ratio": Threshold(1.10, "distance on steep downhill / the largest of the previous 30 days (by analogy "
                              "with the spike rule)"),
     "min_steep_m": Threshold(200.0, "distance on steep downhill (grade <= -10%) below which a run is not "
                                     "flagged", low_inclusive=True)}))
def downhill_novelty(data: RuleInput, params: Mapping[str, float], rule: Rule) -> list[Flag]:
    flags = []
    for index, run in data.runs.iterrows():
        steep, previous = run[f.STEEP_DOWNHILL_DISTANCE_M], run[sc.PREV_30D_MAX_STEEP_DOWNHILL_DISTANCE_M]
        if pd.isna(steep) or pd.isna(previous) or steep < params["min_steep_m"]:
            continue
        if previous > 0 and steep / previous < params["ratio"]:
            continue
        day = local_day(data.activities, index)
        if previous > 0:
            value, threshold = steep / previous, params["ratio"]
            told = f"{value:.1f} x the most of the previous 30 days ({_distance(data, previous)})"
        else:
            value, threshold = float(steep), params["min_steep_m"]
            told = "with none in the previous 30 days"
        flags.append(rule.flag(
            Severity.ELEVATED, week=week_label(pd.Timestamp(day)), day=day, value=value, threshold=threshold,
            activity_id=int(at(data.activities, index, f.ID)),
            message=f"Your run on {day:%a %d %b} had {_distance(data, steep)} on steep downhill (-10% or steeper), "
                    f"{told}."))
    return flags


@register(Rule(
    "downhill_share", "Downhill share far above your norm", Evidence.CONVENTION, (Severity.ELEVATED,),
    SOURCE_DOWNHILL, ADVICE_DOWNHILL,
    {"ratio": Threshold(2.0, "week's downhill share / mean share of the previous 8 weeks"),
     "min_excess": Threshold(0.05, "and at least this much above it (5 percentage points)", high=1,
                             low_inclusive=True),
     "norm_weeks": Threshold(8, "weeks in the norm; at least half must have altitude data", low=1, high=MAX_WEEKS,
                             low_inclusive=True, whole=True)}))
def downhill_share(data: RuleInput, params: Mapping[str, float], rule: Rule) -> list[Flag]:
    weeks = int(params["norm_weeks"])
    share = data.weekly[sc.DOWNHILL_SHARE].astype(float)
    norm = share.shift(1).rolling(weeks, min_periods=max(1, weeks // 2)).mean()
    flags = []
    for week in data.weekly.index:
        value, base = share.loc[cast(Any, week)], norm.loc[cast(Any, week)]
        if pd.isna(value) or pd.isna(base) or value < params["ratio"] * base or value - base < params["min_excess"]:
            continue
        row = data.weekly.loc[week]
        flags.append(rule.flag(
            Severity.ELEVATED, week=str(week), day=week_end(row[sc.WEEK_START]), value=float(value),
            threshold=float(max(params["ratio"] * base, base + params["min_excess"])),
            message=f"{value:.0%} of your running in {week} was downhill (-5% or steeper), against {base:.0%} in "
                    f"the previous {weeks} weeks."))
    return flags


def _known_mix(weekly: pd.DataFrame) -> pd.DataFrame:
    """Per week, the share of each known surface in the distance whose surface is known."""
    metres = weekly[[sc.SURFACE_DISTANCE_M[s] for s in KNOWN_SURFACES]].astype(float)
    metres.columns = list(KNOWN_SURFACES)
    known = metres.sum(axis=1)
    return metres.div(known.replace(0, np.nan), axis=0)


def _known_share_of_distance(weekly: pd.DataFrame) -> pd.Series:
    known = sum(weekly[sc.SURFACE_DISTANCE_M[s]].astype(float) for s in KNOWN_SURFACES)
    share: pd.Series = known / weekly[sc.RUN_DISTANCE_M].astype(float).replace(0, np.nan)
    return share


@register(Rule(
    "surface_change", "Sudden change of running surface", Evidence.CONVENTION, (Severity.ELEVATED,), SOURCE_SURFACE,
    ADVICE_SURFACE,
    {"min_change": Threshold(0.5, "half the sum of |share this week - mean share of the previous 4 weeks| over "
                                  "the surfaces (0 = same mix, 1 = all different)", high=1),
     "min_known_share": Threshold(0.5, "share of the distance whose surface is known, this week and before",
                                  high=1, low_inclusive=True)}))
def surface_change(data: RuleInput, params: Mapping[str, float], rule: Rule) -> list[Flag]:
    mix = _known_mix(data.weekly)
    usable = _known_share_of_distance(data.weekly) >= params["min_known_share"]
    flags = []
    for position in range(4, len(mix)):
        week = mix.index[position]
        before = mix.iloc[position - 4:position]
        if not usable.iloc[position] or not usable.iloc[position - 4:position].all():
            continue
        reference = before.mean()
        change = float(0.5 * (mix.iloc[position] - reference).abs().sum())
        if change < params["min_change"]:
            continue
        now_main = str(mix.iloc[position].idxmax())
        then_main = str(reference.idxmax())
        flags.append(rule.flag(
            Severity.ELEVATED, week=str(week), day=week_end(at(data.weekly, week, sc.WEEK_START)), value=change,
            threshold=params["min_change"],
            message=f"Your running surface changed sharply in {week}: {mix.iloc[position][now_main]:.0%} {now_main} "
                    f"against {reference[then_main]:.0%} {then_main} in the previous 4 weeks."))
    return flags


@register(Rule(
    "hard_surface", "Weeks on end on hard roads", Evidence.CONVENTION, (Severity.INFO,), SOURCE_SURFACE,
    ADVICE_SURFACE,
    {"min_road_share": Threshold(0.9, "share of the week's known-surface distance on road", high=1),
     "min_weeks": Threshold(4, "consecutive weeks at or above that share", low=1, high=MAX_WEEKS, low_inclusive=True,
                            whole=True),
     "min_known_share": Threshold(0.5, "share of the week's distance whose surface is known", high=1,
                                  low_inclusive=True)}))
def hard_surface(data: RuleInput, params: Mapping[str, float], rule: Rule) -> list[Flag]:
    road = _known_mix(data.weekly)["road"]
    usable = _known_share_of_distance(data.weekly) >= params["min_known_share"]
    on_road = (road >= params["min_road_share"]) & usable
    streak = on_road.groupby((~on_road).cumsum()).cumsum()
    flags = []
    for week, weeks in streak.items():
        if weeks < params["min_weeks"]:
            continue
        flags.append(rule.flag(
            Severity.INFO, week=str(week), day=week_end(at(data.weekly, week, sc.WEEK_START)), value=float(weeks),
            threshold=params["min_weeks"],
            message=f"{int(weeks)} weeks in a row with at least {params['min_road_share']:.0%} of your running on "
                    f"roads ({road.loc[cast(Any, week)]:.0%} in {week})."))
    return flags



