"""Benchmark: the cost of a nightly `stridewise batch` as the archive grows (a benchmark, not a test).

Generates two synthetic archives of GPX runs (about 4 runs a week: 200 runs over one year, 2,000 runs over ten
years), runs a first batch on each (reports rendered for the last 4 weeks only, with --since, to keep the set-up
short), then times the two nightly cases side by side:

- a no-change re-run (nothing new on disk),
- a one-new-file re-run (one run added to the latest week: one file parsed, one week re-rendered).

``--first``: instead, the first batch over a ten-year archive with breaks (about 2,000 runs, every week with runs
rendered, no --since): total time, time until index.html and latest.html exist, weeks rendered, files written.

Usage: .venv/bin/python benchmarks/batch.py [--sizes 200 2000] [--repeat 3]
       .venv/bin/python benchmarks/batch.py --first [--runs 2000] [--jobs 2]
"""

from __future__ import annotations

import argparse
import math
import os
import random
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from stridewise.batch import BatchStep, run_batch

RUNS_PER_WEEK = 4
POINT_EVERY_S = 30  # a sparse track keeps generation quick; parsing cost per file is what matters here
LAST_DAY = datetime(2026, 11, 15, 6, 0, tzinfo=UTC)  # a Sunday


def run_gpx(start: datetime, distance_m: float, pace_s_per_km: float = 330.0) -> bytes:
    speed = 1000.0 / pace_s_per_km
    points = []
    for second in range(0, int(distance_m / speed) + 1, POINT_EVERY_S):
        north_m = speed * second
        lat = 47.0 + 0.005 * math.sin(north_m / 800)
        lon = 8.3 + north_m / 76_000
        time_text = (start + timedelta(seconds=second)).strftime("%Y-%m-%dT%H:%M:%SZ")
        points.append(f'<trkpt lat="{lat:.6f}" lon="{lon:.6f}"><ele>{420 + 15 * math.sin(north_m / 500):.1f}</ele>'
                      f"<time>{time_text}</time></trkpt>")
    return ('<?xml version="1.0" encoding="UTF-8"?><gpx version="1.1" creator="bench" '
            'xmlns="http://www.topografix.com/GPX/1/1"><trk><name>Run</name><type>running</type><trkseg>'
            + "".join(points) + "</trkseg></trk></gpx>").encode()


def make_archive(folder: Path, runs: int) -> None:
    folder.mkdir(parents=True)
    weeks = math.ceil(runs / RUNS_PER_WEEK)
    written = 0
    for week in range(weeks):
        monday = LAST_DAY - timedelta(days=6 + 7 * (weeks - 1 - week))
        for day, km in ((1, 8.0), (3, 8.0), (5, 6.0), (6, 12.0 + week % 3)):
            if written == runs:
                return
            start = monday + timedelta(days=day)
            (folder / f"{start:%Y-%m-%d}.gpx").write_bytes(run_gpx(start, km * 1000))
            written += 1
    (folder / "stridewise.toml").write_text('timezone = "UTC"\n')


# Ten years of training with breaks: a long one (3-10 weeks: injury, travel) about once a year, and a week off
# now and then; about 4.3 runs in every other week. Fixed seed: the same archive every time.
ARCHIVE_WEEKS = 522
BREAK_EVERY_WEEKS = 52
MISSED_WEEK_SHARE = 0.05
SEED = 20261127


def make_archive_with_breaks(folder: Path, runs: int) -> int:
    """About ``runs`` GPX runs over ARCHIVE_WEEKS weeks ending on LAST_DAY, with breaks; returns weeks with runs."""
    folder.mkdir(parents=True)
    rng = random.Random(SEED)
    off: set[int] = set()
    for year_start in range(0, ARCHIVE_WEEKS, BREAK_EVERY_WEEKS):
        start = year_start + rng.randrange(0, BREAK_EVERY_WEEKS - 10)
        off.update(range(start, start + rng.randint(3, 10)))
    off.update(w for w in range(ARCHIVE_WEEKS) if rng.random() < MISSED_WEEK_SHARE)
    off.discard(ARCHIVE_WEEKS - 1)  # the newest week has runs
    active = [w for w in range(ARCHIVE_WEEKS) if w not in off]
    per_week = runs / len(active)
    written = 0
    for position, week in enumerate(active):
        monday = LAST_DAY - timedelta(days=6 + 7 * (ARCHIVE_WEEKS - 1 - week))
        due = round(per_week * (position + 1)) - written
        for day in sorted(rng.sample(range(7), min(7, due))):
            start = monday + timedelta(days=day, minutes=rng.randrange(0, 600))
            (folder / f"{start:%Y-%m-%d-%H%M}.gpx").write_bytes(run_gpx(start, rng.uniform(5.0, 16.0) * 1000))
            written += 1
    (folder / "stridewise.toml").write_text('timezone = "UTC"\n')
    return len(active)


