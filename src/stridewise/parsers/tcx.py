"""TCX (Garmin Training Center) activities: a streaming lxml reader, with the standard library's ElementTree
reader as the reference and fallback.

Each ``Activity`` element becomes one activity (multisport TCX has several). Namespaces vary between exporters,
so elements are matched by local name. A TCX ``Courses`` document is a planned route, not an activity.
"""

from __future__ import annotations

import logging
import xml.etree.ElementTree as ET
from typing import Any

from stridewise import columns as col
from stridewise.errors import CorruptFileError, EmptyActivityError
from stridewise.model import Activity
from stridewise.parsers import sport as sports
from stridewise.parsers.stream import build_stream
from stridewise.parsers.tcxfast import TcxActivityData, TcxContents, read_tcx, to_float
from stridewise.parsers.xmlstream import XmlFastPathDeclined, check_for_reference, check_limits
from stridewise.parsers.xmltext import XmlReader, declare_missing_prefixes, decode_xml, strip_before_declaration

logger = logging.getLogger(__name__)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _child(element: ET.Element, name: str) -> ET.Element | None:
    for child in element:
        if _local(child.tag) == name:
            return child
    return None


def _text(element: ET.Element | None, *path: str) -> str | None:
    for name in path:
        if element is None:
            return None
        element = _child(element, name)
    return element.text.strip() if element is not None and element.text else None


def parse_tcx(data: bytes, source: str, *, reader: XmlReader = "auto") -> list[Activity]:
    """Read a TCX: the fast streaming reader, or the ElementTree one where it declines (``reader="reference"``
    forces the latter). Limits on hostile XML are checked first, and no reader sees a file beyond them."""
    check_limits(data, source, b"Trackpoint")
    warnings: list[str] = []
    contents = None
    if reader == "auto":
        try:
            contents = read_tcx(strip_before_declaration(data, warnings), source)
        except XmlFastPathDeclined as exc:
            logger.info("%s: read with ElementTree (the fast TCX reader declined: %s)", source, exc.reason)
            warnings = []
    if contents is None:
        check_for_reference(data, source)
        contents = _read_reference(data, source, warnings)
    if not contents.activities:
        if contents.has_course:
            raise EmptyActivityError(source, "TCX course (a planned route), not a recorded activity")
        raise EmptyActivityError(source, "TCX has no Activity element")
    activities = []
    for index, item in enumerate(contents.activities):
        own_warnings = list(warnings)
        try:
            activities.append(_activity(item, source, index, contents.device, own_warnings))
        except EmptyActivityError:
            if len(contents.activities) == 1:
                raise
            warnings.append(f"activity {index + 1} of the file has no track points; skipped")
    if not activities:
        raise EmptyActivityError(source, "no track points in any TCX activity")
    return activities


def _read_reference(data: bytes, source: str, warnings: list[str]) -> TcxContents:
    text = decode_xml(data, warnings)
    root = _parse(text, source, warnings)
    creator = root.find(".//{*}Creator")
    contents = TcxContents(device=_text(creator, "Name") if creator is not None else None,
                           has_course=any(_local(e.tag) == "Course" for e in root.iter()))
    for element in (e for e in root.iter() if _local(e.tag) == "Activity"):
        contents.activities.append(_read_activity(element))
    return contents


def _parse(text: str, source: str, warnings: list[str]) -> ET.Element:
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        repaired = declare_missing_prefixes(text, warnings)
        if repaired is not text:
            try:
                return ET.fromstring(repaired)
            except ET.ParseError:
                pass
        raise CorruptFileError(source, f"not well-formed XML ({exc})") from exc


def _read_activity(element: ET.Element) -> TcxActivityData:
    columns: dict[str, list[Any]] = {name: [] for name in col.STREAM_COLUMNS}
    bad: list[str] = []
    item = TcxActivityData(columns=columns, bad_numbers=bad, label=element.get("Sport"),
                           notes=_text(element, "Notes"))
    for lap in (e for e in element if _local(e.tag) == "Lap"):
        item.laps += 1
        item.timer_s += to_float(_text(lap, "TotalTimeSeconds"), bad) or 0.0
        item.distance_m += to_float(_text(lap, "DistanceMeters"), bad) or 0.0
        for point in lap.iter():
            if _local(point.tag) != "Trackpoint":
                continue
            columns[col.TIME].append(_text(point, "Time"))
            columns[col.LAT].append(to_float(_text(point, "Position", "LatitudeDegrees"), bad))
            columns[col.LON].append(to_float(_text(point, "Position", "LongitudeDegrees"), bad))
            columns[col.ALTITUDE_M].append(to_float(_text(point, "AltitudeMeters"), bad))
            columns[col.DISTANCE_M].append(to_float(_text(point, "DistanceMeters"), bad))
            columns[col.HEART_RATE].append(to_float(_text(point, "HeartRateBpm", "Value"), bad))
            cadence = _text(point, "Cadence")
            speed = None
            extensions = _child(point, "Extensions")
            if extensions is not None:
                for node in extensions.iter():
                    name = _local(node.tag)
                    if name == "Speed":
                        speed = node.text
                    elif name == "RunCadence" and cadence is None:
                        cadence = node.text
            columns[col.CADENCE].append(to_float(cadence, bad))
            columns[col.SPEED_M_S].append(to_float(speed, bad))
    return item


def _activity(item: TcxActivityData, source: str, index: int, device: str | None,
              warnings: list[str]) -> Activity:
    if item.bad_numbers:
        sample = ", ".join(sorted(set(item.bad_numbers))[:3])
        warnings.append(f"{len(item.bad_numbers)} values that are not numbers ignored ({sample})")
    stream = build_stream(source, item.columns, warnings=warnings)

    label = item.label
    sport, sub_sport = sports.normalize_label(label)
    sport_source = f"TCX Sport '{label}'"
    if sport == sports.UNKNOWN:
        verdict = sports.classify_by_pace(stream)
        sport, sport_source = verdict.sport, f"{verdict.reason} (TCX Sport '{label}' names no sport)"
    has_altitude = bool(stream[col.ALTITUDE_M].notna().any())
    return Activity(
        source=source, format="tcx", sport=sport, sub_sport=sub_sport,
        start_utc=stream[col.TIME].iloc[0].to_pydatetime(), stream=stream, device=device,
        name=item.notes, type_hint=label, sport_source=sport_source, session_index=index,
        altitude_source="gps" if has_altitude else "unknown",
        device_distance_m=item.distance_m if item.laps and item.distance_m > 0 else None,
        device_timer_s=item.timer_s if item.laps and item.timer_s > 0 else None,
        warnings=warnings,
    )
