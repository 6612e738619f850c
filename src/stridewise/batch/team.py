"""Athletes mode: each subfolder of the log folder is one athlete with their own store, config and reports."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Final

from stridewise.atomic import write_atomic
from stridewise.batch.index import AthleteSummary, render_athletes_index
from stridewise.batch.run import BatchResult
from stridewise.errors import StridewiseError

ATHLETE_DB_NAME: Final = "stridewise.sqlite3"


def athlete_folders(log_root: Path) -> list[Path]:
    """Each non-hidden subfolder of ``log_root`` is one athlete."""
    if not log_root.is_dir():
        raise StridewiseError(f"{log_root} is not a folder")
    return sorted(p for p in log_root.iterdir() if p.is_dir() and not p.name.startswith("."))


def write_athletes_index(report_root: Path, athletes: Sequence[tuple[str, BatchResult]]) -> None:
    """REPORT_DIR/index.html: each athlete's latest verdict and last run date."""
    summaries = [AthleteSummary(name, r.latest_week, r.latest_verdict, r.latest_severity, r.last_run)
                 for name, r in athletes]
    write_atomic(report_root / "index.html", render_athletes_index(summaries).encode())
