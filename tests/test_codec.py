"""Streams through the store's encoding: unchanged, bit for bit, and old .npz blobs still read."""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from conftest import TESTS_DATA
from stridewise import columns as col
from stridewise.errors import StoreError
from stridewise.parsers import parse_bytes
from stridewise.store.codec import MAGIC, decode_stream, encode_stream, pack_stream

DEVICE_FILES = sorted((TESTS_DATA / "devices").iterdir())


def _npz(stream: pd.DataFrame) -> bytes:
    """A blob as stridewise wrote them before the zstd encoding (savez_compressed, one array per column)."""
    arrays = {name: stream[name].to_numpy(dtype=float) for name in col.NUMERIC_COLUMNS}
    arrays[col.TIME] = stream[col.TIME].to_numpy(dtype="datetime64[ns]").astype(np.int64)
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)  # type: ignore[arg-type]
    return buffer.getvalue()


@pytest.mark.parametrize("path", [p for p in DEVICE_FILES if p.suffix in (".fit", ".gpx", ".tcx")],
                         ids=lambda p: p.name)
def test_real_streams_come_back_unchanged(path: Path) -> None:
    for activity in parse_bytes(path.read_bytes(), path.name):
        blob = encode_stream(activity.stream)
        assert blob.startswith(MAGIC)
        pd.testing.assert_frame_equal(decode_stream(blob), activity.stream, check_exact=True)
        pd.testing.assert_frame_equal(decode_stream(_npz(activity.stream)), activity.stream, check_exact=True)


def test_nan_irregular_times_and_an_empty_stream_come_back_unchanged() -> None:
    times = pd.to_datetime(["2026-05-01T06:00:00.123456789Z", "2026-05-01T06:00:01Z", "2026-05-03T00:00:00Z"],
                           utc=True, format="ISO8601").as_unit("ns")
    stream = pd.DataFrame({col.TIME: times, **{name: [1.5, np.nan, -0.0] for name in col.NUMERIC_COLUMNS}})
    pd.testing.assert_frame_equal(decode_stream(encode_stream(stream)), stream, check_exact=True)
    empty = stream.iloc[0:0].reset_index(drop=True)
    assert len(decode_stream(encode_stream(empty))) == 0


def test_a_blob_in_an_unknown_format_is_a_store_error() -> None:
    with pytest.raises(StoreError) as caught:
        decode_stream(b"XXXX" + bytes(20), where="runs.sqlite3")
    assert caught.value.reason == "a stream blob in an unknown format (a newer stridewise wrote it?)"


def test_a_damaged_blob_is_a_one_line_store_error() -> None:
    blob = encode_stream(pd.DataFrame({col.TIME: pd.to_datetime(["2026-05-01T06:00:00Z"] * 50, utc=True),
                                       **{name: np.arange(50.0) for name in col.NUMERIC_COLUMNS}}))
    damaged = blob[:20] + bytes(len(blob) - 20)  # the zstd frame overwritten, as a bad disk sector would
    with pytest.raises(StoreError) as caught:
        decode_stream(damaged, where="runs.sqlite3")
    assert caught.value.reason.startswith("a damaged stream blob (")
    assert "\n" not in caught.value.reason


def test_a_packed_stream_says_what_the_store_records() -> None:
    times = pd.to_datetime(["2026-05-01T06:00:00Z", "2026-05-01T06:00:01Z", "2026-05-01T07:30:00Z"], utc=True)
    values = {name: [np.nan] * 3 for name in col.NUMERIC_COLUMNS}
    values[col.LAT], values[col.HEART_RATE] = [60.1, 60.2, np.nan], [np.nan, np.nan, 150.0]
    stream = pd.DataFrame({col.TIME: times.as_unit("ns"), **values})
    packed = pack_stream(stream)
    assert (packed.n_points, packed.columns_present) == (3, 2)  # latitude and heart rate hold values
    assert packed.end_utc.isoformat() == "2026-05-01T07:30:00+00:00"
    pd.testing.assert_frame_equal(decode_stream(packed.blob), stream, check_exact=True)


def test_a_damaged_old_npz_blob_is_a_one_line_store_error() -> None:
    stream = pd.DataFrame({col.TIME: pd.to_datetime(["2026-05-01T06:00:00Z"] * 50, utc=True),
                           **{name: np.arange(50.0) for name in col.NUMERIC_COLUMNS}})
    blob = _npz(stream)
    with pytest.raises(StoreError) as caught:
        decode_stream(blob[: len(blob) // 2], where="runs.sqlite3")  # cut in half
    assert caught.value.reason.startswith("a damaged stream blob (")
    assert "\n" not in caught.value.reason
