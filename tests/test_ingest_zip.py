"""Zip archives: damaged ones, bombs and deep nesting become listed failures, never a traceback; members are
streamed from archives opened once; a parser upgrade re-reads the members of an unchanged archive."""

from __future__ import annotations

import resource
import struct
import time
import zipfile
import zlib
from pathlib import Path

import pytest

import stridewise.ingest as ingest_module
import stridewise.sources.archives as archives
import stridewise.sources.reader as reader_module
from hostile import (
    BAD_DEFLATE,
    DEFLATED,
    MB,
    STORED,
    failure_lines,
    good_run,
    ingest,
    nested_zip,
    raw_zip,
    zeros_deflated,
    zip_bytes,
)
from stridewise.sources import SourceFile, SourceReader, discover

GOOD = good_run(1)
GOOD_CRC = zlib.crc32(GOOD)


def _archive(tmp_path: Path, data: bytes, name: str = "export.zip") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_bad_deflate_data_fails_the_member_and_the_others_are_stored(tmp_path: Path) -> None:
    path = _archive(tmp_path, raw_zip([("a.gpx", GOOD, STORED, len(GOOD), GOOD_CRC),
                                       ("b.gpx", BAD_DEFLATE, DEFLATED, 5000, 0)]))
    result = ingest(tmp_path, path)
    assert result.exit_code == 1
    assert "Activities: 1 added (1 runs)" in result.stdout
    assert failure_lines(result) == [
        f"  {path}!b.gpx: cannot read (zlib.error: Error -3 while decompressing data: invalid block type)"]


def test_an_unknown_compression_method_fails_the_member(tmp_path: Path) -> None:
    path = _archive(tmp_path, raw_zip([("a.gpx", GOOD, STORED, len(GOOD), GOOD_CRC),
                                       ("b.gpx", GOOD, 99, len(GOOD), GOOD_CRC)]))
    result = ingest(tmp_path, path)
    assert result.exit_code == 1
    assert "Activities: 1 added (1 runs)" in result.stdout
    assert failure_lines(result) == [
        f"  {path}!b.gpx: cannot read (NotImplementedError: That compression method is not supported)"]


def test_a_size_that_lies_stops_at_the_declared_size_and_fails_the_crc(tmp_path: Path) -> None:
    # 64 MB of zeros declared as 1,000 bytes: zipfile inflates no more than the 1,000, whose CRC does not match.
    stream, crc = zeros_deflated(64)
    path = _archive(tmp_path, raw_zip([("a.gpx", GOOD, STORED, len(GOOD), GOOD_CRC),
                                       ("liar.gpx", stream, DEFLATED, 1000, crc)]))
    result = ingest(tmp_path, path)
    assert result.exit_code == 1
    assert failure_lines(result) == [f"  {path}!liar.gpx: cannot read (BadZipFile: Bad CRC-32 for file 'liar.gpx')"]


def _damaged_directory(data: bytes, damage: str) -> bytes:
    """``data`` with its end-of-central-directory record damaged."""
    out = bytearray(data)
    end = len(out) - 22
    cd_offset = struct.unpack_from("<I", out, end + 16)[0]
    if damage == "truncated":
        return bytes(out[:end])
    if damage == "directory size":  # 4 GB, more than the file holds
        struct.pack_into("<I", out, end + 12, 0xFFFF0000)
    else:  # the directory said to start 100 bytes later: zipfile moves every member 100 bytes earlier
        struct.pack_into("<I", out, end + 16, cd_offset + 100)
    return bytes(out)


@pytest.mark.parametrize(("damage", "reason"), [
    ("truncated", "not a readable zip archive (BadZipFile: File is not a zip file)"),
    ("directory size", "not a readable zip archive (BadZipFile: Bad offset for central directory)"),
])
def test_a_damaged_central_directory_fails_the_archive_and_other_paths_go_on(
        damage: str, reason: str, tmp_path: Path) -> None:
    path = _archive(tmp_path, _damaged_directory(zip_bytes({"a.gpx": GOOD}), damage))
    (tmp_path / "logs").mkdir()
    (tmp_path / "logs" / "run.gpx").write_bytes(good_run(2))
    result = ingest(tmp_path, path, tmp_path / "logs")
    assert result.exit_code == 1
    assert "Activities: 1 added (1 runs)" in result.stdout
    assert failure_lines(result) == [f"  {path}: {reason}"]


