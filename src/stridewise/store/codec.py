"""Streams in the store: one compressed ``.npz`` blob per activity, one array per column."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd

from stridewise import columns as col


def encode_stream(stream: pd.DataFrame) -> bytes:
    arrays = {name: stream[name].to_numpy(dtype=float) for name in col.NUMERIC_COLUMNS}
    arrays[col.TIME] = stream[col.TIME].to_numpy(dtype="datetime64[ns]").astype(np.int64)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
    return buffer.getvalue()


def decode_stream(blob: bytes) -> pd.DataFrame:
    with np.load(io.BytesIO(blob), allow_pickle=False) as arrays:
        frame = pd.DataFrame({col.TIME: pd.to_datetime(arrays[col.TIME], unit="ns", utc=True)})
        for name in col.NUMERIC_COLUMNS:
            frame[name] = arrays[name]
    return frame
