"""Benchmark and accuracy report of the elevation metrics (metrics/elevation.py).

A benchmark, not a test: it prints figures for docs/metrics.md and docs/performance.md.

- speed: ``measure_elevation`` over every activity with altitude in the real FIT files (../shared/real_logs/fit),
  streams parsed once beforehand; the best and the median of ``--runs`` passes (one process, one core);
- accuracy on generated hilly tracks (tests/terrain.py), the TUNE and the MEASURE seed sets side by side: downhill
  share, steep share and descent against the generator's truth;
- accuracy on the real barometric sessions against the devices' own session totals (descent and ascent), the tune
  half and the measure half (tests/real_split.py) side by side;
- real terrain with GPS noise: the same sessions with generated GPS altitude error added, read as GPS altitude,
  against their own barometric reading (downhill share), both halves.

With ``--before``, the same figures for the elevation code of commit ``BEFORE_COMMIT`` (read with ``git show``),
side by side.

Usage: .venv/bin/python benchmarks/elevation.py [--runs 5] [--speed-only] [--before]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from real_split import REAL_FIT, half_of  # noqa: E402
from stridewise.errors import InputError  # noqa: E402
from stridewise.metrics.elevation import measure_elevation  # noqa: E402
from stridewise.metrics.summary import summarize  # noqa: E402
from stridewise.model import Activity  # noqa: E402
from stridewise.parsers import parse_bytes  # noqa: E402
from terrain import (  # noqa: E402
    HILLY,
    MEASURE_SEEDS,
    TUNE_SEEDS,
    hilly_case,
    track,
    true_length_at_or_below,
    with_gps_noise,
)

BEFORE_COMMIT = "6d37417"  # main before this work: 400 m GPS smoothing tuned on the sample logs
Measure = Callable[..., Any]


def before_measure() -> Measure:
    """``measure_elevation`` as it was at BEFORE_COMMIT, loaded from git into a module of its own."""
    source = subprocess.run(["git", "show", f"{BEFORE_COMMIT}:src/stridewise/metrics/elevation.py"], cwd=ROOT,
                            check=True, capture_output=True, text=True).stdout
    path = Path(tempfile.mkdtemp()) / "elevation_before.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location("elevation_before", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["elevation_before"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module.measure_elevation  # type: ignore[no-any-return]


def _steep(result: Any) -> float:
    return float(getattr(result, "steep_downhill_distance_m", None) or getattr(result, "steep_downhill_m", 0.0))


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


def speed(activities: list[tuple[str, Activity]], runs: int, measure: Measure) -> None:
    points = sum(len(a.stream) for _, a in activities)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        for _, a in activities:
            measure(a.stream, barometric=a.altitude_source == "barometric")
        times.append(time.perf_counter() - start)
    print(f"  speed: {len(activities)} activities with altitude, {points:,} points; "
          f"best {min(times) * 1000:.0f} ms, median {statistics.median(times) * 1000:.0f} ms of {runs} passes "
          f"({points / min(times) / 1e6:.2f} M points/s)")


def _row(label: str, share: list[float], steep: list[float], descent: list[float]) -> str:
    s, t, d = np.array(share), np.array(steep), np.array(descent)
    return (f"| {label} | {s.size} | {int((np.abs(s) <= 3).sum())} | {s.mean():+.1f} | {np.abs(s).max():.1f} "
            f"| {t.mean():+.1f} | {np.abs(t).max():.1f} | {np.median(d):+.0f}% |")


def generated(measure: Measure) -> None:
    print("  | set, altitude | tracks | downhill share within 3 points | mean error (points) | worst | steep share "
          "mean error | worst | median descent error |")
    for name, seeds in (("TUNE", TUNE_SEEDS), ("MEASURE", MEASURE_SEEDS)):
        groups: dict[str, tuple[list[float], list[float], list[float]]] = {}
        for seed in seeds:
            case = hilly_case(seed)
            group = ("barometric" if case.barometric else
                     "GPS, rolling" if case.family == "rolling" else "GPS, long climbs and steep descents")
            result = measure(case.stream, barometric=case.barometric)
            distance_m = summarize(case.stream).distance_m
            share, steep, descent = groups.setdefault(group, ([], [], []))
            share.append(100 * (result.downhill_m / distance_m - case.downhill_m / case.distance_m))
            steep.append(100 * (_steep(result) / distance_m - case.steep_m / case.distance_m))
            descent.append(100 * (result.descent_m / case.descent_m - 1))
        for group, values in sorted(groups.items()):
            print("  " + _row(f"{name}, {group}", *values))
    # The kind of track: the HILLY profile (20.0% downhill) with GPS noise correlated over 5 minutes.
    for noise_m in (3.0, 4.0, 5.0):
        errors = []
        for seed in range(1, 6):
            stream = track(HILLY, altitude_noise_m=noise_m, position_noise_m=3.0, seed=seed)
            result = measure(stream, barometric=False)
            errors.append(100 * (result.downhill_m / summarize(stream).distance_m
                                 - true_length_at_or_below(HILLY, -5) / sum(length for length, _ in HILLY)))
        print(f"  HILLY, GPS {noise_m:.0f} m correlated over 5 min, seeds 1-5: downhill share errors "
              f"{', '.join(f'{e:+.1f}' for e in errors)} points")


def real(activities: list[tuple[str, Activity]], measure: Measure) -> None:
    print("  | half | sessions | descent within 15% | median descent error | ascent within 15% | median ascent error |")
    for half in ("tune", "measure"):
        descent, ascent = [], []
        for key, a in activities:
            if (a.altitude_source != "barometric" or (a.device_descent_m or 0) < 20
                    or half_of(key.split("#")[0]) != half):
                continue
            result = measure(a.stream, barometric=True)
            descent.append(np.nan if result.descent_m is None else 100 * (result.descent_m / a.device_descent_m - 1))
            if a.device_ascent_m:
                ascent.append(np.nan if result.ascent_m is None else 100 * (result.ascent_m / a.device_ascent_m - 1))
        d, u = np.array(descent), np.array(ascent)
        print(f"  | {half} | {d.size} | {int((np.abs(d) <= 15).sum())} | {np.nanmedian(d):+.1f}% "
              f"| {int((np.abs(u) <= 15).sum())} of {u.size} | {np.nanmedian(u):+.1f}% |")


# Real terrain, GPS noise: each real barometric session of at least this length, with generated GPS altitude error
# added (three copies, seeds 0-2), read as GPS altitude against the same session read as barometric.
REAL_NOISE_MIN_M = 2000.0
REAL_NOISE_SEEDS = (0, 1, 2)


def real_with_gps_noise(activities: list[tuple[str, Activity]], measure: Measure) -> None:
    print("  | half | sessions | noisy copies | within 3 points of the barometric reading | mean error | worst |")
    for half in ("tune", "measure"):
        errors, sessions = [], 0
        for key, a in activities:
            if a.altitude_source != "barometric" or half_of(key.split("#")[0]) != half:
                continue
            reference = measure(a.stream, barometric=True)
            distance_m = summarize(a.stream).distance_m
            if reference.downhill_m is None or distance_m < REAL_NOISE_MIN_M:
                continue
            sessions += 1
            for seed in REAL_NOISE_SEEDS:
                noisy = measure(with_gps_noise(a.stream, seed), barometric=False)
                errors.append(100 * (noisy.downhill_m - reference.downhill_m) / distance_m)
        e = np.array(errors)
        print(f"  | {half} | {sessions} | {e.size} | {int((np.abs(e) <= 3).sum())} | {e.mean():+.1f} "
              f"| {np.abs(e).max():.1f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--speed-only", action="store_true")
    parser.add_argument("--before", action="store_true", help=f"also the code of commit {BEFORE_COMMIT}")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    activities = real_activities()
    versions: list[tuple[str, Measure]] = [("now", measure_elevation)]
    if args.before:
        versions.insert(0, (f"before ({BEFORE_COMMIT})", before_measure()))
    for label, measure in versions:
        print(f"== {label}")
        speed(activities, args.runs, measure)
        if not args.speed_only:
            generated(measure)
            real(activities, measure)
            real_with_gps_noise(activities, measure)


if __name__ == "__main__":
    main()
