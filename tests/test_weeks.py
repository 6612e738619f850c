"""The one ISO-week parser: labels round-trip, and every malformed or impossible week is a usage error."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stridewise.errors import UsageError
from stridewise.weeks import parse_week, week_label, week_sunday


def test_iso_year_differs_from_the_calendar_year_near_new_year() -> None:
    # 1 Jan 2027 is a Friday, so it belongs to the last ISO week of 2026, which has 53 weeks (ISO 8601).
    assert week_label(date(2027, 1, 1)) == "2026-W53"
    assert parse_week("2026-W53") == date(2026, 12, 28)
    assert week_sunday("2026-W53") == date(2027, 1, 3)
    # 29 Dec 2025 is a Monday in week 1 of 2026.
    assert week_label(date(2025, 12, 29)) == "2026-W01"


@pytest.mark.parametrize(("text", "message"), [
    ("47", "week '47' is not an ISO week such as 2026-W47"),
    ("2026-47", "week '2026-47' is not an ISO week such as 2026-W47"),
    ("2026-W7", "week '2026-W7' is not an ISO week such as 2026-W47"),
    ("2026-W00", "week '2026-W00' does not exist: 2026 has 53 ISO weeks"),
    ("2018-W53", "week '2018-W53' does not exist: 2018 has 52 ISO weeks"),
    ("1979-W10", "week '1979-W10' is outside the years 1980-2999"),
])
def test_bad_weeks_say_why(text: str, message: str) -> None:
    with pytest.raises(UsageError) as caught:
        parse_week(text)
    assert str(caught.value) == message


@given(st.dates(min_value=date(1980, 1, 7), max_value=date(2999, 12, 20)))
def test_every_day_lies_in_the_week_its_label_names(day: date) -> None:
    monday = parse_week(week_label(day))
    assert monday.weekday() == 0
    assert monday <= day <= monday + timedelta(days=6)


@given(st.text(max_size=12))
def test_any_text_is_a_week_or_a_usage_error(text: str) -> None:
    try:
        monday = parse_week(text)
    except UsageError:
        return
    assert week_label(monday) == text.strip()
