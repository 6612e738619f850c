"""``stridewise map``: import OpenStreetMap extracts so that every run gets its measured surface mix."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stridewise.cli.common import ConfigOption, DbOption, fail, open_store

map_app = typer.Typer(
    help="The map: OpenStreetMap extracts whose ways give each run its surface mix (road, unpaved, trail, track)."
         "\n\nExample:\n\n    stridewise map import finland-latest.osm.pbf",
    no_args_is_help=True,
)


@map_app.command("import")
def import_extract(
    extract: Annotated[Path | None, typer.Argument(
        help="An OpenStreetMap extract (.osm.pbf, .osm or .osm.bz2). Default: `[osm] extract` in the config.",
        dir_okay=False, show_default=False)] = None,
    db: DbOption = None,
    config: ConfigOption = None,
    margin_km: Annotated[float, typer.Option("--margin-km", min=0.1, max=100.0,
                                             help="Around stored runs, keep ways this close (big extracts).")]
    = 3.0,
    whole: Annotated[bool | None, typer.Option(
        "--whole/--around-runs", show_default=False,
        help="Keep every way, or only those near stored runs. Default: whole below 64 MB, else around runs.")]
    = None,
) -> None:
    """Import an extract's runnable ways into the store and match every stored run inside it.

    Importing the same area again replaces it. Download an extract for your region from
    https://download.geofabrik.de (see docs/surface.md).

    Example:

        stridewise map import ~/Downloads/helsinki.osm.pbf
    """
    from stridewise.config import load_config
    from stridewise.surface import import_map

    with open_store(db) as store:
        extract = extract or load_config(config).osm_extract
        if extract is None:
            raise fail("name an extract, or set `[osm] extract` in the config (see docs/surface.md)", code=2)
        report = import_map(store, extract, margin_m=margin_km * 1000, whole=whole)
    where = (f"only within {margin_km:g} km of your stored runs" if report.limited_to_runs else "the whole extract")
    typer.echo(f"Imported {report.name} as map {report.import_id}: {report.ways_kept:,} of {report.ways_seen:,} "
               f"runnable ways kept ({where}), {report.segments:,} segments.")
    if report.replaced_segments:
        typer.echo(f"Replaced {report.replaced_segments:,} segments of earlier imports of the same area.")
    typer.echo(f"Runs matched on the map: {report.runs_matched}.")


@map_app.command("list")
def list_maps(db: DbOption = None) -> None:
    """List the imported extracts: id, file, date, area and how many ways each holds.

    Example:

        stridewise map list
    """
    with open_store(db) as store:
        imports = store.map_imports()
    if not imports:
        typer.echo("No map imported yet: run `stridewise map import EXTRACT.osm.pbf`.")
        return
    typer.echo(f"{'id':>3}  {'file':<28} {'imported (UTC)':<20} {'ways':>9} {'segments':>10}  area (lat, lon)")
    for item in imports:
        south, west, north, east = item.box
        typer.echo(f"{item.id:>3}  {item.name:<28} {item.imported_utc[:16].replace('T', ' '):<20} {item.ways:>9,} "
                   f"{item.segments:>10,}  {south:.3f}..{north:.3f}, {west:.3f}..{east:.3f}")


@map_app.command("remove")
def remove(
    import_id: Annotated[int, typer.Argument(help="The id shown by `stridewise map list`.", show_default=False)],
    db: DbOption = None,
) -> None:
    """Remove one imported extract; the runs are matched again on what is left.

    Example:

        stridewise map remove 1
    """
    from stridewise.surface import remove_map

    with open_store(db) as store:
        matched = remove_map(store, import_id)
    typer.echo(f"Removed map {import_id}; runs matched again: {matched}.")
