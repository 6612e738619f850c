"""``stridewise report``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stridewise.cli.common import ConfigOption, DbOption, JobsOption, OptionalPaths, UnitsOption, apply_units
from stridewise.cli.ingest_cmd import summary_text


def report(
    paths: OptionalPaths = None,
    out: Annotated[Path, typer.Option("--out", help="Folder to write the report into.", file_okay=False)] = Path("."),
    week: Annotated[str | None, typer.Option("--week", help="ISO week such as 2026-W47 (default: this week, "
                                                            "else the last week with data).")] = None,
    weeks: Annotated[int, typer.Option("--weeks", min=4, max=260, help="Weeks shown in the charts.")] = 16,
    units: UnitsOption = None,
    db: DbOption = None,
    config: ConfigOption = None,
    jobs: JobsOption = None,
) -> None:
    """Write the weekly risk report: a self-contained HTML page, a PNG summary card and the data as JSON.

    Files: report-<week>.html, report-<week>.png and report-<week>.json in --out.

    Example:

        stridewise report ~/Garmin/Activities --out ~/stridewise-reports --weeks 16 --units mi
    """
    from stridewise.api import load
    from stridewise.report import build_report, write_report

    log = apply_units(load(paths or [], config=config, db=db, jobs=jobs), units)
    chosen = log.week_or_latest(week)
    bundle = build_report(log, chosen, weeks=weeks, units=log.config.units)
    written = write_report(bundle, out)
    if log.ingest_report is not None and log.ingest_report.failures:
        typer.echo(summary_text(log.ingest_report), err=True)
    typer.echo(f"Week {bundle.week}: {bundle.data['verdict']}")
    for path in written:
        typer.echo(f"Wrote {path}")
    if log.ingest_report is not None and not log.ingest_report.ok:
        raise typer.Exit(code=1)



