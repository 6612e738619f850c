"""Hostile inputs generated at test time (nothing big is committed), and running `stridewise ingest` on them."""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from pathlib import Path

from typer.testing import Result

from builders import gpx, morning, straight_run
from conftest import cli_runner
from stridewise.cli import app

MB = 2**20
STORED, DEFLATED = 0, 8
# A deflate stream that is not one: 0xFF starts a block of type 3, which does not exist.
BAD_DEFLATE = b"\xff" * 16


def good_run(day: int = 1, km: float = 3.0) -> bytes:
    return gpx(straight_run(morning(day), distance_m=km * 1000, pace_s_per_km=330))


def ingest(tmp_path: Path, *paths: Path | str, jobs: int = 1) -> Result:
    """`stridewise ingest PATHS --db tmp/s.sqlite3 --jobs N`, in process (workers are forked from it)."""
    return cli_runner().invoke(app, ["ingest", *map(str, paths), "--db", str(tmp_path / "s.sqlite3"),
                                    "--jobs", str(jobs)])


def failure_lines(result: Result) -> list[str]:
    """The listed failures of an ingest summary, one "  key: reason" line each."""
    lines = result.stdout.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("Could not read ("))
    return lines[start + 1:]


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def raw_zip(entries: list[tuple[str, bytes, int, int, int]]) -> bytes:
    """A zip written by hand from (name, compressed bytes, method, declared inflated size, declared CRC-32), so that
    each field can say what a crafted archive says."""
    out, central = bytearray(), bytearray()
    for name, data, method, size, crc in entries:
        encoded, offset = name.encode(), len(out)
        # local header, then the central directory entry (version 2.0, no flags, 1980-01-01 00:00)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(data), size,
                           len(encoded), 0) + encoded + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21, crc, len(data), size,
                               len(encoded), 0, 0, 0, 0, 0, offset) + encoded
    out += central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central),
                                 len(out), 0)
    return bytes(out)


def zeros_deflated(size_mb: int) -> tuple[bytes, int]:
    """A raw deflate stream of ``size_mb`` MB of zeros, and their CRC-32, without compressing them all: each MB
    ends with a full flush, so every MB compresses to the same bytes (about 1 kB)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    one_mb = compressor.compress(bytes(MB)) + compressor.flush(zlib.Z_FULL_FLUSH)
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # an empty last block
    crc, zeros = 0, bytes(MB)
    for _ in range(size_mb):
        crc = zlib.crc32(zeros, crc)
    return one_mb * size_mb + final, crc


def nested_zip(depth: int, innermost: dict[str, bytes], outermost: dict[str, bytes] | None = None) -> bytes:
    """``depth`` zips, each holding the next as ``level-N.zip``; the innermost holds ``innermost``, the outermost
    also ``outermost``."""
    data = zip_bytes(innermost, zipfile.ZIP_STORED)
    for level in range(depth - 1, 0, -1):
        extra = outermost or {} if level == 1 else {}
        data = zip_bytes({**extra, f"level-{level + 1}.zip": data}, zipfile.ZIP_STORED)
    return data
