"""The ingest pipeline: discover files, parse what is new or changed (in parallel), store, de-duplicate.

Only this module's caller talks to the user: progress arrives through a callback, the outcome as an
:class:`IngestReport`. A bad file is recorded with its one-line reason and never stops the run.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from stridewise.errors import InputError
from stridewise.metrics import ActivityMetrics, ElevationSettings, compute_metrics, settings_key
from stridewise.model import Activity
from stridewise.parsers import PARSER_VERSION, parse_bytes
from stridewise.parsers import sport as sports
from stridewise.sources import MEMBER_SEPARATOR, Archive, Problem, SourceFile, StravaHints, discover
from stridewise.store import Store


@dataclass(frozen=True)
class Failure:
    key: str
    reason: str
    unchanged: bool = False  # failed before and has not changed since, so it was not read again


@dataclass
class IngestReport:
    files_seen: int = 0
    files_parsed: int = 0
    files_unchanged: int = 0
    activities_added: int = 0
    runs_added: int = 0
    duplicates: int = 0
    metrics_recomputed: int = 0
    failures: list[Failure] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    added_starts_utc: list[datetime] = field(default_factory=list)  # start of every activity added or re-read

    @property
    def new_failures(self) -> list[Failure]:
        """Files that failed in this run; a file that failed before and has not changed is listed, not new."""
        return [f for f in self.failures if not f.unchanged]

    @property
    def ok(self) -> bool:
        """No file failed in this run. Old failures stay listed (``failures``) but no longer fail the command, so a
        nightly ``check --fail-on`` can still reach exit 3 once a folder holds one unreadable file."""
        return not self.new_failures


@dataclass(frozen=True)
class Progress:
    """One step of the run, for a progress bar: ``done`` of ``total`` files parsed so far."""

    done: int
    total: int
    key: str


ProgressCallback = Callable[[Progress], None]


@dataclass(frozen=True)
class _Outcome:
    source: SourceFile
    sha256: str | None
    activities: list[tuple[Activity, ActivityMetrics]] | None = None
    error: str | None = None
    same_content: bool = False


def ingest(paths: Iterable[Path], store: Store, *, jobs: int | None = None,
           progress: ProgressCallback | None = None, settings: ElevationSettings | None = None) -> IngestReport:
    """Bring the store up to date with ``paths``; returns what happened, never raises for a bad file."""
    settings = settings or ElevationSettings()
    key = settings_key(settings)
    report = IngestReport()
    todo: list[tuple[SourceFile, str | None]] = []
    archives: list[Archive] = []

    def archive_unchanged(key: str, size: int, mtime_ns: int) -> bool:
        if not store.archive_unchanged(key, size, mtime_ns):
            return False
        report.failures.extend(Failure(f.key, f.reason or "failed", unchanged=True)
                               for f in store.failed_files(prefix=key + MEMBER_SEPARATOR))
        return True

    for item in discover(list(paths), archive_unchanged=archive_unchanged):
        if isinstance(item, Archive):
            archives.append(item)
            continue
        if isinstance(item, Problem):
            report.failures.append(Failure(item.key, item.reason))
            continue
        report.files_seen += 1
        state = store.file_state(item.key)
        if (state is not None and (state.size, state.mtime_ns) == (item.size, item.mtime_ns)
                and state.parser_version == PARSER_VERSION):
            report.files_unchanged += 1
            if state.status == "failed":
                report.failures.append(Failure(item.key, state.reason or "failed", unchanged=True))
            continue
        known_sha = state.sha256 if state is not None and state.parser_version == PARSER_VERSION else None
        todo.append((item, known_sha))

    for done, outcome in enumerate(_parse_all(todo, jobs, settings), start=1):
        _store_outcome(store, outcome, report, key)
        if progress is not None:
            progress(Progress(done, len(todo), outcome.source.key))

    for archive in archives:
        store.record_archive(archive.key, archive.size, archive.mtime_ns, PARSER_VERSION)
    report.metrics_recomputed = refresh_metrics(store, settings)
    report.duplicates = store.resolve_duplicates()
    return report


def _parse_all(todo: list[tuple[SourceFile, str | None]], jobs: int | None,
               settings: ElevationSettings) -> Iterator[_Outcome]:
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    if workers == 1:
        yield from (parse_source(source, known, settings) for source, known in todo)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        # Results come back in order; chunks keep the per-task overhead small for thousands of small files.
        sources, known = zip(*todo, strict=True)
        yield from pool.map(parse_source, sources, known, [settings] * len(todo), chunksize=4)


def parse_source(source: SourceFile, known_sha256: str | None = None,
                 settings: ElevationSettings | None = None) -> _Outcome:
    """Read and parse one source (runs in a worker process). Never raises for bad input."""
    try:
        data = source.read()
    except InputError as exc:
        return _Outcome(source, None, error=exc.reason)
    sha256 = hashlib.sha256(data).hexdigest()
    if sha256 == known_sha256:
        return _Outcome(source, sha256, same_content=True)
    try:
        activities = parse_bytes(data, source.key)
    except InputError as exc:
        return _Outcome(source, sha256, error=exc.reason)
    for activity in activities:
        _apply_hints(activity, source.hints)
    settings = settings or ElevationSettings()
    return _Outcome(source, sha256, activities=[(a, _metrics(a, settings)) for a in activities])


def _metrics(activity: Activity, settings: ElevationSettings) -> ActivityMetrics:
    return compute_metrics(activity.stream, device_distance_m=activity.device_distance_m,
                           altitude_source=activity.altitude_source, sub_sport=activity.sub_sport, settings=settings)


def _apply_hints(activity: Activity, hints: StravaHints | None) -> None:
    """Strava's activities.csv knows what the runner called the activity, its type and the shoe."""
    if hints is None:
        return
    activity.name = hints.name or activity.name
    activity.gear_hint = hints.gear or activity.gear_hint
    if hints.type:
        activity.type_hint = hints.type
        sport, sub_sport = sports.normalize_label(hints.type)
        # The runner's own label beats a guess from the pace, never the device's sport.
        guessed = activity.sport == sports.UNKNOWN or activity.sport_source.startswith("classified by pace")
        if sport != sports.UNKNOWN and guessed:
            activity.sport, activity.sub_sport = sport, sub_sport
            activity.sport_source = f"Strava activity type '{hints.type}'"


