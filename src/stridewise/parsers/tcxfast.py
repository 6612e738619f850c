"""Fast TCX reader: one streaming lxml pass that fills the columns directly (the ElementTree reader is the reference).

It mirrors the reference reader (``tcx.py``): every ``Activity`` element, its ``Lap`` children with their totals,
the track points of each lap, the first ``Creator``. Any case it does not mirror raises
:class:`XmlFastPathDeclined` and the reference reads the file: a track point outside ``Activity/Lap/Track``, a
point field in a foreign namespace, a time in a form other than ISO 8601 with seconds.
"""

from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
from lxml import etree

from stridewise import columns as col
from stridewise.parsers import xmlstream
from stridewise.parsers.gpxfast import TimeBatches
from stridewise.parsers.xmlstream import XmlFastPathDeclined, local_name

_CONTAINERS: Final = frozenset({"TrainingCenterDatabase", "Activities", "Activity", "Lap", "Track",
                                "MultiSportSession", "FirstSport", "NextSport", "Courses", "Course"})
_HEADERS: Final = {"Activity": frozenset({"Notes"}), "Lap": frozenset({"TotalTimeSeconds", "DistanceMeters"})}
# Point children read by local name in the reference; here by their tag in the document's namespace.
_NAN: Final = float("nan")
_POINT_FIELDS: Final = frozenset({"Time", "Position", "AltitudeMeters", "DistanceMeters", "HeartRateBpm",
                                  "Cadence", "Extensions"})


@dataclass
class TcxActivityData:
    """One ``Activity`` element: its columns, lap totals and labels, whichever reader read it."""

    columns: dict[str, Any]
    bad_numbers: list[str]
    laps: int = 0
    timer_s: float = 0.0
    distance_m: float = 0.0
    label: str | None = None
    notes: str | None = None


@dataclass
class TcxContents:
    activities: list[TcxActivityData] = field(default_factory=list)
    device: str | None = None
    has_course: bool = False


def to_float(text: str | None, bad: list[str]) -> float | None:
    """A number, or None when absent; a text that is not a number is noted in ``bad``."""
    if text is None:
        return None
    try:
        return float(text)
    except ValueError:
        bad.append(text)
        return None


class _Columns:
    """The columns of one activity as flat arrays of doubles (NaN where absent)."""

    def __init__(self) -> None:
        self.times = TimeBatches()
        self.numbers = {name: array("d") for name in col.NUMERIC_COLUMNS}

    def result(self) -> dict[str, Any]:
        return {col.TIME: self.times.result(), **{k: np.frombuffer(v) for k, v in self.numbers.items()}}


def read_tcx(data: bytes, source: str) -> TcxContents:
    """Read a TCX in one streaming pass; raises XmlFastPathDeclined where the reference must read it instead."""
    elements = xmlstream.stream(data, source, ("{*}TrainingCenterDatabase", "{*}Trackpoint", "{*}Lap",
                                               "{*}Activity", "{*}Creator", "{*}Course"), _CONTAINERS, _HEADERS)
    root = next(elements, None)
    if root is None or local_name(root.tag) != "TrainingCenterDatabase":
        raise XmlFastPathDeclined("the root element is not <TrainingCenterDatabase>")
    contents = TcxContents()
    points = _PointReader(str(root.tag)[: -len("TrainingCenterDatabase")])
    columns, bad = _Columns(), list[str]()
    laps: list[tuple[float | None, float | None]] = []
    track: etree._Element | None = None
    creator_seen = False
    for element in elements:
        name = local_name(element.tag)
        if name == "Trackpoint":
            parent = element.getparent()
            if parent is not track:
                _check_track(parent)
                track = parent
            points.read(element, columns, bad)
        elif name == "Lap":
            parent = element.getparent()
            if parent is not None and local_name(parent.tag) == "Activity":  # the reference reads these laps only
                laps.append((to_float(_child_text(element, "TotalTimeSeconds"), bad),
                             to_float(_child_text(element, "DistanceMeters"), bad)))
        elif name == "Activity":
            contents.activities.append(TcxActivityData(
                columns=columns.result(), bad_numbers=bad, laps=len(laps),
                timer_s=sum(t or 0.0 for t, _ in laps), distance_m=sum(d or 0.0 for _, d in laps),
                label=element.get("Sport"), notes=_child_text(element, "Notes")))
            columns, bad, laps, track = _Columns(), [], [], None
        elif name == "Creator" and not creator_seen:
            contents.device, creator_seen = _child_text(element, "Name"), True
        elif name == "Course":
            contents.has_course = True
    return contents


