"""FIT files (Garmin, Coros, Suunto, Wahoo, Polar...) decoded with the fast decoder, or fitparse.

One activity per session; a chained file (several FIT files back to back) or a multisport file gives several.
Transition sessions of a triathlon are dropped. A truncated file or a bad CRC keeps what was decoded, with a warning.

``parsers/fitfast.py`` decodes the messages read here some 100 times faster than fitparse, with the same values;
a file it does not handle (it says why, in a log message) is decoded with fitparse, which stays the reference.
"""

from __future__ import annotations

import io
import logging
import warnings as pywarnings
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, Final, Literal

import fitparse
import numpy as np
import pandas as pd
from fitparse.utils import FitCRCError, FitEOFError, FitParseError

from stridewise import columns as col
from stridewise.errors import CorruptFileError, EmptyActivityError
from stridewise.model import Activity, AltitudeSource
from stridewise.parsers import fitfast
from stridewise.parsers import sport as sports
from stridewise.parsers.fitprofile import FIT_EPOCH_S, columns_from_values
from stridewise.parsers.stream import build_stream

logger = logging.getLogger(__name__)

# "auto": the fast decoder, falling back to fitparse on a file it declines; "fitparse": the reference decoder only.
FitDecoder = Literal["auto", "fitparse"]

SEMICIRCLES_TO_DEGREES: Final = 180.0 / 2**31
# FIT timestamps below this are seconds since the device powered on, not since the FIT epoch (FIT SDK, "date_time").
RELATIVE_TIME_LIMIT: Final = 0x10000000
# Records up to this long after a session's end still belong to it (devices write the last record a bit late).
SESSION_END_SLACK: Final = timedelta(seconds=5)
# A lone session has no neighbour to bleed into, and some devices (Onelap, Magellan) under-report its elapsed time
# by a few percent; its records are kept this long after the stated end. Beyond it they are a broken clock.
SINGLE_SESSION_END_SLACK: Final = timedelta(minutes=5)
WANTED: Final = ("file_id", "device_info", "session", "sport", "activity", "record")

# Garmin models without a barometric altimeter: their FIT altitude comes from GPS. Every other device that writes
# altitude into FIT records is taken as barometric (all current Edge, fenix, epix, Forerunner 2xx/9xx, Suunto,
# Coros and Wahoo units with altitude have one). Apps (Strava, Zwift) and unknown makers write GPS/DEM heights.
GPS_ALTITUDE_GARMIN_PRODUCTS: Final = frozenset({
    "fr10", "fr15", "fr25", "fr30", "fr45", "fr55", "fr60", "fr70", "fr110", "fr205", "fr210", "fr220", "fr225",
    "fr230", "fr235", "fr245", "fr305", "fr310xt", "fr405", "fr410", "fr610", "fr620", "fr630", "fr645",
    "vivoactive", "vivoactive_apac", "vivosmart_hr", "approach_s60", "edge200", "edge_200", "edge_explore",
})
GPS_ALTITUDE_MANUFACTURERS: Final = frozenset({"strava", "zwift", "development", "unknown", "0", "none"})


@dataclass
class _FitContents:
    file_id: dict[str, Any] = field(default_factory=dict)
    creator: dict[str, Any] = field(default_factory=dict)
    sessions: list[dict[str, Any]] = field(default_factory=list)
    sport: dict[str, Any] = field(default_factory=dict)
    local_offset_s: int | None = None
    # The activity message's (timestamp, local_timestamp), kept raw for files with device-relative times.
    activity_times: tuple[object, object] = (None, None)
    records: list[dict[str, Any]] = field(default_factory=list)  # fitparse's record values, while it decodes
    # The record fields read here (fitprofile.RECORD_FIELDS), one array each, NaN where absent; times in FIT seconds.
    columns: dict[str, np.ndarray] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def record_count(self) -> int:
        return len(self.columns["timestamp"]) if self.columns else len(self.records)


def parse_fit(data: bytes, source: str, *, decoder: FitDecoder = "auto") -> list[Activity]:
    """Decode a FIT file into one activity per (non-transition) session."""
    return _activities(_decode(data, source, decoder), source)


