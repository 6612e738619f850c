"""The ingest pipeline: discover files, parse what is new or changed (in parallel), store, de-duplicate.

Only this module's caller talks to the user: progress arrives through a callback, the outcome as an
:class:`IngestReport`. A bad file is recorded with its one-line reason and never stops the run.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from stridewise.ingest.parse import Outcome, Parsed, parse_source
from stridewise.ingest.workers import parse_isolated
from stridewise.metrics import ElevationSettings, settings_key
from stridewise.metrics.refresh import refresh_metrics
from stridewise.parsers import PARSER_VERSION
from stridewise.sources import MEMBER_SEPARATOR, Archive, Problem, SourceFile, discover
from stridewise.store import Store
from stridewise.surface import match_runs


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
    surfaces_matched: int = 0  # runs matched on the imported OpenStreetMap ways
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


def ingest(paths: Iterable[Path], store: Store, *, jobs: int | None = None,
           progress: ProgressCallback | None = None, settings: ElevationSettings | None = None) -> IngestReport:
    """Bring the store up to date with ``paths``; returns what happened, never raises for a bad file."""
    settings = settings or ElevationSettings()
    key = settings_key(settings)
    report = IngestReport()
    todo: list[tuple[SourceFile, str | None]] = []  # with the SHA-256 the store holds for each
    archives: list[Archive] = []

    def archive_unchanged(key: str, size: int, mtime_ns: int) -> bool:
        # A parser upgrade must re-read the members too, so an archive listed by an older parser is opened again.
        state = store.file_state(key)
        if (state is None or (state.size, state.mtime_ns) != (size, mtime_ns)
                or state.parser_version != PARSER_VERSION):
            return False
        if state.status == "failed":  # a damaged archive, not changed since it failed
            report.failures.append(Failure(key, state.reason or "failed", unchanged=True))
            return True
        if state.status != "archive":
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
            if item.size is not None and item.mtime_ns is not None:  # an archive: remembered until it changes
                store.record_failure(item.key, item.size, item.mtime_ns, None, item.reason, PARSER_VERSION)
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

    with closing(parse_isolated(todo, jobs, settings)) as outcomes:
        for done, outcome in enumerate(outcomes, start=1):
            _store_outcome(store, outcome, report, key)
            if progress is not None:
                progress(Progress(done, len(todo), outcome.source.key))

    for archive in archives:
        store.record_archive(archive.key, archive.size, archive.mtime_ns, PARSER_VERSION)
    report.metrics_recomputed = refresh_metrics(store, settings)
    report.duplicates = store.resolve_duplicates()
    report.surfaces_matched = match_runs(store)  # new runs on an imported map (none while no map is imported)
    return report


def _store_outcome(store: Store, outcome: Outcome, report: IngestReport, settings_key: str) -> None:
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
    parsed = outcome.activities
    store.record_activities(source.key, source.size, source.mtime_ns, outcome.sha256 or "", PARSER_VERSION,
                            [(p.activity, p.metrics.values()) for p in parsed], settings_key,
                            packed=[p.stream for p in parsed])
    report.activities_added += len(parsed)
    report.runs_added += sum(1 for p in parsed if p.activity.is_run)
    report.added_starts_utc.extend(p.activity.start_utc for p in parsed)
    for p in parsed:
        report.warnings.extend((source.key, w) for w in p.activity.warnings)


__all__ = ["Failure", "IngestReport", "Outcome", "Parsed", "Progress", "ProgressCallback", "ingest", "parse_source",
           "refresh_metrics"]