def test_a_directory_offset_before_the_file_fails_the_member_on_disk_and_nested(tmp_path: Path) -> None:
    damaged = _damaged_directory(zip_bytes({"a.gpx": GOOD}), "directory offset")
    path = _archive(tmp_path, zip_bytes({"b.gpx": good_run(2), "part.zip": damaged}))
    on_disk = _archive(tmp_path, damaged, "damaged.zip")
    result = ingest(tmp_path, path, on_disk)
    assert result.exit_code == 1
    assert "Activities: 1 added (1 runs)" in result.stdout
    # seeking to byte -100: the OS refuses for a file, Python for the nested zip held in memory
    assert failure_lines(result) == [f"  {path}!part.zip!a.gpx: cannot read (ValueError: negative seek value -100)",
                                     f"  {on_disk}!a.gpx: cannot read (Invalid argument)"]


def test_a_zip_bomb_of_1_gb_is_refused_from_its_header_quickly_and_in_little_memory(tmp_path: Path) -> None:
    stream, crc = zeros_deflated(1024)  # 1 GB of zeros in 1 MB
    path = _archive(tmp_path, raw_zip([("bomb.gpx", stream, DEFLATED, 1024 * MB, crc),
                                       ("a.gpx", GOOD, STORED, len(GOOD), GOOD_CRC)]))
    assert path.stat().st_size < 2 * MB
    began, peak_before = time.monotonic(), resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    result = ingest(tmp_path, path)
    assert time.monotonic() - began < 30  # it used to take 62 s and 3.2 GB
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak_before < 200 * 1024  # kB
    assert result.exit_code == 1
    assert "Activities: 1 added (1 runs)" in result.stdout
    assert failure_lines(result) == [
        f"  {path}!bomb.gpx: inflates to 1,024 MB, over the 256 MB limit for one activity file; not read"]


def test_a_member_compressed_past_the_ratio_limit_is_refused(tmp_path: Path) -> None:
    stream, crc = zeros_deflated(64)  # under the size limit, but 64 MB of zeros
    path = _archive(tmp_path, raw_zip([("zeros.tcx", stream, DEFLATED, 64 * MB, crc)]))
    ratio = 64 * MB / len(stream)
    assert 900 < ratio < 1100  # about 1,000 to 1, as deflate gets on zeros
    result = ingest(tmp_path, path)
    assert result.exit_code == 1
    assert failure_lines(result) == [
        f"  {path}!zeros.tcx: compressed {ratio:,.0f} to 1, over the limit of 200 to 1 (a zip bomb, not an activity "
        "file); not read"]


def test_an_archive_past_its_total_budget_reads_the_members_before_it(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archives, "MAX_ARCHIVE_INFLATED_BYTES", len(GOOD) * 2 + 10)
    path = _archive(tmp_path, zip_bytes({f"run-{day}.gpx": good_run(day) for day in (1, 2, 3)}))
    result = ingest(tmp_path, path)
    assert result.exit_code == 1
    assert "Activities: 2 added (2 runs)" in result.stdout
    assert failure_lines(result) == [
        f"  {path}!run-3.gpx: the archive inflates to more than {(len(GOOD) * 2 + 10) / MB:,.2f} MB in all; this "
        "member and the ones after it are not read"]


def test_a_zip_nested_1200_deep_is_opened_three_levels_deep(tmp_path: Path) -> None:
    path = _archive(tmp_path, nested_zip(1200, {"deepest.gpx": good_run(1)}, {"run.gpx": good_run(2)}))
    result = ingest(tmp_path, path)
    assert result.exit_code == 1
    assert "Activities: 1 added (1 runs)" in result.stdout
    assert failure_lines(result) == [
        f"  {path}!level-2.zip!level-3.zip!level-4.zip: zip nested more than 3 archives deep; not opened"]