def _activities(contents: _FitContents, source: str) -> list[Activity]:
    if not contents.record_count:
        raise EmptyActivityError(source, "FIT file has no record messages (nothing was recorded)")
    device, altitude_source = _device(contents)
    stream_all = _records_to_stream(contents, source)
    sessions = _distinct_sessions([s for s in contents.sessions if str(s.get("sport")) != "transition"],
                                  contents.warnings)
    if not sessions:
        if contents.sessions:
            raise EmptyActivityError(source, "FIT file holds only transition sessions")
        contents.warnings.append("no session message (file cut short?): one activity from all records")
        sessions = [{"sport": contents.sport.get("sport"), "sub_sport": contents.sport.get("sub_sport")}]

    activities = []
    starts = [s.get("start_time") for s in sessions]
    for index, session in enumerate(sessions):
        next_start = starts[index + 1] if index + 1 < len(starts) else None
        stream = _session_slice(stream_all, session, single=len(sessions) == 1,
                                next_start=next_start if isinstance(next_start, datetime) else None)
        if len(sessions) == 1 and len(stream) < len(stream_all):
            contents.warnings.append(f"{len(stream_all) - len(stream)} records after the session's end dropped")
        if stream.empty:
            contents.warnings.append(f"session {index + 1} ({session.get('sport')}) has no records; skipped")
            continue
        sport, sub_sport = sports.normalize_fit(session.get("sport"), session.get("sub_sport"))
        sport_source = "FIT session"
        if sport == sports.UNKNOWN:
            sport, sub_sport = sports.normalize_fit(contents.sport.get("sport"), contents.sport.get("sub_sport"))
            sport_source = "FIT sport message"
        if sport == sports.UNKNOWN:
            verdict = sports.classify_by_pace(stream)
            sport, sport_source = verdict.sport, verdict.reason
        activities.append(Activity(
            source=source, format="fit", sport=sport, sub_sport=sub_sport,
            start_utc=stream[col.TIME].iloc[0].to_pydatetime(), stream=stream,
            utc_offset_s=contents.local_offset_s, device=device, sport_source=sport_source,
            altitude_source=altitude_source if stream[col.ALTITUDE_M].notna().any() else "unknown",
            session_index=index,
            device_distance_m=_number(session.get("total_distance")),
            device_elapsed_s=_number(session.get("total_elapsed_time")),
            device_timer_s=_number(session.get("total_timer_time")),
            device_ascent_m=_number(session.get("total_ascent")),
            device_descent_m=_number(session.get("total_descent")),
            warnings=list(contents.warnings),
        ))
    if not activities:
        raise EmptyActivityError(source, "no session of the FIT file has records")
    return activities


def _distinct_sessions(sessions: list[dict[str, Any]], warnings: list[str]) -> list[dict[str, Any]]:
    """Drop a session of no named sport that spans other sessions (a fenix 2 writes one around a multisport)."""
    if len(sessions) < 2:
        return sessions
    kept = []
    for session in sessions:
        unnamed = sports.normalize_fit(session.get("sport"), session.get("sub_sport"))[0] == sports.UNKNOWN
        span = _span(session)
        overlaps = span is not None and any(
            other is not session and (other_span := _span(other)) is not None
            and other_span[0] < span[1] and span[0] < other_span[1] for other in sessions)
        if unnamed and overlaps:
            warnings.append("a session with no sport spanning the other sessions was left out")
            continue
        kept.append(session)
    return kept


def _span(session: dict[str, Any]) -> tuple[datetime, datetime] | None:
    start, elapsed = session.get("start_time"), _number(session.get("total_elapsed_time"))
    if not isinstance(start, datetime) or elapsed is None:
        return None
    return start, start + timedelta(seconds=elapsed)


def _decode(data: bytes, source: str, decoder: FitDecoder) -> _FitContents:
    if len(data) < 12:
        raise CorruptFileError(source, f"FIT file too short ({len(data)} bytes)")
    if decoder == "auto":
        try:
            return _decode_fast(data, source)
        except fitfast.FastPathUnsupported as exc:
            logger.info("%s: decoded with fitparse (the fast FIT decoder declined: %s)", source, exc.reason)
    return _decode_fitparse(data, source)


