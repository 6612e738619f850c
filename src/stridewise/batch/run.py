"""Unattended runs over a log folder: ingest what changed, re-render only the weeks whose report changed.

Only weeks with runs get a report, newest first; index.html and latest.html are written as soon as the newest
week is done and refreshed as the others follow, so a long first run is useful from its first minute.

Crash safety: the store commits file by file; every report file is written to a temporary file and renamed; the
manifest (``.stridewise-batch.json``) records a week only after its files are written; the temporary files of a
killed run are removed by the next one, under the lock (lock.py).
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import Any, Final

import pandas as pd

from stridewise.atomic import write_atomic
from stridewise.batch.index import WeekState, render_index, write_index_files
from stridewise.batch.lock import batch_lock, remove_stale_temp_files
from stridewise.batch.notify import NotifyOutcome, check_urls, destination_id, notify, notify_settings
from stridewise.config import load_config
from stridewise.ingest import IngestReport, Progress, ingest
from stridewise.log import TrainingLog, build_log
from stridewise.report import build_report, prepare, write_report
from stridewise.report.build import report_data
from stridewise.risk.registry import validate_overrides
from stridewise.series import columns as sc
from stridewise.store import Store, default_db_path
from stridewise.units import Units
from stridewise.version import __version__
from stridewise.weeks import week_label

MANIFEST_NAME: Final = ".stridewise-batch.json"
PROBLEMS_NAME: Final = "problems.json"
# The index is rewritten after the newest week, then at most this often while older weeks render (each rewrite
# reads the whole history's rows; every 10 s keeps that under 1% of a long first run).
INDEX_REFRESH_S: Final = 10.0
# Test hook (tests/test_batch.py): SIGKILL the batch right after this many weeks are recorded, to test crash
# safety at a deterministic point instead of after a timer.
KILL_AFTER_WEEKS_ENV: Final = "STRIDEWISE_TEST_KILL_AFTER_WEEKS"


@dataclass(frozen=True)
class BatchStep:
    """Progress: ``stage`` is "parse" (files) or "render" (weeks); ``item`` the week just rendered."""

    stage: str
    done: int
    total: int
    item: str | None = None


BatchCallback = Callable[[BatchStep], None]


@dataclass
class BatchResult:
    report_dir: Path
    ingest: IngestReport
    rendered: list[str] = field(default_factory=list)  # weeks whose report files were (re)written, newest first
    unchanged_weeks: int = 0
    nothing_changed: bool = False  # the store and the settings were as the last run left them: no week looked at
    took_over: str | None = None  # the holder of a stale lock that was taken over
    latest_week: str | None = None
    latest_verdict: str | None = None
    latest_severity: str = "ok"
    last_run: date | None = None
    problems: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    notified: NotifyOutcome = field(default_factory=NotifyOutcome)
    stale_temp_files: int = 0  # half-written files of a killed run, removed


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
              jobs: int | None = None, weeks: int = 16, units: Units | None = None, since: str | None = None,
              notify_urls: Sequence[str] = (), notify_on: str | None = None, athlete: str | None = None,
              progress: BatchCallback | None = None) -> BatchResult:
    """Ingest ``log_dir`` and bring ``report_dir`` up to date. Raises LockHeldError if another run holds it.

    ``units``: distances in the reports, the index and the flags' sentences (default: the config's, else km).
    ``since``: render weekly reports from this ISO week on (older weeks still count in the history). Weeks are
    rendered newest first, in parallel over ``jobs`` processes where the platform forks (Linux).
    ``notify_urls``, ``notify_on``: the --notify and --notify-on flags; ``$STRIDEWISE_NOTIFY`` and the config's
    ``[notify]`` table apply when they are not given. Notifications go out after the reports are written;
    ``athlete`` (athletes mode) is named in their title.
    """
    with batch_lock(report_dir) as previous:
        stale = remove_stale_temp_files(report_dir)
        config = load_config(config_path, [log_dir])
        validate_overrides(config.rules, where=str(config.path or "config"))
        if units is not None:  # --units over the config's units (flag messages are worded in them too)
            config = replace(config, units=units)
        units = config.units
        settings_notify = notify_settings(notify_urls, notify_on, config.notify)
        check_urls(settings_notify)
        with Store(db or default_db_path()) as store:
            def on_file(step: Progress) -> None:
                if progress is not None:
                    progress(BatchStep("parse", step.done, step.total))

            ingested = ingest([log_dir], store, jobs=jobs, progress=on_file, settings=config.elevation)
            result = BatchResult(report_dir, ingested, took_over=previous, stale_temp_files=len(stale))
            result.problems = [(f.key, f.reason or "unreadable") for f in store.failed_files()]
            manifest = _read_manifest(report_dir)
            settings = _digest({"version": __version__, "weeks": weeks, "units": units, "since": since,
                                "config": config.path.read_text() if config.path else None})
            fingerprint = store.fingerprint()
            up_to_date = manifest.get("settings") == settings and manifest.get("store") == fingerprint and \
                (report_dir / "index.html").is_file()
            first_notify = any(store.notify_from_week(destination_id(url)) is None for url in settings_notify.urls)
            log = None
            if not up_to_date or first_notify:
                log = build_log(store.activities(include_duplicates=True), store.shoe_assignments(), config,
                                report=ingested)
                log.problems = tuple(result.problems)
                log.pain = tuple(sorted(store.pain_entries(), key=lambda e: (e.day, e.id)))
        if log is not None and not up_to_date:
            manifest["last_run"] = _last_run(log)
            _render_changed(log, result, manifest, settings, weeks=weeks, units=units, jobs=jobs, since=since,
                            progress=progress)
            manifest["store"] = fingerprint
            _write_manifest(report_dir, manifest)
        result.nothing_changed = up_to_date
        if settings_notify.urls:
            with Store(db or default_db_path()) as store:
                newest = _newest_week_with_runs(log) if log is not None else None
                result.notified = notify(store, settings_notify, log.flags if log is not None else None,
                                         newest_week=newest, report_dir=report_dir, athlete=athlete)
        _write_problems(report_dir, result)
        _fill_latest(result, manifest)
        return result


def _last_run(log: TrainingLog) -> str | None:
    runs = log.weekly[log.weekly[sc.RUNS] > 0]
    if runs.empty:
        return None
    days = log.daily[log.daily[sc.RUNS] > 0]
    return str(pd.Timestamp(days.index[-1]).date().isoformat())


def _newest_week_with_runs(log: TrainingLog) -> str | None:
    weeks = _weeks_with_runs(log)
    return weeks[0] if weeks else None


def _weeks_with_runs(log: TrainingLog) -> list[str]:
    """Weeks with at least one counted run, newest first."""
    return sorted((str(w) for w in log.weekly.index[log.weekly[sc.RUNS] > 0]), reverse=True)


def _weeks_to_render(log: TrainingLog) -> list[str]:
    """Weeks with a counted run or a flag, newest first: the weeks that get a report. A flag can fall in a week
    without runs (the load ratio of the Monday after a long run, before a break); its report shows the flag, so a
    message about it links to a page that explains it instead of an index row reading "no runs"."""
    return sorted(set(_weeks_with_runs(log)) | {flag.week for flag in log.flags}, reverse=True)


def _write_problems(report_dir: Path, result: BatchResult) -> None:
    entries: list[dict[str, str]] = [{"file": key, "reason": reason} for key, reason in result.problems]
    entries += [{"notify": m.destination, "week": m.week, "reason": f"{m.failure}; retried on the next run"}
                for m in result.notified.failures if m.failure is not None]
    data = (json.dumps(entries, indent=1, ensure_ascii=False) + "\n").encode()
    path = report_dir / PROBLEMS_NAME
    if not path.is_file() or path.read_bytes() != data:
        write_atomic(path, data)


def _candidate_weeks(log: TrainingLog, *, everything: bool, ingested: IngestReport) -> list[str]:
    weeks = _weeks_to_render(log)
    if everything or not ingested.added_starts_utc:
        return weeks
    # A new run changes its own week and the weeks after it (rules look back, charts show past weeks): never before.
    first = min(week_label(t.astimezone(log.zone).date()) for t in ingested.added_starts_utc)
    return [w for w in weeks if w >= first]


def _week_digest(data: dict[str, Any]) -> str:
    return _digest({k: v for k, v in data.items() if k != "generator"})


# The log a forked render worker reads (set before the pool forks, so it is shared, not pickled).
_WORKER_LOG: TrainingLog | None = None


def _render_week(week: str, report_dir: Path, weeks: int, units: Units) -> tuple[str, str, str, str]:
    """Write one week's three files; return (week, digest, verdict, top severity). Main or a forked process."""
    assert _WORKER_LOG is not None
    bundle = build_report(_WORKER_LOG, week, weeks=weeks, units=units)
    write_report(bundle, report_dir)
    flags = bundle.data["flags"]
    return week, _week_digest(bundle.data), bundle.data["verdict"], flags[0]["severity"] if flags else "ok"