def _check_track(parent: etree._Element | None) -> None:
    lap = parent.getparent() if parent is not None else None
    activity = lap.getparent() if lap is not None else None
    if (parent is None or local_name(parent.tag) != "Track" or lap is None or local_name(lap.tag) != "Lap"
            or activity is None or local_name(activity.tag) != "Activity"):
        raise XmlFastPathDeclined("a track point outside Activity/Lap/Track")


def _child(element: etree._Element | None, name: str) -> etree._Element | None:
    """The first child with this local name, as the reference finds it."""
    if element is not None:
        for child in element:
            if local_name(child.tag) == name:
                return child
    return None


def _child_text(element: etree._Element | None, name: str) -> str | None:
    child = _child(element, name)
    return child.text.strip() if child is not None and child.text else None


class _PointReader:
    """Reads track points by their tags in the document's namespace; a point field in another namespace (which the
    reference matches by local name) makes the fast path decline."""

    def __init__(self, ns: str) -> None:
        self.fields = {ns + name: name for name in _POINT_FIELDS}
        self.lat, self.lon, self.value = ns + "LatitudeDegrees", ns + "LongitudeDegrees", ns + "Value"

    def read(self, point: etree._Element, columns: _Columns, bad: list[str]) -> None:
        found: dict[str, etree._Element] = {}
        fields = self.fields
        for child in point:
            name = fields.get(child.tag)  # type: ignore[arg-type]
            if name is None:
                if local_name(child.tag) in _POINT_FIELDS:
                    raise XmlFastPathDeclined(f"a track point field in a foreign namespace ({child.tag!r})")
            elif name not in found:
                found[name] = child
        numbers = columns.numbers
        time = found.get("Time")
        columns.times.append(time.text.strip() if time is not None and time.text else None)
        position = found.get("Position")
        lat = lon = None
        if position is not None:
            lat, lon = self._texts(position, self.lat, self.lon)
        numbers[col.LAT].append(_number(lat, bad))
        numbers[col.LON].append(_number(lon, bad))
        numbers[col.ALTITUDE_M].append(_number(_text(found.get("AltitudeMeters")), bad))
        numbers[col.DISTANCE_M].append(_number(_text(found.get("DistanceMeters")), bad))
        heart_rate = found.get("HeartRateBpm")
        numbers[col.HEART_RATE].append(_number(self._texts(heart_rate, self.value)[0]
                                               if heart_rate is not None else None, bad))
        cadence = _text(found.get("Cadence"))
        speed = None
        extensions = found.get("Extensions")
        if extensions is not None:
            for item in extensions.iter():
                name = local_name(item.tag)
                if name == "Speed":
                    speed = item.text
                elif name == "RunCadence" and cadence is None:
                    cadence = item.text
        numbers[col.CADENCE].append(_number(cadence, bad))
        numbers[col.SPEED_M_S].append(_number(speed, bad))

    @staticmethod
    def _texts(element: etree._Element, *tags: str) -> list[str | None]:
        """The stripped texts of the first child with each tag; declines on such a child in another namespace."""
        texts: list[str | None] = [None] * len(tags)
        seen = [False] * len(tags)
        for child in element:
            tag = child.tag
            if tag in tags:
                index = tags.index(tag)
                if not seen[index]:
                    seen[index] = True
                    texts[index] = child.text.strip() if child.text else None
            elif any(local_name(tag) == local_name(t) for t in tags):
                raise XmlFastPathDeclined(f"a point field in a foreign namespace ({tag!r})")
        return texts


def _number(text: str | None, bad: list[str]) -> float:
    if text is None:
        return _NAN
    try:
        return float(text)
    except ValueError:
        bad.append(text)
        return _NAN


def _text(element: etree._Element | None) -> str | None:
    return element.text.strip() if element is not None and element.text else None
