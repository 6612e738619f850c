"""The batch's index pages: every week of the history (runs, distance, change, verdict) and the athletes' page.

Every href is a relative path built from URL-quoted parts (a folder named ``javascript:alert(1)`` becomes
``./javascript%3Aalert%281%29/index.html``), and Jinja2 escapes every text, so no name can inject markup or a link.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Final
from urllib.parse import quote

import pandas as pd

from stridewise.atomic import write_atomic
from stridewise.report.pages import render_page
from stridewise.series import columns as sc
from stridewise.units import Units, distance_text
from stridewise.version import __version__

# Weeks in the bar chart at the top of the index: half a year shows a training block and the break before it.
SPARK_WEEKS: Final = 26
# Size of that chart in CSS pixels (fits a phone screen).
SPARK_WIDTH: Final = 520
SPARK_HEIGHT: Final = 64


@dataclass(frozen=True)
class WeekState:
    """What the manifest knows of a rendered week."""

    verdict: str
    severity: str


def relative_href(*parts: str) -> str:
    """A relative link from URL-quoted path parts; the leading ``./`` keeps any part from reading as a scheme."""
    return "./" + "/".join(quote(part, safe="") for part in parts)


def week_rows(weekly: pd.DataFrame, rendered: Mapping[str, WeekState], units: Units,
              since: str | None = None) -> list[dict[str, Any]]:
    """Index rows, newest first: one per week with runs or with a report (a week without runs holding a flag), one
    per stretch of other weeks without runs."""
    rows: list[dict[str, Any]] = []
    empty: list[str] = []
    top = float(weekly[sc.RUN_DISTANCE_M].max()) if not weekly.empty else 0.0
    previous_runs: int | None = None
    gap = 0
    for week, row in weekly.iterrows():
        label = str(week)
        runs = int(row[sc.RUNS])
        state = rendered.get(label)
        if runs == 0 and state is not None and previous_runs is not None:  # no run, but a flag: it has a report
            if empty:
                rows.append(_empty_row(empty))
                empty = []
            rows.append({"kind": "week", "label": label, "runs": 0, "distance": distance_text(0.0, units),
                         "change": "no runs", "bar_pct": 0, "href": relative_href(f"report-{label}.html"),
                         "verdict": state.verdict, "severity": state.severity})
            gap += 1
            previous_runs = 0
            continue
        if runs == 0:
            if previous_runs is None:
                continue  # weeks before the first run (a strength session, say) are not a break
            empty.append(label)
            gap += 1
            previous_runs = 0
            continue
        if empty:
            rows.append(_empty_row(empty))
            empty = []
        distance_m = float(row[sc.RUN_DISTANCE_M])
        rows.append({
            "kind": "week", "label": label, "runs": runs,
            "distance": distance_text(distance_m, units),
            "change": _change_text(row[sc.DISTANCE_CHANGE_VS_PREV_WEEK], previous_runs, gap),
            "bar_pct": round(100 * distance_m / top) if top > 0 else 0,
            "href": relative_href(f"report-{label}.html") if state else None,
            "verdict": state.verdict if state else _not_rendered(label, since),
            "severity": state.severity if state else "none",
        })
        previous_runs, gap = runs, 0
    if empty:
        rows.append(_empty_row(empty))
    return rows[::-1]


def _not_rendered(week: str, since: str | None) -> str:
    return f"no report (before --since {since})" if since is not None and week < since else "report not written yet"


def _empty_row(weeks: list[str]) -> dict[str, Any]:
    first, last = weeks[0], weeks[-1]
    if first == last:
        label = f"no runs {first}"
    elif first[:4] == last[:4]:
        label = f"no runs {first}..{last[5:]}"
    else:
        label = f"no runs {first}..{last}"
    return {"kind": "empty", "label": label, "weeks": len(weeks)}


def _change_text(change: float, previous_runs: int | None, gap: int) -> str:
    if previous_runs is None:
        return "first week"
    if gap:
        return f"back after {gap} week{'s' if gap > 1 else ''} without runs"
    if pd.isna(change):
        return ""
    return f"{change:+.0%}"


def spark_bars(weekly: pd.DataFrame, rendered: Mapping[str, WeekState], units: Units) -> dict[str, Any]:
    """An inline SVG bar chart of the last SPARK_WEEKS weeks: height is distance, colour the verdict."""
    last = weekly.tail(SPARK_WEEKS)
    top = float(last[sc.RUN_DISTANCE_M].max()) if not last.empty else 0.0
    slot = SPARK_WIDTH / SPARK_WEEKS
    bars = []
    offset = SPARK_WEEKS - len(last)  # the newest week always sits at the right edge
    for position, (week, row) in enumerate(last.iterrows(), start=offset):
        distance_m = float(row[sc.RUN_DISTANCE_M])
        height = max(1.0, (SPARK_HEIGHT - 2) * distance_m / top) if top > 0 and distance_m > 0 else 1.0
        state = rendered.get(str(week))
        bars.append({"x": round(position * slot + 1, 1), "y": round(SPARK_HEIGHT - height, 1),
                     "width": round(slot - 2, 1), "height": round(height, 1),
                     "severity": (state.severity if state else "none") if row[sc.RUNS] > 0 else "empty",
                     "title": f"{week}: {distance_text(distance_m, units)}, {int(row[sc.RUNS])} run(s)"})
    return {"width": SPARK_WIDTH, "height": SPARK_HEIGHT, "bars": bars,
            "caption": (f"Distance per week, {last.index[0]} to {last.index[-1]}" if not last.empty else "")}


def render_index(weekly: pd.DataFrame, rendered: Mapping[str, WeekState], *, units: Units, last_run: date | None,
                 since: str | None = None) -> str:
    """The report folder's index.html: a bar chart of the last weeks and every week, newest first."""
    rows = week_rows(weekly, rendered, units, since)
    with_runs = sum(1 for r in rows if r["kind"] == "week")
    subtitle = (f"{with_runs} weeks with runs, newest first; last run {last_run:%a %d %b %Y}" if last_run
                else "No runs recorded yet.")
    return render_page("index.html.j2",
        title="stridewise weekly reports", subtitle=subtitle, rows=rows, spark=spark_bars(weekly, rendered, units),
        athletes=None, version=__version__)


@dataclass(frozen=True)
class AthleteSummary:
    name: str  # the athlete's folder name, exactly as on disk
    latest_week: str | None
    verdict: str | None
    severity: str
    last_run: date | None


def render_athletes_index(athletes: Sequence[AthleteSummary]) -> str:
    """The team page: each athlete's latest verdict and last run date, linking to their own index."""
    rows = [{"name": a.name, "href": relative_href(a.name, "index.html"),
             "latest_href": relative_href(a.name, "latest.html") if a.latest_week else None,
             "latest_week": a.latest_week or "", "verdict": a.verdict or "no runs recorded yet",
             "severity": a.severity if a.latest_week else "none",
             "last_run": f"{a.last_run:%a %d %b %Y}" if a.last_run else "never"}
            for a in sorted(athletes, key=lambda a: a.name)]
    return render_page("index.html.j2",
        title="stridewise: athletes", subtitle=f"{len(rows)} athletes, each with their latest week", rows=[],
        spark=None, athletes=rows, version=__version__)


def write_index_files(report_dir: Path, html: str, latest_week: str | None) -> None:
    """index.html, and latest.html as a copy of the newest rendered week's page."""
    write_atomic(report_dir / "index.html", html.encode())
    if latest_week is not None:
        page = report_dir / f"report-{latest_week}.html"
        if page.is_file():
            write_atomic(report_dir / "latest.html", page.read_bytes())
