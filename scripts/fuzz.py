"""Fuzz harness: hostile copies of real activity files through `stridewise ingest`, in a subprocess, in batches.

    python scripts/fuzz.py --inputs 300 --seed 1                      # the fast run tests/test_fuzz.py makes
    nice -n 19 python scripts/fuzz.py --inputs 20000 --seed 10 --long # `make fuzz`; figures in docs/robustness.md

Seeds come from tests/data and sample_logs (a clean clone has both); ``--long`` adds bigger generated inputs
(1 GB zip bomb, 150,000-deep XML, 1,200-deep zip) and the real files of $STRIDEWISE_REAL_LOGS if set.

Each input ends as one of: ``ok`` (activities stored), ``listed`` (a failure with a one-line reason), ``empty`` (a zip
whose mutation left no activity file in it: nothing to read, nothing to list), or a defect: ``traceback``, ``hang``,
``crash`` (an exit code other than 0/1/2/3/75), ``missing`` (neither stored nor listed), ``multiline`` (a reason
over several lines) or ``bad_json`` (`activities --json` that a strict parser refuses).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fuzz_inputs import Input, inputs, seed_files

PROJECT = Path(__file__).resolve().parent.parent
SEED_ROOTS = [PROJECT / "tests" / "data", PROJECT / "sample_logs"]
# Seeds above this size make every input slow without adding new shapes (the real files are mostly far smaller).
MAX_SEED_BYTES = 400_000
ALLOWED_EXIT_CODES = {0, 1, 2, 3, 75}
# One batch of inputs goes through one `stridewise ingest`: start-up (pandas, matplotlib-free) costs ~1 s.
BATCH_SIZE = 100
# A batch that runs longer than this is a hang (a clean batch of 100 takes seconds; a 1 GB zip bomb took a minute
# before zip members had limits). A failing batch is split in halves until the failing inputs stand alone.
BATCH_TIMEOUT_S = 600.0
DEFECTS = ("traceback", "hang", "crash", "missing", "multiline", "bad_json")


@dataclass
class Summary:
    inputs: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)
    by_kind: dict[str, Counter[str]] = field(default_factory=dict)
    defects: list[dict[str, str]] = field(default_factory=list)
    seconds: float = 0.0
    peak_rss_mb: float = 0.0
    seeds: int = 0

    def add(self, item: Input, outcome: str, detail: str = "") -> None:
        self.inputs += 1
        self.outcomes[outcome] += 1
        self.by_kind.setdefault(item.kind, Counter())[outcome] += 1
        if outcome in DEFECTS:
            self.defects.append({"input": item.name, "kind": item.kind, "outcome": outcome, "detail": detail[-2000:]})

    def as_json(self) -> dict[str, object]:
        return {"inputs": self.inputs, "seeds": self.seeds, "outcomes": dict(sorted(self.outcomes.items())),
                "defects": len(self.defects), "by_kind": {k: dict(sorted(v.items()))
                                                          for k, v in sorted(self.by_kind.items())},
                "seconds": round(self.seconds, 1), "peak_rss_mb": round(self.peak_rss_mb, 1),
                "defect_list": self.defects[:50]}


def strict_json(text: str) -> object:
    def refuse(constant: str) -> object:
        raise ValueError(f"not RFC 8259 JSON: {constant}")
    return json.loads(text, parse_constant=refuse)


def _stridewise(args: list[str], timeout: float) -> subprocess.CompletedProcess[str] | None:
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    env.pop("STRIDEWISE_CONFIG", None)  # defaults only: no runner's config may change what is read
    try:
        return subprocess.run([sys.executable, "-m", "stridewise", *args], capture_output=True, text=True,
                              timeout=timeout, env=env, errors="replace", check=False)
    except subprocess.TimeoutExpired:
        return None


def _listed(stdout: str) -> dict[str, list[str]]:
    """Failure lines of the ingest summary, by key: ``  key: reason`` after ``Could not read (N):``."""
    listed: dict[str, list[str]] = {}
    lines = stdout.splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith("Could not read (")), None)
    if start is None:
        return listed
    key = None
    for line in lines[start + 1:]:
        if line.startswith("  ") and ": " in line:
            key, reason = line[2:].split(": ", 1)
            listed.setdefault(key, []).append(reason)
        elif key is not None:
            listed[key].append(line)  # a reason that went on over another line
    return listed


def _recorded(db: Path) -> tuple[set[str], dict[str, list[str]], set[str]]:
    """(keys with stored activities, failure reasons by key, every key) in the store, read-only."""
    if not db.exists():
        return set(), {}, set()
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as conn:
            stored = {str(r[0]) for r in conn.execute("SELECT DISTINCT f.key FROM files f JOIN activities a "
                                                      "ON a.file_id = f.id")}
            failed = {str(r[0]): str(r[1] or "").split("\n") for r in conn.execute(
                "SELECT key, reason FROM files WHERE status = 'failed'")}
            seen = {str(r[0]) for r in conn.execute("SELECT key FROM files")}
    except sqlite3.Error:
        return set(), {}, set()
    return stored, failed, seen


def _belongs(key: str, path: Path) -> bool:
    return key == str(path) or key.startswith(f"{path}!")


def _write(batch: list[Input], work: Path) -> tuple[list[Path], Path]:
    folder = work / "in"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir()
    paths = []
    for n, item in enumerate(batch):  # numbered: `ingest --jobs 1` reads a folder in name order
        path = folder / f"{n:05d}-{item.name}"
        path.write_bytes(item.data)
        paths.append(path)
    db = work / "store.sqlite3"
    for stale in work.glob("store.sqlite3*"):
        stale.unlink()
    return paths, db


def run_batch(batch: list[Input], work: Path, summary: Summary) -> None:
    """Ingest the batch with a fresh store and account for every input.

    When the run itself fails (a traceback, a crash, a hang), the inputs the store recorded are accounted as
    usual; the first unrecorded one is the suspect and is run alone to confirm; the rest form a new batch. Each
    defect costs two or three runs instead of one run per input.
    """
    paths, db = _write(batch, work)
    result = _stridewise(["ingest", str(paths[0].parent), "--db", str(db), "--jobs", "1"], BATCH_TIMEOUT_S)
    failed = result is None or result.returncode not in ALLOWED_EXIT_CODES or "Traceback" in result.stderr
    if failed and len(batch) == 1:
        outcome = "hang" if result is None else "traceback" if "Traceback" in result.stderr else "crash"
        summary.add(batch[0], outcome, "" if result is None else f"exit {result.returncode}: {result.stderr}")
        return
    stored, failures, seen = _recorded(db)
    if failed:
        recorded = [any(_belongs(key, path) for key in seen) for path in paths]
        suspect = recorded.index(False) if False in recorded else 0
        done = [i for i in range(len(batch)) if recorded[i] and i != suspect]
        _account([batch[i] for i in done], [paths[i] for i in done], stored, failures, summary, "")
        rest = [batch[i] for i in range(len(batch)) if i not in done and i != suspect]
        run_batch([batch[suspect]], work, summary)
        if rest:
            run_batch(rest, work, summary)
        return
    assert result is not None
    listing = _stridewise(["activities", "--json", "--all", "--db", str(db)], BATCH_TIMEOUT_S)
    bad_json = ""
    if listing is not None and listing.returncode == 0:
        try:
            strict_json(listing.stdout)
        except ValueError as exc:
            bad_json = str(exc)
    if bad_json:
        for item in batch:
            summary.add(item, "bad_json", bad_json)
        return
    _account(batch, paths, stored, _listed(result.stdout), summary, result.stdout[-1000:])


def _account(batch: list[Input], paths: list[Path], stored: set[str], listed: dict[str, list[str]],
             summary: Summary, output: str) -> None:
    for item, path in zip(batch, paths, strict=True):
        keys = [key for key in listed if _belongs(key, path)]
        lines = [line for key in keys for line in listed[key]]
        if any(_belongs(key, path) for key in stored):
            summary.add(item, "ok")
        elif keys and len(lines) == len(keys) and all(line.strip() for line in lines):
            summary.add(item, "listed")
        elif keys:
            summary.add(item, "multiline", "\n".join(lines))
        elif path.suffix == ".zip":
            summary.add(item, "empty")
        else:
            summary.add(item, "missing", output)


def run(items: Iterable[Input], *, batch_size: int = BATCH_SIZE, progress: bool = False) -> Summary:
    summary = Summary()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="stridewise-fuzz-") as tmp:
        batch: list[Input] = []
        for item in items:
            batch.append(item)
            if len(batch) == batch_size:
                run_batch(batch, Path(tmp), summary)
                batch = []
                if progress:
                    print(f"{summary.inputs} inputs, {dict(summary.outcomes)}", file=sys.stderr, flush=True)
        if batch:
            run_batch(batch, Path(tmp), summary)
    summary.seconds = time.perf_counter() - started
    # ru_maxrss of waited-for children: the largest peak of any one process (kB on Linux).
    summary.peak_rss_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--inputs", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--long", action="store_true", help="big generated inputs and the real files")
    parser.add_argument("--batch", type=int, default=BATCH_SIZE, help="inputs per `stridewise ingest` run")
    parser.add_argument("--max-seed-bytes", type=int, default=MAX_SEED_BYTES, help="leave out larger seed files")
    parser.add_argument("--mutations-only", action="store_true", help="no generated inputs (zips, deep XML, bombs)")
    parser.add_argument("--out", type=Path, help="write the summary as JSON here")
    args = parser.parse_args()
    roots = list(SEED_ROOTS)
    real = os.environ.get("STRIDEWISE_REAL_LOGS")
    if args.long and real:
        roots.append(Path(real))
    seeds = seed_files(roots, max_bytes=args.max_seed_bytes)
    every = args.inputs + 1 if args.mutations_only else 100
    summary = run(inputs(args.inputs, args.seed, seeds, big=args.long, generated_every=every,
                         bombs_every=20 if args.long else 1),
                  batch_size=args.batch, progress=True)
    summary.seeds = len(seeds)
    text = json.dumps(summary.as_json(), indent=2)
    if args.out:
        args.out.write_text(text + "\n")
    print(text)
    sys.exit(1 if summary.defects else 0)


if __name__ == "__main__":
    main()
