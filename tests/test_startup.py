"""What a command loads: `check` and `--help` never import matplotlib (it is a third of a second of start-up).

Each command runs in a fresh interpreter, which then reports the heavy libraries it imported. A structural fact,
not a timing: benchmarks/report.py measures the start-up times.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from builders import gpx, morning, straight_run

HEAVY = ("matplotlib", "pandas", "jinja2")
# Runs the CLI in-process with the given arguments, then prints which of HEAVY it imported.
RUN_AND_LIST = f"""
import json, sys
from stridewise.cli import app
sys.argv = ["stridewise", *sys.argv[1:]]
try:
    app()
except SystemExit as exc:
    code = exc.code
print(json.dumps({{"code": code, "loaded": [m for m in {HEAVY!r} if m in sys.modules]}}))
"""


def loaded_by(*args: str) -> tuple[int, list[str]]:
    result = subprocess.run([sys.executable, "-c", RUN_AND_LIST, *args], capture_output=True, text=True,
                            check=True, timeout=120)
    report = json.loads(result.stdout.strip().splitlines()[-1])
    return int(report["code"] or 0), list(report["loaded"])


@pytest.fixture(scope="module")
def logs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("logs")
    for day in (1, 3, 5):
        points = straight_run(morning(day), distance_m=6000, pace_s_per_km=330, interval_s=10)
        (folder / f"run-{day}.gpx").write_bytes(gpx(points))
    return folder


def test_help_imports_no_heavy_library() -> None:
    assert loaded_by("--help") == (0, [])


def test_check_does_not_import_matplotlib(logs: Path, tmp_path: Path) -> None:
    code, loaded = loaded_by("check", str(logs), "--db", str(tmp_path / "s.sqlite3"))
    assert code == 0
    assert "pandas" in loaded  # check did its work: the week's series are pandas tables
    assert "matplotlib" not in loaded


def test_the_report_imports_matplotlib_to_draw(logs: Path, tmp_path: Path) -> None:
    # The counterpart of the check test: the same probe does see matplotlib when a command draws.
    code, loaded = loaded_by("report", str(logs), "--db", str(tmp_path / "s.sqlite3"), "--out", str(tmp_path))
    assert code == 0
    assert "matplotlib" in loaded


def test_importing_the_report_package_does_not_import_matplotlib() -> None:
    # batch hashes each week's report data before deciding what to draw; a run with nothing new draws nothing.
    code = "import sys, stridewise.report, stridewise.report.build; print('matplotlib' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120)
    assert result.stdout.strip() == "False"


def test_the_command_line_leaves_its_objects_out_of_the_exit_collection(tmp_path: Path) -> None:
    # main() freezes the objects once the command is over, so the interpreter's last cycle collection skips them
    # (0.2 s after a report, benchmarks/breakdown.py); atexit handlers still run after it, and the file is written.
    code = ("import atexit, gc, sys\n"
            "from stridewise.cli import main\n"
            "atexit.register(lambda: print('frozen', gc.get_freeze_count(), file=sys.stderr))\n"
            "sys.argv = ['stridewise', 'rules', '--markdown']\n"
            "main()\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("# ")  # the command's own output, whole
    frozen = int(done.stderr.split("frozen ")[1].split()[0])
    assert frozen > 10_000  # every object of typer, the registry and the standard library loaded by then