def _store_outcome(store: Store, outcome: _Outcome, report: IngestReport, settings_key: str) -> None:
    source = outcome.source
    if outcome.same_content:
        store.touch_file(source.key, source.size, source.mtime_ns)
        report.files_unchanged += 1
        return
    report.files_parsed += 1
    if outcome.error is not None or outcome.activities is None:
        reason = outcome.error or "no activities"
        store.record_failure(source.key, source.size, source.mtime_ns, outcome.sha256, reason, PARSER_VERSION)
        report.failures.append(Failure(source.key, reason))
        return
    store.record_activities(source.key, source.size, source.mtime_ns, outcome.sha256 or "", PARSER_VERSION,
                            [(a, m.values()) for a, m in outcome.activities], settings_key)
    report.activities_added += len(outcome.activities)
    report.runs_added += sum(1 for a, _ in outcome.activities if a.is_run)
    report.added_starts_utc.extend(a.start_utc for a, _ in outcome.activities)
    for activity, _ in outcome.activities:
        report.warnings.extend((source.key, w) for w in activity.warnings)


def refresh_metrics(store: Store, settings: ElevationSettings) -> int:
    """Recompute, from the stored streams, every activity's metrics made by other code or settings."""
    key = settings_key(settings)
    stale = store.stale_metrics(key)
    for activity_id in stale:
        device_distance_m, altitude_source, sub_sport = store.metrics_inputs(activity_id)
        metrics = compute_metrics(store.stream(activity_id), device_distance_m=device_distance_m,
                                  altitude_source=altitude_source, sub_sport=sub_sport, settings=settings)
        store.save_metrics(activity_id, metrics.values(), key)
    return len(stale)
