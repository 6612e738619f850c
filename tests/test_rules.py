"""Every rule on hand-built histories: it fires exactly at its threshold, not just below, and a steady,
sensible history raises nothing."""

from __future__ import annotations

import statistics
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

import pytest

from rule_inputs import rule_input
from series_tables import at, run
from stridewise import frames
from stridewise.config import Shoe
from stridewise.errors import ConfigError
from stridewise.risk import RULES, RuleInput, Severity, evaluate

MONDAY = date(2026, 6, 29)  # 2026-W27


def day(n: int) -> date:
    return MONDAY + timedelta(days=n)


def steady_weeks(weeks: int, *, start: int = 0, long_km: float = 12.0) -> list[dict[str, Any]]:
    """Tue 8, Thu 8 (road), Sat 6 (trail, 60 m of gentle downhill), Sun long (road), flat roads."""
    rows = []
    for w in range(weeks):
        base = start + 7 * w
        rows += [run(at(day(base + 1)), 8, downhill_m=0, steep_downhill_distance_m=0),
                 run(at(day(base + 3)), 8, downhill_m=0, steep_downhill_distance_m=0),
                 run(at(day(base + 5)), 6, downhill_m=60, steep_downhill_distance_m=0, surface="trail"),
                 run(at(day(base + 6)), long_km, downhill_m=0, steep_downhill_distance_m=0)]
    return rows


def flags_of(data: RuleInput, rule: str, **overrides: float) -> list[Any]:
    return [x for x in evaluate(data, {rule: overrides} if overrides else None) if x.rule == rule]


def test_a_steady_sensible_history_raises_nothing() -> None:
    assert evaluate(rule_input(steady_weeks(12))) == []


# --- single-run spike (Frandsen 2025): defaults 1.10 elevated, 2.0 high ------------------------------------------
@pytest.mark.parametrize(("km", "expected"), [
    (10.99, None), (11.0, Severity.ELEVATED), (19.99, Severity.ELEVATED), (20.0, Severity.HIGH)])
def test_single_run_spike_at_its_thresholds(km: float, expected: Severity | None) -> None:
    # Longest of the previous 30 days: 10 km (day 20). The run on day 35 has 35 days of history.
    rows = [run(at(day(0)), 5), run(at(day(20)), 10), run(at(day(35)), km)]
    found = flags_of(rule_input(rows), "single_run_spike")
    assert [x.severity for x in found] == ([expected] if expected else [])
    if expected:
        assert found[0].value == pytest.approx(km / 10)
        assert found[0].message == f"Your {km:.1f} km run on Mon 03 Aug was {km / 10:.2f} x your longest run of the " \
                                   f"previous 30 days (10.0 km)."


def test_no_spike_without_30_days_of_history() -> None:
    assert flags_of(rule_input([run(at(day(0)), 5), run(at(day(20)), 20)]), "single_run_spike") == []


# --- weekly progression (Nielsen 2014): +30% ------------------------------------------------------------------
@pytest.mark.parametrize(("km", "fires"), [(25.99, False), (26.0, True)])
def test_weekly_progression_at_30pct(km: float, fires: bool) -> None:
    rows = [run(at(day(7 * w + 2)), 20) for w in range(4)] + [run(at(day(30)), km)]
    found = flags_of(rule_input(rows), "weekly_progression")
    assert [(x.week, round(x.value, 4)) for x in found] == ([("2026-W31", 0.3)] if fires else [])


# --- every rule at its threshold: set the threshold to the measured value (fires), then a hair above (silent) ---
def _spiky_days() -> list[dict[str, Any]]:
    return steady_weeks(5) + [run(at(day(35 + i)), km) for i, km in enumerate([10, 14, 16, 12, 18, 20, 22])]


def _steep_saturdays() -> list[dict[str, Any]]:
    rows = steady_weeks(5)
    for row in rows:
        if row[frames.SURFACE] == "trail":
            row[frames.STEEP_DOWNHILL_DISTANCE_M] = 250.0
    return [*rows, run(at(day(36)), 10, downhill_m=900, steep_downhill_distance_m=330, surface="trail")]


def _downhill_week() -> list[dict[str, Any]]:
    return [*steady_weeks(9), run(at(day(64)), 10, downhill_m=2500, steep_downhill_distance_m=900, surface="trail")]


