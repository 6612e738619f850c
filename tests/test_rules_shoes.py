"""The worn_shoes flag and the shoe report read one wear: the same distance, the same dates, honest advice."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from rule_inputs import rule_input
from series_tables import at, run
from stridewise import frames
from stridewise.config import Shoe
from stridewise.metrics.shoe_report import NOTICE_DATE, shoe_report
from stridewise.risk import Severity, evaluate
from stridewise.risk.advice import ADVICE_SHOES, ADVICE_SHOES_SOON
from test_rules import day


def pegasus_rows(km_each: float = 10.0, runs: int = 8) -> list[dict[str, object]]:
    return [dict(run(at(day(2 * n)), km_each), shoe="Pegasus") for n in range(runs)]


def shoe_flags(rows: list[dict[str, object]], shoe: Shoe) -> list[object]:
    return [x for x in evaluate(rule_input(rows, shoes=(shoe,))) if x.rule == "worn_shoes"]


def test_the_projected_day_is_the_shoe_reports_day() -> None:
    # 8 runs of 10 km every other day from Mon 29 Jun to Mon 13 Jul (day 14, 2026-W29): 80 km in the 28-day window
    # -> 80 / 28 km a day (20 km a week). From 430 km (initial 350), notice at 500 km: 70 / (80 / 28) = 24.5 days,
    # a day counted once it has begun -> 25 days.
    shoe = Shoe("Pegasus", initial_km=350.0)
    rows = pegasus_rows()
    (flag,) = [x for x in shoe_flags(rows, shoe) if x.week == "2026-W29"]
    last_day = day(14)
    report = shoe_report(rule_input(rows, shoes=(shoe,)).activities, (shoe,), today=last_day)
    expected = last_day + timedelta(days=25)
    assert report[NOTICE_DATE].iloc[0] == expected
    assert flag.message == f"Your Pegasus have 430 km on them and, at 20 km a week, reach 500 km around " \
                           f"{expected:%d %b %Y}."
    assert flag.advice == ADVICE_SHOES_SOON


@pytest.mark.parametrize(("initial_km", "severity", "advice"), [
    (620.0, Severity.INFO, ADVICE_SHOES_SOON),  # 700 km: past notice, under this pair's 800 km
    (725.0, Severity.ELEVATED, ADVICE_SHOES),  # 805 km: past replace
])
def test_replace_the_pair_only_past_the_pairs_own_limit(initial_km: float, severity: Severity, advice: str) -> None:
    found = shoe_flags(pegasus_rows(), Shoe("Pegasus", initial_km=initial_km))
    assert (found[-1].severity, found[-1].advice) == (severity, advice)
    assert all("Replace the pair" not in x.advice for x in found if x.value < 800)


def test_flag_messages_follow_the_runners_units() -> None:
    data = rule_input(pegasus_rows(), shoes=(Shoe("Pegasus", initial_km=620.0),))
    data = type(data)(data.activities, data.daily, data.weekly, data.runs, data.shoes, units="mi")
    (last, *_) = [x for x in evaluate(data) if x.rule == "worn_shoes"][::-1]
    # 700 km = 435 mi; notice 500 km = 311 mi.
    assert last.message == "Your Pegasus have 435 mi on them, past 311 mi: cushioning fades from here on."
    assert date(2026, 7, 13) == last.day
    assert frames.SHOE == "shoe"