def cpu_seconds() -> float:
    """CPU time of this process and its finished children (the render workers): what the work costs on a machine
    shared with other jobs, where wall-clock time depends on the load."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def first_batch(runs: int, jobs: int, root: Path, since: str | None = None) -> dict[str, float]:
    logs, out = root / "logs", root / "out"
    weeks_with_runs = make_archive_with_breaks(logs, runs)
    files = sum(1 for p in logs.iterdir() if p.suffix == ".gpx")
    began, cpu_began = time.perf_counter(), cpu_seconds()
    marks: dict[str, float] = {}

    def progress(step: BatchStep) -> None:
        if step.stage == "render" and step.done == 1:
            marks["index_after_s"] = time.perf_counter() - began
            marks["cpu_before_render_s"] = cpu_seconds() - cpu_began  # jobs=1: ingest, history, first week

    result = run_batch(logs, out / "reports", db=out / "s.sqlite3", jobs=jobs, progress=progress, since=since)
    took = time.perf_counter() - began
    written = [p for p in (out / "reports").iterdir() if not p.name.startswith(".")]
    return {"runs": files, "weeks_with_runs": weeks_with_runs, "calendar_weeks": ARCHIVE_WEEKS,
            "rendered": len(result.rendered), "files": len(written),
            "megabytes": sum(p.stat().st_size for p in written) / 1e6, "first_s": took,
            "index_after_s": marks.get("index_after_s", float("nan")),
            "cpu_s": cpu_seconds() - cpu_began,
            "cpu_before_render_s": marks.get("cpu_before_render_s", float("nan")),
            "per_week_s": took / max(1, len(result.rendered))}


def timed(action: object) -> float:
    began = time.perf_counter()
    action()  # type: ignore[operator]
    return time.perf_counter() - began


def bench(size: int, repeat: int, root: Path) -> dict[str, float]:
    logs, out = root / f"logs-{size}", root / f"out-{size}"
    began = time.perf_counter()
    make_archive(logs, size)
    (logs / "stridewise.toml").write_text('timezone = "UTC"\n')
    generated = time.perf_counter() - began
    year, week, _ = (LAST_DAY - timedelta(days=21)).isocalendar()
    since = f"{year}-W{week:02d}"

    def batch() -> object:
        return run_batch(logs, out / "reports", db=out / "s.sqlite3", jobs=2, since=since)

    first = timed(batch)
    no_change = [timed(batch) for _ in range(repeat)]
    one_new = []
    for n in range(repeat):
        extra = LAST_DAY - timedelta(days=2, hours=-n - 1)  # Friday of the latest week, a new file each time
        (logs / f"extra-{n}.gpx").write_bytes(run_gpx(extra, 5000))
        one_new.append(timed(batch))
    return {"runs": size, "generate_s": generated, "first_s": first, "no_change_s": statistics.median(no_change),
            "one_new_file_s": statistics.median(one_new)}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 2000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--first", action="store_true", help="time the first batch over a 10-year archive")
    parser.add_argument("--runs", type=int, default=2000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--since", help="with --first: render only from this ISO week on (to time a sample)")
    args = parser.parse_args(argv)
    if args.first:
        load_before = os.getloadavg()
        with tempfile.TemporaryDirectory() as scratch:
            row = first_batch(args.runs, args.jobs, Path(scratch), args.since)
        row["load_start"], row["load_end"] = load_before[0], os.getloadavg()[0]  # 1-minute load averages
        for key, value in row.items():
            print(f"{key:>16}: {value:.2f}" if isinstance(value, float) else f"{key:>16}: {value}")
        return 0
    with tempfile.TemporaryDirectory() as scratch:
        rows = [bench(size, args.repeat, Path(scratch)) for size in args.sizes]
    print(f"{'runs':>6} {'first batch s':>14} {'no-change s':>12} {'one new file s':>15}")
    for row in rows:
        print(f"{row['runs']:>6} {row['first_s']:>14.1f} {row['no_change_s']:>12.2f} {row['one_new_file_s']:>15.2f}")
    if len(rows) == 2:
        small, large = rows
        print(f"ratio {large['runs'] / small['runs']:.0f}x runs: "
              f"no-change {large['no_change_s'] / small['no_change_s']:.2f}x, "
              f"one new file {large['one_new_file_s'] / small['one_new_file_s']:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