def _render_changed(log: TrainingLog, result: BatchResult, manifest: dict[str, Any], settings: str, *, weeks: int,
                    units: Units, jobs: int | None, since: str | None,
                    progress: BatchCallback | None) -> None:
    global _WORKER_LOG
    same_settings = manifest.get("settings") == settings
    known: dict[str, Any] = manifest.get("weeks", {}) if same_settings else {}
    candidates = _candidate_weeks(log, everything=not (same_settings and known), ingested=result.ingest)
    candidates = [w for w in candidates if since is None or w >= since]
    manifest["settings"] = settings
    to_render = set(_weeks_to_render(log))
    manifest["weeks"] = known = {w: state for w, state in known.items() if w in to_render}
    todo: list[str] = []
    for week in candidates:  # a week the last run rendered is compared first; a new week is simply rendered
        files_exist = all((result.report_dir / f"report-{week}.{kind}").is_file() for kind in ("html", "png", "json"))
        if week in known and files_exist and \
                known[week].get("hash") == _week_digest(report_data(log, week, weeks=weeks, units=units)):
            result.unchanged_weeks += 1
        else:
            todo.append(week)
    index = _IndexWriter(log, result.report_dir, known, units=units, since=since)
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
                _record(done_weeks, len(todo), known, manifest, result, index, progress)
        else:
            done_weeks = (_render_week(week, result.report_dir, weeks, units) for week in todo)
            _record(done_weeks, len(todo), known, manifest, result, index, progress)
    finally:
        _WORKER_LOG = None
    index.write()


