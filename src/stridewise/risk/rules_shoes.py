"""Shoes run past their life: the flags read the same wear as the shoe report (metrics.shoe_report.shoe_wear)."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np

from stridewise import frames as f
from stridewise.metrics.shoe_report import M_PER_KM, STATUS_NOTICE, STATUS_REPLACE, STATUS_RETIRED, shoe_wear
from stridewise.risk.advice import ADVICE_SHOES, ADVICE_SHOES_SOON, SOURCE_SHOES
from stridewise.risk.model import Evidence, Flag, Severity
from stridewise.risk.registry import MAX_DAYS, Rule, RuleInput, Threshold, register
from stridewise.weeks import week_label

LOCAL_DATE = f.LOCAL_DATE


@register(Rule(
    "worn_shoes", "Shoes past their life", Evidence.CONVENTION, (Severity.INFO, Severity.ELEVATED), SOURCE_SHOES,
    ADVICE_SHOES,
    {"horizon_days": Threshold(28, "days ahead in which a pair projected to reach its notice distance is named",
                               low=1, high=MAX_DAYS, low_inclusive=True, whole=True),
     "rate_days": Threshold(28, "days of recent use the projection is based on", low=1, high=MAX_DAYS,
                            low_inclusive=True, whole=True)}))
def worn_shoes(data: RuleInput, params: Mapping[str, float], rule: Rule) -> list[Flag]:
    """Per shoe and week of use, on the week's last run: past replace (elevated, "replace the pair"), past notice
    (info), or projected to reach notice within the horizon (info); the last two advise planning a new pair, never
    replacing one still under its own limit. Each pair's own limits come from the config ([[shoes]] notice_km /
    replace_km, default 500 / 800 km); the wear and its dates are the shoe report's (`stridewise shoes list`).
    A retired pair is not flagged.
    """
    runs = data.activities[data.activities[f.IS_RUN] & data.activities[f.SHOE].notna()]
    flags: list[Flag] = []
    for shoe in data.shoes:
        own = runs[runs[f.SHOE].astype(str).str.lower() == shoe.name.lower()].sort_values(LOCAL_DATE, kind="stable")
        if own.empty:
            continue
        days = list(own[LOCAL_DATE])
        km = own[f.DISTANCE_M].fillna(0.0).to_numpy(float) / M_PER_KM
        weeks = np.array([week_label(day) for day in days])
        for week in dict.fromkeys(weeks):
            last = int(np.flatnonzero(weeks == week)[-1])
            day = days[last]
            wear = shoe_wear(shoe, days[:last + 1], km[:last + 1], today=day, window_days=int(params["rate_days"]))
            have = f"Your {shoe.name} have {data.distance(wear.distance_km * M_PER_KM, digits=0)} on them"
            notice = data.distance(shoe.notice_km * M_PER_KM, digits=0)
            if wear.status == STATUS_RETIRED:
                continue
            if wear.status == STATUS_REPLACE:
                flags.append(rule.flag(
                    Severity.ELEVATED, week=week, day=day, value=wear.distance_km, threshold=shoe.replace_km,
                    shoe=shoe.name, message=f"{have}, past the {data.distance(shoe.replace_km * M_PER_KM, digits=0)} "
                                            f"at which pairs are usually replaced."))
            elif wear.status == STATUS_NOTICE:
                flags.append(rule.flag(
                    Severity.INFO, week=week, day=day, value=wear.distance_km, threshold=shoe.notice_km,
                    shoe=shoe.name, advice=ADVICE_SHOES_SOON,
                    message=f"{have}, past {notice}: cushioning fades from here on."))
            elif wear.notice_date is not None and (wear.notice_date - day).days <= params["horizon_days"]:
                per_week = data.distance(wear.rate_km_per_day * 7 * M_PER_KM, digits=0)
                flags.append(rule.flag(
                    Severity.INFO, week=week, day=day, value=wear.distance_km, threshold=shoe.notice_km,
                    shoe=shoe.name, advice=ADVICE_SHOES_SOON,
                    message=f"{have} and, at {per_week} a week, reach {notice} around {wear.notice_date:%d %b %Y}."))
    return flags