def _decode_fast(data: bytes, source: str) -> _FitContents:
    decoded = fitfast.decode(data, WANTED)
    contents = _FitContents(columns=decoded.records)
    for name, values in decoded.messages:
        _collect(contents, name, values)
    if decoded.stopped is not None:
        _partial(contents, source, _stop_reason(decoded.stopped), decoded.stopped)
    return contents


def _decode_fitparse(data: bytes, source: str) -> _FitContents:
    contents = _FitContents()
    try:
        with pywarnings.catch_warnings():
            # fitparse warns on files cut short; the stop is reported below as a warning on the activity.
            pywarnings.simplefilter("ignore")
            fit = fitparse.FitFile(io.BytesIO(data), check_crc=True)
            for message in fit.get_messages(WANTED):
                _collect(contents, message.name, message.get_values())
    except (FitParseError, ValueError, KeyError, IndexError, TypeError, OverflowError) as exc:
        # fitparse raises the last five on garbage bytes; they are treated like a parse error.
        _partial(contents, source, _stop_reason(exc), exc)
    contents.columns = columns_from_values(contents.records)
    contents.records = []
    return contents


def _stop_reason(exc: Exception) -> str:
    if isinstance(exc, FitCRCError):
        return "bad CRC"
    if isinstance(exc, FitEOFError):
        return "file is truncated"
    if isinstance(exc, FitParseError):
        return f"decoding stopped ({exc})"
    return f"decoding stopped ({type(exc).__name__}: {exc})"


def _partial(contents: _FitContents, source: str, reason: str, exc: Exception) -> None:
    if not contents.record_count:
        raise CorruptFileError(source, f"{reason}; no records could be read") from exc
    contents.warnings.append(f"{reason}; kept the {contents.record_count} records read before it")


def _collect(contents: _FitContents, name: str, values: dict[str, Any]) -> None:
    if name == "record":
        contents.records.append(values)
    elif name == "session":
        contents.sessions.append(values)
    elif name == "file_id" and not contents.file_id:
        contents.file_id = values
    elif name == "device_info" and not contents.creator and values.get("device_index") in ("creator", 0):
        contents.creator = values
    elif name == "sport" and not contents.sport:
        contents.sport = values
    elif name == "activity" and contents.local_offset_s is None:
        contents.local_offset_s = _local_offset_s(values)
        contents.activity_times = (values.get("timestamp"), values.get("local_timestamp"))


def _local_offset_s(values: dict[str, Any]) -> int | None:
    utc, local = values.get("timestamp"), values.get("local_timestamp")
    if not isinstance(utc, datetime) or not isinstance(local, datetime):
        return None
    offset_s = (local - utc).total_seconds()
    # Offsets are whole quarter hours and within +-14 h; anything else is a clock that was not set.
    quarter_hours = round(offset_s / 900)
    return quarter_hours * 900 if abs(quarter_hours) <= 56 else None


def _device(contents: _FitContents) -> tuple[str | None, AltitudeSource]:
    info = contents.file_id or contents.creator
    manufacturer = str(info.get("manufacturer") or contents.creator.get("manufacturer") or "unknown")
    product = (info.get("product_name") or info.get("garmin_product") or contents.creator.get("garmin_product")
               or info.get("product"))
    name = f"{manufacturer} {product}" if product is not None else manufacturer
    product_key = str(product).lower()
    if manufacturer.lower() in GPS_ALTITUDE_MANUFACTURERS or (
            manufacturer == "garmin" and product_key in GPS_ALTITUDE_GARMIN_PRODUCTS):
        return name, "gps"
    return name, "barometric"


def _records_to_stream(contents: _FitContents, source: str) -> pd.DataFrame:
    times = _absolute_times(contents.columns["timestamp"], contents)

    def column(*names: str) -> np.ndarray:
        """Per record, the first of the fields that holds a number."""
        out = contents.columns[names[0]]
        for name in names[1:]:
            out = np.where(np.isnan(out), contents.columns[name], out)
        return out

    lat = column("position_lat") * SEMICIRCLES_TO_DEGREES
    lon = column("position_long") * SEMICIRCLES_TO_DEGREES
    cadence = column("cadence")
    fractional = column("fractional_cadence")
    cadence = np.where(np.isfinite(fractional), cadence + fractional, cadence)
    return build_stream(source, {
        col.TIME: times, col.LAT: lat, col.LON: lon,
        col.DISTANCE_M: column("distance"),
        col.ALTITUDE_M: column("enhanced_altitude", "altitude"),
        col.HEART_RATE: column("heart_rate"),
        col.CADENCE: cadence,
        col.SPEED_M_S: column("enhanced_speed", "speed"),
    }, warnings=contents.warnings)


