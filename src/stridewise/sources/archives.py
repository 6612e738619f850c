"""Zip archives: list their members (nested zips included) within limits that no crafted archive can break.

zipfile reads the central directory only; members are inflated on demand, never the whole archive at once. A
damaged archive makes zipfile raise almost anything (``zlib.error``, ``ValueError: negative seek value``,
``NotImplementedError`` for an unknown compression, ``RuntimeError`` for encryption, ``struct.error``, ``EOFError``,
``OSError``...); since zipfile is pure Python, any exception it raises means "this archive or member is unreadable"
and becomes that item's one-line reason.
"""

from __future__ import annotations

import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import IO, Final

from stridewise.errors import describe
from stridewise.sources.items import SourceFile, is_activity_name
from stridewise.sources.strava import STRAVA_CSV, StravaHints, parse_strava_csv

MB: Final = 2**20
# One activity file, inflated. The largest real files are 2.7 MB (GPX) and 3.5 MB (TCX); a 24-hour GPX at 1 Hz
# with heart rate is about 20 MB, a 24-day one 200 MB. Past this a file is not a recording, and it bounds what a
# worker holds in memory while parsing.
MAX_FILE_BYTES: Final = 256 * MB
# Inflated size over compressed size. The most compressible real files are a TCX (34:1) and a GPX (27:1); runs of
# zeros reach 1,000:1. Checked only above RATIO_CHECKED_ABOVE_BYTES, where inflating costs something.
MAX_COMPRESSION_RATIO: Final = 200
RATIO_CHECKED_ABOVE_BYTES: Final = 16 * MB
# Archives inside archives: Garmin's account export nests two levels; one more allows that export zipped again.
MAX_ARCHIVE_DEPTH: Final = 3
# A nested zip is inflated into a temporary file (in memory up to NESTED_IN_MEMORY_BYTES) to be listed and read.
# Garmin splits its exports into parts of a few GB at most.
MAX_NESTED_ARCHIVE_BYTES: Final = 8 * 2**30
NESTED_IN_MEMORY_BYTES: Final = 64 * MB
# Everything one archive may inflate to, nested archives and members together. A ten-year Strava export is 2-5 GB
# compressed; FIT files barely compress and GPX about 10:1, so real exports stay far below. Stops archives whose
# entries overlap (each one small, all of them pointing at the same compressed data) before they cost hours.
MAX_ARCHIVE_INFLATED_BYTES: Final = 64 * 2**30
# Strava's activities.csv for ten years of daily activities is a few MB.
MAX_CSV_BYTES: Final = 64 * MB
# Copying a nested zip to its temporary file, a chunk at a time.
_CHUNK_BYTES: Final = MB


