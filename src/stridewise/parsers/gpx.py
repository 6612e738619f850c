"""GPX 1.0/1.1 tracks (Strava, Garmin Connect, phone apps) read with gpxpy.

Heart rate and cadence come from the Garmin TrackPointExtension (``gpxtpx:hr``, ``gpxtpx:cad``) or the older
cluetrust ``gpxdata:hr``/``gpxdata:cadence``. GPX altitude is GPS (or map) altitude. A file with several tracks
or segments becomes one activity; a file with only a route or waypoints is not an activity.
"""

from __future__ import annotations

import contextlib
import re
from typing import Any, Final

import gpxpy
import gpxpy.gpx

from stridewise import columns as col
from stridewise.errors import CorruptFileError, EmptyActivityError
from stridewise.model import Activity
from stridewise.parsers import sport as sports
from stridewise.parsers.stream import build_stream
from stridewise.parsers.xmltext import declare_missing_prefixes, decode_xml

_NOT_A_NUMBER: Final = re.compile(r"could not convert string to float: '([^']*)'")
# Local names of extension elements, whatever their namespace.
_EXTENSION_FIELDS: Final[dict[str, str]] = {
    "hr": col.HEART_RATE,
    "heartrate": col.HEART_RATE,
    "cad": col.CADENCE,
    "cadence": col.CADENCE,
    "speed": col.SPEED_M_S,
}


def parse_gpx(data: bytes, source: str) -> list[Activity]:
    warnings: list[str] = []
    text = decode_xml(data, warnings)
    try:
        document = _parse(text, source)
    except CorruptFileError as first_error:
        repaired = declare_missing_prefixes(text, warnings)
        if repaired is text:
            raise
        try:
            document = _parse(repaired, source)
        except CorruptFileError:
            raise first_error from None

    points = [p for track in document.tracks for segment in track.segments for p in segment.points]
    if not points:
        what = "only a route" if document.routes else "only waypoints" if document.waypoints else "no track"
        raise EmptyActivityError(source, f"GPX has {what}: no recorded track points")
    if len(document.tracks) > 1:
        warnings.append(f"{len(document.tracks)} tracks joined into one activity")

    columns: dict[str, list[Any]] = {name: [] for name in col.STREAM_COLUMNS}
    for p in points:
        columns[col.TIME].append(p.time)
        columns[col.LAT].append(p.latitude)
        columns[col.LON].append(p.longitude)
        columns[col.ALTITUDE_M].append(p.elevation)
        extra = _extension_values(p)
        for name in (col.HEART_RATE, col.CADENCE, col.SPEED_M_S):
            columns[name].append(extra.get(name))
    del columns[col.DISTANCE_M]  # GPX records no distance; metrics compute it from positions.
    stream = build_stream(source, columns, warnings=warnings)

    track = document.tracks[0]
    sport, sub_sport = sports.normalize_label(track.type)
    sport_source = f"GPX type '{track.type}'"
    if sport == sports.UNKNOWN:
        verdict = sports.classify_by_pace(stream)
        sport, sport_source = verdict.sport, verdict.reason
        if track.type:
            sport_source += f" (GPX type '{track.type}' names no sport)"
    has_altitude = bool(stream[col.ALTITUDE_M].notna().any())
    return [Activity(
        source=source, format="gpx", sport=sport, sub_sport=sub_sport,
        start_utc=stream[col.TIME].iloc[0].to_pydatetime(), stream=stream,
        device=document.creator or None, name=track.name or document.name or None, type_hint=track.type or None,
        sport_source=sport_source, altitude_source="gps" if has_altitude else "unknown", warnings=warnings,
    )]


def _parse(text: str, source: str) -> gpxpy.gpx.GPX:
    try:
        return gpxpy.parse(text)
    except gpxpy.gpx.GPXXMLSyntaxException as exc:
        raise CorruptFileError(source, f"not well-formed XML ({exc.__cause__ or exc})") from exc
    except (gpxpy.gpx.GPXException, ValueError) as exc:
        bad_value = _NOT_A_NUMBER.search(str(exc))
        if bad_value:
            raise CorruptFileError(source, f"invalid GPX: a number is '{bad_value.group(1)}'") from exc
        raise CorruptFileError(source, f"invalid GPX ({exc})") from exc


def _extension_values(point: gpxpy.gpx.GPXTrackPoint) -> dict[str, float]:
    values: dict[str, float] = {}
    stack = list(point.extensions)
    while stack:
        element = stack.pop()
        local = element.tag.rsplit("}", 1)[-1].lower()
        name = _EXTENSION_FIELDS.get(local)
        if name is not None and element.text:
            with contextlib.suppress(ValueError):  # a non-numeric extension value is simply absent
                values.setdefault(name, float(element.text))
        stack.extend(list(element))
    return values
