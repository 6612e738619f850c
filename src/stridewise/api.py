"""The Python API: the same numbers as the command line, as pandas DataFrames.

    import stridewise
    log = stridewise.load(["~/Garmin/Activities"])
    log.weekly[["run_distance_m", "distance_change_vs_prev_week"]].tail()
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from stridewise.config import Config, load_config
from stridewise.log import EXTRA_COLUMNS, LOCAL_DATE, SHOE_SOURCE, START_LOCAL, TrainingLog, build_log
from stridewise.metrics.refresh import refresh_metrics
from stridewise.risk.registry import validate_overrides
from stridewise.store import Store, default_db_path

if TYPE_CHECKING:
    from stridewise.ingest import ProgressCallback

__all__ = ["EXTRA_COLUMNS", "LOCAL_DATE", "SHOE_SOURCE", "START_LOCAL", "TrainingLog", "build_log", "load"]


def load(paths: Iterable[str | Path] = (), *, config: Config | str | Path | None = None, db: str | Path | None = None,
         jobs: int | None = None, progress: ProgressCallback | None = None, end: date | None = None) -> TrainingLog:
    """Ingest ``paths`` (what is new) into the store and return the whole history as DataFrames.

    ``config``: a :class:`Config`, a path to a TOML file, or None to look for ``stridewise.toml`` in the log
    folders and the user config directory. ``db``: the store (default: ``$STRIDEWISE_DB`` or the user data
    directory). ``end``: the last day of the daily series (default: the last activity's day).
    """
    log_paths = [Path(p).expanduser() for p in paths]
    if not isinstance(config, Config):
        config = load_config(Path(config).expanduser() if config is not None else None, log_paths)
    validate_overrides(config.rules, where=str(config.path or "config"))  # bad thresholds fail before ingesting
    with Store(Path(db).expanduser() if db is not None else default_db_path()) as store:
        report = None
        if log_paths:
            from stridewise.ingest import ingest  # the parsers load only when there are files to read

            report = ingest(log_paths, store, jobs=jobs, progress=progress, settings=config.elevation)
        else:
            if refresh_metrics(store, config.elevation):
                store.resolve_duplicates()  # the gate judges the new totals
        log = build_log(store.activities(include_duplicates=True), store.shoe_assignments(), config,
                        report=report, end=end)
        log.problems = tuple((f.key, f.reason or "unreadable") for f in store.failed_files())
        log.pain = tuple(sorted(store.pain_entries(), key=lambda entry: (entry.day, entry.id)))
        return log