def test_a_garmin_export_zipped_again_is_read(tmp_path: Path) -> None:
    path = _archive(tmp_path, nested_zip(3, {"run.gpx": good_run(1)}))
    result = ingest(tmp_path, path)
    assert result.exit_code == 0, result.output
    assert "Activities: 1 added (1 runs)" in result.stdout


def test_a_damaged_nested_zip_is_listed_again_while_the_archive_is_unchanged(tmp_path: Path) -> None:
    path = _archive(tmp_path, zip_bytes({"a.gpx": GOOD, "part.zip": b"PK\x03\x04 not really"}))
    first = ingest(tmp_path, path)
    reason = "not a readable zip archive (BadZipFile: File is not a zip file)"
    assert first.exit_code == 1
    assert failure_lines(first) == [f"  {path}!part.zip: {reason}"]
    again = ingest(tmp_path, path)
    assert again.exit_code == 0  # an old failure is listed but no longer fails the command
    assert "Files: 0 found" in again.stdout  # the archive is not even opened
    assert failure_lines(again) == [f"  {path}!part.zip: {reason} (unchanged since the last try)"]


def test_a_damaged_archive_fails_once_and_is_listed_as_unchanged_until_it_changes(tmp_path: Path) -> None:
    path = _archive(tmp_path, _damaged_directory(zip_bytes({"a.gpx": GOOD}), "truncated"))
    reason = "not a readable zip archive (BadZipFile: File is not a zip file)"
    first = ingest(tmp_path, path)
    assert (first.exit_code, failure_lines(first)) == (1, [f"  {path}: {reason}"])
    again = ingest(tmp_path, path)  # the next night: listed, but not a new failure, so the batch stays quiet
    assert again.exit_code == 0, again.output
    assert failure_lines(again) == [f"  {path}: {reason} (unchanged since the last try)"]
    path.write_bytes(zip_bytes({"a.gpx": GOOD}))  # downloaded again, whole this time
    repaired = ingest(tmp_path, path)
    assert repaired.exit_code == 0, repaired.output
    assert "Activities: 1 added (1 runs)" in repaired.stdout
    assert "Could not read" not in repaired.stdout


def test_a_parser_upgrade_reads_the_members_of_an_unchanged_archive_again(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    path = _archive(tmp_path, zip_bytes({"a.gpx": good_run(1), "b.gpx": good_run(2)}))
    assert "Files: 2 found, 2 read" in ingest(tmp_path, path).stdout
    assert "Files: 0 found, 0 read" in ingest(tmp_path, path).stdout
    monkeypatch.setattr(ingest_module, "PARSER_VERSION", ingest_module.PARSER_VERSION + 1)
    assert "Files: 2 found, 2 read" in ingest(tmp_path, path).stdout


def test_members_are_streamed_from_each_archive_opened_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    inner = zip_bytes({"x.gpx": b"x" * 100, "y.gpx": b"y" * 200})
    path = _archive(tmp_path, zip_bytes({"a.gpx": b"a" * 10, "b.gpx": b"b" * 20, "part.zip": inner}))
    opened: list[str] = []
    real_zipfile = zipfile.ZipFile

    def counting(file: object, *args: object, **kwargs: object) -> zipfile.ZipFile:
        opened.append(file if isinstance(file, str) else "nested")
        return real_zipfile(file, *args, **kwargs)  # type: ignore[arg-type]

    sources = [s for s in discover([path]) if isinstance(s, SourceFile)]
    assert [s.chain[1:] for s in sources] == [("a.gpx",), ("b.gpx",), ("part.zip", "x.gpx"), ("part.zip", "y.gpx")]
    monkeypatch.setattr(reader_module.zipfile, "ZipFile", counting)
    with SourceReader() as reader:
        assert [len(reader.read(s)) for s in sources] == [10, 20, 100, 200]
    assert opened == [str(path), "nested"]
