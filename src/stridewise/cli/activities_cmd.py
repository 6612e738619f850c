"""``stridewise activities``."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from stridewise.cli.common import ConfigOption, DbOption, JobsOption, OptionalPaths, UnitsOption, apply_units
from stridewise.cli.ingest_cmd import summary_text


def activities(
    paths: OptionalPaths = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON list, one object per activity.")] = False,
    include_duplicates: Annotated[bool, typer.Option("--all", help="Include copies marked as duplicates.")] = False,
    units: UnitsOption = None,
    db: DbOption = None,
    config: ConfigOption = None,
    jobs: JobsOption = None,
) -> None:
    """List the stored activities with their metrics (ingesting PATHs first, if given).

    Example:

        stridewise activities ~/Garmin/Activities --json > activities.json
    """
    from stridewise.api import load
    from stridewise.jsonout import activity_dict, local_start
    from stridewise.units import distance_in

    log = apply_units(load(paths or [], config=config, db=db, jobs=jobs), units)
    unit = log.config.units
    report = log.ingest_report
    if report is not None and report.failures:
        typer.echo(summary_text(report), err=True)
    derived: dict[int, dict[str, Any]] = {
        int(row["id"]): row for row in log.activities.to_dict(orient="records")}  # type: ignore[misc]
    records = [r for r in log.records if include_duplicates or r.duplicate_of is None]
    if as_json:
        rows = [activity_dict(r, log.zone, derived.get(r.id)) for r in records]
        typer.echo(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        for r in records:
            extra = derived.get(r.id, {})
            distance = (f"{distance_in(r.distance_m, unit):7.2f} {unit}" if r.distance_m is not None
                        else f"      - {unit}")
            descent = f"{r.descent_m:5.0f} m down" if r.descent_m is not None else "    - m down"
            surface, shoe = (value if isinstance(value, str) else "" for value in (extra.get("surface"),
                                                                                 extra.get("shoe")))
            kind = r.sport + (f"/{surface}" if surface else "")
            typer.echo(f"{r.id:5d}  {local_start(r, log.zone):%Y-%m-%d %H:%M}  {kind:18s} {distance} {descent}  "
                       f"{shoe:14s} {r.name or ''}" + (f"  [copy of {r.duplicate_of}: {r.duplicate_reason}]"
                                                       if r.duplicate_of is not None else ""))
    if report is not None and not report.ok:
        raise typer.Exit(code=1)
