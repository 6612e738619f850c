"""Benchmark: where a cold command's time goes, step by step (not a test; prints figures).

Each figure is the median of ``--repeat`` fresh processes, stridewise compiled to bytecode first (as installed):

- the floors: the interpreter alone, ``import pandas``, ``import matplotlib`` with the Agg canvas, ``--help``;
- bytecode: ``check`` up to its first step (a file that is not a store) from this src/ compiled, and from a copy of
  it without bytecode, as every process ran on this machine and CI (PYTHONDONTWRITEBYTECODE=1) before;
- a cold ``report`` of the latest week of a generated one-year archive (benchmarks/batch.py's generator, 200 GPX
  runs), step by step inside one process, a second report drawn in the same process, and the whole process ended
  as the CLI ends it (objects frozen, ``cli.main``) and with the interpreter's ordinary exit;
- a cold ``ingest --jobs 1`` of the real FIT files of ../shared/real_logs: CPU of the imports, of the main process
  (storing) and of its worker; then, in one process, the worker's steps over the same files (reading and decoding,
  the plausibility gate, the metrics, packing the streams) and what crosses the pipe per file: the pickled outcome
  as sent (streams packed) and as it was before (streams as DataFrames).

``--before SRC`` runs the ingest split on another source tree too (e.g. ``git archive`` of an earlier commit).

Usage: .venv/bin/python benchmarks/breakdown.py [--repeat 5] [--before SRC]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from batch import make_archive  # the sibling benchmark's archive generator
from bytecode import SRC, compile_sources

REAL_FIT = Path(__file__).resolve().parent.parent.parent / "shared" / "real_logs" / "fit"
# Runs inside a fresh process: each step's wall seconds, printed as "name|seconds" lines. argv[4] == "freeze" ends
# the process as cli.main does.
REPORT_STEPS = """
import gc, sys, time
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
again = time.perf_counter()
build_report(log, week, weeks=16, units="km")
print(f"a second report drawn in the same process|{time.perf_counter() - again}")
sys.stdout.flush()
if sys.argv[4] == "freeze":
    gc.freeze()
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
print(f"imports|{imported - began}")
print(f"main process: discover, store, duplicates|{done - imported}")
print(f"worker: parse, metrics, pack streams|{worker.ru_utime + worker.ru_stime}")
"""
# Runs inside a fresh process: the worker's steps over every file, CPU s, and the bytes an outcome pickles to.
WORKER_STEPS = """
import pickle, sys, time
from pathlib import Path
from stridewise.ingest.parse import parse_source
from stridewise.metrics import ElevationSettings, compute_metrics
from stridewise.parsers import parse_bytes
from stridewise.plausible import drop_impossible_points
from stridewise.sources import SourceFile, discover
from stridewise.store.codec import pack_stream
sources = [s for s in discover([Path(sys.argv[1])]) if isinstance(s, SourceFile)]
spent = dict.fromkeys(("read and decode (parse_bytes)", "plausibility gate", "metrics", "pack the streams"), 0.0)
def timed(step, action):
    began = time.process_time()
    result = action()
    spent[step] += time.process_time() - began
    return result
for source in sources:
    data = source.read()
    try:
        activities = timed("read and decode (parse_bytes)", lambda: parse_bytes(data, source.key))
    except Exception:
        continue
    activities = timed("plausibility gate", lambda: [drop_impossible_points(a) for a in activities])
    for a in activities:
        timed("metrics", lambda: compute_metrics(a.stream, device_distance_m=a.device_distance_m,
              altitude_source=a.altitude_source, sub_sport=a.sub_sport, settings=ElevationSettings()))
        timed("pack the streams", lambda: pack_stream(a.stream))
for step, seconds in spent.items():
    print(f"{step}|{seconds}")
sent = as_frames = 0
for source in sources:
    outcome = parse_source(source)
    sent += len(pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL))
    if outcome.activities:  # before: each activity crossed with its stream as a DataFrame
        as_frames += len(pickle.dumps([parse_bytes(source.read(), source.key)], protocol=pickle.HIGHEST_PROTOCOL))
