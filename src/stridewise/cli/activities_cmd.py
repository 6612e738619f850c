"""``stridewise activities``."""

from __future__ import annotations

import math
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
    from stridewise.jsontext import dumps, plain
    from stridewise.units import distance_in

    log = apply_units(load(paths or [], config=config, db=db, jobs=jobs), units)
    unit = log.config.units
    report = log.ingest_report
    if report is not None and report.failures:
        typer.echo(summary_text(report), err=True)
    # plain(): a column that is empty for some rows holds NaN there, which must read as "none", not as a float.
    derived: dict[int, dict[str, Any]] = {
        int(row["id"]): plain(row) for row in log.activities.to_dict(orient="records")}
    records = [r for r in log.records if include_duplicates or r.duplicate_of is None]
    if as_json:
        rows = [activity_dict(r, log.zone, derived.get(r.id)) for r in records]
        typer.echo(dumps(rows))
    else:
        for r in records:
            extra = derived.get(r.id, {})
            distance = _number(None if r.distance_m is None else distance_in(r.distance_m, unit), "7.2f") + f" {unit}"
            descent = _number(r.descent_m, "5.0f") + " m down"
            surface, shoe = (value if isinstance(value, str) else "" for value in (extra.get("surface"),
                                                                                 extra.get("shoe")))
            kind = r.sport + (f"/{surface}" if surface else "")
            left_out = (f"  [copy of {r.duplicate_of}: {r.duplicate_reason}]" if r.duplicate_of is not None
                        else "" if r.counted else f"  (not counted: {r.not_counted_because})")
            typer.echo(f"{r.id:5d}  {local_start(r, log.zone):%Y-%m-%d %H:%M}  {kind:18s} {distance} {descent}  "
                       f"{shoe:14s} {r.name or ''}{left_out}")
    if report is not None and not report.ok:
        raise typer.Exit(code=1)


def _number(value: float | None, spec: str) -> str:
    """``value`` formatted, or a dash in the same width where it is missing or not finite."""
    if value is None or not math.isfinite(value):
        return f"{'-':>{int(float(spec[:-1]))}}"
    return format(value, spec)
