"""Shoes run past their life."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta

import pandas as pd

from stridewise import frames as f
from stridewise.risk.advice import ADVICE_SHOES, SOURCE_SHOES
from stridewise.risk.model import Evidence, Flag, Severity
from stridewise.risk.registry import Rule, RuleInput, Threshold, register
from stridewise.series import week_label

LOCAL_DATE = f.LOCAL_DATE


@register(Rule(
    "worn_shoes", "Shoes past their life", Evidence.CONVENTION, (Severity.INFO, Severity.ELEVATED), SOURCE_SHOES,
    ADVICE_SHOES,
    {"horizon_days": Threshold(28, "days ahead in which a pair projected to reach its notice distance is named"),
     "rate_days": Threshold(28, "days of recent use the projection is based on")}))
def worn_shoes(data: RuleInput, params: Mapping[str, float], rule: Rule) -> list[Flag]:
    """Per shoe and week of use: past replace (elevated), past notice (info), or projected to reach notice soon.

    Each pair's own limits come from the config ([[shoes]] notice_km / replace_km, default 500 / 800 km).
    """
    runs = data.activities[data.activities[f.IS_RUN] & data.activities[f.SHOE].notna()]
    flags: list[Flag] = []
    for shoe in data.shoes:
        own = runs[runs[f.SHOE] == shoe.name].sort_values(f.START_UTC)
        if own.empty:
            continue
        total_km = shoe.initial_km + own[f.DISTANCE_M].astype(float).cumsum() / 1000
        days = pd.to_datetime(own[LOCAL_DATE])
        for week, in_week in own.groupby(days.map(week_label).to_numpy()):
            last = in_week.index[-1]
            day = own.loc[last, LOCAL_DATE]
            km_now = float(total_km[last])
            if km_now >= shoe.replace_km:
                flags.append(rule.flag(
                    Severity.ELEVATED, week=str(week), day=day, value=km_now, threshold=shoe.replace_km,
                    shoe=shoe.name, message=f"Your {shoe.name} have {km_now:.0f} km on them, past the "
                                            f"{shoe.replace_km:.0f} km at which pairs are usually replaced."))
            elif km_now >= shoe.notice_km:
                flags.append(rule.flag(
                    Severity.INFO, week=str(week), day=day, value=km_now, threshold=shoe.notice_km, shoe=shoe.name,
                    message=f"Your {shoe.name} have {km_now:.0f} km on them, past {shoe.notice_km:.0f} km: "
                            f"cushioning fades from here on."))
            else:
                recent = own[(days > pd.Timestamp(day) - pd.Timedelta(days=params["rate_days"]))
                             & (days <= pd.Timestamp(day))]
                rate_km_per_day = float(recent[f.DISTANCE_M].sum()) / 1000 / params["rate_days"]
                if rate_km_per_day <= 0:
                    continue
                days_left = (shoe.notice_km - km_now) / rate_km_per_day
                if days_left <= params["horizon_days"]:
                    reach = day + timedelta(days=round(days_left))
                    flags.append(rule.flag(
                        Severity.INFO, week=str(week), day=day, value=km_now, threshold=shoe.notice_km,
                        shoe=shoe.name, message=f"Your {shoe.name} have {km_now:.0f} km on them and, at "
                                                f"{rate_km_per_day * 7:.0f} km a week, reach {shoe.notice_km:.0f} km "
                                                f"around {reach:%d %b %Y}."))
    return flags