def _absolute_times(fit_s: np.ndarray, contents: _FitContents) -> np.ndarray:
    """FIT times as naive UTC datetime64 (NaT where absent); device-relative times anchored to file creation.

    When any time is device-relative, only the relative times are placed; the others are left out.
    """
    known = ~np.isnan(fit_s)
    relative = known & (fit_s < RELATIVE_TIME_LIMIT)
    seconds = np.where(known, fit_s, 0).astype(np.int64)
    if not relative.any():
        unix_us = (seconds + FIT_EPOCH_S) * 1_000_000
    else:
        anchor = _relative_time_anchor(contents, first=int(seconds[np.argmax(relative)]))
        if anchor is None:
            return np.full(len(fit_s), np.datetime64("NaT"), dtype="datetime64[us]")
        anchor_time, anchor_tick = anchor
        anchor_us = (anchor_time - datetime(1970, 1, 1, tzinfo=UTC)) // timedelta(microseconds=1)
        unix_us = anchor_us + (seconds - anchor_tick) * 1_000_000
        known = relative
    times: np.ndarray = unix_us.astype("datetime64[us]")
    times[~known] = np.datetime64("NaT")
    return times


def _relative_time_anchor(contents: _FitContents, *, first: int) -> tuple[datetime, int] | None:
    """A (clock time, device tick) pair that places device-relative times on the calendar."""
    created = contents.file_id.get("time_created")
    if isinstance(created, datetime):
        contents.warnings.append("device recorded relative times; start taken from the file's creation time")
        return created.replace(tzinfo=UTC), first
    activity_tick, local = contents.activity_times
    if isinstance(activity_tick, int) and isinstance(local, datetime):
        # Only the local clock is known (an FR70 without GPS): UTC is taken as local time.
        contents.warnings.append("device recorded relative times and only a local clock; times are local, "
                                 "not UTC")
        return local.replace(tzinfo=UTC), activity_tick
    return None


def _session_slice(stream: pd.DataFrame, session: dict[str, Any], *, single: bool,
                   next_start: datetime | None = None) -> pd.DataFrame:
    start = session.get("start_time")
    elapsed = _number(session.get("total_elapsed_time"))
    if not isinstance(start, datetime) or elapsed is None:
        # A session without a usable clock (relative ticks, or none) cannot be placed: it owns every record.
        return stream if single else stream.iloc[0:0]
    begin = pd.Timestamp(start.replace(tzinfo=UTC))
    # Some devices write an elapsed time shorter than the timer time or than the session's own end stamp;
    # the latest of the three is the end.
    lengths_s = [elapsed, _number(session.get("total_timer_time")) or 0.0]
    stamp = session.get("timestamp")
    if isinstance(stamp, datetime):
        lengths_s.append((stamp.replace(tzinfo=UTC) - start.replace(tzinfo=UTC)).total_seconds())
    end = begin + pd.Timedelta(seconds=max(lengths_s)) + (SINGLE_SESSION_END_SLACK if single else SESSION_END_SLACK)
    if next_start is not None:
        end = min(end, pd.Timestamp(next_start.replace(tzinfo=UTC)) - pd.Timedelta(microseconds=1))
    # A lone session keeps records just before its start (some devices log one early point) but not garbage
    # after its end (a corrupt tail decodes as dates decades away).
    times = stream[col.TIME].to_numpy(dtype="datetime64[ns]")  # UTC; numpy, as pandas' comparisons cost more
    lower = times[0] if single else begin.tz_convert(None).to_datetime64()
    inside = (times >= lower) & (times <= end.tz_convert(None).to_datetime64())
    if single and inside.all():  # the usual file: one session owning every record
        return stream
    return stream[inside].reset_index(drop=True)


def _number(value: object) -> float | None:
    if isinstance(value, int | float) and np.isfinite(value):
        return float(value)
    return None
