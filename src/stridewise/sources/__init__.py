"""Stage 0: find activity files in paths, folders and zip archives, without extracting anything to disk.

A :class:`SourceFile` names one activity file (a path, or a member of a zip, possibly nested as in Garmin's
account export) and can read its bytes. Strava's ``activities.csv`` rows are joined to the files they name, so
each source carries the activity's name, type and gear (the shoe) when Strava knows them.
"""

from __future__ import annotations

import csv
import io
import os
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Final

from stridewise.errors import CorruptFileError

STRAVA_CSV: Final = "activities.csv"
# What discovery picks up from folders and archives (a file named on the command line is read whatever its name).
ACTIVITY_SUFFIXES: Final = (".fit", ".gpx", ".tcx", ".fit.gz", ".gpx.gz", ".tcx.gz")
# Separates an archive from a member in a source key: "/home/me/export.zip!activities/123.fit.gz".
MEMBER_SEPARATOR: Final = "!"
# Strava's column names (English export); localized exports keep the order, so positions are the fallback.
_STRAVA_COLUMNS: Final = {"name": ("Activity Name", 2), "type": ("Activity Type", 3),
                          "gear": ("Activity Gear", 11), "filename": ("Filename", 12)}


def is_activity_name(name: str) -> bool:
    """Whether a file name looks like an activity file (case-insensitive suffix check)."""
    return name.lower().endswith(ACTIVITY_SUFFIXES)


@dataclass(frozen=True)
class StravaHints:
    """What Strava's activities.csv says about one file."""

    name: str | None
    type: str | None
    gear: str | None


@dataclass(frozen=True)
class SourceFile:
    """One activity file. ``chain`` is (path,) for a plain file, (zip path, member, ...) for archive members."""

    chain: tuple[str, ...]
    size: int
    mtime_ns: int
    hints: StravaHints | None = None

    @property
    def key(self) -> str:
        return MEMBER_SEPARATOR.join(self.chain)

    def read(self) -> bytes:
        """The file's bytes (decompressed from its archives, still gzip-compressed if the file itself is)."""
        try:
            data = Path(self.chain[0]).read_bytes()
            for member in self.chain[1:]:
                with zipfile.ZipFile(io.BytesIO(data)) as archive:
                    data = archive.read(member)
        except (OSError, zipfile.BadZipFile, KeyError, EOFError, zipfile.LargeZipFile) as exc:
            raise CorruptFileError(self.key, f"cannot read ({exc})") from exc
        return data


@dataclass(frozen=True)
class Archive:
    """A zip on disk whose members were all listed; yielded after them so the store can remember it."""

    key: str
    size: int
    mtime_ns: int


@dataclass(frozen=True)
class Problem:
    """A path that could not even be listed (missing, unreadable, a broken zip)."""

    key: str
    reason: str


# Called with (key, size, mtime_ns) of an archive; True when the store already holds it unchanged, so the
# archive need not be opened at all.
ArchiveUnchanged = Callable[[str, int, int], bool]


def discover(paths: list[Path], *, archive_unchanged: ArchiveUnchanged | None = None,
             ) -> Iterator[SourceFile | Archive | Problem]:
    """Yield every activity file under ``paths`` (files, folders recursively, zip archives), sorted per folder."""
    for path in paths:
        absolute = path.expanduser().resolve()
        if not absolute.exists():
            yield Problem(str(path), "no such file or folder")
        elif absolute.is_dir():
            yield from _walk(absolute, archive_unchanged)
        else:
            base = next((d for d in (absolute.parent, absolute.parent.parent) if (d / STRAVA_CSV).is_file()),
                        absolute.parent)
            yield from _one_file(absolute, _strava_rows_for_dir(base), archive_unchanged, explicit=True,
                                 base=base)


