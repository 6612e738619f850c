"""The weekly report as data, HTML and a PNG card, built from a TrainingLog. Nothing here writes files."""

from __future__ import annotations

import base64
import dataclasses
import json
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd

from stridewise import frames as f
from stridewise.jsontext import dumps
from stridewise.log import TrainingLog
from stridewise.report.pages import TEMPLATES, render_page
from stridewise.risk.model import Evidence
from stridewise.risk.profile import profile_context
from stridewise.series import columns as sc
from stridewise.series import week_label
from stridewise.store.duplicates import is_clock_shift
from stridewise.units import Units, distance_in, distance_label, km_in
from stridewise.version import __version__
from stridewise.weekcheck import STATUS_CLEAR, STATUS_FLAGGED, STATUS_FUTURE, STATUS_NO_RUNS, week_report
from stridewise.weeks import parse_week

__all__ = ["TEMPLATES", "ReportBundle", "build_report", "render_html", "report_data"]
# The verdict's colour class when the week has no flag: green only when runs were checked and nothing was found.
VERDICT_CLASS = {STATUS_CLEAR: "ok", STATUS_NO_RUNS: "none", STATUS_FUTURE: "none",
                 STATUS_FLAGGED: "ok"}
EVIDENCE_MEANING = {
    Evidence.COHORT.value: "A prospective cohort study of runners measured the association.",
    Evidence.WEAK.value: "Measured, but borderline, small, or in another sport.",
    Evidence.CONVENTION.value: "Running articles and coaches say it; no injury study gives the number.",
}


@dataclass(frozen=True)
class ReportBundle:
    week: str
    html: str
    png: bytes
    data: dict[str, Any]

    def file_names(self) -> dict[str, str]:
        return {kind: f"report-{self.week}.{kind}" for kind in ("html", "png", "json")}


def _duration(seconds: float) -> str:
    seconds = round(seconds)
    return f"{seconds // 3600}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _window(log: TrainingLog, week: str, weeks: int) -> pd.DataFrame:
    position = list(log.weekly.index).index(week) if week in log.weekly.index else len(log.weekly) - 1
    return log.weekly.iloc[max(0, position - weeks + 1): position + 1]


def _runs_of_week(log: TrainingLog, week: str, units: Units) -> list[dict[str, str]]:
    runs = log.activities[log.activities[f.IS_RUN]]
    # Select the week's runs before iterating: iterrows over every run of the log cost more than the charts.
    runs = runs[[week_label(pd.Timestamp(day)) == week for day in runs[f.LOCAL_DATE]]]
    rows = []
    for _, run in runs.iterrows():
        downhill = run[f.DOWNHILL_M]
        rows.append({
            "date": f"{run['start_local']:%a %d %b %H:%M}", "name": str(run[f.NAME] or ""),
            "distance": f"{distance_in(run[f.DISTANCE_M], units):.2f} {units}",
            "duration": _duration(run[f.DURATION_S]),
            "downhill": "no altitude" if pd.isna(downhill) else f"{downhill:.0f} m ({run[f.DOWNHILL_SHARE]:.0%})",
            "surface": str(run[f.SURFACE]), "shoe": str(run[f.SHOE] or "-"),
        })
    return rows


def _quality(log: TrainingLog, window: pd.DataFrame) -> list[str]:
    first = window[sc.WEEK_START].min() if not window.empty else None
    runs = log.activities[log.activities[f.IS_RUN]]
    if first is not None:
        runs = runs[pd.to_datetime(runs[f.LOCAL_DATE]) >= first]
    notes = [f"{len(log.problems)} file(s) could not be read: " + "; ".join(f"{Path(k).name} ({r})"
                                                                             for k, r in log.problems[:10])
             if log.problems else "Every file was read."]
    no_altitude = int(runs[f.DOWNHILL_M].isna().sum())
    gps = int((runs["altitude_source"] == "gps").sum())
    unknown = int((runs[f.SURFACE] == "unknown").sum())
    duplicates = sum(1 for r in log.records if r.duplicate_of is not None)
    notes.append(f"{no_altitude} run(s) in these weeks had no altitude: their downhill is unknown, not zero.")
    notes.append(f"{gps} run(s) used GPS altitude (no barometer): their downhill numbers are less precise.")
    notes.append(f"{unknown} run(s) have an unknown surface: import an OpenStreetMap extract (`stridewise map "
                 "import`, docs/surface.md) or add a [[surface_rules]] entry to the config to name it.")
    shifted = sum(1 for r in log.records if r.duplicate_of is not None and is_clock_shift(r.duplicate_reason))
    notes.append(f"{duplicates} activity file(s) were second copies of a stored activity and are not counted"
                 + (f" ({shifted} of them the same track with the clock shifted by whole hours)." if shifted else "."))
    impossible = [r for r in log.records if not r.counted and r.duplicate_of is None]
    if impossible:
        notes.append(f"{len(impossible)} activit{'y has' if len(impossible) == 1 else 'ies have'} impossible values "
                     f"and {'is' if len(impossible) == 1 else 'are'} not counted: " + "; ".join(
                         f"{Path(r.source).name} ({r.not_counted_because})" for r in impossible[:10]))
    return notes


