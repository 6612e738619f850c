"""Options and helpers shared by the commands."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Final

import typer
from typer.core import TyperGroup

from stridewise.errors import LockHeldError, StridewiseError, UsageError

if TYPE_CHECKING:
    from stridewise.log import TrainingLog
    from stridewise.store import Store

# The exit codes of every command, decided here and nowhere else.
EXIT_OK: Final = 0
EXIT_ERROR: Final = 1  # a data or runtime error, including any file that could not be read in this run
EXIT_USAGE: Final = 2  # a malformed option or argument (click uses 2 for its own usage errors too)
EXIT_FLAGGED: Final = 3  # --fail-on found a flag at or above the given severity
EXIT_LOCKED: Final = 75  # sysexits.h EX_TEMPFAIL: another batch holds the lock; try again later


def exit_code_for(exc: StridewiseError) -> int:
    """The one mapping from the core's exceptions to exit codes."""
    if isinstance(exc, UsageError):
        return EXIT_USAGE
    if isinstance(exc, LockHeldError):
        return EXIT_LOCKED
    return EXIT_ERROR


class StridewiseGroup(TyperGroup):
    """The root command group: any :class:`StridewiseError` a command lets through becomes ``Error: ...`` on stderr
    and its exit code, so that no command needs its own try/except."""

    def invoke(self, ctx: Any) -> Any:  # a click Context (typer vendors click)
        try:
            return super().invoke(ctx)
        except StridewiseError as exc:
            raise fail(str(exc), exit_code_for(exc)) from None


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
class UnitsChoice(StrEnum):
    km = "km"
    mi = "mi"


UnitsOption = Annotated[
    UnitsChoice | None,
    typer.Option("--units", help="Distances in km or mi (default: units in the config, else km).",
                 show_default=False),
]
JobsOption = Annotated[
    int | None,
    typer.Option("--jobs", "-j", min=1, help="Files parsed in parallel (default: the number of cores).",
                 show_default=False),
]


def apply_units(log: TrainingLog, units: UnitsChoice | None) -> TrainingLog:
    """``log`` with ``--units`` in force over the config's (flag > config > km); call before reading its flags."""
    if units is not None:
        from dataclasses import replace

        from stridewise.units import as_units

        log.config = replace(log.config, units=as_units(units.value))
        log.__dict__.pop("flags", None)  # flag messages are worded in the units
    return log


def fail(message: str, code: int = EXIT_ERROR) -> typer.Exit:
    """Print ``Error: message`` to stderr and return the Exit to raise."""
    typer.echo(f"Error: {message}", err=True)
    return typer.Exit(code=code)


@contextmanager
def open_store(db: Path | None) -> Iterator[Store]:
    """Open the store (its errors reach the root group, which prints them)."""
    from stridewise.store import Store, default_db_path  # pandas loads only when a command needs the store

    with Store(db or default_db_path()) as store:
        yield store
