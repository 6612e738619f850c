"""What the report's charts say: colours and captions follow the thresholds in force, a return is never "steady"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle

from conftest import sample_store_copy
from rule_inputs import rule_input
from series_tables import at, run
from stridewise.report import style
from stridewise.report.charts import spike_chart, weekly_distance_chart
from test_rules import day


def weekly_after_a_break() -> Any:
    """Four weeks of 10 km (2026-W27 to W30), two weeks without a run, then 29.8 km in 2026-W33."""
    rows = [run(at(day(7 * w + 2)), 10) for w in range(4)]
    rows += [run(at(day(7 * 6 + d)), km) for d, km in ((0, 10), (2, 9.8), (4, 10))]
    return rule_input(rows)


def bar_colours(chart: Any) -> list[str]:
    ax = chart.figure.axes[0]
    return [to_hex(a.get_facecolor()).upper() for a in ax.get_children()
            if isinstance(a, Rectangle) and a.get_gid() == "weekly-distance"]


def test_a_jump_from_a_week_without_running_is_a_surge_labelled_from_0() -> None:
    data = weekly_after_a_break()
    chart = weekly_distance_chart(data.weekly, week="2026-W33", weeks=7)
    # W27 (no week before), W28-W30 steady, W31-W32 no running (0 km bars), W33 from 0 to 29.8 km.
    colours = bar_colours(chart)
    assert colours[-1] == style.CHANGE_SURGE
    assert [t.get_text() for t in chart.figure.axes[0].texts] == ["-100%", "from 0"]


def test_the_weekly_colours_and_caption_follow_the_configured_progression_threshold() -> None:
    rows = [run(at(day(7 * w + 2)), km) for w, km in enumerate((10, 10, 13.5))]  # +35% in 2026-W29
    data = rule_input(rows)
    default = weekly_distance_chart(data.weekly, week="2026-W29", weeks=3)
    relaxed = weekly_distance_chart(data.weekly, week="2026-W29", weeks=3, surge_min=0.5)
    assert (bar_colours(default)[-1], bar_colours(relaxed)[-1]) == (style.CHANGE_SURGE, style.CHANGE_UP)
    assert relaxed.caption == ("Colour and label: change from the previous week (steady within 10%, surge above 50% "
                               "or after a week without running). Outlined bars under a triangle: weeks with a "
                               "distance warning.")


def test_the_spike_caption_follows_the_configured_ratios() -> None:
    data = weekly_after_a_break()
    chart = spike_chart(data.runs, data.activities.assign(start_local=data.activities["start_utc"]),
                        week="2026-W33", weeks=7, ratios=(1.3, 2.5))
    assert chart.caption == ("A run above the dashed line is more than 30% longer than your longest run of the 30 days "
                             "before it (Frandsen et al. 2025); above the dash-dot line, 2.5 times as long. After 30 "
                             "days without a run, the reference is the 30 days before the break.")


def test_the_acwr_chart_leaves_the_first_weeks_back_blank() -> None:
    from stridewise.report.charts import acwr_chart
    from stridewise.risk.breaks import find_returns

    rows = [run(at(day(n)), 8) for n in range(0, 42, 2)] + [run(at(day(n)), 8) for n in range(63, 70)]
    data = rule_input(rows)
    returns = find_returns(data.activities)
    assert [(r.last_before, r.first_back) for r in returns] == [(day(40), day(63))]
    ax = acwr_chart(data.daily, week="2026-W37", weeks=10, returns=returns).figure.axes[0]
    ewma = next(line for line in ax.get_lines() if line.get_gid() == "acwr-ewma")
    shown = {pd.Timestamp(x).date(): float(y) for x, y in zip(ewma.get_xdata(), ewma.get_ydata(), strict=True)}
    back = [v for d, v in shown.items() if day(63) <= d <= day(69)]
    assert len(back) == 7 and all(np.isnan(back))  # blank from the first run back
    assert not np.isnan(shown[day(40)])  # before the break it is drawn
    assert data.daily.loc[str(day(63)):str(day(69)), "acwr_ewma"].max() > 1.5  # what it would have shown


def test_a_week_without_runs_is_neutral_in_the_report_and_the_card(sample_store: Path, tmp_path: Path) -> None:
    import stridewise
    from stridewise.report.build import build_report
    from stridewise.report.charts_for import report_card

    log = stridewise.load(db=sample_store_copy(sample_store, tmp_path))
    bundle = build_report(log, "2026-W20", weeks=4)
    sentence = "No runs recorded in 2026-W20 (the first run recorded is on Mon 29 Jun 2026)"
    assert (bundle.data["status"], bundle.data["verdict"], bundle.data["runs"]) == ("no_runs", sentence, 0)
    assert f'<div class="verdict none" id="verdict">{sentence}</div>' in bundle.html
    card = report_card(log, "2026-W20", sentence, weeks=4, units="km", neutral=True)
    (bar,) = [p for p in card.findobj(lambda a: a.get_gid() == "verdict-bar")]
    assert to_hex(bar.get_facecolor()).upper() == style.GREY.upper()