def report_data(log: TrainingLog, week: str, *, weeks: int, units: Units) -> dict[str, Any]:
    """The JSON content: the check object plus the weekly series of the window and the week's runs."""
    data = week_report(log, week)
    window = _window(log, week, weeks)
    series = []
    for label, row in window.iterrows():
        entry: dict[str, Any] = {"week": str(label), "week_start": row[sc.WEEK_START].date().isoformat()}
        for column in (sc.RUN_DISTANCE_M, sc.RUN_DURATION_S, sc.RUNS, sc.LONGEST_RUN_M, sc.DOWNHILL_M,
                       sc.STEEP_DOWNHILL_DISTANCE_M, sc.DOWNHILL_SHARE, sc.REST_DAYS, sc.DISTANCE_CHANGE_VS_PREV_WEEK,
                       sc.DISTANCE_CHANGE_VS_PREV_4W, sc.ACWR_EWMA, sc.ACWR_ROLLING, sc.MONOTONY_7D,
                       *sc.SURFACE_DISTANCE_M.values()):
            value = row[column]
            entry[column] = None if pd.isna(value) else (int(value) if column in (sc.RUNS, sc.REST_DAYS)
                                                          else round(float(value), 4))
        series.append(entry)
    week_end = parse_week(week) + timedelta(days=6)
    data.update({"runner": profile_context(log.config.runner, week_end),
                 "units": units, "weeks": len(series), "weekly": series,
                 "week_runs": _runs_of_week(log, week, units), "data_quality": _quality(log, window),
                 "generator": f"stridewise {__version__}"})
    return data


def _number(value: float) -> str:
    return f"{value:.2f}" if abs(value) < 100 else f"{value:.0f}"


# Rules whose value and threshold are distances in km (the rest are ratios, shares or counts).
KM_VALUE_RULES = ("worn_shoes",)


def _measure(flag: dict[str, Any], key: str, units: Units) -> str:
    if flag["rule"] in KM_VALUE_RULES:
        return f"{km_in(flag[key], units):.0f} {units}"
    return _number(flag[key])


def render_html(log: TrainingLog, data: dict[str, Any], charts: list[dict[str, str]], pain: dict[str, Any] | None,
                *, weeks: int) -> str:
    start = pd.Timestamp(parse_week(data["week"]))
    flags = [{**flag, "value_text": _measure(flag, "value", data["units"]),
              "threshold_text": _measure(flag, "threshold", data["units"])} for flag in data["flags"]]
    week_rows = [w for w in data["weekly"] if w["week"] == data["week"]]
    distance = week_rows[0][sc.RUN_DISTANCE_M] if week_rows else 0.0
    return render_page("report.html.j2",
        week=data["week"], verdict=data["verdict"], counts=data["counts"], flags=flags, always=data["always"],
        top_severity=flags[0]["severity"] if flags else VERDICT_CLASS[data["status"]],
        evidence_meaning=EVIDENCE_MEANING,
        week_range=f"{start:%a %d %b} - {start + timedelta(days=6):%a %d %b %Y}", units=data["units"],
        week_distance=f"{distance_in(distance or 0.0, data['units']):.1f} {distance_label(data['units'])}",
        runs_count=data["runs"], runs=data["week_runs"], charts=charts, weeks=weeks, pain=pain,
        quality=data["data_quality"], runner=data["runner"], version=__version__)


def build_report(log: TrainingLog, week: str, *, weeks: int = 16, units: Units = "km") -> ReportBundle:
    """HTML page, PNG card and JSON for ``week`` over the ``weeks`` weeks ending with it.

    Every distance a person reads is in ``units``, flag messages included: a log whose config says otherwise is
    copied with ``units`` (its flags are then evaluated again; pass a log already in ``units`` to avoid that).
    """
    if log.config.units != units:
        log = dataclasses.replace(log, config=dataclasses.replace(log.config, units=units))
    # matplotlib loads here, with the first chart, not when the report package is imported (check, batch hashes).
    from stridewise.report.charts_for import report_card, report_charts
    from stridewise.report.images import card_png, chart_png, figures_die_young

    data = report_data(log, week, weeks=weeks, units=units)
    pain = data["pain"]
    with figures_die_young():
        charts = [{"key": c.key, "title": c.title, "caption": c.caption,
                   "png_base64": base64.b64encode(chart_png(c.figure)).decode("ascii")}
                  for c in report_charts(log, week, weeks=weeks, units=units)]
        card = card_png(report_card(log, week, data["verdict"], weeks=weeks, units=units,
                                    neutral=data["status"] in (STATUS_NO_RUNS, STATUS_FUTURE)))
    html = render_html(log, data, charts, pain, weeks=weeks)
    return ReportBundle(week, html, card, json.loads(dumps(data, indent=None)))