def _long_steep_run() -> list[dict[str, Any]]:
    return [*steady_weeks(5), run(at(day(36)), 21, downhill_m=9000, steep_downhill_distance_m=7100, surface="trail")]


def _trail_switch() -> list[dict[str, Any]]:
    rows = steady_weeks(5)
    for w in (5, 6):
        rows += [run(at(day(7 * w + d)), 8, downhill_m=0, steep_downhill_distance_m=0, surface="trail")
                 for d in (1, 3, 5)]
    return rows


def _road_only(weeks: int) -> list[dict[str, Any]]:
    return [run(at(day(7 * w + d)), 8, downhill_m=0, steep_downhill_distance_m=0)
            for w in range(weeks) for d in (1, 3, 6)]


EVERY_DAY_KM = [5.0, 8.0, 5.0, 8.0, 5.0, 8.0, 5.0]


def _every_day() -> list[dict[str, Any]]:
    return steady_weeks(3) + [run(at(day(21 + i)), km) for i, km in enumerate(EVERY_DAY_KM)]


def _monotony_by_hand(data: RuleInput, rule: str) -> float:
    # Foster: mean / population SD of the 7 days; every other 7-day window holds a rest day and scores lower.
    return statistics.fmean(EVERY_DAY_KM) / statistics.pstdev(EVERY_DAY_KM)


def _acwr_by_hand(data: RuleInput, rule: str) -> float:
    """Williams et al. 2017 by hand: EWMA_t = l * x_t + (1 - l) * EWMA_t-1, l = 2 / (span + 1), started at the first
    day of the series (the first run's day); the ratio 7-day / 28-day counts from the series' 28th day on."""
    km_by_day: dict[int, float] = {}
    for row in _spiky_days():
        index = (row[frames.START_UTC].date() - day(0)).days
        km_by_day[index] = km_by_day.get(index, 0.0) + row[frames.DISTANCE_M] / 1000
    first = min(km_by_day)
    acute = chronic = km_by_day[first]
    peak = 0.0
    for index in range(first + 1, max(km_by_day) + 1):
        x = km_by_day.get(index, 0.0)
        acute, chronic = acute + 2 / 8 * (x - acute), chronic + 2 / 29 * (x - chronic)
        if index >= first + 27 and chronic > 0:
            peak = max(peak, acute / chronic)
    return peak


def _share_over_norm(data: RuleInput, rule: str) -> float:
    share = data.weekly[frames.DOWNHILL_SHARE]
    norm = share.shift(1).rolling(8, min_periods=4).mean()
    return float((share / norm).max())


# (rule, threshold, history, the measured value that threshold is compared with, other overrides)
AT_THRESHOLD: list[tuple[str, str, Callable[[], list[dict[str, Any]]], Callable[[RuleInput, str], float],
                         dict[str, float]]] = [
    ("single_run_spike", "elevated_ratio", lambda: [*steady_weeks(5), run(at(day(36)), 13.7)],
     lambda data, rule: 13_700 / 12_000, {}),  # longest of the previous 30 days: the 12 km Sundays
    ("weekly_progression", "max_increase", lambda: [*steady_weeks(4), run(at(day(29)), 20), run(at(day(30)), 20)],
     lambda data, rule: 40_000 / 34_000 - 1, {}),  # 34 km a week, then 40 km
    ("acwr", "max_ratio", _spiky_days, _acwr_by_hand, {}),
    ("downhill_novelty", "ratio", _steep_saturdays, lambda data, rule: 330 / 250, {}),
    ("downhill_novelty", "min_steep_m", lambda: [*steady_weeks(5), run(at(day(36)), 10, downhill_m=900,
                                                                       steep_downhill_distance_m=350, surface="trail")],
     lambda data, rule: 350.0, {}),  # no steep descent in the previous 30 days
    ("downhill_share", "ratio", _downhill_week, _share_over_norm, {"min_excess": 0.0}),
    # Steady weeks: 28 km road, 6 km trail. The first all-trail week moves half of |0 - 28/34| + |1 - 6/34| = 28/34.
    ("surface_change", "min_change", _trail_switch, lambda data, rule: 28 / 34, {}),
    ("hard_surface", "min_road_share", lambda: _road_only(4), lambda data, rule: 1.0, {}),
    ("monotony", "max_monotony", _every_day, _monotony_by_hand, {}),
]


@pytest.mark.parametrize(("rule", "threshold", "rows", "measure", "others"), AT_THRESHOLD,
                         ids=[f"{r}.{t}" for r, t, *_ in AT_THRESHOLD])
