"""``stridewise shoes``: distance on each pair, the worn-shoe limits, assignments."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Annotated, Any, Final

import typer

from stridewise.cli.common import (
    ConfigOption,
    DbOption,
    JobsOption,
    OptionalPaths,
    UnitsOption,
    apply_units,
    fail,
    open_store,
)
from stridewise.cli.ingest_cmd import summary_text
from stridewise.frames import SURFACES
from stridewise.units import Units

shoes_app = typer.Typer(
    help="Shoes: the distance on each pair and when it reaches the worn-shoe limits (notice at 500 km, replace at "
         "800 km, convention grade).\n\nExample:\n\n    stridewise shoes list ~/Garmin/Activities",
    no_args_is_help=True,
)

# default_for accepts a surface, or "running" for every run without a named shoe (config.Shoe).
DEFAULT_FOR_CHOICES: Final = (*SURFACES, "running")
_DAY_PATTERN: Final = re.compile(r"\d{4}-\d{2}-\d{2}")
DAYS_PER_WEEK: Final = 7
# EVIDENCE.md, worn shoes: "300-500 miles (480-800 km) is the common retail/coaching figure".
SHOE_RANGE_KM: Final = (480.0, 800.0)


def parse_day(value: str | date) -> date:
    """A date written exactly as YYYY-MM-DD; anything else is a usage error (exit 2)."""
    if isinstance(value, date):
        return value
    if _DAY_PATTERN.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise typer.BadParameter(f"{value!r} is not a date like 2026-03-01 (YYYY-MM-DD)")


def _day_option(flag: str, help_text: str) -> Any:
    return typer.Option(flag, parser=parse_day, metavar="YYYY-MM-DD", help=help_text, show_default=False)


@shoes_app.command("list")
def list_shoes(
    paths: OptionalPaths = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as a JSON list, one object per shoe.")]
    = False,
    as_of: Annotated[date | None, _day_option("--as-of", "Count runs up to this day (default: today).")] = None,
    units: UnitsOption = None,
    db: DbOption = None,
    config: ConfigOption = None,
    jobs: JobsOption = None,
) -> None:
    """Show each shoe's distance, its wear per week and the day it reaches (or reached) its limits.

    The projection spreads the distance of the last 28 days evenly over those days. Ingests PATHs first, if given.

    Example:

        stridewise shoes list ~/Garmin/Activities --config ~/stridewise.toml
    """
    from stridewise.api import load
    from stridewise.jsontext import dumps
    from stridewise.metrics.shoe_report import active_shoes, report_records, shoe_report, unassigned_runs

    today = as_of or date.today()
    log = apply_units(load(paths or [], config=config, db=db, jobs=jobs), units)
    report = shoe_report(log.activities, log.shoes, today=today)
    ingested = log.ingest_report
    if ingested is not None and not ingested.ok:
        typer.echo(summary_text(ingested), err=True)
    if as_json:
        typer.echo(dumps(report_records(report)))
    else:
        unassigned = unassigned_runs(log.activities, today=today)
        typer.echo(_table_text(report_records(report), active_shoes(report), unassigned=unassigned, today=today,
                               units=log.config.units))
    if ingested is not None and not ingested.ok:
        raise fail(f"{len(ingested.new_failures)} file(s) could not be read (listed above)")


def _table_text(rows: list[dict[str, Any]], active: list[str], *, unassigned: int, today: date,
                units: Units = "km") -> str:
    from stridewise.metrics.shoe_report import RATE_WINDOW_DAYS
    from stridewise.units import km_in

    if not rows:
        return ("No shoes yet: declare one with `stridewise shoes add NAME`, or ingest a Strava export whose runs "
                "name their gear.")
    width = max(len("shoe"), *(len(r["name"]) for r in rows))
    per = f"{units}/week"
    lines = [f"{'shoe':{width}}  {'status':8} {units:>7} {'runs':>5}  {'last run':10} {per:>8}  limits"]
    for r in rows:
        per_week = km_in(r["rate_km_per_day"] * DAYS_PER_WEEK, units)
        lines.append(f"{r['name']:{width}}  {r['status']:8} {km_in(r['distance_km'], units):7.1f} {r['runs']:5d}  "
                     f"{r['last_run'] or '-':10} {per_week:8.1f}  {_limits_text(r, units)}")
    low, high = (km_in(SHOE_RANGE_KM[0], units), km_in(SHOE_RANGE_KM[1], units))
    lines.append(f"{per}: the last {RATE_WINDOW_DAYS // DAYS_PER_WEEK} weeks up to {today.isoformat()}. The "
                 f"limits are a rule of thumb (convention grade): shops and coaches say {low:.0f}-{high:.0f} {units}; "
                 "no injury study gives the number.")
    if len(active) == 1:
        lines.append(f"Only one pair in use ({active[0]}): consider rotating two pairs. Runners who used more than "
                     "one pair had fewer injuries (Malisoux et al. 2015, HR 0.61).")
    if unassigned:
        lines.append(f"{unassigned} run(s) have no shoe: assign one with `stridewise shoes assign ID SHOE`, or "
                     "give a shoe default_for in the config.")
    return "\n".join(lines)


def _limits_text(r: dict[str, Any], units: Units = "km") -> str:
    """'passed notice on <date> (500 km)', 'replace at 800 km on <date>', or why there is no date."""
    from stridewise.units import km_in

    retired = r["status"] == "retired"
    parts = [f"retired on {r['retired_on']}"] if retired else []
    undated: list[str] = []
    for label in ("notice", "replace"):
        limit_km, when = r[f"{label}_km"], r[f"{label}_date"]
        limit = f"{km_in(limit_km, units):.0f} {units}"
        if r["distance_km"] >= limit_km:
            parts.append(f"passed {label} on {when} ({limit})" if when
                         else f"passed {label} before the first logged run ({limit})")
        elif not retired:
            (parts if when else undated).append(f"{label} at {limit}" + (f" on {when}" if when else ""))
    if undated:
        parts.append(", ".join(undated) + ": no date (no runs in the last 4 weeks)")
    return "; ".join(parts)


def _default_for(values: list[str] | None) -> tuple[str, ...]:
    chosen = tuple(v.strip().lower() for v in values or [])
    for value in chosen:
        if value not in DEFAULT_FOR_CHOICES:
            raise typer.BadParameter(f"{value!r} is not one of {', '.join(DEFAULT_FOR_CHOICES)}",
                                     param_hint="--default-for")
    return chosen


def _edit_path(config: Path | None) -> Path:
    """The file add/retire edit: --config (created if missing), else the one found, else the user's."""
    from stridewise.config import find_config, user_config_path

    if config is not None:
        return config
    found = find_config()
    return found or user_config_path()


