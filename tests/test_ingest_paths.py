"""Paths that cannot be read: undecodable names, unreadable folders and files, symlink loops. Each is a listed
failure with a one-line reason; everything else is stored."""

from __future__ import annotations

import builtins
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import stridewise.sources.reader as reader_module
from conftest import cli_runner
from hostile import failure_lines, good_run, ingest
from stridewise.cli import app

AS_ROOT = os.geteuid() == 0  # root reads whatever the permissions say: then the refusal is simulated


def _logs(tmp_path: Path) -> Path:
    folder = tmp_path / "logs"
    folder.mkdir()
    (folder / "good.gpx").write_bytes(good_run(1))
    return folder


def test_a_name_that_is_not_utf8_is_stored_and_shown_escaped(tmp_path: Path) -> None:
    logs = _logs(tmp_path)
    raw = os.fsencode(logs) + b"/run-\xff\xfe.gpx"
    with open(raw, "wb") as out:
        out.write(good_run(2))
    with open(os.fsencode(logs) + b"/cut-\xff.tcx", "wb") as out:
        out.write(b"<TrainingCenterDatabase>")
    result = ingest(tmp_path, logs)
    assert result.exit_code == 1
    assert "Activities: 2 added (2 runs)" in result.stdout
    assert failure_lines(result) == [
        f"  {logs}/cut-\\xff.tcx: not well-formed XML (no element found: line 1, column 24)"]
    listed = cli_runner().invoke(app, ["activities", "--json", "--db", str(tmp_path / "s.sqlite3")])
    assert listed.exit_code == 0, listed.output
    assert sorted(a["source"] for a in json.loads(listed.stdout)) == [f"{logs}/good.gpx", f"{logs}/run-\\xff\\xfe.gpx"]
    again = ingest(tmp_path, logs)  # the escaped key finds the stored file again
    assert "Files: 3 found, 0 read, 3 unchanged." in again.stdout


def test_a_control_character_in_a_name_stays_on_one_line(tmp_path: Path) -> None:
    logs = _logs(tmp_path)
    (logs / "two\nlines.gpx").write_text("<gpx>")
    result = ingest(tmp_path, logs)
    assert failure_lines(result)[0].startswith(f"  {logs}/two\\x0alines.gpx: ")


@pytest.fixture
def unreadable(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Path]]:
    """Paths put in this list cannot be read: their permissions are 000 (or, as root, opening them fails)."""
    paths: list[Path] = []
    real_scandir, real_open = os.scandir, builtins.open

    def scandir(path: Any = ".") -> Any:
        if Path(os.fsdecode(path)) in paths:
            raise PermissionError(13, "Permission denied", os.fsdecode(path))
        return real_scandir(path)

    def open_(file: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(file, str) and Path(file) in paths:
            raise PermissionError(13, "Permission denied", file)
        return real_open(file, *args, **kwargs)

    if AS_ROOT:
        monkeypatch.setattr(os, "scandir", scandir)
        monkeypatch.setattr(reader_module, "open", open_, raising=False)  # read in the forked workers
    yield paths
    for path in paths:
        path.chmod(0o755)


def _forbid(paths: list[Path], path: Path) -> None:
    paths.append(path)
    path.chmod(0o000)


def test_an_unreadable_subfolder_is_listed_and_the_rest_is_stored(tmp_path: Path, unreadable: list[Path]) -> None:
    logs = _logs(tmp_path)
    (logs / "locked").mkdir()
    (logs / "locked" / "run.gpx").write_bytes(good_run(2))
    _forbid(unreadable, logs / "locked")
    result = ingest(tmp_path, logs)
    assert result.exit_code == 1
    assert "Activities: 1 added (1 runs)" in result.stdout
    assert failure_lines(result) == [f"  {logs / 'locked'}: cannot read this folder (Permission denied)"]


def test_an_unreadable_file_named_on_the_command_line_is_listed(tmp_path: Path, unreadable: list[Path]) -> None:
    logs = _logs(tmp_path)
    locked = tmp_path / "locked.fit"
    locked.write_bytes(b"x" * 100)
    _forbid(unreadable, locked)
    result = ingest(tmp_path, locked, logs)
    assert result.exit_code == 1
    assert "Activities: 1 added (1 runs)" in result.stdout
    assert failure_lines(result) == [f"  {locked}: cannot read (Permission denied)"]


def test_a_file_in_a_folder_that_cannot_be_searched_is_listed(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    logs = _logs(tmp_path)
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "run.gpx").write_bytes(good_run(2))
    if AS_ROOT:  # what the system says to others when a folder lacks the x permission
        real_stat, real_lstat = os.stat, os.lstat

        def refuse(real: Any) -> Any:
            def stat(path: Any, *args: Any, **kwargs: Any) -> Any:
                if Path(os.fsdecode(path)).parent == locked:
                    raise PermissionError(13, "Permission denied", os.fsdecode(path))
                return real(path, *args, **kwargs)
            return stat

        monkeypatch.setattr(os, "stat", refuse(real_stat))
        monkeypatch.setattr(os, "lstat", refuse(real_lstat))
    else:
        locked.chmod(0o600)
    try:
        result = ingest(tmp_path, locked / "run.gpx", logs)
    finally:
        locked.chmod(0o755)
    assert result.exit_code == 1
    assert "Activities: 1 added (1 runs)" in result.stdout
    assert failure_lines(result) == [f"  {locked / 'run.gpx'}: cannot read (Permission denied)"]


def test_a_symlink_loop_given_as_an_argument_is_listed(tmp_path: Path) -> None:
    logs = _logs(tmp_path)
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    result = ingest(tmp_path, loop, logs)
    assert result.exit_code == 1
    assert "Activities: 1 added (1 runs)" in result.stdout
    assert failure_lines(result) == [f"  {loop}: cannot read (symbolic link loop)"]


def test_a_symlink_loop_inside_a_folder_is_listed_only_if_named_like_an_activity(tmp_path: Path) -> None:
    logs = _logs(tmp_path)
    (logs / "loop.fit").symlink_to(logs / "loop.fit")
    (logs / "notes").symlink_to(logs / "notes")
    result = ingest(tmp_path, logs)
    assert result.exit_code == 1
    assert failure_lines(result) == [f"  {logs / 'loop.fit'}: cannot read (symbolic link loop)"]


def test_a_fifo_named_on_the_command_line_is_not_read(tmp_path: Path) -> None:
    logs = _logs(tmp_path)
    fifo = tmp_path / "pipe.gpx"
    os.mkfifo(fifo)
    result = ingest(tmp_path, fifo, logs)
    assert result.exit_code == 1
    assert failure_lines(result) == [f"  {fifo}: not a regular file"]


def test_a_plain_file_over_the_size_limit_is_refused_unread(tmp_path: Path) -> None:
    logs = _logs(tmp_path)
    with open(logs / "huge.gpx", "wb") as out:
        out.truncate(300 * 2**20)  # sparse: 300 MB that take no disk space
    result = ingest(tmp_path, logs)
    assert result.exit_code == 1
    assert "Activities: 1 added (1 runs)" in result.stdout
    assert failure_lines(result) == [
        f"  {logs / 'huge.gpx'}: 300 MB, over the 256 MB limit for one activity file; not read"]
