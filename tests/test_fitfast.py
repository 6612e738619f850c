"""The fast FIT decoder (parsers/fitfast.py) gives what fitparse, the reference, gives: on every real FIT file, on
files cut short or with a bad CRC, and it hands the files it declines to fitparse with the reason logged."""

from __future__ import annotations

import functools
import gzip
import logging
import random
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from fitparse.records import Crc

from conftest import REAL_LOGS, TESTS_DATA, real_log_params, requires_real_logs
from stridewise import columns as col
from stridewise.errors import InputError
from stridewise.model import Activity
from stridewise.parsers import fit, fitfast
from stridewise.parsers.fitprofile import RECORD_FIELDS

REAL_FIT_PARAMS = real_log_params("fit", ".fit", ".fit.gz") + real_log_params("broken", ".fit")
# fitparse needs ~1 min for all of them: the whole-folder comparison is a sweep (`make test-sweep`, run by CI).
SWEEP_FIT_PARAMS = [pytest.param(*p.values, id=p.id, marks=[*p.marks, pytest.mark.sweep])  # type: ignore[attr-defined]
                    for p in REAL_FIT_PARAMS]
# The small real device files kept in the repository: the equivalence runs on them in a clean clone too.
DEVICE_FIT_PARAMS = [pytest.param(p, id=f"devices/{p.name}") for p in sorted((TESTS_DATA / "devices").glob("*.fit"))]
# Real FIT files the fast decoder leaves to fitparse, with its reason. None today: all 87 take the fast path.
DECLINED_REAL_FILES: dict[str, str] = {}
# The floor for the share of real FIT files the fast decoder reads itself.
MIN_FAST_SHARE = 0.90
POSITION_TOLERANCE_DEG = 1e-7
# A 686-record Forerunner 15 run (15,786 bytes): small enough for fitparse to read many damaged copies quickly.
SMALL_RUN = "fit/gc__10kUNLP2014-Garmin15.fit"
SMALL_RUN_RECORDS = 686
ACTIVITY_FIELDS = ("source", "format", "sport", "sub_sport", "start_utc", "utc_offset_s", "device", "sport_source",
                   "altitude_source", "session_index", "device_distance_m", "device_elapsed_s", "device_timer_s",
                   "device_ascent_m", "device_descent_m", "warnings")

Outcome = tuple[fit._FitContents | InputError, list[Activity] | InputError]


