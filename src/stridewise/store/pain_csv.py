"""The pain journal's CSV (``date,level,where,note``): read it, check every row, add the new rows to the store."""

from __future__ import annotations

import csv
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Final, NamedTuple, TextIO

from stridewise.errors import InputError

if TYPE_CHECKING:
    from stridewise.store.db import Store

MIN_LEVEL: Final = 0  # 0 = no pain, 10 = the worst imaginable: the usual numeric rating scale
MAX_LEVEL: Final = 10
CSV_COLUMNS: Final = ("date", "level", "where", "note")
_REQUIRED_COLUMNS: Final = ("date", "level")
_DAY_PATTERN: Final = re.compile(r"\d{4}-\d{2}-\d{2}")


class PainRow(NamedTuple):
    """One entry read from a CSV, before it is stored."""

    day: date
    level: int
    location: str | None
    note: str | None


@dataclass(frozen=True)
class PainImport:
    added: int
    skipped: int  # rows identical to an entry already recorded (the same file imported twice)


def read_pain_csv(path: Path) -> list[PainRow]:
    """Read a ``date,level,where,note`` CSV (``where`` and ``note`` optional). Any bad row raises InputError."""
    source = str(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return _parse_rows(handle, source)
    except FileNotFoundError as exc:
        raise InputError(source, "no such file") from exc
    except UnicodeDecodeError as exc:
        raise InputError(source, "not UTF-8 text", offset=exc.start) from exc
    except OSError as exc:
        raise InputError(source, f"cannot read ({exc.strerror or exc})") from exc


def _parse_rows(handle: TextIO, source: str) -> list[PainRow]:
    reader = csv.reader(handle)
    try:
        header = [name.strip().lower() for name in next(reader, [])]
        unknown = [name for name in header if name not in CSV_COLUMNS]
        missing = [name for name in _REQUIRED_COLUMNS if name not in header]
        if unknown or missing or len(set(header)) != len(header):
            raise InputError(source, f"line 1: the header must be {','.join(CSV_COLUMNS)} (where and note "
                                     f"optional), got {','.join(header) or 'nothing'}")
        rows = []
        for fields in reader:
            if not any(field.strip() for field in fields):
                continue  # blank lines, often at the end
            # line_num counts physical lines, so a note quoted over two lines does not shift the numbers after it
            rows.append(_parse_row(header, fields, f"line {reader.line_num}", source))
        return rows
    except csv.Error as exc:
        raise InputError(source, f"not a CSV file ({exc})") from exc


def _parse_row(header: list[str], fields: list[str], where: str, source: str) -> PainRow:
    if len(fields) > len(header):
        raise InputError(source, f"{where}: {len(fields)} fields, but the header names {len(header)}")
    values = dict(zip(header, (field.strip() for field in fields), strict=False))
    raw_day, raw_level = values.get("date", ""), values.get("level", "")
    try:
        day = date.fromisoformat(raw_day) if _DAY_PATTERN.fullmatch(raw_day) else None
    except ValueError:
        day = None
    if day is None:
        raise InputError(source, f"{where}: date must be YYYY-MM-DD, got {raw_day!r}")
    if not re.fullmatch(r"[+-]?\d+", raw_level):
        raise InputError(source, f"{where}: level must be a whole number {MIN_LEVEL}-{MAX_LEVEL}, got {raw_level!r}")
    level = int(raw_level)
    if not MIN_LEVEL <= level <= MAX_LEVEL:
        raise InputError(source, f"{where}: level must be {MIN_LEVEL}-{MAX_LEVEL}, got {level}")
    return PainRow(day, level, values.get("where") or None, values.get("note") or None)


def import_pain_csv(store: Store, path: Path) -> PainImport:
    """Read the CSV (all rows valid, or nothing is stored) and record the rows not already in the journal."""
    rows = read_pain_csv(path)
    known = Counter(PainRow(e.day, e.level, e.location, e.note) for e in store.pain_entries())
    new = []
    for row in rows:
        if known[row] > 0:
            known[row] -= 1
        else:
            new.append(row)
    store.add_pain_entries(new)
    return PainImport(added=len(new), skipped=len(rows) - len(new))
