"""Isolation: whatever a reader does with one file (raise, recurse, exhaust memory, hang, die of a signal), only that
file fails, with a one-line reason; every other file is stored, with one job or several."""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest

import stridewise.ingest.parse as parse_module
import stridewise.ingest.workers as workers
from hostile import failure_lines, good_run, ingest
from stridewise.model import Activity
from stridewise.parsers import parse_bytes

CULPRIT = "b-culprit.gpx"


def _recurse(depth: int = 0) -> int:
    return _recurse(depth + 1) + 1


def _segfault() -> None:
    os.kill(os.getpid(), signal.SIGSEGV)


def _allocate_too_much() -> None:
    np.ones(3 * 2**30, dtype=np.uint8)  # 3 GB, beyond what a worker may take


CRASHES: dict[str, tuple[Callable[[], object], str]] = {
    "exception": (lambda: 1 / 0, "the reader crashed (ZeroDivisionError: division by zero)"),
    "recursion": (_recurse, "the reader crashed (RecursionError: maximum recursion depth exceeded)"),
    "memory": (_allocate_too_much, "out of memory: reading it needs more than 1,024 MB"),
    "segfault": (_segfault, "the reader crashed (killed by SIGSEGV)"),
    "exit": (lambda: os._exit(3), "the reader crashed (exit code 3)"),
    "sys.exit": (lambda: sys.exit(4), "the reader crashed (SystemExit: 4)"),
}


def _logs_with_a_culprit(folder: Path) -> Path:
    folder.mkdir()
    for day, name in enumerate(("a-first.gpx", CULPRIT, "c-last.gpx"), start=1):
        (folder / name).write_bytes(good_run(day))
    return folder


def _crash_on_culprit(monkeypatch: pytest.MonkeyPatch, crash: Callable[[], object]) -> None:
    """The reader of the culprit crashes; the workers are forked from this process, so they run the patch."""
    def reader(data: bytes, key: str) -> list[Activity]:
        if key.endswith(CULPRIT):
            crash()
        return parse_bytes(data, key)

    monkeypatch.setattr(parse_module, "parse_bytes", reader)


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked (and memory capped) on Linux only")
@pytest.mark.parametrize("jobs", [1, 2])
@pytest.mark.parametrize("kind", list(CRASHES))
def test_a_crashing_reader_fails_its_file_only_and_the_file_is_not_read_again(
        kind: str, jobs: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    crash, reason = CRASHES[kind]
    logs = _logs_with_a_culprit(tmp_path / "logs")
    _crash_on_culprit(monkeypatch, crash)
    result = ingest(tmp_path, logs, jobs=jobs)
    assert result.exit_code == 1
    assert "Files: 3 found, 3 read, 0 unchanged." in result.stdout
    assert "Activities: 2 added (2 runs)" in result.stdout
    assert failure_lines(result) == [f"  {logs / CULPRIT}: {reason}"]
    assert result.stderr == "Error: 1 file(s) could not be read (listed above)\n"
    again = ingest(tmp_path, logs, jobs=jobs)  # the crash is recorded: the next night does not crash again
    assert again.exit_code == 0  # an old failure is listed but no longer fails the command
    assert "Files: 3 found, 0 read, 3 unchanged." in again.stdout
    assert failure_lines(again) == [f"  {logs / CULPRIT}: {reason} (unchanged since the last try)"]


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_a_reader_that_hangs_is_stopped_after_the_timeout(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    logs = _logs_with_a_culprit(tmp_path / "logs")
    monkeypatch.setattr(workers, "FILE_TIMEOUT_S", 5.0)  # the other files take well under a second
    _crash_on_culprit(monkeypatch, lambda: time.sleep(120))
    began = time.monotonic()
    result = ingest(tmp_path, logs, jobs=1)
    assert time.monotonic() - began < 60
    assert result.exit_code == 1
    assert "Activities: 2 added (2 runs)" in result.stdout
    assert failure_lines(result) == [f"  {logs / CULPRIT}: the reader took longer than 5 s; stopped"]


def test_many_files_come_back_in_order_from_two_workers(tmp_path: Path) -> None:
    logs = tmp_path / "logs"
    logs.mkdir()
    for day in range(1, 13):
        (logs / f"run-{day:02d}.gpx").write_bytes(good_run(day, km=1.0 + day / 10))
    result = ingest(tmp_path, logs, jobs=2)
    assert result.exit_code == 0, result.output
    assert "Activities: 12 added (12 runs)" in result.stdout
    from stridewise.store import Store

    with Store(tmp_path / "s.sqlite3") as store:
        stored = [(Path(a.source).name, round((a.distance_m or 0) / 100)) for a in store.activities()]
    assert stored == [(f"run-{day:02d}.gpx", 10 + day) for day in range(1, 13)]


@pytest.mark.skipif(sys.platform != "linux", reason="workers are forked on Linux only")
def test_a_gpx_nested_150000_deep_costs_only_its_own_file(tmp_path: Path) -> None:
    # The XML stack of the GPX reader used to die of SIGSEGV on this (issue 10), taking every later file with it.
    # The reason depends on the reader (a crash, or a depth limit of the XML parser), so only its shape is checked.
    logs = _logs_with_a_culprit(tmp_path / "logs")
    depth = 150_000
    (logs / CULPRIT).write_bytes(good_run(2).replace(
        b"<trkseg>", b"<extensions>" + b"<x>" * depth + b"</x>" * depth + b"</extensions><trkseg>", 1))
    result = ingest(tmp_path, logs, jobs=1)
    assert result.exit_code == 1
    assert "Activities: 2 added (2 runs)" in result.stdout
    (line,) = failure_lines(result)
    assert line.startswith(f"  {logs / CULPRIT}: ") and len(line) < 300
