"""``stridewise batch``: the nightly run. Its options are shared with ``stridewise schedule`` (schedule_cmd.py)."""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Final

import typer

from stridewise.cli.common import EXIT_FLAGGED, ConfigOption, DbOption, JobsOption, UnitsOption
from stridewise.cli.risk_cmd import FailOn
from stridewise.errors import UsageError

if TYPE_CHECKING:
    from stridewise.batch import BatchResult, BatchStep

_RANK = {"ok": -1, "none": -1, "info": 0, "elevated": 1, "high": 2}


class NotifyOn(StrEnum):
    info = "info"
    elevated = "elevated"
    high = "high"


LogDir = Annotated[Path, typer.Argument(help="The folder your watch software syncs into.", exists=True,
                                        file_okay=False, resolve_path=True)]
OutDir = Annotated[Path, typer.Option("--out", help="Folder for the reports (index.html, latest.html, one per "
                                                    "week).", file_okay=False, resolve_path=True)]
AthletesOption = Annotated[bool, typer.Option("--athletes", help="Each subfolder of LOG_DIR is one athlete, with "
                                                                 "its own store, config and report folder.")]
WeeksOption = Annotated[int, typer.Option("--weeks", min=4, max=260, help="Weeks shown in each report's charts.")]
FailOnOption = Annotated[FailOn | None, typer.Option("--fail-on", help="Exit 3 when the latest week has a flag at "
                                                                       "or above this severity.")]
SinceOption = Annotated[str | None, typer.Option("--since", help="Render weekly reports from this ISO week on, e.g. "
                                                                 "2025-W01 (older weeks still count).")]
NotifyOption = Annotated[list[str] | None, typer.Option(
    "--notify", help="Send new flags to this Apprise URL (repeatable), e.g. ntfy://my-topic or mailtos://... "
                     "Default: $STRIDEWISE_NOTIFY, else [notify] urls in the config.", show_default=False)]
NotifyOnOption = Annotated[NotifyOn | None, typer.Option(
    "--notify-on", help="Lowest severity that is sent (default: [notify] on in the config, else elevated).",
    show_default=False)]


def check_since(since: str | None) -> None:
    """A malformed --since is a usage error before anything runs."""
    from stridewise.weeks import parse_week

    if since is not None:
        parse_week(since)


def check_notify(urls: list[str] | None) -> None:
    """A --notify URL Apprise cannot use is a usage error (exit 2); in the config it is a config error (exit 1)."""
    from stridewise.batch import NotifySettings
    from stridewise.batch.notify import check_urls
    from stridewise.errors import NotifyError

    try:
        check_urls(NotifySettings(tuple(urls or ())))
    except NotifyError as exc:
        raise UsageError(str(exc)) from None


def batch(
    log_dir: LogDir,
    out: OutDir,
    athletes: AthletesOption = False,
    weeks: WeeksOption = 16,
    units: UnitsOption = None,
    fail_on: FailOnOption = None,
    since: SinceOption = None,
    notify: NotifyOption = None,
    notify_on: NotifyOnOption = None,
    db: DbOption = None,
    config: ConfigOption = None,
    jobs: JobsOption = None,
) -> None:
    """Unattended run over a log folder: ingest new or changed files, re-render only the weeks that changed, and
    send each new flag once (--notify).

    Writes report-<week>.html/.png/.json for every week with runs or a flag (newest first), index.html, latest.html and
    problems.json. Exit codes: 0 ok, 1 files failed in this run (listed in problems.json), 3 with --fail-on, 75
    when another batch holds the lock. A notification that cannot be sent is listed in problems.json and retried
    on the next run; it never changes the exit code.

    Example:

        stridewise batch ~/Garmin/Activities --out ~/stridewise-reports --notify ntfy://my-secret-topic
    """
    from stridewise.batch import ATHLETE_DB_NAME, athlete_folders, run_batch, write_athletes_index

    check_since(since)
    check_notify(notify)
    progress = _ProgressBars() if sys.stderr.isatty() else None
    options: dict[str, Any] = {"config_path": config, "jobs": jobs, "weeks": weeks,
                               "units": units.value if units else None, "since": since, "notify_urls": notify or (),
                               "notify_on": notify_on.value if notify_on else None, "progress": progress}
    results: list[tuple[str, BatchResult]] = []
    try:
        if athletes:
            for folder in athlete_folders(log_dir):
                if progress is not None:
                    typer.echo(f"{folder.name}:", err=True)
                results.append((folder.name, run_batch(folder, out / folder.name, athlete=folder.name,
                                                       db=out / folder.name / ATHLETE_DB_NAME, **options)))
            write_athletes_index(out, results)
        else:
            results.append(("", run_batch(log_dir, out, db=db, **options)))
    finally:
        if progress is not None:
            progress.close()

    new_failures = sum(_summary(name, result) for name, result in results)
    typer.echo(f"Reports: {out / 'index.html'}")
    if new_failures:
        raise typer.Exit(code=1)
    if fail_on is not None and any(_RANK[r.latest_severity] >= _RANK[fail_on.value] for _, r in results):
        raise typer.Exit(code=EXIT_FLAGGED)


def _summary(name: str, result: BatchResult) -> int:
    """Print one run's summary; return how many files failed in this run (old failures do not count)."""
    prefix = f"{name}: " if name else ""
    if result.took_over:
        typer.echo(f"{prefix}took over the lock of a run that did not finish ({result.took_over})")
    parsed = result.ingest.files_parsed
    weeks_text = ("no change since the last run" if result.nothing_changed else
                  f"{len(result.rendered)} week(s) rendered, {result.unchanged_weeks} unchanged")
    typer.echo(f"{prefix}{parsed} file(s) read, {result.ingest.files_unchanged} unchanged; {weeks_text}.")
    if result.latest_week:
        typer.echo(f"{prefix}{result.latest_week}: {result.latest_verdict}")
    fresh = [f for f in result.ingest.failures if not f.unchanged]
    for failure in fresh:
        typer.echo(f"{prefix}could not read {failure.key}: {failure.reason}")
    if result.problems and not fresh:
        typer.echo(f"{prefix}{len(result.problems)} known problem file(s), see {result.report_dir / 'problems.json'}")
    for sent in result.notified.messages:
        what = f"{sent.week} ({sent.flags} new flag{'s' if sent.flags > 1 else ''})"
        if sent.failure is None:
            typer.echo(f"{prefix}notified {sent.destination}: {what}")
        else:
            typer.echo(f"{prefix}could not notify {sent.destination}: {sent.failure} (retried on the next run)")
    return len(fresh)


class _ProgressBars:
    """A progress bar per stage (files parsed, weeks rendered) on stderr; the CLI uses it only on a terminal."""

    _LABELS: Final = {"parse": "Reading files  ", "render": "Rendering weeks"}

    def __init__(self) -> None:
        self._bar: Any = None
        self._stage: str | None = None
        self._done = 0

    def __call__(self, step: BatchStep) -> None:
        if step.stage != self._stage:
            self.close()
            self._bar = typer.progressbar(length=step.total, label=self._LABELS.get(step.stage, step.stage),
                                          file=sys.stderr, show_pos=True, show_eta=True)
            self._bar.__enter__()
            self._stage, self._done = step.stage, 0
        self._bar.update(step.done - self._done)
        self._done = step.done
        if step.done >= step.total:
            self.close()

    def close(self) -> None:
        if self._bar is not None:
            self._bar.__exit__(None, None, None)
            self._bar, self._stage = None, None
