"""Benchmark: the cost of a nightly `stridewise batch` as the archive grows (a benchmark, not a test).

Generates two synthetic archives of GPX runs (about 4 runs a week: 200 runs over one year, 2,000 runs over ten
years), runs a first batch on each (reports rendered for the last 4 weeks only, with --since, to keep the set-up
short), then times the two nightly cases side by side:

- a no-change re-run (nothing new on disk),
- a one-new-file re-run (one run added to the latest week: one file parsed, one week re-rendered).

Usage: .venv/bin/python benchmarks/batch.py [--sizes 200 2000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from stridewise.batch import run_batch

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
    args = parser.parse_args(argv)
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
