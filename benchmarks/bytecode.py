"""Benchmarks time stridewise as a runner has it installed: its modules compiled to bytecode once.

pip compiles a package's modules when it installs it, and an editable install writes them on its first run. This
machine and CI set PYTHONDONTWRITEBYTECODE=1, so without this step every process a benchmark starts would compile
stridewise's 100-odd source files again (`check` up to its first step: 0.574 s against 0.538 s compiled,
benchmarks/breakdown.py, 2026-11-27), which no installed copy pays.
"""

from __future__ import annotations

import compileall
from pathlib import Path

SRC = Path(__file__).resolve().parent.parent / "src"


def compile_sources(*trees: Path | None) -> None:
    """Write the bytecode of ``trees`` (default: this checkout's src/), as an installation would."""
    for tree in trees or (None,):
        compileall.compile_dir(str(tree or SRC), quiet=1)