class _IndexWriter:
    """Writes index.html and latest.html after the first week, then every INDEX_REFRESH_S seconds, then at the end."""

    def __init__(self, log: TrainingLog, report_dir: Path, known: dict[str, Any], *, units: Units,
                 since: str | None) -> None:
        self.log, self.report_dir, self.known, self.units, self.since = log, report_dir, known, units, since
        self.last_write: float | None = None
        last_run = _last_run(log)
        self.last_run = date.fromisoformat(last_run) if last_run else None

    def maybe_write(self) -> None:
        if self.last_write is None or time.monotonic() - self.last_write >= INDEX_REFRESH_S:
            self.write()

    def write(self) -> None:
        rendered = {w: WeekState(s["verdict"], s["severity"]) for w, s in self.known.items()}
        html = render_index(self.log.weekly, rendered, units=self.units, last_run=self.last_run, since=self.since)
        write_index_files(self.report_dir, html, max(rendered) if rendered else None)
        self.last_write = time.monotonic()


def _record(done_weeks: Iterable[tuple[str, str, str, str]], total: int, known: dict[str, Any],
            manifest: dict[str, Any], result: BatchResult, index: _IndexWriter,
            progress: BatchCallback | None) -> None:
    kill_after = int(os.environ.get(KILL_AFTER_WEEKS_ENV, "0") or 0)
    for done, (week, digest, verdict, severity) in enumerate(done_weeks, start=1):
        known[week] = {"hash": digest, "verdict": verdict, "severity": severity}
        _write_manifest(result.report_dir, manifest)  # the week counts as done only once its files exist
        result.rendered.append(week)
        index.maybe_write()
        if progress is not None:
            progress(BatchStep("render", done, total, week))
        if done == kill_after:
            os.kill(os.getpid(), signal.SIGKILL)


def _fill_latest(result: BatchResult, manifest: dict[str, Any]) -> None:
    weeks = manifest.get("weeks", {})
    if weeks:
        latest = max(weeks)
        result.latest_week = latest
        result.latest_verdict = weeks[latest]["verdict"]
        result.latest_severity = weeks[latest]["severity"]
    if manifest.get("last_run"):
        result.last_run = date.fromisoformat(manifest["last_run"])