def test_each_rule_fires_at_its_threshold_and_not_just_below(
        rule: str, threshold: str, rows: Callable[[], list[dict[str, Any]]],
        measure: Callable[[RuleInput, str], float], others: dict[str, float]) -> None:
    data = rule_input(rows())
    value = measure(data, rule)
    assert len(flags_of(data, rule, **others, **{threshold: value})) == 1
    above = value * (1 + 1e-9)
    if RULES[rule].thresholds[threshold].accepts(above):
        assert flags_of(data, rule, **others, **{threshold: above}) == []
    else:  # a share cannot exceed 1: the config refuses it rather than silently never flagging
        with pytest.raises(ConfigError, match=rf"\[rules\.{rule}\] {threshold} = 1\.000000001: must be a number > 0 "
                                              r"and <= 1$"):
            flags_of(data, rule, **others, **{threshold: above})


def test_steep_downhill_is_told_as_distance_run_not_as_a_drop() -> None:
    # Saturdays held 250 m on steep downhill; this run holds 330 m: 1.3 x (330 / 250 = 1.32).
    (flag,) = flags_of(rule_input(_steep_saturdays()), "downhill_novelty")
    assert flag.message == ("Your run on Tue 04 Aug had 330 m on steep downhill (-10% or steeper), 1.3 x the most "
                            "of the previous 30 days (250 m).")


def test_steep_downhill_over_a_kilometre_is_told_in_km() -> None:
    (flag,) = flags_of(rule_input(_long_steep_run()), "downhill_novelty")
    assert "had 7.1 km on steep downhill (-10% or steeper)" in flag.message


def test_hard_surface_needs_its_number_of_weeks() -> None:
    data = rule_input(_road_only(4))
    assert [x.week for x in flags_of(data, "hard_surface")] == ["2026-W30"]
    assert flags_of(data, "hard_surface", min_weeks=5) == []


# --- worn shoes: per-shoe limits ----------------------------------------------------------------------------
@pytest.mark.parametrize(("notice_km", "replace_km", "expected"), [
    (420.0, 450.0, []),  # 360 km; 42 km in the last 28 days (1.5 km a day): 420 km is 40 days away
    (400.0, 450.0, [Severity.INFO]),  # 400 km is 27 days away: within 28, named with its date
    (360.0, 450.0, [Severity.INFO]),  # exactly at notice
    (300.0, 360.0, [Severity.ELEVATED]),  # exactly at replace
    (300.0, 360.001, [Severity.INFO]),  # just below replace: notice only
])
def test_worn_shoes_at_notice_and_replace(notice_km: float, replace_km: float, expected: list[Severity]) -> None:
    rows = [dict(run(at(day(d)), 10), shoe="Pegasus") for d in (1, 3, 5, 6)]  # 40 km in W27
    rows[-1][frames.DISTANCE_M] = 12_000  # 42 km
    shoe = Shoe("Pegasus", initial_km=318.0, notice_km=notice_km, replace_km=replace_km)
    found = flags_of(rule_input(rows, shoes=(shoe,)), "worn_shoes")
    assert [x.severity for x in found] == expected
    if found:
        assert found[0].value == pytest.approx(360.0)
        assert found[0].shoe == "Pegasus"


def test_unknown_rule_or_threshold_in_the_config_is_a_one_line_error() -> None:
    data = rule_input(steady_weeks(2))
    known = ", ".join(sorted(RULES))
    with pytest.raises(ConfigError) as caught:
        evaluate(data, {"spike": {"ratio": 1.2}})
    assert str(caught.value) == f"config: [rules.spike] no such rule (known: {known}; see `stridewise rules`)"
    with pytest.raises(ConfigError, match=r"unknown threshold 'ratio' \(known: elevated_ratio, high_ratio\)"):
        evaluate(data, {"single_run_spike": {"ratio": 1.2}})


def test_the_registry_holds_the_ten_rules_of_the_contract() -> None:
    assert sorted(RULES) == sorted(["single_run_spike", "weekly_progression", "acwr", "downhill_novelty",
                                    "downhill_share", "surface_change", "hard_surface", "worn_shoes", "monotony",
                                    "return_after_break"])
    assert all(Severity.HIGH not in RULES[r].severities for r in RULES
               if r not in ("single_run_spike", "return_after_break"))
