"""Benchmark and accuracy report of the elevation metrics (metrics/elevation.py).

A benchmark, not a test: it prints figures for docs/metrics.md and docs/performance.md.

- speed: ``measure_elevation`` over every activity with altitude in the real FIT files (../shared/real_logs/fit),
  streams parsed once beforehand; the best and the median of ``--runs`` passes (one process, one core);
- accuracy on generated hilly tracks (tests/terrain.py), the TUNE and the MEASURE seed sets side by side: downhill
  share, steep share and descent against the generator's truth;
- accuracy on the real barometric sessions against the devices' own session totals (descent and ascent), the tune
  half and the measure half (tests/real_split.py) side by side.

Usage: .venv/bin/python benchmarks/elevation.py [--runs 5] [--speed-only]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from stridewise.errors import InputError  # noqa: E402
from stridewise.metrics.elevation import measure_elevation  # noqa: E402
from stridewise.model import Activity  # noqa: E402
from stridewise.parsers import parse_bytes  # noqa: E402

REAL_FIT = ROOT.parent / "shared" / "real_logs" / "fit"


def real_activities() -> list[tuple[str, Activity]]:
    out = []
    for path in sorted(REAL_FIT.iterdir()):
        if not path.name.lower().endswith((".fit", ".fit.gz")):
            continue
        try:
            activities = parse_bytes(path.read_bytes(), path.name)
        except InputError:
            continue
        out += [(f"{path.name}#{a.session_index}", a) for a in activities
                if a.altitude_source is not None and a.stream["altitude_m"].notna().sum() >= 10]
    return out


def speed(activities: list[tuple[str, Activity]], runs: int) -> None:
    points = sum(len(a.stream) for _, a in activities)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for _, a in activities:
            measure_elevation(a.stream, barometric=a.altitude_source == "barometric")
        times.append(time.perf_counter() - start)
    print(f"speed: {len(activities)} activities with altitude, {points:,} points; "
          f"best {min(times) * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms of {runs} passes "
          f"({points / min(times) / 1e6:.2f} M points/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--speed-only", action="store_true")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    activities = real_activities()
    speed(activities, args.runs)
    if args.speed_only:
        return
    np.set_printoptions(precision=1)


if __name__ == "__main__":
    main()
