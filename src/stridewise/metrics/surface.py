"""The running surface of a run, and how it was decided. Unknown stays unknown: nothing is guessed silently.

Sources, first match wins: a user rule in the config; the FIT sub-sport (trail, street, track, treadmill); the
activity type from Strava or the file (``Trail Run``, ``Virtual Run``); the mix measured on an imported
OpenStreetMap extract (``stridewise map import``, source "map"); words in the activity's name; a user fallback
rule in the config. GPS alone cannot see the surface (EVIDENCE.md, surface); the map can.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from stridewise.config import SurfaceRule

_SUB_SPORTS: Final = {"trail": "trail", "street": "road", "road": "road", "track": "track",
                      "treadmill": "treadmill"}
_TYPES: Final = {"trail run": "trail", "trail running": "trail", "trail_running": "trail", "virtual run": "treadmill",
                 "virtualrun": "treadmill", "treadmill": "treadmill", "track": "track", "track running": "track",
                 "road running": "road", "street running": "road"}
# Words in a run's name, in English, German, French and Italian. Checked in this order; whole words only.
_NAME_WORDS: Final[tuple[tuple[str, str], ...]] = (
    ("treadmill", r"treadmill|laufband|tapis|tapis roulant"),
    ("track", r"track|bahn|piste|pista|400 ?m|intervals? on the track"),
    ("trail", r"trail|trails|singletrack|berglauf|sentier|sentiero|fell|mountain|cross[- ]country|xc"),
    ("road", r"road|street|strasse|straße|city|marathon|half marathon|10k road"),
)


# The map decides only when it knows the surface of at least this share of the run (the rest ran on ways without
# a usable tag, or off the map); the same bar as the surface_change rule's min_known_share.
MAP_MIN_KNOWN_SHARE: Final = 0.5
MAP_SOURCE: Final = "map"
_MAP_UNKNOWN: Final = "unknown"


@dataclass(frozen=True)
class SurfaceDecision:
    surface: str
    source: str
    mix: Mapping[str, float] | None = None  # shares of the distance per map class, when the map decided


def decide_surface(*, sub_sport: str | None, type_hint: str | None, name: str | None, gear: str | None,
                   rules: Sequence[SurfaceRule] = (), map_metres: Mapping[str, float] | None = None,
                   ) -> SurfaceDecision:
    """``map_metres``: the run's distance per map class (store.MIX_CLASSES), if it was matched on a map."""
    for rule in rules:
        if not rule.fallback and _matches(rule, name=name, gear=gear, type_hint=type_hint):
            return SurfaceDecision(rule.surface, f"config rule ({_describe(rule)})")
    if sub_sport in _SUB_SPORTS:
        return SurfaceDecision(_SUB_SPORTS[sub_sport], f"sub-sport '{sub_sport}'")
    if type_hint and type_hint.strip().lower() in _TYPES:
        return SurfaceDecision(_TYPES[type_hint.strip().lower()], f"activity type '{type_hint}'")
    measured = map_decision(map_metres)
    if measured is not None:
        return measured
    if name:
        for surface, pattern in _NAME_WORDS:
            found = re.search(rf"\b(?:{pattern})\b", name, flags=re.IGNORECASE)
            if found:
                return SurfaceDecision(surface, f"name contains '{found.group(0)}'")
    for rule in rules:
        if rule.fallback and _matches(rule, name=name, gear=gear, type_hint=type_hint):
            return SurfaceDecision(rule.surface, f"config fallback rule ({_describe(rule)})")
    return SurfaceDecision("unknown", "nothing in the file, its name or the config says")


def map_decision(metres: Mapping[str, float] | None) -> SurfaceDecision | None:
    """The dominant known class of a measured mix, or None when the map knows too little of the run."""
    total = sum(metres.values()) if metres else 0.0
    if not metres or total <= 0:
        return None
    shares = {name: value / total for name, value in metres.items()}
    known = {name: share for name, share in shares.items() if name != _MAP_UNKNOWN}
    if sum(known.values()) < MAP_MIN_KNOWN_SHARE:
        return None
    return SurfaceDecision(max(known, key=lambda name: known[name]), MAP_SOURCE, shares)


def _matches(rule: SurfaceRule, *, name: str | None, gear: str | None, type_hint: str | None) -> bool:
    checks = [(rule.name_contains, name, True), (rule.gear, gear, False), (rule.type, type_hint, False)]
    for wanted, actual, substring in checks:
        if wanted is None:
            continue
        if actual is None:
            return False
        if substring and wanted.lower() not in actual.lower():
            return False
        if not substring and wanted.lower() != actual.lower():
            return False
    return True


def _describe(rule: SurfaceRule) -> str:
    parts = [f"name contains '{rule.name_contains}'" if rule.name_contains else "",
             f"gear '{rule.gear}'" if rule.gear else "", f"type '{rule.type}'" if rule.type else ""]
    return ", ".join(p for p in parts if p)
