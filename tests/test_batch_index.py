"""The batch's first run over a history with a break, and the index pages: honest weeks, safe links."""

from __future__ import annotations

import html
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

from batch_logs import FIRST_MONDAY, make_logs, write_run
from builders import straight_run, tcx
from conftest import cli_runner
from stridewise.batch import AthleteSummary, BatchStep, render_athletes_index, run_batch
from stridewise.cli import app

KM_PER_MI = 1.609344  # the international mile


class _Table(HTMLParser):
    """Rows of every <table> as lists of cell texts, and every href."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[list[str]] = []
        self.hrefs: list[str] = []
        self._cell: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "a":
            self.hrefs.append(dict(attrs)["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def _parse(page: str) -> _Table:
    table = _Table()
    table.feed(page)
    return table


def test_a_first_batch_renders_only_weeks_with_runs_newest_first_and_writes_the_index_at_once(tmp_path: Path) -> None:
    logs = make_logs(tmp_path, weeks=6, skip=(2, 3, 4))  # runs in W28, W29 and W33; none in W30-W32
    ride = straight_run(FIRST_MONDAY + timedelta(days=7 * 3 + 2), distance_m=30_000, pace_s_per_km=120)
    (logs / "ride.tcx").write_bytes(tcx(ride, sport="Biking"))  # W31 holds a bike ride, still no run
    reports = tmp_path / "reports"
    seen: list[tuple[str | None, bool, bool]] = []

    def progress(step: BatchStep) -> None:
        if step.stage == "render":
            latest = reports / "latest.html"
            seen.append((step.item, (reports / "index.html").is_file(),
                         latest.is_file() and latest.read_bytes() == (reports / "report-2026-W33.html").read_bytes()))

    result = run_batch(logs, reports, db=tmp_path / "s.sqlite3", jobs=1, units="mi", progress=progress)
    assert result.rendered == ["2026-W33", "2026-W29", "2026-W28"]
    assert seen == [("2026-W33", True, True), ("2026-W29", True, True), ("2026-W28", True, True)]
    assert sorted(p.name for p in reports.glob("report-*.html")) == [
        "report-2026-W28.html", "report-2026-W29.html", "report-2026-W33.html"]
    table = _parse((reports / "index.html").read_text())
    week_mi = f"{28 / KM_PER_MI:.1f} mi"  # 8 + 8 + 12 km a week = 17.4 mi
    # The return after the break: no run from Sun 19 Jul to Tue 11 Aug (22 days between them); 28 km in W33 against
    # 14 km a week before the break (W26-W29: 0, 0, 28, 28 km) is 2.00 x, high from 2 x; in miles, as asked.
    back = (f"High: Week 1 back after 22 days without running: {week_mi} in 2026-W33 against {14 / KM_PER_MI:.1f} mi "
            "a week before the break (2.00 x)")
    assert table.rows[1][4].startswith(back)
    table.rows[1][4] = back
    assert table.rows == [
        ["Week", "Runs", "Distance", "Change", "Verdict"],
        ["2026-W33", "3", week_mi, "back after 3 weeks without runs", back],
        ["no runs 2026-W30..W32"],
        ["2026-W29", "3", week_mi, "", "No warnings this week."],  # W28 began on a Tuesday: no full week to compare
        ["2026-W28", "3", week_mi, "first week", "No warnings this week."],
    ]
    assert table.hrefs == ["./report-2026-W33.html", "./report-2026-W29.html", "./report-2026-W28.html"]
    assert '<rect class="empty"' in (reports / "index.html").read_text()  # the break shows in the bar chart


def test_a_week_without_runs_that_holds_a_flag_gets_its_report_and_its_own_index_row(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    for day in range(14):  # 8 km every day of W28 and W29, then nothing in W30, then three runs in W31
        write_run(logs, day, 8)
    for day in (21, 23, 27):
        write_run(logs, day, 8)
    (logs / "stridewise.toml").write_text('timezone = "UTC"\n')
    reports = tmp_path / "reports"
    result = run_batch(logs, reports, db=tmp_path / "s.sqlite3", jobs=1)
    # Monday of W30: the last 7 days are six runs of 8 km and one rest day, monotony = mean / SD =
    # (48/7) / (8 * sqrt(6) / 7) = 6 / sqrt(6) = 2.45, at or above 2.0: a flag in a week without a run.
    assert result.rendered == ["2026-W31", "2026-W30", "2026-W29", "2026-W28"]
    page = (reports / "report-2026-W30.html").read_text()
    assert "monotony reached 2.4" in page
    table = _parse((reports / "index.html").read_text())
    assert table.rows[2][:4] == ["2026-W30", "0", "0.0 km", "no runs"]
    assert table.rows[2][4] == ("For information: Your 7-day training monotony reached 2.4 on Mon 20 Jul: the days "
                                "were too alike, with too few rest or easy days.")
    assert "./report-2026-W30.html" in table.hrefs


HOSTILE_NAMES = ["javascript:alert(document.domain)", "a\"b'c", "<b>x</b>&amp;", "with space", "Jürgen Ø",
                 "#frag?q=1"]


def test_every_athlete_link_is_a_quoted_relative_path_and_every_name_is_escaped() -> None:
    summaries = [AthleteSummary(name, "2026-W30" if i % 2 else None, f"Verdict of {name}", "elevated", None)
                 for i, name in enumerate(HOSTILE_NAMES)]
    page = render_athletes_index(summaries)
    table = _parse(page)
    assert [row[0] for row in table.rows[1:]] == sorted(HOSTILE_NAMES)  # the names read as they are
    for href in table.hrefs:
        assert href.startswith("./") and ":" not in href and "#" not in href and "?" not in href
        assert all(c.isascii() and c not in " \"'<>&" for c in href)
    targets = sorted(unquote(href) for href in table.hrefs)
    assert targets == sorted([f"./{n}/index.html" for n in HOSTILE_NAMES] +
                             [f"./{n}/latest.html" for i, n in enumerate(HOSTILE_NAMES) if i % 2])
    assert "<b>x</b>" not in page and html.escape("<b>x</b>&amp;") in page


def test_a_hostile_athlete_folder_name_never_becomes_a_live_link(tmp_path: Path) -> None:
    root = tmp_path / "team"
    root.mkdir()
    make_logs(tmp_path / "x", weeks=1).rename(root / "javascript:alert(document.domain)")
    result = cli_runner().invoke(app, ["batch", str(root), "--out", str(tmp_path / "reports"), "--athletes",
                                      "--jobs", "1"])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "reports" / "index.html").read_text()
    table = _parse(page)
    assert table.hrefs == ["./javascript%3Aalert%28document.domain%29/index.html",
                           "./javascript%3Aalert%28document.domain%29/latest.html"]
    assert table.rows[1] == ["javascript:alert(document.domain)", "2026-W28", "No warnings this week.",
                             "Sun 12 Jul 2026"]
    assert (tmp_path / "reports" / "javascript:alert(document.domain)" / "latest.html").is_file()
