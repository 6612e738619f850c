"""The fixed split of the real device files into a tune half and a measure half.

Settings may be chosen looking at the tune half only; tests and docs/metrics.md report the measure half (and the
tune half beside it). The rule: sort the names of the files in ../shared/real_logs/fit by the SHA-256 of the name;
files at even places are the tune half, at odd places the measure half. It depends on the names alone.
"""

from __future__ import annotations

import functools
import hashlib
import os
from pathlib import Path
from typing import Literal

Half = Literal["tune", "measure"]

# The same folder as conftest.REAL_LOGS (STRIDEWISE_REAL_LOGS overrides it).
REAL_FIT = Path(os.environ.get("STRIDEWISE_REAL_LOGS", Path(__file__).resolve().parent.parent.parent / "shared"
                               / "real_logs")) / "fit"


def _digest(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


@functools.cache
def _tune_names() -> frozenset[str]:
    names = sorted((p.name for p in REAL_FIT.iterdir()), key=_digest) if REAL_FIT.is_dir() else []
    return frozenset(names[0::2])


def half_of(file_name: str) -> Half:
    return "tune" if file_name in _tune_names() else "measure"