def _walk(folder: Path, archive_unchanged: ArchiveUnchanged | None,
          ) -> Iterator[SourceFile | Archive | Problem]:
    # Each folder uses the nearest activities.csv at or above it (within the walked folder).
    csv_for: dict[Path, tuple[Path, dict[str, StravaHints]]] = {}
    for directory, subdirs, files in os.walk(folder):
        subdirs.sort()
        here = Path(directory)
        rows = _strava_rows_for_dir(here)
        if rows or here == folder:
            csv_for[here] = (here, rows)
        else:
            csv_for[here] = csv_for.get(here.parent, (here, {}))
        base, rows = csv_for[here]
        for name in sorted(files):
            yield from _one_file(here / name, rows, archive_unchanged, explicit=False, base=base)


def _one_file(path: Path, rows: dict[str, StravaHints], archive_unchanged: ArchiveUnchanged | None, *,
              explicit: bool, base: Path | None = None) -> Iterator[SourceFile | Archive | Problem]:
    name = path.name.lower()
    try:
        stat = path.stat()
    except OSError as exc:
        yield Problem(str(path), f"cannot read ({exc.strerror})")
        return
    if name.endswith(".zip"):
        if archive_unchanged is not None and archive_unchanged(str(path), stat.st_size, stat.st_mtime_ns):
            return
        try:
            yield from _zip_members((str(path),), path.read_bytes(), stat.st_mtime_ns)
        except (OSError, zipfile.BadZipFile, EOFError) as exc:
            yield Problem(str(path), f"not a readable zip archive ({exc})")
            return
        yield Archive(str(path), stat.st_size, stat.st_mtime_ns)
        return
    if is_activity_name(name) or explicit:
        relative = path.relative_to(base).as_posix() if base is not None and path.is_relative_to(base) else name
        hints = rows.get(relative.lower()) or rows.get(path.name.lower())
        yield SourceFile((str(path),), stat.st_size, stat.st_mtime_ns, hints)


def _zip_members(chain: tuple[str, ...], data: bytes, mtime_ns: int) -> Iterator[SourceFile | Problem]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        infos = [i for i in archive.infolist() if not i.is_dir()]
        rows: dict[str, StravaHints] = {}
        for info in infos:
            if PurePosixPath(info.filename).name.lower() == STRAVA_CSV:
                folder = str(PurePosixPath(info.filename).parent)
                prefix = "" if folder == "." else folder + "/"
                text = archive.read(info).decode("utf-8-sig", errors="replace")
                rows.update({prefix + k: v for k, v in _parse_strava_csv(text).items()})
        for info in sorted(infos, key=lambda i: i.filename):
            lower = info.filename.lower()
            member_chain = (*chain, info.filename)
            if lower.endswith(".zip"):
                try:
                    yield from _zip_members(member_chain, archive.read(info), mtime_ns)
                except (zipfile.BadZipFile, EOFError, OSError) as exc:
                    yield Problem(MEMBER_SEPARATOR.join(member_chain), f"not a readable zip archive ({exc})")
            elif is_activity_name(lower):
                # The member's CRC stands in for its modification time: it changes whenever the content does.
                yield SourceFile(member_chain, info.file_size, info.CRC, rows.get(lower))


def _strava_rows_for_dir(directory: Path) -> dict[str, StravaHints]:
    csv_path = directory / STRAVA_CSV
    if not csv_path.is_file():
        return {}
    try:
        return _parse_strava_csv(csv_path.read_text(encoding="utf-8-sig", errors="replace"))
    except OSError:
        return {}


def _parse_strava_csv(text: str) -> dict[str, StravaHints]:
    """Map each lower-cased ``Filename`` of a Strava activities.csv to its name, type and gear."""
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        return {}
    index = {field: (header.index(name) if name in header else position)
             for field, (name, position) in _STRAVA_COLUMNS.items()}
    rows: dict[str, StravaHints] = {}
    for row in reader:
        if len(row) <= index["filename"] or not row[index["filename"]].strip():
            continue

        def cell(field: str, row: list[str] = row) -> str | None:
            position = index[field]
            value = row[position].strip() if position < len(row) else ""
            return value or None

        rows[row[index["filename"]].strip().lower()] = StravaHints(cell("name"), cell("type"), cell("gear"))
    return rows
