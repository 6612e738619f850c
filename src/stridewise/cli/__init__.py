"""The command line: thin commands over the core. Only this package prints or exits.

Exit codes (cli/common.py): 0 ok; 1 a data or runtime error (including a file that could not be read in this run);
2 a usage error;
3 ``check --fail-on`` found a flag at or above the given severity; 75 another batch holds the lock.
"""

from __future__ import annotations

import gc

import typer

from stridewise.cli.activities_cmd import activities
from stridewise.cli.batch_cmd import batch
from stridewise.cli.common import StridewiseGroup
from stridewise.cli.ingest_cmd import ingest
from stridewise.cli.map_cmd import map_app
from stridewise.cli.pain_cmd import pain_app
from stridewise.cli.report_cmd import report
from stridewise.cli.risk_cmd import check, rules
from stridewise.cli.schedule_cmd import schedule
from stridewise.cli.shoes_cmd import shoes_app
from stridewise.version import __version__

app = typer.Typer(
    name="stridewise",
    cls=StridewiseGroup,
    help="Training-log analyzer for runners: reads your watch's files and shows the load patterns tied to back "
         "pain and running injuries.\n\nExample:\n\n    stridewise ingest ~/Downloads/strava_export.zip",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)
app.command()(ingest)
app.command()(activities)
app.command()(check)
app.command()(rules)
app.command()(report)
app.command()(batch)
app.command()(schedule)
app.add_typer(shoes_app, name="shoes")
app.add_typer(pain_app, name="pain")
app.add_typer(map_app, name="map")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"stridewise {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Show the version and exit."),
) -> None:
    """Training-log analyzer for runners."""


def main() -> None:
    try:
        app()
    finally:
        # When the interpreter exits it walks every object once more for reference cycles: after a report that is
        # pandas' and matplotlib's whole object graph, 0.2 s of a 1.5 s command (benchmarks/breakdown.py). The
        # command is over (its files written and closed, the store closed), so the objects are frozen out of that
        # walk; the system frees their memory with the process.
        gc.freeze()

