"""docs/api.md's examples run against the sample logs and return real rows."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import stridewise
from conftest import PROJECT_ROOT, sample_store_copy

API_MD = PROJECT_ROOT / "docs" / "api.md"


def example(comment: str) -> str:
    """The expression on the line of docs/api.md's code that ends with ``# <comment>...``."""
    (line,) = [line for line in API_MD.read_text().splitlines() if f"# {comment}" in line]
    return re.sub(r"\s*#.*$", "", line)


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory, sample_store: Path) -> stridewise.TrainingLog:
    return stridewise.load(db=sample_store_copy(sample_store, tmp_path_factory.mktemp("api")))


def test_the_biggest_spikes_example_returns_real_rows(log: stridewise.TrainingLog, tmp_path: Path) -> None:
    spikes = eval(example("the biggest single-run spikes"), {"log": log})
    assert isinstance(spikes, pd.DataFrame) and len(spikes) == 5
    assert spikes["distance_spike_ratio"].notna().all()
    assert spikes["distance_spike_ratio"].is_monotonic_decreasing
    # The biggest is the 34 km ultra of 27 Sep against the 16 km before it (the sample season's planned spike).
    assert spikes["distance_spike_ratio"].iloc[0] == pytest.approx(34 / 16, rel=0.01)
