"""TCX (Garmin Training Center) activities, read with the standard library's ElementTree.

Each ``Activity`` element becomes one activity (multisport TCX has several). Namespaces vary between exporters,
so elements are matched by local name. A TCX ``Courses`` document is a planned route, not an activity.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from stridewise import columns as col
from stridewise.errors import CorruptFileError, EmptyActivityError
from stridewise.model import Activity
from stridewise.parsers import sport as sports
from stridewise.parsers.stream import build_stream
from stridewise.parsers.xmltext import declare_missing_prefixes, decode_xml


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


def _float(text: str | None, bad: list[str]) -> float | None:
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        bad.append(text)
        return None


def parse_tcx(data: bytes, source: str) -> list[Activity]:
    warnings: list[str] = []
    text = decode_xml(data, warnings)
    root = _parse(text, source, warnings)
    activities_xml = [e for e in root.iter() if _local(e.tag) == "Activity"]
    if not activities_xml:
        if any(_local(e.tag) == "Course" for e in root.iter()):
            raise EmptyActivityError(source, "TCX course (a planned route), not a recorded activity")
        raise EmptyActivityError(source, "TCX has no Activity element")
    device = _text(root.find(".//{*}Creator"), "Name") if root.find(".//{*}Creator") is not None else None

    activities = []
    for index, element in enumerate(activities_xml):
        own_warnings = list(warnings)
        try:
            activities.append(_activity(element, source, index, device, own_warnings))
        except EmptyActivityError:
            if len(activities_xml) == 1:
                raise
            warnings.append(f"activity {index + 1} of the file has no track points; skipped")
    if not activities:
        raise EmptyActivityError(source, "no track points in any TCX activity")
    return activities


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


def _activity(element: ET.Element, source: str, index: int, device: str | None,
              warnings: list[str]) -> Activity:
    columns: dict[str, list[Any]] = {name: [] for name in col.STREAM_COLUMNS}
    bad_numbers: list[str] = []
    timer_s = distance_m = 0.0
    laps = 0
    for lap in (e for e in element if _local(e.tag) == "Lap"):
        laps += 1
        timer_s += _float(_text(lap, "TotalTimeSeconds"), bad_numbers) or 0.0
        distance_m += _float(_text(lap, "DistanceMeters"), bad_numbers) or 0.0
        for point in lap.iter():
            if _local(point.tag) != "Trackpoint":
                continue
            columns[col.TIME].append(_text(point, "Time"))
            columns[col.LAT].append(_float(_text(point, "Position", "LatitudeDegrees"), bad_numbers))
            columns[col.LON].append(_float(_text(point, "Position", "LongitudeDegrees"), bad_numbers))
            columns[col.ALTITUDE_M].append(_float(_text(point, "AltitudeMeters"), bad_numbers))
            columns[col.DISTANCE_M].append(_float(_text(point, "DistanceMeters"), bad_numbers))
            columns[col.HEART_RATE].append(_float(_text(point, "HeartRateBpm", "Value"), bad_numbers))
            cadence = _text(point, "Cadence")
            speed = None
            extensions = _child(point, "Extensions")
            if extensions is not None:
                for item in extensions.iter():
                    name = _local(item.tag)
                    if name == "Speed":
                        speed = item.text
                    elif name == "RunCadence" and cadence is None:
                        cadence = item.text
            columns[col.CADENCE].append(_float(cadence, bad_numbers))
            columns[col.SPEED_M_S].append(_float(speed, bad_numbers))
    if bad_numbers:
        sample = ", ".join(sorted(set(bad_numbers))[:3])
        warnings.append(f"{len(bad_numbers)} values that are not numbers ignored ({sample})")
    stream = build_stream(source, columns, warnings=warnings)

    label = element.get("Sport")
    sport, sub_sport = sports.normalize_label(label)
    sport_source = f"TCX Sport '{label}'"
    if sport == sports.UNKNOWN:
        verdict = sports.classify_by_pace(stream)
        sport, sport_source = verdict.sport, f"{verdict.reason} (TCX Sport '{label}' names no sport)"
    has_altitude = bool(stream[col.ALTITUDE_M].notna().any())
    return Activity(
        source=source, format="tcx", sport=sport, sub_sport=sub_sport,
        start_utc=stream[col.TIME].iloc[0].to_pydatetime(), stream=stream, device=device,
        name=_text(element, "Notes"), type_hint=label, sport_source=sport_source, session_index=index,
        altitude_source="gps" if has_altitude else "unknown",
        device_distance_m=distance_m if laps and distance_m > 0 else None,
        device_timer_s=timer_s if laps and timer_s > 0 else None,
        warnings=warnings,
    )
