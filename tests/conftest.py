"""Shared fixtures: a fresh store per test, and the real device files in ../shared/real_logs."""

from __future__ import annotations

import csv
import functools
import inspect
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from stridewise.errors import InputError
from stridewise.model import Activity
from stridewise.parsers import parse_bytes
from stridewise.store import Store

PROJECT_ROOT = Path(__file__).resolve().parent.parent
TESTS_DATA = Path(__file__).resolve().parent / "data"
SAMPLE_LOGS = PROJECT_ROOT / "sample_logs"
# STRIDEWISE_REAL_LOGS=/nowhere runs the suite as a clean clone without ../shared would.
REAL_LOGS = Path(os.environ.get("STRIDEWISE_REAL_LOGS", PROJECT_ROOT.parent / "shared" / "real_logs"))
REAL_LOGS_MISSING = f"real device files not found at {REAL_LOGS} (they live in ../shared/real_logs beside the project)"

requires_real_logs = pytest.mark.skipif(not REAL_LOGS.is_dir(), reason=REAL_LOGS_MISSING)


def real_log_params(folder: str, *suffixes: str) -> list[object]:
    """One pytest param per real file in ``folder`` (id = file name), or a single skipped param if absent."""
    if not REAL_LOGS.is_dir():
        return [pytest.param(None, marks=pytest.mark.skip(reason=REAL_LOGS_MISSING), id=folder)]
    paths = sorted(p for p in (REAL_LOGS / folder).iterdir()
                   if p.is_file() and (not suffixes or p.name.lower().endswith(suffixes)))
    return [pytest.param(p, id=p.name) for p in paths]


@functools.cache
def parse_real(path: Path) -> list[Activity] | InputError:
    """Parse a real file once per test session (fitparse is slow); returns the error instead of raising."""
    try:
        return parse_bytes(path.read_bytes(), path.name)
    except InputError as exc:
        return exc


def real_fit_activity_params(keep: Callable[[Activity], bool],
                             marks: Callable[[str], list[pytest.MarkDecorator]] | None = None) -> list[object]:
    """One param per activity of the real FIT files for which ``keep`` holds, id ``file#session``."""
    params: list[object] = []
    for param in real_log_params("fit", ".fit", ".fit.gz"):
        path = param.values[0]  # type: ignore[attr-defined]
        if path is None:
            return [param]
        result = parse_real(path)
        if isinstance(result, InputError):
            continue
        for activity in result:
            if keep(activity):
                key = f"{path.name}#{activity.session_index}"
                params.append(pytest.param(activity, id=key, marks=marks(key) if marks else []))
    return params


@functools.cache
def manifest() -> dict[str, dict[str, str]]:
    with (REAL_LOGS / "MANIFEST.tsv").open(encoding="utf-8") as handle:
        return {row["file"]: row for row in csv.DictReader(handle, delimiter="\t")}


@pytest.fixture
def fresh_store(tmp_path: Path) -> Store:
    store = Store(tmp_path / "store.sqlite3")
    yield store  # type: ignore[misc]
    store.close()


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample logs ingested once per test session. Tests copy it (:func:`sample_store_copy`) before writing."""
    from stridewise.ingest import ingest

    db = tmp_path_factory.mktemp("sample-store") / "store.sqlite3"
    with Store(db) as store:
        report = ingest([SAMPLE_LOGS], store, jobs=2)
    assert report.ok, report.failures
    return db


def sample_store_copy(sample_store: Path, folder: Path) -> Path:
    """A private copy of the session's sample store: re-ingesting sample_logs into it finds every file unchanged."""
    folder.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy(sample_store, folder / "store.sqlite3"))


def cli_runner() -> CliRunner:
    """A CliRunner with stderr kept apart from stdout on every Click the project allows.

    Click 8.2 always separates them and dropped ``mix_stderr``; Click 8.1 (the minimum set, constraints-min.txt)
    mixes them unless told not to.
    """
    if "mix_stderr" in inspect.signature(CliRunner).parameters:
        return CliRunner(mix_stderr=False)  # type: ignore[call-arg]
    return CliRunner()
