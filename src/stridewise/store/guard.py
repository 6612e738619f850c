"""What the store refuses or sets aside: a damaged database file, and activities whose totals are impossible."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from stridewise.plausible import not_counted_because


def is_damage(exc: sqlite3.Error) -> bool:
    """A damaged page or a file that is not SQLite, rather than a busy, full or read-only store."""
    return getattr(exc, "sqlite_errorname", "").startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB"))


def damage_reason(exc: sqlite3.Error) -> str:
    return (f"damaged ({exc}); restore a backup, or move the file aside and run `stridewise ingest` again "
            "(shoe assignments and the pain journal live only in the store)")


def implausible(start: str, sport: str, distance_m: float | None, duration_s: float | None,
                moving_time_s: float | None, elapsed_s: float | None, timer_s: float | None) -> str | None:
    """The gate's verdict on stored values (ISO start, metrics, device times); None: counted, duplicates permitting."""
    return not_counted_because(sport=sport, start_utc=datetime.fromisoformat(start), distance_m=distance_m,
                               duration_s=duration_s, moving_time_s=moving_time_s,
                               device_duration_s=max((s for s in (elapsed_s, timer_s) if s is not None), default=None))
