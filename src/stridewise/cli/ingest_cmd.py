"""``stridewise ingest``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stridewise.cli.common import ConfigOption, DbOption, JobsOption, fail, open_store

if TYPE_CHECKING:
    from stridewise.ingest import IngestReport, Progress, ProgressCallback

PathsArgument = Annotated[
    list[Path], typer.Argument(help="Files, folders (searched recursively) and zip archives.", show_default=False),
]


def ingest(paths: PathsArgument, db: DbOption = None, config: ConfigOption = None, jobs: JobsOption = None) -> None:
    """Read activity files (FIT, GPX, TCX, gzip, Strava and Garmin export zips) into the store.

    Unchanged files are not read again. A file that cannot be read is listed with its reason and the run goes
    on; the exit code is then 1.

    Example:

        stridewise ingest ~/Garmin/Activities ~/Downloads/export_12345.zip --jobs 4
    """
    from stridewise.config import load_config
    from stridewise.ingest import ingest as run_ingest

    settings = load_config(config, paths).elevation
    with open_store(db) as store:
        report = run_ingest(paths, store, jobs=jobs, progress=_progress_printer(), settings=settings)
    typer.echo(summary_text(report))
    if not report.ok:
        raise fail(f"{len(report.new_failures)} file(s) could not be read (listed above)")


def _progress_printer() -> ProgressCallback | None:
    if not sys.stderr.isatty():
        return None

    def show(step: Progress) -> None:
        end = "\n" if step.done == step.total else ""
        typer.echo(f"\rParsing {step.done}/{step.total} files", err=True, nl=False)
        if end:
            typer.echo("", err=True)

    return show


def summary_text(report: IngestReport) -> str:
    lines = [
        f"Files: {report.files_seen} found, {report.files_parsed} read, {report.files_unchanged} unchanged.",
        f"Activities: {report.activities_added} added ({report.runs_added} runs); "
        f"{report.duplicates} stored copies are duplicates of another file and do not count.",
    ]
    if report.surfaces_matched:
        lines.append(f"Surface: {report.surfaces_matched} runs matched on the imported map.")
    if report.warnings:
        lines.append(f"Warnings ({len(report.warnings)}):")
        lines.extend(f"  {key}: {message}" for key, message in report.warnings)
    if report.failures:
        lines.append(f"Could not read ({len(report.failures)}):")
        lines.extend(f"  {f.key}: {f.reason}" + (" (unchanged since the last try)" if f.unchanged else "")
                     for f in report.failures)
    return "\n".join(lines)
