"""Benchmark: importing OpenStreetMap extracts and matching runs on them (a benchmark, not a test).

Cases, each in a fresh process so that its peak memory (ru_maxrss) is its own:

- baseline: the process after importing stridewise's map modules (what every case starts from);
- helsinki: `map import` of the real Helsinki extract (../shared/osm/helsinki.osm.pbf), whole;
- big: `map import` of a generated extract of at least 2 million ways (a 2,004 x 2,004 grid of streets, 50 m
  apart: 100 km x 100 km) into a store holding three runs in one corner, so only the area around them is kept
  (the country-extract case); the node location index goes to a file on disk;
- match: one one-hour run (3 m/s, 1 Hz, 10.8 km) along real Helsinki ways, with GPS noise: fetching its segments
  from the store and matching them, median of 7.

Usage: .venv/bin/python benchmarks/surface.py [--grid 2000] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HELSINKI = ROOT.parent / "shared" / "osm" / "helsinki.osm.pbf"
SPACING_M = 50.0
WAY_NODES = 5  # nodes per generated way: four 50 m segments
SURFACES = ("asphalt", "paved", "gravel", "compacted", "ground", None, None, None)


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class _MemorySampler(threading.Thread):
    """Largest anonymous (heap) and file-backed (the mmap'd node index) resident memory, from /proc, 5 times a
    second while the import runs."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.anon_mb = 0.0
        self.file_mb = 0.0
        self.done = threading.Event()

    def run(self) -> None:
        status = Path("/proc/self/status")
        while status.exists() and not self.done.wait(0.2):
            for line in status.read_text().splitlines():
                if line.startswith("RssAnon:"):
                    self.anon_mb = max(self.anon_mb, int(line.split()[1]) / 1024)
                if line.startswith("RssFile:"):
                    self.file_mb = max(self.file_mb, int(line.split()[1]) / 1024)


def generate(path: Path, grid: int) -> int:
    """A grid city: nodes every SPACING_M, ways of WAY_NODES nodes along every row and column. Returns ways."""
    import osmium

    lat0, lon0, step_lat, step_lon = 60.0, 24.0, SPACING_M / 111_195, SPACING_M / 55_600
    writer = osmium.SimpleWriter(str(path), overwrite=True)
    node = osmium.osm.mutable.Node
    for row in range(grid):
        for column in range(grid):
            writer.add_node(node(id=row * grid + column + 1, location=(lon0 + column * step_lon,
                                                                        lat0 + row * step_lat)))
    ways = 0
    way = osmium.osm.mutable.Way
    for line in range(grid):
        for start in range(0, grid - WAY_NODES + 1, WAY_NODES - 1):
            for refs in ([line * grid + c + 1 for c in range(start, start + WAY_NODES)],
                         [r * grid + line + 1 for r in range(start, start + WAY_NODES)]):
                surface = SURFACES[ways % len(SURFACES)]
                tags = {"highway": "residential" if ways % 3 else "footway"}
                if surface is not None:
                    tags["surface"] = surface
                ways += 1
                writer.add_way(way(id=ways, nodes=refs, tags=tags))
    writer.close()
    return ways


def _case(name: str, work: Path) -> dict[str, object]:
    sys.path.insert(0, str(ROOT / "tests"))
    from stridewise.store import Store
    from stridewise.surface import import_map

    if name == "baseline":
        return {"peak_mb": _peak_mb()}
    if name == "helsinki":
        with Store(work / "helsinki.sqlite3") as store:
            started, cpu = time.perf_counter(), time.process_time()
            report = import_map(store, HELSINKI, whole=True)
            return {"seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu,
                    "peak_mb": _peak_mb(), "ways_kept": report.ways_kept,
                    "ways_seen": report.ways_seen, "segments": report.segments}
    if name == "big":
        from stridewise.ingest import ingest

        with Store(work / "big.sqlite3") as store:
            ingest([work / "runs"], store, jobs=1)
            sampler = _MemorySampler()
            sampler.start()
            started, cpu = time.perf_counter(), time.process_time()
            report = import_map(store, work / "big.osm.pbf", whole=False)
            sampler.done.set()
            return {"seconds": time.perf_counter() - started, "cpu_seconds": time.process_time() - cpu,
                    "peak_mb": _peak_mb(), "peak_anon_mb": sampler.anon_mb, "peak_file_mb": sampler.file_mb,
                    "ways_kept": report.ways_kept, "ways_seen": report.ways_seen, "segments": report.segments,
                    "store_mb": (work / "big.sqlite3").stat().st_size / 1e6}
    if name == "match":
        import numpy as np

        from osm_runs import densify, real_ways, tagged_route, with_gps_noise
        from stridewise.surface.match import match_track, search_boxes

        line, _ = tagged_route(real_ways(), seed=2, min_length_m=2500)
        dense = densify(line, 3.0)
        loop = np.concatenate([dense, dense[::-1]] * 4)[:3600]
        track = with_gps_noise(loop, seed=7)
        lat, lon = track[:, 0], track[:, 1]
        fetch, match, match_cpu = [], [], []
        with Store(work / "helsinki.sqlite3") as store:
            for _ in range(7):
                started = time.perf_counter()
                segments = store.map_segments_near(search_boxes(lat, lon))
                fetched, cpu = time.perf_counter(), time.process_time()
                match_track(lat, lon, segments)
                fetch.append(fetched - started)
                match.append(time.perf_counter() - fetched)
                match_cpu.append(time.process_time() - cpu)
        return {"points": len(track), "segments": len(segments), "fetch_ms": statistics.median(fetch) * 1000,
                "match_ms": statistics.median(match) * 1000, "match_cpu_ms": statistics.median(match_cpu) * 1000,
                "load_average": os.getloadavg()[0]}
    raise SystemExit(f"unknown case {name}")


def _run(name: str, work: Path) -> dict[str, object]:
    done = subprocess.run([sys.executable, __file__, "--case", name, "--work", str(work)], check=True,
                          capture_output=True, text=True)
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--grid", type=int, default=2004, help="streets per side of the generated extract")
    parser.add_argument("--case", help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    args = parser.parse_args()
    if args.case:
        print(json.dumps(_case(args.case, args.work)))
        return
    with tempfile.TemporaryDirectory(prefix="stridewise-bench-") as tmp:
        work = args.keep or Path(tmp)
        work.mkdir(parents=True, exist_ok=True)
        sys.path.insert(0, str(ROOT / "tests"))
        from builders import gpx, morning, straight_run

        runs = work / "runs"
        runs.mkdir(exist_ok=True)
        for day in range(3):  # three 10 km runs due north from the grid's south-west corner
            points = straight_run(morning(day + 1), distance_m=10_000, pace_s_per_km=330, lat0=60.001,
                                  lon0=24.001 + 0.01 * day)
            (runs / f"run{day}.gpx").write_bytes(gpx(points))
        started = time.perf_counter()
        ways = generate(work / "big.osm.pbf", args.grid)
        print(f"generated {ways:,} ways, {args.grid**2:,} nodes, "
              f"{(work / 'big.osm.pbf').stat().st_size / 1e6:.1f} MB in {time.perf_counter() - started:.1f} s")
        for name in ("baseline", "helsinki", "big", "match"):
            print(name, json.dumps(_run(name, work)), f"(load average {os.getloadavg()[0]:.1f} on "
                  f"{os.cpu_count()} cores)", flush=True)


if __name__ == "__main__":
    main()