def _fit_bytes(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def _outcome(data: bytes, name: str, decoder: str) -> Outcome:
    """What one decoder makes of the bytes: the decoded contents, then the activities (or the error of each)."""
    try:
        contents = fit._decode_fast(data, name) if decoder == "fast" else fit._decode(data, name, "fitparse")
    except InputError as exc:
        return exc, exc
    snapshot = fit._FitContents(contents.file_id, contents.creator, contents.sessions, contents.sport,
                                contents.local_offset_s, contents.activity_times, columns=contents.columns,
                                warnings=list(contents.warnings))
    try:
        return snapshot, fit._activities(contents, name)
    except InputError as exc:
        return snapshot, exc


def _assert_same(fast: Outcome, reference: Outcome) -> None:
    for ours, theirs in zip(fast, reference, strict=True):
        if isinstance(theirs, InputError) or isinstance(ours, InputError):
            assert (type(ours), str(ours)) == (type(theirs), str(theirs))
    _assert_same_contents(fast[0], reference[0])
    _assert_same_activities(fast[1], reference[1])


def _assert_same_contents(ours: object, theirs: object) -> None:
    if not isinstance(ours, fit._FitContents) or not isinstance(theirs, fit._FitContents):
        return
    for name in ("file_id", "creator", "sessions", "sport", "local_offset_s", "activity_times", "warnings"):
        assert getattr(ours, name) == getattr(theirs, name), name
    for name in RECORD_FIELDS:
        np.testing.assert_array_equal(ours.columns[name], theirs.columns[name], err_msg=name)


def _assert_same_activities(ours: object, theirs: object) -> None:
    if not isinstance(ours, list) or not isinstance(theirs, list):
        return
    assert len(ours) == len(theirs)
    for mine, reference in zip(ours, theirs, strict=True):
        for name in ACTIVITY_FIELDS:
            assert getattr(mine, name) == getattr(reference, name), name
        assert list(mine.stream.columns) == list(reference.stream.columns)
        pd.testing.assert_series_equal(mine.stream[col.TIME], reference.stream[col.TIME])
        for name in col.NUMERIC_COLUMNS:
            got, expected = mine.stream[name].to_numpy(), reference.stream[name].to_numpy()
            if name in (col.LAT, col.LON):
                np.testing.assert_allclose(got, expected, rtol=0, atol=POSITION_TOLERANCE_DEG, err_msg=name)
            else:
                np.testing.assert_array_equal(got, expected, err_msg=name)


@functools.cache
def _declined(path: Path) -> str | None:
    """Why the fast decoder declines the file, or None when it decodes it."""
    try:
        fitfast.decode(_fit_bytes(path), fit.WANTED)
    except fitfast.FastPathUnsupported as exc:
        return exc.reason
    return None


@pytest.mark.parametrize("path", SWEEP_FIT_PARAMS + DEVICE_FIT_PARAMS)
def test_fast_decoder_gives_what_fitparse_gives(path: Path) -> None:
    data = _fit_bytes(path)
    if len(data) < 12:
        pytest.skip(f"{path.name} has {len(data)} bytes: refused before any decoder runs")
    if _declined(path) is not None:
        pytest.skip(f"the fast decoder declines {path.name}: {_declined(path)}")
    _assert_same(_outcome(data, path.name, "fast"), _outcome(data, path.name, "fitparse"))


@requires_real_logs
def test_at_least_90pct_of_real_fit_files_take_the_fast_path() -> None:
    paths = [p.values[0] for p in REAL_FIT_PARAMS]  # type: ignore[attr-defined]
    decodable = [p for p in paths if len(_fit_bytes(p)) >= 12]
    declined = {p.name: reason for p in decodable if (reason := _declined(p)) is not None}
    assert declined == DECLINED_REAL_FILES
    assert 1 - len(declined) / len(decodable) >= MIN_FAST_SHARE


def _small_run() -> bytes:
    return (REAL_LOGS / SMALL_RUN).read_bytes()


def _damaged(kind: str) -> bytes:
    data = bytearray(_small_run())
    if kind == "cut inside a record":
        return bytes(data[:6897])  # record 300 starts at byte 6887: its time and latitude are kept, no more
    if kind == "cut between two records":
        return bytes(data[:6908])  # just after record 300
    if kind == "cut inside the session definition":
        return bytes(data[:15519])  # the session definition starts at byte 15511
    if kind == "cut inside the file CRC":
        return bytes(data[:-1])
    if kind == "bad file CRC":
        data[-1] ^= 0xFF
    elif kind == "bad header CRC":
        data[12] ^= 0xFF
    elif kind == "undefined local message type":
        data[6908] = 0x0F  # record 301's header now names local type 15, never defined
    return bytes(data)


DAMAGE = {
    "cut inside a record": "file is truncated; kept the 300 records read before it",
    "cut between two records": "file is truncated; kept the 300 records read before it",
    "cut inside the session definition": "file is truncated; kept the 686 records read before it",
    "cut inside the file CRC": "file is truncated; kept the 686 records read before it",
    "bad file CRC": "bad CRC; kept the 686 records read before it",
    "bad header CRC": "bad CRC; no records could be read",
    "undefined local message type": "decoding stopped (Got data message with invalid local message type 15); "
                                    "kept the 300 records read before it",
}


@requires_real_logs
@pytest.mark.parametrize("kind", DAMAGE)
def test_damaged_file_gives_the_same_warning_and_partial_activity_as_fitparse(kind: str) -> None:
    data = _damaged(kind)
    fast = _outcome(data, "damaged.fit", "fast")
    _assert_same(fast, _outcome(data, "damaged.fit", "fitparse"))
    contents, activities = fast
    if isinstance(activities, InputError):
        assert activities.reason == DAMAGE[kind]
    else:
        assert isinstance(contents, fit._FitContents)
        assert DAMAGE[kind] in activities[0].warnings
        assert contents.record_count <= SMALL_RUN_RECORDS
    if kind == "cut inside a record":
        assert isinstance(contents, fit._FitContents)
        assert np.isfinite(contents.columns["position_lat"][-1]) and np.isnan(contents.columns["position_long"][-1])


@requires_real_logs
def test_a_declined_file_is_decoded_by_fitparse_with_the_reason_logged(caplog: pytest.LogCaptureFixture) -> None:
    # Old sensors' compressed speed/distance is a running total; a record cut short in it is left to fitparse.
    data = (REAL_LOGS / "fit/fitparse__compressed-speed-distance.fit").read_bytes()[:3001]
    with pytest.raises(fitfast.FastPathUnsupported, match="ends inside a record that feeds a running total"):
        fitfast.decode(data, fit.WANTED)
    caplog.set_level(logging.INFO, logger=fit.__name__)
    activities = fit.parse_fit(data, "cut.fit")
    assert [r.getMessage() for r in caplog.records] == [
        "cut.fit: decoded with fitparse (the fast FIT decoder declined: the file ends inside a record that feeds a "
        "running total)"]
    reference = fit.parse_fit(data, "cut.fit", decoder="fitparse")
    _assert_same_activities(activities, reference)
    assert len(activities[0].stream) == 327


@requires_real_logs
def test_compressed_speed_and_distance_accumulate_as_in_fitparse() -> None:
    # 755 records with compressed timestamp headers and a 12-bit distance counter that wraps every 256 m.
    data = (REAL_LOGS / "fit/fitparse__compressed-speed-distance.fit").read_bytes()
    decoded = fitfast.decode(data, fit.WANTED)
    distance = decoded.records["distance"]
    assert np.nanmax(distance) > 256 and np.all(np.diff(distance[~np.isnan(distance)]) >= 0)
    _assert_same(_outcome(data, "c.fit", "fast"), _outcome(data, "c.fit", "fitparse"))


@pytest.mark.parametrize("size", [0, 1, 13, 4095, 4096, 4097, 65537, 250_001])
def test_crc_matches_the_fit_sdk_table_crc(size: int) -> None:
    data = random.Random(size).randbytes(size)
    assert fitfast.crc16(data) == Crc.calculate(data)
