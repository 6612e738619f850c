"""Distance per shoe, wear rate and the days each pair reaches its limits, on hand-built activities tables."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from stridewise import api
from stridewise import frames as f
from stridewise.config import Shoe
from stridewise.metrics import shoe_report as sr
from stridewise.metrics.shoe_report import active_shoes, report_records, shoe_report, unassigned_runs

TODAY = date(2026, 3, 31)  # the 28-day window is 2026-03-04 .. 2026-03-31


def table(rows: list[tuple[date, float, str | None] | tuple[date, float, str | None, bool]]) -> pd.DataFrame:
    """Activities of (local date, km, shoe[, is_run]); runs unless said otherwise."""
    return pd.DataFrame({
        sr.LOCAL_DATE: [r[0] for r in rows],
        f.DISTANCE_M: [r[1] * 1000 for r in rows],
        f.SHOE: [r[2] for r in rows],
        f.IS_RUN: [r[3] if len(r) == 4 else True for r in rows],
    })


def row(report: pd.DataFrame, name: str) -> dict[str, object]:
    (found,) = report[report[sr.NAME] == name].to_dict(orient="records")
    return {str(k): v for k, v in found.items()}


def test_distance_rate_and_projected_dates() -> None:
    activities = table([
        (date(2026, 2, 1), 20, "Road"),
        (date(2026, 3, 3), 30, "Road"),  # the day before the window: counts for the distance, not for the rate
        (date(2026, 3, 4), 14, "Road"),  # the window's first day
        (date(2026, 3, 11), 14, "Road"),
        (date(2026, 3, 18), 14, "road"),  # names match case-insensitively
        (date(2026, 3, 20), 40, "Road", False),  # a ride never wears a shoe
        (date(2026, 3, 31), 14, "Road"),
        (date(2026, 4, 2), 50, "Road"),  # after `today`: left out
    ])
    report = shoe_report(activities, [Shoe("Road", initial_km=100)], today=TODAY)
    r = row(report, "Road")
    assert r[sr.DISTANCE_KM] == pytest.approx(206.0)  # 100 + 20 + 30 + 4 x 14
    assert r[sr.RUNS] == 6
    assert (r[sr.FIRST_RUN], r[sr.LAST_RUN]) == (date(2026, 2, 1), date(2026, 3, 31))
    assert r[sr.KM_LAST_28D] == pytest.approx(56.0)
    assert r[sr.RATE_KM_PER_DAY] == pytest.approx(2.0)
    assert r[sr.NOTICE_DATE] == date(2026, 8, 25)  # (500 - 206) / 2 = 147 days after 2026-03-31
    assert r[sr.REPLACE_DATE] == date(2027, 1, 22)  # (800 - 206) / 2 = 297 days
    assert r[sr.STATUS] == "ok"
    assert list(report.columns) == list(sr.SHOE_REPORT_COLUMNS)


def test_a_part_day_is_rounded_up_to_the_day_the_limit_is_reached() -> None:
    activities = table([(date(2026, 3, 10), 42, "A"), (date(2026, 3, 24), 42, "A")])  # 84 km / 28 d = 3 km/day
    r = row(shoe_report(activities, [Shoe("A", initial_km=316)], today=TODAY), "A")
    assert r[sr.DISTANCE_KM] == pytest.approx(400.0)
    assert r[sr.NOTICE_DATE] == date(2026, 5, 4)  # 100 km / 3 = 33.3 days -> 34 days after 2026-03-31
    assert r[sr.REPLACE_DATE] == date(2026, 8, 12)  # 400 km / 3 = 133.3 -> 134 days


def test_a_shoe_past_800_km_shows_the_days_it_crossed_each_limit() -> None:
    activities = table([
        (date(2026, 1, 5), 30, "Old"),  # 480
        (date(2026, 1, 12), 30, "Old"),  # 510: notice
        (date(2026, 2, 20), 280, "Old"),  # 790
        (date(2026, 3, 1), 10, "Old"),  # 800.0 exactly: replace
        (date(2026, 3, 8), 12, "Old"),
    ])
    r = row(shoe_report(activities, [Shoe("Old", initial_km=450)], today=TODAY), "Old")
    assert r[sr.DISTANCE_KM] == pytest.approx(812.0)
    assert r[sr.NOTICE_DATE] == date(2026, 1, 12)
    assert r[sr.REPLACE_DATE] == date(2026, 3, 1)
    assert r[sr.STATUS] == "replace"


def test_a_pair_already_past_a_limit_before_its_first_run_has_no_crossing_date() -> None:
    activities = table([(date(2026, 3, 20), 28, "Worn")])
    r = row(shoe_report(activities, [Shoe("Worn", initial_km=600)], today=TODAY), "Worn")
    assert r[sr.NOTICE_DATE] is None
    assert r[sr.REPLACE_DATE] == date(2026, 9, 19)  # 172 km at 1 km/day: 200 days after 2026-03-31
    assert r[sr.STATUS] == "notice"


def test_a_retired_shoe_keeps_its_distance_but_gets_no_projection() -> None:
    activities = table([(date(2026, 2, 10), 10, "Retired"), (date(2026, 3, 1), 12, "Retired"),
                        (date(2026, 3, 20), 28, "Later")])
    shoes = [Shoe("Retired", initial_km=700, retire=date(2026, 3, 1)),
             Shoe("Later", retire=date(2026, 4, 30))]  # retires after `today`: still in use
    report = shoe_report(activities, shoes, today=TODAY)
    retired = row(report, "Retired")
    assert retired[sr.DISTANCE_KM] == pytest.approx(722.0)
    assert (retired[sr.STATUS], retired[sr.RETIRED_ON]) == ("retired", date(2026, 3, 1))
    assert retired[sr.NOTICE_DATE] is None  # passed before the first logged run
    assert retired[sr.REPLACE_DATE] is None  # not reached, and a retired pair is not projected
    later = row(report, "Later")
    assert (later[sr.STATUS], later[sr.NOTICE_DATE]) == ("ok", date(2027, 7, 16))  # 472 days at 1 km/day
    assert active_shoes(report) == ["Later"]


def test_configured_shoes_without_runs_and_strava_names_each_get_a_row() -> None:
    activities = table([(date(2026, 3, 30), 10, "Speedgoat 5"), (date(2026, 3, 31), 5, None)])
    report = shoe_report(activities, [Shoe("New pair", initial_km=3, notice_km=400, replace_km=600)], today=TODAY)
    assert list(report[sr.NAME]) == ["New pair", "Speedgoat 5"]
    new = row(report, "New pair")
    assert (new[sr.DISTANCE_KM], new[sr.RUNS], new[sr.FIRST_RUN], new[sr.RATE_KM_PER_DAY]) == (3.0, 0, None, 0.0)
    assert (new[sr.NOTICE_KM], new[sr.REPLACE_KM], new[sr.NOTICE_DATE], new[sr.REPLACE_DATE]) == (400, 600, None, None)
    strava = row(report, "Speedgoat 5")
    assert (strava[sr.NOTICE_KM], strava[sr.REPLACE_KM]) == (500.0, 800.0)  # EVIDENCE.md defaults
    assert unassigned_runs(activities, today=TODAY) == 1
    assert unassigned_runs(activities, today=date(2026, 3, 30)) == 0
    assert active_shoes(report) == ["Speedgoat 5"]


def test_no_shoes_and_no_runs_give_an_empty_report_with_the_columns() -> None:
    report = shoe_report(table([]), [], today=TODAY)
    assert len(report) == 0
    assert list(report.columns) == list(sr.SHOE_REPORT_COLUMNS)


def test_records_are_plain_json_values() -> None:
    activities = table([(date(2026, 3, 30), 10.0004, "A")])
    (record,) = report_records(shoe_report(activities, [Shoe("A")], today=TODAY))
    assert record == {
        "name": "A", "distance_km": 10.0, "initial_km": 0.0, "runs": 1, "first_run": "2026-03-30",
        "last_run": "2026-03-30", "km_last_28d": 10.0, "rate_km_per_day": 0.357, "notice_km": 500.0,
        "replace_km": 800.0, "notice_date": "2030-01-01", "replace_date": "2032-04-20", "retired_on": None,
        "status": "ok",
    }


def test_the_local_date_column_is_the_apis() -> None:
    assert sr.LOCAL_DATE == api.LOCAL_DATE
