"""GPX 1.0/1.1 tracks (Strava, Garmin Connect, phone apps): a streaming lxml reader, with gpxpy as the reference
and fallback.

Heart rate and cadence come from the Garmin TrackPointExtension (``gpxtpx:hr``, ``gpxtpx:cad``) or the older
cluetrust ``gpxdata:hr``/``gpxdata:cadence``. GPX altitude is GPS (or map) altitude. A file with several tracks
or segments becomes one activity; a file with only a route or waypoints is not an activity.
"""

from __future__ import annotations

import contextlib
import logging
import re
from typing import TYPE_CHECKING, Any, Final

from stridewise import columns as col
from stridewise.errors import CorruptFileError, EmptyActivityError
from stridewise.model import Activity
from stridewise.parsers import sport as sports
from stridewise.parsers.gpxfast import EXTENSION_FIELDS, GpxContents, read_gpx
from stridewise.parsers.stream import build_stream
from stridewise.parsers.xmlstream import XmlFastPathDeclined, check_for_reference, check_limits
from stridewise.parsers.xmltext import XmlReader, declare_missing_prefixes, decode_xml, strip_before_declaration

if TYPE_CHECKING:
    import gpxpy.gpx

logger = logging.getLogger(__name__)
_NOT_A_NUMBER: Final = re.compile(r"could not convert string to float: '([^']*)'")


def parse_gpx(data: bytes, source: str, *, reader: XmlReader = "auto") -> list[Activity]:
    """Read a GPX: the fast streaming reader, or gpxpy where it declines (``reader="reference"`` forces gpxpy).
    Limits on hostile XML are checked first, and no reader sees a file beyond them."""
    check_limits(data, source, b"trkpt")
    contents = None
    if reader == "auto":
        warnings: list[str] = []
        try:
            contents = read_gpx(strip_before_declaration(data, warnings), source)
            contents.warnings = warnings
        except XmlFastPathDeclined as exc:
            logger.info("%s: read with gpxpy (the fast GPX reader declined: %s)", source, exc.reason)
    if contents is None:
        check_for_reference(data, source)
        contents = _read_reference(data, source)
    return [_activity(contents, source)]


def _activity(contents: GpxContents, source: str) -> Activity:
    warnings = contents.warnings
    if not len(contents.columns[col.TIME]):
        what = "only a route" if contents.routes else "only waypoints" if contents.waypoints else "no track"
        raise EmptyActivityError(source, f"GPX has {what}: no recorded track points")
    if contents.tracks > 1:
        warnings.append(f"{contents.tracks} tracks joined into one activity")
    stream = build_stream(source, contents.columns, warnings=warnings)

    track_type = contents.track_type
    sport, sub_sport = sports.normalize_label(track_type)
    sport_source = f"GPX type '{track_type}'"
    if sport == sports.UNKNOWN:
        verdict = sports.classify_by_pace(stream)
        sport, sport_source = verdict.sport, verdict.reason
        if track_type:
            sport_source += f" (GPX type '{track_type}' names no sport)"
    has_altitude = bool(stream[col.ALTITUDE_M].notna().any())
    return Activity(
        source=source, format="gpx", sport=sport, sub_sport=sub_sport,
        start_utc=stream[col.TIME].iloc[0].to_pydatetime(), stream=stream,
        device=contents.creator or None, name=contents.track_name or contents.name or None,
        type_hint=track_type or None, sport_source=sport_source, altitude_source="gps" if has_altitude else "unknown",
        warnings=warnings,
    )


def _read_reference(data: bytes, source: str) -> GpxContents:
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
    first = document.tracks[0] if document.tracks else None
    return GpxContents(
        columns=columns, tracks=len(document.tracks), track_name=first.name if first else None,
        track_type=first.type if first else None, name=document.name, creator=document.creator,
        routes=len(document.routes), waypoints=len(document.waypoints), warnings=warnings)


def _parse(text: str, source: str) -> gpxpy.gpx.GPX:
    # Imported here: the reference is needed only where the fast reader declines, not at start-up.
    import gpxpy
    import gpxpy.gpx

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
        name = EXTENSION_FIELDS.get(local)
        if name is not None and element.text:
            with contextlib.suppress(ValueError):  # a non-numeric extension value is simply absent
                values.setdefault(name, float(element.text))
        stack.extend(list(element))
    return values
