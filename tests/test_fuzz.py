"""The fuzz harness (scripts/fuzz.py): its mutators, its verdicts, and a fast fixed-seed run with no defect.

The long run (`make fuzz`, at least 20,000 inputs) is recorded in docs/robustness.md.
"""

from __future__ import annotations

import importlib.util
import io
import random
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from conftest import PROJECT_ROOT


def _module(name: str) -> ModuleType:
    path = PROJECT_ROOT / "scripts" / f"{name}.py"
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


fi = _module("fuzz_inputs")
fuzz = _module("fuzz")
SEEDS = fi.seed_files(fuzz.SEED_ROOTS, max_bytes=fuzz.MAX_SEED_BYTES)
FIT = next(p.read_bytes() for p in SEEDS if p.suffix == ".fit")
GPX = next(p.read_bytes() for p in SEEDS if p.suffix == ".gpx")


def test_seeds_come_from_the_repository_itself() -> None:
    assert len(SEEDS) >= 20
    assert all(p.is_relative_to(PROJECT_ROOT / "tests" / "data") or p.is_relative_to(PROJECT_ROOT / "sample_logs")
               for p in SEEDS)


def test_mutators_change_the_bytes_they_apply_to_and_skip_the_rest() -> None:
    rng = random.Random(5)
    flipped = fi.bit_flips(FIT, rng)
    assert len(flipped) == len(FIT) and flipped != FIT
    assert len(fi.truncate(FIT, rng)) < len(FIT)
    header = fi.fit_header(FIT, rng)
    assert header != FIT and header[14:] == FIT[14:]  # only the 14-byte header changed
    assert fi.fit_header(GPX, rng) is None and fi.fit_definitions(GPX, rng) is None
    assert fi.broken_xml(FIT, rng) is None
    changed = [fi.fit_definitions(FIT, random.Random(n)) for n in range(20)]
    assert all(c is not None and len(c) == len(FIT) and c[:14] == FIT[:14] for c in changed)
    assert sum(c != FIT for c in changed) >= 15


def test_generated_inputs_have_the_shape_they_claim() -> None:
    assert fi.deep_xml(1000).count(b"<a>") == 1000
    data = fi.nested_zip(b"payload", "run.fit", 3)
    for level in (2, 1, 0):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            (name,) = archive.namelist()
            data = archive.read(name)
        assert name == f"level{level - 1}.zip" if level else name == "run.fit"
    assert data == b"payload"
    bomb = fi.zero_bomb_zip(8)
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:
        assert archive.infolist()[0].file_size == 8 * 2**20
    assert len(bomb) < 8 * 2**20 / 500  # a compression ratio above 500:1


def _verdicts(monkeypatch: pytest.MonkeyPatch, result: subprocess.CompletedProcess[str] | None) -> list[str]:
    listing = subprocess.CompletedProcess([], 0, "[]", "")
    monkeypatch.setattr(fuzz, "_stridewise", lambda args, timeout: result if args[0] == "ingest" else listing)
    summary = fuzz.Summary()
    fuzz.run_batch([fi.Input("a.fit", FIT, "bit_flips"), fi.Input("b.gpx", GPX, "truncate")],
                   Path(fuzz.tempfile.mkdtemp()), summary)
    return [d["outcome"] for d in summary.defects]


def test_the_harness_names_a_hang_a_crash_and_a_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    assert _verdicts(monkeypatch, None) == ["hang", "hang"]
    assert _verdicts(monkeypatch, subprocess.CompletedProcess([], -11, "", "")) == ["crash", "crash"]
    traceback = subprocess.CompletedProcess([], 1, "", "Traceback (most recent call last):\n  ...\nzlib.error")
    assert _verdicts(monkeypatch, traceback) == ["traceback", "traceback"]
    assert _verdicts(monkeypatch, subprocess.CompletedProcess([], 0, "Files: 2 found", "")) == ["missing", "missing"]


def test_the_summary_lines_are_read_per_file_and_a_second_line_is_kept() -> None:
    out = "Files: 2 found\nCould not read (2):\n  /x/a.fit: truncated\n  /x/b.zip!c.gpx: bad XML\n  at line 3"
    assert fuzz._listed(out) == {"/x/a.fit": ["truncated"], "/x/b.zip!c.gpx": ["bad XML", "  at line 3"]}


# Generated inputs (damaged and nested zips, deep XML, bombs) need the parse isolation and archive limits of
# stridewise.ingest.workers; until that is in the tree the fast run mutates real files only.
ISOLATION = (PROJECT_ROOT / "src" / "stridewise" / "ingest" / "workers.py").is_file()


def test_a_fast_fixed_seed_run_has_no_defect() -> None:
    summary = fuzz.run(fi.inputs(300, 1, SEEDS, generated_every=100 if ISOLATION else 301), batch_size=300)
    assert summary.defects == []
    assert summary.inputs == 300
    assert summary.outcomes["ok"] > 50 and summary.outcomes["listed"] > 50
