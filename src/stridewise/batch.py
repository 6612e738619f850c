"""Unattended runs over a log folder: ingest what changed, re-render only the weeks whose report changed.

Crash safety: the store commits file by file; every report file is written to a temporary file and renamed; the
manifest (``.stridewise-batch.json``) records a week only after its files are written. A run killed at any moment
leaves a state the next run completes. One run at a time: an exclusive ``flock`` on ``.stridewise-batch.lock``,
which the kernel releases when a process dies, so a killed run's lock is taken over, never waited on.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import socket
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

import jinja2
import pandas as pd

from stridewise.atomic import TEMP_GLOB
from stridewise.config import load_config
from stridewise.errors import LockHeldError, StridewiseError
from stridewise.ingest import IngestReport, Progress, ingest
from stridewise.log import TrainingLog, build_log
from stridewise.report import build_report, prepare, write_report
from stridewise.report.build import report_data
from stridewise.report.pages import environment
from stridewise.report.units import Units
from stridewise.report.write import write_atomic
from stridewise.series import week_label
from stridewise.store import Store, default_db_path
from stridewise.version import __version__

try:
    import fcntl
except ImportError:  # Windows: no flock; batches are not serialised there (docs/scheduling.md)
    fcntl = None  # type: ignore[assignment]

LOCK_NAME: Final = ".stridewise-batch.lock"
MANIFEST_NAME: Final = ".stridewise-batch.json"
PROBLEMS_NAME: Final = "problems.json"
ATHLETE_DB_NAME: Final = "stridewise.sqlite3"



@dataclass(frozen=True)
class BatchStep:
    """Progress: ``stage`` is "parse" (files) or "render" (weeks)."""

    stage: str
    done: int
    total: int


BatchCallback = Callable[[BatchStep], None]


@dataclass
class BatchResult:
    report_dir: Path
    ingest: IngestReport
    rendered: list[str] = field(default_factory=list)  # weeks whose report files were (re)written
    unchanged_weeks: int = 0
    nothing_changed: bool = False  # the store and the settings were as the last run left them: no week looked at
    took_over: str | None = None  # the holder of a stale lock that was taken over
    latest_week: str | None = None
    latest_verdict: str | None = None
    latest_severity: str = "ok"
    problems: list[tuple[str, str]] = field(default_factory=list)


@contextmanager
def batch_lock(report_dir: Path) -> Iterator[str | None]:
    """Hold the report folder's lock; yields the previous holder's note when a dead run's lock is taken over."""
    report_dir.mkdir(parents=True, exist_ok=True)
    path = report_dir / LOCK_NAME
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        try:
            if fcntl is not None:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockHeldError(path, os.pread(handle, 200, 0).decode(errors="replace").strip() or "pid unknown") \
                from None
        previous = os.pread(handle, 200, 0).decode(errors="replace").strip() or None
        note = f"pid {os.getpid()} on {socket.gethostname()} since {datetime.now(UTC):%Y-%m-%d %H:%M:%S}Z"
        os.ftruncate(handle, 0)
        os.pwrite(handle, note.encode(), 0)
        try:
            yield previous
        finally:
            os.ftruncate(handle, 0)  # an empty lock file means the last run finished
    finally:
        os.close(handle)


def _read_manifest(report_dir: Path) -> dict[str, Any]:
    try:
        data = json.loads((report_dir / MANIFEST_NAME).read_text())
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _write_manifest(report_dir: Path, manifest: dict[str, Any]) -> None:
    write_atomic(report_dir / MANIFEST_NAME, json.dumps(manifest, indent=1, sort_keys=True).encode())


def _digest(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:20]


def run_batch(log_dir: Path, report_dir: Path, *, db: Path | None = None, config_path: Path | None = None,
              jobs: int | None = None, weeks: int = 16, units: Units = "km", since: str | None = None,
              progress: BatchCallback | None = None) -> BatchResult:
    """Ingest ``log_dir`` and bring ``report_dir`` up to date. Raises LockHeldError if another run holds it.

    ``since``: render weekly reports from this ISO week on (older weeks still count in the history). Weeks are
    rendered in parallel over ``jobs`` processes where the platform forks (Linux).
    """
    with batch_lock(report_dir) as previous:
        for leftover in report_dir.glob(TEMP_GLOB):  # what a killed run was writing when it died
            leftover.unlink(missing_ok=True)
        config = load_config(config_path, [log_dir])
        with Store(db or default_db_path()) as store:
            def on_file(step: Progress) -> None:
                if progress is not None:
                    progress(BatchStep("parse", step.done, step.total))

            ingested = ingest([log_dir], store, jobs=jobs, progress=on_file, settings=config.elevation)
            result = BatchResult(report_dir, ingested, took_over=previous)
            result.problems = [(f.key, f.reason or "unreadable") for f in store.failed_files()]
            manifest = _read_manifest(report_dir)
            settings = _digest({"version": __version__, "weeks": weeks, "units": units, "since": since,
                                "config": config.path.read_text() if config.path else None})
            fingerprint = store.fingerprint()
            if manifest.get("settings") == settings and manifest.get("store") == fingerprint and \
                    (report_dir / "index.html").is_file():
                result.nothing_changed = True
                _fill_latest(result, manifest)
                return result
            log = build_log(store.activities(include_duplicates=True), store.shoe_assignments(), config,
                            report=ingested)
            log.problems = tuple(result.problems)
            log.pain = tuple(sorted(store.pain_entries(), key=lambda e: (e.day, e.id)))
        _render_changed(log, result, manifest, settings, weeks=weeks, units=units, jobs=jobs, since=since,
                        progress=progress)
        write_atomic(report_dir / PROBLEMS_NAME, (json.dumps(
            [{"file": k, "reason": r} for k, r in result.problems], indent=1) + "\n").encode())
        manifest["store"] = fingerprint
        _write_manifest(report_dir, manifest)
        _fill_latest(result, manifest)
        return result