def _store_exists(db: Path | None) -> bool:
    from stridewise.store import default_db_path

    return (db or default_db_path()).is_file()


@shoes_app.command("add")
def add(
    name: Annotated[str, typer.Argument(help="The shoe's name, as you want to see it (and as Strava names it).")],
    first_use: Annotated[date | None, _day_option("--first-use", "First day in use (for default_for).")] = None,
    initial_km: Annotated[float, typer.Option("--initial-km", min=0,
                                              help="Kilometres already on the pair before its first logged run.")]
    = 0.0,
    notice_km: Annotated[float | None, typer.Option("--notice-km", min=0, show_default=False, help=(
        "Notice limit (default: the config's shoe_limits, else 500)."))] = None,
    replace_km: Annotated[float | None, typer.Option("--replace-km", min=0, show_default=False, help=(
        "Replace limit (default: the config's shoe_limits, else 800)."))] = None,
    default_for: Annotated[list[str] | None, typer.Option("--default-for", show_default=False, help=(
        f"Runs without a named shoe on this surface wear it; repeat for more ({', '.join(DEFAULT_FOR_CHOICES)})."
    ))] = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Declare a shoe in the config file (its comments and layout are kept).

    With a store (--db), says how much the store's runs already put on the pair.

    Example:

        stridewise shoes add "Pegasus 41" --first-use 2026-11-20 --initial-km 12 --default-for road
    """
    from stridewise.api import load
    from stridewise.config import Shoe
    from stridewise.config_edit import add_shoe, limit_defaults
    from stridewise.metrics.shoe_report import DISTANCE_KM, NAME, RUNS, shoe_report

    if not name.strip():
        raise typer.BadParameter("the name is empty", param_hint="NAME")
    surfaces = _default_for(default_for)
    path = _edit_path(config)
    existed = path.is_file()
    notice_default, replace_default = limit_defaults(path)
    notice = notice_km if notice_km is not None else notice_default
    replace = replace_km if replace_km is not None else replace_default
    if replace <= notice:
        raise typer.BadParameter(f"must be above the notice limit ({notice:g} km)", param_hint="--replace-km")
    add_shoe(path, Shoe(name=name.strip(), first_use=first_use, initial_km=initial_km, notice_km=notice,
                        replace_km=replace, default_for=surfaces))
    if not existed:
        typer.echo(f"No config file was found; created {path}.")
    typer.echo(f"Added {name.strip()!r} to {path}: notice at {notice:g} km, replace at {replace:g} km.")
    if _store_exists(db):  # never create a store just to say it is empty
        log = load(config=path, db=db)
        report = shoe_report(log.activities, log.shoes, today=date.today())
        row = report[report[NAME].str.lower() == name.strip().lower()].iloc[0]
        typer.echo(f"It has {row[DISTANCE_KM]:.1f} km from {row[RUNS]} logged run(s) so far.")


@shoes_app.command("retire")
def retire(
    name: Annotated[str, typer.Argument(help="The shoe to retire (case does not matter).")],
    on: Annotated[date | None, _day_option("--on", "Last day in use (default: today).")] = None,
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Mark a shoe as retired: its runs still count, but it gets no projection and is no longer a default.

    A shoe known only from Strava's gear (in the store, --db) is declared in the config file with its retire date.

    Example:

        stridewise shoes retire "Pegasus 40" --on 2026-11-20
    """
    from stridewise.config import Shoe, load_config
    from stridewise.config_edit import add_shoe, limit_defaults, retire_shoe

    day = on or date.today()
    path = _edit_path(config)
    existed = path.is_file()
    configured = load_config(path).shoes if existed else ()
    known = next((s.name for s in configured if s.name.lower() == name.strip().lower()), None)
    if known is None and (strava := _strava_shoe(name, db)) is not None:
        notice, replace = limit_defaults(path)
        add_shoe(path, Shoe(name=strava, retire=day, notice_km=notice, replace_km=replace))
        if not existed:
            typer.echo(f"No config file was found; created {path}.")
        typer.echo(f"Declared {strava!r} (from Strava's gear) in {path}, retired on {day.isoformat()}.")
        return
    retire_shoe(path, name, day)
    typer.echo(f"Retired {known or name.strip()!r} on {day.isoformat()} in {path}.")


def _strava_shoe(name: str, db: Path | None) -> str | None:
    """The shoe as Strava's gear spells it on a stored run, or None (also when there is no store yet)."""
    if not _store_exists(db):
        return None
    with open_store(db) as store:
        gear = {r.gear.lower(): r.gear for r in store.activities() if r.is_run and r.gear}
    return gear.get(name.strip().lower())


@shoes_app.command("assign")
def assign(
    activity_id: Annotated[int, typer.Argument(help="The activity's id (see `stridewise activities`).")],
    shoe: Annotated[str, typer.Argument(help="A declared shoe, or one Strava's gear names (case does not matter).")],
    db: DbOption = None,
    config: ConfigOption = None,
) -> None:
    """Say which shoe a run was done in. It wins over Strava's gear and the config's defaults.

    Example:

        stridewise shoes assign 42 "Speedgoat 5"
    """
    from stridewise.config import load_config
    from stridewise.jsonout import local_start
    from stridewise.metrics.shoe_report import M_PER_KM
    from stridewise.metrics.shoes import registered_shoes

    with open_store(db) as store:
        records = {r.id: r for r in store.activities(include_duplicates=True)}
        record = records.get(activity_id)
        if record is None:
            raise fail(f"no activity with id {activity_id} (see `stridewise activities`)")
        if not record.is_run:
            raise fail(f"activity {activity_id} is {record.sport}, not a run: only runs count for shoes")
        if record.duplicate_of is not None:
            raise fail(f"activity {activity_id} is a copy of activity {record.duplicate_of} and does not count; "
                       f"assign {record.duplicate_of} instead")
        settings = load_config(config)
        shoes = registered_shoes(settings.shoes, [r.gear for r in records.values() if r.is_run])
        match = next((s.name for s in shoes if s.name.lower() == shoe.strip().lower()), None)
        if match is None:
            known = ", ".join(repr(s.name) for s in shoes) or "none"
            raise fail(f"unknown shoe {shoe!r} (known: {known}); run `stridewise shoes add {shoe!r}` to register it")
        store.assign_shoe(activity_id, match)
        start = local_start(record, settings.zone())
    km = (record.distance_m or 0.0) / M_PER_KM
    typer.echo(f"Activity {activity_id} ({start:%Y-%m-%d} {record.name or 'run'}, {km:.2f} km) now counts for "
               f"{match!r}.")
