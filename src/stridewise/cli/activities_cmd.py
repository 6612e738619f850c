"""``stridewise activities``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from stridewise.cli.common import DbOption, JobsOption, open_store
from stridewise.cli.ingest_cmd import summary_text
from stridewise.ingest import ingest as run_ingest
from stridewise.jsonout import activity_dict, local_start

OptionalPaths = Annotated[
    list[Path] | None,
    typer.Argument(help="Files, folders or zips to ingest first (optional).", show_default=False),
]


def activities(
    paths: OptionalPaths = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list, one object per activity.")] = False,
    include_duplicates: Annotated[bool, typer.Option("--all", help="Include copies marked as duplicates.")] = False,
    db: DbOption = None,
    jobs: JobsOption = None,
) -> None:
    """List the stored activities (ingesting PATHs first, if given).

    Example:

        stridewise activities ~/Garmin/Activities --json > activities.json
    """
    with open_store(db) as store:
        failed = False
        if paths:
            report = run_ingest(paths, store, jobs=jobs)
            failed = not report.ok
            if failed:
                typer.echo(summary_text(report), err=True)
        records = store.activities(include_duplicates=include_duplicates)
    if as_json:
        typer.echo(json.dumps([activity_dict(r) for r in records], indent=2, ensure_ascii=False))
    else:
        for r in records:
            distance = f"{r.distance_m / 1000:7.2f} km" if r.distance_m is not None else "      - km"
            minutes = f"{(r.duration_s or 0) / 60:6.1f} min"
            kind = r.sport + (f"/{r.sub_sport}" if r.sub_sport else "")
            typer.echo(f"{r.id:5d}  {local_start(r):%Y-%m-%d %H:%M}  {kind:22s} {distance} {minutes}  "
                       f"{r.name or ''}")
    if failed:
        raise typer.Exit(code=1)
