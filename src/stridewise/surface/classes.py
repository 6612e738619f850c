"""OpenStreetMap tags -> the surface class a runner feels: road, unpaved, trail, track or unknown.

The tables below are the whole mapping (docs/surface.md prints them). First match wins, in this order:
an athletics track; the way's ``surface`` tag; its ``tracktype``; its ``smoothness``; the ``highway`` class's
default. A tag value not listed falls through to the next step; nothing listed anywhere gives ``unknown``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final, Protocol

from stridewise.store.maps import MIX_CLASSES

ROAD: Final = "road"
UNPAVED: Final = "unpaved"
TRAIL: Final = "trail"
TRACK: Final = "track"
UNKNOWN: Final = "unknown"
# The classes of a measured mix, in the order they are stored and shown.
CLASSES: Final[tuple[str, ...]] = MIX_CLASSES
assert CLASSES == (ROAD, UNPAVED, TRAIL, TRACK, UNKNOWN)
CLASS_CODE: Final[dict[str, int]] = {name: code for code, name in enumerate(CLASSES)}

# surface=* (https://wiki.openstreetmap.org/wiki/Key:surface): sealed -> road, loose mineral -> unpaved,
# natural ground -> trail, synthetic running-track material -> track.
SURFACE_TAG: Final[Mapping[str, str]] = {
    **dict.fromkeys(("paved", "asphalt", "concrete", "concrete:plates", "concrete:lanes", "paving_stones",
                     "paving_stones:lanes", "cobblestone", "sett", "unhewn_cobblestone", "bricks", "chipseal",
                     "metal"), ROAD),
    **dict.fromkeys(("unpaved", "gravel", "fine_gravel", "compacted", "pebblestone"), UNPAVED),
    **dict.fromkeys(("ground", "dirt", "earth", "grass", "sand", "woodchips", "rock", "mud", "soil"), TRAIL),
    "tartan": TRACK,
}
# tracktype=* (https://wiki.openstreetmap.org/wiki/Key:tracktype): grade1 is sealed, grade2-3 mostly gravel,
# grade4-5 mostly soil or grass.
TRACKTYPE_TAG: Final[Mapping[str, str]] = {"grade1": ROAD, "grade2": UNPAVED, "grade3": UNPAVED, "grade4": TRAIL,
                                           "grade5": TRAIL}
# smoothness=* describes usability for wheels; only its ends say something about the surface.
SMOOTHNESS_TAG: Final[Mapping[str, str]] = {
    **dict.fromkeys(("excellent", "good"), ROAD),
    **dict.fromkeys(("bad", "very_bad"), UNPAVED),
    **dict.fromkeys(("horrible", "very_horrible", "impassable"), TRAIL),
}
# highway=* without a surface tag: roads for motor traffic are paved by default (OSM wiki, Key:surface, "default
# assumptions"); paths and bridleways are natural paths; a track is a farm or forest road, mostly gravel.
# Footways, cycleways and steps are paved in towns and not in forests: they stay unknown.
HIGHWAY_DEFAULT: Final[Mapping[str, str]] = {
    **dict.fromkeys(("motorway", "trunk", "primary", "secondary", "tertiary", "unclassified", "residential",
                     "living_street", "service", "road", "busway", "pedestrian", "motorway_link", "trunk_link",
                     "primary_link", "secondary_link", "tertiary_link"), ROAD),
    **dict.fromkeys(("path", "bridleway", "trail"), TRAIL),
    "track": UNPAVED,
    **dict.fromkeys(("footway", "cycleway", "steps", "sidewalk", "crossing", "escape"), UNKNOWN),
}
# highway values that are not (yet, or any more) a way one can run on.
HIGHWAY_SKIPPED: Final[frozenset[str]] = frozenset({"proposed", "construction", "abandoned", "razed", "disused",
                                                    "platform", "corridor", "elevator", "bus_stop", "no"})
# leisure=track is an athletics track unless its sport says otherwise (motor racing, horses, cycling).
RUNNING_TRACK_SPORTS: Final[frozenset[str]] = frozenset({"running", "athletics", "multi", "jogging"})


class Tags(Protocol):
    """A dict of tags, or pyosmium's TagList read in place (only the keys needed are looked up)."""

    def get(self, key: str, default: str | None = None, /) -> str | None: ...


def is_runnable(tags: Tags) -> bool:
    """Whether a way is worth keeping for matching: a highway one can run on, or a running track."""
    if tags.get("area") == "yes":
        return False  # the outline of a square, not a line one runs along
    highway = tags.get("highway")
    if highway is not None:
        return highway not in HIGHWAY_SKIPPED
    return _is_running_track(tags)


def surface_class(tags: Tags) -> str:
    """The class of a runnable way (see the module docstring for the order)."""
    if _is_running_track(tags):
        return TRACK
    for key, table in (("surface", SURFACE_TAG), ("tracktype", TRACKTYPE_TAG), ("smoothness", SMOOTHNESS_TAG)):
        value = tags.get(key)
        # surface=asphalt;gravel lists several; the first is the main one.
        found = table.get(value.split(";")[0].strip()) if value else None
        if found is not None:
            return found
    return HIGHWAY_DEFAULT.get(tags.get("highway") or "", UNKNOWN)


def _is_running_track(tags: Tags) -> bool:
    if tags.get("leisure") != "track":
        return False
    sport = tags.get("sport")
    return sport is None or bool(RUNNING_TRACK_SPORTS & {s.strip() for s in sport.split(";")})
