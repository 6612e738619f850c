"""Fast GPX reader: one streaming lxml pass that fills the track columns directly (gpxpy stays the reference).

It reads what stridewise uses from a GPX (track points with their position, elevation, time and the heart rate,
cadence and speed extensions; the names and types of the first track and of the file; the creator) and mirrors
gpxpy's reading of them. Any case it does not mirror raises :class:`XmlFastPathDeclined` and gpxpy reads the file:
an unknown namespace, a track point outside ``trk/trkseg``, a value that is not a number, a time in a form other
than ISO 8601 with seconds. Values in parts it does not read (waypoints, routes, metadata) are not checked.
"""

from __future__ import annotations

import contextlib
import re
from array import array
from dataclasses import dataclass, field
from typing import Any, Final

import numpy as np
import pandas as pd
from lxml import etree

from stridewise import columns as col
from stridewise.parsers import xmlstream
from stridewise.parsers.xmlstream import XmlFastPathDeclined, local_name

GPX_NAMESPACES: Final = frozenset({"", "http://www.topografix.com/GPX/1/1", "http://www.topografix.com/GPX/1/0"})
# Local names of extension elements, whatever their namespace (the same table as the gpxpy-based reader).
EXTENSION_FIELDS: Final[dict[str, str]] = {
    "hr": col.HEART_RATE,
    "heartrate": col.HEART_RATE,
    "cad": col.CADENCE,
    "cadence": col.CADENCE,
    "speed": col.SPEED_M_S,
}
# Point children gpxpy converts to numbers (an invalid one makes it refuse the file) and their converters.
_CHECKED_NUMBERS: Final = {"magvar": float, "geoidheight": float, "sat": int, "hdop": float, "vdop": float,
                           "pdop": float, "ageofdgpsdata": float, "dgpsid": int, "course": float, "speed": float}
_FIX_VALUES: Final = ("none", "2d", "3d", "dgps", "pps", "3")
# A subset of what gpxpy's time pattern accepts that pandas' ISO 8601 parser reads the same way (gpxpy keeps
# at most 6 fraction digits).
_ISO_TIMES: Final = re.compile(
    r"(?:\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d{1,6})?(?:Z|[+-]\d\d:\d\d)?\n)*")
# Times converted at once: large enough to amortise pandas, small enough that the texts stay a few MB.
TIME_BATCH: Final = 65_536
_CONTAINERS: Final = frozenset({"gpx", "trk", "trkseg", "rte"})
_HEADERS: Final = {"gpx": frozenset({"metadata", "name"}), "trk": frozenset({"name", "type", "number"})}


@dataclass
class GpxContents:
    """What a GPX file holds for stridewise, whichever reader read it."""

    columns: dict[str, Any]  # numpy arrays from the fast reader, Python lists from gpxpy
    tracks: int = 0
    track_name: str | None = None
    track_type: str | None = None
    name: str | None = None
    creator: str | None = None
    routes: int = 0
    waypoints: int = 0
    warnings: list[str] = field(default_factory=list)


def read_gpx(data: bytes, source: str) -> GpxContents:
    """Read a GPX in one streaming pass; raises XmlFastPathDeclined where gpxpy must read it instead."""
    elements = xmlstream.stream(data, source, ("{*}gpx", "{*}trkpt", "{*}trk", "{*}rte", "{*}wpt"),
                                _CONTAINERS, _HEADERS)
    root = next(elements, None)
    if root is None or local_name(root.tag) != "gpx":
        raise XmlFastPathDeclined("the root element is not <gpx>")
    ns = str(root.tag)[:-3]
    if ns.strip("{}") not in GPX_NAMESPACES:
        raise XmlFastPathDeclined(f"unknown GPX namespace {ns}")
    trkpt, trkseg, trk, ele, time, ext = (ns + n for n in ("trkpt", "trkseg", "trk", "ele", "time", "extensions"))
    rte, wpt = ns + "rte", ns + "wpt"
    version = root.get("version")
    with_extensions = version == "1.1"  # gpxpy reads extensions (and a track's type) of GPX 1.1 only
    lat, lon, alt = array("d"), array("d"), array("d")
    times = TimeBatches()
    extra = {col.HEART_RATE: array("d"), col.CADENCE: array("d"), col.SPEED_M_S: array("d")}
    nan = float("nan")
    contents = GpxContents(columns={}, creator=root.get("creator"))
    segment: etree._Element | None = None
    try:
        for element in elements:
            tag = element.tag
            if tag == trkpt:
                parent = element.getparent()
                if parent is not segment:
                    _check_segment(parent, trkseg, trk, root)
                    segment = parent
                lat.append(float(element.get("lat")))  # type: ignore[arg-type]  # absent: TypeError, declined
                lon.append(float(element.get("lon")))  # type: ignore[arg-type]
                altitude = nan
                stamp = extensions = None
                seen_ele = False
                for child in element:
                    child_tag = child.tag
                    if child_tag == ele:
                        if not seen_ele and child.text is not None:  # gpxpy reads the first <ele> only
                            altitude = float(child.text.strip())
                        seen_ele = True
                    elif child_tag == time:
                        stamp = child.text if stamp is None else stamp
                    elif child_tag == ext:
                        extensions = child if extensions is None else extensions
                    else:
                        _check_other(child)
                alt.append(altitude)
                times.append(stamp)
                values = _extension_values(extensions) if with_extensions and extensions is not None else {}
                for name, column in extra.items():
                    column.append(values.get(name, nan))
            elif tag == trk:
                if element.getparent() is root:
                    if not contents.tracks:
                        contents.track_name = child_text(element, ns + "name")
                        # A track's <type> is GPX 1.1 (gpxpy ignores it in 1.0).
                        contents.track_type = child_text(element, ns + "type") if with_extensions else None
                    number = child_text(element, ns + "number")
                    if number is not None:
                        int(number.strip())  # gpxpy refuses a track number that is not an integer
                    contents.tracks += 1
            elif tag == rte:
                contents.routes += element.getparent() is root
            elif tag == wpt:
                contents.waypoints += element.getparent() is root
    except (TypeError, ValueError) as exc:
        raise XmlFastPathDeclined(f"a value gpxpy reports ({type(exc).__name__}: {exc})") from exc
    contents.name = child_text(root, f"{ns}metadata/{ns}name" if version == "1.1" else f"{ns}name")
    contents.columns = {
        col.TIME: times.result(), col.LAT: np.frombuffer(lat), col.LON: np.frombuffer(lon),
        col.ALTITUDE_M: np.frombuffer(alt), **{name: np.frombuffer(column) for name, column in extra.items()},
    }
    return contents


