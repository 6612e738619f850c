"""Strava's ``activities.csv``: the name, type and gear (the shoe) of each file of a bulk export."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Final

STRAVA_CSV: Final = "activities.csv"
# Strava's column names (English export); localized exports keep the order, so positions are the fallback.
_STRAVA_COLUMNS: Final = {"name": ("Activity Name", 2), "type": ("Activity Type", 3),
                          "gear": ("Activity Gear", 11), "filename": ("Filename", 12)}


@dataclass(frozen=True)
class StravaHints:
    """What Strava's activities.csv says about one file."""

    name: str | None
    type: str | None
    gear: str | None


def strava_rows_for_dir(directory: Path) -> dict[str, StravaHints]:
    csv_path = directory / STRAVA_CSV
    try:
        if not csv_path.is_file():
            return {}
        return parse_strava_csv(csv_path.read_text(encoding="utf-8-sig", errors="replace"))
    except OSError:
        return {}


def parse_strava_csv(text: str) -> dict[str, StravaHints]:
    """Map each lower-cased ``Filename`` of a Strava activities.csv to its name, type and gear."""
    reader = csv.reader(io.StringIO(text))
    try:
        header = next(reader, None)
    except csv.Error:
        return {}
    if header is None:
        return {}
    index = {field: (header.index(name) if name in header else position)
             for field, (name, position) in _STRAVA_COLUMNS.items()}
    rows: dict[str, StravaHints] = {}
    try:
        for row in reader:
            if len(row) <= index["filename"] or not row[index["filename"]].strip():
                continue

            def cell(field: str, row: list[str] = row) -> str | None:
                position = index[field]
                value = row[position].strip() if position < len(row) else ""
                return value or None

            rows[row[index["filename"]].strip().lower()] = StravaHints(cell("name"), cell("type"), cell("gear"))
    except csv.Error:  # a NUL byte or a field over csv's size limit: keep the rows read before it
        pass
    return rows
