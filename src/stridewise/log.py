"""The training log: every stored activity as tables (activities, daily, weekly, runs) and the risk flags over them.

Built from store records by :func:`build_log`; the report, the weekly check and the batch read a
:class:`TrainingLog`, and :func:`stridewise.load` returns one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pandas as pd

from stridewise import frames as f
from stridewise.config import Config, Shoe
from stridewise.errors import StridewiseError
from stridewise.metrics.shoes import registered_shoes, shoe_for_run
from stridewise.metrics.surface import decide_surface
from stridewise.risk import Flag, RuleInput, evaluate
from stridewise.series import daily_series, run_spikes, weekly_series
from stridewise.store import ActivityRecord
from stridewise.store.pain import PainEntry
from stridewise.weeks import parse_week, week_label

if TYPE_CHECKING:
    from stridewise.ingest import IngestReport

# Columns of TrainingLog.activities beyond frames.ACTIVITY_COLUMNS.
START_LOCAL = f.START_LOCAL
LOCAL_DATE = f.LOCAL_DATE
SHOE_SOURCE = f.SHOE_SOURCE
EXTRA_COLUMNS = ("source", "format", "sport_source", "gear", "type_hint", "device", "altitude_source",
                 START_LOCAL, LOCAL_DATE, SHOE_SOURCE)


@dataclass
class TrainingLog:
    """Everything stridewise knows about a training history, ready for a notebook."""

    activities: pd.DataFrame  # one row per counted activity: frames.ACTIVITY_COLUMNS + EXTRA_COLUMNS
    daily: pd.DataFrame  # one row per local day (series.columns)
    weekly: pd.DataFrame  # one row per ISO week, index "2026-W43"
    runs: pd.DataFrame  # one row per run: spike ratios against the previous 30 days
    shoes: tuple[Shoe, ...]  # configured shoes plus the ones Strava named
    config: Config
    zone: ZoneInfo
    records: list[ActivityRecord]  # every stored activity, the ones not counted included (see .counted)
    ingest_report: IngestReport | None = None
    problems: tuple[tuple[str, str], ...] = ()  # (file, reason) of every stored file that could not be read
    pain: tuple[PainEntry, ...] = ()  # the pain journal, oldest first

    @cached_property
    def flags(self) -> list[Flag]:
        """Every risk flag over the whole history (thresholds from the config's [rules.*] tables)."""
        data = RuleInput(self.activities, self.daily, self.weekly, self.runs, self.shoes, units=self.config.units)
        return evaluate(data, self.config.rules)

    def week_or_latest(self, week: str | None = None, *, today: date | None = None) -> str:
        """``week`` if given (checked), else the current week if it has data, else the last week with data."""
        if week is not None:
            return week_label(parse_week(week))
        if self.weekly.empty:
            raise StridewiseError("no activities stored yet: run `stridewise ingest PATH` first")
        current = week_label(today or datetime.now(self.zone).date())
        return current if current in self.weekly.index else str(self.weekly.index[-1])


def build_log(records: Sequence[ActivityRecord], assignments: dict[int, str], config: Config, *,
              report: IngestReport | None = None, end: date | None = None) -> TrainingLog:
    zone = config.zone()
    counted = [r for r in records if r.counted]
    shoes = registered_shoes(config.shoes, [r.gear for r in counted if r.is_run])
    rows = []
    for r in counted:
        local = f.local_time(r.start_utc, zone)
        surface = decide_surface(sub_sport=r.sub_sport, type_hint=r.type_hint, name=r.name, gear=r.gear,
                                 rules=config.surface_rules, map_metres=r.surface_mix) if r.is_run else None
        shoe, shoe_source = (None, None)
        if r.is_run and surface is not None:
            shoe, shoe_source = shoe_for_run(activity_id=r.id, day=local.date(), surface=surface.surface,
                                             gear=r.gear, shoes=shoes, assignments=assignments)
        rows.append({
            f.ID: r.id, f.START_UTC: pd.Timestamp(r.start_utc), f.SPORT: r.sport, f.SUB_SPORT: r.sub_sport,
            f.IS_RUN: r.is_run, f.NAME: r.name, f.DISTANCE_M: r.distance_m, f.DURATION_S: r.duration_s,
            f.MOVING_TIME_S: r.moving_time_s, f.ASCENT_M: r.ascent_m, f.DESCENT_M: r.descent_m,
            f.DOWNHILL_M: r.downhill_m, f.STEEP_DOWNHILL_DISTANCE_M: r.steep_downhill_distance_m,
            f.DOWNHILL_SHARE: (r.downhill_m / r.distance_m) if r.downhill_m is not None and r.distance_m else None,
            f.SURFACE: surface.surface if surface else None, f.SURFACE_SOURCE: surface.source if surface else None,
            f.SURFACE_MIX: dict(surface.mix) if surface and surface.mix else None,
            f.SHOE: shoe, "source": r.source, "format": r.format, "sport_source": r.sport_source, "gear": r.gear,
            "type_hint": r.type_hint, "device": r.device, "altitude_source": r.altitude_source,
            START_LOCAL: pd.Timestamp(local), LOCAL_DATE: local.date(), SHOE_SOURCE: shoe_source,
        })
    activities = pd.DataFrame(rows, columns=[*f.ACTIVITY_COLUMNS, *EXTRA_COLUMNS])
    for column in (f.DISTANCE_M, f.DURATION_S, f.MOVING_TIME_S, f.ASCENT_M, f.DESCENT_M, f.DOWNHILL_M,
                   f.STEEP_DOWNHILL_DISTANCE_M, f.DOWNHILL_SHARE):
        activities[column] = pd.to_numeric(activities[column], errors="coerce").astype(float)
    activities[f.START_UTC] = pd.to_datetime(activities[f.START_UTC], utc=True)
    activities[f.IS_RUN] = activities[f.IS_RUN].astype(bool)
    daily = daily_series(activities, zone, end=end)
    return TrainingLog(activities=activities, daily=daily, weekly=weekly_series(daily),
                       runs=run_spikes(activities), shoes=shoes, config=config, zone=zone, records=list(records),
                       ingest_report=report)