def _check_segment(parent: etree._Element | None, trkseg: str, trk: str, root: etree._Element) -> None:
    track = parent.getparent() if parent is not None else None
    if parent is None or parent.tag != trkseg or track is None or track.tag != trk or track.getparent() is not root:
        raise XmlFastPathDeclined("a track point outside gpx/trk/trkseg")


def _check_other(child: etree._Element) -> None:
    """Values gpxpy converts although stridewise does not use them: decline where gpxpy would refuse."""
    name = local_name(child.tag)
    convert = _CHECKED_NUMBERS.get(name)
    if convert is not None and child.text is not None:
        convert(child.text.strip())
    elif name == "fix" and child.text is not None and child.text not in _FIX_VALUES:
        raise ValueError(f"fix {child.text!r}")


def _extension_values(extensions: etree._Element) -> dict[str, float]:
    """Heart rate, cadence and speed by local name at any depth, as the gpxpy-based reader finds them."""
    values: dict[str, float] = {}
    for element in extensions.iterdescendants():
        name = EXTENSION_FIELDS.get(str.rsplit(element.tag, "}", 1)[-1].lower())  # type: ignore[arg-type]
        if name is not None and element.text:
            if name in values:  # the same field twice: which one wins depends on the reference's walk
                return _extension_walk(extensions)
            with contextlib.suppress(ValueError):  # a non-numeric extension value is simply absent
                values[name] = float(element.text)
    return values


def _extension_walk(extensions: etree._Element) -> dict[str, float]:
    """The reference reader's walk: depth first from the last child, the first value found wins."""
    values: dict[str, float] = {}
    stack = list(extensions)
    while stack:
        element = stack.pop()
        name = EXTENSION_FIELDS.get(local_name(element.tag).lower())
        if name is not None and element.text:
            with contextlib.suppress(ValueError):
                values.setdefault(name, float(element.text))
        stack.extend(list(element))
    return values


def child_text(element: etree._Element, path: str) -> str | None:
    """The text of the first element at ``path`` (None when absent or empty), as gpxpy and ElementTree give it."""
    found = element.find(path)
    return None if found is None else found.text


class TimeBatches:
    """ISO 8601 time texts -> naive UTC datetime64 (NaT where absent or impossible), converted in batches so that
    millions of points never sit in memory as Python strings.

    Declines when a time is in another form, so that the reference reader's own parsing decides.
    """

    def __init__(self) -> None:
        self._texts: list[str | None] = []
        self._done: list[np.ndarray] = []

    def append(self, text: str | None) -> None:
        self._texts.append(text)
        if len(self._texts) >= TIME_BATCH:
            self._convert()

    def result(self) -> np.ndarray:
        self._convert()
        return np.concatenate(self._done) if self._done else np.array([], dtype="datetime64[us]")

    def _convert(self) -> None:
        texts, self._texts = self._texts, []
        if not texts:
            return
        if not _ISO_TIMES.fullmatch("".join(t + "\n" for t in texts if t is not None)):
            raise XmlFastPathDeclined("a time that is not ISO 8601 with seconds")
        parsed = pd.to_datetime(pd.Series(texts, dtype=object), utc=True, format="ISO8601", errors="coerce")
        # Microseconds: what gpxpy keeps, and never out of range as nanoseconds would be (years past 2262).
        self._done.append(parsed.dt.tz_localize(None).to_numpy().astype("datetime64[us]"))
