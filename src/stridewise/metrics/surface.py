"""The running surface of a run, and how it was decided. Unknown stays unknown: nothing is guessed silently.

Sources, first match wins: a user rule in the config; the FIT sub-sport (trail, street, track, treadmill); the
activity type from Strava or the file (``Trail Run``, ``Virtual Run``); words in the activity's name; a user
fallback rule in the config.
GPS alone cannot see the surface (EVIDENCE.md, surface).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
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


@dataclass(frozen=True)
class SurfaceDecision:
    surface: str
    source: str


def decide_surface(*, sub_sport: str | None, type_hint: str | None, name: str | None, gear: str | None,
                   rules: Sequence[SurfaceRule] = ()) -> SurfaceDecision:
    for rule in rules:
        if not rule.fallback and _matches(rule, name=name, gear=gear, type_hint=type_hint):
            return SurfaceDecision(rule.surface, f"config rule ({_describe(rule)})")
    if sub_sport in _SUB_SPORTS:
        return SurfaceDecision(_SUB_SPORTS[sub_sport], f"sub-sport '{sub_sport}'")
    if type_hint and type_hint.strip().lower() in _TYPES:
        return SurfaceDecision(_TYPES[type_hint.strip().lower()], f"activity type '{type_hint}'")
    if name:
        for surface, pattern in _NAME_WORDS:
            found = re.search(rf"\b(?:{pattern})\b", name, flags=re.IGNORECASE)
            if found:
                return SurfaceDecision(surface, f"name contains '{found.group(0)}'")
    for rule in rules:
        if rule.fallback and _matches(rule, name=name, gear=gear, type_hint=type_hint):
            return SurfaceDecision(rule.surface, f"config fallback rule ({_describe(rule)})")
    return SurfaceDecision("unknown", "nothing in the file, its name or the config says")


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
