"""Options and helpers shared by the commands."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from stridewise.errors import StridewiseError

if TYPE_CHECKING:
    from stridewise.store import Store

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="The store (SQLite file). Default: $STRIDEWISE_DB, else the user data directory.",
                 dir_okay=False, show_default=False),
]
OptionalPaths = Annotated[
    list[Path] | None,
    typer.Argument(help="Files, folders or zips to ingest first (optional).", show_default=False),
]
ConfigOption = Annotated[
    Path | None,
    typer.Option("--config", help="The config file (TOML). Default: $STRIDEWISE_CONFIG, stridewise.toml in the log "
                                  "folder, else in the user config directory.", dir_okay=False, show_default=False),
]
JobsOption = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, help="Files parsed in parallel (default: the number of cores).",
                 show_default=False),
]


def fail(message: str, code: int = 1) -> typer.Exit:
    """Print ``Error: message`` to stderr and return the Exit to raise."""
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code=code)


@contextmanager
def open_store(db: Path | None) -> Iterator[Store]:
    """Open the store, turning any stridewise error inside the block into a one-line message and exit 1."""
    from stridewise.store import Store, default_db_path  # pandas loads only when a command needs the store

    try:
        with Store(db or default_db_path()) as store:
            yield store
    except StridewiseError as exc:
        raise fail(str(exc)) from None
