"""Benchmark: where a cold command's time goes, step by step (not a test; prints figures).

Each figure is the median of ``--repeat`` fresh processes (stridewise compiled to bytecode first, as installed):

- the floor of every command: the interpreter alone, ``import pandas``, ``import matplotlib`` with the Agg canvas;
- a cold ``report`` of the latest week of a generated one-year archive (benchmarks/batch.py's generator, 200 GPX runs),
  timed step by step inside one process: the CLI and typer, the core and pandas, loading the log, its flags,
  matplotlib and the templates, drawing the report, writing it, and the interpreter's exit after it;
- a cold ``ingest --jobs 1`` of the real FIT files of ../shared/real_logs: CPU of the imports, of the main process
  (storing) and of its worker (parsing, metrics, packing the streams).

Usage: .venv/bin/python benchmarks/breakdown.py [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from batch import make_archive  # the sibling benchmark's archive generator
from bytecode import compile_sources

REAL_FIT = Path(__file__).resolve().parent.parent.parent / "shared" / "real_logs" / "fit"
# Runs inside a fresh process: each step's wall seconds, printed as "name seconds" lines.
REPORT_STEPS = """
import sys, time
began = time.perf_counter()
marks = []
def mark(name):
    marks.append((name, time.perf_counter()))
import stridewise.cli
try:
    import typer._adapters  # what typer 0.2x imports to coerce the first parameter: pydantic
except ImportError:
    pass
mark("CLI: typer, click, pydantic")
from stridewise.api import load
mark("core and pandas")
log = load([], db=sys.argv[1], config=sys.argv[2])
mark("load the log")
week = log.week_or_latest(None)
log.flags
mark("flags")
from stridewise.report import build_report, prepare, write_report
prepare()
mark("matplotlib and templates")
bundle = build_report(log, week, weeks=16, units="km")
mark("draw the report (first in the process)")
write_report(bundle, __import__("pathlib").Path(sys.argv[3]))
mark("write it")
previous = began
for name, at in marks:
    print(f"{name}|{at - previous}")
    previous = at
print(f"until the work ends|{previous - began}")
"""
# Runs inside a fresh process: CPU of imports, of the main process's ingest, and of its worker.
INGEST_STEPS = """
import resource, sys, time
from pathlib import Path
began = time.process_time()
from stridewise.ingest import ingest
from stridewise.store import Store
imported = time.process_time()
with Store(Path(sys.argv[2])) as store:
    ingest([Path(sys.argv[1])], store, jobs=1)
done = time.process_time()
worker = resource.getrusage(resource.RUSAGE_CHILDREN)
print(f"imports (CPU)|{imported - began}")
print(f"main process: discover, store, duplicates (CPU)|{done - imported}")
print(f"worker: parse, metrics, pack streams (CPU)|{worker.ru_utime + worker.ru_stime}")
"""


def wall(args: list[str]) -> float:
    began = time.perf_counter()
    subprocess.run([sys.executable, *args], check=True, capture_output=True)
    return time.perf_counter() - began


def steps(code: str, args: list[str]) -> dict[str, float]:
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True).stdout
    return {name: float(value) for name, value in (line.split("|") for line in out.splitlines())}


def medians(samples: list[dict[str, float]]) -> dict[str, float]:
    return {name: statistics.median(s[name] for s in samples) for name in samples[0]}


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    compile_sources()
    print(f"load average at the start: {os.getloadavg()[0]:.2f}")
    floors = {"interpreter alone": ["-c", "pass"], "import pandas": ["-c", "import pandas"],
              "import matplotlib (Agg canvas)": ["-c", "import matplotlib.backends.backend_agg"],
              "stridewise --help": ["-m", "stridewise", "--help"]}
    print("\nfloors, wall s (median of fresh processes)")
    for name, command in floors.items():
        print(f"  {name:45} {statistics.median(wall(command) for _ in range(args.repeat)):6.3f}")
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        make_archive(root / "logs", 200)
        db, config, out = root / "s.sqlite3", root / "logs" / "stridewise.toml", root / "out"
        subprocess.run([sys.executable, "-m", "stridewise", "ingest", str(root / "logs"), "--db", str(db)],
                       check=True, capture_output=True)
        out.mkdir()
        report = medians([steps(REPORT_STEPS, [str(db), str(config), str(out)]) for _ in range(args.repeat)])
        whole = statistics.median(wall(["-m", "stridewise", "report", "--db", str(db), "--config", str(config),
                                        "--out", str(out)]) for _ in range(args.repeat))
        print("\na cold report, wall s, step by step inside one process (median)")
        for name, seconds in report.items():
            print(f"  {name:45} {seconds:6.3f}")
        print(f"  {'the whole `stridewise report` process':45} {whole:6.3f}"
              f"  (interpreter start and exit: {whole - report['until the work ends']:.3f})")
        if REAL_FIT.is_dir():
            ingest = medians([steps(INGEST_STEPS, [str(REAL_FIT), str(root / f"i{i}.sqlite3")])
                              for i in range(args.repeat)])
            print(f"\na cold ingest of {REAL_FIT} (--jobs 1), CPU s (median)")
            for name, seconds in ingest.items():
                print(f"  {name:55} {seconds:6.3f}")
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