def _candidate_weeks(log: TrainingLog, *, everything: bool, ingested: IngestReport) -> list[str]:
    weeks = [str(w) for w in log.weekly.index]
    if everything or not ingested.added_starts_utc:
        return weeks
    # A new run changes its own week and the weeks after it (rules look back, charts show past weeks): never before.
    first = min(week_label(pd.Timestamp(t.astimezone(log.zone).date()))
                for t in ingested.added_starts_utc)
    return [w for w in weeks if w >= first]


# The log a forked render worker reads (set before the pool forks, so it is shared, not pickled).
_WORKER_LOG: TrainingLog | None = None


def _render_week(week: str, report_dir: Path, weeks: int, units: Units) -> tuple[str, str, str]:
    """Write one week's three files; return (week, verdict, top severity). Runs in the main or a forked process."""
    assert _WORKER_LOG is not None
    bundle = build_report(_WORKER_LOG, week, weeks=weeks, units=units)
    write_report(bundle, report_dir)
    flags = bundle.data["flags"]
    return week, bundle.data["verdict"], flags[0]["severity"] if flags else "ok"


def _render_changed(log: TrainingLog, result: BatchResult, manifest: dict[str, Any], settings: str, *, weeks: int,
                    units: Units, jobs: int | None, since: str | None,
                    progress: BatchCallback | None) -> None:
    global _WORKER_LOG
    same_settings = manifest.get("settings") == settings
    known: dict[str, Any] = manifest.get("weeks", {}) if same_settings else {}
    candidates = _candidate_weeks(log, everything=not (same_settings and known), ingested=result.ingest)
    candidates = [w for w in candidates if since is None or w >= since]
    manifest["settings"] = settings
    manifest["weeks"] = known
    todo: dict[str, str] = {}
    for week in candidates:
        data = report_data(log, week, weeks=weeks, units=units)
        digest = _digest({k: v for k, v in data.items() if k != "generator"})
        files_exist = all((result.report_dir / f"report-{week}.{kind}").is_file() for kind in ("html", "png", "json"))
        if known.get(week, {}).get("hash") == digest and files_exist:
            result.unchanged_weeks += 1
        else:
            todo[week] = digest
    _WORKER_LOG = log
    if todo:
        prepare()  # matplotlib, fonts and templates set up once, before the fork: every worker starts with them
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    try:
        if workers > 1 and "fork" in multiprocessing.get_all_start_methods():
            pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
            with pool:
                done_weeks = pool.map(_render_week, todo, *zip(*[(result.report_dir, weeks, units)] * len(todo),
                                                               strict=True))
                _record(done_weeks, todo, known, manifest, result, progress)
        else:
            done_weeks = (_render_week(week, result.report_dir, weeks, units) for week in todo)
            _record(done_weeks, todo, known, manifest, result, progress)
    finally:
        _WORKER_LOG = None
    if result.rendered or not (result.report_dir / "index.html").is_file():
        _write_index(result.report_dir, known)


def _record(done_weeks: Iterable[tuple[str, str, str]], todo: dict[str, str], known: dict[str, Any],
            manifest: dict[str, Any], result: BatchResult, progress: BatchCallback | None) -> None:
    for done, (week, verdict, severity) in enumerate(done_weeks, start=1):
        known[week] = {"hash": todo[week], "verdict": verdict, "severity": severity}
        _write_manifest(result.report_dir, manifest)  # the week counts as done only once its files exist
        result.rendered.append(week)
        if progress is not None:
            progress(BatchStep("render", done, len(todo)))


def _fill_latest(result: BatchResult, manifest: dict[str, Any]) -> None:
    weeks = manifest.get("weeks", {})
    if weeks:
        latest = max(weeks)
        result.latest_week = latest
        result.latest_verdict = weeks[latest]["verdict"]
        result.latest_severity = weeks[latest]["severity"]


def _environment() -> jinja2.Environment:
    return environment()


def _write_index(report_dir: Path, weeks: dict[str, Any]) -> None:
    items = [{"href": f"report-{w}.html", "label": w, "verdict": weeks[w]["verdict"],
              "severity": weeks[w]["severity"]} for w in sorted(weeks, reverse=True)]
    html = _environment().get_template("index.html.j2").render(
        title="stridewise weekly reports", subtitle=f"{len(items)} weeks, newest first", items=items,
        version=__version__)
    write_atomic(report_dir / "index.html", html.encode())
    if items:
        latest = (report_dir / items[0]["href"]).read_bytes()
        write_atomic(report_dir / "latest.html", latest)


def write_athletes_index(report_root: Path, athletes: list[tuple[str, BatchResult]]) -> None:
    items = [{"href": f"{name}/latest.html", "label": name, "verdict": r.latest_verdict or "no runs yet",
              "severity": r.latest_severity} for name, r in sorted(athletes)]
    html = _environment().get_template("index.html.j2").render(
        title="stridewise: athletes", subtitle=f"{len(items)} athletes, each with their latest week", items=items,
        version=__version__)
    write_atomic(report_root / "index.html", html.encode())


def athlete_folders(log_root: Path) -> list[Path]:
    """Each non-hidden subfolder of ``log_root`` is one athlete."""
    if not log_root.is_dir():
        raise StridewiseError(f"{log_root} is not a folder")
    return sorted(p for p in log_root.iterdir() if p.is_dir() and not p.name.startswith("."))
