"""The pain journal's stored entry. Kept apart from ``db.py`` so the risk stage can name it without the queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class PainEntry:
    """One journal line: how much it hurt (0 none - 10 worst imaginable) on a local ``day``, and where."""

    id: int
    day: date
    level: int
    location: str | None = None
    note: str | None = None
