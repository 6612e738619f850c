"""``stridewise pain``: the pain journal (record, import, list). It records what you felt; it never diagnoses."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Final

import typer

from stridewise.cli.common import DbOption, open_store

if TYPE_CHECKING:
    from stridewise.risk.pain import Episode
    from stridewise.store.pain import PainEntry

pain_app = typer.Typer(
    help="The pain journal: record how much it hurt (0 none - 10 worst) and where, see the pain episodes, and when "
         "to see a professional. stridewise never diagnoses.\n\nExample:\n\n"
         "    stridewise pain add today 3 --where \"lower back\"",
    no_args_is_help=True,
)

_DAY_PATTERN: Final = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_pain_day(value: str | date) -> date:
    """``today`` or a date written YYYY-MM-DD, not in the future; anything else is a usage error (exit 2)."""
    if isinstance(value, date):
        return value
    today = date.today()
    if value.strip().lower() == "today":
        return today
    try:
        day = date.fromisoformat(value) if _DAY_PATTERN.fullmatch(value) else None
    except ValueError:
        day = None
    if day is None:
        raise typer.BadParameter(f"{value!r} is not a date like 2026-03-01 (YYYY-MM-DD) or 'today'")
    if day > today:
        raise typer.BadParameter(f"{value} is in the future (today is {today.isoformat()})")
    return day


@pain_app.command("add")
def add(
    day: Annotated[date, typer.Argument(parser=parse_pain_day, metavar="DATE", show_default=False,
                                        help="The day it hurt: YYYY-MM-DD, or 'today'.")],
    level: Annotated[int, typer.Argument(min=0, max=10, metavar="LEVEL", show_default=False,
                                         help="How much: 0 no pain, 10 the worst imaginable.")],
    where: Annotated[str | None, typer.Option("--where", show_default=False,
                                              help="Where it hurt, e.g. \"lower back\".")] = None,
    note: Annotated[str | None, typer.Option("--note", show_default=False,
                                             help="Anything worth remembering (what you did, how it felt).")] = None,
    db: DbOption = None,
) -> None:
    """Record pain on a day (level 0 records a pain-free day).

    Example:

        stridewise pain add 2026-03-02 4 --where "lower back" --note "stiff after the hill repeats"
    """
    with open_store(db) as store:
        entry_id = store.add_pain(day, level, (where or "").strip() or None, (note or "").strip() or None)
    place = f" ({where.strip()})" if where and where.strip() else ""
    typer.echo(f"Recorded pain {level}/10{place} on {day.isoformat()} (entry {entry_id}).")


@pain_app.command("import")
def import_csv(
    file: Annotated[Path, typer.Argument(metavar="FILE.csv", dir_okay=False, show_default=False,
                                         help="A CSV with the header date,level,where,note (where, note optional).")],
    db: DbOption = None,
) -> None:
    """Import pain entries from a CSV file. A bad row stops the import and names its line; nothing is stored then.

    Rows identical to an entry already recorded are skipped, so importing the same file twice is harmless.

    Example:

        stridewise pain import pain.csv
    """
    from stridewise.store.pain_csv import import_pain_csv

    with open_store(db) as store:
        result = import_pain_csv(store, file)
    skipped = f" ({result.skipped} already recorded, skipped)" if result.skipped else ""
    typer.echo(f"Imported {result.added} pain {_entries(result.added)} from {file}{skipped}.")


@pain_app.command("list")
def list_entries(
    as_json: Annotated[bool, typer.Option("--json", help="Print entries, episodes and signs as one JSON object.")]
    = False,
    db: DbOption = None,
) -> None:
    """List the pain entries, then the pain episodes, then when to see a professional.

    Example:

        stridewise pain list --json > pain.json
    """
    from stridewise.jsontext import dumps
    from stridewise.risk.pain import SEE_A_PROFESSIONAL, SEE_A_PROFESSIONAL_HEADING, episodes

    with open_store(db) as store:
        entries = store.pain_entries()
    found = episodes(entries)
    signs = SEE_A_PROFESSIONAL if any(e.level >= 1 for e in entries) else ()
    if as_json:
        document = {"entries": [_entry_dict(e) for e in entries], "episodes": [_episode_dict(e) for e in found],
                    "see_a_professional": list(signs)}
        typer.echo(dumps(document))
        return
    if not entries:
        typer.echo("No pain recorded. Record some with: stridewise pain add today 3 --where \"lower back\"")
        return
    typer.echo("Entries:")
    for e in entries:
        typer.echo(f"{e.id:5d}  {e.day.isoformat()}  {e.level:2d}/10  {e.location or '-':16s} {e.note or ''}".rstrip())
    typer.echo("")
    typer.echo(f"Episodes: {len(found)}" + ("" if found else " (no day with pain above 0)"))
    for ep in found:
        place = f", {ep.location}" if ep.location else ""
        typer.echo(f"  {ep.start.isoformat()} to {ep.end.isoformat()}: {ep.days} {_days(ep.days)}, pain on "
                   f"{ep.pain_days}, worst {ep.max_level}/10{place}")
    if signs:
        typer.echo("")
        typer.echo(SEE_A_PROFESSIONAL_HEADING)
        for sign in signs:
            typer.echo(f"  - {sign}")


def _entries(n: int) -> str:
    return "entry" if n == 1 else "entries"


def _days(n: int) -> str:
    return "day" if n == 1 else "days"


def _entry_dict(e: PainEntry) -> dict[str, Any]:
    return {"id": e.id, "date": e.day.isoformat(), "level": e.level, "location": e.location, "note": e.note}


def _episode_dict(e: Episode) -> dict[str, Any]:
    return {"start": e.start.isoformat(), "end": e.end.isoformat(), "days": e.days, "pain_days": e.pain_days,
            "max_level": e.max_level, "location": e.location}