print(f"MB through the pipe, streams packed (as sent)|{sent / 1e6}")
print(f"MB through the pipe, streams as DataFrames (before)|{as_frames / 1e6}")
"""


def wall(args: list[str], env: dict[str, str] | None = None) -> float:
    began = time.perf_counter()
    subprocess.run([sys.executable, *args], capture_output=True, env=env, check=False)
    return time.perf_counter() - began


def steps(code: str, args: list[str], src: Path | None = None) -> dict[str, float]:
    env = dict(os.environ, PYTHONPATH=str(src)) if src is not None else None
    out = subprocess.run([sys.executable, "-c", code, *args], check=True, capture_output=True, text=True,
                         env=env).stdout
    return {name: float(value) for name, value in (line.split("|") for line in out.splitlines())}


def medians(samples: list[dict[str, float]]) -> dict[str, float]:
    return {name: statistics.median(s[name] for s in samples) for name in samples[0]}


def show(title: str, figures: dict[str, float], unit: str = "") -> None:
    print(f"\n{title}")
    for name, value in figures.items():
        print(f"  {name:55} {value:7.3f}{unit}")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--before", type=Path, help="another src/ tree for the ingest split")
    args = parser.parse_args(argv)
    compile_sources(None, args.before)
    print(f"load average at the start: {os.getloadavg()[0]:.2f}")
    floors = {"interpreter alone": ["-c", "pass"], "import pandas": ["-c", "import pandas"],
              "import matplotlib (Agg canvas)": ["-c", "import matplotlib.backends.backend_agg"],
              "stridewise --help": ["-m", "stridewise", "--help"]}
    show("floors, wall s (median of fresh processes)",
         {name: statistics.median(wall(command) for _ in range(args.repeat)) for name, command in floors.items()})
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        not_a_store = root / "junk.sqlite3"
        not_a_store.write_text("not a store")
        bare = root / "bare-src"
        shutil.copytree(SRC, bare, ignore=shutil.ignore_patterns("__pycache__"))
        check = ["-m", "stridewise", "check", "--db", str(not_a_store)]
        compiled, recompiled = [], []
        for _ in range(args.repeat):  # alternated
            compiled.append(wall(check))
            recompiled.append(wall(check, dict(os.environ, PYTHONPATH=str(bare), PYTHONDONTWRITEBYTECODE="1")))
        show("`check` up to its first step, wall s (median)",
             {"stridewise compiled (as installed)": statistics.median(compiled),
              "compiled again in every process (PYTHONDONTWRITEBYTECODE=1)": statistics.median(recompiled)})

        make_archive(root / "logs", 200)
        db, config, out = root / "s.sqlite3", root / "logs" / "stridewise.toml", root / "out"
        subprocess.run([sys.executable, "-m", "stridewise", "ingest", str(root / "logs"), "--db", str(db)],
                       check=True, capture_output=True)
        out.mkdir()
        report = medians([steps(REPORT_STEPS, [str(db), str(config), str(out), "freeze"])
                          for _ in range(args.repeat)])
        show("a cold report, wall s, step by step inside one process (median)", report)
        step_args = ["-c", REPORT_STEPS, str(db), str(config), str(out)]
        frozen, ordinary = [], []
        for _ in range(args.repeat):  # alternated
            frozen.append(wall([*step_args, "freeze"]))
            ordinary.append(wall([*step_args, "ordinary"]))
        show("that process (two reports), wall s (median)",
             {"ended as cli.main ends it (objects frozen)": statistics.median(frozen),
              "ordinary interpreter exit": statistics.median(ordinary)})
        whole = statistics.median(wall(["-m", "stridewise", "report", "--db", str(db), "--config", str(config),
                                        "--out", str(out)]) for _ in range(args.repeat))
        show("the whole `stridewise report` process, wall s (median)", {"one report": whole})

        if REAL_FIT.is_dir():
            trees: dict[str, Path | None] = {"this tree": None}
            if args.before is not None:
                trees["--before"] = args.before.resolve()
            for label, src in trees.items():
                split = medians([steps(INGEST_STEPS, [str(REAL_FIT), str(root / f"i-{label}-{i}.sqlite3")], src)
                                 for i in range(args.repeat)])
                show(f"a cold ingest of {REAL_FIT.name}/ (--jobs 1), CPU s (median), {label}", split)
            show("the worker's steps over the same files, in one process, CPU s", steps(WORKER_STEPS, [str(REAL_FIT)]))
    print(f"\nload average at the end: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
