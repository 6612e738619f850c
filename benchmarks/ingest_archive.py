"""Benchmark: whole `stridewise ingest` runs over a zip against the same files in a folder, and many small files.

A benchmark, not a test: it prints figures. Each case is a fresh process (`stridewise ingest ... --db <new>`), so
the times include start-up, discovery, parsing in worker processes, metrics and SQLite, as a runner waits for them.
Peak memory is the largest resident set of any one process of the run (the command or one of its workers).

(a) ``--members`` real FIT files (../shared/real_logs/fit, repeated in turn under distinct names) as a folder and as
    one deflated zip, built in a temporary folder at run time;
(b) ``--small`` copies of the small real FIT files (under 20 kB each): the per-file overhead of the pipeline.

With ``--before-src DIR`` (the ``src`` folder of an older checkout, e.g. ``git archive <commit> src | tar -x -C
/tmp/base``), every case also runs that code (``python -m stridewise`` with ``PYTHONPATH=DIR``), turns alternated,
so that both see the same load on a shared machine.

Usage: .venv/bin/python benchmarks/ingest_archive.py [--members 1050] [--small 2000] [--jobs 1 2] [--repeats 2]
       [--before-src DIR]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from bytecode import compile_sources  # type: ignore[import-not-found]  # benchmarks/ is not a package

REAL_FIT = Path(__file__).resolve().parent.parent.parent / "shared" / "real_logs" / "fit"
STRIDEWISE = Path(sys.executable).parent / "stridewise"
SMALL_BYTES = 20_000  # "small": a short activity file, the kind thousands of which make up a long history
# Prints the peak resident set (kB on Linux) of the largest process among the command and everything it waited for.
MEASURE = ("import resource, subprocess, sys; r = subprocess.run(sys.argv[1:], capture_output=True); "
           "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")


def machine() -> str:
    model = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                  if line.startswith("model name")), platform.processor())
    return f"{os.cpu_count()} cores ({model}), Python {platform.python_version()}"


def real_fit_files(max_bytes: int | None = None) -> list[Path]:
    return sorted(p for p in REAL_FIT.iterdir()
                  if p.name.lower().endswith(".fit") and (max_bytes is None or p.stat().st_size < max_bytes))


def copies(sources: list[Path], count: int, folder: Path) -> list[Path]:
    """``count`` files in ``folder``: the sources in turn, each under its own name."""
    folder.mkdir(parents=True)
    paths = []
    for i in range(count):
        source = sources[i % len(sources)]
        path = folder / f"{i:05d}-{source.name}"
        shutil.copyfile(source, path)
        paths.append(path)
    return paths


def zipped(paths: list[Path], archive: Path) -> Path:
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as out:
        for path in paths:
            out.write(path, f"activities/{path.name}")
    return archive


def run(target: Path, jobs: int, scratch: Path, src: Path | None) -> tuple[float, float, int]:
    """Seconds, peak MB of the largest process, and the exit code of one cold ingest into a new store."""
    db = scratch / "bench.sqlite3"
    db.unlink(missing_ok=True)
    command = [str(STRIDEWISE)] if src is None else [sys.executable, "-m", "stridewise"]
    env = dict(os.environ, PYTHONPATH=str(src)) if src is not None else None
    began = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", MEASURE, *command, "ingest", str(target), "--db", str(db),
                          "--jobs", str(jobs)], capture_output=True, text=True, check=True, env=env).stdout.split()
    return time.perf_counter() - began, int(out[1]) / 1024, int(out[0])


def case(label: str, target: Path, jobs: int, repeats: int, scratch: Path, before: Path | None) -> None:
    versions: list[tuple[str, Path | None]] = [("before", before), ("after", None)] if before else [("", None)]
    results: dict[str, list[tuple[float, float, int]]] = {name: [] for name, _ in versions}
    for _ in range(repeats):
        for name, src in versions:
            results[name].append(run(target, jobs, scratch, src))
    for name, _ in versions:
        runs = results[name]
        seconds = statistics.median(r[0] for r in runs)
        print(f"{label:<44} {name:>6} {jobs:>4} {seconds:>9.2f} {max(r[1] for r in runs):>9.0f} {runs[0][2]:>5}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--members", type=int, default=1050, help="FIT files in the zip and the folder")
    parser.add_argument("--small", type=int, default=2000, help="small FIT files in the folder of (b)")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="--jobs values to run")
    parser.add_argument("--repeats", type=int, default=2, help="runs per case (the median is printed)")
    parser.add_argument("--before-src", type=Path, help="src folder of the code to compare with")
    parser.add_argument("--cases", nargs="+", default=["folder", "zip", "small"], help="which cases to run")
    args = parser.parse_args(argv)
    compile_sources(None, args.before_src)
    if not REAL_FIT.is_dir():
        print(f"real device files not found at {REAL_FIT}")
        return 1
    print(f"machine: {machine()}")
    with tempfile.TemporaryDirectory() as name:
        scratch = Path(name)
        members = copies(real_fit_files(), args.members, scratch / "folder")
        archive = zipped(members, scratch / "export.zip")
        small = copies(real_fit_files(SMALL_BYTES), args.small, scratch / "small")
        print(f"(a) {len(members)} FIT files, {sum(p.stat().st_size for p in members) / 1e6:.0f} MB; "
              f"zip {archive.stat().st_size / 1e6:.0f} MB")
        print(f"(b) {len(small)} small FIT files, {sum(p.stat().st_size for p in small) / 1e6:.1f} MB")
        print(f"\n{'case':<44} {'code':>6} {'jobs':>4} {'seconds':>9} {'peak MB':>9} {'exit':>5}")
        cases = {"folder": (f"(a) {len(members)} FIT files in a folder", scratch / "folder"),
                 "zip": (f"(a) the same {len(members)} files in one zip", archive),
                 "small": (f"(b) {len(small)} small FIT files in a folder", scratch / "small")}
        for jobs in args.jobs:
            for name in args.cases:
                label, target = cases[name]
                case(label, target, jobs, args.repeats, scratch, args.before_src)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
