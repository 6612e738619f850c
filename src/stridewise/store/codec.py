"""Streams in the store: one blob per activity, the columns as raw little-endian arrays compressed with zstd.

Layout of a blob: ``MAGIC``, the number of samples (uint64 LE), then one zstd frame holding the time column
(int64 ns since the epoch, delta-coded) followed by every numeric column (float64), each byte-shuffled (the 8 bytes
of every value grouped by position, as Blosc does) so that zstd sees the slowly varying high bytes together.
Blobs written before this format (``.npz``, a zip) are still read.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Final

import numpy as np
import pandas as pd
import zstandard

from stridewise import columns as col
from stridewise.errors import StoreError, describe
from stridewise.model import stream_frame

MAGIC: Final = b"SWZ1"
_NPZ_MAGIC: Final = b"PK"
# zstd level 3 (its default): measured on the real FIT files, level 9 saves under 5% more at 3x the time.
ZSTD_LEVEL: Final = 3
_COLUMNS: Final = (col.TIME, *col.NUMERIC_COLUMNS)
_HEADER: Final = struct.Struct("<4sQ")


@dataclass(frozen=True)
class PackedStream:
    """A stream as the store keeps it, with what the store records about it.

    Ingest packs each stream in the worker process that read it, so that only this blob (about a sixth of the
    pickled DataFrame) crosses to the process that writes the store.
    """

    blob: bytes
    n_points: int
    end_utc: datetime
    columns_present: int  # numeric columns with at least one value (what a richer export of the same run has more of)


def pack_stream(stream: pd.DataFrame) -> PackedStream:
    values = _numeric(stream)
    present = int((~np.isnan(values)).any(axis=0).sum()) if len(stream) else 0
    return PackedStream(_encode(stream, values), len(stream), stream[col.TIME].iloc[-1].to_pydatetime(), present)


def encode_stream(stream: pd.DataFrame) -> bytes:
    return _encode(stream, _numeric(stream))


def _numeric(stream: pd.DataFrame) -> np.ndarray:
    """The numeric columns side by side (samples x columns): one pandas call instead of one per column."""
    return stream[list(col.NUMERIC_COLUMNS)].to_numpy(dtype="<f8")


def _encode(stream: pd.DataFrame, values: np.ndarray) -> bytes:
    time_ns = stream[col.TIME].to_numpy(dtype="datetime64[ns]").view(np.int64)
    deltas = _shuffle(np.diff(time_ns, prepend=np.int64(0)).astype("<i8"))
    # Column by column, each byte-shuffled: (columns, samples, 8 bytes) -> (columns, 8, samples).
    columns = np.ascontiguousarray(values.T).view(np.uint8).reshape(values.shape[1], -1, 8).transpose(0, 2, 1)
    payload = zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(deltas + columns.tobytes())
    return _HEADER.pack(MAGIC, len(stream)) + payload


def decode_stream(blob: bytes, *, where: str = "store") -> pd.DataFrame:
    if blob[:2] == _NPZ_MAGIC:
        return _decode_npz(blob, where)
    if len(blob) < _HEADER.size or blob[:4] != MAGIC:
        raise StoreError(where, "a stream blob in an unknown format (a newer stridewise wrote it?)")
    _, n = _HEADER.unpack_from(blob)
    try:
        raw = zstandard.ZstdDecompressor().decompress(blob[_HEADER.size:], max_output_size=8 * n * len(_COLUMNS))
    except zstandard.ZstdError as exc:  # a bad sector or a cut blob
        raise StoreError(where, f"a damaged stream blob ({describe(exc)})") from exc
    if len(raw) != 8 * n * len(_COLUMNS):
        raise StoreError(where, f"a damaged stream blob ({len(raw)} bytes for {n} samples)")
    arrays = [_unshuffle(raw[8 * n * i: 8 * n * (i + 1)], n) for i in range(len(_COLUMNS))]
    time_ns = np.cumsum(arrays[0].view("<i8")).astype(np.int64)
    return stream_frame(time_ns, {name: arrays[i + 1].view("<f8").astype(np.float64, copy=False)
                                  for i, name in enumerate(col.NUMERIC_COLUMNS)})


def _shuffle(values: np.ndarray) -> bytes:
    return np.ascontiguousarray(values).view(np.uint8).reshape(-1, 8).T.tobytes()


def _unshuffle(raw: bytes, n: int) -> np.ndarray:
    return np.frombuffer(raw, dtype=np.uint8).reshape(8, n).T.copy().view(np.uint8).reshape(-1)


def _decode_npz(blob: bytes, where: str) -> pd.DataFrame:
    """A blob from before the zstd format: a compressed ``.npz`` with one array per column."""
    try:
        with np.load(io.BytesIO(blob), allow_pickle=False) as arrays:
            frame = pd.DataFrame({col.TIME: pd.to_datetime(arrays[col.TIME], unit="ns", utc=True)})
            for name in col.NUMERIC_COLUMNS:
                frame[name] = arrays[name]
    except (OSError, ValueError, KeyError, zipfile.BadZipFile, zlib.error) as exc:
        raise StoreError(where, f"a damaged stream blob ({describe(exc)})") from exc
    return frame
