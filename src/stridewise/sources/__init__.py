"""Stage 0: find activity files in paths, folders and zip archives, without extracting anything to disk.

A :class:`SourceFile` names one activity file (a path, or a member of a zip, possibly nested as in Garmin's
account export) and can read its bytes. Strava's ``activities.csv`` rows are joined to the files they name, so
each source carries the activity's name, type and gear (the shoe) when Strava knows them. Nothing here raises for
a bad path: what cannot be listed is yielded as a :class:`Problem` with its one-line reason.
"""

from __future__ import annotations

import errno
import os
import stat as stat_mode
from collections.abc import Callable, Iterator
from pathlib import Path

from stridewise.errors import describe
from stridewise.sources.archives import list_zip
from stridewise.sources.items import (
    ACTIVITY_SUFFIXES,
    MEMBER_SEPARATOR,
    Archive,
    Problem,
    SourceFile,
    is_activity_name,
    printable,
)
from stridewise.sources.reader import SourceReader
from stridewise.sources.strava import STRAVA_CSV, StravaHints, strava_rows_for_dir

# Called with (key, size, mtime_ns) of an archive; True when the store already holds it unchanged (read, or failed
# to list), so the archive need not be opened at all.
ArchiveUnchanged = Callable[[str, int, int], bool]


def discover(paths: list[Path], *, archive_unchanged: ArchiveUnchanged | None = None,
             ) -> Iterator[SourceFile | Archive | Problem]:
    """Yield every activity file under ``paths`` (files, folders recursively, zip archives), sorted per folder."""
    for path in paths:
        try:
            absolute = path.expanduser().resolve(strict=True)
            is_dir = absolute.is_dir()
        except FileNotFoundError:
            yield Problem(printable(str(path)), "no such file or folder")
            continue
        except (OSError, RuntimeError) as exc:  # RuntimeError: a symlink loop before Python 3.13
            yield Problem(printable(str(path)), f"cannot read ({_os_reason(exc)})")
            continue
        if is_dir:
            yield from _walk(absolute, archive_unchanged)
        else:
            base = next((d for d in (absolute.parent, absolute.parent.parent) if (d / STRAVA_CSV).is_file()),
                        absolute.parent)
            yield from _one_file(absolute, strava_rows_for_dir(base), archive_unchanged, explicit=True, base=base)


def _os_reason(exc: OSError | RuntimeError) -> str:
    if isinstance(exc, RuntimeError) or exc.errno == errno.ELOOP:
        return "symbolic link loop"
    return describe(exc)


def _walk(folder: Path, archive_unchanged: ArchiveUnchanged | None,
          ) -> Iterator[SourceFile | Archive | Problem]:
    # Each folder uses the nearest activities.csv at or above it (within the walked folder).
    csv_for: dict[Path, tuple[Path, dict[str, StravaHints]]] = {}
    unreadable: list[OSError] = []
    for directory, subdirs, files in os.walk(folder, onerror=unreadable.append):
        yield from _folder_problems(unreadable)
        subdirs.sort()
        here = Path(directory)
        rows = strava_rows_for_dir(here)
        if rows or here == folder:
            csv_for[here] = (here, rows)
        else:
            csv_for[here] = csv_for.get(here.parent, (here, {}))
        base, rows = csv_for[here]
        for name in sorted(files):
            yield from _one_file(here / name, rows, archive_unchanged, explicit=False, base=base)
    yield from _folder_problems(unreadable)


def _folder_problems(errors: list[OSError]) -> Iterator[Problem]:
    for exc in errors:
        yield Problem(printable(str(exc.filename)), f"cannot read this folder ({describe(exc)})")
    errors.clear()


def _one_file(path: Path, rows: dict[str, StravaHints], archive_unchanged: ArchiveUnchanged | None, *,
              explicit: bool, base: Path | None = None) -> Iterator[SourceFile | Archive | Problem]:
    name = path.name.lower()
    is_zip = name.endswith(".zip")
    if not (is_zip or explicit or is_activity_name(name)):
        return
    key = printable(str(path))
    try:
        stat = path.stat()
    except OSError as exc:
        yield Problem(key, f"cannot read ({_os_reason(exc)})")
        return
    if not stat_mode.S_ISREG(stat.st_mode):
        yield Problem(key, "not a regular file")
        return
    if is_zip:
        if archive_unchanged is not None and archive_unchanged(key, stat.st_size, stat.st_mtime_ns):
            return
        try:
            yield from list_zip(str(path), stat.st_mtime_ns)
        except Exception as exc:  # a damaged archive raises anything (see sources/archives.py)
            yield Problem(key, f"not a readable zip archive ({describe(exc)})", stat.st_size, stat.st_mtime_ns)
            return
        yield Archive(key, stat.st_size, stat.st_mtime_ns)
        return
    relative = path.relative_to(base).as_posix() if base is not None and path.is_relative_to(base) else name
    hints = rows.get(relative.lower()) or rows.get(path.name.lower())
    yield SourceFile((str(path),), stat.st_size, stat.st_mtime_ns, hints)


__all__ = ["ACTIVITY_SUFFIXES", "MEMBER_SEPARATOR", "Archive", "ArchiveUnchanged", "Problem", "SourceFile",
           "SourceReader", "StravaHints", "discover", "is_activity_name", "printable"]