class Refused(Exception):
    """A member that the limits say must not be inflated; ``reason`` is its one-line failure."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class _Budget:
    """What is left of MAX_ARCHIVE_INFLATED_BYTES for one top-level archive."""

    left: int

    def take(self, size: int) -> bool:
        self.left -= size
        return self.left >= 0


def list_zip(path: str, mtime_ns: int) -> Iterator[SourceFile]:
    """The activity files in the zip at ``path`` and in the zips inside it (raises for an unreadable archive)."""
    with zipfile.ZipFile(path) as archive:
        yield from _members(archive, (path,), mtime_ns, 1, _Budget(MAX_ARCHIVE_INFLATED_BYTES))


def _members(archive: zipfile.ZipFile, chain: tuple[str, ...], mtime_ns: int, depth: int,
             budget: _Budget) -> Iterator[SourceFile]:
    infos = [i for i in archive.infolist() if not i.is_dir()]
    rows: dict[str, StravaHints] = {}
    for info in infos:
        if PurePosixPath(info.filename).name.lower() != STRAVA_CSV:
            continue
        folder = str(PurePosixPath(info.filename).parent)
        prefix = "" if folder == "." else folder + "/"
        try:
            text = read_member(archive, info, MAX_CSV_BYTES).decode("utf-8-sig", errors="replace")
        except Exception as exc:  # see the module's docstring
            reason = exc.reason if isinstance(exc, Refused) else f"cannot read ({describe(exc)})"
            yield SourceFile((*chain, info.filename), info.file_size, info.CRC,
                             refusal=f"Strava's {STRAVA_CSV}: {reason}; names, types and shoes from it are missing")
            continue
        rows.update({prefix + k: v for k, v in parse_strava_csv(text).items()})
    for info in sorted(infos, key=lambda i: i.filename):
        lower = info.filename.lower()
        member_chain = (*chain, info.filename)
        if lower.endswith(".zip"):
            yield from _nested(archive, info, member_chain, mtime_ns, depth, budget)
        elif is_activity_name(lower):
            # The member's CRC stands in for its modification time: it changes whenever the content does.
            refusal = refusal_of(info, MAX_FILE_BYTES, "one activity file") or _over_budget(info, budget)
            yield SourceFile(member_chain, info.file_size, info.CRC, rows.get(lower), refusal)


def _nested(archive: zipfile.ZipFile, info: zipfile.ZipInfo, chain: tuple[str, ...], mtime_ns: int, depth: int,
            budget: _Budget) -> Iterator[SourceFile]:
    refusal = (f"zip nested more than {MAX_ARCHIVE_DEPTH} archives deep; not opened" if depth >= MAX_ARCHIVE_DEPTH
               else refusal_of(info, MAX_NESTED_ARCHIVE_BYTES, "a nested zip") or _over_budget(info, budget))
    if refusal is None:
        try:
            with NestedZip(archive, info) as inner:
                yield from _members(inner, chain, mtime_ns, depth + 1, budget)
            return
        except Exception as exc:  # see the module's docstring
            refusal = exc.reason if isinstance(exc, Refused) else f"not a readable zip archive ({describe(exc)})"
    yield SourceFile(chain, info.file_size, info.CRC, refusal=refusal)


def refusal_of(info: zipfile.ZipInfo, limit: int, what: str) -> str | None:
    """Why a member must not be inflated (its size or its compression ratio), or None."""
    if info.file_size > limit:
        return f"inflates to {info.file_size / MB:,.0f} MB, over the {limit / MB:,.0f} MB limit for {what}; not read"
    ratio = info.file_size / max(info.compress_size, 1)
    if info.file_size > RATIO_CHECKED_ABOVE_BYTES and ratio > MAX_COMPRESSION_RATIO:
        return (f"compressed {ratio:,.0f} to 1, over the limit of {MAX_COMPRESSION_RATIO} to 1 "
                "(a zip bomb, not an activity file); not read")
    return None


def _over_budget(info: zipfile.ZipInfo, budget: _Budget) -> str | None:
    if budget.take(info.file_size):
        return None
    limit = MAX_ARCHIVE_INFLATED_BYTES
    amount = f"{limit / 2**30:,.0f} GB" if limit >= 2**30 else f"{limit / MB:,.2f} MB"
    return f"the archive inflates to more than {amount} in all; this member and the ones after it are not read"


def read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    """The member's bytes, never more than ``limit`` of them inflated (zipfile also stops at the declared size)."""
    refusal = refusal_of(info, limit, "one file")
    if refusal is not None:
        raise Refused(refusal)
    with archive.open(info) as member:
        data = member.read(limit + 1)
    if len(data) > limit:
        raise Refused(f"inflates past the {limit / MB:,.0f} MB limit for one file; not read")
    return data


class NestedZip:
    """A nested zip, inflated into a temporary file (in memory while small) and opened; closes both."""

    def __init__(self, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
        refusal = refusal_of(info, MAX_NESTED_ARCHIVE_BYTES, "a nested zip")
        if refusal is not None:
            raise Refused(refusal)
        self._spool: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=NESTED_IN_MEMORY_BYTES)  # noqa: SIM115
        try:
            with archive.open(info) as member:
                while chunk := member.read(_CHUNK_BYTES):
                    self._spool.write(chunk)
            self._spool.seek(0)
            self.zip = zipfile.ZipFile(self._spool)
        except BaseException:
            self._spool.close()
            raise

    def close(self) -> None:
        self.zip.close()
        self._spool.close()

    def __enter__(self) -> zipfile.ZipFile:
        return self.zip

    def __exit__(self, *_: object) -> None:
        self.close()
