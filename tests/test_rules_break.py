"""Return after a break: the first weeks back against the level before it; acwr and monotony stay quiet."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from rule_inputs import rule_input
from series_tables import at, run
from stridewise.risk import Severity, evaluate
from stridewise.series import columns as sc
from test_rules import day, steady_weeks

# steady_weeks: 8 + 8 + 6 + 12 = 34 km a week, longest run 12 km; eight of them end on Sunday day(55).
LEVEL_KM = 34.0
BACK = 91  # Monday of 2026-W40: 35 days without a run after day 55 (days 56..90)


def back_week(kms: list[float], first: int = BACK) -> list[dict[str, Any]]:
    return [run(at(day(first + i)), km, downhill_m=0, steep_downhill_distance_m=0) for i, km in enumerate(kms)]


def flags(rows: list[dict[str, Any]], rule: str) -> list[Any]:
    return [x for x in evaluate(rule_input(rows)) if x.rule == rule]


@pytest.mark.parametrize(("kms", "expected"), [
    ([10, 10, 10, 7.3], None),  # 37.3 km: 1.097 x the 34 km a week before the break
    ([10, 10, 10, 7.4], Severity.ELEVATED),  # 37.4 km: 1.10 x
    ([12, 12, 12, 12, 10, 9.9], Severity.ELEVATED),  # 67.9 km: 1.997 x
    ([12, 12, 12, 12, 10, 10], Severity.HIGH),  # 68 km: 2.0 x
])
def test_the_first_week_back_against_the_weekly_distance_before_the_break(kms: list[float],
                                                                           expected: Severity | None) -> None:
    found = flags(steady_weeks(8) + back_week(kms), "return_after_break")
    assert [x.severity for x in found] == ([expected] if expected else [])
    if expected:
        assert found[0].week == "2026-W40" and found[0].day == date(2026, 10, 4)
        assert found[0].value == pytest.approx(sum(kms) / LEVEL_KM)


def test_the_message_names_the_break_and_both_levels() -> None:
    (found,) = flags(steady_weeks(8) + back_week([10, 10, 10, 7.4]), "return_after_break")
    assert found.message == ("Week 1 back after 35 days without running: 37.4 km in 2026-W40 against 34.0 km a week "
                             "before the break (1.10 x), longest run 10.0 km against 12.0 km (0.83 x).")


def test_a_long_first_run_back_is_flagged_by_the_return_and_the_spike_rule() -> None:
    # 21 km after 35 days off: 1.75 x the 12 km longest run before the break (the 30-day window is empty).
    rows = steady_weeks(8) + back_week([21])
    (back,) = flags(rows, "return_after_break")
    assert (back.severity, back.value) == (Severity.ELEVATED, pytest.approx(21 / 12))
    (spike,) = flags(rows, "single_run_spike")
    assert spike.message == ("Your 21.0 km run on Mon 28 Sep was 1.75 x your longest run of the 30 days before "
                             "your break (12.0 km).")


def test_the_later_weeks_back_are_compared_and_the_fifth_is_not() -> None:
    # Four weeks back at 40 km (1.18 x): four flags, weeks 1-4; the fifth week at 40 km is ordinary progression.
    rows = steady_weeks(8)
    for w in range(5):
        rows += back_week([10, 10, 10, 10], first=BACK + 7 * w)
    found = flags(rows, "return_after_break")
    assert [x.week for x in found] == ["2026-W40", "2026-W41", "2026-W42", "2026-W43"]
    assert found[3].message.startswith("Week 4 back after 35 days without running: 40.0 km in 2026-W43")


def test_thirteen_days_off_is_not_a_break() -> None:
    rows = steady_weeks(8) + back_week([10, 10, 10, 10], first=55 + 14)  # days 56..68 without a run
    assert flags(rows, "return_after_break") == []


def test_acwr_and_monotony_are_not_evaluated_in_the_first_weeks_back() -> None:
    rows = steady_weeks(8) + back_week([10, 10, 10, 10, 10, 10, 10])
    data = rule_input(rows)
    first_week = data.daily.loc[str(day(BACK)):str(day(BACK + 6))]
    # Without the return rule's treatment these would be flagged: the ratio and the monotony are extreme.
    assert first_week[sc.ACWR_EWMA].max() > 1.5 and first_week[sc.MONOTONY_7D].max() >= 2.0
    assert [x for x in evaluate(data) if x.rule in ("acwr", "monotony")] == []


def test_the_level_of_a_short_history_is_divided_by_four_weeks_at_least() -> None:
    # One week of 34 km, 35 days off, then 10 km: the level is 34 / 4 = 8.5 km a week -> 10 / 8.5 = 1.18.
    rows = steady_weeks(1) + back_week([10], first=6 + 36)
    (found,) = flags(rows, "return_after_break")
    assert found.value == pytest.approx(10 / 8.5)
    assert day(6 + 36) - day(6) == timedelta(days=36)


def test_the_check_says_the_load_indices_are_not_meaningful_in_a_week_back() -> None:
    from stridewise.api import build_log
    from stridewise.config import Config
    from stridewise.weekcheck import week_report

    rows = steady_weeks(8) + back_week([10, 10, 10, 7.4])
    data = rule_input(rows)
    log = build_log([], {}, Config(timezone="UTC"))
    log.activities, log.daily, log.weekly, log.runs = data.activities, data.daily, data.weekly, data.runs
    report = week_report(log, "2026-W40", today=date(2026, 11, 1))
    assert report["notes"][0] == ("The acute:chronic load ratio and monotony are not meaningful in 2026-W40: it is "
                                  "one of your first 4 weeks back after 35 days without running.")
    assert [f["rule"] for f in report["flags"]] == ["return_after_break"]
