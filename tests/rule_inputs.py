"""Build a RuleInput (the tables a rule reads) from hand-built activity rows."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from series_tables import UTC, table
from stridewise import frames
from stridewise.config import Shoe
from stridewise.risk import RuleInput
from stridewise.series import daily_series, run_spikes, weekly_series


def rule_input(rows: list[dict[str, Any]], *, shoes: tuple[Shoe, ...] = (), zone: ZoneInfo = UTC) -> RuleInput:
    activities = table(rows)
    activities[frames.LOCAL_DATE] = [t.tz_convert(zone).date() for t in activities[frames.START_UTC]]
    if frames.SHOE not in {k for row in rows for k in row}:
        activities[frames.SHOE] = None
    else:
        activities[frames.SHOE] = [row.get(frames.SHOE) for row in rows]
    daily = daily_series(activities, zone)
    return RuleInput(activities, daily, weekly_series(daily), run_spikes(activities), shoes)
