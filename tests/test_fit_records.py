"""Decoded FIT records agree with the ``*-records.csv`` files another decoder wrote (fitparse's test oracles)."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import REAL_LOGS, parse_real, real_log_params
from stridewise import columns as col
from stridewise.errors import InputError
from stridewise.parsers.fit import SEMICIRCLES_TO_DEGREES

# The oracles' column names -> ours; positions are semicircles in the oracles.
ORACLE_COLUMNS = {
    "heart_rate": col.HEART_RATE, "Heart Rate [bpm]": col.HEART_RATE,
    "speed": col.SPEED_M_S, "Speed [m/s]": col.SPEED_M_S,
    "distance": col.DISTANCE_M, "Distance [m]": col.DISTANCE_M,
    "cadence": col.CADENCE, "Cadence [rpm]": col.CADENCE,
    "altitude": col.ALTITUDE_M,
    "position_lat": col.LAT, "position_long": col.LON,
}


def _number(text: str) -> float:
    text = text.strip()
    return float(text) if text not in ("", "null", "None") else np.nan


def _oracle(path: Path) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Seconds relative to the last row, and each oracle column mapped to our names."""
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, skipinitialspace=True))
    time_key = next(k for k in rows[0] if k.lower().strip() == "timestamp")
    raw = [r[time_key].strip() for r in rows]
    if raw[0].isdigit():  # device-relative seconds (a Forerunner 70 without a clock)
        seconds = np.array([float(t) for t in raw])
    else:  # "Mon Jun 12 09:10:15 PDT 2017"
        seconds = np.array([datetime.strptime(t.replace("PDT", "-0700"), "%a %b %d %H:%M:%S %z %Y").timestamp()
                            for t in raw])
    values = {}
    for key in rows[0]:
        name = ORACLE_COLUMNS.get(key.strip())
        if name is not None:
            values[name] = np.array([_number(r[key]) for r in rows])
    for name in (col.LAT, col.LON):
        if name in values:
            values[name] = values[name] * SEMICIRCLES_TO_DEGREES
    return seconds - seconds[-1], values


@pytest.mark.parametrize("oracle", real_log_params("fit", "-records.csv"))
def test_records_match_the_oracle_csv(oracle: Path) -> None:
    fit_path = oracle.with_name(oracle.name.replace("-records.csv", ".fit"))
    result = parse_real(fit_path)
    assert not isinstance(result, InputError), result
    stream = pd.concat([a.stream for a in result], ignore_index=True)
    ours_s = (stream[col.TIME] - stream[col.TIME].iloc[-1]).dt.total_seconds().to_numpy()
    oracle_s, oracle_values = _oracle(oracle)

    index = {round(s): i for i, s in enumerate(ours_s)}
    matched = [(index[round(s)], j) for j, s in enumerate(oracle_s) if round(s) in index]
    assert len(matched) == len(oracle_s), "every oracle record has a record at the same time"
    ours_rows = [i for i, _ in matched]
    for name, expected in oracle_values.items():
        got = stream[name].to_numpy()[ours_rows]
        if name == col.CADENCE:
            got = np.floor(got)  # we add FIT's fractional_cadence (half strides); the oracle shows whole ones
        tolerance = 1e-7 if name in (col.LAT, col.LON) else 1e-3
        np.testing.assert_allclose(got, expected, atol=tolerance, equal_nan=True, err_msg=name)


def test_oracles_are_present_or_skipped_with_reason() -> None:
    params = real_log_params("fit", "-records.csv")
    if REAL_LOGS.is_dir():
        assert len(params) == 5
