"""Benchmark: how long a runner waits for a week's report, and for `check` and `report` to start (not a test).

Generates a synthetic archive of GPX runs (benchmarks/batch.py's generator, about 4 runs a week), ingests it once,
then measures, each as the median of ``--repeat`` runs:

- cold report: a whole ``python -m stridewise report`` process for the latest week (the store already filled);
- warm report: ``build_report`` for that week in a process that has already built one report;
- per chart: each chart made and encoded as the report embeds it; the summary card; the HTML page;
- weeks in a row: ``build_report`` for ``--batch-weeks`` consecutive weeks in one fresh process, per week
  (what a batch worker does; the first week pays the one-time set-up);
- start-up: a ``check`` (or ``report``) process whose work fails at its first step (a config file that does not
  exist): the interpreter, the CLI, typer's parsing and every import before the work; ``stridewise --help``; and
  whether the modules check imports load matplotlib.

With ``--before-src OLD/src`` (a checkout of an earlier commit) every figure is measured for both trees in
alternation, so that a busy machine slows both alike, and printed side by side with the ratio. Without it, the
figures recorded in docs/performance.md are printed beside. Wall time, and CPU time (user + system): on a shared
machine CPU time is the steadier of the two.

Usage: .venv/bin/python benchmarks/report.py [--runs 200] [--repeat 5] [--batch-weeks 8] [--before-src DIR]
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
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from batch import make_archive  # the sibling benchmark's archive generator
from bytecode import compile_sources

# What each command imports before its own work starts: the CLI (every command registers there) and the modules
# its function imports first. ``report`` imports matplotlib when it draws its first chart, which is its work.
CHECK_MODULES = ("stridewise.cli", "stridewise.api", "stridewise.risk", "stridewise.weekcheck")
REPORT_MODULES = ("stridewise.cli", "stridewise.api", "stridewise.report")
INNER_REPEAT = 3  # in-process figures: the median of this many, in each of the --repeat rounds
CHART_FUNCTIONS = ("weekly_distance_chart", "spike_chart", "downhill_chart", "surface_chart", "shoe_chart",
                   "acwr_chart")

# Commit 6d37417 (before the report-speed work), measured with `--repeat 3 --before-src` on 2026-11-27 on the
# shared 2-core machine of docs/performance.md: (wall s, CPU s). Printed when no --before-src is given.
BEFORE: dict[str, tuple[float, float]] = {
    "cold report": (3.260, 2.760),
    "per week, weeks in a row": (2.881, 1.604),
    "warm report": (3.019, 1.675),
    "chart weekly-distance": (0.185, 0.129),
    "chart spikes": (0.392, 0.266),
    "chart downhill": (0.215, 0.173),
    "chart surface": (0.188, 0.128),
    "chart shoes": (0.048, 0.032),
    "chart acwr": (0.332, 0.248),
    "card": (0.691, 0.451),
    "html page": (0.011, 0.007),
    "check start-up": (1.503, 0.784),
    "report start-up": (1.873, 1.203),
    "--help start-up": (0.302, 0.203),
}

Figures = dict[str, tuple[float, float]]  # name -> (wall s, CPU s)


def child_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_process(args: list[str], src: Path | None, ok_codes: tuple[int, ...] = (0,)) -> tuple[float, float]:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)  # ahead of the editable install's path entry
    cpu, began = child_cpu(), time.perf_counter()
    done = subprocess.run([sys.executable, *args], capture_output=True, env=env, check=False)
    took = time.perf_counter() - began, child_cpu() - cpu
    if done.returncode not in ok_codes:
        raise RuntimeError(f"{args} exited {done.returncode}: {done.stderr.decode()[-500:]}")
    return took


def output_of(args: list[str], src: Path | None) -> str:
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = str(src)
    return subprocess.run([sys.executable, *args], check=True, capture_output=True, text=True, env=env).stdout


def median_pair(samples: list[tuple[float, float]]) -> tuple[float, float]:
    return statistics.median(s[0] for s in samples), statistics.median(s[1] for s in samples)


def timed(action: Callable[[], object]) -> tuple[float, float]:
    wall, cpu = time.perf_counter(), time.process_time()
    action()
    return time.perf_counter() - wall, time.process_time() - cpu


def measure(db: str, config: str, week: str, repeat: int, batch_weeks: int) -> Figures:
    """Run in a fresh child process: weeks in a row first (they pay the one-time set-up), then warm figures."""
    import stridewise
    from stridewise.report import build, build_report, charts_for

    try:  # this tree's encoders; the tree before the report-speed work had one function in build.py
        from stridewise.report.images import card_png, chart_png  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        def chart_png(figure: object) -> bytes:
            return build.figure_png(figure)  # type: ignore[attr-defined,no-any-return,unused-ignore]

        def card_png(figure: object) -> bytes:
            return build.figure_png(figure, dpi=100)  # type: ignore[attr-defined,no-any-return,unused-ignore]

    log = stridewise.load([], db=Path(db), config=Path(config))
    position = list(log.weekly.index).index(week)
    in_a_row = [str(w) for w in log.weekly.index[max(0, position - batch_weeks + 1): position + 1]]
    wall, cpu = timed(lambda: [build_report(log, label) for label in in_a_row])
    figures: Figures = {"per week, weeks in a row": (wall / len(in_a_row), cpu / len(in_a_row)),
                        "warm report": median_pair([timed(lambda: build_report(log, week)) for _ in range(repeat)])}
    made: dict[str, list[tuple[float, float]]] = {}
    for name in CHART_FUNCTIONS:
        setattr(charts_for, name, _timed_chart(getattr(charts_for, name), made))
    for _ in range(repeat):
        for chart in charts_for.report_charts(log, week, weeks=16, units="km"):
            encode = timed(lambda chart=chart: chart_png(chart.figure))
            make = made[chart.key][-1]
            made[chart.key][-1] = (make[0] + encode[0], make[1] + encode[1])
    figures.update({f"chart {key}": median_pair(samples) for key, samples in made.items()})
    data = build.report_data(log, week, weeks=16, units="km")
    figures["card"] = median_pair([timed(lambda: card_png(charts_for.report_card(log, week, data["verdict"],
                                                                                  weeks=16, units="km")))
                                   for _ in range(repeat)])
    charts = [{"key": "k", "title": "t", "caption": "c", "png_base64": ""}]
    figures["html page"] = median_pair([timed(lambda: build.render_html(log, data, charts, None, weeks=16))
                                        for _ in range(repeat)])
    return figures


def _timed_chart(chart_function: Callable[..., object],
                 made: dict[str, list[tuple[float, float]]]) -> Callable[..., object]:
    def chart(*args: object, **kwargs: object) -> object:
        result: list[object] = []
        took = timed(lambda: result.append(chart_function(*args, **kwargs)))
        made.setdefault(result[0].key, []).append(took)  # type: ignore[attr-defined]
        return result[0]

    return chart


def measure_tree(src: Path | None, root: Path, week: str, args: argparse.Namespace) -> Figures:
    """One round of every figure for the tree at ``src`` (None: this one)."""
    db, config = root / "s.sqlite3", root / "logs" / "stridewise.toml"
    code = (f"import json, sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); from report import measure; "
            f"print(json.dumps(measure({str(db)!r}, {str(config)!r}, {week!r}, {INNER_REPEAT}, "
            f"{args.batch_weeks})))")
    figures: Figures = {"cold report": run_process(["-m", "stridewise", "report", "--db", str(db), "--config",
                                                    str(config), "--week", week, "--out", str(root / "out")], src)}
    figures.update({k: (v[0], v[1]) for k, v in json.loads(output_of(["-c", code], src)).items()})
    # Start-up: everything before a command's first step of work, which here fails at once (no such config file).
    missing = ["--config", str(root / "missing.toml"), "--db", str(db)]
    figures["check start-up"] = run_process(["-m", "stridewise", "check", *missing], src, ok_codes=(1,))
    figures["report start-up"] = run_process(["-m", "stridewise", "report", *missing, "--out", str(root / "out")],
                                             src, ok_codes=(1,))
    figures["--help start-up"] = run_process(["-m", "stridewise", "--help"], src)
    return figures


def combine(rounds: list[Figures]) -> Figures:
    return {name: median_pair([r[name] for r in rounds if name in r]) for name in rounds[0]}


def loads_matplotlib(modules: tuple[str, ...]) -> bool:
    code = f"import sys, {', '.join(modules)}; print('matplotlib' in sys.modules)"
    return output_of(["-c", code], None).strip() == "True"


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--batch-weeks", type=int, default=8)
    parser.add_argument("--before-src", type=Path, help="the src/ folder of an earlier checkout to compare with")
    args = parser.parse_args(argv)
    compile_sources(None, args.before_src)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        make_archive(root / "logs", args.runs)
        subprocess.run([sys.executable, "-m", "stridewise", "ingest", str(root / "logs"), "--db",
                        str(root / "s.sqlite3")], check=True, capture_output=True)
        week = output_of(["-c", f"import stridewise; print(stridewise.load([], db={str(root / 's.sqlite3')!r}, "
                                f"config={str(root / 'logs' / 'stridewise.toml')!r}).week_or_latest(None))"],
                         None).strip()
        before_rounds: list[Figures] = []
        now_rounds: list[Figures] = []
        for _ in range(args.repeat):
            if args.before_src is not None:
                before_rounds.append(measure_tree(args.before_src.resolve(), root, week, args))
            now_rounds.append(measure_tree(None, root, week, args))
    before = combine(before_rounds) if before_rounds else BEFORE
    now = combine(now_rounds)
    source = "measured in alternation" if before_rounds else "recorded"
    print(f"{args.runs} runs, week {week}; medians of {args.repeat} rounds; before: {source}; load average "
          f"(1 min) {load_before[0]:.2f} at the start, {os.getloadavg()[0]:.2f} at the end")
    print(f"{'':26} {'before wall':>11} {'now wall':>9} {'ratio':>6}   {'before CPU':>10} {'now CPU':>8} {'ratio':>6}")
    for name, (wall, cpu) in now.items():
        old_wall, old_cpu = before.get(name, (float("nan"), float("nan")))
        print(f"{name:26} {old_wall:11.3f} {wall:9.3f} {old_wall / wall:5.1f}x   {old_cpu:10.3f} {cpu:8.3f} "
              f"{old_cpu / cpu if cpu else float('nan'):5.1f}x")
    print(f"matplotlib loaded by the check path: {loads_matplotlib(CHECK_MODULES)}; "
          f"by the report path before drawing: {loads_matplotlib(REPORT_MODULES)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
